// Our GGUF reader against real llama.cpp-written files (../shared/golden/sotu-mini) and their dumps: every
// metadata key in order with its type and value, every array's full contents (by the sha256 of its JSON), every
// tensor's name, type, shape, size and the sha256 of its bytes.
#include "io/gguf.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <charconv>

using namespace qs;

namespace {

// Python's json.dumps(value, ensure_ascii=False): ", " and ": " separators, raw UTF-8, minimal escapes.
void pyJsonString(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else
                out += static_cast<char>(c);
        }
    }
    out += '"';
}

void pyJsonFloat(std::string &out, double d)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".eEn") == std::string::npos) // "inf"/"nan" contain n; Python writes 100.0, not 100
        s += ".0";
    out += s;
}

std::string pyJsonArray(const GgufValue &v)
{
    std::string out = "[";
    for (uint64_t i = 0; i < v.count; ++i) {
        if (i)
            out += ", ";
        if (v.elemType == GgufType::String)
            pyJsonString(out, v.strings[i]);
        else if (v.elemType == GgufType::Float32 || v.elemType == GgufType::Float64)
            pyJsonFloat(out, v.arrayDouble(i));
        else if (v.elemType == GgufType::Bool)
            out += v.arrayInt(i) ? "true" : "false";
        else
            out += std::to_string(v.arrayInt(i));
    }
    return out + "]";
}

QString sha256(const QByteArray &b)
{
    return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestGgufGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLlamaCppDump_data()
    {
        QTest::addColumn<QString>("gguf");
        QTest::addColumn<QString>("dump");
        const QDir dir(qs::test::sharedPath(QStringLiteral("golden/sotu-mini")));
        const QStringList files = dir.entryList({QStringLiteral("*.gguf")}, QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 3, "expected the BF16, Q8_0 and Q4_K_M golden files");
        for (const QString &f : files) {
            const QString base = f.chopped(5);
            QTest::newRow(qPrintable(base)) << dir.filePath(f) << dir.filePath(base + QStringLiteral(".json"));
        }
    }

    void matchesLlamaCppDump()
    {
        QFETCH(QString, gguf);
        QFETCH(QString, dump);
        QFile df(dump);
        QVERIFY(df.open(QIODevice::ReadOnly));
        const QByteArray dumpText = df.readAll();
        const QJsonObject d = QJsonDocument::fromJson(dumpText).object();
        auto r = openGguf(gguf.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        const GgufFile &g = *r;
        QCOMPARE(static_cast<qint64>(g.fileSize), d.value(QLatin1String("file_bytes")).toInteger());

        const QJsonObject meta = d.value(QLatin1String("metadata")).toObject();
        QCOMPARE(static_cast<qsizetype>(g.metadata.size()), meta.size());
        qsizetype lastPos = -1;
        for (const GgufKeyValue &kv : g.metadata) {
            const QString key = QString::fromStdString(kv.key);
            QVERIFY2(meta.contains(key), qPrintable(key));
            // the dump lists keys in file order: ours must appear in the same order
            const qsizetype pos = dumpText.indexOf("\"" + key.toUtf8() + "\": {");
            QVERIFY2(pos > lastPos, qPrintable(QStringLiteral("key order differs at ") + key));
            lastPos = pos;
            const QJsonObject e = meta.value(key).toObject();
            if (kv.value.isArray()) {
                QCOMPARE(e.value(QLatin1String("array_of")).toString(), QLatin1String(ggufTypeName(kv.value.elemType).data()));
                QCOMPARE(static_cast<qint64>(kv.value.count), e.value(QLatin1String("len")).toInteger());
                const QJsonArray first = e.value(QLatin1String("first")).toArray();
                for (qsizetype i = 0; i < first.size(); ++i) {
                    if (kv.value.elemType == GgufType::String)
                        QCOMPARE(QString::fromStdString(kv.value.strings[static_cast<size_t>(i)]), first.at(i).toString());
                    else
                        QCOMPARE(kv.value.arrayDouble(static_cast<uint64_t>(i)), first.at(i).toDouble());
                }
                const std::string json = pyJsonArray(kv.value);
                QCOMPARE(sha256(QByteArray::fromStdString(json)), e.value(QLatin1String("sha256_json")).toString());
                continue;
            }
            QCOMPARE(e.value(QLatin1String("type")).toString(), QLatin1String(ggufTypeName(kv.value.type).data()));
            const QJsonValue v = e.value(QLatin1String("value"));
            if (kv.value.type == GgufType::String)
                QCOMPARE(QString::fromStdString(*kv.value.toString()), v.toString());
            else if (kv.value.type == GgufType::Bool)
                QCOMPARE(*kv.value.toBool(), v.toBool());
            else
                QCOMPARE(*kv.value.toDouble(), v.toDouble());
        }

        const QJsonArray tensors = d.value(QLatin1String("tensors")).toArray();
        QCOMPARE(static_cast<qsizetype>(g.tensors.size()), tensors.size());
        for (size_t i = 0; i < g.tensors.size(); ++i) {
            const GgufTensorInfo &t = g.tensors[i];
            const QJsonObject e = tensors.at(static_cast<qsizetype>(i)).toObject();
            QCOMPARE(QString::fromStdString(t.name), e.value(QLatin1String("name")).toString());
            QCOMPARE(QLatin1String(t.traits->name.data(), static_cast<qsizetype>(t.traits->name.size())), e.value(QLatin1String("type")).toString());
            const QJsonArray shape = e.value(QLatin1String("shape")).toArray();
            QCOMPARE(static_cast<qsizetype>(t.ne.size()), shape.size());
            for (size_t k = 0; k < t.ne.size(); ++k)
                QCOMPARE(static_cast<qint64>(t.ne[k]), shape.at(static_cast<qsizetype>(k)).toInteger());
            QCOMPARE(static_cast<qint64>(t.bytes), e.value(QLatin1String("bytes")).toInteger());
            const auto bytes = g.tensorBytes(t);
            QCOMPARE(sha256(QByteArray::fromRawData(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()))),
                     e.value(QLatin1String("sha256")).toString());
        }
    }
};

QS_TEST_MAIN_SHARED(TestGgufGolden)
#include "tst_gguf_golden.moc"
