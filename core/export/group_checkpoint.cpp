#include "export/group_checkpoint.h"

#include "formats/float_conv.h"
#include "formats/int_group_pack.h"
#include "io/atomic_file.h"
#include "io/safetensors_writer.h"
#include "io/small_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>

namespace qs {

const char *groupCheckpointFormatName(GroupCheckpointFormat f)
{
    switch (f) {
    case GroupCheckpointFormat::Gptq: return "gptq";
    case GroupCheckpointFormat::AwqGemm: return "awq";
    case GroupCheckpointFormat::CompressedTensors: return "compressed-tensors";
    }
    return "?";
}

Result<GroupCheckpointFormat> parseGroupCheckpointFormat(const std::string &name)
{
    for (auto f : {GroupCheckpointFormat::Gptq, GroupCheckpointFormat::AwqGemm, GroupCheckpointFormat::CompressedTensors})
        if (name == groupCheckpointFormatName(f))
            return f;
    return makeError("unknown checkpoint format \"" + name + "\" (expected gptq, awq or compressed-tensors)");
}

namespace {

QString qstr(const std::string &s) { return QString::fromStdString(s); }

std::string joinPath(const std::string &dir, const std::string &name) { return dir + "/" + name; }

// One tensor of the output and how to produce its bytes.
struct OutTensor {
    SafetensorsTensorSpec spec;
    std::function<Status(std::vector<uint8_t> &)> produce;
};

// The module (the weight name without ".weight"): what quantization configs name.
std::string moduleOf(const std::string &weightName) { return weightName.substr(0, weightName.size() - 7); }

// A group format as the configs describe a module.
struct ModuleScheme {
    int bits = 4;
    int groupSize = 128;
    bool sym = false;
    bool actOrder = false;
    bool operator==(const ModuleScheme &) const = default;
    auto operator<=>(const ModuleScheme &) const = default;
};

bool trivialGroups(const GroupQuantizedTensor &q)
{
    const int64_t g = q.format.groupSize > 0 ? q.format.groupSize : q.cols;
    for (int64_t c = 0; c < q.cols; ++c)
        if (q.gIdx[static_cast<size_t>(c)] != c / g)
            return false;
    return true;
}

Status checkResult(const std::string &name, const GroupQuantizedTensor &q, const ModelTensor &src, GroupCheckpointFormat fmt)
{
    auto fail = [&](const std::string &m) { return Error(makeError(m)).forTensor(name); };
    if (src.shape.size() != 2 || src.shape[0] != q.rows || src.shape[1] != q.cols)
        return fail("the result is " + std::to_string(q.rows) + " x " + std::to_string(q.cols) +
                    " but the source weight is not a matrix of that shape");
    if (!q.consistent())
        return fail("the result's codes, scales, zeros and g_idx disagree in size or range");
    const int bits = q.format.bits;
    const int64_t groups = q.groups();
    const int gs = q.format.groupSize;
    if (gs > 0 && (q.cols % gs != 0 || groups != q.cols / gs))
        return fail("group size " + std::to_string(gs) + " needs " + std::to_string(q.cols / std::max(gs, 1)) +
                    " whole groups of the " + std::to_string(q.cols) + " input columns; the result has " + std::to_string(groups));
    if (gs <= 0 && groups != 1)
        return fail("a per-channel result has one group per row, this one " + std::to_string(groups));
    const int32_t maxq = (1 << bits) - 1;
    switch (fmt) {
    case GroupCheckpointFormat::Gptq:
        if (bits != 2 && bits != 3 && bits != 4 && bits != 8)
            return fail("GPTQ checkpoints hold 2, 3, 4 or 8 bits, not " + std::to_string(bits));
        if (packedWords(q.cols, bits) < 0 || packedWords(q.rows, bits) < 0)
            return fail("GPTQ packs whole int32 words: " + std::to_string(q.cols) + " input and " + std::to_string(q.rows) +
                        " output features at " + std::to_string(bits) + " bits do not fill them");
        for (int64_t i = 0; i < static_cast<int64_t>(q.zeros.size()); ++i)
            if (q.zeros[static_cast<size_t>(i)] < 1 || q.zeros[static_cast<size_t>(i)] > maxq + 1)
                return fail("zero point " + std::to_string(q.zeros[static_cast<size_t>(i)]) + " of row " + std::to_string(i / groups) +
                            ", group " + std::to_string(i % groups) + " cannot be stored as GPTQ v1's zero - 1 in " +
                            std::to_string(bits) + " bits (use the symmetric format or compressed-tensors)");
        break;
    case GroupCheckpointFormat::AwqGemm:
        if (bits != 4)
            return fail("AWQ GEMM checkpoints are 4-bit; this result is " + std::to_string(bits) + "-bit (use gptq or compressed-tensors)");
        if (q.rows % 8 != 0)
            return fail("AWQ GEMM packs 8 output features per word; " + std::to_string(q.rows) + " is not a multiple of 8");
        if (!trivialGroups(q))
            return fail("AWQ checkpoints have no g_idx, so act-order (columns out of group order) cannot be stored");
        for (int32_t z : q.zeros)
            if (z > maxq)
                return fail("zero point " + std::to_string(z) + " does not fit in 4 bits");
        break;
    case GroupCheckpointFormat::CompressedTensors:
        if (bits != 4 && bits != 8)
            return fail("pack-quantized is written for 4 and 8 bits (W4A16, W8A16); this result is " + std::to_string(bits) + "-bit");
        for (int32_t z : q.zeros) {
            if (z > maxq)
                return fail("zero point " + std::to_string(z) + " does not fit in " + std::to_string(bits) + " bits");
            if (q.format.symmetric && z != (1 << (bits - 1)))
                return fail("a symmetric result must have every zero at " + std::to_string(1 << (bits - 1)) + "; found " + std::to_string(z));
        }
        break;
    }
    return okStatus();
}

ModuleScheme schemeOf(const GroupQuantizedTensor &q)
{
    return {q.format.bits, q.format.groupSize > 0 ? q.format.groupSize : -1, q.format.symmetric, !trivialGroups(q)};
}

void putU16(std::vector<uint8_t> &out, size_t i, uint16_t v) { std::memcpy(out.data() + 2 * i, &v, 2); }

// ---- the three layouts -------------------------------------------------------------------------------------------

void addGptq(std::vector<OutTensor> &out, const std::string &module, const GroupQuantizedTensor &q)
{
    const int bits = q.format.bits;
    const int64_t in = q.cols, outF = q.rows, G = q.groups();
    const int64_t wordRows = packedWords(in, bits), zeroCols = packedWords(outF, bits);
    out.push_back({{module + ".qweight", StDtype::I32, {wordRows, outF}}, [&q, bits, in, outF, wordRows](std::vector<uint8_t> &b) {
                       std::vector<uint32_t> w(static_cast<size_t>(wordRows * outF), 0);
                       for (int64_t o = 0; o < outF; ++o)
                           for (int64_t c = 0; c < in; ++c)
                               streamPut(w.data() + o, outF, c, bits, q.codes[static_cast<size_t>(o * in + c)]);
                       b.resize(w.size() * 4);
                       std::memcpy(b.data(), w.data(), b.size());
                       return okStatus();
                   }});
    out.push_back({{module + ".qzeros", StDtype::I32, {G, zeroCols}}, [&q, bits, outF, G, zeroCols](std::vector<uint8_t> &b) {
                       std::vector<uint32_t> w(static_cast<size_t>(G * zeroCols), 0);
                       const uint32_t mask = (1u << bits) - 1u;
                       for (int64_t g = 0; g < G; ++g)
                           for (int64_t o = 0; o < outF; ++o) // v1: the stored zero is one less (GPTQModel's "gptq" format)
                               streamPut(w.data() + g * zeroCols, 1, o, bits,
                                         static_cast<uint32_t>(q.zeros[static_cast<size_t>(o * G + g)] - 1) & mask);
                       b.resize(w.size() * 4);
                       std::memcpy(b.data(), w.data(), b.size());
                       return okStatus();
                   }});
    out.push_back({{module + ".scales", StDtype::F16, {G, outF}}, [&q, outF, G](std::vector<uint8_t> &b) {
                       b.resize(static_cast<size_t>(G * outF * 2));
                       for (int64_t g = 0; g < G; ++g)
                           for (int64_t o = 0; o < outF; ++o)
                               putU16(b, static_cast<size_t>(g * outF + o), floatToFp16(q.scales[static_cast<size_t>(o * G + g)]));
                       return okStatus();
                   }});
    out.push_back({{module + ".g_idx", StDtype::I32, {in}}, [&q](std::vector<uint8_t> &b) {
                       b.resize(q.gIdx.size() * 4);
                       std::memcpy(b.data(), q.gIdx.data(), b.size());
                       return okStatus();
                   }});
}

void addAwq(std::vector<OutTensor> &out, const std::string &module, const GroupQuantizedTensor &q)
{
    const int64_t in = q.cols, outF = q.rows, G = q.groups(), wpr = outF / 8;
    // AutoAWQ: nibble i of word w holds output column 8*w + order[i]
    auto pack = [wpr](const auto &value, int64_t rows, std::vector<uint8_t> &b) {
        std::vector<uint32_t> w(static_cast<size_t>(rows * wpr), 0);
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t j = 0; j < wpr; ++j) {
                uint32_t word = 0;
                for (int i = 0; i < 8; ++i)
                    word |= static_cast<uint32_t>(value(r, j * 8 + kAwqOrder[static_cast<size_t>(i)])) << (4 * i);
                w[static_cast<size_t>(r * wpr + j)] = word;
            }
        b.resize(w.size() * 4);
        std::memcpy(b.data(), w.data(), b.size());
    };
    out.push_back({{module + ".qweight", StDtype::I32, {in, wpr}}, [&q, pack, in](std::vector<uint8_t> &b) {
                       pack([&](int64_t i, int64_t o) { return q.codes[static_cast<size_t>(o * in + i)]; }, in, b);
                       return okStatus();
                   }});
    out.push_back({{module + ".qzeros", StDtype::I32, {G, wpr}}, [&q, pack, G](std::vector<uint8_t> &b) {
                       pack([&](int64_t g, int64_t o) { return q.zeros[static_cast<size_t>(o * G + g)]; }, G, b);
                       return okStatus();
                   }});
    out.push_back({{module + ".scales", StDtype::F16, {G, outF}}, [&q, outF, G](std::vector<uint8_t> &b) {
                       b.resize(static_cast<size_t>(G * outF * 2));
                       for (int64_t g = 0; g < G; ++g)
                           for (int64_t o = 0; o < outF; ++o)
                               putU16(b, static_cast<size_t>(g * outF + o), floatToFp16(q.scales[static_cast<size_t>(o * G + g)]));
                       return okStatus();
                   }});
}

void addCompressed(std::vector<OutTensor> &out, const std::string &module, const GroupQuantizedTensor &q, bool writeGIdx)
{
    const int bits = q.format.bits, pf = 32 / bits;
    const int64_t in = q.cols, outF = q.rows, G = q.groups();
    const int64_t wpr = (in + pf - 1) / pf, zRows = (outF + pf - 1) / pf;
    out.push_back({{module + ".weight_packed", StDtype::I32, {outF, wpr}}, [&q, bits, in, outF, wpr](std::vector<uint8_t> &b) {
                       std::vector<uint32_t> w(static_cast<size_t>(outF * wpr), 0);
                       for (int64_t o = 0; o < outF; ++o)
                           for (int64_t c = 0; c < in; ++c)
                               streamPut(w.data() + o * wpr, 1, c, bits, q.codes[static_cast<size_t>(o * in + c)]);
                       b.resize(w.size() * 4);
                       std::memcpy(b.data(), w.data(), b.size());
                       return okStatus();
                   }});
    out.push_back({{module + ".weight_scale", StDtype::F16, {outF, G}}, [&q](std::vector<uint8_t> &b) {
                       b.resize(q.scales.size() * 2);
                       for (size_t i = 0; i < q.scales.size(); ++i)
                           putU16(b, i, floatToFp16(q.scales[i]));
                       return okStatus();
                   }});
    if (!q.format.symmetric)
        out.push_back({{module + ".weight_zero_point", StDtype::I32, {zRows, G}}, [&q, bits, outF, G, zRows](std::vector<uint8_t> &b) {
                           // compressed-tensors pack_to_int32(zero_point, packed_dim=0): along the output dimension
                           std::vector<uint32_t> w(static_cast<size_t>(zRows * G), 0);
                           for (int64_t g = 0; g < G; ++g)
                               for (int64_t o = 0; o < outF; ++o)
                                   streamPut(w.data() + g, G, o, bits, static_cast<uint32_t>(q.zeros[static_cast<size_t>(o * G + g)]));
                           b.resize(w.size() * 4);
                           std::memcpy(b.data(), w.data(), b.size());
                           return okStatus();
                       }});
    if (writeGIdx)
        out.push_back({{module + ".weight_g_idx", StDtype::I32, {in}}, [&q](std::vector<uint8_t> &b) {
                           b.resize(q.gIdx.size() * 4);
                           std::memcpy(b.data(), q.gIdx.data(), b.size());
                           return okStatus();
                       }});
    out.push_back({{module + ".weight_shape", StDtype::I64, {2}}, [outF, in](std::vector<uint8_t> &b) {
                       const int64_t s[2] = {outF, in};
                       b.resize(16);
                       std::memcpy(b.data(), s, 16);
                       return okStatus();
                   }});
}

// ---- configs ----------------------------------------------------------------------------------------------------

// A module name as a regular expression matching exactly it (what vLLM's re.match sees is the module prefix).
QString exactPattern(const std::string &module)
{
    return QRegularExpression::escape(qstr(module)) + QStringLiteral("$");
}

// vLLM fuses q/k/v and gate/up into one Linear and asks about the fused name ("...qkv_proj"); a per-module rule
// only reaches it if it also matches the fused name, so siblings that agree share one pattern covering both.
struct Fusion {
    std::vector<std::string> parts;
    std::string fused;
};
const Fusion kFusions[] = {{{"q_proj", "k_proj", "v_proj"}, "qkv_proj"}, {{"gate_proj", "up_proj"}, "gate_up_proj"}};

// module -> value (a scheme, or "skip"), grouped into patterns: returns pattern -> value
template <class V>
std::vector<std::pair<QString, V>> modulePatterns(const std::map<std::string, V> &byModule)
{
    std::vector<std::pair<QString, V>> out;
    std::set<std::string> done;
    for (const auto &[module, value] : byModule) {
        if (done.count(module))
            continue;
        const auto dot = module.find_last_of('.');
        const std::string parent = dot == std::string::npos ? std::string() : module.substr(0, dot + 1);
        const std::string leaf = dot == std::string::npos ? module : module.substr(dot + 1);
        bool fusedOut = false;
        for (const Fusion &f : kFusions) {
            if (std::find(f.parts.begin(), f.parts.end(), leaf) == f.parts.end())
                continue;
            bool all = true;
            for (const std::string &p : f.parts) {
                auto it = byModule.find(parent + p);
                all = all && it != byModule.end() && it->second == value;
            }
            if (!all)
                break;
            QString alt;
            for (const std::string &p : f.parts) {
                alt += qstr(p.substr(0, p.size() - 5)) + QLatin1Char('|');
                done.insert(parent + p);
            }
            alt += qstr(f.fused.substr(0, f.fused.size() - 5));
            out.push_back({QRegularExpression::escape(qstr(parent)) + QStringLiteral("(?:") + alt + QStringLiteral(")_proj$"), value});
            fusedOut = true;
            break;
        }
        if (!fusedOut) {
            out.push_back({exactPattern(module), value});
            done.insert(module);
        }
    }
    return out;
}

template <class Map>
ModuleScheme mostCommon(const Map &schemes)
{
    std::map<ModuleScheme, int> count;
    for (const auto &[m, s] : schemes)
        ++count[s];
    ModuleScheme best;
    int n = -1;
    for (const auto &[s, c] : count)
        if (c > n) {
            best = s;
            n = c;
        }
    return best;
}

QJsonObject gptqConfig(const std::map<std::string, ModuleScheme> &schemes, const std::vector<std::string> &skipped, bool lmHead)
{
    const ModuleScheme base = mostCommon(schemes);
    QJsonObject c;
    c.insert(QStringLiteral("quant_method"), QStringLiteral("gptq"));
    c.insert(QStringLiteral("checkpoint_format"), QStringLiteral("gptq"));
    c.insert(QStringLiteral("bits"), base.bits);
    c.insert(QStringLiteral("group_size"), base.groupSize);
    c.insert(QStringLiteral("sym"), base.sym);
    c.insert(QStringLiteral("desc_act"), base.actOrder);
    c.insert(QStringLiteral("lm_head"), lmHead);
    c.insert(QStringLiteral("pack_dtype"), QStringLiteral("int32"));
    c.insert(QStringLiteral("static_groups"), false);
    c.insert(QStringLiteral("true_sequential"), true);
    c.insert(QStringLiteral("meta"), QJsonObject{{QStringLiteral("quantizer"), QJsonArray{QStringLiteral("quantscope")}}});
    std::map<std::string, ModuleScheme> differing;
    for (const auto &[m, s] : schemes)
        if (!(s == base))
            differing[m] = s;
    QJsonObject dynamic;
    for (const auto &[pattern, s] : modulePatterns(differing))
        dynamic.insert(QStringLiteral("+:") + pattern, QJsonObject{{QStringLiteral("bits"), s.bits},
                                                                   {QStringLiteral("group_size"), s.groupSize},
                                                                   {QStringLiteral("sym"), s.sym},
                                                                   {QStringLiteral("desc_act"), s.actOrder}});
    std::map<std::string, int> skip;
    for (const std::string &m : skipped)
        skip[m] = 0;
    for (const auto &[pattern, v] : modulePatterns(skip))
        dynamic.insert(QStringLiteral("-:") + pattern, QJsonObject{});
    if (!dynamic.isEmpty())
        c.insert(QStringLiteral("dynamic"), dynamic);
    return c;
}

QJsonObject ctWeights(const ModuleScheme &s)
{
    QJsonObject w;
    w.insert(QStringLiteral("num_bits"), s.bits);
    w.insert(QStringLiteral("type"), QStringLiteral("int"));
    w.insert(QStringLiteral("symmetric"), s.sym);
    w.insert(QStringLiteral("strategy"), s.groupSize > 0 ? QStringLiteral("group") : QStringLiteral("channel"));
    w.insert(QStringLiteral("group_size"), s.groupSize > 0 ? QJsonValue(s.groupSize) : QJsonValue());
    w.insert(QStringLiteral("actorder"), s.actOrder ? QJsonValue(QStringLiteral("group")) : QJsonValue());
    w.insert(QStringLiteral("dynamic"), false);
    w.insert(QStringLiteral("observer"), QStringLiteral("minmax"));
    w.insert(QStringLiteral("observer_kwargs"), QJsonObject{});
    w.insert(QStringLiteral("block_structure"), QJsonValue());
    return w;
}

QJsonObject compressedConfig(const std::map<std::string, ModuleScheme> &schemes, const std::vector<std::string> &ignored)
{
    std::map<ModuleScheme, std::vector<std::string>> byScheme;
    for (const auto &[m, s] : schemes)
        byScheme[s].push_back(m);
    QJsonObject groups;
    int gi = 0;
    for (const auto &[s, modules] : byScheme) {
        QJsonArray targets;
        if (byScheme.size() == 1) {
            targets.append(QStringLiteral("Linear"));
        } else {
            // vLLM and compressed-tensors match "re:" targets with re.match against the module name
            for (const std::string &m : modules)
                targets.append(QString(QStringLiteral("re:") + exactPattern(m)));
        }
        QJsonObject g;
        g.insert(QStringLiteral("targets"), targets);
        g.insert(QStringLiteral("weights"), ctWeights(s));
        g.insert(QStringLiteral("input_activations"), QJsonValue());
        g.insert(QStringLiteral("output_activations"), QJsonValue());
        g.insert(QStringLiteral("format"), QStringLiteral("pack-quantized"));
        groups.insert(QStringLiteral("group_") + QString::number(gi++), g);
    }
    QJsonArray ignore;
    for (const std::string &m : ignored)
        ignore.append(qstr(m));
    QJsonObject c;
    c.insert(QStringLiteral("quant_method"), QStringLiteral("compressed-tensors"));
    c.insert(QStringLiteral("format"), QStringLiteral("pack-quantized"));
    c.insert(QStringLiteral("quantization_status"), QStringLiteral("compressed"));
    c.insert(QStringLiteral("config_groups"), groups);
    c.insert(QStringLiteral("ignore"), ignore);
    c.insert(QStringLiteral("kv_cache_scheme"), QJsonValue());
    c.insert(QStringLiteral("sparsity_config"), QJsonObject{});
    c.insert(QStringLiteral("global_compression_ratio"), QJsonValue());
    return c;
}

// ---- the folder -------------------------------------------------------------------------------------------------

// Removes the partial folder unless released: a failed or cancelled export leaves nothing behind.
struct PartialFolder {
    std::string path;
    bool keep = false;
    ~PartialFolder()
    {
        if (!keep && !path.empty())
            QDir(qstr(path)).removeRecursively();
    }
};

bool isSideFile(const QFileInfo &fi)
{
    const QString n = fi.fileName();
    if (!fi.isFile() || n.startsWith(QLatin1Char('.')))
        return false;
    if (n == QLatin1String("config.json") || n == QLatin1String("model.safetensors.index.json") ||
        n == QLatin1String("quantize_config.json") || n == QLatin1String("quant_config.json"))
        return false;
    for (const char *ext : {".safetensors", ".bin", ".pt", ".pth", ".gguf", ".h5", ".msgpack", ".ckpt", ".partial"})
        if (n.endsWith(QLatin1String(ext)))
            return false;
    return fi.size() <= (qint64(256) << 20);
}

Status writeJson(const std::string &path, const QJsonObject &o)
{
    const QByteArray b = QJsonDocument(o).toJson(QJsonDocument::Indented);
    return writeFileAtomically(path, std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(b.constData()), static_cast<size_t>(b.size())));
}

} // namespace

