#include "formats/kquant_pack.h"

#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/quant_search.h"
#include "formats/simd.h"

#include <algorithm>
#include <cmath>

namespace qs::formats::kquant {

using quant::nearestInt;

void packScaleMin(uint8_t *packed, int j, uint8_t ls, uint8_t lm)
{
    if (j < 4) {
        packed[j] = ls;
        packed[j + 4] = lm;
    } else {
        packed[j + 4] = static_cast<uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
        packed[j - 4] = static_cast<uint8_t>(packed[j - 4] | ((ls >> 4) << 6));
        packed[j - 0] = static_cast<uint8_t>(packed[j - 0] | ((lm >> 4) << 6));
    }
}

void refSubBlocks(const float *x, int nmax, float rmin, float rdelta, int nstep, uint8_t *L, float *scales, float *mins)
{
    if (simd::enabled()) {
        simd::makeQkx2Quants8(32, nmax, x, simd::Qkx2Weights::RmsPlusAbs, false, rmin, rdelta, nstep, L, scales, mins);
        return;
    }
    float weights[32];
    uint8_t Laux[32];
    for (int j = 0; j < kQKK / 32; ++j) {
        float sumX2 = 0;
        for (int l = 0; l < 32; ++l)
            sumX2 += x[32 * j + l] * x[32 * j + l];
        const float avX = std::sqrt(sumX2 / 32);
        for (int l = 0; l < 32; ++l)
            weights[l] = avX + std::fabs(x[32 * j + l]);
        scales[j] = quant::makeQkx2Quants(32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, rmin, rdelta, nstep, false);
    }
}

void storeRefScales(const float *scales, const float *mins, uint8_t *packed, uint16_t &d, uint16_t &dmin)
{
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < kQKK / 32; ++j) {
        if (scales[j] > maxScale)
            maxScale = scales[j];
        if (mins[j] > maxMin)
            maxMin = mins[j];
    }
    const float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
    const float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
    for (int j = 0; j < kQKK / 32; ++j) {
        uint8_t ls = static_cast<uint8_t>(nearestInt(invScale * scales[j]));
        uint8_t lm = static_cast<uint8_t>(nearestInt(invMin * mins[j]));
        ls = std::min<uint8_t>(63, ls);
        lm = std::min<uint8_t>(63, lm);
        packScaleMin(packed, j, ls, lm);
    }
    d = floatToFp16(maxScale / 63.f);
    dmin = floatToFp16(maxMin / 63.f);
}

void requantize(const float *x, const uint8_t *packed, uint16_t d16, uint16_t dmin16, int nmax, uint8_t *L)
{
    uint8_t sc, m;
    for (int j = 0; j < kQKK / 32; ++j) {
        quant::getScaleMinK4(j, packed, &sc, &m);
        const float d = fp16ToFloat(d16) * static_cast<float>(sc);
        if (d == 0.f)
            continue;
        const float dm = fp16ToFloat(dmin16) * static_cast<float>(m);
        for (int ii = 0; ii < 32; ++ii) {
            const int l = nearestInt((x[32 * j + ii] + dm) / d);
            L[32 * j + ii] = static_cast<uint8_t>(std::max(0, std::min(nmax, l)));
        }
    }
}

void impl(const float *x, const float *qw, int nmax, uint8_t *L, uint8_t *packed, uint16_t &d, uint16_t &dmin)
{
    uint8_t Laux[32], Ls[kQKK / 32], Lm[kQKK / 32];
    float weights[kQKK], sw[kQKK / 32], mins[kQKK / 32], scales[kQKK / 32];
    float sumX2 = 0;
    for (int l = 0; l < kQKK; ++l)
        sumX2 += x[l] * x[l];
    const float sigma2 = 2 * sumX2 / kQKK;
    for (int j = 0; j < kQKK / 32; ++j) {
        const float *w = qw + 32 * j;
        float *wj = weights + 32 * j;
        for (int l = 0; l < 32; ++l)
            wj[l] = w[l] * std::sqrt(sigma2 + x[32 * j + l] * x[32 * j + l]);
        float sumw = 0;
        for (int l = 0; l < 32; ++l)
            sumw += wj[l];
        sw[j] = sumw;
    }
    if (simd::enabled())
        simd::makeQkx3Quants8(32, nmax, x, weights, -0.9f, 0.05f, 36, L, scales, mins);
    else
        for (int j = 0; j < kQKK / 32; ++j)
            scales[j] = quant::makeQkx3Quants(32, nmax, x + 32 * j, weights + 32 * j, L + 32 * j, &mins[j], Laux, -0.9f, 0.05f, 36, false);
    const float dBlock = quant::makeQpQuants(kQKK / 32, 63, scales, Ls, sw);
    const float mBlock = quant::makeQpQuants(kQKK / 32, 63, mins, Lm, sw);
    for (int j = 0; j < kQKK / 32; ++j)
        packScaleMin(packed, j, std::min<uint8_t>(63, Ls[j]), std::min<uint8_t>(63, Lm[j]));
    d = floatToFp16(dBlock);
    dmin = floatToFp16(mBlock);
    requantize(x, packed, d, dmin, nmax, L);
}

} // namespace qs::formats::kquant
