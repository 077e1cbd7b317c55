#include "formats/ggml_type.h"

#include "formats/float_conv.h"
#include "formats/formats.h"

#include <array>
#include <cctype>
#include <cstring>

namespace qs {

namespace {

void f32ToFloat(const void *src, float *dst, int64_t n) { std::memcpy(dst, src, static_cast<size_t>(n) * 4); }

void f16ToFloat(const void *src, float *dst, int64_t n)
{
    const auto *s = static_cast<const uint8_t *>(src);
    for (int64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, s + 2 * i, 2);
        dst[i] = fp16ToFloat(h);
    }
}

void bf16ToFloatRow(const void *src, float *dst, int64_t n)
{
    const auto *s = static_cast<const uint8_t *>(src);
    for (int64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, s + 2 * i, 2);
        dst[i] = bf16ToFloat(h);
    }
}

void f64ToFloat(const void *src, float *dst, int64_t n)
{
    const auto *s = static_cast<const uint8_t *>(src);
    for (int64_t i = 0; i < n; ++i) {
        double d;
        std::memcpy(&d, s + 8 * i, 8);
        dst[i] = static_cast<float>(d);
    }
}

void floatToF32(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *)
{
    std::memcpy(dst, src, static_cast<size_t>(nrows * nPerRow) * 4);
}

void floatToF16(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *)
{
    auto *d = static_cast<uint8_t *>(dst);
    for (int64_t i = 0; i < nrows * nPerRow; ++i) {
        const uint16_t h = floatToFp16(src[i]);
        std::memcpy(d + 2 * i, &h, 2);
    }
}

void floatToBF16(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *)
{
    auto *d = static_cast<uint8_t *>(dst);
    for (int64_t i = 0; i < nrows * nPerRow; ++i) {
        const uint16_t h = floatToBf16(src[i]);
        std::memcpy(d + 2 * i, &h, 2);
    }
}

// Block sizes and bytes per block from ggml-common.h.
constexpr std::array kTable = {
    TypeTraits{GgmlType::F32, "F32", 1, 4, f32ToFloat, floatToF32, false},
    TypeTraits{GgmlType::F16, "F16", 1, 2, f16ToFloat, floatToF16, false},
    TypeTraits{GgmlType::Q4_0, "Q4_0", 32, 18, formats::dequantizeQ4_0, formats::quantizeQ4_0, true, formats::stepQ4_0},
    TypeTraits{GgmlType::Q4_1, "Q4_1", 32, 20, formats::dequantizeQ4_1, formats::quantizeQ4_1, true, formats::stepQ4_1},
    TypeTraits{GgmlType::Q5_0, "Q5_0", 32, 22, formats::dequantizeQ5_0, formats::quantizeQ5_0, true, formats::stepQ5_0},
    TypeTraits{GgmlType::Q5_1, "Q5_1", 32, 24, formats::dequantizeQ5_1, formats::quantizeQ5_1, true, formats::stepQ5_1},
    TypeTraits{GgmlType::Q8_0, "Q8_0", 32, 34, formats::dequantizeQ8_0, formats::quantizeQ8_0, false, formats::stepQ8_0},
    TypeTraits{GgmlType::Q8_1, "Q8_1", 32, 36, nullptr},
    TypeTraits{GgmlType::Q2_K, "Q2_K", 256, 84, formats::dequantizeQ2_K, formats::quantizeQ2_K, true, formats::stepQ2_K},
    TypeTraits{GgmlType::Q3_K, "Q3_K", 256, 110, formats::dequantizeQ3_K, formats::quantizeQ3_K, true, formats::stepQ3_K},
    TypeTraits{GgmlType::Q4_K, "Q4_K", 256, 144, formats::dequantizeQ4_K, formats::quantizeQ4_K, true, formats::stepQ4_K},
    TypeTraits{GgmlType::Q5_K, "Q5_K", 256, 176, formats::dequantizeQ5_K, formats::quantizeQ5_K, true, formats::stepQ5_K},
    TypeTraits{GgmlType::Q6_K, "Q6_K", 256, 210, formats::dequantizeQ6_K, formats::quantizeQ6_K, true, formats::stepQ6_K},
    TypeTraits{GgmlType::Q8_K, "Q8_K", 256, 292, nullptr},
    TypeTraits{GgmlType::IQ2_XXS, "IQ2_XXS", 256, 66, nullptr},
    TypeTraits{GgmlType::IQ2_XS, "IQ2_XS", 256, 74, nullptr},
    TypeTraits{GgmlType::IQ3_XXS, "IQ3_XXS", 256, 98, nullptr},
    TypeTraits{GgmlType::IQ1_S, "IQ1_S", 256, 50, nullptr},
    TypeTraits{GgmlType::IQ4_NL, "IQ4_NL", 32, 18, formats::dequantizeIQ4_NL, formats::quantizeIQ4_NL, true, formats::stepIQ4_NL},
    TypeTraits{GgmlType::IQ3_S, "IQ3_S", 256, 110, nullptr},
    TypeTraits{GgmlType::IQ2_S, "IQ2_S", 256, 82, nullptr},
    TypeTraits{GgmlType::IQ4_XS, "IQ4_XS", 256, 136, formats::dequantizeIQ4_XS, formats::quantizeIQ4_XS, true, formats::stepIQ4_XS},
    TypeTraits{GgmlType::I8, "I8", 1, 1, nullptr},
    TypeTraits{GgmlType::I16, "I16", 1, 2, nullptr},
    TypeTraits{GgmlType::I32, "I32", 1, 4, nullptr},
    TypeTraits{GgmlType::I64, "I64", 1, 8, nullptr},
    TypeTraits{GgmlType::F64, "F64", 1, 8, f64ToFloat},
    TypeTraits{GgmlType::IQ1_M, "IQ1_M", 256, 56, nullptr},
    TypeTraits{GgmlType::BF16, "BF16", 1, 2, bf16ToFloatRow, floatToBF16, false},
    TypeTraits{GgmlType::TQ1_0, "TQ1_0", 256, 54, nullptr},
    TypeTraits{GgmlType::TQ2_0, "TQ2_0", 256, 66, nullptr},
    TypeTraits{GgmlType::MXFP4, "MXFP4", 32, 17, nullptr},
    TypeTraits{GgmlType::NVFP4, "NVFP4", 64, 36, nullptr},
    TypeTraits{GgmlType::Q1_0, "Q1_0", 128, 18, nullptr},
    TypeTraits{GgmlType::Q2_0, "Q2_0", 64, 18, nullptr},
};

struct IdIndex {
    std::array<const TypeTraits *, kGgmlTypeCount> byId{};
    IdIndex()
    {
        for (const auto &t : kTable)
            byId[static_cast<uint32_t>(t.type)] = &t;
    }
};

const IdIndex &index()
{
    static const IdIndex idx;
    return idx;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

} // namespace

const TypeTraits *typeTraits(uint32_t id)
{
    return id < kGgmlTypeCount ? index().byId[id] : nullptr;
}

const TypeTraits &typeTraits(GgmlType type)
{
    return *index().byId[static_cast<uint32_t>(type)];
}

std::optional<GgmlType> typeFromName(std::string_view name)
{
    for (const auto &t : kTable)
        if (equalsIgnoreCase(t.name, name))
            return t.type;
    return std::nullopt;
}

int64_t rowBytes(const TypeTraits &t, int64_t n)
{
    if (t.blockSize <= 0 || n < 0 || n % t.blockSize != 0)
        return -1;
    return n / t.blockSize * t.typeSize;
}

} // namespace qs