Status checkCheckpointTarget(const Model &model, const std::string &dirIn)
{
    std::string dir = dirIn;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    const QFileInfo target(qstr(dir));
    const QString parent = target.absolutePath();
    if (!QFileInfo(parent).isDir())
        return makeError("the folder to write into does not exist").inFile(parent.toStdString());
    if (target.exists()) {
        if (!target.isDir())
            return makeError("exists and is not a folder").inFile(dir);
        // never the source itself, nor a folder holding it: replacing it would delete the model being read
        const QFileInfo source(qstr(model.path()));
        const QString sourceDir = (source.isDir() ? QDir(source.absoluteFilePath()) : source.absoluteDir()).canonicalPath();
        const QString targetDir = QDir(target.absoluteFilePath()).canonicalPath();
        if (sourceDir == targetDir || sourceDir.startsWith(targetDir + QLatin1Char('/')))
            return makeError("is the source model's own folder (or holds it); write the checkpoint into another folder").inFile(dir);
        const QDir existing(qstr(dir));
        if (!existing.isEmpty()) {
            if (!existing.exists(QStringLiteral("config.json")))
                return makeError("the folder is not empty and holds no model (no config.json); refusing to replace it").inFile(dir);
            // only an earlier quantized checkpoint is replaced, never an unquantized model someone may still need
            auto cfg = readSmallFile(joinPath(dir, "config.json"), 16u << 20);
            const QJsonObject o = cfg ? QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(cfg->data()), static_cast<qsizetype>(cfg->size()))).object()
                                      : QJsonObject();
            if (!o.contains(QLatin1String("quantization_config")))
                return makeError("the folder holds a model that is not a quantized checkpoint (its config.json has no quantization_config); "
                                 "refusing to replace it")
                    .inFile(dir);
        }
    }
    return okStatus();
}

