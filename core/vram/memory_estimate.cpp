#include "vram/memory_estimate.h"

#include "plan/resolve.h"
#include "formats/ggml_type.h"
#include "model/model.h"

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

constexpr uint64_t kMiB = 1024ull * 1024ull;

// ---- transformers + PyTorch on CUDA --------------------------------------------------------------------------
// Calibrated on an H100 80GB HBM3 with PyTorch 2.11.0+cu130 and transformers 5.17.0, random bf16 weights built
// from public configs (Llama-3.2-1B, Llama-3.1-8B, Qwen2.5-7B) at 512/2048/8192 tokens: tests/data/vram/
// h100_transformers.json, produced by tests/vram/measure_transformers.py.
//
// Prefill activations at their peak: three intermediate-sized tensors alive at once in the MLP (gate, up and the
// activated product) and four hidden-sized ones (the residual stream, its normed copy, the attention output and
// the MLP output), all bf16. A least-squares fit over the nine runs gives 3.02 and 3.99 for these counts, with
// every residual under 5 MiB. sdpa attention never materialises the score matrix, so nothing grows with T^2.
constexpr double kTorchIntermediateTensors = 3.0;
constexpr double kTorchHiddenTensors = 4.0;
// cuBLAS's workspace, allocated through PyTorch's caching allocator on the first matrix product (measured: the
// allocation after loading minus the parameters, 33 554 432 + a few bytes).
constexpr uint64_t kCublasWorkspace = 32 * kMiB;
// What the card holds beyond PyTorch's reserved pool: the CUDA context (649 MB straight after init) plus cuBLAS /
// cuBLASLt handles and lazily loaded kernels; measured 728-756 MB after the prefill in all nine runs.
constexpr uint64_t kTorchCudaOverhead = 705 * kMiB;
// The caching allocator reserves more than it hands out (segments of 2 MiB / 20 MiB rounding, fragmentation):
// reserved minus allocated at the peak was 105-566 MB over the nine runs; this is their middle.
// Out of sample (Llama-3.2-3B, Qwen3-0.6B, Qwen2.5-14B, h100_transformers_holdout.json): activations within 4 MiB
// and the non-pool overhead within 16 MiB in all nine runs, but the slack ranged 17-733 MiB, so the card estimate
// met the 5%-or-300-MiB target in 8 of 9 (Llama-3.2-3B at 512 tokens: -437 MiB, -5.7%).
constexpr uint64_t kTorchAllocatorSlack = 286 * kMiB;

// ---- vLLM (V1 engine) on CUDA -----------------------------------------------------------------------------------
// vLLM claims gpu_memory_utilization x the GPU's total memory (what CUDA reports) and, at start-up, measures what a
// profiling run needs: the weights, PyTorch's peak during a forward pass over max_num_batched_tokens made-up tokens
// followed by a sampling step over max_num_seqs made-up sequences, and the memory other libraries took (NCCL, cuBLAS); all
// the rest of its share becomes KV cache, in blocks of 16 tokens (v1/worker/gpu_worker.py,
// determine_available_memory). It refuses to start when one sequence of max_model_len tokens does not fit.
//  - The profiling peak is the larger of the sampler's and the forward's. The sampler keeps several fp32 copies
//    of the [max_num_seqs x vocabulary] logits (logits, probabilities, the sorted values and their int64 indices
//    for top-p/top-k); 9.67 logits-sized fp32 tensors fits the published H100 peaks within 1%: Llama-3.1-8B
//    4.76 GiB, Qwen3-0.6B 5.56, Qwen3-32B 5.64, gpt-oss-20b 7.38, all at 1024 sequences
//    (tests/data/vram/vllm_h100_published.json, from llm-d-benchmark's logs; not measured by us). The forward
//    peak is the feed-forward's, as in PyTorch above.
//  - Memory outside PyTorch after profiling: 0.13 GiB on one GPU (0.55 with NCCL at TP=2).
// CUDA graphs are captured after the KV cache is sized (the versions measured report -0.45..+0.39 GiB for them and
// leave them out of the budget), and the CUDA context sits outside the claimed share.
constexpr double kVllmSamplerLogitsCopies = 9.67;
constexpr uint64_t kVllmNonTorch = 140 * kMiB; // 0.13-0.14 GiB
constexpr int64_t kVllmBlockTokens = 16;
constexpr int kVllmDefaultSeqsSmallGpu = 256;
constexpr int64_t kVllmDefaultBatchedTokensSmallGpu = 2048;

