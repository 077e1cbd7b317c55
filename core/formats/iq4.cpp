// IQ4_NL and IQ4_XS: 4-bit indices into the non-linear kvalues_iq4nl table. IQ4_NL keeps one fp16 scale per 32
// weights; IQ4_XS packs 8 such blocks under one fp16 scale with 6-bit sub-scales. Both use the search of
// ggml-quants.c quantize_row_iq4_nl_impl with ntry = 7, as llama-quantize runs it (the "_ref" entry point with
// ntry = -1 is not what quantize writes).
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/quant_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace qs::formats {

using quant::bestIndexInt8;
using quant::nearestInt;

namespace {

constexpr int kNtry = 7;
constexpr int kBlock = 32;

// One super-block of `superBlock` weights (32 for NL, 256 for XS). Writes the fp16 scale to dh, the packed
// indices to q4, and for XS the sub-scales to scalesH/scalesL.
void quantizeSuperBlock(int superBlock, const float *x, uint16_t *dh, uint8_t *q4, uint16_t *scalesH, uint8_t *scalesL,
                        const float *qw)
{
    const int8_t *values = kIq4nlValues;
    float scales[kQKK / kBlock];
    float weight[kBlock];
    uint8_t L[kQKK];

    float sigma2 = 0;
    for (int j = 0; j < superBlock; ++j)
        sigma2 += x[j] * x[j];
    sigma2 *= 2.f / static_cast<float>(superBlock);

    std::memset(q4, 0, static_cast<size_t>(superBlock / 2));
    *dh = floatToFp16(0.f);

    float maxScale = 0, amaxScale = 0;
    for (int ib = 0; ib < superBlock / kBlock; ++ib) {
        const float *xb = x + ib * kBlock;
        uint8_t *Lb = L + ib * kBlock;
        if (qw) {
            const float *w = qw + ib * kBlock;
            for (int j = 0; j < kBlock; ++j)
                weight[j] = w[j] * std::sqrt(sigma2 + xb[j] * xb[j]);
        } else {
            for (int j = 0; j < kBlock; ++j)
                weight[j] = xb[j] * xb[j];
        }
        float amax = 0, max = 0;
        for (int j = 0; j < kBlock; ++j) {
            const float ax = std::fabs(xb[j]);
            if (ax > amax) {
                amax = ax;
                max = xb[j];
            }
        }
        if (amax < quant::kGroupMaxEps) {
            scales[ib] = 0;
            std::memset(Lb, 0, kBlock);
            continue;
        }
        float d = -max / static_cast<float>(values[0]); // ntry > 0
        float id = 1 / d;
        float sumqx = 0, sumq2 = 0;
        for (int j = 0; j < kBlock; ++j) {
            const float al = id * xb[j];
            const int l = bestIndexInt8(16, values, al);
            Lb[j] = static_cast<uint8_t>(l);
            const float q = static_cast<float>(values[l]);
            const float w = weight[j];
            sumqx += w * q * xb[j];
            sumq2 += w * q * q;
        }
        d = sumq2 > 0 ? sumqx / sumq2 : 0.f;
        float best = d * sumqx;
        for (int itry = -kNtry; itry <= kNtry; ++itry) {
            id = static_cast<float>(itry + values[0]) / max;
            sumqx = sumq2 = 0;
            for (int j = 0; j < kBlock; ++j) {
                const float al = id * xb[j];
                const int l = bestIndexInt8(16, values, al);
                const float q = static_cast<float>(values[l]);
                const float w = weight[j];
                sumqx += w * q * xb[j];
                sumq2 += w * q * q;
            }
            if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                d = sumqx / sumq2;
                best = d * sumqx;
            }
        }
        scales[ib] = d;
        const float absD = std::fabs(d);
        if (absD > amaxScale) {
            amaxScale = absD;
            maxScale = d;
        }
    }

    if (superBlock / kBlock > 1) {
        *scalesH = 0;
        const float d = -maxScale / 32;
        *dh = floatToFp16(d);
        const float id = d != 0.f ? 1 / d : 0.f;
        for (int ib = 0; ib < superBlock / kBlock; ++ib) {
            int l = nearestInt(id * scales[ib]);
            l = std::max(-32, std::min(31, l));
            const float dl = d * static_cast<float>(l); // the fp32 d, not the stored fp16 one
            const float idl = dl != 0.f ? 1 / dl : 0.f;
            uint8_t *Lb = L + ib * kBlock;
            const float *xb = x + ib * kBlock;
            for (int j = 0; j < kBlock; ++j)
                Lb[j] = static_cast<uint8_t>(bestIndexInt8(16, values, idl * xb[j]));
            l += 32;
            const uint8_t lLow = static_cast<uint8_t>(l & 0xf);
            const uint8_t lHigh = static_cast<uint8_t>(l >> 4);
            if (ib % 2 == 0)
                scalesL[ib / 2] = lLow;
            else
                scalesL[ib / 2] = static_cast<uint8_t>(scalesL[ib / 2] | (lLow << 4));
            *scalesH = static_cast<uint16_t>(*scalesH | (lHigh << 2 * (ib % 8)));
        }
    } else {
        *dh = floatToFp16(scales[0]);
        const float id = scales[0] != 0.f ? 1 / scales[0] : 0;
        for (int j = 0; j < superBlock; ++j)
            L[j] = static_cast<uint8_t>(bestIndexInt8(16, values, id * x[j]));
    }

    for (int i = 0; i < superBlock / 32; ++i)
        for (int j = 0; j < 16; ++j)
            q4[16 * i + j] = static_cast<uint8_t>(L[32 * i + j] | (L[32 * i + 16 + j] << 4));
}

} // namespace

