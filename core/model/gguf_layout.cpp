#include "model/gguf_layout.h"

#include <algorithm>

namespace qs {

int64_t GgufTensorLayout::rows() const
{
    int64_t r = 1;
    for (size_t i = 1; i < ne.size(); ++i)
        r *= ne[i];
    return r;
}

namespace {

bool permutesQK(const std::string &arch) { return arch == "llama" || arch == "mistral"; }

} // namespace

Result<std::vector<GgufTensorLayout>> hfToGgufTensors(const Model &model, GgmlType type2d)
{
    if (model.format() != ModelFormat::HuggingFace)
        return makeError("not a Hugging Face model");
    const Architecture &a = model.architecture();
    std::vector<GgufTensorLayout> out;
    // the converter walks the shards in order and each shard's tensors by name
    std::vector<size_t> order(model.tensors().size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        const ModelTensor &tx = model.tensors()[x], &ty = model.tensors()[y];
        return tx.fileIndex != ty.fileIndex ? tx.fileIndex < ty.fileIndex : tx.name < ty.name;
    });
    for (size_t i : order) {
        const ModelTensor &t = model.tensors()[i];
        if (t.otherName.empty()) {
            if (t.name.find("rotary_emb.inv_freq") != std::string::npos)
                continue; // a buffer transformers used to save; the converter drops it too
            return makeError("no GGUF name for this tensor (architecture " + a.name + ")").forTensor(t.name);
        }
        if (!model.canRead(i))
            return makeError("tensor of dtype " + t.dtype + " cannot be converted").forTensor(t.name);
        GgufTensorLayout e;
        e.name = t.otherName;
        e.source = i;
        e.ne.assign(t.shape.rbegin(), t.shape.rend());
        e.type = t.shape.size() >= 2 ? type2d : GgmlType::F32;
        if (permutesQK(a.name) && (t.role == TensorRole::AttnQ || t.role == TensorRole::AttnK))
            e.permuteHeads = t.role == TensorRole::AttnQ ? a.heads : a.kvHeads;
        if (e.permuteHeads > 0 && t.rows() % (2 * e.permuteHeads) != 0)
            return makeError("rows do not split into " + std::to_string(e.permuteHeads) + " heads of even size").forTensor(t.name);
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<GgufTensorLayout> ggufTensors(const Model &model)
{
    std::vector<GgufTensorLayout> out;
    for (size_t i = 0; i < model.tensors().size(); ++i) {
        const ModelTensor &t = model.tensors()[i];
        GgufTensorLayout e;
        e.name = t.name;
        e.source = i;
        e.ne.assign(t.shape.rbegin(), t.shape.rend());
        e.type = t.ggml ? t.ggml->type : GgmlType::F32;
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<GgufTensorLayout>> ggufLayoutOf(const Model &model)
{
    if (model.format() == ModelFormat::HuggingFace)
        return hfToGgufTensors(model, GgmlType::BF16);
    return ggufTensors(model);
}

int64_t hfRowOfPermuted(int64_t row, int64_t rows, int64_t heads)
{
    const int64_t hd = rows / heads, h = row / hd, w = row % hd;
    return h * hd + (w % 2) * (hd / 2) + w / 2;
}

Status readGgufRows(const Model &model, const GgufTensorLayout &tensor, int64_t firstRow, int64_t n, float *out)
{
    if (tensor.permuteHeads <= 0)
        return model.readRows(tensor.source, firstRow, n, out);
    const int64_t rowLen = tensor.rowLength(), rows = tensor.rows();
    for (int64_t r = 0; r < n; ++r)
        if (auto st = model.readRows(tensor.source, hfRowOfPermuted(firstRow + r, rows, tensor.permuteHeads), 1, out + r * rowLen); !st)
            return st;
    return okStatus();
}

} // namespace qs
