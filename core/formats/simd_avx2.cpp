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

namespace {

enum class WeightSource { RmsPlusAbs, Abs, Given };

// One body for make_qkx2_quants and make_qkx3_quants: they differ in the degenerate test (max == min vs max <= min)
// and in how the search rounds (clamp(nearest(v)) vs v > 0 ? nearest(min(v, nmax)) : 0).
void qkxQuants8(bool qkx3, int n, int nmax, const float *x, const float *w, WeightSource weightMode, bool useMad, float rmin,
                float rdelta, int nstep, uint8_t *L, float *scales, float *mins)
{
    // lane j holds sub-block j: xs[i] = {x[n*0 + i], ..., x[n*7 + i]}
    __m256 xs[32], ws[32];
    __m256i Ls[32], Laux[32];
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i stride = _mm256_mullo_epi32(lane, _mm256_set1_epi32(n));
    for (int i = 0; i < n; ++i)
        xs[i] = _mm256_i32gather_ps(x + i, stride, 4);

    if (weightMode == WeightSource::Given) {
        for (int i = 0; i < n; ++i)
            ws[i] = _mm256_i32gather_ps(w + i, stride, 4);
    } else if (weightMode == WeightSource::RmsPlusAbs) {
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
    const __m256 degenerate = _mm256_cmp_ps(mx, mn, qkx3 ? _CMP_LE_OQ : _CMP_EQ_OQ);
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
            const __m256 v = _mm256_mul_ps(iscale, _mm256_sub_ps(xs[i], mn));
            __m256i l;
            if (qkx3) // v can be inf or NaN once min has moved near max: round only positive values, capped first
                l = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v, zero, _CMP_GT_OQ)), nearest(_mm256_min_ps(v, fnmax)));
            else
                l = _mm256_max_epi32(izero, _mm256_min_epi32(inmax, nearest(v)));
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

} // namespace

void makeQkx2Quants8(int n, int nmax, const float *x, Qkx2Weights weights, bool useMad, float rmin, float rdelta, int nstep,
                     uint8_t *L, float *scales, float *mins)
{
    qkxQuants8(false, n, nmax, x, nullptr, weights == Qkx2Weights::Abs ? WeightSource::Abs : WeightSource::RmsPlusAbs, useMad,
               rmin, rdelta, nstep, L, scales, mins);
}

void makeQkx3Quants8(int n, int nmax, const float *x, const float *w, float rmin, float rdelta, int nstep, uint8_t *L,
                     float *scales, float *mins)
{
    qkxQuants8(true, n, nmax, x, w, WeightSource::Given, false, rmin, rdelta, nstep, L, scales, mins);
}

void makeQxQuants8(int n, int nmax, const float *x, const float *w, int8_t *L, float *scales)
{
    __m256 xs[32], ws[32];
    __m256i Ls[32], Laux[32];
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i stride = _mm256_mullo_epi32(lane, _mm256_set1_epi32(n));
    const __m256 zero = _mm256_setzero_ps();
    __m256 amax = zero, mx = zero;
    for (int i = 0; i < n; ++i) {
        xs[i] = _mm256_i32gather_ps(x + i, stride, 4);
        ws[i] = w ? _mm256_i32gather_ps(w + i, stride, 4) : _mm256_mul_ps(xs[i], xs[i]);
        const __m256 ax = absps(xs[i]);
        const __m256 larger = _mm256_cmp_ps(ax, amax, _CMP_GT_OQ); // strict: the first largest wins
        amax = blend(amax, ax, larger);
        mx = blend(mx, xs[i], larger);
    }
    const __m256 allZero = _mm256_cmp_ps(amax, _mm256_set1_ps(1e-15f), _CMP_LT_OQ);
    const __m256i lo = _mm256_set1_epi32(-nmax), hi = _mm256_set1_epi32(nmax - 1), off = _mm256_set1_epi32(nmax);
    auto pass = [&](__m256 iscale, __m256i *dst, __m256 &sumlx, __m256 &suml2) {
        sumlx = zero;
        suml2 = zero;
        for (int i = 0; i < n; ++i) {
            const __m256i l = _mm256_max_epi32(lo, _mm256_min_epi32(hi, nearest(_mm256_mul_ps(iscale, xs[i]))));
            dst[i] = l;
            const __m256 fl = _mm256_cvtepi32_ps(l);
            sumlx = _mm256_add_ps(sumlx, _mm256_mul_ps(_mm256_mul_ps(ws[i], xs[i]), fl));
            suml2 = _mm256_add_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(ws[i], fl), fl));
        }
    };
    __m256 sumlx, suml2;
    pass(_mm256_div_ps(_mm256_set1_ps(static_cast<float>(-nmax)), mx), Ls, sumlx, suml2);
    const __m256 suml2NonZero = _mm256_cmp_ps(suml2, zero, _CMP_NEQ_UQ);
    __m256 scale = blend(zero, _mm256_div_ps(sumlx, suml2), suml2NonZero);
    __m256 best = _mm256_mul_ps(scale, sumlx);
    for (int is = -9; is <= 9; ++is) {
        if (is == 0)
            continue;
        const float num = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is));
        __m256 sx, s2;
        pass(_mm256_div_ps(_mm256_set1_ps(num), mx), Laux, sx, s2);
        const __m256 better = _mm256_and_ps(_mm256_cmp_ps(s2, zero, _CMP_GT_OQ),
                                            _mm256_cmp_ps(_mm256_mul_ps(sx, sx), _mm256_mul_ps(best, s2), _CMP_GT_OQ));
        if (_mm256_movemask_ps(better) == 0)
            continue;
        const __m256i betterI = _mm256_castps_si256(better);
        for (int i = 0; i < n; ++i)
            Ls[i] = _mm256_blendv_epi8(Ls[i], Laux[i], betterI);
        const __m256 newScale = _mm256_div_ps(sx, s2);
        scale = blend(scale, newScale, better);
        best = blend(best, _mm256_mul_ps(newScale, sx), better);
    }
    scale = blend(scale, zero, allZero);
    const __m256i zeroI = _mm256_castps_si256(allZero);
    alignas(32) int32_t lv[8];
    for (int i = 0; i < n; ++i) {
        // stored as l + nmax; all-zero groups store 0
        _mm256_store_si256(reinterpret_cast<__m256i *>(lv), _mm256_andnot_si256(zeroI, _mm256_add_epi32(Ls[i], off)));
        for (int j = 0; j < 8; ++j)
            L[n * j + i] = static_cast<int8_t>(lv[j]);
    }
    _mm256_storeu_ps(scales, scale);
}

