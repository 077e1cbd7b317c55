#include "golden_gguf.h"

#include "io/gguf.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>

namespace qs::test {

namespace {

// Python's json.dumps(value, ensure_ascii=False), which the dumps hash.
void pyString(std::string &out, const std::string &s)
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

std::string pyArray(const GgufValue &v)
{
    std::string out = "[";
    for (uint64_t i = 0; i < v.count; ++i) {
        if (i)
            out += ", ";
        if (v.elemType == GgufType::String)
            pyString(out, v.strings[i]);
        else if (v.elemType == GgufType::Float32 || v.elemType == GgufType::Float64) {
            char buf[64];
            auto res = std::to_chars(buf, buf + sizeof buf, v.arrayDouble(i));
            std::string s(buf, res.ptr);
            if (s.find_first_of(".eEn") == std::string::npos)
                s += ".0";
            out += s;
        } else if (v.elemType == GgufType::Bool)
            out += v.arrayInt(i) ? "true" : "false";
        else
            out += std::to_string(v.arrayInt(i));
    }
    return out + "]";
}

QString sha256(const QByteArray &b) { return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex()); }

} // namespace

QSet<QString> fileNamingKeys()
{
    return {QStringLiteral("general.name"), QStringLiteral("general.basename"), QStringLiteral("general.size_label"),
            QStringLiteral("quantize.imatrix.file")};
}

QStringList compareWithGoldenDump(const QString &ggufPath, const QString &dumpPath, const QSet<QString> &ignored)
{
    QStringList diffs;
    QFile df(dumpPath);
    if (!df.open(QIODevice::ReadOnly))
        return {QStringLiteral("cannot read ") + dumpPath};
    const QByteArray dumpText = df.readAll();
    const QJsonObject d = QJsonDocument::fromJson(dumpText).object();
    auto r = openGguf(ggufPath.toStdString());
    if (!r)
        return {QString::fromStdString(r.error().describe())};
    const GgufFile &g = *r;

    // metadata: the dump lists keys in file order
    const QJsonObject meta = d.value(QLatin1String("metadata")).toObject();
    QList<QPair<qsizetype, QString>> golden;
    for (auto it = meta.begin(); it != meta.end(); ++it)
        if (!ignored.contains(it.key()))
            golden.append({dumpText.indexOf("\"" + it.key().toUtf8() + "\": {"), it.key()});
    std::sort(golden.begin(), golden.end());
    QStringList goldenKeys, ourKeys;
    for (const auto &p : golden)
        goldenKeys << p.second;
    for (const auto &kv : g.metadata)
        if (!ignored.contains(QString::fromStdString(kv.key)))
            ourKeys << QString::fromStdString(kv.key);
    if (goldenKeys != ourKeys)
        diffs << QStringLiteral("metadata keys differ:\n  ours:   %1\n  golden: %2").arg(ourKeys.join(QLatin1Char(' ')), goldenKeys.join(QLatin1Char(' ')));
    for (const auto &kv : g.metadata) {
        const QString key = QString::fromStdString(kv.key);
        if (ignored.contains(key) || !meta.contains(key))
            continue;
        const QJsonObject e = meta.value(key).toObject();
        if (kv.value.isArray()) {
            if (e.value(QLatin1String("array_of")).toString() != QLatin1String(ggufTypeName(kv.value.elemType).data()) ||
                static_cast<qint64>(kv.value.count) != e.value(QLatin1String("len")).toInteger() ||
                sha256(QByteArray::fromStdString(pyArray(kv.value))) != e.value(QLatin1String("sha256_json")).toString())
                diffs << key + QStringLiteral(": array differs");
            continue;
        }
        if (e.value(QLatin1String("type")).toString() != QLatin1String(ggufTypeName(kv.value.type).data())) {
            diffs << key + QStringLiteral(": type %1, golden %2").arg(QLatin1String(ggufTypeName(kv.value.type).data()), e.value(QLatin1String("type")).toString());
            continue;
        }
        const QJsonValue v = e.value(QLatin1String("value"));
        const bool same = kv.value.type == GgufType::String ? QString::fromStdString(*kv.value.toString()) == v.toString()
                          : kv.value.type == GgufType::Bool ? *kv.value.toBool() == v.toBool()
                                                            : *kv.value.toDouble() == v.toDouble();
        if (!same)
            diffs << key + QStringLiteral(": value differs");
    }

    const QJsonArray tensors = d.value(QLatin1String("tensors")).toArray();
    if (static_cast<qsizetype>(g.tensors.size()) != tensors.size())
        diffs << QStringLiteral("%1 tensors, golden has %2").arg(g.tensors.size()).arg(tensors.size());
    for (qsizetype i = 0; i < std::min<qsizetype>(tensors.size(), static_cast<qsizetype>(g.tensors.size())); ++i) {
        const GgufTensorInfo &t = g.tensors[static_cast<size_t>(i)];
        const QJsonObject e = tensors.at(i).toObject();
        const QString name = QString::fromStdString(t.name);
        if (name != e.value(QLatin1String("name")).toString()) {
            diffs << QStringLiteral("tensor %1 is %2, golden %3").arg(i).arg(name, e.value(QLatin1String("name")).toString());
            continue;
        }
        const QString type = QString::fromLatin1(t.traits->name.data(), static_cast<qsizetype>(t.traits->name.size()));
        if (type != e.value(QLatin1String("type")).toString())
            diffs << name + QStringLiteral(": type %1, golden %2").arg(type, e.value(QLatin1String("type")).toString());
        QJsonArray shape;
        for (int64_t x : t.ne)
            shape.append(static_cast<qint64>(x));
        if (shape != e.value(QLatin1String("shape")).toArray())
            diffs << name + QStringLiteral(": shape differs");
        const auto bytes = g.tensorBytes(t);
        if (sha256(QByteArray::fromRawData(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()))) !=
            e.value(QLatin1String("sha256")).toString())
            diffs << name + QStringLiteral(": bytes differ (") + type + QLatin1Char(')');
    }
    return diffs;
}

} // namespace qs::test
