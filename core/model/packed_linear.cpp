#include "model/packed_linear.h"

#include "formats/float_conv.h"
#include "formats/int_group_pack.h"
#include "model/model.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

namespace qs {

namespace {

std::string shapeText(const std::vector<int64_t> &s)
{
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i)
        t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
}

float scaleAt(const uint8_t *base, StDtype d, int64_t i)
{
    if (d == StDtype::F32) {
        float f;
        std::memcpy(&f, base + 4 * i, 4);
        return f;
    }
    uint16_t h;
    std::memcpy(&h, base + 2 * i, 2);
    return d == StDtype::BF16 ? bf16ToFloat(h) : fp16ToFloat(h);
}

int32_t i32At(const uint8_t *base, int64_t i)
{
    int32_t v;
    std::memcpy(&v, base + 4 * i, 4);
    return v;
}

// Python's re.match: anchored at the start only, as vLLM and compressed-tensors match module names.
bool reMatch(const QString &pattern, const std::string &name)
{
    const QRegularExpression re(QStringLiteral("\\A(?:") + pattern + QStringLiteral(")"));
    return re.isValid() && re.match(QString::fromStdString(name)).hasMatch();
}

struct Scheme {
    int bits = 4;
    int groupSize = 128;
    bool sym = true;
    bool descAct = false;
    bool skip = false;
};

int jsonInt(const QJsonValue &v, int fallback) { return v.isDouble() ? v.toInt(fallback) : fallback; }

} // namespace

std::string PackedLinear::dtypeLabel() const
{
    switch (layout) {
    case PackedLayout::GptqV1:
    case PackedLayout::GptqV2: return "GPTQ-" + std::to_string(bits);
    case PackedLayout::AwqGemm: return "AWQ-" + std::to_string(bits);
    case PackedLayout::PackQuantized: return "W" + std::to_string(bits) + "A16";
    }
    return "?";
}

