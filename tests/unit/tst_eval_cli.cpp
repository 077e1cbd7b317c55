// quantscope-cli eval on the built-in demo model: the JSON it promises, a plan compared with the original, and
// every bad input a clear message with rc 1 (bad input) or 2 (bad command line), never a crash.
#include "plan/imatrix.h"
#include "project/project_file.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using qs::test::CliRun;
using qs::test::runCli;

class TestEvalCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString file(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(bytes);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(qs::test::cliPath()), "QUANTSCOPE_CLI does not point at quantscope-cli"); }

    void jsonOfAPlanAgainstTheOriginal()
    {
        const CliRun r = runCli({QStringLiteral("eval"), qs::test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q4_K_M"),
                                 QStringLiteral("--windows"), QStringLiteral("4"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        for (const char *key : {"ppl", "tokens", "kld_mean", "kld_median", "kld_p99", "kld_max", "top1_agree", "ppl_base"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value(QStringLiteral("tokens")).toInteger(), qint64(4 * 511)); // the built-in text, HF protocol
        QCOMPARE(o.value(QStringLiteral("protocol")).toString(), QStringLiteral("hf"));
        const double kld = o.value(QStringLiteral("kld_mean")).toDouble();
        QVERIFY(kld > 0.001 && kld < 0.2);
        QVERIFY(o.value(QStringLiteral("kld_p99")).toDouble() >= o.value(QStringLiteral("kld_median")).toDouble());
        QVERIFY(o.value(QStringLiteral("kld_max")).toDouble() >= o.value(QStringLiteral("kld_p99")).toDouble());
        const double top1 = o.value(QStringLiteral("top1_agree")).toDouble();
        QVERIFY(top1 > 0.5 && top1 < 1.0);
        // the base is the unquantized model: its perplexity is the plain evaluation's
        const CliRun plain = runCli({QStringLiteral("eval"), qs::test::demoModelDir(), QStringLiteral("--windows"), QStringLiteral("4"),
                                     QStringLiteral("--json")});
        QCOMPARE(plain.exitCode, 0);
        const QJsonObject po = QJsonDocument::fromJson(plain.out).object();
        QCOMPARE(po.value(QStringLiteral("ppl")).toDouble(), o.value(QStringLiteral("ppl_base")).toDouble());
        QVERIFY(!po.contains(QLatin1String("kld_mean")));
    }

    void llamaCppProtocolScoresSecondHalves()
    {
        const CliRun r = runCli({QStringLiteral("eval"), qs::test::demoModelDir(), QStringLiteral("--protocol"), QStringLiteral("llama.cpp"),
                                 QStringLiteral("--windows"), QStringLiteral("3"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("tokens")).toInteger(), qint64(3 * 255));
    }

    void imatrixWritesBothFormats()
    {
        const QString gguf = m_dir.filePath(QStringLiteral("demo.imatrix.gguf")), dat = m_dir.filePath(QStringLiteral("demo.imatrix.dat"));
        for (const QString &out : {gguf, dat}) {
            const CliRun r = runCli({QStringLiteral("imatrix"), qs::test::demoModelDir(), QStringLiteral("-o"), out, QStringLiteral("--chunks"),
                                     QStringLiteral("6")});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        auto a = qs::loadImportanceMatrix(gguf.toStdString()), b = qs::loadImportanceMatrix(dat.toStdString());
        QVERIFY(a && b);
        QCOMPARE(a->weights.size(), size_t(14)); // 7 Linears x 2 layers; no output head (llama-imatrix without --process-output)
        QCOMPARE(a->chunks, int64_t(6));
        QCOMPARE(b->chunks, int64_t(6));
        for (const auto &[name, v] : a->weights)
            for (size_t i = 0; i < v.size(); ++i)
                QVERIFY(std::fabs(b->weights.at(name)[i] - v[i]) <= 1e-5f * v[i]);
        // q, k and v see the same input
        QCOMPARE(a->weights.at("blk.1.attn_q.weight"), a->weights.at("blk.1.attn_v.weight"));
        // and llama-quantize's reader takes it
        const CliRun q = runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q4_K_M"),
                                 QStringLiteral("--imatrix"), gguf, QStringLiteral("--dry-run")});
        QCOMPARE(q.exitCode, 0);
        const CliRun bad = runCli({QStringLiteral("imatrix"), qs::test::demoModelDir(), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("x.txt"))});
        QCOMPARE(bad.exitCode, 2);
        // sensitivity measured with the importance the exporter will use: Q2_K of a weight differs with it
        auto kld = [&](const QStringList &extra) {
            const CliRun r = runCli(QStringList{QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q2_k"),
                                                QStringLiteral("--tensor"), QStringLiteral("blk.1.ffn_down.weight"), QStringLiteral("--windows"),
                                                QStringLiteral("2"), QStringLiteral("--context"), QStringLiteral("128"), QStringLiteral("--json")} + extra);
            const QJsonArray t = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("tensors")).toArray();
            return r.exitCode == 0 && t.size() == 1 ? t.at(0).toObject().value(QStringLiteral("kld_mean")).toObject().value(QStringLiteral("Q2_K")).toDouble() : -1.0;
        };
        const double plain = kld({}), weighted = kld({QStringLiteral("--imatrix"), gguf});
        qInfo("Q2_K of blk.1.ffn_down: KLD %.6f without the importance matrix, %.6f with it", plain, weighted);
        QVERIFY(plain > 0 && weighted > 0);
        QVERIFY(plain != weighted);
        QCOMPARE(runCli({QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--imatrix"), m_dir.filePath(QStringLiteral("none.gguf"))})
                     .exitCode,
                 1);
    }

    void sensitivityLivesInTheProject()
    {
        const QString proj = m_dir.filePath(QStringLiteral("demo.qsproj"));
        CliRun r = runCli({QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q2_k,q8_0"),
                           QStringLiteral("--windows"), QStringLiteral("2"), QStringLiteral("--project"), proj, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("tensors")).toArray().size(), 15);
        // the analysis of the same project keeps the measurement
        r = runCli({QStringLiteral("analyze"), qs::test::demoModelDir(), QStringLiteral("--project"), proj});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto p = qs::loadProject(proj.toStdString());
        QVERIFY(p);
        QCOMPARE(p->sensitivity.tensors.size(), size_t(15));
        QVERIFY(!p->analysis.tensors.empty());
        QCOMPARE(runCli({QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q9_z")}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--windows"), QStringLiteral("0")}).exitCode, 2);
    }

    // GPTQ and RTN into checkpoint folders that read back, evaluate, and compare with the original
    void groupQuantizeWritesCheckpoints()
    {
        const QString gptq = m_dir.filePath(QStringLiteral("gptq-out")), rtn = m_dir.filePath(QStringLiteral("rtn-out"));
        CliRun r = runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("gptq"), QStringLiteral("--bits"),
                           QStringLiteral("4"), QStringLiteral("--act-order"), QStringLiteral("--samples"), QStringLiteral("8"), QStringLiteral("--seqlen"),
                           QStringLiteral("256"), QStringLiteral("-o"), gptq});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QString::fromUtf8(r.out).contains(QLatin1String("reads back as solved")));
        r = runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("rtn"), QStringLiteral("--bits"),
                    QStringLiteral("4"), QStringLiteral("-o"), rtn});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        for (const QString &dir : {gptq, rtn}) {
            const CliRun e = runCli({QStringLiteral("eval"), dir, QStringLiteral("--base"), qs::test::demoModelDir(), QStringLiteral("--windows"),
                                     QStringLiteral("4"), QStringLiteral("--json")});
            QVERIFY2(e.exitCode == 0, e.err.constData());
            const QJsonObject o = QJsonDocument::fromJson(e.out).object();
            QVERIFY(o.value(QStringLiteral("kld_mean")).toDouble() > 0);
            QVERIFY(o.value(QStringLiteral("kld_mean")).toDouble() < 0.2);
        }
        // the RTN folder evaluates exactly as the RTN plan does (the same grid, fp16 scales as stored)
        const QString plan = file(QStringLiteral("rtn.json"), R"({"format": "quantscope.plan/2", "output": "hf", "group_quant": "rtn:4:128:asym"})");
        const CliRun fromPlan = runCli({QStringLiteral("eval"), qs::test::demoModelDir(), QStringLiteral("--plan"), plan, QStringLiteral("--windows"),
                                        QStringLiteral("4"), QStringLiteral("--no-base"), QStringLiteral("--json")});
        const CliRun fromFile = runCli({QStringLiteral("eval"), rtn, QStringLiteral("--windows"), QStringLiteral("4"), QStringLiteral("--json")});
        QCOMPARE(fromPlan.exitCode, 0);
        QCOMPARE(fromFile.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(fromPlan.out).object().value(QStringLiteral("ppl")).toDouble(),
                 QJsonDocument::fromJson(fromFile.out).object().value(QStringLiteral("ppl")).toDouble());
        // a GPTQ plan evaluates before it is solved, as its round-to-nearest stand-in, and says so
        const QString gptqPlan = file(QStringLiteral("gptq.json"), R"({"format": "quantscope.plan/2", "output": "hf", "group_quant": "gptq:4:128"})");
        const CliRun standIn = runCli({QStringLiteral("eval"), qs::test::demoModelDir(), QStringLiteral("--plan"), gptqPlan, QStringLiteral("--windows"),
                                       QStringLiteral("2"), QStringLiteral("--json")});
        QVERIFY2(standIn.exitCode == 0, standIn.err.constData());
        QVERIFY(standIn.err.contains("not solved"));
        const QJsonObject so = QJsonDocument::fromJson(standIn.out).object();
        QVERIFY(so.value(QStringLiteral("rtn_stand_in")).toBool());
        QVERIFY(so.value(QStringLiteral("plan")).toString().contains(QLatin1String("RTN stand-in")));
        // bad arguments
        QCOMPARE(runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("squeeze"), QStringLiteral("-o"),
                         m_dir.filePath(QStringLiteral("x"))}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("gptq"), QStringLiteral("--bits"),
                         QStringLiteral("5"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("x"))}).exitCode, 2);
        const CliRun noText = runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("gptq"),
                                      QStringLiteral("--calib"), file(QStringLiteral("w.json"), R"({"window": 512, "offsets": [0]})"), QStringLiteral("-o"),
                                      m_dir.filePath(QStringLiteral("x"))});
        QCOMPARE(noText.exitCode, 1);
        QVERIFY(noText.err.contains("--calib-text"));
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("x"))));
    }

    void awqQuantizeWritesAutoAwqFolder()
    {
        const QString out = m_dir.filePath(QStringLiteral("awq-out"));
        CliRun r = runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("awq"),
                           QStringLiteral("--awq-identity"), QStringLiteral("--samples"), QStringLiteral("4"), QStringLiteral("--seqlen"),
                           QStringLiteral("128"), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("(awq)") && r.out.contains("AWQ scaled") && r.out.contains("reads back as solved"), r.out.constData());
        QFile config(out + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject q = QJsonDocument::fromJson(config.readAll()).object().value(QStringLiteral("quantization_config")).toObject();
        QCOMPARE(q.value(QStringLiteral("quant_method")).toString(), QStringLiteral("awq"));
        QCOMPARE(q.value(QStringLiteral("version")).toString(), QStringLiteral("gemm"));
        const CliRun e = runCli({QStringLiteral("eval"), out, QStringLiteral("--base"), qs::test::demoModelDir(), QStringLiteral("--windows"),
                                 QStringLiteral("2"), QStringLiteral("--json")});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const double kld = QJsonDocument::fromJson(e.out).object().value(QStringLiteral("kld_mean")).toDouble();
        QVERIFY(kld > 0 && kld < 0.2);
        // a plan one run cannot produce is refused before any work, and nothing is written
        const QString mixed = file(QStringLiteral("mixed.json"), R"({"format": "quantscope.plan/2", "output": "hf", "group_quant": "awq:4:128",
            "group_overrides": {"model.layers.0.mlp.down_proj.weight": "gptq:4:128"}})");
        r = runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--plan"), mixed, QStringLiteral("-o"),
                    m_dir.filePath(QStringLiteral("mixed-out"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("mixes AWQ"), r.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("mixed-out"))));
    }

    void optimizeWritesAPlanWithinTheBudget()
    {
        const QString project = m_dir.filePath(QStringLiteral("opt.qsproj")), plan = m_dir.filePath(QStringLiteral("opt-plan.json"));
        CliRun r = runCli({QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q2_k,q4_k,q6_k,q8_0"),
                           QStringLiteral("--windows"), QStringLiteral("2"), QStringLiteral("--context"), QStringLiteral("128"), QStringLiteral("--project"),
                           project});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli({QStringLiteral("optimize"), qs::test::demoModelDir(), QStringLiteral("--project"), project, QStringLiteral("--budget"),
                    QStringLiteral("5.5bpw"), QStringLiteral("-o"), plan});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("bpw") && r.out.contains("llama-quantize"), r.out.constData());
        // the plan is an ordinary plan: quantize sizes it, and its bits per weight stay within the budget
        const QJsonObject o = QJsonDocument::fromJson([&] {
                                  QFile f(plan);
                                  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                              }()).object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("quantscope.plan/2"));
        QVERIFY(o.value(QStringLiteral("overrides")).toObject().size() >= 14);
        const QRegularExpressionMatch bpw = QRegularExpression(QStringLiteral("\\(([0-9.]+) bpw\\)")).match(QString::fromUtf8(r.out));
        QVERIFY(bpw.hasMatch());
        QVERIFY(bpw.captured(1).toDouble() <= 5.5);
        // bad budgets and a project without measurements
        QCOMPARE(runCli({QStringLiteral("optimize"), qs::test::demoModelDir(), QStringLiteral("--project"), project, QStringLiteral("--budget"),
                         QStringLiteral("lots"), QStringLiteral("-o"), plan}).exitCode, 2);
        r = runCli({QStringLiteral("optimize"), qs::test::demoModelDir(), QStringLiteral("--project"), project, QStringLiteral("--budget"),
                    QStringLiteral("1bpw"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("never.json"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("bytes"), r.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("never.json"))));
        const QString bare = m_dir.filePath(QStringLiteral("bare.qsproj"));
        QCOMPARE(runCli({QStringLiteral("analyze"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q4_k"), QStringLiteral("--project"),
                         bare}).exitCode, 0);
        // a project with an analysis but no measurement: the weight-space proxy stands in, and the output says so
        r = runCli({QStringLiteral("optimize"), qs::test::demoModelDir(), QStringLiteral("--project"), bare, QStringLiteral("--budget"),
                    QStringLiteral("5bpw"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("proxy.json"))});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("proxy"), r.out.constData());
    }

    void neverWritesOverTheSourceOrAModel()
    {
        // a copy of the demo model: quantizing it into its own folder (or one holding it) must not delete it
        const QString src = m_dir.filePath(QStringLiteral("own/model"));
        QVERIFY(QDir().mkpath(src));
        for (const QFileInfo &fi : QDir(qs::test::demoModelDir()).entryInfoList(QDir::Files))
            QVERIFY(QFile::copy(fi.absoluteFilePath(), src + QLatin1Char('/') + fi.fileName()));
        const QStringList before = QDir(src).entryList(QDir::Files);
        for (const QString &target : {src, src + QLatin1Char('/'), m_dir.filePath(QStringLiteral("own"))}) {
            const CliRun r = runCli({QStringLiteral("quantize"), src, QStringLiteral("--method"), QStringLiteral("rtn"), QStringLiteral("-o"), target});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("own folder"), r.err.constData());
            QCOMPARE(QDir(src).entryList(QDir::Files), before);
        }
        // another unquantized model is not replaced either; an earlier checkpoint is
        const QString other = m_dir.filePath(QStringLiteral("other-model"));
        QVERIFY(QDir().mkpath(other));
        QVERIFY(QFile::copy(src + QStringLiteral("/config.json"), other + QStringLiteral("/config.json")));
        CliRun r = runCli({QStringLiteral("quantize"), src, QStringLiteral("--method"), QStringLiteral("rtn"), QStringLiteral("-o"), other});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not a quantized checkpoint"), r.err.constData());
        const QString ckpt = m_dir.filePath(QStringLiteral("ckpt"));
        for (int i = 0; i < 2; ++i) {
            r = runCli({QStringLiteral("quantize"), src, QStringLiteral("--method"), QStringLiteral("rtn"), QStringLiteral("-o"), ckpt});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        // a layout that cannot hold the formats is refused before any calibration
        r = runCli({QStringLiteral("quantize"), src, QStringLiteral("--method"), QStringLiteral("gptq"), QStringLiteral("--bits"), QStringLiteral("3"),
                    QStringLiteral("--format"), QStringLiteral("awq"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("awq3"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("4-bit") && !r.err.contains("layer"), r.err.constData());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString demo = qs::test::demoModelDir();
        QTest::newRow("empty text") << QStringList{demo, QStringLiteral("--text"), file(QStringLiteral("empty.txt"), {})} << 1
                                    << QStringLiteral("empty");
        QTest::newRow("not UTF-8") << QStringList{demo, QStringLiteral("--text"), file(QStringLiteral("latin1.txt"), QByteArray("caf\xe9 au lait ", 14).repeated(50))}
                                   << 1 << QStringLiteral("UTF-8");
        QTest::newRow("too short for a window") << QStringList{demo, QStringLiteral("--text"), file(QStringLiteral("short.txt"), "Hello there.")}
                                                << 1 << QStringLiteral("fewer than one window");
        QTest::newRow("llama.cpp needs two chunks") << QStringList{demo, QStringLiteral("--protocol"), QStringLiteral("llama.cpp"), QStringLiteral("--text"),
                                                                   file(QStringLiteral("short2.txt"), QByteArray("The Union is strong. ").repeated(60))}
                                                    << 1 << QStringLiteral("at least 2 x 512");
        QTest::newRow("windows longer than the context") << QStringList{demo, QStringLiteral("--context"), QStringLiteral("4096")} << 1
                                                         << QStringLiteral("longer than the model's context");
        QTest::newRow("no such text") << QStringList{demo, QStringLiteral("--text"), m_dir.filePath(QStringLiteral("missing.txt"))} << 1
                                      << QStringLiteral("missing.txt");
        QTest::newRow("unknown protocol") << QStringList{demo, QStringLiteral("--protocol"), QStringLiteral("lm-eval")} << 2
                                          << QStringLiteral("hf or llama.cpp");
        QTest::newRow("zero windows") << QStringList{demo, QStringLiteral("--windows"), QStringLiteral("0")} << 2 << QStringLiteral("--windows");
        QTest::newRow("absurd context") << QStringList{demo, QStringLiteral("--context"), QStringLiteral("3")} << 2 << QStringLiteral("--context");
        QTest::newRow("preset and plan") << QStringList{demo, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("--plan"),
                                                        QStringLiteral("x.json")}
                                         << 2 << QStringLiteral("at most one");
        QTest::newRow("unknown preset") << QStringList{demo, QStringLiteral("--preset"), QStringLiteral("Q9_X")} << 2 << QStringLiteral("unknown preset");
        QTest::newRow("base and no-base") << QStringList{demo, QStringLiteral("--base"), demo, QStringLiteral("--no-base")} << 2
                                          << QStringLiteral("contradict");
        QTest::newRow("no model") << QStringList{m_dir.filePath(QStringLiteral("nothing"))} << 1 << QStringLiteral("nothing");
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun r = runCli(QStringList{QStringLiteral("eval")} + args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEvalCli)
#include "tst_eval_cli.moc"
