// The weights the forward pass computes with: a model's tensors as f32 in the Hugging Face layout ([out, in], the
// rows of q/k in transformers' order even when a GGUF file stores them permuted for llama.cpp's rope), each passed
// first, if asked, through a quantization format's own codec and back (fake quantization) — the same quantizers the
// exporter writes with, so an evaluated plan is exactly the file it would export.
#pragma once

#include "common/result.h"
#include "formats/quant_format.h"
#include "model/model.h"
#include "model/tensor_scales.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace qs {

// How one tensor is changed before it is used.
struct TensorTransform {
    QuantFormat format = QuantFormat::keep();
    std::vector<float> importance; // importance weights per input column for GGUF quantizers that use them
};

// Replaces rows in place (f32, Hugging Face layout): how a solver's result (GPTQ, AWQ) joins an evaluation without
// the engine knowing the solver.
using RowsOverride = std::function<Status(int64_t firstRow, int64_t nRows, float *rows)>;

class WeightSource {
public:
    explicit WeightSource(std::shared_ptr<const Model> model);

    const Model &model() const { return *m_model; }
    std::shared_ptr<const Model> modelPtr() const { return m_model; }

    // The model tensor for a role in a layer (-1 outside the blocks); biases when `bias`.
    std::optional<size_t> find(TensorRole role, int layer, bool bias = false) const;

    void setTransform(size_t tensor, TensorTransform transform);
    void setOverride(size_t tensor, RowsOverride rows);
    // Scales applied to the tensor's values as read, before its transform (the scaled model is the one quantized).
    void setScales(size_t tensor, TensorScales scales);
    void clearTransforms();
    bool transformed(size_t tensor) const;
    const std::map<size_t, TensorTransform> &transforms() const { return m_transforms; }

    // Rows [firstRow, firstRow + n) of a tensor as the forward pass uses them. Converts on `threads` threads.
    Status read(size_t tensor, int64_t firstRow, int64_t n, float *out, int threads = 0) const;
    // A whole tensor.
    Result<std::vector<float>> readAll(size_t tensor, int threads = 0) const;

private:
    Status readPlain(size_t tensor, int64_t firstRow, int64_t n, float *out) const;
    Status applyTransform(const TensorTransform &t, const ModelTensor &mt, float *rows, int64_t n) const;

    std::shared_ptr<const Model> m_model;
    std::map<size_t, TensorTransform> m_transforms;
    std::map<size_t, RowsOverride> m_overrides;
    std::map<size_t, TensorScales> m_scales;
    bool m_ggufPermuted = false; // a llama-family GGUF: q/k rows are in llama.cpp's order
};

} // namespace qs
