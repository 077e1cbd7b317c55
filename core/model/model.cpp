#include "model/model.h"

#include "formats/float_conv.h"
#include "io/small_file.h"
#include "model/file_type.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace qs {

namespace {

std::string joinPath(const std::string &dir, const std::string &name)
{
    if (dir.empty() || dir.back() == '/')
        return dir + name;
    return dir + "/" + name;
}

std::string parentDir(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return path.substr(0, slash);
}

int layerOf(const std::string &ggufName)
{
    if (ggufName.rfind("blk.", 0) != 0)
        return -1;
    int n = -1;
    const char *b = ggufName.data() + 4, *e = ggufName.data() + ggufName.size();
    const auto res = std::from_chars(b, e, n);
    if (res.ec != std::errc() || res.ptr == e || *res.ptr != '.')
        return -1;
    return n;
}

void fp8e4m3Row(const void *src, float *dst, int64_t n)
{
    const auto *s = static_cast<const uint8_t *>(src);
    for (int64_t i = 0; i < n; ++i)
        dst[i] = fp8e4m3ToFloat(s[i]);
}

void fp8e5m2Row(const void *src, float *dst, int64_t n)
{
    const auto *s = static_cast<const uint8_t *>(src);
    for (int64_t i = 0; i < n; ++i)
        dst[i] = fp8e5m2ToFloat(s[i]);
}

// F32/F16/BF16/F64 share their encodings with the ggml types of the same name.
ToFloatFn safetensorsConverter(StDtype d)
{
    switch (d) {
    case StDtype::F32: return typeTraits(GgmlType::F32).toFloat;
    case StDtype::F16: return typeTraits(GgmlType::F16).toFloat;
    case StDtype::BF16: return typeTraits(GgmlType::BF16).toFloat;
    case StDtype::F64: return typeTraits(GgmlType::F64).toFloat;
    case StDtype::F8_E4M3: return fp8e4m3Row;
    case StDtype::F8_E5M2: return fp8e5m2Row;
    default: return nullptr;
    }
}

std::vector<int64_t> reversed(const std::vector<int64_t> &ne)
{
    return {ne.rbegin(), ne.rend()};
}

// Shard names in an index must be plain file names in the model's folder.
bool safeShardName(const std::string &s)
{
    return !s.empty() && s.find('/') == std::string::npos && s.find('\\') == std::string::npos && s != "." &&
           s != ".." && s.find('\0') == std::string::npos;
}

} // namespace

bool ggufTensorOrderLess(const std::string &a, const std::string &b)
{
    const int la = layerOf(a), lb = layerOf(b);
    if (la != lb)
        return la < lb;
    return std::strcmp(a.c_str(), b.c_str()) < 0;
}

Result<std::shared_ptr<const Model>> Model::open(const std::string &pathIn)
{
    std::string path = pathIn;
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    if (isDirectory(path))
        return openHf(path);
    if (!fileExists(path))
        return makeError("no such file or folder").inFile(path);
    if (path.ends_with(".safetensors") || path.ends_with("config.json") || path.ends_with(".index.json"))
        return openHf(parentDir(path));
    // Anything else must be GGUF; the reader says so clearly if it is not.
    return openGgufFile(path);
}

