// AVX2 versions of the scale searches (compiled with -mavx2, never -mfma: each lane must round exactly as the
// scalar code does). Only called after simd::enabled() confirmed the processor has AVX2.
#include "formats/simd.h"

#include <immintrin.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace qs::formats::simd {

namespace {

bool detect()
{
    const char *env = std::getenv("QUANTSCOPE_SCALAR");
    if (env && *env && *env != '0')
        return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

std::atomic<int> g_state{-1}; // -1 unknown, 0 off, 1 on

// ggml's nearest_int on 8 lanes: round half to even through the fp32 adder.
inline __m256i nearest(__m256 f)
{
    const __m256 v = _mm256_add_ps(f, _mm256_set1_ps(12582912.f));
    const __m256i i = _mm256_castps_si256(v);
    return _mm256_sub_epi32(_mm256_and_si256(i, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x00400000));
}

inline __m256 absps(__m256 v) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v); }
inline __m256 blend(__m256 a, __m256 b, __m256 mask) { return _mm256_blendv_ps(a, b, mask); } // mask ? b : a

} // namespace

bool enabled()
{
    int s = g_state.load(std::memory_order_relaxed);
    if (s < 0) {
        s = detect() ? 1 : 0;
        g_state.store(s, std::memory_order_relaxed);
    }
    return s == 1;
}

void setEnabled(bool on) { g_state.store(on && detect() ? 1 : 0, std::memory_order_relaxed); }

