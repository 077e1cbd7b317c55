// Q5_0: 32 weights, one fp16 scale, 5-bit levels around 16; the fifth bits live in a little-endian u32
// (ggml-quants.c quantize_row_q5_0_ref / _impl).
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/quant_search.h"
#include "formats/simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qs::formats {

namespace {

void packQ5(const uint8_t *L, BlockQ5_0 &y)
{
    uint32_t qh = 0;
    for (int j = 0; j < 16; ++j) {
        const uint8_t a = L[j], b = L[j + 16];
        y.qs[j] = static_cast<uint8_t>((a & 0x0F) | ((b & 0x0F) << 4));
        qh |= ((a & 0x10u) >> 4) << (j + 0);
        qh |= ((b & 0x10u) >> 4) << (j + 16);
    }
    std::memcpy(y.qh, &qh, 4);
}

void quantizeRowRef(const float *x, BlockQ5_0 *y, int64_t k)
{
    uint8_t L[kQK];
    for (int64_t i = 0; i < k / kQK; ++i, x += kQK) {
        float amax = 0.0f, max = 0.0f;
        for (int j = 0; j < kQK; ++j) {
            if (amax < std::fabs(x[j])) {
                amax = std::fabs(x[j]);
                max = x[j];
            }
        }
        const float d = max / -16;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        y[i].d = floatToFp16(d);
        for (int j = 0; j < kQK; ++j)
            L[j] = static_cast<uint8_t>(std::min(31, static_cast<int>(static_cast<int8_t>(x[j] * id + 16.5f))));
        packQ5(L, y[i]);
    }
}

void quantizeBlocksImpl(const float *x, BlockQ5_0 *y, int64_t nb, const float *qw, float sigma2)
{
    float weight[8 * kQK], scales[8];
    int8_t L[8 * kQK];
    uint8_t U[kQK];
    for (int64_t ib = 0; ib < nb;) {
        // 8 blocks side by side in SIMD lanes when there are 8 left, else one at a time
        const int group = simd::enabled() && nb - ib >= 8 ? 8 : 1;
        for (int k = 0; k < group * kQK; ++k)
            weight[k] = qw[kQK * ib + k] * std::sqrt(sigma2 + x[kQK * ib + k] * x[kQK * ib + k]);
        if (group == 8)
            simd::makeQxQuants8(kQK, 16, x + kQK * ib, weight, L, scales);
        else
            scales[0] = quant::makeQxQuants(kQK, 16, x + kQK * ib, L, 1, weight);
        for (int g = 0; g < group; ++g, ++ib) {
            y[ib].d = floatToFp16(scales[g]);
            for (int j = 0; j < kQK; ++j)
                U[j] = static_cast<uint8_t>(L[kQK * g + j]);
            packQ5(U, y[ib]);
        }
    }
}

} // namespace

void quantizeQ5_0(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ5_0 *>(dst);
    if (!imatrix) {
        quantizeRowRef(src, y, nrows * nPerRow);
        return;
    }
    for (int64_t r = 0; r < nrows; ++r)
        quantizeBlocksImpl(src + r * nPerRow, y + r * (nPerRow / kQK), nPerRow / kQK, imatrix,
                           quant::rowMeanSquare(src + r * nPerRow, nPerRow));
}

void quantizeBlocksQ5_0(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2)
{
    quantizeBlocksImpl(x, static_cast<BlockQ5_0 *>(dst), nBlocks, qw, sigma2);
}

void dequantizeQ5_0(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ5_0 *>(src);
    for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
        const float d = fp16ToFloat(x[i].d);
        uint32_t qh;
        std::memcpy(&qh, x[i].qh, 4);
        for (int j = 0; j < kQK / 2; ++j) {
            const uint8_t h0 = static_cast<uint8_t>(((qh >> (j + 0)) << 4) & 0x10);
            const uint8_t h1 = static_cast<uint8_t>((qh >> (j + 12)) & 0x10);
            y[j] = static_cast<float>(((x[i].qs[j] & 0x0F) | h0) - 16) * d;
            y[j + kQK / 2] = static_cast<float>(((x[i].qs[j] >> 4) | h1) - 16) * d;
        }
    }
}

} // namespace qs::formats
