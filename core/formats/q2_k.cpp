// Q2_K: 256-weight super-blocks of 16 sub-blocks, 2-bit levels with a 4-bit scale and min each
// (ggml-quants.c quantize_row_q2_K_ref / _impl).
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/quant_search.h"
#include "formats/simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qs::formats {

using quant::nearestInt;

namespace {

// Requantize with the stored fp16 scales and pack the 2-bit planes: byte l of each 128-half holds elements
// l, l+32, l+64, l+96.
void finish(const float *x, BlockQ2_K &y, uint8_t *L, float dm, float mm)
{
    for (int j = 0; j < kQKK / 16; ++j) {
        const float d = dm * static_cast<float>(y.scales[j] & 0xF);
        if (d == 0.f)
            continue;
        const float m = mm * static_cast<float>(y.scales[j] >> 4);
        for (int ii = 0; ii < 16; ++ii) {
            const int l = nearestInt((x[16 * j + ii] + m) / d);
            L[16 * j + ii] = static_cast<uint8_t>(std::max(0, std::min(3, l)));
        }
    }
    for (int j = 0; j < kQKK; j += 128)
        for (int l = 0; l < 32; ++l)
            y.qs[j / 4 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
}

void quantizeRowRef(const float *x, BlockQ2_K *y, int64_t k)
{
    uint8_t L[kQKK], Laux[16];
    float weights[16], mins[kQKK / 16], scales[kQKK / 16];
    const float q4scale = 15.f;
    for (int64_t i = 0; i < k / kQKK; ++i, x += kQKK) {
        float maxScale = 0, maxMin = 0; // the min is subtracted, so scales are never negative
        if (simd::enabled()) {
            for (int g = 0; g < 2; ++g) // sub-blocks 8g..8g+7 in the 8 lanes
                simd::makeQkx2Quants8(16, 3, x + 128 * g, simd::Qkx2Weights::Abs, true, -0.5f, 0.1f, 15, L + 128 * g, scales + 8 * g, mins + 8 * g);
        } else {
            for (int j = 0; j < kQKK / 16; ++j) {
                for (int l = 0; l < 16; ++l)
                    weights[l] = std::fabs(x[16 * j + l]);
                scales[j] = quant::makeQkx2Quants(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], Laux, -0.5f, 0.1f, 15, true);
            }
        }
        for (int j = 0; j < kQKK / 16; ++j) {
            if (scales[j] > maxScale)
                maxScale = scales[j];
            if (mins[j] > maxMin)
                maxMin = mins[j];
        }
        if (maxScale > 0) {
            const float iscale = q4scale / maxScale;
            for (int j = 0; j < kQKK / 16; ++j)
                y[i].scales[j] = static_cast<uint8_t>(nearestInt(iscale * scales[j]));
            y[i].d = floatToFp16(maxScale / q4scale);
        } else {
            std::memset(y[i].scales, 0, sizeof y[i].scales);
            y[i].d = floatToFp16(0.f);
        }
        if (maxMin > 0) {
            const float iscale = q4scale / maxMin;
            for (int j = 0; j < kQKK / 16; ++j)
                y[i].scales[j] = static_cast<uint8_t>(y[i].scales[j] | (nearestInt(iscale * mins[j]) << 4));
            y[i].dmin = floatToFp16(maxMin / q4scale);
        } else {
            y[i].dmin = floatToFp16(0.f);
        }
        finish(x, y[i], L, fp16ToFloat(y[i].d), fp16ToFloat(y[i].dmin));
    }
}

void quantizeRowImpl(const float *x, BlockQ2_K *y, int64_t nPerRow, const float *qw)
{
    uint8_t L[kQKK], Laux[16], Ls[kQKK / 16], Lm[kQKK / 16];
    float mins[kQKK / 16], scales[kQKK / 16], sw[kQKK / 16], weight[kQKK];
    for (int64_t i = 0; i < nPerRow / kQKK; ++i, x += kQKK) {
        std::memset(sw, 0, sizeof sw);
        float sumx2 = 0;
        for (int j = 0; j < kQKK; ++j)
            sumx2 += x[j] * x[j];
        const float sigma2 = sumx2 / kQKK; // Q2_K alone has no factor 2 here
        for (int j = 0; j < kQKK / 16; ++j) {
            const float *w = qw + kQKK * i + 16 * j;
            float *wj = weight + 16 * j;
            for (int l = 0; l < 16; ++l)
                wj[l] = w[l] * std::sqrt(sigma2 + x[16 * j + l] * x[16 * j + l]);
            for (int l = 0; l < 16; ++l)
                sw[j] += wj[l];
        }
        if (simd::enabled()) {
            for (int g = 0; g < 2; ++g)
                simd::makeQkx3Quants8(16, 3, x + 128 * g, weight + 128 * g, -0.9f, 0.05f, 36, L + 128 * g, scales + 8 * g, mins + 8 * g);
        } else {
            for (int j = 0; j < kQKK / 16; ++j)
                scales[j] = quant::makeQkx3Quants(16, 3, x + 16 * j, weight + 16 * j, L + 16 * j, &mins[j], Laux, -0.9f, 0.05f, 36, false);
        }
        const float dm0 = quant::makeQpQuants(kQKK / 16, 15, scales, Ls, sw);
        const float mm0 = quant::makeQpQuants(kQKK / 16, 15, mins, Lm, sw);
        y[i].d = floatToFp16(dm0);
        y[i].dmin = floatToFp16(mm0);
        for (int j = 0; j < kQKK / 16; ++j)
            y[i].scales[j] = static_cast<uint8_t>(Ls[j] | (Lm[j] << 4));
        finish(x, y[i], L, fp16ToFloat(y[i].d), fp16ToFloat(y[i].dmin));
    }
}

} // namespace

void quantizeQ2_K(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ2_K *>(dst);
    if (!imatrix) {
        quantizeRowRef(src, y, nrows * nPerRow);
        return;
    }
    for (int64_t r = 0; r < nrows; ++r)
        quantizeRowImpl(src + r * nPerRow, y + r * (nPerRow / kQKK), nPerRow, imatrix);
}

void dequantizeQ2_K(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ2_K *>(src);
    for (int64_t i = 0; i < n / kQKK; ++i) {
        const float d = fp16ToFloat(x[i].d);
        const float min = fp16ToFloat(x[i].dmin);
        const uint8_t *q = x[i].qs;
        int is = 0;
        for (int nn = 0; nn < kQKK; nn += 128) {
            int shift = 0;
            for (int j = 0; j < 4; ++j) {
                uint8_t sc = x[i].scales[is++];
                float dl = d * static_cast<float>(sc & 0xF), ml = min * static_cast<float>(sc >> 4);
                for (int l = 0; l < 16; ++l)
                    *y++ = dl * static_cast<float>((q[l] >> shift) & 3) - ml;
                sc = x[i].scales[is++];
                dl = d * static_cast<float>(sc & 0xF);
                ml = min * static_cast<float>(sc >> 4);
                for (int l = 0; l < 16; ++l)
                    *y++ = dl * static_cast<float>((q[l + 16] >> shift) & 3) - ml;
                shift += 2;
            }
            q += 32;
        }
    }
}

} // namespace qs::formats
