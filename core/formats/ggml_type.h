// The GGUF/ggml tensor types as data: one traits table gives each type's name, id, block size and bytes per
// block (ggml's type_traits). Ids follow ggml.h; removed ids (4, 5, 31-33, 36-38) have block size 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace qs {

enum class GgmlType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41, Q2_0 = 42,
};

inline constexpr uint32_t kGgmlTypeCount = 43; // GGML_TYPE_COUNT: ids at or above are unknown

// Converts `n` elements (a whole number of blocks) starting at `src` to fp32.
using ToFloatFn = void (*)(const void *src, float *dst, int64_t n);
// The mean quantization step (distance between adjacent levels) over the sub-blocks of one block, decoded from its
// scales: 1/sqrt(12) of it is the RMS error of ideal uniform rounding.
using StepFn = float (*)(const void *block);
// Quantizes nrows rows of nPerRow floats; imatrix is nPerRow importance weights or nullptr (ggml_quantize_chunk).
using QuantizeFn = void (*)(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix);

struct TypeTraits {
    GgmlType type;
    std::string_view name;  // ggml's spelling: "Q4_K", "BF16"
    int64_t blockSize;      // elements per block; 0 for a removed id
    int64_t typeSize;       // bytes per block
    ToFloatFn toFloat;      // nullptr where this build cannot dequantize the type yet
    QuantizeFn quantize = nullptr; // nullptr where this build cannot produce the type
    bool usesImatrix = false;      // whether an importance matrix changes the result (false for Q8_0, as in llama.cpp)
    StepFn step = nullptr;         // nullptr for unquantized types

    double bitsPerWeight() const { return blockSize ? 8.0 * static_cast<double>(typeSize) / static_cast<double>(blockSize) : 0.0; }
};

// Traits for a raw id as found in a file; nullptr for ids ggml never had or has removed.
const TypeTraits *typeTraits(uint32_t id);
const TypeTraits &typeTraits(GgmlType type);
std::optional<GgmlType> typeFromName(std::string_view name); // case-insensitive

// Bytes for `n` elements, or -1 if `n` is not a whole number of blocks.
int64_t rowBytes(const TypeTraits &t, int64_t n);

} // namespace qs
