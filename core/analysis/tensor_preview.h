// What a format does to one tensor, for pictures: the weights' histogram, the histogram of the same weights after a
// quantize-dequantize round trip (same bins), the error's histogram, and the levels one block can take. Works on
// up to `maxElements` values taken as evenly spaced whole rows, so even an embedding of 500M values previews fast.
#pragma once

#include "analysis/statistics.h"
#include "common/result.h"
#include "formats/ggml_type.h"
#include "model/model.h"

#include <vector>

namespace qs {

struct TensorPreview {
    GgmlType type = GgmlType::Q4_K;
    int64_t rowsSampled = 0, rows = 0, cols = 0;
    Histogram original, quantized; // the same 256 bins over the sample's range
    Histogram error;               // 128 bins over [-max |error|, +max |error|]
    int64_t block = 0;             // which block's levels: block b of the sample, row-major
    std::vector<float> levels;     // the distinct dequantized values in that block, ascending
};

Result<TensorPreview> previewTensor(const Model &model, size_t index, GgmlType type, int64_t block = 0,
                                    int64_t maxElements = int64_t(1) << 21);

} // namespace qs
