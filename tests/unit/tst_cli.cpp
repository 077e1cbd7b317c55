// quantscope-cli inspect: the human table and the JSON (checked against the published schema) for the demo model,
// and clear errors with the documented exit statuses for bad input.
#include "file_builders.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

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