// ---- llama.cpp -----------------------------------------------------------------------------------------------
// The compute buffer is ggml's allocation for the worst-case graph at one micro-batch of u tokens, f32 activations.
// Its peak is the larger of two moments: the output (logits for u tokens plus hidden-sized tensors) and a layer's
// feed-forward (three intermediate-sized tensors and hidden-sized ones, as in PyTorch) while the f16 attention mask
// of u x cells stays alive. On a GPU the input embeddings stay in a host buffer, one hidden-sized tensor fewer.
//  - CPU: max(4u(V + 2E), 2u*cells + 4u(3F + 4E)); against llama.cpp's own "compute buffer size" on its CPU backend
//    (tests/data/vram/llamacpp_cpu.json): within 0.1% with an f16 cache, 7% with q8_0/q4_0, over 54 runs.
//  - CUDA: max(4u(V + E), 2u*cells + 4u(3F + 3E)); against llama.cpp built for CUDA on an H100
//    (tests/data/vram/h100_llamacpp_cuda.json): within 0.05 MiB of the reported size in all 24 runs, from sotu-mini to an
//    8B-shaped model at 32k context (258.5 MiB for Llama-3.1-8B at u = 512).
// Overhead beyond the buffers (CUDA context, cuBLAS, CUDA graphs: llama.cpp's "unaccounted") measured 596-600 MiB
// in those 24 runs. Metal's is Ollama's published floor (not measured by us).
constexpr uint64_t kLlamaCudaOverhead = 598 * kMiB;
constexpr uint64_t kLlamaMetalOverhead = 512 * kMiB;
constexpr int64_t kLlamaContextPad = 256; // llama_context pads n_ctx to 256

int64_t roundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

void add(std::vector<PlanTensor> &out, const std::string &name, std::vector<int64_t> ne, GgmlType type)
{
    out.push_back({name, std::move(ne), type});
}

int layerOfName(const std::string &name)
{
    if (name.rfind("blk.", 0) != 0)
        return -1;
    return std::atoi(name.c_str() + 4);
}

WeightBytes splitBytes(const std::vector<PlanTensor> &tensors, const Architecture &arch,
                       const std::vector<uint64_t> &bytes)
{
    WeightBytes w;
    w.perLayer.assign(static_cast<size_t>(std::max<int64_t>(arch.layers, 0)), 0);
    for (size_t i = 0; i < tensors.size(); ++i) {
        const std::string &name = tensors[i].name;
        int64_t elements = 1;
        for (int64_t d : tensors[i].ne)
            elements *= d;
        w.parameters += elements;
        w.total += bytes[i];
        const int layer = layerOfName(name);
        if (layer >= 0 && layer < static_cast<int>(w.perLayer.size()))
            w.perLayer[static_cast<size_t>(layer)] += bytes[i];
        else if (name.rfind("token_embd.", 0) == 0)
            w.tokenEmbedding += bytes[i];
        else
            w.output += bytes[i]; // output, output_norm, rope_freqs
    }
    return w;
}

} // namespace

bool llamaCppCpuRepacks(const std::string &name, GgmlType type, const std::vector<int64_t> &ne)
{
    // ggml-cpu/repack.cpp picks an interleaved layout (8x8 on AVX2/AVX-512) for these types when ne[1] % 8 == 0,
    // for matrices that feed a MUL_MAT; checked against llama.cpp's CPU_REPACK buffer in tests/data/vram
    // (Q4_K_M and Q2_K plans: the Q4_K and Q2_K matrices exactly; Q3_K, Q6_K and Q8_0 stay as they are)
    const bool repackable = type == GgmlType::Q4_0 || type == GgmlType::Q4_K || type == GgmlType::Q2_K || type == GgmlType::IQ4_NL;
    return repackable && ne.size() == 2 && ne[1] % 8 == 0 && name != "token_embd.weight";
}

