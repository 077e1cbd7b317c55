// Fast paths for the quantizers: the scalar search of several sub-blocks run side by side in SIMD lanes. Every
// lane performs exactly the scalar operations in the scalar order, so the bytes are identical; the scalar code in
// quant_search.cpp stays the oracle they are tested against (tests/unit/tst_simd_kernels.cpp).
#pragma once

#include <cstdint>

namespace qs::formats::simd {

// Whether the AVX2 paths run: the processor has AVX2 and they are not switched off.
bool enabled();
// Tests compare both paths; QUANTSCOPE_SCALAR=1 in the environment also switches them off.
void setEnabled(bool on);

// makeQkx2Quants over 8 sub-blocks of n (16 or 32) consecutive values at x, for the reference paths:
// Q4_K/Q5_K (n = 32, weights sqrt(mean x^2) + |x|, squared error) and Q2_K (n = 16, weights |x|, absolute error).
// Writes L[8*n], scales[8], mins[8] (as -min, like the scalar version's *theMin).
enum class Qkx2Weights { RmsPlusAbs, Abs };
void makeQkx2Quants8(int n, int nmax, const float *x, Qkx2Weights weights, bool useMad, float rmin, float rdelta, int nstep,
                     uint8_t *L, float *scales, float *mins);
// makeQkx3Quants over 8 groups of n values with the given weights (group j at x + n*j and w + n*j), squared error.
void makeQkx3Quants8(int n, int nmax, const float *x, const float *w, float rmin, float rdelta, int nstep, uint8_t *L,
                     float *scales, float *mins);

// makeQxQuants(n, nmax, x, L, rmseType = 1, qw) over 8 groups of n values (group j at x + n*j, weights at
// w + n*j, or x^2 when w is null). Writes L[8*n] and scales[8].
void makeQxQuants8(int n, int nmax, const float *x, const float *w, int8_t *L, float *scales);

// makeQ3Quants(n, nmax, x, L, doRmse = true) over 8 groups of n values (group j at x + n*j).
void makeQ3Quants8(int n, int nmax, const float *x, int8_t *L, float *scales);

} // namespace qs::formats::simd
