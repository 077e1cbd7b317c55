// Q4_0: 32 weights, one fp16 scale, 4-bit levels around 8 (ggml-quants.c quantize_row_q4_0_ref / _impl).
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/quant_search.h"
#include "formats/simd.h"

#include <algorithm>
#include <cmath>

namespace qs::formats {

namespace {

void quantizeRowRef(const float *x, BlockQ4_0 *y, int64_t k)
{
    for (int64_t i = 0; i < k / kQK; ++i, x += kQK) {
        // the "max sign trick": the element of largest magnitude (the first, on ties) maps exactly to level 0
        float amax = 0.0f, max = 0.0f;
        for (int j = 0; j < kQK; ++j) {
            if (amax < std::fabs(x[j])) {
                amax = std::fabs(x[j]);
                max = x[j];
            }
        }
        const float d = max / -8;
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        y[i].d = floatToFp16(d);
        for (int j = 0; j < kQK / 2; ++j) {
            // truncation after +8.5: round half up, as the reference's (int8_t) cast does
            const uint8_t a = static_cast<uint8_t>(std::min(15, static_cast<int>(static_cast<int8_t>(x[j] * id + 8.5f))));
            const uint8_t b = static_cast<uint8_t>(std::min(15, static_cast<int>(static_cast<int8_t>(x[kQK / 2 + j] * id + 8.5f))));
            y[i].qs[j] = static_cast<uint8_t>(a | (b << 4));
        }
    }
}

void quantizeBlocksImpl(const float *x, BlockQ4_0 *y, int64_t nb, const float *qw, float sigma2)
{
    float weight[8 * kQK], scales[8];
    int8_t L[8 * kQK];
    for (int64_t ib = 0; ib < nb;) {
        // 8 blocks side by side in SIMD lanes when there are 8 left, else one at a time
        const int group = simd::enabled() && nb - ib >= 8 ? 8 : 1;
        for (int k = 0; k < group * kQK; ++k)
            weight[k] = qw[kQK * ib + k] * std::sqrt(sigma2 + x[kQK * ib + k] * x[kQK * ib + k]);
        if (group == 8)
            simd::makeQxQuants8(kQK, 8, x + kQK * ib, weight, L, scales);
        else
            scales[0] = quant::makeQxQuants(kQK, 8, x + kQK * ib, L, 1, weight);
        for (int g = 0; g < group; ++g, ++ib) {
            y[ib].d = floatToFp16(scales[g]);
            for (int j = 0; j < 16; ++j)
                y[ib].qs[j] = static_cast<uint8_t>(L[kQK * g + j] | (L[kQK * g + j + 16] << 4));
        }
    }
}

} // namespace

void quantizeQ4_0(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ4_0 *>(dst);
    if (!imatrix) {
        quantizeRowRef(src, y, nrows * nPerRow);
        return;
    }
    for (int64_t r = 0; r < nrows; ++r)
        quantizeBlocksImpl(src + r * nPerRow, y + r * (nPerRow / kQK), nPerRow / kQK, imatrix,
                           quant::rowMeanSquare(src + r * nPerRow, nPerRow));
}

void quantizeBlocksQ4_0(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2)
{
    quantizeBlocksImpl(x, static_cast<BlockQ4_0 *>(dst), nBlocks, qw, sigma2);
}

void dequantizeQ4_0(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ4_0 *>(src);
    for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
        const float d = fp16ToFloat(x[i].d);
        for (int j = 0; j < kQK / 2; ++j) {
            y[j] = static_cast<float>((x[i].qs[j] & 0x0F) - 8) * d;
            y[j + kQK / 2] = static_cast<float>((x[i].qs[j] >> 4) - 8) * d;
        }
    }
}

} // namespace qs::formats