const char *runtimeName(Runtime r)
{
    switch (r) {
    case Runtime::LlamaCppCuda: return "llama.cpp";
    case Runtime::LlamaCppMetal: return "llama.cpp-metal";
    case Runtime::LlamaCppCpu: return "llama.cpp-cpu";
    case Runtime::Transformers: return "transformers";
    case Runtime::Vllm: return "vllm";
    }
    return "?";
}

bool isLlamaCpp(Runtime r) { return r == Runtime::LlamaCppCuda || r == Runtime::LlamaCppMetal || r == Runtime::LlamaCppCpu; }

Result<Runtime> parseRuntime(const std::string &name)
{
    for (Runtime r : {Runtime::LlamaCppCuda, Runtime::LlamaCppMetal, Runtime::LlamaCppCpu, Runtime::Transformers, Runtime::Vllm})
        if (name == runtimeName(r))
            return r;
    if (name == "llama.cpp-cuda")
        return Runtime::LlamaCppCuda;
    return makeError("unknown runtime '" + name + "' (llama.cpp, llama.cpp-metal, llama.cpp-cpu, transformers, vllm)");
}

const char *kvCacheTypeName(KvCacheType t)
{
    switch (t) {
    case KvCacheType::F16: return "f16";
    case KvCacheType::BF16: return "bf16";
    case KvCacheType::Q8_0: return "q8_0";
    case KvCacheType::Q4_0: return "q4_0";
    case KvCacheType::FP8: return "fp8";
    }
    return "?";
}

const std::vector<KvCacheType> &allKvCacheTypes()
{
    static const std::vector<KvCacheType> all{KvCacheType::F16, KvCacheType::BF16, KvCacheType::Q8_0,
                                              KvCacheType::Q4_0, KvCacheType::FP8};
    return all;
}

Result<KvCacheType> parseKvCacheType(const std::string &name)
{
    for (KvCacheType t : allKvCacheTypes())
        if (name == kvCacheTypeName(t))
            return t;
    return makeError("unknown KV cache type '" + name + "' (f16, bf16, q8_0, q4_0, fp8)");
}

bool runtimeSupports(Runtime r, KvCacheType t)
{
    if (r == Runtime::Transformers)
        return t == KvCacheType::F16 || t == KvCacheType::BF16; // the default DynamicCache keeps the model's dtype
    if (r == Runtime::Vllm)
        return t == KvCacheType::F16 || t == KvCacheType::BF16 || t == KvCacheType::FP8; // "auto" (the model's), fp8
    return t != KvCacheType::FP8;                                 // llama.cpp has no fp8 cache type
}

std::vector<PlanTensor> tensorsFromArchitecture(const Architecture &a)
{
    std::vector<PlanTensor> t;
    const int64_t h = a.hiddenSize, hd = a.headDim, q = a.heads * hd, kv = a.kvHeads * hd;
    add(t, "token_embd.weight", {h, a.vocabSize}, GgmlType::BF16);
    if (!a.tiedEmbeddings)
        add(t, "output.weight", {h, a.vocabSize}, GgmlType::BF16);
    add(t, "output_norm.weight", {h}, GgmlType::F32);
    for (int64_t l = 0; l < a.layers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        add(t, p + "attn_norm.weight", {h}, GgmlType::F32);
        add(t, p + "attn_q.weight", {h, q}, GgmlType::BF16);
        add(t, p + "attn_k.weight", {h, kv}, GgmlType::BF16);
        add(t, p + "attn_v.weight", {h, kv}, GgmlType::BF16);
        add(t, p + "attn_output.weight", {q, h}, GgmlType::BF16);
        if (a.attentionBias) {
            add(t, p + "attn_q.bias", {q}, GgmlType::F32);
            add(t, p + "attn_k.bias", {kv}, GgmlType::F32);
            add(t, p + "attn_v.bias", {kv}, GgmlType::F32);
        }
        if (a.name == "qwen3") {
            add(t, p + "attn_q_norm.weight", {hd}, GgmlType::F32);
            add(t, p + "attn_k_norm.weight", {hd}, GgmlType::F32);
        }
        add(t, p + "ffn_norm.weight", {h}, GgmlType::F32);
        add(t, p + "ffn_gate.weight", {h, a.intermediateSize}, GgmlType::BF16);
        add(t, p + "ffn_up.weight", {h, a.intermediateSize}, GgmlType::BF16);
        add(t, p + "ffn_down.weight", {a.intermediateSize, h}, GgmlType::BF16);
    }
    std::stable_sort(t.begin(), t.end(),
                     [](const PlanTensor &x, const PlanTensor &y) { return ggufTensorOrderLess(x.name, y.name); });
    return t;
}

