// One description of a transformer's shape, whichever file it came from.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <span>
#include <string>

namespace qs {

struct RopeSettings {
    double theta = 10000.0;
    std::string scalingType = "none"; // none, linear, yarn, llama3, longrope, dynamic
    double factor = 1.0;
    int64_t originalContextLength = 0; // 0 when not given
    double lowFreqFactor = 1.0;        // llama3
    double highFreqFactor = 4.0;       // llama3
    double betaFast = 32.0;            // yarn
    double betaSlow = 1.0;             // yarn
    double attentionFactor = 0.0;      // yarn: scales cos and sin; 0 = 0.1 ln(factor) + 1, as transformers defaults
};

struct Architecture {
    std::string name;              // llama, mistral, qwen2, qwen3
    int64_t layers = 0;
    int64_t hiddenSize = 0;
    int64_t heads = 0;
    int64_t kvHeads = 0;
    int64_t headDim = 0;
    bool headDimExplicit = false; // config.json names head_dim (the converter then writes key/value_length)
    int64_t intermediateSize = 0;
    int64_t vocabSize = 0;
    bool tiedEmbeddings = false;
    RopeSettings rope;
    double normEpsilon = 1e-6;
    int64_t contextLength = 0;
    int64_t slidingWindow = 0;     // 0 when the model attends to its whole context
    bool attentionBias = false;
    std::string dtype;             // declared storage type: "bfloat16" for HF, the file type for GGUF
    int configSchema = 0;          // transformers config schema (4 or 5); 0 for GGUF

    int64_t gqaRatio() const { return kvHeads > 0 ? heads / kvHeads : 0; }
};

// Parses a Hugging Face config.json (transformers 4 `rope_theta`/`torch_dtype` or 5 `rope_parameters`/`dtype`).
Result<Architecture> parseHfConfig(std::span<const uint8_t> json, const std::string &path);

bool isSupportedArchitecture(const std::string &name);
inline constexpr const char *kSupportedArchitectures = "llama, mistral, qwen2, qwen3";

} // namespace qs