void makeQ3Quants8(int n, int nmax, const float *x, int8_t *L, float *scales)
{
    __m256 xs[32], ws[32], Lf[32];
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i stride = _mm256_mullo_epi32(lane, _mm256_set1_epi32(n));
    const __m256 zero = _mm256_setzero_ps();
    __m256 amax = zero, mx = zero;
    for (int i = 0; i < n; ++i) {
        xs[i] = _mm256_i32gather_ps(x + i, stride, 4);
        ws[i] = _mm256_mul_ps(xs[i], xs[i]);
        const __m256 ax = absps(xs[i]);
        const __m256 larger = _mm256_cmp_ps(ax, amax, _CMP_GT_OQ);
        amax = blend(amax, ax, larger);
        mx = blend(mx, xs[i], larger);
    }
    const __m256 allZero = _mm256_cmp_ps(amax, _mm256_set1_ps(1e-15f), _CMP_LT_OQ);
    const __m256i lo = _mm256_set1_epi32(-nmax), hi = _mm256_set1_epi32(nmax - 1);
    const __m256 iscale = _mm256_div_ps(_mm256_set1_ps(static_cast<float>(-nmax)), mx);
    __m256 sumlx = zero, suml2 = zero;
    for (int i = 0; i < n; ++i) {
        Lf[i] = _mm256_cvtepi32_ps(_mm256_max_epi32(lo, _mm256_min_epi32(hi, nearest(_mm256_mul_ps(iscale, xs[i])))));
        sumlx = _mm256_add_ps(sumlx, _mm256_mul_ps(_mm256_mul_ps(ws[i], xs[i]), Lf[i]));
        suml2 = _mm256_add_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(ws[i], Lf[i]), Lf[i]));
    }
    // Coordinate descent. A lane whose pass changed nothing would change nothing in another pass (same state, same
    // arithmetic), so running every lane until all have settled gives each lane exactly the scalar result.
    for (int itry = 0; itry < 5; ++itry) {
        int anyChanged = 0;
        for (int i = 0; i < n; ++i) {
            const __m256 wx = _mm256_mul_ps(ws[i], xs[i]);
            __m256 slx = _mm256_sub_ps(sumlx, _mm256_mul_ps(wx, Lf[i]));
            const __m256 c1 = _mm256_cmp_ps(slx, zero, _CMP_GT_OQ);
            if (_mm256_movemask_ps(c1) == 0)
                continue;
            __m256 sl2 = _mm256_sub_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(ws[i], Lf[i]), Lf[i]));
            const __m256 newL = _mm256_cvtepi32_ps(
                _mm256_max_epi32(lo, _mm256_min_epi32(hi, nearest(_mm256_div_ps(_mm256_mul_ps(xs[i], sl2), slx)))));
            const __m256 c2 = _mm256_cmp_ps(newL, Lf[i], _CMP_NEQ_OQ);
            slx = _mm256_add_ps(slx, _mm256_mul_ps(wx, newL));
            sl2 = _mm256_add_ps(sl2, _mm256_mul_ps(_mm256_mul_ps(ws[i], newL), newL));
            const __m256 c3 = _mm256_and_ps(_mm256_cmp_ps(sl2, zero, _CMP_GT_OQ),
                                            _mm256_cmp_ps(_mm256_mul_ps(_mm256_mul_ps(slx, slx), suml2),
                                                          _mm256_mul_ps(_mm256_mul_ps(sumlx, sumlx), sl2), _CMP_GT_OQ));
            const __m256 take = _mm256_and_ps(_mm256_and_ps(c1, c2), c3);
            const int m = _mm256_movemask_ps(take);
            if (m == 0)
                continue;
            anyChanged |= m;
            Lf[i] = blend(Lf[i], newL, take);
            sumlx = blend(sumlx, slx, take);
            suml2 = blend(suml2, sl2, take);
        }
        if (!anyChanged)
            break;
    }
    const __m256 scale = blend(zero, _mm256_div_ps(sumlx, suml2), _mm256_cmp_ps(suml2, zero, _CMP_GT_OQ));
    _mm256_storeu_ps(scales, blend(scale, zero, allZero));
    const __m256i zeroI = _mm256_castps_si256(allZero);
    const __m256i off = _mm256_set1_epi32(nmax);
    alignas(32) int32_t lv[8];
    for (int i = 0; i < n; ++i) {
        _mm256_store_si256(reinterpret_cast<__m256i *>(lv), _mm256_andnot_si256(zeroI, _mm256_add_epi32(_mm256_cvtps_epi32(Lf[i]), off)));
        for (int j = 0; j < 8; ++j)
            L[n * j + i] = static_cast<int8_t>(lv[j]);
    }
}

} // namespace qs::formats::simd
