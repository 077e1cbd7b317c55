// AWQ (Lin et al. 2023) kernels with AutoAWQ's semantics (awq/quantize/quantizer.py, scale.py): the pseudo-quantizer,
// the per-channel statistics, the duo-scaling grid, the scale search over it (the loss comes from the caller, who
// knows which block a scaling group feeds) and the clip search. Plain arrays, fp32 like the reference; the layer
// driver (pipeline/awq_quantize) decides what each loss runs.
#pragma once

#include "formats/int_group.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace qs {

// AutoAWQ's pseudo_quantize_tensor on rows x cols (groups of `group` along each row; <= 0: the whole row), in place:
// zero point: scale = max(max - min, 1e-5) / (2^b - 1), zero = clamp(-round(min / scale), 0, 2^b - 1); symmetric:
// scale = max(absmax, 1e-5) / (2^(b-1) - 1). q = clamp(round(w / scale) + zero), w = (q - zero) * scale; fp32, round
// half to even. When `result` is given it receives codes, scales, zeros and g_idx (format.method is left to the caller).
void awqPseudoQuantize(float *w, int64_t rows, int64_t cols, int bits, int group, bool zeroPoint = true,
                       GroupQuantizedTensor *result = nullptr);

// mean |x| per input channel over `tokens` rows of x (tokens x cols), summed in fp32 per channel as AutoAWQ does.
std::vector<float> awqActivationMean(const float *x, int64_t tokens, int64_t cols);

// The scaling group's weights (each rows_i x cols, concatenated along the rows): per column, the mean over all rows of
// |w| / (max |w| of the weight's quantization group + 1e-6).
std::vector<float> awqWeightMean(const std::vector<const float *> &weights, const std::vector<int64_t> &rows, int64_t cols, int group);

// Grid point k of n (ratio r = k / n): s = clamp(x_mean^r / (w_mean^(1-r) + 1e-4), 1e-4), then s / sqrt(max(s) * min(s));
// inf and nan become 1. With !duo: s = clamp(x_mean^r, 1e-4) (AutoAWQ's duo_scaling=False).
std::vector<float> awqGridScales(const std::vector<float> &xMean, const std::vector<float> &wMean, int k, int n = 20, bool duo = true);

// Q(W * s) / s: what a Linear computes with under candidate scales (w: rows x cols, out: same).
void awqScaledFakeQuant(const float *w, int64_t rows, int64_t cols, const float *s, int bits, int group, bool zeroPoint, float *out);

struct AwqScaleChoice {
    int grid = -1;             // the chosen k of the grid; kIdentity for s = 1
    std::vector<float> scales; // per input column
    std::vector<double> losses; // per grid point (k = 0..n-1), then the identity's when it was tried
    static constexpr int kIdentity = -1;
};

// AutoAWQ's _compute_best_scale: every grid point's scales go to `loss` (the block's output error under Q(W s)/s),
// the first strict minimum wins. `withIdentity` (Quantscope's variant) also tries s = 1 after the grid, so the
// choice is never worse than plain round-to-nearest on this loss.
AwqScaleChoice awqSearchScale(const std::vector<float> &xMean, const std::vector<float> &wMean,
                              const std::function<double(const std::vector<float> &scales)> &loss, bool withIdentity = false,
                              int n = 20, bool duo = true);

// AutoAWQ's _compute_best_clip for one Linear (w: rows x cols, the scaled weights; x: tokens x cols, its scaled
// inputs): tokens sampled with step max(1, tokens / sampleTokens); per row and group, max_val = absmax * (1 - i/n)
// for i < maxShrink * n; the error of a candidate is the mean over sampled tokens of (x_g . (Q(clamp(w_g)) - w_g))^2;
// the first strict minimum wins. Returns max_val, rows x groups.
std::vector<float> awqSearchClip(const float *w, int64_t rows, int64_t cols, const float *x, int64_t tokens, int bits, int group,
                                 bool zeroPoint = true, int n = 20, double maxShrink = 0.5, int64_t sampleTokens = 512, int threads = 0,
                                 std::vector<double> *bestErrors = nullptr, std::vector<double> *unclippedErrors = nullptr);

// Clamps every group of w to [-max_val, max_val] (AutoAWQ's apply_clip).
void awqApplyClip(float *w, int64_t rows, int64_t cols, int group, const float *maxVal);

} // namespace qs