Status checkLayoutFor(GroupCheckpointFormat fmt, const std::vector<IntGroupFormat> &formats, bool actOrder)
{
    const char *name = groupCheckpointFormatName(fmt);
    for (const IntGroupFormat &f : formats) {
        const std::string what = f.name() + " cannot be stored as " + name + ": ";
        switch (fmt) {
        case GroupCheckpointFormat::Gptq:
            if (f.bits != 2 && f.bits != 3 && f.bits != 4 && f.bits != 8)
                return makeError(what + "GPTQ checkpoints hold 2, 3, 4 or 8 bits");
            break;
        case GroupCheckpointFormat::AwqGemm:
            if (f.bits != 4)
                return makeError(what + "AWQ GEMM checkpoints are 4-bit (use gptq or compressed-tensors)");
            if (actOrder && f.method == IntGroupMethod::Gptq)
                return makeError(what + "AWQ checkpoints have no g_idx, so act-order cannot be stored (use gptq)");
            if (f.groupSize != formats.front().groupSize || f.bits != formats.front().bits)
                return makeError(what + "AWQ checkpoints have one group size and bit width for every module (use gptq or compressed-tensors)");
            break;
        case GroupCheckpointFormat::CompressedTensors:
            if (f.bits != 4 && f.bits != 8)
                return makeError(what + "pack-quantized is written for 4 and 8 bits (use gptq)");
            break;
        }
    }
    return okStatus();
}

