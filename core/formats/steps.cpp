// The mean quantization step of a block, decoded from its scales: the spacing of adjacent levels, averaged over the
// block's sub-blocks. For IQ4 the 16 non-linear levels span 240 units, a mean spacing of 16.
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/quant_search.h"

#include <cmath>

namespace qs::formats {

float stepQ4_0(const void *b) { return std::fabs(fp16ToFloat(static_cast<const BlockQ4_0 *>(b)->d)); }
float stepQ4_1(const void *b) { return std::fabs(fp16ToFloat(static_cast<const BlockQ4_1 *>(b)->d)); }
float stepQ5_0(const void *b) { return std::fabs(fp16ToFloat(static_cast<const BlockQ5_0 *>(b)->d)); }
float stepQ5_1(const void *b) { return std::fabs(fp16ToFloat(static_cast<const BlockQ5_1 *>(b)->d)); }
float stepQ8_0(const void *b) { return std::fabs(fp16ToFloat(static_cast<const BlockQ8_0 *>(b)->d)); }

float stepQ2_K(const void *p)
{
    const auto *b = static_cast<const BlockQ2_K *>(p);
    float sum = 0;
    for (int j = 0; j < 16; ++j)
        sum += static_cast<float>(b->scales[j] & 0xF);
    return std::fabs(fp16ToFloat(b->d)) * sum / 16;
}

float stepQ3_K(const void *p)
{
    const auto *b = static_cast<const BlockQ3_K *>(p);
    float sum = 0;
    for (int j = 0; j < 16; ++j) {
        const int low = j < 8 ? b->scales[j] & 0xF : b->scales[j - 8] >> 4;
        const int high = (b->scales[8 + j % 4] >> (2 * (j / 4))) & 3;
        sum += std::fabs(static_cast<float>((low | (high << 4)) - 32));
    }
    return std::fabs(fp16ToFloat(b->d)) * sum / 16;
}

template <class Block>
float stepK4(const Block *b)
{
    float sum = 0;
    uint8_t sc, m;
    for (int j = 0; j < 8; ++j) {
        quant::getScaleMinK4(j, b->scales, &sc, &m);
        sum += sc;
    }
    return std::fabs(fp16ToFloat(b->d)) * sum / 8;
}

float stepQ4_K(const void *b) { return stepK4(static_cast<const BlockQ4_K *>(b)); }
float stepQ5_K(const void *b) { return stepK4(static_cast<const BlockQ5_K *>(b)); }

float stepQ6_K(const void *p)
{
    const auto *b = static_cast<const BlockQ6_K *>(p);
    float sum = 0;
    for (int j = 0; j < 16; ++j)
        sum += std::fabs(static_cast<float>(b->scales[j]));
    return std::fabs(fp16ToFloat(b->d)) * sum / 16;
}

float stepIQ4_NL(const void *b) { return std::fabs(fp16ToFloat(static_cast<const BlockIQ4_NL *>(b)->d)) * 16.f; }

float stepIQ4_XS(const void *p)
{
    const auto *b = static_cast<const BlockIQ4_XS *>(p);
    float sum = 0;
    for (int ib = 0; ib < 8; ++ib) {
        const int ls = ((b->scales_l[ib / 2] >> 4 * (ib % 2)) & 0xf) | (((b->scales_h >> 2 * ib) & 3) << 4);
        sum += std::fabs(static_cast<float>(ls - 32));
    }
    return std::fabs(fp16ToFloat(b->d)) * sum / 8 * 16.f;
}

} // namespace qs::formats
