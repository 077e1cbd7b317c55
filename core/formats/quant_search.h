// The scale searches llama.cpp's quantizers share (ggml-quants.c), reproduced operation for operation: the same
// fp32 evaluation order, the same strict comparisons, the same constants. Bit-exact output depends on every detail,
// and this translation unit must be compiled without FMA contraction (-ffp-contract=off, set project-wide).
#pragma once

#include <cstdint>
#include <cstring>

namespace qs::quant {

inline constexpr float kGroupMaxEps = 1e-15f; // GROUP_MAX_EPS: a group this small counts as all zeros

// ggml's MAX/MIN macros on floats: `a > b ? a : b`. Unlike std::max they return b when a is NaN, and keep the
// reference's choice between +0 and -0.
inline float refMax(float a, float b) { return a > b ? a : b; }
inline float refMin(float a, float b) { return a < b ? a : b; }

// Round half to even through the fp32 adder (valid for |f| < 2^22), as ggml's nearest_int.
inline int nearestInt(float f)
{
    const float v = f + 12582912.f;
    int i;
    std::memcpy(&i, &v, sizeof i);
    return (i & 0x007fffff) - 0x00400000;
}

// The mean square of a whole row, the sigma2 of Q4_0/Q4_1/Q5_0/Q5_1's importance paths (fp32, in order).
inline float rowMeanSquare(const float *x, int64_t n)
{
    float sumX2 = 0;
    for (int64_t j = 0; j < n; ++j)
        sumX2 += x[j] * x[j];
    return sumX2 / static_cast<float>(n);
}

// Index of the level of the sorted table `val` (n a power of two) nearest to x; a midpoint goes up.
inline int bestIndexInt8(int n, const int8_t *val, float x)
{
    const float x2 = x + x;
    int idx = 0;
    for (int step = n >> 1; step > 0; step >>= 1) {
        const int j = idx + step;
        idx = (x2 >= static_cast<float>(val[j - 1] + val[j])) ? j : idx;
    }
    return idx;
}

// Symmetric scale search: L in [0, 2*nmax), returns the scale. rmse_type 1 weights by x^2 unless qw is given.
float makeQxQuants(int n, int nmax, const float *x, int8_t *L, int rmseType, const float *qw);
// Q3_K's symmetric search with up to 5 coordinate-descent passes (weights x^2).
float makeQ3Quants(int n, int nmax, const float *x, int8_t *L, bool doRmse);
// Asymmetric (scale, min) search; *theMin receives -min. qkx2 needs weights; qkx3 defaults them to x^2.
float makeQkx2Quants(int n, int nmax, const float *x, const float *weights, uint8_t *L, float *theMin, uint8_t *Laux,
                     float rmin, float rdelta, int nstep, bool useMad);
float makeQkx3Quants(int n, int nmax, const float *x, const float *weights, uint8_t *L, float *theMin, uint8_t *Laux,
                     float rmin, float rdelta, int nstep, bool useMad);
// Non-negative values to levels 0..nmax with weights; used for the K-quants' 6-bit and 4-bit sub-scales.
float makeQpQuants(int n, int nmax, const float *x, uint8_t *L, const float *quantWeights);

// The 6-bit scale and min of sub-block j in the packed 12-byte Q4_K/Q5_K scales.
inline void getScaleMinK4(int j, const uint8_t *q, uint8_t *d, uint8_t *m)
{
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = static_cast<uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *m = static_cast<uint8_t>((q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4));
    }
}

} // namespace qs::quant
