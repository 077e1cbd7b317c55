// A quantization plan: which format each tensor gets. Plain data: an optional preset (llama-quantize's file type,
// whose heuristics choose by role and layer), ordered rules (regex on the tensor name -> format; the first match
// wins and skips the heuristics, as llama-quantize --tensor-type does), exact per-tensor overrides, the fallback
// llama.cpp applies when a row length does not divide the block size, and integer group formats (GPTQ/AWQ/RTN) for
// the Linear layers of the blocks. Names in rules and overrides may be GGUF's (blk.3.ffn_down.weight) or Hugging
// Face's (model.layers.3.mlp.down_proj.weight). The plan names its output: a GGUF file or a Hugging Face checkpoint.
// Saves as JSON; prints as llama-quantize arguments.
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"
#include "formats/int_group.h"
#include "formats/quant_format.h"
#include "model/architecture.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct Preset {
    std::string name;    // "Q4_K_M"
    uint32_t fileType;   // llama_ftype id written to general.file_type
    GgmlType defaultType;
};

// Q8_0, Q6_K, Q5_K_M, Q5_K_S, Q5_0, Q5_1, Q4_K_M, Q4_K_S, Q4_0, Q4_1, IQ4_XS, IQ4_NL, Q3_K_S, Q3_K_M, Q3_K_L, Q2_K,
// Q2_K_S, and the conversions F32, F16, BF16.
const std::vector<Preset> &presets();
const Preset *findPreset(const std::string &name); // case-insensitive

struct PlanRule {
    std::string pattern; // ECMAScript regex, searched in the tensor's GGUF and Hugging Face names (lowercased, as
                         // llama-quantize does)
    GgmlType type;
};

// Whether a rule can be used: a non-empty valid regular expression and a format that quantizes (the message says
// which part is wrong).
Status checkRule(const PlanRule &rule);

// What a plan produces: a GGUF file for llama.cpp, or a Hugging Face checkpoint (safetensors; GPTQ/AWQ packed)
// for transformers and vLLM.
enum class PlanOutput { Gguf, HfCheckpoint };

struct PlanTensor;
const char *planOutputId(PlanOutput output); // "gguf", "hf"

struct Plan {
    std::string preset = "Q4_K_M";                  // empty: no preset; what no rule decides stays as it is
    PlanOutput output = PlanOutput::Gguf;
    std::vector<PlanRule> rules;
    std::map<std::string, GgmlType> overrides;      // exact tensor names, either spelling
    std::optional<GgmlType> outputType;             // --output-tensor-type
    std::optional<GgmlType> tokenEmbeddingType;     // --token-embedding-type
    bool pure = false;                              // --pure: no role/layer heuristics
    // Integer group formats instead of GGUF formats: every Linear weight in the blocks (blk.N.*) takes groupQuant,
    // or its entry in groupOverrides (by either name, like GPTQModel's per-module "dynamic" settings); embeddings,
    // the output head and norms stay in 16 bits, as GPTQ and AWQ checkpoints keep them. Not expressible as
    // llama-quantize arguments.
    std::optional<IntGroupFormat> groupQuant;
    std::map<std::string, IntGroupFormat> groupOverrides;
    bool hasGroupQuant() const { return groupQuant || !groupOverrides.empty(); }

    // "Q4_K_M", "GPTQ 4-bit g128", "custom" (what a person calls this plan)
    std::string label() const;

    // Writes quantscope.plan/2; reads /1 (where a missing preset meant Q4_K_M) and /2. Unknown keys are an error,
    // so a misspelt key ("rulez") cannot silently do nothing.
    std::string toJson() const;
    static Result<Plan> fromJson(const std::string &json);
    // The equivalent llama-quantize command-line arguments (overrides become anchored --tensor-type rules). With the
    // model's tensors, names and rules in Hugging Face spelling become the GGUF names they mean.
    std::vector<std::string> llamaQuantizeArgs(const std::vector<PlanTensor> *tensors = nullptr) const;
    // The whole command, quoted for a POSIX shell: llama-quantize ARGS INPUT OUTPUT TYPE (without a preset, Q8_0
    // with a last rule that keeps everything no rule decides in BF16).
    std::string llamaQuantizeCommand(const std::string &input, const std::string &output,
                                     const std::vector<PlanTensor> *tensors = nullptr) const;
};

// One tensor as the planner sees it, in llama-quantize's order.
struct PlanTensor {
    std::string name;          // GGUF name
    std::vector<int64_t> ne;   // ggml order
    GgmlType sourceType;       // the type it has now (kept when it is not quantized)
    std::string otherName = {}; // the Hugging Face name, when the model has one
};

struct TensorDecision {
    GgmlType type;
    bool quantized = false;    // false: copied in its source type
    std::string reason;        // for people: "preset Q4_K_M: attn_v in a use_more_bits layer"
    int rule = -1;             // the index in Plan::rules of the rule that decided it, -1 when none did
    std::optional<IntGroupFormat> group; // GPTQ/AWQ/RTN: `type` is then the 16-bit source type it is computed from

    // The decision as one value: keep, a GGUF type, or an integer group format.
    QuantFormat format() const
    {
        if (group)
            return QuantFormat::intGroup(*group);
        return quantized ? QuantFormat::gguf(type) : QuantFormat::keep();
    }
};

// Resolves a plan for tensors given in llama-quantize's order (layer, then name); the counters llama.cpp keeps for
// attn_v and ffn_down advance in that order.
Result<std::vector<TensorDecision>> resolvePlan(const Plan &plan, const std::vector<PlanTensor> &tensors,
                                                const Architecture &arch, bool hasImatrix);

// What in a plan does nothing on these tensors: a rule that matches none or decides none (an earlier rule or an
// override takes them all), an override or group override naming no tensor. Plain data, so the studio can say it
// in the reader's language; text() says it in English (the CLI).
struct PlanWarning {
    enum class Kind { RuleUnderConversion, RuleMatchesNothing, RuleDecidesNothing, OverrideNamesNothing, OverrideNeverQuantized };
    Kind kind = Kind::RuleMatchesNothing;
    int index = -1;          // the rule's index in Plan::rules (rules only)
    std::string subject;     // the rule's pattern, or the override's tensor name
    std::string preset;      // RuleUnderConversion: the conversion preset
    int matches = 0;         // RuleDecidesNothing: the tensors it matches
    bool groupQuant = false; // rules: the plan has GPTQ/AWQ choices; overrides: a group override
    std::string text() const;
};
std::vector<PlanWarning> planWarnings(const Plan &plan, const std::vector<PlanTensor> &tensors,
                                      const std::vector<TensorDecision> &decisions);

// The bytes a tensor of shape `ne` (ggml order) takes under a decision: whole rows of its format's blocks, or the
// GPTQ/AWQ packed layout. An error when its rows do not divide into the format's blocks.
Result<uint64_t> decidedBytes(const std::string &name, const std::vector<int64_t> &ne, const TensorDecision &decision);

// llama.cpp's tensor_allows_quantization for dense models.
bool allowsQuantization(const std::string &name, const std::vector<int64_t> &ne);

} // namespace qs
