#include "quantize_preview.h"

#include "analysis/statistics.h"
#include "formats/float_conv.h"
#include "model/model.h"
#include "quantize_session.h"

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

// AWQ folds the scales of down_proj's inputs into up_proj's rows, and of o_proj's into v_proj's (when their shapes
// match): those rows were divided by the next Linear's scales.
const std::vector<float> *rowScalesOf(const SolvedResult &r, const std::string &name)
{
    auto next = [&](const char *from, const char *to) -> const std::vector<float> * {
        const std::string f(from);
        const size_t at = name.rfind(f);
        if (at == std::string::npos)
            return nullptr;
        std::string other = name;
        other.replace(at, f.size(), to);
        return r.inputScales(other);
    };
    if (const auto *s = next("mlp.up_proj.", "mlp.down_proj."))
        return s;
    return next("self_attn.v_proj.", "self_attn.o_proj.");
}

// Rows [first, first + n) of the solved weight as the model computes with it, in the original weights' terms.
void effectiveRows(const GroupQuantizedTensor &q, const std::vector<float> *colScales, const std::vector<float> *rowScales, int64_t first,
                   int64_t n, float *out)
{
    q.dequantizeRows(first, n, out, true);
    for (int64_t r = 0; r < n; ++r) {
        float *row = out + r * q.cols;
        if (colScales && static_cast<int64_t>(colScales->size()) == q.cols)
            for (int64_t c = 0; c < q.cols; ++c)
                row[c] /= (*colScales)[static_cast<size_t>(c)];
        if (rowScales && static_cast<int64_t>(rowScales->size()) == q.rows) {
            const float s = (*rowScales)[static_cast<size_t>(first + r)];
            for (int64_t c = 0; c < q.cols; ++c)
                row[c] *= s;
        }
    }
}

} // namespace

Result<SolvedPreview> previewSolved(const SolvedResult &result, size_t index, int64_t block, int64_t maxElements)
{
    const Model &model = *result.model;
    if (index >= model.tensors().size())
        return makeError("no such tensor");
    const ModelTensor &t = model.tensors()[index];
    const GroupQuantizedTensor *q = result.tensor(t.name);
    if (!q)
        return makeError("the solved result does not hold this tensor").forTensor(t.name);
    if (q->rows != t.rows() || q->cols != t.rowLength())
        return makeError("the solved result's shape differs from the model's").forTensor(t.name);
    const bool awq = result.solved.solver == IntGroupMethod::Awq;
    const std::vector<float> *colScales = awq ? result.inputScales(t.name) : nullptr;
    const std::vector<float> *rowScales = awq ? rowScalesOf(result, t.name) : nullptr;
    const int64_t rows = q->rows, cols = q->cols;

    // the histograms: evenly spaced whole rows, as previewTensor samples them
    SolvedPreview out;
    TensorPreview &p = out.preview;
    p.rows = rows;
    p.cols = cols;
    const int64_t want = std::max<int64_t>(1, std::min(rows, maxElements / std::max<int64_t>(1, cols)));
    std::vector<float> x(static_cast<size_t>(want * cols)), y(x.size());
    for (int64_t i = 0; i < want; ++i) {
        const int64_t row = i * rows / want;
        if (auto st = model.readRows(index, row, 1, x.data() + i * cols); !st)
            return st.error();
        effectiveRows(*q, colScales, rowScales, row, 1, y.data() + i * cols);
    }
    p.rowsSampled = want;
    const auto [mn, mx] = std::minmax_element(x.begin(), x.end());
    p.original = Histogram(*mn, *mx, kHistogramBins);
    p.quantized = Histogram(*mn, *mx, kHistogramBins);
    double maxErr = 0;
    for (size_t i = 0; i < x.size(); ++i)
        maxErr = std::max(maxErr, std::fabs(static_cast<double>(x[i]) - y[i]));
    p.error = Histogram(-maxErr, maxErr, 128);
    for (size_t i = 0; i < x.size(); ++i) {
        p.original.add(static_cast<double>(x[i]));
        p.quantized.add(static_cast<double>(y[i]));
        p.error.add(static_cast<double>(x[i]) - y[i]);
    }
    // one group's levels: every code's value on its grid (GPTQ); AWQ's columns each have their own scale, so a
    // group has no common levels in the original weights' terms
    const int64_t groups = q->groups();
    p.block = std::clamp<int64_t>(block, 0, want * groups - 1);
    if (!awq && groups > 0) {
        const int64_t row = (p.block / groups) * rows / want, g = p.block % groups;
        const float scale = fp16ToFloat(floatToFp16(q->scales[static_cast<size_t>(row * groups + g)]));
        const int32_t zero = q->zeros[static_cast<size_t>(row * groups + g)];
        for (int32_t k = 0; k < (1 << q->format.bits); ++k)
            p.levels.push_back(scale * static_cast<float>(k - zero));
        std::sort(p.levels.begin(), p.levels.end());
    }

    // the error map over every row, by contiguous blocks of the group length (128 columns at most, so per-channel
    // formats still show where along a row the error lies)
    int64_t blockLength = q->format.groupLength(cols);
    if (blockLength <= 0 || blockLength > 128)
        blockLength = cols % 128 == 0 ? 128 : cols;
    auto grid = std::make_shared<ErrorGrid>();
    grid->init(rows, cols, blockLength);
    const int64_t blocks = grid->blocks;
    const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(rows, (int64_t(1) << 20) / std::max<int64_t>(1, cols)));
    std::vector<float> w(static_cast<size_t>(chunk * cols)), v(w.size()), steps(static_cast<size_t>(chunk * blocks));
    for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
        const int64_t n = std::min(chunk, rows - r0);
        if (auto st = model.readRows(index, r0, n, w.data()); !st)
            return st.error();
        effectiveRows(*q, colScales, rowScales, r0, n, v.data());
        // a block's step: its first column's group scale, in the original weights' terms
        for (int64_t r = 0; r < n; ++r)
            for (int64_t b = 0; b < blocks; ++b) {
                const int64_t c = b * blockLength;
                float s = q->scales[static_cast<size_t>((r0 + r) * groups + q->gIdx[static_cast<size_t>(c)])];
                if (colScales && static_cast<int64_t>(colScales->size()) == cols)
                    s /= (*colScales)[static_cast<size_t>(c)];
                if (rowScales && static_cast<int64_t>(rowScales->size()) == rows)
                    s *= (*rowScales)[static_cast<size_t>(r0 + r)];
                steps[static_cast<size_t>(r * blocks + b)] = s;
            }
        grid->addRows(w.data(), v.data(), steps.data(), r0, n, cols);
    }
    grid->finish();
    out.grid = std::move(grid);
    return out;
}

} // namespace qs
