// Q4_K: 256-weight super-blocks of 8 sub-blocks, 4-bit levels with 6-bit scales and mins
// (ggml-quants.c quantize_row_q4_K_ref / _impl).
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/kquant_pack.h"
#include "formats/quant_search.h"

#include <algorithm>
#include <cmath>

namespace qs::formats {

using quant::nearestInt;

namespace {

constexpr int kNmax = 15;

void packLevels(const uint8_t *L, BlockQ4_K &y)
{
    uint8_t *q = y.qs;
    for (int j = 0; j < kQKK; j += 64, q += 32)
        for (int l = 0; l < 32; ++l)
            q[l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 4));
}

void quantizeRowRef(const float *x, BlockQ4_K *y, int64_t k)
{
    uint8_t L[kQKK];
    float mins[kQKK / 32], scales[kQKK / 32];
    for (int64_t i = 0; i < k / kQKK; ++i, x += kQKK) {
        kquant::refSubBlocks(x, kNmax, -1.f, 0.1f, 20, L, scales, mins);
        kquant::storeRefScales(scales, mins, y[i].scales, y[i].d, y[i].dmin);
        kquant::requantize(x, y[i].scales, y[i].d, y[i].dmin, kNmax, L);
        packLevels(L, y[i]);
    }
}

void quantizeRowImpl(const float *x, BlockQ4_K *y, int64_t nPerRow, const float *qw)
{
    uint8_t L[kQKK];
    for (int64_t i = 0; i < nPerRow / kQKK; ++i, x += kQKK) {
        kquant::impl(x, qw + kQKK * i, kNmax, L, y[i].scales, y[i].d, y[i].dmin);
        packLevels(L, y[i]);
    }
}

} // namespace

void quantizeQ4_K(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ4_K *>(dst);
    if (!imatrix) {
        quantizeRowRef(src, y, nrows * nPerRow);
        return;
    }
    for (int64_t r = 0; r < nrows; ++r)
        quantizeRowImpl(src + r * nPerRow, y + r * (nPerRow / kQKK), nPerRow, imatrix);
}

void dequantizeQ4_K(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ4_K *>(src);
    for (int64_t i = 0; i < n / kQKK; ++i) {
        const uint8_t *q = x[i].qs;
        const float d = fp16ToFloat(x[i].d);
        const float min = fp16ToFloat(x[i].dmin);
        int is = 0;
        uint8_t sc, m;
        for (int j = 0; j < kQKK; j += 64) {
            quant::getScaleMinK4(is + 0, x[i].scales, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            quant::getScaleMinK4(is + 1, x[i].scales, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>(q[l] & 0xF) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
            q += 32;
            is += 2;
        }
    }
}

} // namespace qs::formats