void PackedLinear::dequantizeRows(const std::vector<std::shared_ptr<const MappedFile>> &files, int64_t firstRow, int64_t nRows,
                                  float *out) const
{
    auto at = [&](const PackedPart &p) { return files[static_cast<size_t>(p.fileIndex)]->data() + p.fileOffset; };
    const uint8_t *qw = at(qweight), *sc = at(scales);
    const uint8_t *qz = qzeros.present ? at(qzeros) : nullptr;
    const uint8_t *gi = gIdx.present ? at(gIdx) : nullptr;
    const int64_t gs = groupSize > 0 ? groupSize : cols;
    std::vector<int32_t> group(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c)
        group[static_cast<size_t>(c)] = gi ? i32At(gi, c) : static_cast<int32_t>(c / gs);
    std::vector<float> s(static_cast<size_t>(groups));
    std::vector<int32_t> z(static_cast<size_t>(groups));
    // AutoAWQ's order inverted: output column 8w + j sits at nibble kAwqInverse[j]
    static constexpr int kAwqInverse[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    for (int64_t r = 0; r < nRows; ++r) {
        const int64_t o = firstRow + r;
        float *dst = out + r * cols;
        switch (layout) {
        case PackedLayout::GptqV1:
        case PackedLayout::GptqV2: {
            const int64_t zw = qzeros.shape[1];
            for (int64_t g = 0; g < groups; ++g) {
                s[static_cast<size_t>(g)] = scaleAt(sc, scales.dtype, g * rows + o);
                const int32_t stored = static_cast<int32_t>(streamValue(qz + 4 * g * zw, 4, o, bits));
                z[static_cast<size_t>(g)] = layout == PackedLayout::GptqV1 ? stored + 1 : stored;
            }
            for (int64_t c = 0; c < cols; ++c) {
                const int32_t g = group[static_cast<size_t>(c)];
                const int32_t code = static_cast<int32_t>(streamValue(qw + 4 * o, 4 * rows, c, bits));
                dst[c] = s[static_cast<size_t>(g)] * static_cast<float>(code - z[static_cast<size_t>(g)]);
            }
            break;
        }
        case PackedLayout::AwqGemm: {
            const int64_t wpr = rows / 8, word = o / 8;
            const int shift = 4 * kAwqInverse[o % 8];
            for (int64_t g = 0; g < groups; ++g) {
                s[static_cast<size_t>(g)] = scaleAt(sc, scales.dtype, g * rows + o);
                z[static_cast<size_t>(g)] = (i32At(qz, g * wpr + word) >> shift) & 0xF;
            }
            for (int64_t c = 0; c < cols; ++c) {
                const int32_t g = group[static_cast<size_t>(c)];
                const int32_t code = (i32At(qw, c * wpr + word) >> shift) & 0xF;
                dst[c] = s[static_cast<size_t>(g)] * static_cast<float>(code - z[static_cast<size_t>(g)]);
            }
            break;
        }
        case PackedLayout::PackQuantized: {
            const int64_t wpr = qweight.shape[1];
            for (int64_t g = 0; g < groups; ++g) {
                s[static_cast<size_t>(g)] = scaleAt(sc, scales.dtype, o * groups + g);
                z[static_cast<size_t>(g)] = symmetric ? (1 << (bits - 1)) : static_cast<int32_t>(streamValue(qz + 4 * g, 4 * groups, o, bits));
            }
            for (int64_t c = 0; c < cols; ++c) {
                const int32_t g = group[static_cast<size_t>(c)];
                const int32_t code = static_cast<int32_t>(streamValue(qw + 4 * o * wpr, 4, c, bits));
                dst[c] = s[static_cast<size_t>(g)] * static_cast<float>(code - z[static_cast<size_t>(g)]);
            }
            break;
        }
        }
    }
}

Result<CheckpointQuantization> parseCheckpointQuantization(const QJsonObject &configJson, const std::string &configPath)
{
    CheckpointQuantization q;
    const QJsonValue v = configJson.value(QStringLiteral("quantization_config"));
    if (v.isUndefined() || v.isNull())
        return q;
    if (!v.isObject())
        return makeError("quantization_config is not an object").inFile(configPath);
    const QString method = v.toObject().value(QStringLiteral("quant_method")).toString();
    if (method == QLatin1String("gptq") || method == QLatin1String("awq") || method == QLatin1String("compressed-tensors")) {
        q.present = true;
        q.config = v.toObject();
    }
    return q;
}

Status resolvePackedLinears(const CheckpointQuantization &q, std::vector<ModelTensor> &tensors,
                            const std::vector<std::shared_ptr<const MappedFile>> &maps, const std::vector<std::string> &files,
                            std::vector<PackedLinear> &packed)
{
    if (!q.present)
        return okStatus();
    const QJsonObject &c = q.config;
    const QString method = c.value(QStringLiteral("quant_method")).toString();
    const std::string configPath = "config.json quantization_config";
    auto cfgError = [&](const std::string &m) { return makeError(m).inFile(configPath); };

    PackedLayout layout = PackedLayout::GptqV1;
    std::string mainSuffix;
    Scheme base;
    std::vector<std::pair<QString, Scheme>> dynamic; // GPTQ: "+:"/"-:" rules (QJsonObject order: alphabetical)
    std::vector<std::pair<std::vector<QString>, Scheme>> ctGroups;
    std::vector<QString> ctIgnore;

    if (method == QLatin1String("gptq")) {
        mainSuffix = ".qweight";
        const QString fmt = c.value(QStringLiteral("checkpoint_format")).toString(QStringLiteral("gptq"));
        if (fmt == QLatin1String("gptq_v2"))
            layout = PackedLayout::GptqV2;
        else if (fmt != QLatin1String("gptq") && !fmt.isEmpty())
            return cfgError("checkpoint_format \"" + fmt.toStdString() + "\" is not a GPTQ layout Quantscope reads (gptq, gptq_v2)");
        base.bits = jsonInt(c.value(QStringLiteral("bits")), -1);
        base.groupSize = jsonInt(c.value(QStringLiteral("group_size")), 0);
        base.sym = c.value(QStringLiteral("sym")).toBool(true);
        base.descAct = c.value(QStringLiteral("desc_act")).toBool(false);
        const QJsonObject dyn = c.value(QStringLiteral("dynamic")).toObject();
        for (auto it = dyn.begin(); it != dyn.end(); ++it) {
            Scheme s = base;
            QString pattern = it.key();
            if (pattern.startsWith(QLatin1String("-:"))) {
                s.skip = true;
                pattern = pattern.mid(2);
            } else {
                if (pattern.startsWith(QLatin1String("+:")))
                    pattern = pattern.mid(2);
                const QJsonObject o = it.value().toObject();
                s.bits = jsonInt(o.value(QStringLiteral("bits")), s.bits);
                s.groupSize = jsonInt(o.value(QStringLiteral("group_size")), s.groupSize);
                s.sym = o.value(QStringLiteral("sym")).toBool(s.sym);
                s.descAct = o.value(QStringLiteral("desc_act")).toBool(s.descAct);
            }
            if (!QRegularExpression(pattern).isValid())
                return cfgError("dynamic rule \"" + it.key().toStdString() + "\" is not a valid regular expression");
            dynamic.push_back({pattern, s});
        }
    } else if (method == QLatin1String("awq")) {
        layout = PackedLayout::AwqGemm;
        mainSuffix = ".qweight";
        const QString version = c.value(QStringLiteral("version")).toString(QStringLiteral("gemm")).toLower();
        if (version != QLatin1String("gemm"))
            return cfgError("AWQ version \"" + version.toStdString() + "\" is not read; Quantscope reads the GEMM layout");
        base.bits = jsonInt(c.value(QStringLiteral("bits")), jsonInt(c.value(QStringLiteral("w_bit")), -1));
        base.groupSize = jsonInt(c.value(QStringLiteral("group_size")), jsonInt(c.value(QStringLiteral("q_group_size")), 0));
        base.sym = false;
    } else {
        layout = PackedLayout::PackQuantized;
        mainSuffix = ".weight_packed";
        const QString fmt = c.value(QStringLiteral("format")).toString();
        if (fmt != QLatin1String("pack-quantized"))
            return cfgError("compressed-tensors format \"" + fmt.toStdString() + "\" is not read; Quantscope reads pack-quantized");
        const QJsonObject groups = c.value(QStringLiteral("config_groups")).toObject();
        for (auto it = groups.begin(); it != groups.end(); ++it) {
            const QJsonObject g = it.value().toObject();
            const QJsonObject w = g.value(QStringLiteral("weights")).toObject();
            if (g.contains(QStringLiteral("format")) && !g.value(QStringLiteral("format")).isNull() &&
                g.value(QStringLiteral("format")).toString() != QLatin1String("pack-quantized"))
                return cfgError("config group " + it.key().toStdString() + " is not pack-quantized");
            if (w.value(QStringLiteral("type")).toString(QStringLiteral("int")) != QLatin1String("int"))
                return cfgError("config group " + it.key().toStdString() + " quantizes weights to floats, not integers");
            Scheme s;
            s.bits = jsonInt(w.value(QStringLiteral("num_bits")), -1);
            s.sym = w.value(QStringLiteral("symmetric")).toBool(true);
            const QString strategy = w.value(QStringLiteral("strategy")).toString();
            if (strategy == QLatin1String("group"))
                s.groupSize = jsonInt(w.value(QStringLiteral("group_size")), 0);
            else if (strategy == QLatin1String("channel"))
                s.groupSize = -1;
            else
                return cfgError("config group " + it.key().toStdString() + " has weight strategy \"" + strategy.toStdString() +
                                "\"; pack-quantized is read for group and channel");
            const QJsonValue ao = w.value(QStringLiteral("actorder"));
            s.descAct = ao.isString() || (ao.isBool() && ao.toBool());
            std::vector<QString> targets;
            for (const QJsonValue t : g.value(QStringLiteral("targets")).toArray())
                targets.push_back(t.toString());
            ctGroups.push_back({targets, s});
        }
        for (const QJsonValue t : c.value(QStringLiteral("ignore")).toArray())
            ctIgnore.push_back(t.toString());
    }

    // compressed-tensors' matching: "re:" regex (re.match), else exact name, or "Linear" (every packed module is one)
    auto ctMatches = [](const QString &target, const std::string &module) {
        if (target.startsWith(QLatin1String("re:")))
            return reMatch(target.mid(3), module);
        return target == QLatin1String("Linear") || target.toStdString() == module;
    };

    std::map<std::string, size_t> byName;
    for (size_t i = 0; i < tensors.size(); ++i)
        byName[tensors[i].name] = i;
    std::vector<bool> consumed(tensors.size(), false);
    std::vector<ModelTensor> logical;

    for (size_t ti = 0; ti < tensors.size(); ++ti) {
        const ModelTensor &mainT = tensors[ti];
        if (!mainT.name.ends_with(mainSuffix))
            continue;
        PackedLinear p;
        p.layout = layout;
        p.module = mainT.name.substr(0, mainT.name.size() - mainSuffix.size());
        auto fail = [&](const std::string &tensorName, const std::string &m) {
            Error e = makeError(m).forTensor(tensorName);
            if (auto it = byName.find(tensorName); it != byName.end())
                e.inFile(files[static_cast<size_t>(tensors[it->second].fileIndex)]);
            return e;
        };
        auto part = [&](const std::string &suffix) {
            PackedPart pp;
            pp.name = p.module + suffix;
            if (auto it = byName.find(pp.name); it != byName.end()) {
                const ModelTensor &t = tensors[it->second];
                pp.present = true;
                pp.dtype = t.stDtype;
                pp.shape = t.shape;
                pp.fileIndex = t.fileIndex;
                pp.fileOffset = t.fileOffset;
                pp.bytes = t.bytes;
                consumed[it->second] = true;
            }
            return pp;
        };
        auto need = [&](const PackedPart &pp, StDtype dtype, size_t dims) -> Status {
            if (!pp.present)
                return fail(pp.name, "missing: the " + method.toStdString() + " layout needs it beside " + mainT.name);
            if (pp.dtype != dtype)
                return fail(pp.name, "is " + std::string(dtypeName(pp.dtype)) + " but the " + method.toStdString() + " layout stores " +
                                         std::string(dtypeName(dtype)));
            if (pp.shape.size() != dims)
                return fail(pp.name, "has shape " + shapeText(pp.shape) + "; expected " + std::to_string(dims) + " dimensions");
            return okStatus();
        };
        auto needFloat = [&](const PackedPart &pp, size_t dims) -> Status {
            if (!pp.present)
                return fail(pp.name, "missing: the " + method.toStdString() + " layout needs it beside " + mainT.name);
            if (pp.dtype != StDtype::F16 && pp.dtype != StDtype::BF16 && pp.dtype != StDtype::F32)
                return fail(pp.name, "scales are " + std::string(dtypeName(pp.dtype)) + "; expected F16 (or BF16, F32)");
            if (pp.shape.size() != dims)
                return fail(pp.name, "has shape " + shapeText(pp.shape) + "; expected " + std::to_string(dims) + " dimensions");
            return okStatus();
        };
        auto mapOf = [&](const PackedPart &pp) { return maps[static_cast<size_t>(pp.fileIndex)]->data() + pp.fileOffset; };
        auto expectGroups = [&](int64_t in, const Scheme &s) -> int64_t {
            return s.groupSize > 0 ? (in + s.groupSize - 1) / s.groupSize : 1;
        };

        Scheme s = base;
        if (layout == PackedLayout::PackQuantized) {
            for (const QString &ig : ctIgnore)
                if (ctMatches(ig, p.module))
                    return fail(mainT.name, "quantization_config ignores this module, yet it is stored packed");
            bool found = false;
            for (const auto &[targets, gs] : ctGroups) {
                for (const QString &t : targets)
                    found = found || ctMatches(t, p.module);
                if (found) {
                    s = gs;
                    break;
                }
            }
            if (!found)
                return fail(mainT.name, "no config group of quantization_config targets this module");
        } else {
            for (const auto &[pattern, ds] : dynamic)
                if (reMatch(pattern, p.module)) {
                    s = ds;
                    break;
                }
            if (s.skip)
                return fail(mainT.name, "quantization_config's dynamic rules skip this module, yet it is stored packed");
        }
        if (s.bits != 2 && s.bits != 3 && s.bits != 4 && s.bits != 8)
            return fail(mainT.name, "quantization_config gives " + std::to_string(s.bits) + " bits; expected 2, 3, 4 or 8");
        if (s.groupSize == 0 || s.groupSize < -1)
            return fail(mainT.name, "quantization_config gives group size " + std::to_string(s.groupSize) + "; expected a positive size or -1");
        p.bits = s.bits;
        p.groupSize = s.groupSize;
        p.symmetric = s.sym;

        if (layout == PackedLayout::GptqV1 || layout == PackedLayout::GptqV2) {
            p.qweight = part(".qweight");
            p.qzeros = part(".qzeros");
            p.scales = part(".scales");
            p.gIdx = part(".g_idx");
            for (auto st : {need(p.qweight, StDtype::I32, 2), need(p.gIdx, StDtype::I32, 1), needFloat(p.scales, 2), need(p.qzeros, StDtype::I32, 2)})
                if (!st)
                    return st;
            p.cols = p.gIdx.shape[0];
            p.rows = p.qweight.shape[1];
            if (p.cols <= 0 || p.rows <= 0)
                return fail(p.qweight.name, "is empty");
            if (p.qweight.shape[0] * 32 != p.cols * s.bits)
                return fail(p.qweight.name, "has " + std::to_string(p.qweight.shape[0]) + " rows, but " + std::to_string(p.cols) +
                                                " input columns (g_idx) at " + std::to_string(s.bits) + " bits pack into " +
                                                std::to_string(p.cols * s.bits / 32.0) + ": does quantization_config's bits match the tensors?");
            p.groups = expectGroups(p.cols, s);
            if (p.scales.shape[0] != p.groups || p.scales.shape[1] != p.rows)
                return fail(p.scales.name, "has shape " + shapeText(p.scales.shape) + "; group_size " + std::to_string(s.groupSize) + " over " +
                                               std::to_string(p.cols) + " input columns and " + std::to_string(p.rows) +
                                               " outputs needs [" + std::to_string(p.groups) + ", " + std::to_string(p.rows) + "]");
            if (p.qzeros.shape[0] != p.groups || p.qzeros.shape[1] * 32 != p.rows * s.bits)
                return fail(p.qzeros.name, "has shape " + shapeText(p.qzeros.shape) + "; expected [" + std::to_string(p.groups) + ", " +
                                               std::to_string(p.rows * s.bits / 32.0) + "]");
            const uint8_t *gi = mapOf(p.gIdx);
            const int64_t gsz = s.groupSize > 0 ? s.groupSize : p.cols;
            for (int64_t col = 0; col < p.cols; ++col) {
                const int32_t g = i32At(gi, col);
                if (g < 0 || g >= p.groups)
                    return fail(p.gIdx.name, "column " + std::to_string(col) + " names group " + std::to_string(g) + " of " + std::to_string(p.groups));
                if (!s.descAct && g != col / gsz)
                    return fail(p.gIdx.name, "desc_act is false but column " + std::to_string(col) + " is in group " + std::to_string(g) +
                                                 ", not column / group_size = " + std::to_string(col / gsz));
            }
        } else if (layout == PackedLayout::AwqGemm) {
            if (s.bits != 4)
                return fail(mainT.name, "AWQ GEMM stores 4-bit codes; quantization_config says " + std::to_string(s.bits) + " bits");
            p.qweight = part(".qweight");
            p.qzeros = part(".qzeros");
            p.scales = part(".scales");
            for (auto st : {need(p.qweight, StDtype::I32, 2), needFloat(p.scales, 2), need(p.qzeros, StDtype::I32, 2)})
                if (!st)
                    return st;
            p.cols = p.qweight.shape[0];
            p.rows = p.scales.shape[1];
            if (p.cols <= 0 || p.rows <= 0 || p.qweight.shape[1] * 8 != p.rows)
                return fail(p.qweight.name, "has shape " + shapeText(p.qweight.shape) + " but the scales give " + std::to_string(p.rows) +
                                                " outputs, 8 per int32 word: expected [in, " + std::to_string(p.rows / 8.0) + "]");
            p.groups = expectGroups(p.cols, s);
            if (s.groupSize > 0 && p.cols % s.groupSize != 0)
                return fail(p.qweight.name, std::to_string(p.cols) + " input columns do not split into groups of " + std::to_string(s.groupSize));
            if (p.scales.shape[0] != p.groups)
                return fail(p.scales.name, "has " + std::to_string(p.scales.shape[0]) + " groups; group_size " + std::to_string(s.groupSize) +
                                               " over " + std::to_string(p.cols) + " input columns gives " + std::to_string(p.groups));
            if (p.qzeros.shape[0] != p.groups || p.qzeros.shape[1] * 8 != p.rows)
                return fail(p.qzeros.name, "has shape " + shapeText(p.qzeros.shape) + "; expected [" + std::to_string(p.groups) + ", " +
                                               std::to_string(p.rows / 8) + "]");
        } else {
            if (32 % s.bits != 0)
                return fail(mainT.name, "pack-quantized with " + std::to_string(s.bits) + " bits is not read (2, 4 or 8)");
            const int pf = 32 / s.bits;
            p.qweight = part(".weight_packed");
            p.scales = part(".weight_scale");
            p.qzeros = part(".weight_zero_point");
            p.gIdx = part(".weight_g_idx");
            const PackedPart shape = part(".weight_shape");
            if (!shape.present)
                return fail(shape.name, "missing: pack-quantized stores the unpacked shape beside " + mainT.name);
            if ((shape.dtype != StDtype::I64 && shape.dtype != StDtype::I32) || shape.shape != std::vector<int64_t>{2})
                return fail(shape.name, "is " + std::string(dtypeName(shape.dtype)) + " " + shapeText(shape.shape) + "; expected I64 [2]");
            const uint8_t *sp = mapOf(shape);
            int64_t dims[2];
            for (int i = 0; i < 2; ++i) {
                if (shape.dtype == StDtype::I64)
                    std::memcpy(&dims[i], sp + 8 * i, 8);
                else
                    dims[i] = i32At(sp, i);
            }
            for (auto st : {need(p.qweight, StDtype::I32, 2), needFloat(p.scales, 2)})
                if (!st)
                    return st;
            if (dims[0] <= 0 || dims[1] <= 0 || dims[0] > (int64_t(1) << 40) || dims[1] > (int64_t(1) << 40))
                return fail(shape.name, "holds [" + std::to_string(dims[0]) + ", " + std::to_string(dims[1]) + "], not a weight shape");
            p.rows = dims[0];
            p.cols = dims[1];
            if (p.rows <= 0 || p.cols <= 0 || p.qweight.shape[0] != p.rows || p.qweight.shape[1] != (p.cols + pf - 1) / pf)
                return fail(p.qweight.name, "has shape " + shapeText(p.qweight.shape) + " but weight_shape is [" + std::to_string(dims[0]) +
                                                ", " + std::to_string(dims[1]) + "] at " + std::to_string(s.bits) + " bits");
            p.groups = expectGroups(p.cols, s);
            if (p.scales.shape[0] != p.rows || p.scales.shape[1] != p.groups)
                return fail(p.scales.name, "has shape " + shapeText(p.scales.shape) + "; expected [" + std::to_string(p.rows) + ", " +
                                               std::to_string(p.groups) + "] for group size " + std::to_string(s.groupSize));
            if (!s.sym) {
                if (auto st = need(p.qzeros, StDtype::I32, 2); !st)
                    return st;
                if (p.qzeros.shape[0] != (p.rows + pf - 1) / pf || p.qzeros.shape[1] != p.groups)
                    return fail(p.qzeros.name, "has shape " + shapeText(p.qzeros.shape) + "; expected [" +
                                                   std::to_string((p.rows + pf - 1) / pf) + ", " + std::to_string(p.groups) + "]");
            } else {
                p.qzeros.present = false;
            }
            if (s.descAct && !p.gIdx.present)
                return fail(p.module + ".weight_g_idx", "missing: the config group uses actorder, which stores a g_idx");
            if (p.gIdx.present) {
                if (auto st = need(p.gIdx, StDtype::I32, 1); !st)
                    return st;
                if (p.gIdx.shape[0] != p.cols)
                    return fail(p.gIdx.name, "has " + std::to_string(p.gIdx.shape[0]) + " entries for " + std::to_string(p.cols) + " input columns");
                const uint8_t *gi = mapOf(p.gIdx);
                for (int64_t col = 0; col < p.cols; ++col) {
                    const int32_t g = i32At(gi, col);
                    if (g < 0 || g >= p.groups)
                        return fail(p.gIdx.name, "column " + std::to_string(col) + " names group " + std::to_string(g) + " of " +
                                                     std::to_string(p.groups));
                }
            }
        }

        const std::string name = p.module + ".weight";
        if (byName.count(name))
            return fail(name, "is stored both unquantized and packed");
        ModelTensor lt;
        lt.name = name;
        const TensorNameInfo info = describeHfName(name);
        lt.otherName = info.otherName;
        lt.role = info.role;
        lt.layer = info.layer;
        lt.isBias = false;
        lt.shape = {p.rows, p.cols};
        lt.dtype = p.dtypeLabel();
        lt.elements = p.rows * p.cols;
        for (const PackedPart *pp : {&p.qweight, &p.qzeros, &p.scales, &p.gIdx})
            if (pp->present)
                lt.bytes += pp->bytes;
        lt.fileIndex = p.qweight.fileIndex;
        lt.fileOffset = p.qweight.fileOffset;
        lt.stDtype = StDtype::I32;
        lt.packed = static_cast<int>(packed.size());
        consumed[ti] = true;
        packed.push_back(std::move(p));
        logical.push_back(std::move(lt));
    }
    if (packed.empty())
        return makeError("quantization_config says " + method.toStdString() + " but no tensor is stored packed (no *" + mainSuffix + ")")
            .inFile(configPath);
    // Parts left over name modules without their main tensor ("...q_proj.qzeros" without "...q_proj.qweight").
    for (size_t i = 0; i < tensors.size(); ++i) {
        if (consumed[i])
            continue;
        const std::string &n = tensors[i].name;
        for (const char *suffix : {".qzeros", ".scales", ".g_idx", ".weight_scale", ".weight_zero_point", ".weight_g_idx", ".weight_shape"})
            if (n.ends_with(suffix) && !(std::string(suffix) == ".scales" && layout == PackedLayout::PackQuantized))
                return makeError(std::string("a quantization part without its packed weight (") + mainSuffix + ")")
                    .forTensor(n)
                    .inFile(files[static_cast<size_t>(tensors[i].fileIndex)]);
    }
    std::vector<ModelTensor> kept;
    for (size_t i = 0; i < tensors.size(); ++i)
        if (!consumed[i])
            kept.push_back(std::move(tensors[i]));
    for (auto &t : logical)
        kept.push_back(std::move(t));
    tensors = std::move(kept);
    return okStatus();
}

} // namespace qs
