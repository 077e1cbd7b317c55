// What a tensor is, from its name: its role in the network, its layer, and its name on the other side of the
// Hugging Face <-> GGUF mapping (llama.cpp's convert_hf_to_gguf tensor map for llama/mistral/qwen2/qwen3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qs {

enum class TensorRole {
    TokenEmbedding, Output, OutputNorm, AttnNorm, AttnQ, AttnK, AttnV, AttnOutput, AttnQNorm, AttnKNorm,
    FfnNorm, FfnGate, FfnUp, FfnDown, RopeFreqs, Other,
};

// Short stable id: "token_embd", "attn_q", "ffn_down", "other" (the GGUF spelling, used in JSON and plans).
std::string_view roleId(TensorRole r);
// A person's words: "token embedding", "attention Q projection".
std::string_view roleDescription(TensorRole r);

struct TensorNameInfo {
    TensorRole role = TensorRole::Other;
    int layer = -1;        // -1 for tensors outside the repeated blocks
    bool isBias = false;
    std::string otherName; // the name on the other side of the mapping; empty if there is none
};

TensorNameInfo describeHfName(std::string_view hfName);
TensorNameInfo describeGgufName(std::string_view ggufName);

} // namespace qs