Result<WeightBytes> planWeightBytes(const std::vector<PlanTensor> &tensors, const Architecture &arch, const Plan &plan,
                                    bool hasImatrix)
{
    auto decisions = resolvePlan(plan, tensors, arch, hasImatrix);
    if (!decisions)
        return decisions.error();
    std::vector<uint64_t> bytes(tensors.size(), 0);
    for (size_t i = 0; i < tensors.size(); ++i) {
        auto b = decidedBytes(tensors[i].name, tensors[i].ne, (*decisions)[i]);
        if (!b)
            return b.error();
        bytes[i] = *b;
    }
    uint64_t repacked = 0;
    for (size_t i = 0; i < tensors.size(); ++i)
        if (!(*decisions)[i].group && llamaCppCpuRepacks(tensors[i].name, (*decisions)[i].type, tensors[i].ne))
            repacked += bytes[i];
    WeightBytes w = splitBytes(tensors, arch, bytes);
    w.description = plan.groupQuant ? plan.groupQuant->name() + " plan" : plan.preset + " plan";
    w.cpuRepacked = repacked;
    return w;
}

WeightBytes plannedWeightBytes(const std::vector<PlannedTensor> &planned, const Architecture &arch, const std::string &description)
{
    std::vector<PlanTensor> tensors;
    std::vector<uint64_t> bytes;
    tensors.reserve(planned.size());
    uint64_t repacked = 0;
    for (const PlannedTensor &p : planned) {
        tensors.push_back({p.ggufName, {p.elements}, p.decision.type});
        bytes.push_back(p.bytes);
        if (!p.decision.group && llamaCppCpuRepacks(p.ggufName, p.decision.type, p.ne))
            repacked += p.bytes;
    }
    WeightBytes w = splitBytes(tensors, arch, bytes);
    w.description = description;
    w.cpuRepacked = repacked;
    return w;
}

WeightBytes storedWeightBytes(const std::vector<PlanTensor> &tensors, double bytesPerElement, const std::string &description)
{
    Architecture none;
    std::vector<uint64_t> bytes;
    int maxLayer = -1;
    for (const auto &t : tensors) {
        int64_t e = 1;
        for (int64_t d : t.ne)
            e *= d;
        bytes.push_back(static_cast<uint64_t>(std::llround(static_cast<double>(e) * bytesPerElement)));
        maxLayer = std::max(maxLayer, layerOfName(t.name));
    }
    none.layers = maxLayer + 1;
    WeightBytes w = splitBytes(tensors, none, bytes);
    w.description = description;
    return w;
}

KvCache kvCacheBytes(const Architecture &a, int64_t context, KvCacheType type, Runtime runtime, int batch)
{
    KvCache kv;
    const int64_t rowElements = a.kvHeads * a.headDim; // one token's K (or V) in one layer
    uint64_t rowBytesPerCell = 0;
    if (runtime == Runtime::Transformers) {
        kv.cells = context * std::max(batch, 1); // DynamicCache grows to exactly the tokens seen, per sequence
        rowBytesPerCell = static_cast<uint64_t>(rowElements) * (type == KvCacheType::FP8 ? 1 : 2);
    } else if (runtime == Runtime::Vllm) {
        // paged: whole blocks of 16 tokens per sequence
        kv.cells = roundUp(std::max<int64_t>(context, 1), kVllmBlockTokens) * std::max(batch, 1);
        rowBytesPerCell = static_cast<uint64_t>(rowElements) * (type == KvCacheType::FP8 ? 1 : 2);
    } else {
        // One unified cache of n_ctx cells shared by the sequences, n_ctx padded to 256; quantized cache types
        // cost their whole blocks (q8_0: 34 bytes per 32 values, q4_0: 18).
        kv.cells = roundUp(std::max<int64_t>(context, 1), kLlamaContextPad);
        GgmlType g = GgmlType::F16;
        if (type == KvCacheType::BF16)
            g = GgmlType::BF16;
        else if (type == KvCacheType::Q8_0)
            g = GgmlType::Q8_0;
        else if (type == KvCacheType::Q4_0)
            g = GgmlType::Q4_0;
        const int64_t rb = rowBytes(typeTraits(g), rowElements);
        rowBytesPerCell = rb > 0 ? static_cast<uint64_t>(rb) : 0;
    }
    kv.perLayer = 2 * rowBytesPerCell * static_cast<uint64_t>(kv.cells);
    kv.bytes = kv.perLayer * static_cast<uint64_t>(a.layers);
    return kv;
}

