// Rotary position embeddings as transformers computes them (modeling_rope_utils): one inverse frequency per pair of
// head dimensions, scaled by the model's rope type (default, linear, llama3, yarn), and the factor yarn puts on cos
// and sin. Rotation is transformers' rotate_half: dimension i pairs with i + head_dim/2.
#pragma once

#include "common/result.h"
#include "model/architecture.h"

#include <cstdint>
#include <vector>

namespace qs {

struct RopeTable {
    std::vector<float> invFreq;   // head_dim / 2 values
    float attentionScaling = 1.0f; // multiplies cos and sin (yarn's mscale)

    // freqFactors: llama.cpp's rope_freqs tensor (a GGUF written for llama3 scaling): each frequency is divided by it.
    static Result<RopeTable> make(const Architecture &arch, const std::vector<float> &freqFactors = {});
    // cos/sin (times attentionScaling) for positions [0, n), head_dim/2 of each per position.
    void angles(int64_t n, std::vector<float> &cosOut, std::vector<float> &sinOut) const;
};

// Rotates rows of `tokens` positions (first position `pos0`) with precomputed angles.
void applyRope(float *x, int64_t tokens, int64_t heads, int64_t headDim, int64_t rowStride, const float *cosTab,
               const float *sinTab, int64_t pos0);

} // namespace qs
