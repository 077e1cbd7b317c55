#include "engine/weight_source.h"

#include "formats/ggml_type.h"
#include "formats/int_group.h"
#include "jobs/thread_pool.h"

#include <algorithm>
#include <atomic>

namespace qs {

WeightSource::WeightSource(std::shared_ptr<const Model> model) : m_model(std::move(model))
{
    const std::string &arch = m_model->architecture().name;
    // convert_hf_to_gguf permutes q/k rows for the llama family only (LlamaModel.permute); qwen2/qwen3 use NEOX rope
    m_ggufPermuted = m_model->format() == ModelFormat::Gguf && (arch == "llama" || arch == "mistral");
}

std::optional<size_t> WeightSource::find(TensorRole role, int layer, bool bias) const
{
    const auto &ts = m_model->tensors();
    for (size_t i = 0; i < ts.size(); ++i)
        if (ts[i].role == role && ts[i].layer == layer && ts[i].isBias == bias)
            return i;
    return std::nullopt;
}

void WeightSource::setTransform(size_t tensor, TensorTransform transform)
{
    if (transform.format.kind == QuantFormat::Kind::Keep)
        m_transforms.erase(tensor);
    else
        m_transforms[tensor] = std::move(transform);
}

void WeightSource::setOverride(size_t tensor, RowsOverride rows) { m_overrides[tensor] = std::move(rows); }

void WeightSource::setScales(size_t tensor, TensorScales scales)
{
    if (scales.empty())
        m_scales.erase(tensor);
    else
        m_scales[tensor] = std::move(scales);
}

void WeightSource::clearTransforms()
{
    m_transforms.clear();
    m_overrides.clear(); // the scales stay: they are the (folded) model, not a change to it
}

bool WeightSource::transformed(size_t tensor) const
{
    return m_transforms.count(tensor) || m_overrides.count(tensor) || m_scales.count(tensor);
}

Status WeightSource::readPlain(size_t tensor, int64_t firstRow, int64_t n, float *out) const
{
    const ModelTensor &t = m_model->tensors()[tensor];
    if (!m_ggufPermuted || (t.role != TensorRole::AttnQ && t.role != TensorRole::AttnK))
        return m_model->readRows(tensor, firstRow, n, out);
    // The file holds llama.cpp's order: Hugging Face row r = h*hd + c*hd/2 + i is the file's p = h*hd + 2i + c
    // (the inverse of hfRowOfPermuted). A bias is one row holding every output.
    const Architecture &a = m_model->architecture();
    const int64_t heads = t.role == TensorRole::AttnQ ? a.heads : a.kvHeads;
    const bool vector = t.shape.size() == 1;
    const int64_t outputs = vector ? t.elements : t.rows();
    if (heads <= 0 || outputs % (2 * heads) != 0)
        return makeError("rows do not split into " + std::to_string(heads) + " heads of even size").forTensor(t.name);
    const int64_t hd = outputs / heads;
    auto fileIndex = [&](int64_t r) {
        const int64_t h = r / hd, w = r % hd, c = w / (hd / 2), i = w % (hd / 2);
        return h * hd + 2 * i + c;
    };
    if (vector) {
        std::vector<float> all(static_cast<size_t>(t.elements));
        if (auto st = m_model->readRows(tensor, 0, 1, all.data()); !st)
            return st;
        for (int64_t r = 0; r < outputs; ++r)
            out[r] = all[static_cast<size_t>(fileIndex(r))];
        return okStatus();
    }
    const int64_t rowLen = t.rowLength();
    for (int64_t r = firstRow; r < firstRow + n; ++r)
        if (auto st = m_model->readRows(tensor, fileIndex(r), 1, out + (r - firstRow) * rowLen); !st)
            return st;
    return okStatus();
}

Status WeightSource::applyTransform(const TensorTransform &tr, const ModelTensor &mt, float *rows, int64_t n) const
{
    const int64_t rowLen = mt.rowLength();
    switch (tr.format.kind) {
    case QuantFormat::Kind::Keep:
        return okStatus();
    case QuantFormat::Kind::Gguf: {
        const TypeTraits &t = typeTraits(tr.format.type);
        if (!t.quantize || !t.toFloat)
            return makeError("cannot evaluate " + std::string(t.name) + ": this build cannot write and read it").forTensor(mt.name);
        const int64_t rb = rowBytes(t, rowLen);
        if (rb < 0)
            return makeError("row length " + std::to_string(rowLen) + " is not a multiple of the " + std::string(t.name) +
                             " block size")
                .forTensor(mt.name);
        if (!tr.importance.empty() && static_cast<int64_t>(tr.importance.size()) != rowLen)
            return makeError("importance weights do not match the row length").forTensor(mt.name);
        std::vector<uint8_t> bytes(static_cast<size_t>(rb));
        const float *imatrix = tr.importance.empty() || !t.usesImatrix ? nullptr : tr.importance.data();
        for (int64_t r = 0; r < n; ++r) {
            t.quantize(rows + r * rowLen, bytes.data(), 1, rowLen, imatrix);
            t.toFloat(bytes.data(), rows + r * rowLen, rowLen);
        }
        return okStatus();
    }
    case QuantFormat::Kind::IntGroup: {
        const IntGroupFormat &g = tr.format.group;
        if (g.method != IntGroupMethod::Rtn)
            return makeError(g.name() + " needs its solver's result (calibration); round-to-nearest formats evaluate directly")
                .forTensor(mt.name);
        const int64_t gl = g.groupLength(rowLen);
        if (gl <= 0)
            return makeError("rows of " + std::to_string(rowLen) + " do not split into groups of " + std::to_string(g.groupSize))
                .forTensor(mt.name);
        // the grid an RTN checkpoint holds, its scales rounded to fp16 as the file stores them
        for (int64_t r = 0; r < n; ++r)
            roundToNearest(rows + r * rowLen, 1, rowLen, g).dequantize(rows + r * rowLen, true);
        return okStatus();
    }
    }
    return okStatus();
}

Status WeightSource::read(size_t tensor, int64_t firstRow, int64_t n, float *out, int threads) const
{
    if (tensor >= m_model->tensors().size())
        return makeError("no such tensor");
    const ModelTensor &mt = m_model->tensors()[tensor];
    if (!m_model->canRead(tensor))
        return makeError("cannot read " + mt.dtype + " tensors").forTensor(mt.name);
    const int64_t rowLen = mt.rowLength();
    const auto tr = m_transforms.find(tensor);
    const auto ov = m_overrides.find(tensor);
    const auto sc = m_scales.find(tensor);
    if (mt.shape.size() < 2) { // norms and biases: one row, never quantized, but a solver may replace it (AWQ's norms)
        if (auto st = readPlain(tensor, firstRow, n, out); !st)
            return st;
        if (sc != m_scales.end())
            if (auto st = applyTensorScales(sc->second, 1, mt.elements, 0, 1, out); !st)
                return Error(st.error()).forTensor(mt.name);
        if (ov != m_overrides.end())
            if (auto st = ov->second(firstRow, n, out); !st)
                return Error(st.error()).forTensor(mt.name);
        return okStatus();
    }
    // row chunks of ~256K elements over the pool: conversion and fake quantization are per row
    const int64_t chunk = std::max<int64_t>(1, (int64_t(1) << 18) / std::max<int64_t>(1, rowLen));
    const int64_t chunks = (n + chunk - 1) / chunk;
    std::vector<Status> results(static_cast<size_t>(chunks), okStatus());
    ThreadPool::shared().run(
        static_cast<int>(chunks),
        [&](int c) {
            const int64_t r0 = firstRow + c * chunk, rn = std::min(chunk, firstRow + n - r0);
            float *dst = out + (r0 - firstRow) * rowLen;
            Status st = readPlain(tensor, r0, rn, dst);
            if (st && sc != m_scales.end())
                st = applyTensorScales(sc->second, mt.rows(), rowLen, r0, rn, dst);
            if (st && tr != m_transforms.end())
                st = applyTransform(tr->second, mt, dst, rn);
            results[static_cast<size_t>(c)] = std::move(st);
        },
        ThreadPool::effectiveThreads(threads));
    for (auto &st : results)
        if (!st)
            return Error(st.error()).forTensor(mt.name);
    if (ov != m_overrides.end())
        if (auto st = ov->second(firstRow, n, out); !st)
            return Error(st.error()).forTensor(mt.name);
    return okStatus();
}

Result<std::vector<float>> WeightSource::readAll(size_t tensor, int threads) const
{
    const ModelTensor &mt = m_model->tensors()[tensor];
    std::vector<float> v(static_cast<size_t>(mt.elements));
    if (auto st = read(tensor, 0, mt.rows(), v.data(), threads); !st)
        return st.error();
    return v;
}

} // namespace qs