Result<MemoryEstimate> estimateMemory(const Architecture &a, const WeightBytes &w, const EstimateOptions &o)
{
    if (o.context <= 0)
        return makeError("the context length must be positive");
    if (!runtimeSupports(o.runtime, o.kvType))
        return makeError(std::string(runtimeName(o.runtime)) + " has no " + kvCacheTypeName(o.kvType) + " KV cache");
    MemoryEstimate m;
    m.runtime = o.runtime;
    m.kv = kvCacheBytes(a, o.context, o.kvType, o.runtime, o.batch);
    const double batch = std::max(o.batch, 1);
    if (o.runtime == Runtime::Transformers) {
        const double tokens = static_cast<double>(o.prompt > 0 ? std::min(o.prompt, o.context) : o.context) * batch;
        m.weights = w.total;
        m.compute = static_cast<uint64_t>(
            tokens * (kTorchIntermediateTensors * static_cast<double>(a.intermediateSize) +
                      kTorchHiddenTensors * static_cast<double>(a.hiddenSize)) * 2.0 +
            batch * static_cast<double>(a.vocabSize) * 4.0);
        m.overhead = kCublasWorkspace + kTorchCudaOverhead;
        m.allocatorSlack = kTorchAllocatorSlack;
        m.validated = true;
        m.basis = "calibrated on H100, PyTorch 2.11 + transformers 5.17, bf16, sdpa (tests/data/vram); speeds are "
                  "bandwidth and compute bounds: eager token-by-token decoding measured 7-13 tok/s there whatever the "
                  "model size (host-bound), so expect them only with compiled, static-cache generation";
        return m;
    }
    if (o.runtime == Runtime::Vllm) {
        const double seqs = o.maxNumSeqs > 0 ? o.maxNumSeqs : kVllmDefaultSeqsSmallGpu;
        const double tokens = static_cast<double>(o.maxNumBatchedTokens > 0 ? o.maxNumBatchedTokens : kVllmDefaultBatchedTokensSmallGpu);
        const double sampler = kVllmSamplerLogitsCopies * 4.0 * seqs * static_cast<double>(a.vocabSize);
        const double forward = tokens * (kTorchIntermediateTensors * static_cast<double>(a.intermediateSize) +
                                         kTorchHiddenTensors * static_cast<double>(a.hiddenSize)) * 2.0;
        m.weights = w.total;
        m.compute = static_cast<uint64_t>(std::max(sampler, forward));
        m.overhead = kVllmNonTorch;
        m.validated = true;
        m.basis = "vLLM V1: profiling peak and start-up accounting checked against published H100 logs (tests/data/vram); "
                  "vLLM claims " + std::to_string(static_cast<int>(std::lround(o.gpuMemoryUtilization * 100))) +
                  "% of the card and fills what is left with KV cache";
        return m;
    }
    const double u = static_cast<double>(std::min<int64_t>(o.ubatch, o.context));
    const double E = static_cast<double>(a.hiddenSize), F = static_cast<double>(a.intermediateSize);
    // the input embeddings (one hidden-sized tensor) live in a host buffer when the graph runs on a GPU
    const double hiddenOnDevice = o.runtime == Runtime::LlamaCppCpu ? 1.0 : 0.0;
    const double outputPhase = 4.0 * u * (static_cast<double>(a.vocabSize) + (1.0 + hiddenOnDevice) * E);
    const double layerPhase = 2.0 * u * static_cast<double>(m.kv.cells) + 4.0 * u * (3.0 * F + (3.0 + hiddenOnDevice) * E);
    m.compute = static_cast<uint64_t>(std::max(outputPhase, layerPhase));
    if (o.runtime == Runtime::LlamaCppCpu) {
        m.weights = w.total;
        m.overhead = 0;
        m.validated = true;
        m.basis = "llama.cpp CPU: weights, KV and compute buffer as llama.cpp reports them (tests/data/vram)";
        if (w.cpuRepacked > 0)
            m.basis += "; " + std::to_string((w.cpuRepacked + kMiB / 2) / kMiB) +
                       " MiB of the weights are re-laid out into llama.cpp's interleaved copy at load (their file pages "
                       "stay mapped but reclaimable, so loading briefly holds both)";
    } else {
        // The token embedding is looked up on the host; with tied embeddings llama.cpp also keeps a copy of it on
        // the device as the output matrix.
        m.weights = a.tiedEmbeddings ? w.total : w.total - w.tokenEmbedding;
        m.hostWeights = w.tokenEmbedding;
        if (o.runtime == Runtime::LlamaCppMetal) {
            m.overhead = kLlamaMetalOverhead;
            m.basis = "llama.cpp-metal: exact weights and KV, compute buffer as on CUDA; Metal's overhead is a published "
                      "figure (not yet measured)";
        } else {
            m.overhead = kLlamaCudaOverhead;
            m.validated = true;
            m.basis = "llama.cpp CUDA: weights, KV, compute buffer and overhead checked against llama.cpp on an H100 "
                      "(tests/data/vram)";
        }
    }
    return m;
}