Status writeGroupCheckpoint(const Model &model, const GroupCheckpointRequest &request, const std::string &dirIn, JobControl *control)
{
    std::string dir = dirIn;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    if (model.format() != ModelFormat::HuggingFace)
        return makeError("GPTQ/AWQ checkpoints are written from a Hugging Face model folder, not a GGUF file").inFile(model.path());
    if (!model.packedLinears().empty())
        return makeError("the source is itself a GPTQ/AWQ/compressed-tensors checkpoint; write from the unquantized model")
            .inFile(model.path());

    // the solver's own maps where the caller lent them: a large model's codes are not held twice while writing
    const auto &quantized = request.quantizedView ? *request.quantizedView : request.quantized;
    const auto &replacements = request.replacementsView ? *request.replacementsView : request.replacements;
    if ((request.quantizedView && !request.quantized.empty()) || (request.replacementsView && !request.replacements.empty()))
        return makeError("a checkpoint request names its tensors either in its own maps or through a view, not both");

    // Check everything before writing anything.
    const GroupCheckpointFormat fmt = request.format;
    std::map<std::string, ModuleScheme> schemes;
    for (const auto &[name, q] : quantized) {
        if (!name.ends_with(".weight"))
            return makeError("quantized tensors are named by their weight (\"....weight\")").forTensor(name);
        const auto idx = model.findTensor(name);
        if (!idx)
            return makeError("the model has no such tensor").forTensor(name).inFile(model.path());
        const ModelTensor &src = model.tensors()[*idx];
        if (src.role == TensorRole::TokenEmbedding)
            return makeError("embeddings are looked up, not multiplied: they cannot be a quantized Linear").forTensor(name);
        if (src.role == TensorRole::Output && fmt != GroupCheckpointFormat::Gptq)
            return makeError("only GPTQ checkpoints can hold a quantized lm_head (GPTQModel's lm_head: true)").forTensor(name);
        if (auto st = checkResult(name, q, src, fmt); !st)
            return st;
        if (replacements.count(name))
            return makeError("named both as a quantized result and as a replacement").forTensor(name);
        schemes[moduleOf(name)] = schemeOf(q);
    }
    if (schemes.empty())
        return makeError("no quantized tensors to write");
    for (const auto &[name, data] : replacements) {
        const auto idx = model.findTensor(name);
        if (!idx)
            return makeError("a replacement names a tensor the model does not have").forTensor(name);
        const ModelTensor &src = model.tensors()[*idx];
        if (static_cast<int64_t>(data.size()) != src.elements)
            return makeError("the replacement has " + std::to_string(data.size()) + " values for a tensor of " + std::to_string(src.elements))
                .forTensor(name);
        if (src.stDtype != StDtype::F32 && src.stDtype != StDtype::F16 && src.stDtype != StDtype::BF16)
            return makeError("replacements are written as F32, F16 or BF16, not " + src.dtype).forTensor(name);
    }
    // Linears of the decoder layers the results leave alone: the config must tell loaders to skip them.
    std::vector<std::string> skipped;
    bool lmHeadQuantized = false;
    for (const ModelTensor &t : model.tensors()) {
        const bool linear = t.shape.size() == 2 && !t.isBias && t.name.ends_with(".weight") &&
                            (t.layer >= 0 || t.role == TensorRole::Output);
        if (!linear)
            continue;
        if (quantized.count(t.name)) {
            lmHeadQuantized = lmHeadQuantized || t.role == TensorRole::Output;
            continue;
        }
        if (t.layer >= 0)
            skipped.push_back(moduleOf(t.name));
    }
    if (fmt == GroupCheckpointFormat::AwqGemm) {
        const ModuleScheme first = schemes.begin()->second;
        for (const auto &[m, s] : schemes)
            if (!(s == first))
                return makeError("AWQ checkpoints have one group size and bit width for every module; this one differs from " +
                                 schemes.begin()->first + " (use gptq or compressed-tensors)")
                    .forTensor(m + ".weight");
    }

    // The output directory: a sibling partial folder renamed into place at the end.
    if (auto st = checkCheckpointTarget(model, dir); !st)
        return st;
    const QFileInfo target(qstr(dir));
    std::string tmpl = target.absoluteFilePath().toStdString() + ".partial-XXXXXX";
    if (!mkdtemp(tmpl.data()))
        return makeError(std::string("cannot create a folder beside the output: ") + std::strerror(errno)).inFile(dir);
    PartialFolder partial{tmpl};

    // Which tensors, in the model's order (layer, then name), with their producers.
    const bool ctGIdx = fmt == GroupCheckpointFormat::CompressedTensors;
    std::vector<OutTensor> out;
    for (size_t ti = 0; ti < model.tensors().size(); ++ti) {
        const ModelTensor &t = model.tensors()[ti];
        if (auto q = quantized.find(t.name); q != quantized.end()) {
            const std::string module = moduleOf(t.name);
            if (fmt == GroupCheckpointFormat::Gptq)
                addGptq(out, module, q->second);
            else if (fmt == GroupCheckpointFormat::AwqGemm)
                addAwq(out, module, q->second);
            else
                addCompressed(out, module, q->second, ctGIdx && schemes[module].actOrder);
            continue;
        }
        SafetensorsTensorSpec spec{t.name, t.stDtype, t.shape};
        if (auto r = replacements.find(t.name); r != replacements.end()) {
            const std::vector<float> *data = &r->second;
            const StDtype d = t.stDtype;
            out.push_back({spec, [data, d](std::vector<uint8_t> &b) {
                               const size_t n = data->size();
                               b.resize(n * static_cast<size_t>(dtypeSize(d)));
                               for (size_t i = 0; i < n; ++i) {
                                   const float v = (*data)[i];
                                   if (d == StDtype::F32)
                                       std::memcpy(b.data() + 4 * i, &v, 4);
                                   else
                                       putU16(b, i, d == StDtype::BF16 ? floatToBf16(v) : floatToFp16(v));
                               }
                               return okStatus();
                           }});
            continue;
        }
        const SafetensorsFile &shard = model.shards()[static_cast<size_t>(t.fileIndex)];
        const uint8_t *src = shard.map->data() + t.fileOffset;
        const uint64_t bytes = t.bytes;
        out.push_back({spec, [src, bytes](std::vector<uint8_t> &b) {
                           b.assign(src, src + bytes);
                           return okStatus();
                       }});
    }

    // Shards: consecutive tensors up to maxShardBytes each.
    std::vector<std::vector<size_t>> shards(1);
    uint64_t inShard = 0, total = 0;
    for (size_t i = 0; i < out.size(); ++i) {
        const uint64_t b = out[i].spec.bytes();
        if (!shards.back().empty() && inShard + b > request.maxShardBytes) {
            shards.emplace_back();
            inShard = 0;
        }
        shards.back().push_back(i);
        inShard += b;
        total += b;
    }
    auto shardName = [&](size_t s) {
        if (shards.size() == 1)
            return std::string("model.safetensors");
        char buf[64];
        std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", s + 1, shards.size());
        return std::string(buf);
    };

    if (control)
        control->beginStage("writing", total, ProgressUnit::Bytes);
    QJsonObject weightMap;
    std::vector<uint8_t> buffer;
    for (size_t s = 0; s < shards.size(); ++s) {
        std::vector<SafetensorsTensorSpec> specs;
        for (size_t i : shards[s]) {
            specs.push_back(out[i].spec);
            weightMap.insert(qstr(out[i].spec.name), qstr(shardName(s)));
        }
        SafetensorsWriter w;
        if (auto st = w.begin(joinPath(partial.path, shardName(s)), specs); !st)
            return st;
        for (size_t i : shards[s]) {
            if (control && control->cancelled()) {
                w.cancel();
                return cancelledError("no checkpoint was written");
            }
            if (auto st = out[i].produce(buffer); !st) {
                w.cancel();
                return Error(st.error()).forTensor(out[i].spec.name);
            }
            if (buffer.size() != out[i].spec.bytes()) {
                w.cancel();
                return makeError("produced " + std::to_string(buffer.size()) + " bytes for a tensor of " +
                                 std::to_string(out[i].spec.bytes()))
                    .forTensor(out[i].spec.name);
            }
            if (auto st = w.append(buffer); !st)
                return st;
            if (control)
                control->advance(buffer.size(), out[i].spec.name);
        }
        if (auto st = w.finish(); !st)
            return st;
    }
    if (shards.size() > 1) {
        QJsonObject index;
        index.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("total_size"), static_cast<qint64>(total)}});
        index.insert(QStringLiteral("weight_map"), weightMap);
        if (auto st = writeJson(joinPath(partial.path, "model.safetensors.index.json"), index); !st)
            return st;
    }

    // config.json with quantization_config; GPTQ also quantize_config.json (what GPTQModel and vLLM's gptq read).
    auto configBytes = readSmallFile(joinPath(model.path(), "config.json"), 16u << 20);
    if (!configBytes)
        return configBytes.error();
    QJsonObject config = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(configBytes->data()),
                                                            static_cast<qsizetype>(configBytes->size())))
                             .object();
    QJsonObject qc;
    if (fmt == GroupCheckpointFormat::Gptq) {
        qc = gptqConfig(schemes, skipped, lmHeadQuantized);
    } else if (fmt == GroupCheckpointFormat::AwqGemm) {
        const ModuleScheme s = schemes.begin()->second;
        qc.insert(QStringLiteral("quant_method"), QStringLiteral("awq"));
        qc.insert(QStringLiteral("version"), QStringLiteral("gemm"));
        qc.insert(QStringLiteral("bits"), s.bits);
        qc.insert(QStringLiteral("group_size"), s.groupSize);
        qc.insert(QStringLiteral("zero_point"), true); // the zeros are stored whatever the quantizer chose
        QJsonArray skip;
        for (const std::string &m : skipped)
            skip.append(qstr(m));
        qc.insert(QStringLiteral("modules_to_not_convert"), skipped.empty() ? QJsonValue() : QJsonValue(skip));
    } else {
        std::vector<std::string> ignored = skipped;
        if (model.findTensor("lm_head.weight"))
            ignored.insert(ignored.begin(), "lm_head");
        qc = compressedConfig(schemes, ignored);
    }
    config.insert(QStringLiteral("quantization_config"), qc);
    if (auto st = writeJson(joinPath(partial.path, "config.json"), config); !st)
        return st;
    if (fmt == GroupCheckpointFormat::Gptq)
        if (auto st = writeJson(joinPath(partial.path, "quantize_config.json"), qc); !st)
            return st;

    // Tokenizer, generation config and other side files.
    const QDir srcDir(qstr(model.path()));
    for (const QFileInfo &fi : srcDir.entryInfoList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name)) {
        if (!isSideFile(fi))
            continue;
        if (!QFile::copy(fi.absoluteFilePath(), qstr(joinPath(partial.path, fi.fileName().toStdString()))))
            return makeError("cannot copy into the new checkpoint").inFile(fi.absoluteFilePath().toStdString());
    }
    if (control && control->cancelled())
        return cancelledError("no checkpoint was written");

    // The caller's check of the finished folder, before anything that exists is touched.
    if (request.verify)
        if (auto st = request.verify(partial.path); !st)
            return st;

    // Into place: an existing model folder is moved aside first and removed once the new one is there.
    const std::string finalPath = target.absoluteFilePath().toStdString();
    std::string aside;
    if (QFileInfo::exists(qstr(finalPath))) {
        aside = finalPath + ".replaced-XXXXXX";
        if (!mkdtemp(aside.data()) || std::rename(finalPath.c_str(), aside.c_str()) != 0) {
            if (!aside.empty())
                QDir(qstr(aside)).removeRecursively();
            return makeError(std::string("cannot move the existing folder aside: ") + std::strerror(errno)).inFile(finalPath);
        }
    }
    if (std::rename(partial.path.c_str(), finalPath.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        if (!aside.empty())
            std::rename(aside.c_str(), finalPath.c_str());
        return makeError("cannot rename the finished checkpoint into place: " + why).inFile(finalPath);
    }
    partial.keep = true;
    if (!aside.empty())
        QDir(qstr(aside)).removeRecursively();
    return okStatus();
}

} // namespace qs
