// Multipliers folded into a tensor (AWQ-style scales: a Linear's input columns times s, the norm or Linear before
// it divided by s, so the model computes the same function): element (r, c) becomes w(r, c) * row[r] * column[c],
// r a Hugging Face row; either may be empty. A norm or bias (one row) takes `column`. The evaluation engine reads
// through them (engine/weight_source.h) and the exporter writes through them (export/gguf_export.h), so both see the
// same scaled model.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace qs {

struct TensorScales {
    std::vector<float> column, row;

    bool empty() const { return column.empty() && row.empty(); }
};

// Scales rows [firstRow, firstRow + n) of a tensor of `rows` rows of `rowLength` values, in place. `hfRow` maps a
// row of the caller's layout to its Hugging Face row (none: the same). Fails when the scales do not fit the shape.
Status applyTensorScales(const TensorScales &scales, int64_t rows, int64_t rowLength, int64_t firstRow, int64_t n, float *values,
                         const std::function<int64_t(int64_t)> &hfRow = {});

} // namespace qs