SpeedEstimate estimateSpeed(const Architecture &a, const WeightBytes &w, const MemoryEstimate &m, double bandwidthGBs,
                            double fp16Tflops)
{
    // Decode reads every weight on the device and the whole KV cache once per token; prefill is compute-bound: 2
    // FLOPs per parameter per token plus attention over half the context on average (4 FLOPs per head dimension
    // and attended token). Besides bytes and FLOPs, each layer costs a fixed time per token (kernel launches and
    // synchronisation), which is what makes small models slower than their bytes say.
    //  - llama.cpp on CUDA, fitted to llama-bench on an H100 (tests/data/vram/h100_llamacpp_cuda_speed.json: 1B, 3B,
    //    8B and 14B shapes, Q4_K and Q8_0, empty and 8k-deep caches, 28 runs): decode = layers x 52.8 us + bytes at
    //    74.8% of the bandwidth; prefill = layers x 0.738 us + FLOPs at 21.4% of the dense FP16 peak. Every run within
    //    16% (decode) and 15% (prefill); a model left out of the fit is predicted within 16% and 20%. The per-layer
    //    times are the H100's; on a slower GPU they are an optimistic floor.
    //  - other runtimes: not calibrated; 70% of bandwidth and 50% of peak, the usual rules of thumb.
    const bool llamaCuda = m.runtime == Runtime::LlamaCppCuda;
    const double bandwidthEfficiency = llamaCuda ? 0.748 : 0.7;
    const double computeEfficiency = llamaCuda ? 0.214 : 0.5;
    const double decodePerLayer = llamaCuda ? 52.8e-6 : 0.0;
    const double prefillPerLayer = llamaCuda ? 0.738e-6 : 0.0;
    const double layers = static_cast<double>(std::max<int64_t>(a.layers, 0));
    SpeedEstimate s;
    const double bytesPerToken = static_cast<double>(m.weights + m.kv.bytes);
    if (bandwidthGBs > 0 && bytesPerToken > 0)
        s.decodeTokensPerSecond = 1.0 / (layers * decodePerLayer + bytesPerToken / (bandwidthEfficiency * bandwidthGBs * 1e9));
    const double flopsPerToken = 2.0 * static_cast<double>(w.parameters) +
                                 2.0 * static_cast<double>(a.layers * a.heads * a.headDim) * static_cast<double>(m.kv.cells);
    if (fp16Tflops > 0 && flopsPerToken > 0)
        s.prefillTokensPerSecond = 1.0 / (layers * prefillPerLayer + flopsPerToken / (computeEfficiency * fp16Tflops * 1e12));
    return s;
}

} // namespace qs
