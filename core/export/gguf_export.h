// Turning a model into a GGUF file: which tensors, in which order, with which types and metadata (the request),
// then writing it (multithreaded over row chunks; the bytes never depend on the thread count; atomic).
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"
#include "io/gguf.h"
#include "jobs/job_control.h"
#include "model/model.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace qs {

struct ExportTensor {
    std::string name;          // GGUF name
    size_t source = 0;         // index into Model::tensors()
    std::vector<int64_t> ne;   // ggml order
    GgmlType type = GgmlType::F32;
    int64_t permuteHeads = 0;  // > 0: llama.cpp's Q/K row permutation with this many heads
    std::vector<float> importance; // importance weights for the quantizer (ne[0] values), empty if none

    int64_t rowLength() const { return ne.empty() ? 1 : ne[0]; }
    int64_t rows() const;
};

struct GgufExportRequest {
    std::vector<GgufKeyValue> metadata;
    std::vector<ExportTensor> tensors; // in file order
};

// The tensors of a Hugging Face model under their GGUF names, in the converter's order (shard by shard, each
// shard's tensors by name), with llama's Q/K permutation and 1-D tensors as F32; `type2d` is the type the 2-D
// weights get (BF16, F16 or F32 for a plain conversion).
Result<std::vector<ExportTensor>> hfToGgufTensors(const Model &model, GgmlType type2d);
// The tensors of a GGUF model as they are.
std::vector<ExportTensor> ggufTensors(const Model &model);
// llama.cpp's convert_hf_to_gguf metadata for a Hugging Face model, tokenizer included.
Result<std::vector<GgufKeyValue>> hfToGgufMetadata(const Model &model, uint32_t fileType);

// llama-quantize's tensor order (weight_name_comparer: layer number, then name).
void sortForQuantize(std::vector<ExportTensor> &tensors);

Status writeGguf(const Model &model, const GgufExportRequest &request, const std::string &path, int threads,
                 JobControl *control = nullptr);

} // namespace qs