Result<std::shared_ptr<const Model>> Model::openHf(const std::string &folder)
{
    std::shared_ptr<Model> m(new Model);
    m->m_format = ModelFormat::HuggingFace;
    m->m_path = folder;

    const std::string configPath = joinPath(folder, "config.json");
    if (!fileExists(configPath))
        return makeError("no config.json here: not a Hugging Face model folder (or pass a .gguf file)").inFile(folder);
    auto configBytes = readSmallFile(configPath, 16u << 20);
    if (!configBytes)
        return configBytes.error();
    auto arch = parseHfConfig(*configBytes, configPath);
    if (!arch)
        return arch.error();
    m->m_arch = *arch;
    CheckpointQuantization quant;
    {
        QJsonParseError perr{};
        const QJsonDocument doc = QJsonDocument::fromJson(
            QByteArray(reinterpret_cast<const char *>(configBytes->data()), static_cast<qsizetype>(configBytes->size())), &perr);
        auto q = parseCheckpointQuantization(doc.object(), configPath);
        if (!q)
            return q.error();
        quant = std::move(*q);
    }

    // Which shards, and which tensors each should hold.
    std::vector<std::string> shardNames;
    std::unordered_map<std::string, std::string> weightMap;
    const std::string indexPath = joinPath(folder, "model.safetensors.index.json");
    if (fileExists(indexPath)) {
        auto idx = readSmallFile(indexPath, 64u << 20);
        if (!idx)
            return idx.error();
        QJsonParseError perr{};
        const QJsonDocument doc = QJsonDocument::fromJson(
            QByteArray(reinterpret_cast<const char *>(idx->data()), static_cast<qsizetype>(idx->size())), &perr);
        if (perr.error != QJsonParseError::NoError)
            return makeError("invalid JSON: " + perr.errorString().toStdString(), perr.offset).inFile(indexPath);
        const QJsonValue wm = doc.object().value(QLatin1String("weight_map"));
        if (!wm.isObject())
            return makeError("no \"weight_map\" object").inFile(indexPath);
        const QJsonObject o = wm.toObject();
        std::unordered_set<std::string> seen;
        for (auto it = o.begin(); it != o.end(); ++it) {
            const std::string shard = it.value().toString().toStdString();
            if (!safeShardName(shard))
                return makeError("weight_map names shard \"" + shard + "\", which is not a plain file name in the model folder")
                    .inFile(indexPath)
                    .forTensor(it.key().toStdString());
            weightMap[it.key().toStdString()] = shard;
            if (seen.insert(shard).second)
                shardNames.push_back(shard);
        }
        std::sort(shardNames.begin(), shardNames.end());
        for (const auto &s : shardNames)
            if (!fileExists(joinPath(folder, s)))
                return makeError("the index names shard " + s + ", which is missing from the folder").inFile(indexPath);
    } else if (fileExists(joinPath(folder, "model.safetensors"))) {
        shardNames.push_back("model.safetensors");
    } else {
        return makeError("no model.safetensors or model.safetensors.index.json in the folder").inFile(folder);
    }

    std::unordered_set<std::string> names;
    for (size_t si = 0; si < shardNames.size(); ++si) {
        auto shard = openSafetensors(joinPath(folder, shardNames[si]));
        if (!shard)
            return shard.error();
        m->m_files.push_back(shard->path);
        m->m_maps.push_back(shard->map);
        m->m_diskBytes += shard->map->size();
        for (const auto &t : shard->tensors) {
            if (!names.insert(t.name).second)
                return makeError("tensor appears in more than one shard").inFile(shard->path).forTensor(t.name);
            if (!weightMap.empty()) {
                auto w = weightMap.find(t.name);
                if (w == weightMap.end())
                    m->m_warnings.push_back("tensor " + t.name + " in " + shardNames[si] + " is not in the index");
                else if (w->second != shardNames[si])
                    return makeError("the index places this tensor in " + w->second + " but it is in " + shardNames[si])
                        .inFile(indexPath)
                        .forTensor(t.name);
            }
            ModelTensor mt;
            mt.name = t.name;
            const TensorNameInfo info = describeHfName(t.name);
            mt.otherName = info.otherName;
            mt.role = info.role;
            mt.layer = info.layer;
            mt.isBias = info.isBias;
            mt.shape = t.shape;
            mt.dtype = std::string(dtypeName(t.dtype));
            mt.elements = t.elements();
            mt.bytes = t.end - t.begin;
            mt.fileIndex = static_cast<int>(si);
            mt.fileOffset = t.begin;
            mt.stDtype = t.dtype;
            m->m_tensors.push_back(std::move(mt));
        }
        m->m_shards.push_back(std::move(*shard));
    }
    for (const auto &[name, shard] : weightMap)
        if (!names.count(name))
            return makeError("the index places this tensor in " + shard + " but that shard does not contain it")
                .inFile(indexPath)
                .forTensor(name);

    if (quant.present) {
        if (auto st = resolvePackedLinears(quant, m->m_tensors, m->m_maps, m->m_files, m->m_packed); !st)
            return Error(st.error()).inFile(configPath);
        m->m_quantMethod = quant.config.value(QLatin1String("quant_method")).toString().toStdString();
    }

    std::sort(m->m_tensors.begin(), m->m_tensors.end(), [](const ModelTensor &a, const ModelTensor &b) {
        return a.layer != b.layer ? a.layer < b.layer : a.name < b.name;
    });

    // The tensors are the truth; the config only describes them.
    const bool hasLmHead = std::any_of(m->m_tensors.begin(), m->m_tensors.end(),
                                       [](const ModelTensor &t) { return t.role == TensorRole::Output; });
    if (!hasLmHead && !m->m_arch.tiedEmbeddings) {
        m->m_warnings.push_back("config says tie_word_embeddings is false but there is no lm_head.weight; treating the embeddings as tied");
        m->m_arch.tiedEmbeddings = true;
    }
    m->finish();
    return std::shared_ptr<const Model>(std::move(m));
}

