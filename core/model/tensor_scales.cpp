#include "model/tensor_scales.h"

namespace qs {

Status applyTensorScales(const TensorScales &s, int64_t rows, int64_t rowLength, int64_t firstRow, int64_t n, float *values,
                         const std::function<int64_t(int64_t)> &hfRow)
{
    if ((!s.column.empty() && static_cast<int64_t>(s.column.size()) != rowLength) ||
        (!s.row.empty() && static_cast<int64_t>(s.row.size()) != rows))
        return makeError("the folded scales (" + std::to_string(s.row.size()) + " rows, " + std::to_string(s.column.size()) +
                         " columns) do not fit a tensor of " + std::to_string(rows) + " x " + std::to_string(rowLength));
    if (firstRow < 0 || n < 0 || firstRow + n > rows)
        return makeError("rows out of range");
    for (int64_t r = 0; r < n; ++r) {
        float *x = values + r * rowLength;
        const int64_t hr = hfRow ? hfRow(firstRow + r) : firstRow + r;
        const float rs = s.row.empty() ? 1.0f : s.row[static_cast<size_t>(hr)];
        if (s.column.empty()) {
            for (int64_t c = 0; c < rowLength; ++c)
                x[c] *= rs;
        } else {
            for (int64_t c = 0; c < rowLength; ++c)
                x[c] *= s.column[static_cast<size_t>(c)] * rs;
        }
    }
    return okStatus();
}

} // namespace qs
