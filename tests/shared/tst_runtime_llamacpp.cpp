// The real runtime: Quantscope's GGUF exports load in llama.cpp (CPU build, through node-llama-cpp from npm) and
// generate, greedily, exactly the tokens llama.cpp's own file of the same preset generates.
//
// Needs ../shared and the pinned node-llama-cpp that `installer/dev.sh test` installs into $QUANTSCOPE_NODE_RUNTIME
// (tests/runtime/package.json); without them it is reported as skipped.
#include "test_support.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString runtimeDir() { return qEnvironmentVariable("QUANTSCOPE_NODE_RUNTIME"); }

// One {"model", "tokens", "text"} object per model from llama.cpp, or an empty list with the error in *err.
QList<QJsonObject> generate(const QStringList &ggufs, QString *err)
{
    QProcess p;
    // ES modules resolve imports next to the script: dev.sh copies it beside node_modules
    p.start(QStringLiteral("node"), QStringList{runtimeDir() + QStringLiteral("/generate.mjs"), QStringLiteral("The state of the Union"),
                                                QStringLiteral("32")} + ggufs);
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        *err = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    QList<QJsonObject> out;
    for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
        if (line.startsWith('{'))
            out << QJsonDocument::fromJson(line).object();
    if (out.size() != ggufs.size())
        *err = QStringLiteral("llama.cpp answered for %1 of %2 models").arg(out.size()).arg(ggufs.size());
    return out.size() == ggufs.size() ? out : QList<QJsonObject>();
}

bool quantize(const QStringList &args, QString *err)
{
    QProcess p;
    p.start(qs::test::cliPath(), QStringList{QStringLiteral("quantize")} + args);
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        *err = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

} // namespace

