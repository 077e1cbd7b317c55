#include "export/gguf_export.h"

#include "io/gguf_writer.h"
#include "jobs/chunk_loop.h"
#include "jobs/thread_pool.h"
#include "model/tokenizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace qs {

namespace {

std::string titleCase(const std::string &folderName)
{
    std::string out;
    bool start = true;
    for (char c : folderName) {
        if (c == '-' || c == '_') {
            out += ' ';
            start = true;
            continue;
        }
        out += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        start = false;
    }
    return out;
}

// gguf-py's size label: 23075328 -> "23M", 2622720 -> "2.6M".
std::string sizeLabel(int64_t params)
{
    double scaled = static_cast<double>(params);
    const char *suffix = "K";
    if (params > 1'000'000'000'000) { scaled /= 1e12; suffix = "T"; }
    else if (params > 1'000'000'000) { scaled /= 1e9; suffix = "B"; }
    else if (params > 1'000'000) { scaled /= 1e6; suffix = "M"; }
    else { scaled /= 1e3; }
    const std::string whole = std::to_string(static_cast<long long>(std::llround(scaled)));
    const int fix = std::max(2 - static_cast<int>(whole.size()), 0);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%s", fix, scaled, suffix);
    return buf;
}

GgufValue arrayOfInt32(const std::vector<int32_t> &v)
{
    GgufValue g;
    g.type = GgufType::Array;
    g.elemType = GgufType::Int32;
    g.count = v.size();
    g.raw.resize(v.size() * 4);
    std::memcpy(g.raw.data(), v.data(), g.raw.size());
    return g;
}

} // namespace

GgufValue ggufStringArray(const std::vector<std::string> &strings)
{
    GgufValue g;
    g.type = GgufType::Array;
    g.elemType = GgufType::String;
    g.count = strings.size();
    g.strings = strings;
    return g;
}

Result<std::vector<ExportTensor>> exportTensorsFor(const Model &model, GgmlType type2d)
{
    std::vector<GgufTensorLayout> layout;
    if (model.format() == ModelFormat::HuggingFace) {
        auto t = hfToGgufTensors(model, type2d);
        if (!t)
            return t.error();
        layout = std::move(*t);
    } else {
        layout = ggufTensors(model);
    }
    std::vector<ExportTensor> out(layout.size());
    for (size_t i = 0; i < layout.size(); ++i)
        static_cast<GgufTensorLayout &>(out[i]) = std::move(layout[i]);
    return out;
}

Result<std::vector<GgufKeyValue>> hfToGgufMetadata(const Model &model, uint32_t fileType)
{
    const Architecture &a = model.architecture();
    auto tok = loadHfTokenizer(model.path(), a.vocabSize);
    if (!tok)
        return tok.error();
    std::vector<GgufKeyValue> kv;
    auto add = [&](std::string key, GgufValue v) { kv.push_back({std::move(key), std::move(v)}); };
    const std::string p = a.name + ".";
    std::string folder = model.path();
    if (const auto slash = folder.find_last_of('/'); slash != std::string::npos)
        folder = folder.substr(slash + 1);

    add("general.architecture", GgufValue::makeString(a.name));
    add("general.type", GgufValue::makeString("model"));
    add("general.name", GgufValue::makeString(titleCase(folder)));
    add("general.size_label", GgufValue::makeString(sizeLabel(model.parameterCount())));
    add(p + "block_count", GgufValue::makeUInt32(static_cast<uint32_t>(a.layers)));
    add(p + "context_length", GgufValue::makeUInt32(static_cast<uint32_t>(a.contextLength)));
    add(p + "embedding_length", GgufValue::makeUInt32(static_cast<uint32_t>(a.hiddenSize)));
    add(p + "feed_forward_length", GgufValue::makeUInt32(static_cast<uint32_t>(a.intermediateSize)));
    add(p + "attention.head_count", GgufValue::makeUInt32(static_cast<uint32_t>(a.heads)));
    add(p + "attention.head_count_kv", GgufValue::makeUInt32(static_cast<uint32_t>(a.kvHeads)));
    add(p + "rope.freq_base", GgufValue::makeFloat32(static_cast<float>(a.rope.theta)));
    add(p + "attention.layer_norm_rms_epsilon", GgufValue::makeFloat32(static_cast<float>(a.normEpsilon)));
    if (a.headDimExplicit) {
        add(p + "attention.key_length", GgufValue::makeUInt32(static_cast<uint32_t>(a.headDim)));
        add(p + "attention.value_length", GgufValue::makeUInt32(static_cast<uint32_t>(a.headDim)));
    }
    add("general.file_type", GgufValue::makeUInt32(fileType));
    if (a.name == "llama" || a.name == "mistral") {
        add(p + "vocab_size", GgufValue::makeUInt32(static_cast<uint32_t>(tok->tokens.size())));
        add(p + "rope.dimension_count", GgufValue::makeUInt32(static_cast<uint32_t>(a.headDim)));
    }
    if (a.rope.scalingType == "linear" || a.rope.scalingType == "yarn") {
        add(p + "rope.scaling.type", GgufValue::makeString(a.rope.scalingType));
        add(p + "rope.scaling.factor", GgufValue::makeFloat32(static_cast<float>(a.rope.factor)));
        if (a.rope.scalingType == "yarn")
            add(p + "rope.scaling.original_context_length", GgufValue::makeUInt32(static_cast<uint32_t>(a.rope.originalContextLength)));
    } else if (a.rope.scalingType != "none") {
        return makeError("RoPE scaling '" + a.rope.scalingType + "' cannot be written to GGUF yet").inFile(model.path());
    }
    add("general.quantization_version", GgufValue::makeUInt32(2));
    add("tokenizer.ggml.model", GgufValue::makeString(tok->model));
    add("tokenizer.ggml.pre", GgufValue::makeString(tok->pre));
    add("tokenizer.ggml.tokens", ggufStringArray(tok->tokens));
    if (!tok->scores.empty()) {
        GgufValue scores;
        scores.type = GgufType::Array;
        scores.elemType = GgufType::Float32;
        scores.count = tok->scores.size();
        scores.raw.resize(tok->scores.size() * 4);
        std::memcpy(scores.raw.data(), tok->scores.data(), scores.raw.size());
        add("tokenizer.ggml.scores", std::move(scores));
    }
    add("tokenizer.ggml.token_type", arrayOfInt32(tok->tokenTypes));
    if (!tok->merges.empty())
        add("tokenizer.ggml.merges", ggufStringArray(tok->merges));
    const std::pair<const char *, std::optional<uint32_t>> specials[] = {
        {"bos", tok->bos}, {"eos", tok->eos}, {"unknown", tok->unk}, {"seperator", tok->sep}, {"padding", tok->pad}};
    for (const auto &[name, id] : specials)
        if (id)
            add(std::string("tokenizer.ggml.") + name + "_token_id", GgufValue::makeUInt32(*id));
    if (tok->addBos)
        add("tokenizer.ggml.add_bos_token", GgufValue::makeBool(*tok->addBos));
    if (tok->addEos)
        add("tokenizer.ggml.add_eos_token", GgufValue::makeBool(*tok->addEos));
    if (!tok->chatTemplate.empty())
        add("tokenizer.chat_template", GgufValue::makeString(tok->chatTemplate));
    return kv;
}

Status writeGguf(const Model &model, const GgufExportRequest &request, const std::string &path, int threads, JobControl *control)
{
    std::vector<GgufTensorSpec> specs;
    uint64_t totalInput = 0;
    for (const ExportTensor &e : request.tensors) {
        const TypeTraits &t = typeTraits(e.type);
        if (!t.quantize)
            return makeError("writing " + std::string(t.name) + " tensors is not supported").forTensor(e.name);
        const int64_t rb = rowBytes(t, e.rowLength());
        if (rb < 0)
            return makeError("row length " + std::to_string(e.rowLength()) + " is not a multiple of the " + std::string(t.name) +
                             " block size " + std::to_string(t.blockSize))
                .forTensor(e.name);
        if (!e.importance.empty() && static_cast<int64_t>(e.importance.size()) != e.rowLength())
            return makeError("importance weights have " + std::to_string(e.importance.size()) + " values for rows of " +
                             std::to_string(e.rowLength()))
                .forTensor(e.name);
        if (e.solvedBlocks && static_cast<int64_t>(e.solvedBlocks->size()) != rb * e.rows())
            return makeError("the solved " + std::string(t.name) + " blocks have " + std::to_string(e.solvedBlocks->size()) + " bytes where " +
                             std::to_string(e.rows()) + " rows of " + std::to_string(rb) + " were expected")
                .forTensor(e.name);
        if (e.scales && e.solvedBlocks)
            return makeError("a tensor is either solved or scaled before quantizing, not both").forTensor(e.name);
        if (e.scales) {
            if (auto sc = applyTensorScales(*e.scales, e.rows(), e.rowLength(), 0, 0, nullptr); !sc)
                return Error(sc.error()).forTensor(e.name);
            const TensorRole role = model.tensors()[e.source].role;
            if (!e.scales->row.empty() && model.format() == ModelFormat::Gguf && (role == TensorRole::AttnQ || role == TensorRole::AttnK))
                return makeError("row scales are given in the Hugging Face order, which a GGUF file's Q and K rows are not in").forTensor(e.name);
        }
        specs.push_back({e.name, e.ne, static_cast<uint32_t>(e.type), static_cast<uint64_t>(rb * e.rows())});
        totalInput += static_cast<uint64_t>(e.rows() * e.rowLength()) * 4;
    }
    GgufWriter writer;
    auto st = writer.begin(path, request.metadata, specs);
    if (!st)
        return st;

    struct Slot {
        std::vector<float> in;
        std::vector<uint8_t> out;
    };
    std::vector<Slot> slots(static_cast<size_t>(ThreadPool::effectiveThreads(threads)));
    if (control)
        control->beginStage("writing", totalInput, ProgressUnit::Bytes);
    for (const ExportTensor &e : request.tensors) {
        const TypeTraits &t = typeTraits(e.type);
        const ModelTensor &src = model.tensors()[e.source];
        const int64_t rowLen = e.rowLength(), rows = e.rows();
        const int64_t rb = rowBytes(t, rowLen);
        // chunks of about 256K elements: large enough to amortise, small enough to bound memory per thread
        const int64_t chunkRows = std::max<int64_t>(1, (int64_t(1) << 18) / rowLen);
        const float *imatrix = e.importance.empty() || !t.usesImatrix ? nullptr : e.importance.data();
        const bool copyAsStored =
            model.format() == ModelFormat::Gguf && src.ggml && src.ggml->type == e.type && e.permuteHeads == 0 && !e.scales;
        std::function<int64_t(int64_t)> hfRow;
        if (e.permuteHeads > 0)
            hfRow = [rows, heads = e.permuteHeads](int64_t row) { return hfRowOfPermuted(row, rows, heads); };
        st = forEachChunk(
            control, rows, chunkRows, static_cast<int>(slots.size()),
            [&](const ChunkRange &c) -> Status {
                Slot &s = slots[static_cast<size_t>(c.slot)];
                const int64_t n = c.end - c.begin;
                s.out.resize(static_cast<size_t>(n * rb));
                if (e.solvedBlocks) { // a solver's blocks (GPTQ-compensated): written as they are
                    std::memcpy(s.out.data(), e.solvedBlocks->data() + c.begin * rb, s.out.size());
                    return okStatus();
                }
                if (copyAsStored) { // llama-quantize: a tensor already in its planned type is copied, not quantized again
                    if (auto r = model.readRawRows(e.source, c.begin, n, s.out.data()); !r)
                        return Error(r.error()).forTensor(src.name);
                    return okStatus();
                }
                s.in.resize(static_cast<size_t>(n * rowLen));
                if (auto r = readGgufRows(model, e, c.begin, n, s.in.data()); !r)
                    return Error(r.error()).forTensor(src.name);
                if (e.scales)
                    if (auto r = applyTensorScales(*e.scales, rows, rowLen, c.begin, n, s.in.data(), hfRow); !r)
                        return Error(r.error()).forTensor(e.name);
                t.quantize(s.in.data(), s.out.data(), n, rowLen, imatrix);
                return okStatus();
            },
            [&](const ChunkRange &c) -> Status {
                const int64_t n = c.end - c.begin;
                if (auto w = writer.append({slots[static_cast<size_t>(c.slot)].out.data(), static_cast<size_t>(n * rb)}); !w)
                    return w;
                if (control)
                    control->advance(static_cast<uint64_t>(n * rowLen) * 4, e.name);
                return okStatus();
            });
        if (!st) {
            writer.cancel();
            if (st.error().cancelled())
                return cancelledError("no file was written");
            return st;
        }
    }
    return writer.finish();
}

} // namespace qs
