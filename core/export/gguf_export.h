// Turning a model into a GGUF file: which tensors, in which order, with which types and metadata (the request),
// then writing it (multithreaded over row chunks; the bytes never depend on the thread count; atomic).
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"
#include "io/gguf.h"
#include "jobs/job_control.h"
#include "model/gguf_layout.h"
#include "model/model.h"
#include "model/tensor_scales.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace qs {

// A tensor to write: its GGUF layout, the type it is written in, and the quantizer's importance weights.
struct ExportTensor : GgufTensorLayout {
    std::vector<float> importance; // importance weights for the quantizer (ne[0] values), empty if none
    // Blocks already computed in `type` (rows x rowBytes, in this layout's row order), written as they are instead of
    // quantizing the source: a solver's result (GPTQ-compensated GGUF blocks). Null: quantize the source.
    std::shared_ptr<const std::vector<uint8_t>> solvedBlocks;
    // Scales folded into the source values before they are quantized (AWQ-style: model/tensor_scales.h), rows in the
    // Hugging Face order. Null: none. `importance` is the scaled tensor's (its inputs divided by the column scales).
    std::shared_ptr<const TensorScales> scales;
};

struct GgufExportRequest {
    std::vector<GgufKeyValue> metadata;
    std::vector<ExportTensor> tensors; // in file order
};

// Every tensor of the model to write, in GGUF layout and order (the converter's for a Hugging Face model), 2-D
// weights in `type2d` for a Hugging Face model.
Result<std::vector<ExportTensor>> exportTensorsFor(const Model &model, GgmlType type2d);
// llama.cpp's convert_hf_to_gguf metadata for a Hugging Face model, tokenizer included.
Result<std::vector<GgufKeyValue>> hfToGgufMetadata(const Model &model, uint32_t fileType);

// A GGUF array of strings (metadata such as tokenizer.ggml.tokens).
GgufValue ggufStringArray(const std::vector<std::string> &strings);

Status writeGguf(const Model &model, const GgufExportRequest &request, const std::string &path, int threads,
                 JobControl *control = nullptr);

} // namespace qs
