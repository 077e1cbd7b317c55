// Q5_K: as Q4_K with 5-bit levels; the fifth bits in qh (ggml-quants.c quantize_row_q5_K_ref / _impl).
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/kquant_pack.h"
#include "formats/quant_search.h"

#include <cstring>

namespace qs::formats {

namespace {

constexpr int kNmax = 31;

// qh[j] bits 2n / 2n+1 hold the fifth bit of elements 64n+j / 64n+32+j.
void packLevels(const uint8_t *L, BlockQ5_K &y)
{
    uint8_t *qh = y.qh;
    uint8_t *ql = y.qs;
    std::memset(qh, 0, kQKK / 8);
    uint8_t m1 = 1, m2 = 2;
    for (int n = 0; n < kQKK; n += 64) {
        for (int j = 0; j < 32; ++j) {
            int l1 = L[n + j];
            if (l1 > 15) {
                l1 -= 16;
                qh[j] = static_cast<uint8_t>(qh[j] | m1);
            }
            int l2 = L[n + j + 32];
            if (l2 > 15) {
                l2 -= 16;
                qh[j] = static_cast<uint8_t>(qh[j] | m2);
            }
            ql[j] = static_cast<uint8_t>(l1 | (l2 << 4));
        }
        m1 = static_cast<uint8_t>(m1 << 2);
        m2 = static_cast<uint8_t>(m2 << 2);
        ql += 32;
    }
}

} // namespace

void quantizeQ5_K(const float *x, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockQ5_K *>(dst);
    uint8_t L[kQKK];
    float mins[kQKK / 32], scales[kQKK / 32];
    const int64_t perRow = nPerRow / kQKK;
    for (int64_t b = 0; b < nrows * perRow; ++b, x += kQKK) {
        if (!imatrix) {
            kquant::refSubBlocks(x, kNmax, -0.5f, 0.1f, 15, L, scales, mins);
            kquant::storeRefScales(scales, mins, y[b].scales, y[b].d, y[b].dmin);
            kquant::requantize(x, y[b].scales, y[b].d, y[b].dmin, kNmax, L);
        } else {
            kquant::impl(x, imatrix + kQKK * (b % perRow), kNmax, L, y[b].scales, y[b].d, y[b].dmin);
        }
        packLevels(L, y[b]);
    }
}

void dequantizeQ5_K(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ5_K *>(src);
    for (int64_t i = 0; i < n / kQKK; ++i) {
        const uint8_t *ql = x[i].qs;
        const uint8_t *qh = x[i].qh;
        const float d = fp16ToFloat(x[i].d);
        const float min = fp16ToFloat(x[i].dmin);
        int is = 0;
        uint8_t sc, m;
        uint8_t u1 = 1, u2 = 2;
        for (int j = 0; j < kQKK; j += 64) {
            quant::getScaleMinK4(is + 0, x[i].scales, &sc, &m);
            const float d1 = d * sc, m1 = min * m;
            quant::getScaleMinK4(is + 1, x[i].scales, &sc, &m);
            const float d2 = d * sc, m2 = min * m;
            for (int l = 0; l < 32; ++l)
                *y++ = d1 * static_cast<float>((ql[l] & 0xF) + (qh[l] & u1 ? 16 : 0)) - m1;
            for (int l = 0; l < 32; ++l)
                *y++ = d2 * static_cast<float>((ql[l] >> 4) + (qh[l] & u2 ? 16 : 0)) - m2;
            ql += 32;
            is += 2;
            u1 = static_cast<uint8_t>(u1 << 2);
            u2 = static_cast<uint8_t>(u2 << 2);
        }
    }
}

} // namespace qs::formats
