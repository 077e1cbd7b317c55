// How much memory a model needs to run, for the real plan on a given runtime: weights tensor by tensor in their
// planned formats, the KV cache with each runtime's rounding, the runtime's working buffers and fixed overhead.
// Each runtime is a small model with named constants (memory_estimate.cpp says where each comes from and whether it
// has been checked against a measurement).
#pragma once

#include "common/result.h"
#include "model/architecture.h"
#include "plan/plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

class Model;

enum class Runtime {
    LlamaCppCuda,  // llama.cpp, every layer offloaded (-ngl 99), flash attention on (its default on CUDA)
    LlamaCppMetal,
    LlamaCppCpu,
    Transformers,  // transformers + PyTorch on CUDA, bf16, sdpa attention, generate-style prefill
    Vllm,          // vLLM (V1 engine) on CUDA: claims a share of the GPU and fills what the model leaves with KV cache
};
bool isLlamaCpp(Runtime r);
const char *runtimeName(Runtime r);
Result<Runtime> parseRuntime(const std::string &name); // "llama.cpp", "llama.cpp-metal", "llama.cpp-cpu", "transformers", "vllm"

enum class KvCacheType { F16, BF16, Q8_0, Q4_0, FP8 };
const char *kvCacheTypeName(KvCacheType t);
Result<KvCacheType> parseKvCacheType(const std::string &name);
const std::vector<KvCacheType> &allKvCacheTypes();
bool runtimeSupports(Runtime r, KvCacheType t);

// The tensors of a llama-family model (llama, mistral, qwen2, qwen3) from its architecture alone: GGUF names, ggml
// order, BF16 matrices and F32 norms as the converter writes them, in llama-quantize's order. Lets a config.json
// alone be estimated.
std::vector<PlanTensor> tensorsFromArchitecture(const Architecture &arch);

// Weight bytes, split the way runtimes place them.
struct WeightBytes {
    uint64_t total = 0;
    uint64_t tokenEmbedding = 0;     // llama.cpp keeps it in host memory
    uint64_t output = 0;             // output + output_norm (0 for the output when embeddings are tied)
    std::vector<uint64_t> perLayer;  // blk.N.*
    int64_t parameters = 0;
    std::string description;         // "Q4_K_M plan", "BF16 as stored"
    // What llama.cpp's CPU backend re-lays out at load into an interleaved copy for its x86 kernels (CPU_REPACK):
    // Q4_0, Q4_K, Q2_K and IQ4_NL matrices whose rows come in eights, never the token embedding (looked up by
    // row). Those tensors are then read from the copy; their pages in the mapped file become reclaimable cache.
    uint64_t cpuRepacked = 0;
};
// Whether llama.cpp's CPU backend (x86, AVX2 and up) repacks a tensor of this name, type and shape (ggml order).
bool llamaCppCpuRepacks(const std::string &ggufName, GgmlType type, const std::vector<int64_t> &ne);
// Under a GGUF plan (llama.cpp runtimes): every tensor in its planned format, blocks and scales included.
Result<WeightBytes> planWeightBytes(const std::vector<PlanTensor> &tensors, const Architecture &arch, const Plan &plan,
                                    bool hasImatrix);
// From a plan already resolved over a model (resolveForModel), without resolving it again.
struct PlannedTensor;
WeightBytes plannedWeightBytes(const std::vector<PlannedTensor> &planned, const Architecture &arch, const std::string &description);
// As stored in a dtype of `bytesPerElement` (transformers runs the checkpoint as it is: bf16 = 2).
WeightBytes storedWeightBytes(const std::vector<PlanTensor> &tensors, double bytesPerElement, const std::string &description);

struct KvCache {
    int64_t cells = 0;      // token slots per layer after the runtime's rounding
    uint64_t bytes = 0;     // every layer, K and V
    uint64_t perLayer = 0;
};
KvCache kvCacheBytes(const Architecture &arch, int64_t context, KvCacheType type, Runtime runtime, int batch = 1);

struct EstimateOptions {
    Runtime runtime = Runtime::LlamaCppCuda;
    int64_t context = 4096;   // tokens the cache holds
    int64_t prompt = 0;       // tokens prefilled at once (transformers); 0: the whole context
    KvCacheType kvType = KvCacheType::F16;
    int batch = 1;
    int ubatch = 512;         // llama.cpp's physical batch (-ub)
    // vLLM: the share of the GPU's memory it claims (--gpu-memory-utilization), and the limits its start-up profiling
    // run uses (--max-num-seqs, --max-num-batched-tokens); 0 takes `vllm serve`'s defaults for the device
    // (vllmDefaultsFor in hardware_fit.h), and 256 / 2048 where no device is known.
    double gpuMemoryUtilization = 0.9;
    int maxNumSeqs = 0;
    int64_t maxNumBatchedTokens = 0;
};

struct MemoryEstimate {
    Runtime runtime = Runtime::LlamaCppCuda;
    uint64_t weights = 0;       // on the device
    uint64_t hostWeights = 0;   // kept in host memory by the runtime (llama.cpp's token embedding)
    KvCache kv;
    uint64_t compute = 0;       // activations / compute buffers at their peak
    uint64_t overhead = 0;      // runtime context (CUDA context, cuBLAS handles and workspace, kernels)
    uint64_t allocatorSlack = 0;
    bool validated = false;     // whether this runtime's model has been checked against measurements (tests/data/vram)
    std::string basis;          // one line: where the constants come from
    uint64_t total() const { return weights + kv.bytes + compute + overhead + allocatorSlack; }
};
Result<MemoryEstimate> estimateMemory(const Architecture &arch, const WeightBytes &weights, const EstimateOptions &options);

// Rough speed, from memory bandwidth (decode) and the FP16 compute peak (prefill), with each runtime's efficiency
// (memory_estimate.cpp says which are calibrated); an order of magnitude, not a promise.
struct SpeedEstimate {
    double decodeTokensPerSecond = 0;
    double prefillTokensPerSecond = 0;
};
SpeedEstimate estimateSpeed(const Architecture &arch, const WeightBytes &weights, const MemoryEstimate &memory,
                            double bandwidthGBs, double fp16Tflops);

} // namespace qs
