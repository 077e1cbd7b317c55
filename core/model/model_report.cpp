#include "model/model_report.h"

#include <QJsonArray>
#include <QString>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <sstream>

namespace qs {

std::string groupThousands(int64_t v)
{
    std::string digits = std::to_string(v < 0 ? -v : v);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return v < 0 ? "-" + out : out;
}

std::string humanBytes(uint64_t bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

std::string shapeText(const std::vector<int64_t> &shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

static std::string formatDouble(double d)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", d);
    return buf;
}

static std::string quoted(const std::string &s, size_t maxLen = 60)
{
    std::string out = "\"";
    for (size_t i = 0; i < s.size() && i < maxLen; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\')
            out += '\\', out += static_cast<char>(c);
        else if (c == '\n')
            out += "\\n";
        else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else
            out += static_cast<char>(c);
    }
    if (s.size() > maxLen)
        out += "…";
    return out + "\"";
}

std::string ggufValueText(const GgufValue &v, size_t maxItems)
{
    if (v.type == GgufType::String)
        return quoted(v.strings.empty() ? std::string() : v.strings[0], 200);
    if (v.type == GgufType::Bool)
        return *v.toBool() ? "true" : "false";
    if (v.type == GgufType::Float32 || v.type == GgufType::Float64)
        return formatDouble(*v.toDouble());
    if (v.type == GgufType::Uint64)
        return std::to_string(*v.toUInt());
    if (!v.isArray())
        return std::to_string(v.toInt().value_or(0));
    std::string s = "[" + std::string(ggufTypeName(v.elemType)) + " × " + groupThousands(static_cast<int64_t>(v.count)) + ": ";
    for (uint64_t i = 0; i < v.count && i < maxItems; ++i) {
        if (i)
            s += ", ";
        if (v.elemType == GgufType::String)
            s += quoted(v.strings[i], 24);
        else if (v.elemType == GgufType::Float32 || v.elemType == GgufType::Float64)
            s += formatDouble(v.arrayDouble(i));
        else
            s += std::to_string(v.arrayInt(i));
    }
    if (v.count > maxItems)
        s += ", …";
    return s + "]";
}

static QString q(const std::string &s) { return QString::fromStdString(s); }

static QJsonValue ggufValueJson(const GgufValue &v)
{
    if (v.type == GgufType::String)
        return q(v.strings.empty() ? std::string() : v.strings[0]);
    if (v.type == GgufType::Bool)
        return *v.toBool();
    if (v.type == GgufType::Float32 || v.type == GgufType::Float64)
        return *v.toDouble();
    if (v.type == GgufType::Uint64)
        return static_cast<qint64>(std::min<uint64_t>(*v.toUInt(), INT64_MAX));
    if (!v.isArray())
        return static_cast<qint64>(v.toInt().value_or(0));
    // Arrays can be 150,000 tokens long: give the length and the first few items.
    QJsonObject a;
    a[QStringLiteral("array_of")] = QLatin1String(ggufTypeName(v.elemType).data());
    a[QStringLiteral("length")] = static_cast<qint64>(v.count);
    QJsonArray first;
    for (uint64_t i = 0; i < v.count && i < 8; ++i) {
        if (v.elemType == GgufType::String)
            first.append(q(v.strings[i]));
        else if (v.elemType == GgufType::Float32 || v.elemType == GgufType::Float64)
            first.append(v.arrayDouble(i));
        else
            first.append(static_cast<qint64>(v.arrayInt(i)));
    }
    a[QStringLiteral("first")] = first;
    return a;
}

QJsonObject inspectJson(const Model &model)
{
    const Architecture &a = model.architecture();
    QJsonObject root;
    root[QStringLiteral("schema")] = QLatin1String(kInspectSchemaId);
    root[QStringLiteral("path")] = q(model.path());
    root[QStringLiteral("format")] = model.format() == ModelFormat::Gguf ? QStringLiteral("gguf") : QStringLiteral("huggingface");

    QJsonObject arch;
    arch[QStringLiteral("name")] = q(a.name);
    arch[QStringLiteral("layers")] = static_cast<qint64>(a.layers);
    arch[QStringLiteral("hidden_size")] = static_cast<qint64>(a.hiddenSize);
    arch[QStringLiteral("heads")] = static_cast<qint64>(a.heads);
    arch[QStringLiteral("kv_heads")] = static_cast<qint64>(a.kvHeads);
    arch[QStringLiteral("head_dim")] = static_cast<qint64>(a.headDim);
    arch[QStringLiteral("intermediate_size")] = static_cast<qint64>(a.intermediateSize);
    arch[QStringLiteral("vocab_size")] = static_cast<qint64>(a.vocabSize);
    arch[QStringLiteral("tied_embeddings")] = a.tiedEmbeddings;
    arch[QStringLiteral("context_length")] = static_cast<qint64>(a.contextLength);
    arch[QStringLiteral("sliding_window")] = static_cast<qint64>(a.slidingWindow);
    arch[QStringLiteral("attention_bias")] = a.attentionBias;
    arch[QStringLiteral("norm_epsilon")] = a.normEpsilon;
    QJsonObject rope;
    rope[QStringLiteral("theta")] = a.rope.theta;
    rope[QStringLiteral("scaling_type")] = q(a.rope.scalingType);
    rope[QStringLiteral("factor")] = a.rope.factor;
    rope[QStringLiteral("original_context_length")] = static_cast<qint64>(a.rope.originalContextLength);
    arch[QStringLiteral("rope")] = rope;
    arch[QStringLiteral("config_schema")] = a.configSchema;
    root[QStringLiteral("architecture")] = arch;

    root[QStringLiteral("dtype")] = q(model.predominantDtype());
    root[QStringLiteral("declared_dtype")] = q(a.dtype);
    QJsonArray shares;
    for (const auto &s : model.dtypeShares()) {
        QJsonObject o;
        o[QStringLiteral("dtype")] = q(s.dtype);
        o[QStringLiteral("tensors")] = s.tensors;
        o[QStringLiteral("elements")] = static_cast<qint64>(s.elements);
        o[QStringLiteral("bytes")] = static_cast<qint64>(s.bytes);
        shares.append(o);
    }
    root[QStringLiteral("dtypes")] = shares;
    root[QStringLiteral("parameters")] = static_cast<qint64>(model.parameterCount());
    root[QStringLiteral("tensor_count")] = static_cast<qint64>(model.tensors().size());
    root[QStringLiteral("tensor_bytes")] = static_cast<qint64>(model.tensorBytes());
    root[QStringLiteral("size_on_disk")] = static_cast<qint64>(model.sizeOnDisk());
    QJsonArray files;
    for (const auto &f : model.files())
        files.append(q(f));
    root[QStringLiteral("files")] = files;
    QJsonArray warnings;
    for (const auto &w : model.warnings())
        warnings.append(q(w));
    root[QStringLiteral("warnings")] = warnings;

    if (const GgufFile *g = model.gguf()) {
        QJsonObject gj;
        gj[QStringLiteral("version")] = static_cast<qint64>(g->version);
        gj[QStringLiteral("alignment")] = static_cast<qint64>(g->alignment);
        gj[QStringLiteral("data_offset")] = static_cast<qint64>(g->dataOffset);
        QJsonArray meta;
        for (const auto &kv : g->metadata) {
            QJsonObject e;
            e[QStringLiteral("key")] = q(kv.key);
            e[QStringLiteral("type")] = QLatin1String(ggufTypeName(kv.value.type).data());
            e[QStringLiteral("value")] = ggufValueJson(kv.value);
            meta.append(e);
        }
        gj[QStringLiteral("metadata")] = meta;
        root[QStringLiteral("gguf")] = gj;
    }

    const bool isGguf = model.format() == ModelFormat::Gguf;
    QJsonArray tensors;
    for (const auto &t : model.tensors()) {
        QJsonObject o;
        o[QStringLiteral("name")] = q(t.name);
        o[QStringLiteral("hf_name")] = isGguf ? (t.otherName.empty() ? QJsonValue() : QJsonValue(q(t.otherName))) : QJsonValue(q(t.name));
        o[QStringLiteral("gguf_name")] = isGguf ? QJsonValue(q(t.name)) : (t.otherName.empty() ? QJsonValue() : QJsonValue(q(t.otherName)));
        o[QStringLiteral("role")] = QLatin1String(roleId(t.role).data());
        o[QStringLiteral("bias")] = t.isBias;
        o[QStringLiteral("layer")] = t.layer;
        QJsonArray shape;
        for (int64_t d : t.shape)
            shape.append(static_cast<qint64>(d));
        o[QStringLiteral("shape")] = shape;
        o[QStringLiteral("dtype")] = q(t.dtype);
        o[QStringLiteral("elements")] = static_cast<qint64>(t.elements);
        o[QStringLiteral("bytes")] = static_cast<qint64>(t.bytes);
        o[QStringLiteral("file")] = t.fileIndex;
        o[QStringLiteral("offset")] = static_cast<qint64>(t.fileOffset);
        tensors.append(o);
    }
    root[QStringLiteral("tensors")] = tensors;
    return root;
}

std::string inspectText(const Model &model)
{
    const Architecture &a = model.architecture();
    const bool isGguf = model.format() == ModelFormat::Gguf;
    std::ostringstream out;
    out << "Model         " << model.path() << "\n";
    if (isGguf)
        out << "Format        GGUF v" << model.gguf()->version << ", " << model.gguf()->metadata.size()
            << " metadata keys, alignment " << model.gguf()->alignment << "\n";
    else
        out << "Format        Hugging Face safetensors, " << model.files().size()
            << (model.files().size() == 1 ? " file" : " shards") << ", config schema transformers " << a.configSchema << "\n";
    out << "Architecture  " << a.name << ", " << a.layers << " layers, hidden " << a.hiddenSize << ", " << a.heads
        << " heads / " << a.kvHeads << " KV heads";
    if (a.kvHeads > 0 && a.heads != a.kvHeads)
        out << " (GQA " << a.gqaRatio() << ":1)";
    out << ", head dim " << a.headDim << ", FFN " << a.intermediateSize << "\n";
    out << "Vocabulary    " << groupThousands(a.vocabSize) << ", context " << groupThousands(a.contextLength)
        << ", embeddings " << (a.tiedEmbeddings ? "tied" : "untied") << "\n";
    out << "RoPE          theta " << formatDouble(a.rope.theta);
    if (a.rope.scalingType != "none")
        out << ", scaling " << a.rope.scalingType << " x" << formatDouble(a.rope.factor)
            << (a.rope.originalContextLength ? " from " + std::to_string(a.rope.originalContextLength) : std::string());
    out << "; RMS norm eps " << formatDouble(a.normEpsilon) << "\n";
    const std::string &dtype = model.predominantDtype();
    out << "Parameters    " << groupThousands(model.parameterCount()) << "\n";
    out << "Storage       " << dtype << (a.dtype.empty() || isGguf ? "" : " (config: " + a.dtype + ")")
        << (isGguf && !a.dtype.empty() ? " (file type " + a.dtype + ")" : "") << ", " << model.tensors().size()
        << " tensors, " << humanBytes(model.tensorBytes()) << " of tensor data, " << humanBytes(model.sizeOnDisk())
        << " on disk\n";
    if (model.dtypeShares().size() > 1) {
        out << "Types        ";
        for (const auto &s : model.dtypeShares())
            out << " " << s.dtype << " " << humanBytes(s.bytes) << " (" << s.tensors << (s.tensors == 1 ? " tensor)" : " tensors)")
                << (&s == &model.dtypeShares().back() ? "" : ",");
        out << "\n";
    }
    for (const auto &w : model.warnings())
        out << "Warning       " << w << "\n";

    if (isGguf) {
        out << "\nMetadata\n";
        for (const auto &kv : model.gguf()->metadata)
            out << "  " << kv.key << " (" << ggufTypeName(kv.value.type) << ") = " << ggufValueText(kv.value) << "\n";
    }

    // Column widths from the data, so long names never break the table.
    size_t wName = 4, wOther = 10, wRole = 4, wShape = 5, wType = 5;
    for (const auto &t : model.tensors()) {
        wName = std::max(wName, t.name.size());
        wOther = std::max(wOther, t.otherName.size());
        wRole = std::max(wRole, roleId(t.role).size() + (t.isBias ? 7 : 0));
        wShape = std::max(wShape, shapeText(t.shape).size());
        wType = std::max(wType, t.dtype.size());
    }
    auto pad = [](const std::string &s, size_t w) { return s + std::string(w > s.size() ? w - s.size() : 0, ' '); };
    auto padLeft = [](const std::string &s, size_t w) { return std::string(w > s.size() ? w - s.size() : 0, ' ') + s; };
    out << "\n"
        << padLeft("#", 4) << "  " << pad("name", wName) << "  " << pad(isGguf ? "hf name" : "gguf name", wOther) << "  "
        << pad("role", wRole) << "  " << padLeft("layer", 5) << "  " << pad("shape", wShape) << "  " << pad("dtype", wType)
        << "  " << padLeft("params", 13) << "  " << padLeft("bytes", 13) << "\n";
    size_t i = 0;
    for (const auto &t : model.tensors()) {
        const std::string role = std::string(roleId(t.role)) + (t.isBias ? " (bias)" : "");
        out << padLeft(std::to_string(i++), 4) << "  " << pad(t.name, wName) << "  "
            << pad(t.otherName.empty() ? "-" : t.otherName, wOther) << "  " << pad(role, wRole) << "  "
            << padLeft(t.layer >= 0 ? std::to_string(t.layer) : "-", 5) << "  " << pad(shapeText(t.shape), wShape) << "  "
            << pad(t.dtype, wType) << "  " << padLeft(groupThousands(t.elements), 13) << "  "
            << padLeft(groupThousands(static_cast<int64_t>(t.bytes)), 13) << "\n";
    }
    return out.str();
}

} // namespace qs
