// Q6_K: 256-weight super-blocks of 16 sub-blocks, 6-bit levels with int8 sub-scales
// (ggml-quants.c quantize_row_q6_K_ref / _impl; the impl uses the raw importance weights, no sigma term).
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

void quantizeQ6_K(const float *x, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ6_K *>(dst);
    int8_t L[kQKK];
    float scales[kQKK / 16];
    const int64_t perRow = nPerRow / kQKK;
    for (int64_t b = 0; b < nrows * perRow; ++b, x += kQKK) {
        const float *qw = imatrix ? imatrix + kQKK * (b % perRow) : nullptr;
        float maxScale = 0, maxAbsScale = 0;
        if (simd::enabled()) {
            for (int g = 0; g < 2; ++g)
                simd::makeQxQuants8(16, 32, x + 128 * g, qw ? qw + 128 * g : nullptr, L + 128 * g, scales + 8 * g);
        } else {
            for (int ib = 0; ib < kQKK / 16; ++ib)
                scales[ib] = quant::makeQxQuants(16, 32, x + 16 * ib, L + 16 * ib, 1, qw ? qw + 16 * ib : nullptr);
        }
        for (int ib = 0; ib < kQKK / 16; ++ib) {
            const float scale = scales[ib];
            const float absScale = std::fabs(scale);
            if (absScale > maxAbsScale) {
                maxAbsScale = absScale;
                maxScale = scale;
            }
        }
        if (maxAbsScale < quant::kGroupMaxEps) {
            std::memset(&y[b], 0, sizeof(BlockQ6_K));
            y[b].d = floatToFp16(0.f);
            continue;
        }
        const float iscale = -128.f / maxScale;
        y[b].d = floatToFp16(1 / iscale);
        for (int ib = 0; ib < kQKK / 16; ++ib)
            y[b].scales[ib] = static_cast<int8_t>(std::min(127, nearestInt(iscale * scales[ib])));
        for (int j = 0; j < kQKK / 16; ++j) {
            const float d = fp16ToFloat(y[b].d) * static_cast<float>(y[b].scales[j]);
            if (d == 0.f)
                continue;
            for (int ii = 0; ii < 16; ++ii) {
                int l = nearestInt(x[16 * j + ii] / d);
                l = std::max(-32, std::min(31, l));
                L[16 * j + ii] = static_cast<int8_t>(l + 32);
            }
        }
        uint8_t *ql = y[b].ql;
        uint8_t *qh = y[b].qh;
        for (int j = 0; j < kQKK; j += 128) {
            for (int l = 0; l < 32; ++l) {
                const uint8_t q1 = L[j + l + 0] & 0xF, q2 = L[j + l + 32] & 0xF;
                const uint8_t q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
                ql[l + 0] = static_cast<uint8_t>(q1 | (q3 << 4));
                ql[l + 32] = static_cast<uint8_t>(q2 | (q4 << 4));
                qh[l] = static_cast<uint8_t>((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) |
                                             ((L[j + l + 96] >> 4) << 6));
            }
            ql += 64;
            qh += 32;
        }
    }
}

void dequantizeQ6_K(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ6_K *>(src);
    for (int64_t i = 0; i < n / kQKK; ++i) {
        const float d = fp16ToFloat(x[i].d);
        const uint8_t *ql = x[i].ql;
        const uint8_t *qh = x[i].qh;
        const int8_t *sc = x[i].scales;
        for (int nn = 0; nn < kQKK; nn += 128) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int8_t q1 = static_cast<int8_t>(((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32);
                const int8_t q2 = static_cast<int8_t>(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
                const int8_t q3 = static_cast<int8_t>(((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
                const int8_t q4 = static_cast<int8_t>(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
                y[l + 0] = d * static_cast<float>(sc[is + 0]) * static_cast<float>(q1);
                y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
                y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
                y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
            }
            y += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }
}

} // namespace qs::formats
