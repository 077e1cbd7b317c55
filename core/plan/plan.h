// A quantization plan: which format each tensor gets. Plain data: an optional preset (llama-quantize's file type,
// whose heuristics choose by role and layer), ordered rules (regex on the tensor name -> format; the first match
// wins and skips the heuristics, as llama-quantize --tensor-type does), exact per-tensor overrides, the fallback
// llama.cpp applies when a row length does not divide the block size, and integer group formats (GPTQ/AWQ/RTN) for
// the Linear layers of the blocks. Names in rules and overrides may be GGUF's (blk.3.ffn_down.weight) or Hugging
// Face's (model.layers.3.mlp.down_proj.weight). The plan names its output: a GGUF file or a Hugging Face checkpoint.
// Saves as JSON; prints as llama-quantize arguments (when it names GGUF formats only).
//
// Which choice decides a tensor, first that applies wins:
//   1. a per-tensor group override (groupOverrides)
//   2. a per-tensor GGUF choice (overrides, then tokenEmbeddingType / outputType)
//   3. the first matching rule, whether it names a GGUF type or an integer group format
//   4. the plan-wide integer group format (groupQuant): every block Linear weight no earlier choice took; with it,
//      every other tensor no earlier choice took stays in its source type
//   5. the preset's heuristics (or, without a preset, the source type)
// An integer group format (from 1, 3 or 4) applies only to 2-D weights of the blocks (blk.N.*) whose shape it fits;
// a tensor it takes elsewhere stays in its source type, with the reason, and no later choice applies to it.
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
    GgmlType type = GgmlType::Q8_0;      // the GGUF format, when `group` is empty
    std::optional<IntGroupFormat> group; // an integer group format (GPTQ/AWQ/RTN) instead of a GGUF type

    // The rule from a pattern and a format as parsePlanFormat reads it.
    static PlanRule of(std::string pattern, const QuantFormat &format);
    QuantFormat format() const { return group ? QuantFormat::intGroup(*group) : QuantFormat::gguf(type); }
    // What the JSON writes: "Q6_K" or "gptq:4:128".
    std::string formatId() const;
    bool operator==(const PlanRule &o) const { return pattern == o.pattern && format() == o.format(); }
};

// The format a rule or a per-tensor choice names: a GGUF type that can be written ("Q6_K", "q8_0", "BF16") or an
// integer group format by id or readable name ("gptq:4:128", "int4-g128-asym", "GPTQ 4-bit g128"). Never Keep.
Result<QuantFormat> parsePlanFormat(const std::string &text);

// Whether a rule can be used: a non-empty valid regular expression and a format that quantizes (the message says
// which part is wrong).
Status checkRule(const PlanRule &rule);

// GPTQ's solver settings, plan-wide (they shape how GPTQ's integers are chosen, not how they are stored): act-order
// (GPTQModel's desc_act: columns by descending Hessian diagonal), static groups (with act-order, group grids from
// the original weights, so g_idx stays in order) and the damping added to the Hessian diagonal, as a fraction of
// its mean (damp_percent).
struct GptqSettings {
    bool actOrder = false;
    bool staticGroups = false;
    double damp = 0.01;

    bool isDefault() const { return *this == GptqSettings{}; }
    // damp in (0, 1); static groups only with act-order (the message names the setting and what it expects).
    Status check() const;
    bool operator==(const GptqSettings &) const = default;
};

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
    // How GPTQ solves the tensors that take a GPTQ format (ignored by RTN and AWQ).
    GptqSettings gptq;
    // GPTQ-compensated GGUF blocks: the block Linear weights planned in a GGUF block format are solved layer by layer
    // on calibration text (GPTQ's sweep with the format's own quantizer) instead of quantized one by one. Empty: all
    // of them; otherwise a regex searched in either name (as a rule's) picks which. No value: none. JSON
    // "compensate": true or "compensate": "REGEX". Not expressible as llama-quantize arguments, but the file it makes
    // is an ordinary GGUF.
    std::optional<std::string> compensate;
    // Whether the plan compensates the tensor with these names (GGUF and, if any, Hugging Face).
    bool compensates(const std::string &ggufName, const std::string &otherName) const;
    // Whether any choice names an integer group format: groupQuant, a group override or a rule.
    bool hasGroupQuant() const;
    // Every integer group format the plan names (plan-wide, overrides, rules), each once, in that order.
    std::vector<IntGroupFormat> groupFormats() const;
    // The plan with every GPTQ/AWQ format replaced by round-to-nearest of the same bits, group and symmetry (the grid
    // the solver starts from): what can be evaluated before anything is solved. `changed`: whether any was replaced.
    Plan rtnStandIn(bool *changed = nullptr) const;

    // "Q4_K_M", "GPTQ 4-bit g128", "custom" (what a person calls this plan): a plan with group rules or overrides
    // but no plan-wide group format is "custom".
    std::string label() const;

    // Writes quantscope.plan/2; reads /1 (where a missing preset meant Q4_K_M) and /2. A rule's "type" is a GGUF
    // type name or an integer group format id; "gptq" ({"act_order", "static_groups", "damp"}) is written only when
    // not the default. Unknown keys are an error, so a misspelt key ("rulez") cannot silently do nothing.
    std::string toJson() const;
    static Result<Plan> fromJson(const std::string &json);
    // The equivalent llama-quantize command-line arguments (overrides become anchored --tensor-type rules). With the
    // model's tensors, names and rules in Hugging Face spelling become the GGUF names they mean. An error when the
    // plan names integer group formats (GPTQ/AWQ/RTN), which llama-quantize cannot express.
    Result<std::vector<std::string>> llamaQuantizeArgs(const std::vector<PlanTensor> *tensors = nullptr) const;
    // The whole command, quoted for a POSIX shell: llama-quantize ARGS INPUT OUTPUT TYPE (without a preset, Q8_0
    // with a last rule that keeps everything no rule decides in BF16). The same error as llamaQuantizeArgs.
    Result<std::string> llamaQuantizeCommand(const std::string &input, const std::string &output,
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

// What in a plan does nothing on these tensors, or cannot be written: a rule that matches none or decides none (an
// earlier rule or an override takes them all), a group rule that can pack none of the tensors it decides, an
// override or group override naming no tensor, and a plan that mixes GGUF block formats with integer group formats
// (no one file holds both: GGUF export refuses such a plan, and a GPTQ/AWQ checkpoint keeps its GGUF-planned tensors
// in 16 bits). Plain data, so the studio can say it in the reader's language; text() says it in English (the CLI).
struct PlanWarning {
    enum class Kind {
        RuleUnderConversion, RuleMatchesNothing, RuleDecidesNothing, OverrideNamesNothing, OverrideNeverQuantized,
        GroupRulePacksNothing, MixedGgufAndGroup
    };
    Kind kind = Kind::RuleMatchesNothing;
    int index = -1;          // the rule's index in Plan::rules (rules only)
    std::string subject;     // the rule's pattern, the override's tensor name, or (MixedGgufAndGroup) a tensor in a
                             // GGUF block format
    std::string preset;      // RuleUnderConversion: the conversion preset
    std::string format;      // GroupRulePacksNothing: the rule's group format's name; MixedGgufAndGroup: the
                             // subject's GGUF type
    int matches = 0;         // RuleDecidesNothing: the tensors it matches; GroupRulePacksNothing: the tensors it
                             // decides; MixedGgufAndGroup: the tensors in GGUF block formats
    int groupMatches = 0;    // MixedGgufAndGroup: the tensors in integer group formats
    bool groupQuant = false; // rules: the plan has per-tensor GPTQ/AWQ choices; overrides: a group override
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
