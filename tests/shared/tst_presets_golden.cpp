// Whole-model check against llama-quantize: sotu-llama through every preset in ../shared/golden/sotu-llama, with
// and without its importance matrix, gives the same tensor names, order, types, shapes and bytes (sha256) and the
// same metadata (keys that name the tool or file aside).
#include "export/quantize_job.h"
#include "golden_gguf.h"
#include "test_support.h"

#include <QDir>
#include <QFileInfo>

#include <cstring>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs;

class TestPresetsGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLlamaQuantize_data()
    {
        QTest::addColumn<QString>("dump");
        const QDir dir(qs::test::sharedPath(QStringLiteral("golden/sotu-llama")));
        int n = 0;
        for (const QString &f : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            if (f == QLatin1String("bf16.json"))
                continue; // the converter's output: tst_gguf_export
            QTest::newRow(qPrintable(f.chopped(5))) << dir.filePath(f);
            ++n;
        }
        QVERIFY(n >= 15);
    }

    void matchesLlamaQuantize()
    {
        QFETCH(QString, dump);
        QString preset = QFileInfo(dump).completeBaseName();
        const bool imat = preset.endsWith(QLatin1String("-imat"));
        if (imat)
            preset.chop(5);
        auto m = Model::open(qs::test::sharedPath(QStringLiteral("models/sotu-llama")).toStdString());
        QVERIFY(m.ok());
        QuantizeOptions opt;
        opt.plan.preset = preset.toStdString();
        opt.threads = 2;
        if (imat)
            opt.imatrixPath = qs::test::sharedPath(QStringLiteral("golden/sotu-llama/imatrix.gguf")).toStdString();
        QTemporaryDir dir;
        const QString out = dir.path() + QStringLiteral("/out.gguf");
        auto r = quantizeModel(**m, opt, out.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        const QStringList diffs = qs::test::compareWithGoldenDump(out, dump);
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));
    }

    void miniMatchesRealFiles_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("Q8_0") << "Q8_0";
        QTest::newRow("Q4_K_M") << "Q4_K_M";
    }

    // sotu-mini has tied embeddings (token_embd takes the output's Q6_K). llama.cpp's own files are here, so beyond
    // the dump, the whole data section must be byte-identical.
    void miniMatchesRealFiles()
    {
        QFETCH(QString, preset);
        auto m = Model::open(qs::test::sharedPath(QStringLiteral("models/sotu-mini")).toStdString());
        QVERIFY(m.ok());
        QuantizeOptions opt;
        opt.plan.preset = preset.toStdString();
        QTemporaryDir dir;
        const QString out = dir.path() + QStringLiteral("/mini.gguf");
        QVERIFY(quantizeModel(**m, opt, out.toStdString()).ok());
        const QString golden = qs::test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-") + preset);
        const QStringList diffs = qs::test::compareWithGoldenDump(out, golden + QStringLiteral(".json"));
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));
        auto ours = openGguf(out.toStdString());
        auto theirs = openGguf((golden + QStringLiteral(".gguf")).toStdString());
        QVERIFY(ours.ok() && theirs.ok());
        QCOMPARE(ours->fileSize - ours->dataOffset, theirs->fileSize - theirs->dataOffset);
        QVERIFY(std::memcmp(ours->map->data() + ours->dataOffset, theirs->map->data() + theirs->dataOffset,
                            static_cast<size_t>(ours->fileSize - ours->dataOffset)) == 0);
    }

    // The legacy .dat form of the same importance matrix gives llama-quantize's imatrix output too.
    void legacyDatImatrixMatches()
    {
        auto m = Model::open(qs::test::sharedPath(QStringLiteral("models/sotu-llama")).toStdString());
        QVERIFY(m.ok());
        QuantizeOptions opt;
        opt.plan.preset = "Q4_K_M";
        opt.imatrixPath = qs::test::sharedPath(QStringLiteral("golden/sotu-llama/imatrix.dat")).toStdString();
        QTemporaryDir dir;
        const QString out = dir.path() + QStringLiteral("/dat.gguf");
        auto r = quantizeModel(**m, opt, out.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        const QStringList diffs = qs::test::compareWithGoldenDump(out, qs::test::sharedPath(QStringLiteral("golden/sotu-llama/Q4_K_M-imat.json")));
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));
    }

    void quantizedBytesDoNotDependOnThreads()
    {
        auto m = Model::open(qs::test::sharedPath(QStringLiteral("models/sotu-llama")).toStdString());
        QVERIFY(m.ok());
        QTemporaryDir dir;
        QByteArray files[3];
        const int threads[3] = {1, 2, 5};
        for (int i = 0; i < 3; ++i) {
            QuantizeOptions opt;
            opt.plan.preset = "Q3_K_M";
            opt.threads = threads[i];
            opt.imatrixPath = qs::test::sharedPath(QStringLiteral("golden/sotu-llama/imatrix.gguf")).toStdString();
            const QString out = dir.path() + QStringLiteral("/t%1.gguf").arg(i);
            QVERIFY(quantizeModel(**m, opt, out.toStdString()).ok());
            QFile f(out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            files[i] = f.readAll();
        }
        QVERIFY(files[0] == files[1]);
        QVERIFY(files[0] == files[2]);
    }

    // Re-quantizing llama.cpp's own BF16 file (GGUF input): its metadata is llama.cpp's, so the whole file, header
    // included, must be byte-identical with llama-quantize's.
    void requantizedGgufIsTheSameFile_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("Q8_0") << "Q8_0";
        QTest::newRow("Q4_K_M") << "Q4_K_M";
    }

    void requantizedGgufIsTheSameFile()
    {
        QFETCH(QString, preset);
        auto m = Model::open(qs::test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-bf16.gguf")).toStdString());
        QVERIFY(m.ok());
        QuantizeOptions opt;
        opt.plan.preset = preset.toStdString();
        QTemporaryDir dir;
        const QString out = dir.path() + QStringLiteral("/mini.gguf");
        auto r = quantizeModel(**m, opt, out.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QFile a(out), b(qs::test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-") + preset + QStringLiteral(".gguf")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.readAll() == b.readAll());
    }
};

QS_TEST_MAIN_SHARED(TestPresetsGolden)
#include "tst_presets_golden.moc"