void quantizeIQ4_NL(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockIQ4_NL *>(dst);
    const int64_t perRow = nPerRow / kQK;
    for (int64_t b = 0; b < nrows * perRow; ++b) {
        const float *qw = imatrix ? imatrix + kQK * (b % perRow) : nullptr;
        quantizeSuperBlock(kQK, src + kQK * b, &y[b].d, y[b].qs, nullptr, nullptr, qw);
    }
}

void quantizeIQ4_XS(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix)
{
    auto *y = static_cast<BlockIQ4_XS *>(dst);
    const int64_t perRow = nPerRow / kQKK;
    for (int64_t b = 0; b < nrows * perRow; ++b) {
        const float *qw = imatrix ? imatrix + kQKK * (b % perRow) : nullptr;
        quantizeSuperBlock(kQKK, src + kQKK * b, &y[b].d, y[b].qs, &y[b].scales_h, y[b].scales_l, qw);
    }
}

void dequantizeIQ4_NL(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockIQ4_NL *>(src);
    for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
        const float d = fp16ToFloat(x[i].d);
        for (int j = 0; j < kQK / 2; ++j) {
            y[j] = d * static_cast<float>(kIq4nlValues[x[i].qs[j] & 0xf]);
            y[j + kQK / 2] = d * static_cast<float>(kIq4nlValues[x[i].qs[j] >> 4]);
        }
    }
}

void dequantizeIQ4_XS(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockIQ4_XS *>(src);
    for (int64_t i = 0; i < n / kQKK; ++i) {
        const uint8_t *qs = x[i].qs;
        const float d = fp16ToFloat(x[i].d);
        for (int ib = 0; ib < kQKK / 32; ++ib) {
            const int ls = ((x[i].scales_l[ib / 2] >> 4 * (ib % 2)) & 0xf) | (((x[i].scales_h >> 2 * ib) & 3) << 4);
            const float dl = d * static_cast<float>(ls - 32);
            for (int j = 0; j < 16; ++j) {
                y[j + 0] = dl * static_cast<float>(kIq4nlValues[qs[j] & 0xf]);
                y[j + 16] = dl * static_cast<float>(kIq4nlValues[qs[j] >> 4]);
            }
            y += 32;
            qs += 16;
        }
    }
}

} // namespace qs::formats
