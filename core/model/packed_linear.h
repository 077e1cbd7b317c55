// Reading the quantized checkpoints people deploy: GPTQ (GPTQModel/AutoGPTQ, checkpoint_format gptq v1 or
// gptq_v2), AWQ GEMM (AutoAWQ) and compressed-tensors pack-quantized (llm-compressor). The config's
// quantization_config says which; each quantized Linear's parts (qweight/qzeros/scales/g_idx, or
// weight_packed/weight_scale/weight_zero_point/weight_g_idx/weight_shape) are checked against it and against each
// other, then presented as one logical [out, in] tensor whose rows dequantize as scale * (code - zero).
// The layouts are those export/group_checkpoint.h writes; formats/int_group_pack.h has the bit rules.
#pragma once

#include "common/result.h"
#include "io/mapped_file.h"
#include "io/safetensors.h"

#include <QJsonObject>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qs {

struct ModelTensor;

enum class PackedLayout { GptqV1, GptqV2, AwqGemm, PackQuantized };

// One stored part of a packed Linear, where the model's files hold it.
struct PackedPart {
    bool present = false;
    std::string name;
    StDtype dtype = StDtype::I32;
    std::vector<int64_t> shape;
    int fileIndex = 0;
    uint64_t fileOffset = 0;
    uint64_t bytes = 0;
};

struct PackedLinear {
    PackedLayout layout = PackedLayout::GptqV1;
    std::string module;           // "model.layers.0.self_attn.q_proj"
    int bits = 4;
    int groupSize = 128;          // -1: per channel
    bool symmetric = false;       // compressed-tensors: no stored zero points
    int64_t rows = 0, cols = 0;   // out, in features
    int64_t groups = 0;
    PackedPart qweight, qzeros, scales, gIdx; // compressed-tensors: weight_packed, weight_zero_point, weight_scale, weight_g_idx

    // "GPTQ-4", "AWQ-4", "W4A16": the dtype label of the logical tensor.
    std::string dtypeLabel() const;
    // Rows [firstRow, firstRow + nRows) as f32: fp16 (or stored) scale * (code - zero). `files` by fileIndex.
    void dequantizeRows(const std::vector<std::shared_ptr<const MappedFile>> &files, int64_t firstRow, int64_t nRows, float *out) const;
};

// The config's quantization_config; `present` false when the model is not a quantized checkpoint (or one whose
// method we leave to the plain reader, e.g. fp8).
struct CheckpointQuantization {
    bool present = false;
    QJsonObject config;
};

Result<CheckpointQuantization> parseCheckpointQuantization(const QJsonObject &configJson, const std::string &configPath);

// Finds every packed Linear among `tensors`, validates it, and replaces its parts by one logical tensor (name
// module + ".weight", shape [out, in], `packed` = its index in `packed`). `maps` by fileIndex, for reading g_idx
// and weight_shape values. Any disagreement is an Error naming the tensor.
Status resolvePackedLinears(const CheckpointQuantization &q, std::vector<ModelTensor> &tensors,
                            const std::vector<std::shared_ptr<const MappedFile>> &maps, const std::vector<std::string> &files,
                            std::vector<PackedLinear> &packed);

} // namespace qs