Result<std::shared_ptr<const Model>> Model::openGgufFile(const std::string &file)
{
    auto g = openGguf(file);
    if (!g)
        return g.error();
    std::shared_ptr<Model> m(new Model);
    m->m_format = ModelFormat::Gguf;
    m->m_path = file;
    m->m_files.push_back(file);
    m->m_maps.push_back(g->map);
    m->m_diskBytes = g->fileSize;

    Architecture &a = m->m_arch;
    const GgufValue *archV = g->find("general.architecture");
    if (!archV || !archV->toString())
        return makeError("general.architecture is missing or not a string: cannot describe the model").inFile(file);
    a.name = *archV->toString();
    const std::string p = a.name + ".";
    auto num = [&](const std::string &key, int64_t fallback) -> int64_t {
        const GgufValue *v = g->find(p + key);
        if (!v)
            return fallback;
        if (v->isArray()) { // per-layer values (some models vary heads or FFN width by layer): report the largest
            int64_t best = fallback;
            for (uint64_t i = 0; i < v->count && v->elemType != GgufType::String; ++i)
                best = std::max(best, v->arrayInt(i));
            return best;
        }
        return v->toInt().value_or(fallback);
    };
    auto real = [&](const std::string &key, double fallback) -> double {
        const GgufValue *v = g->find(p + key);
        return v ? v->toDouble().value_or(fallback) : fallback;
    };
    a.layers = num("block_count", 0);
    a.hiddenSize = num("embedding_length", 0);
    a.heads = num("attention.head_count", 0);
    a.kvHeads = num("attention.head_count_kv", a.heads);
    a.headDim = num("attention.key_length", a.heads > 0 ? a.hiddenSize / a.heads : 0);
    a.intermediateSize = num("feed_forward_length", 0);
    a.contextLength = num("context_length", 0);
    a.slidingWindow = num("attention.sliding_window", 0);
    a.normEpsilon = real("attention.layer_norm_rms_epsilon", 1e-6);
    a.rope.theta = real("rope.freq_base", 10000.0);
    if (const GgufValue *v = g->find(p + "rope.scaling.type"); v && v->toString())
        a.rope.scalingType = *v->toString();
    a.rope.factor = real("rope.scaling.factor", 1.0);
    a.rope.originalContextLength = num("rope.scaling.original_context_length", 0);
    a.rope.betaFast = real("rope.scaling.yarn_beta_fast", 32.0);
    a.rope.betaSlow = real("rope.scaling.yarn_beta_slow", 1.0);
    a.rope.attentionFactor = real("rope.scaling.attn_factor", 0.0);
    a.vocabSize = num("vocab_size", 0);
    if (a.vocabSize == 0)
        if (const GgufValue *v = g->find("tokenizer.ggml.tokens"); v && v->isArray())
            a.vocabSize = static_cast<int64_t>(v->count);
    if (const GgufValue *v = g->find("general.file_type"); v && v->toUInt())
        if (auto n = fileTypeName(static_cast<uint32_t>(*v->toUInt())))
            a.dtype = std::string(*n);

    for (const auto &t : g->tensors) {
        ModelTensor mt;
        mt.name = t.name;
        const TensorNameInfo info = describeGgufName(t.name);
        mt.otherName = info.otherName;
        mt.role = info.role;
        mt.layer = info.layer;
        mt.isBias = info.isBias;
        mt.shape = reversed(t.ne);
        mt.dtype = std::string(t.traits->name);
        mt.elements = t.elements;
        mt.bytes = t.bytes;
        mt.fileIndex = 0;
        mt.fileOffset = t.fileOffset;
        mt.ggml = t.traits;
        if (info.role == TensorRole::AttnQ && !info.isBias)
            a.attentionBias = a.attentionBias || g->findTensor("blk." + std::to_string(info.layer) + ".attn_q.bias");
        m->m_tensors.push_back(std::move(mt));
    }
    a.tiedEmbeddings = !g->findTensor("output.weight") && g->findTensor("token_embd.weight");
    if (a.vocabSize == 0)
        if (const GgufTensorInfo *e = g->findTensor("token_embd.weight"); e && e->ne.size() >= 2)
            a.vocabSize = e->ne[1];
    m->m_gguf = std::move(*g);
    m->finish();
    return std::shared_ptr<const Model>(std::move(m));
}

void Model::finish()
{
    std::map<std::string, DtypeShare> byType;
    for (const auto &t : m_tensors) {
        m_params += t.elements;
        m_tensorBytes += t.bytes;
        DtypeShare &s = byType[t.dtype];
        s.dtype = t.dtype;
        s.tensors += 1;
        s.elements += t.elements;
        s.bytes += t.bytes;
    }
    for (const auto &[type, share] : byType)
        m_dtypeShares.push_back(share);
    std::stable_sort(m_dtypeShares.begin(), m_dtypeShares.end(),
                     [](const DtypeShare &a, const DtypeShare &b) { return a.bytes > b.bytes; });
    if (!m_dtypeShares.empty())
        m_predominantDtype = m_dtypeShares.front().dtype;
    if (m_arch.dtype.empty())
        m_arch.dtype = m_predominantDtype;

    // Cross-check the declared shape against the embedding tensor.
    for (const auto &t : m_tensors) {
        if (t.role != TensorRole::TokenEmbedding || t.shape.size() != 2)
            continue;
        if (m_arch.vocabSize && t.shape[0] != m_arch.vocabSize)
            m_warnings.push_back("the vocabulary size is " + std::to_string(m_arch.vocabSize) + " but " + t.name + " has " +
                                 std::to_string(t.shape[0]) + " rows");
        if (m_arch.hiddenSize && t.shape[1] != m_arch.hiddenSize)
            m_warnings.push_back("the hidden size is " + std::to_string(m_arch.hiddenSize) + " but " + t.name + " rows are " +
                                 std::to_string(t.shape[1]) + " long");
    }
}

