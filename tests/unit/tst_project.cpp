// Quantscope project files: saved and reopened analysis gives identical numbers, a changed model is detected, and a
// damaged, foreign or newer file gives a clear error. Saving is atomic, and a save that cannot be written (a full
// disk) says so, leaves no file and leaves HDF5 with nothing open.
#include "file_builders.h"
#include "io/hdf5_file.h"
#include "project/project_file.h"
#include "test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace qs;

namespace {

AnalysisResults analyseDemo()
{
    auto m = Model::open(qs::test::demoModelDir().toStdString());
    AnalysisOptions opt;
    opt.candidates = *QuantFormat::parseList("q4_k,int4-g128-asym,q8_0");
    opt.tensors = {"blk.0.attn_q.weight", "blk.1.ffn_down.weight", "token_embd.weight"};
    return *analyzeModel(**m, opt);
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void saveAndReopenIdentical()
    {
        auto m = Model::open(qs::test::demoModelDir().toStdString());
        Project p;
        p.modelPath = (*m)->path();
        p.fingerprint = fingerprintModel(**m);
        p.planJson = R"({"format":"quantscope.plan/1","preset":"Q4_K_M"})";
        p.analysis = analyseDemo();
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/demo.qsproj").toStdString();
        auto st = saveProject(path, p);
        QVERIFY2(st.ok(), st.ok() ? "" : st.error().describe().c_str());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary left
        auto q = loadProject(path);
        QVERIFY2(q.ok(), q.ok() ? "" : q.error().describe().c_str());
        QCOMPARE(q->modelPath, p.modelPath);
        QVERIFY(q->fingerprint == p.fingerprint);
        QCOMPARE(q->planJson, p.planJson);
        QCOMPARE(q->analysis.candidates.size(), p.analysis.candidates.size());
        QCOMPARE(q->analysis.tensors.size(), p.analysis.tensors.size());
        for (size_t i = 0; i < p.analysis.tensors.size(); ++i) {
            const TensorAnalysis &a = p.analysis.tensors[i], &b = q->analysis.tensors[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.ggufName, a.ggufName);
            QCOMPARE(b.role, a.role);
            QCOMPARE(b.layer, a.layer);
            QCOMPARE(b.shape, a.shape);
            QCOMPARE(b.stats.mean, a.stats.mean);
            QCOMPARE(b.stats.kurtosis, a.stats.kurtosis);
            QCOMPARE(b.stats.p999, a.stats.p999);
            QCOMPARE(b.stats.histogram.counts, a.stats.histogram.counts);
            QCOMPARE(b.stats.symlogHistogram.hi, a.stats.symlogHistogram.hi);
            QCOMPARE(b.stats.rowL2, a.stats.rowL2);
            QCOMPARE(b.stats.colAbsMax, a.stats.colAbsMax);
            for (size_t c = 0; c < a.candidates.size(); ++c) {
                const CandidateResult &x = a.candidates[c], &y = b.candidates[c];
                QCOMPARE(y.candidate.id(), x.candidate.id());
                QCOMPARE(y.errors.relativeError(), x.errors.relativeError());
                QCOMPARE(y.errors.sqnrDb(), x.errors.sqnrDb());
                QCOMPARE(y.errors.rmseOverStep(), x.errors.rmseOverStep());
                QCOMPARE(y.errors.maxAbsErr, x.errors.maxAbsErr);
                QCOMPARE(y.errors.absErrorLog.counts, x.errors.absErrorLog.counts);
                QCOMPARE(y.bytes, x.bytes);
                QCOMPARE(y.grid.pooledRows, x.grid.pooledRows);
                QCOMPARE(y.grid.meanAbs, x.grid.meanAbs);
                QCOMPARE(y.grid.meanSigned, x.grid.meanSigned);
                QCOMPARE(y.grid.maxAbs, x.grid.maxAbs);
                QCOMPARE(y.grid.step, x.grid.step);
            }
        }
        QVERIFY(describeModelChange(*q, **m).empty());
    }

    void changedModelIsDetected()
    {
        QTemporaryDir dir;
        for (const QString f : {QStringLiteral("config.json"), QStringLiteral("model.safetensors"), QStringLiteral("tokenizer.json")})
            QVERIFY(QFile::copy(qs::test::demoModelDir() + "/" + f, dir.path() + "/" + f));
        auto m = Model::open(dir.path().toStdString());
        Project p;
        p.modelPath = (*m)->path();
        p.fingerprint = fingerprintModel(**m);
        // edit the config: the same size is not enough to hide it
        QFile cfg(dir.path() + "/config.json");
        QVERIFY(cfg.open(QIODevice::ReadWrite));
        QByteArray text = cfg.readAll();
        text.replace("\"rms_norm_eps\": 1e-05", "\"rms_norm_eps\": 2e-05");
        QVERIFY(cfg.seek(0) && cfg.write(text) == text.size());
        cfg.close();
        auto m2 = Model::open(dir.path().toStdString());
        QVERIFY(m2.ok());
        const std::string change = describeModelChange(p, **m2);
        QVERIFY2(QString::fromStdString(change).contains("config.json"), change.c_str());
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "missing" << "not an HDF5 file";
        QTest::newRow("random bytes") << "random" << "not an HDF5 file";
        QTest::newRow("truncated") << "truncated" << "";
        QTest::newRow("foreign HDF5") << "foreign" << "not a Quantscope project";
        QTest::newRow("newer version") << "newer" << "newer than this Quantscope understands";
    }

    void badFiles()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.path() + "/x.qsproj";
        if (kind == QLatin1String("random")) {
            QVERIFY(qs::test::writeFile(path, QByteArray(4096, 'q')));
        } else if (kind == QLatin1String("truncated")) {
            Project p;
            p.analysis = analyseDemo();
            QVERIFY(saveProject(path.toStdString(), p).ok());
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite) && f.resize(f.size() / 2));
        } else if (kind == QLatin1String("foreign")) {
            auto f = h5::createFile(path.toStdString());
            QVERIFY(f.ok());
            QVERIFY(h5::commitFile(std::move(*f)).ok());
        } else if (kind == QLatin1String("newer")) {
            auto f = h5::createFile(path.toStdString());
            QVERIFY(f.ok());
            {
                auto root = f->openGroup("/");
                QVERIFY(root->setAttr("format", std::string(kProjectFormat)).ok());
                QVERIFY(root->setAttr("format_version", int64_t(99)).ok());
            }
            QVERIFY(h5::commitFile(std::move(*f)).ok());
        }
        auto r = loadProject(path.toStdString());
        QVERIFY2(!r.ok(), "a bad project opened");
        const QString msg = QString::fromStdString(r.error().describe());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY(msg.contains(QLatin1String("x.qsproj")));
    }

    void failedSaveKeepsThePreviousFile()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/p.qsproj").toStdString();
        Project p;
        p.analysis = analyseDemo();
        QVERIFY(saveProject(path, p).ok());
        QVERIFY(!saveProject((dir.path() + "/no/such/dir/p.qsproj").toStdString(), p).ok());
        QVERIFY(loadProject(path).ok());
        QCOMPARE(h5::openObjectCount(), int64_t(0));
    }

    void commitNeedsEverythingClosed()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/open.h5").toStdString();
        auto f = h5::createFile(path);
        QVERIFY(f.ok());
        auto g = f->createGroup("still-open");
        QVERIFY(g.ok());
        const Status st = h5::commitFile(std::move(*f));
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.error().describe()).contains("still open"), st.error().describe().c_str());
        QVERIFY(g->close().ok());
        QCOMPARE(h5::openObjectCount(), int64_t(0));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void aFullDiskFailsCleanly()
    {
        // Files may not grow past 16 KiB, as on a full disk (write() fails with EFBIG instead of ENOSPC). The save
        // used to report success over a damaged file and leave HDF5 holding it open, which crashed at exit.
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/full.qsproj").toStdString();
        Project p;
        p.analysis = analyseDemo();
        struct rlimit saved{};
        QVERIFY(getrlimit(RLIMIT_FSIZE, &saved) == 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limited = saved;
        limited.rlim_cur = 16 << 10;
        QVERIFY(setrlimit(RLIMIT_FSIZE, &limited) == 0);
        const Status st = saveProject(path, p);
        QVERIFY(setrlimit(RLIMIT_FSIZE, &saved) == 0);
        std::signal(SIGXFSZ, previousHandler);
        QVERIFY2(!st.ok(), "a save that could not be written reported success");
        const QString msg = QString::fromStdString(st.error().describe());
        QVERIFY2(msg.contains("full.qsproj") && msg.contains("writing failed") && msg.contains("File too large"), qPrintable(msg));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
        QCOMPARE(h5::openObjectCount(), int64_t(0));
        // and HDF5 is in a state to save again
        QVERIFY(saveProject(path, p).ok());
        QVERIFY(loadProject(path).ok());
        QCOMPARE(h5::openObjectCount(), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
