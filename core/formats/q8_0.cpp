// Q8_0: 32 weights, one fp16 scale, int8 levels rounded half away from zero (roundf). llama.cpp ignores the
// importance matrix for Q8_0, and so does this.
#include "formats/blocks.h"
#include "formats/float_conv.h"
#include "formats/formats.h"
#include "formats/quant_search.h"

#include <algorithm>
#include <cmath>

namespace qs::formats {

void quantizeQ8_0(const float *x, void *dst, int64_t nrows, int64_t nPerRow, const float * /*imatrix*/)
{
    auto *y = static_cast<BlockQ8_0 *>(dst);
    const int64_t nb = nrows * nPerRow / kQK;
    for (int64_t i = 0; i < nb; ++i, x += kQK) {
        float amax = 0.0f;
        for (int j = 0; j < kQK; ++j)
            amax = quant::refMax(amax, std::fabs(x[j]));
        const float d = amax / ((1 << 7) - 1);
        const float id = d != 0.f ? 1.0f / d : 0.0f;
        y[i].d = floatToFp16(d);
        for (int j = 0; j < kQK; ++j)
            y[i].qs[j] = static_cast<int8_t>(std::round(x[j] * id));
    }
}

void dequantizeQ8_0(const void *src, float *y, int64_t n)
{
    const auto *x = static_cast<const BlockQ8_0 *>(src);
    for (int64_t i = 0; i < n / kQK; ++i, y += kQK) {
        const float d = fp16ToFloat(x[i].d);
        for (int j = 0; j < kQK; ++j)
            y[j] = static_cast<float>(x[i].qs[j]) * d;
    }
}

} // namespace qs::formats
