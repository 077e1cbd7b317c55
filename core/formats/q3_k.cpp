// Q3_K: 256-weight super-blocks of 16 sub-blocks, 3-bit levels (2 low bits in qs, the high bit in hmask) with
// 6-bit signed sub-scales (ggml-quants.c quantize_row_q3_K_ref / _impl).
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

// Scale j: low 4 bits in byte j (j < 8) or the high nibble of byte j-8; the top 2 bits in byte 8 + j%4 at bit 2(j/4).
void storeScale(uint8_t *scales, int j, int l)
{
    if (j < 8)
        scales[j] = static_cast<uint8_t>(l & 0xF);
    else
        scales[j - 8] = static_cast<uint8_t>(scales[j - 8] | ((l & 0xF) << 4));
    l >>= 4;
    scales[j % 4 + 8] = static_cast<uint8_t>(scales[j % 4 + 8] | (l << (2 * (j / 4))));
}

int8_t loadScale(const uint8_t *scales, int j)
{
    int8_t sc = static_cast<int8_t>(j < 8 ? scales[j] & 0xF : scales[j - 8] >> 4);
    return static_cast<int8_t>((sc | (((scales[8 + j % 4] >> (2 * (j / 4))) & 3) << 4)) - 32);
}

// Requantize with the stored fp16 scale, then split off the high bits into hmask and pack the 2-bit planes.
void finish(const float *x, BlockQ3_K &y, int8_t *L)
{
    for (int j = 0; j < kQKK / 16; ++j) {
        const float d = fp16ToFloat(y.d) * static_cast<float>(loadScale(y.scales, j));
        if (d == 0.f)
            continue;
        for (int ii = 0; ii < 16; ++ii) {
            int l = nearestInt(x[16 * j + ii] / d);
            l = std::max(-4, std::min(3, l));
            L[16 * j + ii] = static_cast<int8_t>(l + 4);
        }
    }
    std::memset(y.hmask, 0, sizeof y.hmask);
    int m = 0;
    uint8_t hm = 1;
    for (int j = 0; j < kQKK; ++j) {
        if (L[j] > 3) {
            y.hmask[m] = static_cast<uint8_t>(y.hmask[m] | hm);
            L[j] = static_cast<int8_t>(L[j] - 4);
        }
        if (++m == kQKK / 8) {
            m = 0;
            hm = static_cast<uint8_t>(hm << 1);
        }
    }
    for (int j = 0; j < kQKK; j += 128)
        for (int l = 0; l < 32; ++l)
            y.qs[j / 4 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
}

void quantizeRowRef(const float *x, BlockQ3_K *y, int64_t k)
{
    int8_t L[kQKK];
    float scales[kQKK / 16];
    for (int64_t i = 0; i < k / kQKK; ++i, x += kQKK) {
        float maxScale = 0, amax = 0;
        if (simd::enabled()) {
            for (int g = 0; g < 2; ++g)
                simd::makeQ3Quants8(16, 4, x + 128 * g, L + 128 * g, scales + 8 * g);
        } else {
            for (int j = 0; j < kQKK / 16; ++j)
                scales[j] = quant::makeQ3Quants(16, 4, x + 16 * j, L + 16 * j, true);
        }
        for (int j = 0; j < kQKK / 16; ++j) {
            const float scale = std::fabs(scales[j]);
            if (scale > amax) {
                amax = scale;
                maxScale = scales[j];
            }
        }
        std::memset(y[i].scales, 0, 12);
        if (maxScale != 0.f) {
            const float iscale = -32.f / maxScale;
            for (int j = 0; j < kQKK / 16; ++j) {
                int8_t l = static_cast<int8_t>(nearestInt(iscale * scales[j]));
                l = static_cast<int8_t>(std::max<int>(-32, std::min<int>(31, l)) + 32);
                storeScale(y[i].scales, j, l);
            }
            y[i].d = floatToFp16(1 / iscale);
        } else {
            y[i].d = floatToFp16(0.f);
        }
        finish(x, y[i], L);
    }
}

void quantizeRowImpl(const float *x, BlockQ3_K *y, int64_t nPerRow, const float *qw)
{
    int8_t L[kQKK], Ls[kQKK / 16];
    float scales[kQKK / 16], weight[kQKK], sw[kQKK / 16];
    for (int64_t i = 0; i < nPerRow / kQKK; ++i, x += kQKK) {
        float sumx2 = 0;
        for (int j = 0; j < kQKK; ++j)
            sumx2 += x[j] * x[j];
        const float sigma2 = 2 * sumx2 / kQKK;
        for (int j = 0; j < kQKK / 16; ++j) {
            float *wj = weight + 16 * j;
            if (qw) {
                const float *w = qw + kQKK * i + 16 * j;
                for (int l = 0; l < 16; ++l)
                    wj[l] = w[l] * std::sqrt(sigma2 + x[16 * j + l] * x[16 * j + l]);
            } else {
                for (int l = 0; l < 16; ++l)
                    wj[l] = x[16 * j + l] * x[16 * j + l];
            }
            float sumw = 0;
            for (int l = 0; l < 16; ++l)
                sumw += wj[l];
            sw[j] = sumw;
        }
        if (simd::enabled()) {
            for (int g = 0; g < 2; ++g)
                simd::makeQxQuants8(16, 4, x + 128 * g, weight + 128 * g, L + 128 * g, scales + 8 * g);
        } else {
            for (int j = 0; j < kQKK / 16; ++j)
                scales[j] = quant::makeQxQuants(16, 4, x + 16 * j, L + 16 * j, 1, weight + 16 * j);
        }
        std::memset(y[i].scales, 0, 12);
        const float dBlock = quant::makeQxQuants(kQKK / 16, 32, scales, Ls, 1, sw);
        for (int j = 0; j < kQKK / 16; ++j)
            storeScale(y[i].scales, j, Ls[j]);
        y[i].d = floatToFp16(dBlock);
        finish(x, y[i], L);
    }
}

} // namespace

void quantizeQ3_K(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ3_K *>(dst);
    if (!imatrix) {
        quantizeRowRef(src, y, nrows * nPerRow);
        return;
    }
    for (int64_t r = 0; r < nrows; ++r)
        quantizeRowImpl(src + r * nPerRow, y + r * (nPerRow / kQKK), nPerRow, imatrix);
}

void dequantizeQ3_K(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ3_K *>(src);
    for (int64_t i = 0; i < n / kQKK; ++i) {
        const float dAll = fp16ToFloat(x[i].d);
        const uint8_t *q = x[i].qs;
        const uint8_t *hm = x[i].hmask;
        uint8_t m = 1;
        int8_t scales[16];
        for (int j = 0; j < 16; ++j)
            scales[j] = static_cast<int8_t>(loadScale(x[i].scales, j) + 32);
        int is = 0;
        for (int nn = 0; nn < kQKK; nn += 128) {
            int shift = 0;
            for (int j = 0; j < 4; ++j) {
                float dl = dAll * static_cast<float>(scales[is++] - 32);
                for (int l = 0; l < 16; ++l)
                    *y++ = dl * static_cast<float>(((q[l + 0] >> shift) & 3) - ((hm[l + 0] & m) ? 0 : 4));
                dl = dAll * static_cast<float>(scales[is++] - 32);
                for (int l = 0; l < 16; ++l)
                    *y++ = dl * static_cast<float>(((q[l + 16] >> shift) & 3) - ((hm[l + 16] & m) ? 0 : 4));
                shift += 2;
                m = static_cast<uint8_t>(m << 1);
            }
            q += 32;
        }
    }
}

} // namespace qs::formats
