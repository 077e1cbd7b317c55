// A plan for a budget from measured sensitivity: every measured weight gets the GGUF format that, across the whole
// model, costs the least predicted damage (the sum of the per-tensor KL-divergences) within the budget; the rest
// (norms, what was neither measured nor analysed) keeps what the base plan gives it. The result is an ordinary plan:
// the base plan plus per-tensor overrides, so it saves, undoes, prints as llama-quantize arguments and exports like
// any other.
//
// Budgets: bits per weight, tensor bytes, or a device ("rtx-4090@8k"): the most tensor bytes whose estimated memory
// at that context (the VRAM estimator's weights, KV cache, compute buffers and runtime overhead) fits the device.
// Where a tensor or one of its formats was not measured, the analysis' weight-space error stands in for the KLD,
// scaled by a factor fitted on the measured ones (weightSpaceProxy below); a runtime's fused layers constrain formats
// (fusedGroups).
#pragma once

#include "analysis/analysis_engine.h"
#include "common/result.h"
#include "engine/sensitivity.h"
#include "model/model.h"
#include "plan/plan.h"
#include "vram/hardware_fit.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// "Fits device D at context C with runtime R".
struct DeviceBudget {
    Device device;
    int64_t context = 0;
    Runtime runtime = Runtime::LlamaCppCuda; // llama.cpp (CUDA; Metal on Apple devices, its CPU backend on CPUs) or vllm
    bool runtimeGiven = false;               // the text named it (":vllm"); else the default, llama.cpp
    KvCacheType kvType = KvCacheType::F16;
};

struct Budget {
    enum class Kind { BitsPerWeight, Bytes, Device };
    Kind kind = Kind::BitsPerWeight;
    double value = 0;                  // bits per weight or bytes; unused for a device
    std::optional<DeviceBudget> device = std::nullopt;
    // "4.5bpw", "13MiB", "13.5MB", "1.2GiB", "850KiB", "46297824" (bytes): the tensors' bytes, without the GGUF
    // header. "DEVICE@CONTEXT[:RUNTIME]": "rtx-4090@8k", "rtx-4090@8192:llama.cpp", "a100-80gb@32k:vllm" (k = 1024
    // tokens); DEVICE an id or a unique part of a name in the hardware database (loadHardware, or `devices`).
    static Result<Budget> parse(const std::string &text);
    static Result<Budget> parse(const std::string &text, const std::vector<Device> &devices);
    std::string text() const;
};

// The devices a budget may name (the hardware database, with the user's own entries): what the studio offers.
Result<std::vector<Device>> budgetDevices();
// A context as people write it: "8k" (8192), "8192", "32K", "1m" (1048576); 1 to 16M tokens.
Result<int64_t> parseContextTokens(const std::string &text);

// Which tensors a runtime loads fused into one matrix, and what they must then agree on.
struct FusedGroup {
    std::string name;                 // "blk.3 qkv_proj"
    std::vector<std::string> tensors; // GGUF names
};
// llama.cpp: none. Its loader creates attn_q, attn_k, attn_v, ffn_gate and ffn_up as tensors of their own, each of
// its own type (src/llama-model.cpp, LLM_ARCH_LLAMA: layer.wq/wk/wv/ffn_gate/ffn_up = create_tensor(...) one by
// one); the CUDA backend fuses gate and up into one kernel only when their types match and otherwise runs two
// products (ggml/src/ggml-cuda/ggml-cuda.cu, ggml_cuda_should_fuse_mul_mat: `ffn_up->src[0]->type !=
// ffn_gate->src[0]->type` -> no fusion). Any mix loads and runs.
// vLLM: q/k/v of a layer load into one QKVParallelLinear (qkv_proj) and gate/up into one MergedColumnParallelLinear
// (gate_up_proj) (the llama/qwen2/qwen3 models' packed_modules_mapping). Its GGUF path keeps one GGUF type per
// shard (vllm/model_executor/layers/quantization/gguf.py: qweight_type.shard_weight_type[shard], and
// GGUFLinearMethod.apply multiplies shard by shard with each shard's type), so quantized shards may differ in type,
// but a fused layer is quantized or not as a whole: is_layer_skipped_gguf raises "Detected some but not all shards
// of ... are quantized. All shards of fused layers to have the same precision", and older versions assert one dtype
// over the shards in _create_padded_weight_param ("Data container has mixed dtypes": quantized shards are uint8
// bytes, F16/BF16/F32 ones floats). So each group must be all quantized or all unquantized.
std::vector<FusedGroup> fusedGroups(const std::vector<PlanTensor> &tensors, Runtime runtime);

