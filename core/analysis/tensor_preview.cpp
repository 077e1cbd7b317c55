#include "analysis/tensor_preview.h"

#include <algorithm>
#include <cmath>

namespace qs {

Result<TensorPreview> previewTensor(const Model &model, size_t index, GgmlType type, int64_t block, int64_t maxElements)
{
    if (index >= model.tensors().size())
        return makeError("no such tensor");
    const ModelTensor &t = model.tensors()[index];
    const TypeTraits &tt = typeTraits(type);
    if (!tt.quantize || !tt.toFloat)
        return makeError(std::string(tt.name) + " cannot be previewed").forTensor(t.name);
    TensorPreview p;
    p.type = type;
    p.rows = t.rows();
    p.cols = t.rowLength();
    const int64_t rb = rowBytes(tt, p.cols);
    if (rb < 0)
        return makeError("rows of " + std::to_string(p.cols) + " do not hold whole " + std::string(tt.name) + " blocks").forTensor(t.name);
    // evenly spaced whole rows: every row keeps its blocks intact
    const int64_t want = std::max<int64_t>(1, std::min(p.rows, maxElements / std::max<int64_t>(1, p.cols)));
    std::vector<float> x(static_cast<size_t>(want * p.cols)), q(x.size());
    for (int64_t i = 0; i < want; ++i) {
        auto st = model.readRows(index, i * p.rows / want, 1, x.data() + i * p.cols);
        if (!st)
            return st.error();
    }
    p.rowsSampled = want;
    std::vector<uint8_t> bytes(static_cast<size_t>(want * rb));
    tt.quantize(x.data(), bytes.data(), want, p.cols, nullptr);
    tt.toFloat(bytes.data(), q.data(), static_cast<int64_t>(q.size()));

    const auto [mn, mx] = std::minmax_element(x.begin(), x.end());
    p.original = Histogram(*mn, *mx, kHistogramBins);
    p.quantized = Histogram(*mn, *mx, kHistogramBins);
    double maxErr = 0;
    for (size_t i = 0; i < x.size(); ++i)
        maxErr = std::max(maxErr, std::fabs(static_cast<double>(x[i]) - q[i]));
    p.error = Histogram(-maxErr, maxErr, 128);
    for (size_t i = 0; i < x.size(); ++i) {
        p.original.add(x[i]);
        p.quantized.add(q[i]);
        p.error.add(static_cast<double>(x[i]) - q[i]);
    }
    const int64_t blocks = static_cast<int64_t>(x.size()) / tt.blockSize;
    p.block = std::clamp<int64_t>(block, 0, blocks - 1);
    p.levels.assign(q.begin() + p.block * tt.blockSize, q.begin() + (p.block + 1) * tt.blockSize);
    std::sort(p.levels.begin(), p.levels.end());
    p.levels.erase(std::unique(p.levels.begin(), p.levels.end()), p.levels.end());
    return p;
}

} // namespace qs