void makeQkx2Quants8(int n, int nmax, const float *x, Qkx2Weights weightMode, bool useMad, float rmin, float rdelta, int nstep,
                     uint8_t *L, float *scales, float *mins)
{
    // lane j holds sub-block j: xs[i] = {x[n*0 + i], ..., x[n*7 + i]}
    __m256 xs[32], ws[32];
    __m256i Ls[32], Laux[32];
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i stride = _mm256_mullo_epi32(lane, _mm256_set1_epi32(n));
    for (int i = 0; i < n; ++i)
        xs[i] = _mm256_i32gather_ps(x + i, stride, 4);

    if (weightMode == Qkx2Weights::RmsPlusAbs) {
        __m256 sumX2 = _mm256_setzero_ps();
        for (int i = 0; i < n; ++i)
            sumX2 = _mm256_add_ps(sumX2, _mm256_mul_ps(xs[i], xs[i]));
        const __m256 avX = _mm256_sqrt_ps(_mm256_div_ps(sumX2, _mm256_set1_ps(static_cast<float>(n))));
        for (int i = 0; i < n; ++i)
            ws[i] = _mm256_add_ps(avX, absps(xs[i]));
    } else {
        for (int i = 0; i < n; ++i)
            ws[i] = absps(xs[i]);
    }

    __m256 mn = xs[0], mx = xs[0];
    __m256 sumW = ws[0];
    __m256 sumX = _mm256_mul_ps(sumW, xs[0]);
    for (int i = 1; i < n; ++i) {
        mn = _mm256_min_ps(xs[i], mn); // (x < min) ? x : min, exactly the scalar test
        mx = _mm256_max_ps(xs[i], mx);
        sumW = _mm256_add_ps(sumW, ws[i]);
        sumX = _mm256_add_ps(sumX, _mm256_mul_ps(ws[i], xs[i]));
    }
    const __m256 zero = _mm256_setzero_ps();
    mn = blend(mn, zero, _mm256_cmp_ps(mn, zero, _CMP_GT_OQ));
    const __m256 degenerate = _mm256_cmp_ps(mx, mn, _CMP_EQ_OQ);
    const __m256 mn0 = mn; // degenerate lanes report this min, whatever the search below computes for them
    const __m256 fnmax = _mm256_set1_ps(static_cast<float>(nmax));
    const __m256i inmax = _mm256_set1_epi32(nmax), izero = _mm256_setzero_si256();

    __m256 iscale = _mm256_div_ps(fnmax, _mm256_sub_ps(mx, mn));
    __m256 scale = _mm256_div_ps(_mm256_set1_ps(1.0f), iscale);
    __m256 bestError = zero;
    for (int i = 0; i < n; ++i) {
        const __m256i l = nearest(_mm256_mul_ps(iscale, _mm256_sub_ps(xs[i], mn)));
        Ls[i] = _mm256_max_epi32(izero, _mm256_min_epi32(inmax, l));
        __m256 diff = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(scale, _mm256_cvtepi32_ps(Ls[i])), mn), xs[i]);
        diff = useMad ? absps(diff) : _mm256_mul_ps(diff, diff);
        bestError = _mm256_add_ps(bestError, _mm256_mul_ps(ws[i], diff));
    }
    for (int is = 0; is <= nstep; ++is) {
        const float num = rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax);
        iscale = _mm256_div_ps(_mm256_set1_ps(num), _mm256_sub_ps(mx, mn));
        __m256 sumL = zero, sumL2 = zero, sumXL = zero;
        for (int i = 0; i < n; ++i) {
            const __m256i l = _mm256_max_epi32(izero, _mm256_min_epi32(inmax, nearest(_mm256_mul_ps(iscale, _mm256_sub_ps(xs[i], mn)))));
            Laux[i] = l;
            const __m256 fl = _mm256_cvtepi32_ps(l);
            const __m256 wl = _mm256_mul_ps(ws[i], fl);
            sumL = _mm256_add_ps(sumL, wl);
            sumL2 = _mm256_add_ps(sumL2, _mm256_mul_ps(wl, fl));
            sumXL = _mm256_add_ps(sumXL, _mm256_mul_ps(wl, xs[i]));
        }
        const __m256 D = _mm256_sub_ps(_mm256_mul_ps(sumW, sumL2), _mm256_mul_ps(sumL, sumL));
        const __m256 dPositive = _mm256_cmp_ps(D, zero, _CMP_GT_OQ);
        if (_mm256_movemask_ps(dPositive) == 0)
            continue;
        __m256 thisScale = _mm256_div_ps(_mm256_sub_ps(_mm256_mul_ps(sumW, sumXL), _mm256_mul_ps(sumX, sumL)), D);
        __m256 thisMin = _mm256_div_ps(_mm256_sub_ps(_mm256_mul_ps(sumL2, sumX), _mm256_mul_ps(sumL, sumXL)), D);
        const __m256 minPositive = _mm256_cmp_ps(thisMin, zero, _CMP_GT_OQ);
        thisMin = blend(thisMin, zero, minPositive);
        thisScale = blend(thisScale, _mm256_div_ps(sumXL, sumL2), minPositive);
        __m256 curError = zero;
        for (int i = 0; i < n; ++i) {
            __m256 diff = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(thisScale, _mm256_cvtepi32_ps(Laux[i])), thisMin), xs[i]);
            diff = useMad ? absps(diff) : _mm256_mul_ps(diff, diff);
            curError = _mm256_add_ps(curError, _mm256_mul_ps(ws[i], diff));
        }
        const __m256 better = _mm256_and_ps(dPositive, _mm256_cmp_ps(curError, bestError, _CMP_LT_OQ));
        if (_mm256_movemask_ps(better) == 0)
            continue;
        const __m256i betterI = _mm256_castps_si256(better);
        for (int i = 0; i < n; ++i)
            Ls[i] = _mm256_blendv_epi8(Ls[i], Laux[i], betterI);
        bestError = blend(bestError, curError, better);
        scale = blend(scale, thisScale, better);
        mn = blend(mn, thisMin, better);
    }
    // degenerate lanes (max == min) return early in the scalar code: L = 0, scale 0, -min
    scale = blend(scale, zero, degenerate);
    const __m256i degI = _mm256_castps_si256(degenerate);
    alignas(32) int32_t lv[8];
    for (int i = 0; i < n; ++i) {
        _mm256_store_si256(reinterpret_cast<__m256i *>(lv), _mm256_andnot_si256(degI, Ls[i]));
        for (int j = 0; j < 8; ++j)
            L[n * j + i] = static_cast<uint8_t>(lv[j]);
    }
    _mm256_storeu_ps(scales, scale);
    mn = blend(mn, mn0, degenerate);
    _mm256_storeu_ps(mins, _mm256_xor_ps(mn, _mm256_set1_ps(-0.0f))); // -min, sign of zero included
}

} // namespace qs::formats::simd
