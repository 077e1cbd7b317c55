// A model's tensors as GGUF lays them out, whatever the source: GGUF names, ggml dimension order, llama.cpp's Q/K
// row permutation for Hugging Face llama/mistral weights, and rows read back in that layout. The exporter writes
// this layout, the planner resolves over it, the evaluation engine reads weights through it.
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"
#include "model/model.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct GgufTensorLayout {
    std::string name;          // GGUF name
    size_t source = 0;         // index into Model::tensors()
    std::vector<int64_t> ne;   // ggml order
    GgmlType type = GgmlType::F32;
    int64_t permuteHeads = 0;  // > 0: llama.cpp's Q/K row permutation with this many heads

    int64_t rowLength() const { return ne.empty() ? 1 : ne[0]; }
    int64_t rows() const;
};

// The tensors of a Hugging Face model under their GGUF names, in the converter's order (shard by shard, each
// shard's tensors by name), with llama's Q/K permutation and 1-D tensors as F32; `type2d` is the type the 2-D
// weights get (BF16, F16 or F32 for a plain conversion).
Result<std::vector<GgufTensorLayout>> hfToGgufTensors(const Model &model, GgmlType type2d);
// The tensors of a GGUF model as they are.
std::vector<GgufTensorLayout> ggufTensors(const Model &model);
// Either of the two above, for any model: HF 2-D weights as BF16 (what the converter writes before quantizing).
Result<std::vector<GgufTensorLayout>> ggufLayoutOf(const Model &model);

// llama-quantize's tensor order (weight_name_comparer: layer number, then name).
template <class Tensor>
void sortForQuantize(std::vector<Tensor> &tensors)
{
    std::stable_sort(tensors.begin(), tensors.end(),
                     [](const GgufTensorLayout &x, const GgufTensorLayout &y) { return ggufTensorOrderLess(x.name, y.name); });
}

// The Hugging Face row that GGUF row `row` of a tensor permuted over `heads` heads comes from (llama.cpp's
// permute(): GGUF row h*hd + 2i + c holds HF row h*hd + c*hd/2 + i).
int64_t hfRowOfPermuted(int64_t row, int64_t rows, int64_t heads);
// Rows [firstRow, firstRow + n) of a tensor in its GGUF layout, as f32.
Status readGgufRows(const Model &model, const GgufTensorLayout &tensor, int64_t firstRow, int64_t n, float *out);

} // namespace qs
