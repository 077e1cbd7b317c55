// A model, opened from a Hugging Face folder (config.json + safetensors, sharded or not) or a GGUF file, described
// the same way either way. Opening reads headers only; tensor data stays in the memory-mapped files until a caller
// reads rows, which converts them to f32 on the fly. All reads are const and safe from many threads at once.
#pragma once

#include "common/result.h"
#include "io/gguf.h"
#include "io/safetensors.h"
#include "model/architecture.h"
#include "model/packed_linear.h"
#include "model/tensor_names.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

enum class ModelFormat { HuggingFace, Gguf };

// How much of the model each storage type holds.
struct DtypeShare {
    std::string dtype;
    int tensors = 0;
    int64_t elements = 0;
    uint64_t bytes = 0;
};

struct ModelTensor {
    std::string name;             // as named in its file
    std::string otherName;        // across the HF <-> GGUF mapping; empty if none
    TensorRole role = TensorRole::Other;
    int layer = -1;
    bool isBias = false;
    std::vector<int64_t> shape;   // row-major, outermost first (PyTorch order; a GGUF `ne` reversed)
    std::string dtype;            // "BF16", "F32", "Q4_K"
    int64_t elements = 0;
    uint64_t bytes = 0;
    int fileIndex = 0;            // into Model::files()
    uint64_t fileOffset = 0;      // absolute offset of the data in that file

    int64_t rowLength() const { return shape.empty() ? 1 : shape.back(); }
    int64_t rows() const { return rowLength() > 0 ? elements / rowLength() : 0; }

    // how to convert: exactly one of these is meaningful, by the model's format
    StDtype stDtype = StDtype::F32;
    const TypeTraits *ggml = nullptr;
    // A quantized Linear of a GPTQ/AWQ/compressed-tensors checkpoint: index into Model::packedLinears(); its parts
    // (qweight, scales, ...) are not listed as tensors of their own, and readRows dequantizes. -1 otherwise.
    int packed = -1;
};

class Model {
public:
    // `path`: a folder with config.json, a config.json or .safetensors file in such a folder, or a .gguf file.
    static Result<std::shared_ptr<const Model>> open(const std::string &path);

    ModelFormat format() const { return m_format; }
    const std::string &path() const { return m_path; }
    const Architecture &architecture() const { return m_arch; }
    const std::vector<ModelTensor> &tensors() const { return m_tensors; }
    const std::vector<std::string> &files() const { return m_files; }
    int64_t parameterCount() const { return m_params; }
    uint64_t tensorBytes() const { return m_tensorBytes; }
    uint64_t sizeOnDisk() const { return m_diskBytes; }
    // The storage type holding most of the weight bytes: "BF16", "Q4_K".
    const std::string &predominantDtype() const { return m_predominantDtype; }
    // Every storage type in the model, most bytes first.
    const std::vector<DtypeShare> &dtypeShares() const { return m_dtypeShares; }
    // GGUF only: the parsed file (metadata and tensor infos); null for Hugging Face models.
    const GgufFile *gguf() const { return m_gguf ? &*m_gguf : nullptr; }
    const std::vector<SafetensorsFile> &shards() const { return m_shards; }

    // The quantized Linears of a GPTQ / AWQ / compressed-tensors checkpoint (empty for other models).
    const std::vector<PackedLinear> &packedLinears() const { return m_packed; }
    // The checkpoint's quantization_config when it is one of those ("gptq", "awq", "compressed-tensors"), else "".
    const std::string &quantMethod() const { return m_quantMethod; }

    std::optional<size_t> findTensor(const std::string &name) const;
    // Disagreements between the config and the tensors, worth telling a person about; opening still succeeded.
    const std::vector<std::string> &warnings() const { return m_warnings; }

    // Converts rows [firstRow, firstRow + nRows) of tensor `index` to f32 in `out` (nRows * rowLength floats).
    Status readRows(size_t index, int64_t firstRow, int64_t nRows, float *out) const;
    // Rows as stored, byte for byte (a GGUF tensor's blocks): what a re-quantization that keeps a tensor's type
    // copies, as llama-quantize does, instead of quantizing quantized weights again.
    Status readRawRows(size_t index, int64_t firstRow, int64_t nRows, uint8_t *out) const;
    // Whether readRows can convert this tensor's storage type in this build.
    bool canRead(size_t index) const;

private:
    Model() = default;
    static Result<std::shared_ptr<const Model>> openHf(const std::string &folder);
    static Result<std::shared_ptr<const Model>> openGgufFile(const std::string &file);
    void finish();

    ModelFormat m_format = ModelFormat::HuggingFace;
    std::string m_path;
    Architecture m_arch;
    std::vector<ModelTensor> m_tensors;
    std::vector<std::string> m_files;
    std::vector<std::shared_ptr<const MappedFile>> m_maps; // index = fileIndex
    std::vector<SafetensorsFile> m_shards;
    std::vector<PackedLinear> m_packed;
    std::string m_quantMethod;
    std::optional<GgufFile> m_gguf;
    int64_t m_params = 0;
    uint64_t m_tensorBytes = 0;
    uint64_t m_diskBytes = 0;
    std::string m_predominantDtype;
    std::vector<DtypeShare> m_dtypeShares;
    std::vector<std::string> m_warnings;
};

// "llama.cpp's weight_name_comparer": layer number first (non-block tensors first), then the name.
bool ggufTensorOrderLess(const std::string &a, const std::string &b);

} // namespace qs
