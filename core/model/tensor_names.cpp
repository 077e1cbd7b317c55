#include "model/tensor_names.h"

#include <array>
#include <charconv>

namespace qs {

namespace {

struct RoleName {
    TensorRole role;
    std::string_view id;
    std::string_view description;
};

constexpr std::array kRoles = {
    RoleName{TensorRole::TokenEmbedding, "token_embd", "token embedding"},
    RoleName{TensorRole::Output, "output", "output projection (LM head)"},
    RoleName{TensorRole::OutputNorm, "output_norm", "final norm"},
    RoleName{TensorRole::AttnNorm, "attn_norm", "attention input norm"},
    RoleName{TensorRole::AttnQ, "attn_q", "attention Q projection"},
    RoleName{TensorRole::AttnK, "attn_k", "attention K projection"},
    RoleName{TensorRole::AttnV, "attn_v", "attention V projection"},
    RoleName{TensorRole::AttnOutput, "attn_output", "attention output projection"},
    RoleName{TensorRole::AttnQNorm, "attn_q_norm", "Q norm"},
    RoleName{TensorRole::AttnKNorm, "attn_k_norm", "K norm"},
    RoleName{TensorRole::FfnNorm, "ffn_norm", "feed-forward input norm"},
    RoleName{TensorRole::FfnGate, "ffn_gate", "feed-forward gate projection"},
    RoleName{TensorRole::FfnUp, "ffn_up", "feed-forward up projection"},
    RoleName{TensorRole::FfnDown, "ffn_down", "feed-forward down projection"},
    RoleName{TensorRole::RopeFreqs, "rope_freqs", "RoPE frequency factors"},
    RoleName{TensorRole::Other, "other", "other"},
};

// Per-layer tensors: HF suffix after "model.layers.N." (without .weight/.bias) <-> GGUF suffix after "blk.N.".
struct LayerName {
    std::string_view hf;
    std::string_view gguf;
    TensorRole role;
};

constexpr std::array kLayerNames = {
    LayerName{"input_layernorm", "attn_norm", TensorRole::AttnNorm},
    LayerName{"self_attn.q_proj", "attn_q", TensorRole::AttnQ},
    LayerName{"self_attn.k_proj", "attn_k", TensorRole::AttnK},
    LayerName{"self_attn.v_proj", "attn_v", TensorRole::AttnV},
    LayerName{"self_attn.o_proj", "attn_output", TensorRole::AttnOutput},
    LayerName{"self_attn.q_norm", "attn_q_norm", TensorRole::AttnQNorm},
    LayerName{"self_attn.k_norm", "attn_k_norm", TensorRole::AttnKNorm},
    LayerName{"post_attention_layernorm", "ffn_norm", TensorRole::FfnNorm},
    LayerName{"mlp.gate_proj", "ffn_gate", TensorRole::FfnGate},
    LayerName{"mlp.up_proj", "ffn_up", TensorRole::FfnUp},
    LayerName{"mlp.down_proj", "ffn_down", TensorRole::FfnDown},
};

struct GlobalName {
    std::string_view hf;
    std::string_view gguf;
    TensorRole role;
};

constexpr std::array kGlobalNames = {
    GlobalName{"model.embed_tokens", "token_embd", TensorRole::TokenEmbedding},
    GlobalName{"model.norm", "output_norm", TensorRole::OutputNorm},
    GlobalName{"lm_head", "output", TensorRole::Output},
};

// Splits "stem.weight" / "stem.bias"; returns false for any other suffix.
bool splitParam(std::string_view name, std::string_view &stem, bool &isBias)
{
    if (name.ends_with(".weight")) {
        stem = name.substr(0, name.size() - 7);
        isBias = false;
        return true;
    }
    if (name.ends_with(".bias")) {
        stem = name.substr(0, name.size() - 5);
        isBias = true;
        return true;
    }
    return false;
}

// Parses "<prefix>N.<rest>" and returns N and rest.
bool splitLayer(std::string_view stem, std::string_view prefix, int &layer, std::string_view &rest)
{
    if (!stem.starts_with(prefix))
        return false;
    std::string_view s = stem.substr(prefix.size());
    const auto dot = s.find('.');
    if (dot == std::string_view::npos || dot == 0)
        return false;
    int n = 0;
    const auto res = std::from_chars(s.data(), s.data() + dot, n);
    if (res.ec != std::errc() || res.ptr != s.data() + dot || n < 0)
        return false;
    layer = n;
    rest = s.substr(dot + 1);
    return true;
}

} // namespace

std::string_view roleId(TensorRole r)
{
    for (const auto &e : kRoles)
        if (e.role == r)
            return e.id;
    return "other";
}

std::string_view roleDescription(TensorRole r)
{
    for (const auto &e : kRoles)
        if (e.role == r)
            return e.description;
    return "other";
}

TensorNameInfo describeHfName(std::string_view hfName)
{
    TensorNameInfo info;
    std::string_view stem;
    bool isBias = false;
    if (!splitParam(hfName, stem, isBias))
        return info;
    info.isBias = isBias;
    const std::string_view param = isBias ? ".bias" : ".weight";
    for (const auto &g : kGlobalNames) {
        if (stem == g.hf) {
            info.role = g.role;
            info.otherName = std::string(g.gguf) + std::string(param);
            return info;
        }
    }
    int layer = -1;
    std::string_view rest;
    if (splitLayer(stem, "model.layers.", layer, rest)) {
        info.layer = layer;
        for (const auto &l : kLayerNames) {
            if (rest == l.hf) {
                info.role = l.role;
                info.otherName = "blk." + std::to_string(layer) + "." + std::string(l.gguf) + std::string(param);
                return info;
            }
        }
    }
    return info;
}

TensorNameInfo describeGgufName(std::string_view ggufName)
{
    TensorNameInfo info;
    std::string_view stem;
    bool isBias = false;
    if (!splitParam(ggufName, stem, isBias))
        return info;
    info.isBias = isBias;
    const std::string_view param = isBias ? ".bias" : ".weight";
    if (stem == "rope_freqs") {
        info.role = TensorRole::RopeFreqs;
        return info;
    }
    for (const auto &g : kGlobalNames) {
        if (stem == g.gguf) {
            info.role = g.role;
            info.otherName = std::string(g.hf) + std::string(param);
            return info;
        }
    }
    int layer = -1;
    std::string_view rest;
    if (splitLayer(stem, "blk.", layer, rest)) {
        info.layer = layer;
        for (const auto &l : kLayerNames) {
            if (rest == l.gguf) {
                info.role = l.role;
                info.otherName = "model.layers." + std::to_string(layer) + "." + std::string(l.hf) + std::string(param);
                return info;
            }
        }
    }
    return info;
}

} // namespace qs