std::optional<size_t> Model::findTensor(const std::string &name) const
{
    for (size_t i = 0; i < m_tensors.size(); ++i)
        if (m_tensors[i].name == name)
            return i;
    return std::nullopt;
}

bool Model::canRead(size_t index) const
{
    if (index >= m_tensors.size())
        return false;
    const ModelTensor &t = m_tensors[index];
    if (t.packed >= 0)
        return true;
    return m_format == ModelFormat::Gguf ? t.ggml && t.ggml->toFloat : safetensorsConverter(t.stDtype) != nullptr;
}

Status Model::readRows(size_t index, int64_t firstRow, int64_t nRows, float *out) const
{
    if (index >= m_tensors.size())
        return makeError("tensor index " + std::to_string(index) + " out of range");
    const ModelTensor &t = m_tensors[index];
    if (firstRow < 0 || nRows < 0 || firstRow > t.rows() || nRows > t.rows() - firstRow)
        return makeError("rows [" + std::to_string(firstRow) + ", +" + std::to_string(nRows) + ") are outside the tensor's " +
                         std::to_string(t.rows()) + " rows")
            .forTensor(t.name);
    if (t.packed >= 0) {
        m_packed[static_cast<size_t>(t.packed)].dequantizeRows(m_maps, firstRow, nRows, out);
        return okStatus();
    }
    const int64_t rowLen = t.rowLength();
    ToFloatFn convert = nullptr;
    uint64_t rowBytesN = 0;
    if (m_format == ModelFormat::Gguf) {
        convert = t.ggml ? t.ggml->toFloat : nullptr;
        rowBytesN = static_cast<uint64_t>(rowBytes(*t.ggml, rowLen));
        if (!convert)
            return makeError("reading " + t.dtype + " data as floats is not available in this build").forTensor(t.name);
    } else {
        convert = safetensorsConverter(t.stDtype);
        rowBytesN = static_cast<uint64_t>(rowLen) * static_cast<uint64_t>(dtypeSize(t.stDtype));
        if (!convert)
            return makeError("tensor of dtype " + t.dtype + " holds integers, not weights that convert to floats").forTensor(t.name);
    }
    const uint8_t *src = m_maps[static_cast<size_t>(t.fileIndex)]->data() + t.fileOffset + static_cast<uint64_t>(firstRow) * rowBytesN;
    if (reinterpret_cast<uintptr_t>(src) % 8 != 0) {
        // Block structs hold 16-bit fields: a file with alignment 1 can put them at odd addresses. Copy first.
        std::vector<uint8_t> aligned(static_cast<size_t>(rowBytesN));
        for (int64_t r = 0; r < nRows; ++r) {
            std::memcpy(aligned.data(), src + static_cast<uint64_t>(r) * rowBytesN, aligned.size());
            convert(aligned.data(), out + r * rowLen, rowLen);
        }
        return okStatus();
    }
    convert(src, out, nRows * rowLen);
    return okStatus();
}

Status Model::readRawRows(size_t index, int64_t firstRow, int64_t nRows, uint8_t *out) const
{
    if (index >= m_tensors.size())
        return makeError("tensor index " + std::to_string(index) + " out of range");
    const ModelTensor &t = m_tensors[index];
    if (m_format != ModelFormat::Gguf || !t.ggml)
        return makeError("only GGUF tensors are read as stored blocks").forTensor(t.name);
    if (firstRow < 0 || nRows < 0 || firstRow > t.rows() || nRows > t.rows() - firstRow)
        return makeError("rows [" + std::to_string(firstRow) + ", +" + std::to_string(nRows) + ") are outside the tensor's " +
                         std::to_string(t.rows()) + " rows")
            .forTensor(t.name);
    const uint64_t rowBytesN = static_cast<uint64_t>(rowBytes(*t.ggml, t.rowLength()));
    const uint8_t *src = m_maps[static_cast<size_t>(t.fileIndex)]->data() + t.fileOffset + static_cast<uint64_t>(firstRow) * rowBytesN;
    std::memcpy(out, src, static_cast<size_t>(rowBytesN * static_cast<uint64_t>(nRows)));
    return okStatus();
}

} // namespace qs
