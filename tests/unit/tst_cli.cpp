// quantscope-cli inspect: the human table and the JSON (checked against the published schema) for the demo model,
// and clear errors with the documented exit statuses for bad input. For every command: thread counts are checked
// and clamped, output paths are checked before the work starts, and a project that cannot be written (a full disk)
// is an error that leaves nothing behind, not a crash.
#include "file_builders.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QProcess>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

namespace {

using qs::test::CliRun;
using qs::test::runCli;

// The subset of JSON Schema the inspect schema uses: type, required, properties, items, enum, const.
void validate(const QJsonValue &v, const QJsonObject &schema, const QString &where, QStringList &errors)
{
    if (schema.contains(QLatin1String("type"))) {
        QStringList types;
        const QJsonValue t = schema.value(QLatin1String("type"));
        if (t.isArray())
            for (const QJsonValue x : t.toArray())
                types << x.toString();
        else
            types << t.toString();
        bool ok = false;
        for (const QString &ty : types) {
            if ((ty == QLatin1String("string") && v.isString()) || (ty == QLatin1String("boolean") && v.isBool()) ||
                (ty == QLatin1String("object") && v.isObject()) || (ty == QLatin1String("array") && v.isArray()) ||
                (ty == QLatin1String("null") && v.isNull()) || (ty == QLatin1String("number") && v.isDouble()) ||
                (ty == QLatin1String("integer") && v.isDouble() && v.toDouble() == static_cast<double>(v.toInteger())))
                ok = true;
        }
        if (!ok)
            errors << where + QStringLiteral(": expected ") + types.join(QLatin1Char('|'));
    }
    if (schema.contains(QLatin1String("enum")) && !schema.value(QLatin1String("enum")).toArray().contains(v))
        errors << where + QStringLiteral(": value not in enum");
    if (schema.contains(QLatin1String("const")) && schema.value(QLatin1String("const")) != v)
        errors << where + QStringLiteral(": value differs from const");
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const QJsonValue r : schema.value(QLatin1String("required")).toArray())
            if (!o.contains(r.toString()))
                errors << where + QStringLiteral(": missing ") + r.toString();
        const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
        for (auto it = props.begin(); it != props.end(); ++it)
            if (o.contains(it.key()))
                validate(o.value(it.key()), it.value().toObject(), where + QLatin1Char('.') + it.key(), errors);
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!props.isEmpty() && !props.contains(it.key()))
                errors << where + QStringLiteral(": undocumented key ") + it.key();
    }
    if (v.isArray() && schema.contains(QLatin1String("items"))) {
        int i = 0;
        for (const QJsonValue item : v.toArray())
            validate(item, schema.value(QLatin1String("items")).toObject(), where + QStringLiteral("[%1]").arg(i++), errors);
    }
}

QStringList filesIn(const QString &dir) { return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name); }

