// quantscope-cli optimize beyond a byte budget: a device at a context (through the VRAM estimator), the runtime whose
// fused layers constrain the formats, and a project with only an analysis (the weight-space proxy); every bad budget
// a message with rc 2 that says what is known.
#include "test_support.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using qs::test::CliRun;
using qs::test::runCli;

class TestOptimizeCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_project; // the demo model's sensitivity, Q2_K and Q6_K

    CliRun optimize(const QStringList &extra, const QString &project = {})
    {
        return runCli(QStringList{QStringLiteral("optimize"), qs::test::demoModelDir(), QStringLiteral("--project"),
                                  project.isEmpty() ? m_project : project, QStringLiteral("-o"), m_dir.filePath(QStringLiteral("plan.json"))} +
                      extra);
    }
    QJsonObject plan()
    {
        QFile f(m_dir.filePath(QStringLiteral("plan.json")));
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qs::test::cliPath()), "QUANTSCOPE_CLI does not point at quantscope-cli");
        m_project = m_dir.filePath(QStringLiteral("sens.qsproj"));
        const CliRun r = runCli({QStringLiteral("sensitivity"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q2_k,q6_k"),
                                 QStringLiteral("--windows"), QStringLiteral("2"), QStringLiteral("--context"), QStringLiteral("128"),
                                 QStringLiteral("--project"), m_project});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void helpNamesDevicesAndRuntimes()
    {
        const CliRun r = runCli({QStringLiteral("optimize"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *word : {"DEVICE@CONTEXT", "rtx-4090@8k", "--runtime", "vllm", "proxy", "KV cache"})
            QVERIFY2(r.out.contains(word), word);
    }

    void deviceBudget()
    {
        CliRun r = optimize({QStringLiteral("--budget"), QStringLiteral("rtx-4090@8k")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // what the estimate was made of, in the output
        for (const char *part : {"rtx-4090", "8192 tokens", "KV cache", "compute buffers", "runtime overhead", "headroom"})
            QVERIFY2(r.out.contains(part), r.out.constData());
        QCOMPARE(plan().value(QStringLiteral("format")).toString(), QStringLiteral("quantscope.plan/2"));
        r = optimize({QStringLiteral("--budget"), QStringLiteral("rtx-4090@8k"), QStringLiteral("--kv-type"), QStringLiteral("q8_0")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("KV cache q8_0"), r.out.constData());
    }

    void badDeviceBudgets_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown device") << QStringList{QStringLiteral("--budget"), QStringLiteral("rtx-9999@8k")} << "known devices include";
        QTest::newRow("absurd context") << QStringList{QStringLiteral("--budget"), QStringLiteral("rtx-4090@0")} << "absurd";
        QTest::newRow("runtimes disagree") << QStringList{QStringLiteral("--budget"), QStringLiteral("rtx-4090@8k:llama.cpp"), QStringLiteral("--runtime"),
                                                         QStringLiteral("vllm")} << "give one";
        QTest::newRow("transformers") << QStringList{QStringLiteral("--budget"), QStringLiteral("5bpw"), QStringLiteral("--runtime"),
                                                    QStringLiteral("transformers")} << "llama.cpp or vllm";
        QTest::newRow("kv type without a device") << QStringList{QStringLiteral("--budget"), QStringLiteral("5bpw"), QStringLiteral("--kv-type"),
                                                                QStringLiteral("q8_0")} << "device budget";
        QTest::newRow("vllm has no q8_0 cache") << QStringList{QStringLiteral("--budget"), QStringLiteral("rtx-4090@8k:vllm"),
                                                              QStringLiteral("--kv-type"), QStringLiteral("q8_0")} << "no q8_0";
    }
    void badDeviceBudgets()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun r = optimize(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void deviceTooSmall()
    {
        // a 10 MiB CPU: llama.cpp's CPU backend needs 9.5 MiB for the demo model's compute buffer and KV cache at 512
        // tokens, leaving half a MiB, less than the demo model takes even in Q2_K (0.85 MB); at 4M tokens the KV cache
        // alone outgrows it
        const QString hw = m_dir.filePath(QStringLiteral("hardware.json"));
        QFile f(hw);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"schema": "quantscope.hardware/1", "devices": [{"id": "tiny-cpu", "name": "Tiny CPU", "kind": "cpu",
                   "memory_gib": 0.009765625, "bandwidth_gbs": 100}]})");
        f.close();
        qputenv("QUANTSCOPE_HARDWARE", hw.toLocal8Bit());
        CliRun r = optimize({QStringLiteral("--budget"), QStringLiteral("tiny-cpu@512")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("too small") && r.err.contains("more than"), r.err.constData());
        r = optimize({QStringLiteral("--budget"), QStringLiteral("tiny-cpu@4m")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("too small for any plan"), r.err.constData());
        qunsetenv("QUANTSCOPE_HARDWARE");
    }

    void vllmRuntime()
    {
        const CliRun r = optimize({QStringLiteral("--budget"), QStringLiteral("5.5bpw"), QStringLiteral("--runtime"), QStringLiteral("vllm")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("for vllm") && r.out.contains("fused"), r.out.constData());
    }

    void analysisOnlyRestsOnTheProxy()
    {
        const QString bare = m_dir.filePath(QStringLiteral("analysis.qsproj"));
        QCOMPARE(runCli({QStringLiteral("analyze"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q4_k,q6_k"),
                         QStringLiteral("--project"), bare}).exitCode, 0);
        const CliRun r = optimize({QStringLiteral("--budget"), QStringLiteral("5bpw")}, bare);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("rests on a proxy") && r.out.contains("measured and proxy"), r.out.constData());
        QVERIFY(plan().value(QStringLiteral("overrides")).toObject().size() >= 14);
    }
};

QTEST_GUILESS_MAIN(TestOptimizeCli)
#include "tst_optimize_cli.moc"