// The weight-space proxy: where no KLD was measured for a tensor and format, the analysis' squared error of that
// format on that tensor (importance-weighted where the analysis had an imatrix), times a factor:
//   proxy(t, f) = a * err2(t, f),  log a = the mean of log(KLD / err2) over the measured pairs
// of that tensor (when it has any), else of its role (attn_q, ffn_down, ...), else of every measured pair; with no
// measurement at all, kDefaultProxyFactor. A KLD from quantizing one tensor is, to first order, a quadratic form in the
// weight error weighted by the activations it meets, so within a tensor (and, more loosely, a role) KLD / err2 is
// roughly constant across formats: the proxy keeps the measured order of formats and the relative cost of tensors.
// With no measurement the factor is one constant: the plan then minimises the summed squared weight error, and only
// the printed predicted KLD depends on the constant's value.
// KLD per unit of squared weight error (unweighted): fitted on the demo model (sotu-mini, Q2_K and Q6_K measured over two
// windows of 128 tokens, tests/unit/tst_allocation.cpp prints it): 9.1e-4, rounded. Larger models differ by their
// activation scale; it only sets the printed predicted KLD's scale when nothing was measured.
inline constexpr double kDefaultProxyFactor = 1e-3;
struct ProxyCalibration {
    int measuredPairs = 0;   // measured (tensor, format) pairs the factors were fitted on
    int proxyCosts = 0;      // costs the allocation took from the proxy
    int measuredCosts = 0;   // costs it took from measurements
    bool defaultFactor = false;
    double globalFactor = 0; // exp(mean log(KLD / err2)) over every measured pair; 0 when none
    std::vector<std::pair<std::string, double>> roleFactors; // role id -> fitted factor
};

// The cost of each tensor in each GGUF format: the measured KLD where there is one, else the proxy.
class AllocationCosts {
public:
    AllocationCosts(const SensitivityResults &sensitivity, const AnalysisResults *analysis);
    // NaN where the tensor was neither measured in this format nor analysed in it; `fromProxy` says which it was
    double cost(const std::string &ggufName, GgmlType type, bool *fromProxy = nullptr) const;
    bool covers(const std::string &ggufName) const; // measured or analysed
    const std::vector<GgmlType> &formats() const { return m_formats; } // every GGUF format measured or analysed
    const ProxyCalibration &calibration() const { return m_calibration; }

private:
    const SensitivityResults &m_sens;
    std::map<std::string, size_t> m_measuredRow;                       // GGUF name -> sensitivity row
    std::map<std::string, const TensorAnalysis *> m_analysed;          // GGUF name -> analysis
    std::map<std::string, double> m_tensorLogFactor, m_roleLogFactor;  // mean log(KLD / err2)
    std::optional<double> m_globalLogFactor;
    std::vector<GgmlType> m_formats;
    ProxyCalibration m_calibration;
};

struct AllocateOptions {
    std::vector<std::string> pinned;        // "NAME=TYPE" (either tensor name spelling) keeps that tensor in that type
    bool hasImatrix = false;                // the plan will be quantized with an importance matrix (the base preset then
                                            // chooses some types differently for what the allocation leaves to it)
    Runtime runtime = Runtime::LlamaCppCuda; // whose fused layers constrain the formats (fusedGroups); a device budget's
                                            // runtime must agree
    const AnalysisResults *analysis = nullptr; // the weight-space errors, for the proxy; null: measurements only
};

struct AllocatedPlan {
    Plan plan;
    uint64_t budgetBytes = 0;   // the whole model's tensor bytes allowed
    uint64_t bytes = 0;         // what the plan's tensors take
    int64_t elements = 0;       // the weights of every tensor written
    uint64_t fixedBytes = 0;    // the tensors the allocation did not choose for
    double predictedKld = 0;    // the sum of the chosen formats' KLDs (measured, or the proxy's)
    int allocated = 0;          // tensors it chose a format for
    int fusedGroups = 0;        // groups of tensors the runtime made agree
    ProxyCalibration proxy;
    // a device budget: what the estimate at the plan was made of, and what the device allows the runtime
    std::optional<MemoryEstimate> memory;
    uint64_t deviceLimit = 0;
    // what a person must know about the plan, one sentence each (the proxy, the device estimate, the context)
    std::vector<std::string> notes;
    bool restsOnProxy() const { return proxy.proxyCosts > 0; }
    double bitsPerWeight() const { return elements > 0 ? 8.0 * static_cast<double>(bytes) / static_cast<double>(elements) : 0; }
};

// Every 2-D weight the sensitivity measured or the analysis covers is allocated among its GGUF formats (measured, or
// by the proxy) and its source type (cost 0).
Result<AllocatedPlan> allocatePlan(const Model &model, const Plan &base, const SensitivityResults &sensitivity, const Budget &budget,
                                   const AllocateOptions &options);
Result<AllocatedPlan> allocatePlan(const Model &model, const Plan &base, const SensitivityResults &sensitivity, const Budget &budget,
                                   const std::vector<std::string> &pinned = {}, bool hasImatrix = false);

// The tensor bytes a plan takes on this model, as the exporter writes them (what a budget "as large as preset P" is).
Result<uint64_t> planTensorBytes(const Model &model, const Plan &plan, bool hasImatrix);

} // namespace qs