// Runs `command` (a program and its arguments); true when it exits 0.
bool runTool(const QStringList &command)
{
    QProcess p;
    p.start(command.first(), command.mid(1));
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QJsonObject loadSchema()
{
    QFile f(qs::test::sourcePath(QStringLiteral("resources/schemas/inspect.schema.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(qs::test::cliPath()), "QUANTSCOPE_CLI does not point at quantscope-cli"); }

    void inspectDemoText()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), qs::test::demoModelDir()});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        for (const char *fact : {"Parameters    2,622,720", "2 layers", "4 heads / 2 KV heads (GQA 2:1)", "head dim 64", "FFN 768",
                                 "embeddings tied", "20 tensors", "model.layers.1.mlp.down_proj.weight", "blk.1.ffn_down.weight"})
            QVERIFY2(out.contains(QLatin1String(fact)), fact);
        QVERIFY(r.err.isEmpty());
    }

    void inspectDemoFlagMatchesPath()
    {
        const CliRun a = runCli({QStringLiteral("inspect"), QStringLiteral("--demo"), QStringLiteral("--json")});
        const CliRun b = runCli({QStringLiteral("inspect"), QStringLiteral("--json"), qs::test::demoModelDir()});
        QCOMPARE(a.exitCode, 0);
        QJsonObject ja = QJsonDocument::fromJson(a.out).object(), jb = QJsonDocument::fromJson(b.out).object();
        ja.remove(QLatin1String("path"));
        ja.remove(QLatin1String("files"));
        jb.remove(QLatin1String("path"));
        jb.remove(QLatin1String("files"));
        QCOMPARE(ja, jb);
    }

    void inspectJsonFollowsSchema()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("--json"), qs::test::demoModelDir()});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonObject schema = loadSchema();
        QVERIFY(!schema.isEmpty());
        QStringList errors;
        validate(doc.object(), schema, QStringLiteral("$"), errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(doc.object().value(QLatin1String("parameters")).toInteger(), 2622720);
        QCOMPARE(doc.object().value(QLatin1String("tensors")).toArray().size(), 20);
        // The validator itself must be able to fail.
        QJsonObject broken = doc.object();
        broken.remove(QLatin1String("parameters"));
        broken[QStringLiteral("format")] = QStringLiteral("onnx");
        QStringList brokenErrors;
        validate(broken, schema, QStringLiteral("$"), brokenErrors);
        QCOMPARE(brokenErrors.size(), 2);
    }

    void inspectGgufJsonFollowsSchema()
    {
        QTemporaryDir dir;
        qs::test::GgufBuilder b;
        b.kvString("general.architecture", "llama").kvU32("llama.block_count", 1).kvArrayString("tokenizer.ggml.tokens", {"a", "b"})
            .kvArrayF32("scores", {0.5f}).tensor("token_embd.weight", {4, 2}, 0, qs::test::f32Bytes({1, 2, 3, 4, 5, 6, 7, 8}));
        QVERIFY(qs::test::writeFile(dir.path() + QStringLiteral("/m.gguf"), b.build()));
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("--json"), dir.path() + QStringLiteral("/m.gguf")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QStringList errors;
        validate(o, loadSchema(), QStringLiteral("$"), errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(o.value(QLatin1String("format")).toString(), QStringLiteral("gguf"));
        QCOMPARE(o.value(QLatin1String("gguf")).toObject().value(QLatin1String("metadata")).toArray().size(), 4);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList() << 2 << "Usage";
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2 << "unknown command 'frobnicate'";
        QTest::newRow("inspect without model") << QStringList{QStringLiteral("inspect")} << 2 << "exactly one MODEL";
        QTest::newRow("inspect two models") << QStringList{QStringLiteral("inspect"), QStringLiteral("a"), QStringLiteral("b")} << 2 << "exactly one MODEL";
        QTest::newRow("unknown option") << QStringList{QStringLiteral("inspect"), QStringLiteral("--bogus"), QStringLiteral("x")} << 2 << "bogus";
        QTest::newRow("missing path") << QStringList{QStringLiteral("inspect"), QStringLiteral("/no/such/model")} << 1 << "/no/such/model: no such file or folder";
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void planPartsThatDoNothingAreWarned()
    {
        // a rule that matches nothing is said on stderr; the work goes on
        const QString demo = qs::test::demoModelDir();
        CliRun r = runCli({QStringLiteral("quantize"), demo, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("--rule"),
                           QStringLiteral("no_such_tensor=q8_0"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("warning: rule 1 'no_such_tensor' matches no tensor"), r.err.constData());
        r = runCli({QStringLiteral("fit"), demo, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("--rule"),
                    QStringLiteral("ffn=q8_0"), QStringLiteral("--rule"), QStringLiteral("ffn_up=q6_k"), QStringLiteral("--device"),
                    QStringLiteral("rtx-4090")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("warning: rule 2 'ffn_up' decides none"), r.err.constData());
        // a clean plan says nothing of the kind
        r = runCli({QStringLiteral("quantize"), demo, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.err.contains("warning"));
        // a misspelt key is an error, not a plan that silently does nothing; a rule may name the Hugging Face tensor
        QTemporaryDir dir;
        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"format":"quantscope.plan/2","preset":"Q4_K_M","rulez":[]})");
        bad.close();
        r = runCli({QStringLiteral("quantize"), demo, QStringLiteral("--plan"), bad.fileName(), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("unknown key \"rulez\""), r.err.constData());
        r = runCli({QStringLiteral("quantize"), demo, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"), QStringLiteral("--rule"),
                    QStringLiteral("layers\\.1\\.mlp\\.down_proj=q8_0"), QStringLiteral("--dry-run")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("blk.1.ffn_down.weight            Q8_0"), r.out.constData());
    }

    void tokenize()
    {
        // the demo model's tokenizer.json, as the Hugging Face tokenizers library encodes (no BOS)
        const QString demo = qs::test::demoModelDir();
        CliRun r = runCli({QStringLiteral("tokenize"), demo, QStringLiteral("--string"), QStringLiteral("Hello world")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QByteArray("41 1288 80 1021"));
        r = runCli({QStringLiteral("tokenize"), demo, QStringLiteral("--string"), QStringLiteral("<|begin_of_text|>The Congress<|end_of_text|>"),
                    QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QByteArray(R"({"count": 4, "ids": [0, 601, 752, 1]})"));
        // wrong command lines and unreadable inputs
        QCOMPARE(runCli({QStringLiteral("tokenize"), demo}).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("tokenize"), demo, QStringLiteral("--text"), QStringLiteral("/no/such/file")}).exitCode, 1);
    }

    void tokenizeBadInput_data()
    {
        // {dir}: a fresh folder holding tokenizer.json (the "tokenizer" column), text.txt ("text") and, for the
        // model-mismatch row, a copy of the demo model's config.json and weights
        QTest::addColumn<QByteArray>("tokenizer");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QByteArray good = R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})";
        const QStringList onText{"tokenize", "{dir}/tokenizer.json", "--text", "{dir}/text.txt"};
        QTest::newRow("not UTF-8") << good << QByteArray("ab\xff") << onText << "{dir}/text.txt at byte 2: the text is not valid UTF-8: byte 0xFF";
        QTest::newRow("empty text") << good << QByteArray() << onText << "{dir}/text.txt: the text is empty";
        QTest::newRow("byte without token") << good << QByteArray("abc") << onText << "byte 0x63 has no token";
        QTest::newRow("malformed") << QByteArray("{\"model\":") << QByteArray("ab") << onText << "{dir}/tokenizer.json at byte";
        QTest::newRow("deep nesting") << QByteArray(200000, '[') << QByteArray("ab") << onText << "{dir}/tokenizer.json at byte";
        QTest::newRow("unknown merge") << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a z"]},"pre_tokenizer":{"type":"ByteLevel"}})")
                                       << QByteArray("ab") << onText << "{dir}/tokenizer.json: merge 0 ('a' + 'z') names 'z', which the vocabulary lacks";
        QTest::newRow("folder without weights") << good << QByteArray() << QStringList{"tokenize", "{dir}", "--string", "ab", "--json"} << "";
        // the demo model's weights with a tokenizer.json whose ids run past its 4096-entry vocabulary
        QTest::newRow("vocabulary past the model")
            << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":0,"b":5000},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})") << QByteArray()
            << QStringList{"tokenize", "{dir}", "--string", "ab"} << "token ids up to 5000 but the model's vocabulary has 4096 entries";
    }

    void tokenizeBadInput()
    {
        QFETCH(QByteArray, tokenizer);
        QFETCH(QByteArray, text);
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(qs::test::writeFile(dir.filePath("tokenizer.json"), tokenizer));
        QVERIFY(qs::test::writeFile(dir.filePath("text.txt"), text));
        if (QString::fromLatin1(QTest::currentDataTag()) == QLatin1String("vocabulary past the model"))
            for (const QString &f : {QStringLiteral("config.json"), QStringLiteral("model.safetensors")})
                QVERIFY(QFile::copy(qs::test::demoModelDir() + QLatin1Char('/') + f, dir.filePath(f)));
        args.replaceInStrings("{dir}", dir.path());
        message.replace("{dir}", dir.path());
        const CliRun r = runCli(args);
        if (message.isEmpty()) { // the control row: a tokenizer.json alone is enough
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.out.trimmed(), QByteArray(R"({"count": 2, "ids": [0, 1]})"));
            return;
        }
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void threadCounts_data()
    {
        QTest::addColumn<QStringList>("args"); // {dir}: a fresh temporary folder
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString m = qs::test::demoModelDir();
        const QStringList quantize{"quantize", m, "--preset", "Q8_0", "-o", "{dir}/x.gguf", "--threads"};
        const QStringList analyze{"analyze", m, "--tensor", "blk.0.attn_q.weight", "--threads"};
        QTest::newRow("quantize: not a number") << quantize + QStringList{"many"} << 2 << "--threads must be a whole number of threads, 1 or more (not 'many')";
        QTest::newRow("quantize: zero") << quantize + QStringList{"0"} << 2 << "--threads must be";
        QTest::newRow("quantize: negative") << quantize + QStringList{"-4"} << 2 << "--threads must be";
        QTest::newRow("quantize: too many") << quantize + QStringList{"99999"} << 0 << "--threads 99999 is more than the";
        QTest::newRow("quantize: two") << quantize + QStringList{"2"} << 0 << "";
        QTest::newRow("analyze: not a number") << analyze + QStringList{"2.5"} << 2 << "--threads must be";
        QTest::newRow("analyze: zero") << analyze + QStringList{"0"} << 2 << "--threads must be";
        QTest::newRow("analyze: too many") << analyze + QStringList{"99999"} << 0 << "threads this machine runs at once; using";
    }

    void threadCounts()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        args.replaceInStrings("{dir}", dir.path());
        const CliRun r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QCOMPARE(filesIn(dir.path()), exitCode == 0 && args[0] == "quantize" ? QStringList{"x.gguf"} : QStringList{});
    }

    void outputPathsAreCheckedFirst_data()
    {
        QTest::addColumn<QStringList>("args"); // {dir}: a fresh temporary folder holding a folder "sub"
        QTest::addColumn<QString>("message");
        const QString m = qs::test::demoModelDir();
        QTest::newRow("quantize -o a folder") << QStringList{"quantize", m, "--preset", "Q8_0", "-o", "{dir}/sub"} << "-o: {dir}/sub: this is a folder";
        QTest::newRow("quantize -o in a missing folder") << QStringList{"quantize", m, "--preset", "Q8_0", "-o", "{dir}/none/x.gguf"}
                                                         << "the folder {dir}/none does not exist";
        QTest::newRow("quantize -o unwritable") << QStringList{"quantize", m, "--preset", "Q8_0", "-o", "/sys/x.gguf"}
                                                << "cannot create files in the folder /sys";
        QTest::newRow("analyze --project a folder") << QStringList{"analyze", m, "--project", "{dir}/sub"} << "--project: {dir}/sub: this is a folder";
        QTest::newRow("analyze --project in a missing folder") << QStringList{"analyze", m, "--project", "{dir}/none/p.qsproj"}
                                                               << "the folder {dir}/none does not exist";
        QTest::newRow("fit --report a folder") << QStringList{"fit", m, "--device", "rtx-4090", "--report", "{dir}/sub"} << "--report: {dir}/sub: this is a folder";
        QTest::newRow("fit --report in a missing folder") << QStringList{"fit", m, "--device", "rtx-4090", "--report", "{dir}/none/r.md"}
                                                          << "the folder {dir}/none does not exist";
    }

    void outputPathsAreCheckedFirst()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("sub"));
        args.replaceInStrings("{dir}", dir.path());
        message.replace("{dir}", dir.path());
        const CliRun r = runCli(args);
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(message), qPrintable(err));
        // refused before the work: nothing quantized, analysed or reported
        QVERIFY2(!err.contains("quantizing") && r.out.isEmpty(), qPrintable(err));
        QVERIFY(filesIn(dir.path()).isEmpty());
    }

    void projectOnAFullDisk()
    {
        // Files may not grow past 64 KiB (write() fails with EFBIG, as it fails with ENOSPC on a full disk). This
        // printed "saved", left a damaged project and crashed in HDF5 at exit (SIGSEGV).
        QTemporaryDir dir;
        const QString project = dir.path() + "/p.qsproj";
        const CliRun r = runCli({"analyze", qs::test::demoModelDir(), "--project", project}, 64 << 10);
        const QString err = QString::fromUtf8(r.err);
        QCOMPARE(r.exitCode, 1); // -1 would be a crash
        QVERIFY2(err.contains(project + ": writing failed") && err.contains("File too large"), qPrintable(err));
        QVERIFY2(!err.contains("saved"), qPrintable(err));
        QVERIFY(filesIn(dir.path()).isEmpty());
    }

    void projectOnARealFullDisk()
    {
        // The same on a real 1 MiB file system (the demo's project is about 2 MiB), where root may mount one.
        if (::geteuid() != 0)
            QSKIP("mounting a small tmpfs needs root; projectOnAFullDisk covers the same with a file size limit");
        QTemporaryDir dir;
        if (!runTool({"mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.path()}))
            QSKIP("this machine does not let root mount a tmpfs here");
        const CliRun r = runCli({"analyze", qs::test::demoModelDir(), "--project", dir.path() + "/p.qsproj"});
        const QStringList left = filesIn(dir.path());
        QVERIFY(runTool({"umount", dir.path()}));
        const QString err = QString::fromUtf8(r.err);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(err.contains(dir.path() + "/p.qsproj") && err.contains("no space left on the device"), qPrintable(err));
        QVERIFY(left.isEmpty());
    }

    void truncatedShardIsAnErrorNotACrash()
    {
        QTemporaryDir dir;
        QFile::copy(qs::test::demoModelDir() + QStringLiteral("/config.json"), dir.path() + QStringLiteral("/config.json"));
        QFile src(qs::test::demoModelDir() + QStringLiteral("/model.safetensors"));
        QVERIFY(src.open(QIODevice::ReadOnly));
        QVERIFY(qs::test::writeFile(dir.path() + QStringLiteral("/model.safetensors"), src.read(1000000)));
        const CliRun r = runCli({QStringLiteral("inspect"), dir.path()});
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(QLatin1String("model.safetensors")) && err.contains(QLatin1String("truncated")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