class TestRuntimeLlamaCpp : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void sameTokensAsLlamaCppFiles_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("preset");
        QTest::newRow("sotu-mini from safetensors, Q4_K_M") << "models/sotu-mini" << "Q4_K_M";
        QTest::newRow("sotu-mini from safetensors, Q8_0") << "models/sotu-mini" << "Q8_0";
        QTest::newRow("sotu-mini from llama.cpp's BF16 GGUF, Q4_K_M") << "golden/sotu-mini/sotu-mini-bf16.gguf" << "Q4_K_M";
    }

    void sameTokensAsLlamaCppFiles()
    {
        QFETCH(QString, source);
        QFETCH(QString, preset);
        QString err;
        const QString ours = m_dir.filePath(QStringLiteral("%1-%2.gguf").arg(QFileInfo(source).baseName(), preset));
        QVERIFY2(quantize({qs::test::sharedPath(source), QStringLiteral("--preset"), preset, QStringLiteral("-o"), ours}, &err), qPrintable(err));
        const QList<QJsonObject> r = generate({ours, qs::test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-%1.gguf").arg(preset))}, &err);
        QVERIFY2(r.size() == 2, qPrintable(err));
        const QJsonObject &a = r[0], &b = r[1];
        QCOMPARE(a.value(QLatin1String("tokens")).toArray().size(), 32);
        QCOMPARE(a.value(QLatin1String("tokens")).toArray(), b.value(QLatin1String("tokens")).toArray());
        QCOMPARE(a.value(QLatin1String("text")).toString(), b.value(QLatin1String("text")).toString());
        qInfo("llama.cpp on our %s: %s", qPrintable(preset), qPrintable(a.value(QLatin1String("text")).toString().left(60)));
    }

    // llama.cpp's own sotu-llama files are not in ../shared, only their dumps; tst_presets_golden shows every tensor of
    // ours hashes the same. Here: llama.cpp loads ours and generates, and both presets start the same way.
    void sotuLlamaLoadsAndGenerates()
    {
        QString err;
        const QString presets[2] = {QStringLiteral("Q8_0"), QStringLiteral("Q4_K_M")};
        QStringList files;
        for (const QString &preset : presets) {
            files << m_dir.filePath(QStringLiteral("sotu-llama-%1.gguf").arg(preset));
            QVERIFY2(quantize({qs::test::sharedPath(QStringLiteral("models/sotu-llama")), QStringLiteral("--preset"), preset,
                               QStringLiteral("-o"), files.last()},
                              &err),
                     qPrintable(err));
        }
        const QList<QJsonObject> out = generate(files, &err);
        QVERIFY2(out.size() == 2, qPrintable(err));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(out[i].value(QLatin1String("tokens")).toArray().size(), 32);
            qInfo("llama.cpp on sotu-llama %s: %s", qPrintable(presets[i]), qPrintable(out[i].value(QLatin1String("text")).toString().left(60)));
        }
        // a well-formed model continues the prompt with words, not byte soup; Q8_0 and Q4_K_M begin alike
        QCOMPARE(out[0].value(QLatin1String("tokens")).toArray().first(), out[1].value(QLatin1String("tokens")).toArray().first());
        const QString text = out[0].value(QLatin1String("text")).toString();
        int letters = 0;
        for (const QChar c : text)
            letters += c.isLetter() || c.isSpace();
        QVERIFY2(letters > text.size() * 3 / 4, qPrintable(text));
    }

    // GPTQ-compensated blocks are ordinary GGUF blocks, and folded AWQ scales only change the values of ordinary
    // tensors: llama.cpp loads the file and generates words, beginning as the plain file of the same preset does.
    void calibratedLoadsAndGenerates_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::newRow("compensated") << QStringList{QStringLiteral("--compensate")};
        QTest::newRow("scaled and compensated") << QStringList{QStringLiteral("--awq-scales"), QStringLiteral("--compensate")};
    }

    void calibratedLoadsAndGenerates()
    {
        QFETCH(QStringList, flags);
        QString err;
        const QString plain = m_dir.filePath(QStringLiteral("sotu-llama-plain-Q4_K_M.gguf"));
        const QString comp = m_dir.filePath(QStringLiteral("sotu-llama-calibrated-Q4_K_M.gguf"));
        const QString model = qs::test::sharedPath(QStringLiteral("models/sotu-llama"));
        QVERIFY2(quantize({model, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("-o"), plain}, &err), qPrintable(err));
        QVERIFY2(quantize(QStringList{model, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("--samples"), QStringLiteral("8"),
                                      QStringLiteral("--seqlen"), QStringLiteral("256"), QStringLiteral("-o"), comp} +
                              flags,
                          &err),
                 qPrintable(err));
        const QList<QJsonObject> out = generate({comp, plain}, &err);
        QVERIFY2(out.size() == 2, qPrintable(err));
        QCOMPARE(out[0].value(QLatin1String("tokens")).toArray().size(), 32);
        QCOMPARE(out[0].value(QLatin1String("tokens")).toArray().first(), out[1].value(QLatin1String("tokens")).toArray().first());
        const QString text = out[0].value(QLatin1String("text")).toString();
        qInfo("llama.cpp on %s sotu-llama Q4_K_M: %s", QTest::currentDataTag(), qPrintable(text.left(60)));
        int letters = 0;
        for (const QChar c : text)
            letters += c.isLetter() || c.isSpace();
        QVERIFY2(letters > text.size() * 3 / 4, qPrintable(text));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qs::test::sharedDir().isEmpty()) {
        fprintf(stderr, "SKIPPED: the runtime test needs ../shared (set QUANTSCOPE_SHARED_DIR).\n");
        return qs::test::kSkipExitCode;
    }
    if (runtimeDir().isEmpty() || !QDir(runtimeDir() + QStringLiteral("/node_modules/node-llama-cpp")).exists() ||
        !QFile::exists(runtimeDir() + QStringLiteral("/generate.mjs"))) {
        fprintf(stderr, "SKIPPED: node-llama-cpp is not installed (installer/dev.sh test installs it into "
                        "$QUANTSCOPE_NODE_RUNTIME when Node.js 20 or newer is available).\n");
        return qs::test::kSkipExitCode;
    }
    TestRuntimeLlamaCpp tc;
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_runtime_llamacpp.moc"
