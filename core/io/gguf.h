// GGUF v2/v3 reading (ggml/docs/gguf.md). Accepts exactly what llama.cpp's gguf reader accepts, and says why it
// rejects the rest. Values are kept as found, in file order, so a later writer can reproduce them.
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"
#include "io/mapped_file.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

enum class GgufType : int32_t {
    Uint8 = 0, Int8 = 1, Uint16 = 2, Int16 = 3, Uint32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, Uint64 = 10, Int64 = 11, Float64 = 12,
};

std::string_view ggufTypeName(GgufType t); // "UINT32", as gguf-py spells them
int ggufScalarSize(GgufType t);            // bytes of one element; 0 for String and Array

struct GgufValue {
    GgufType type = GgufType::Uint8;
    GgufType elemType = GgufType::Uint8; // element type when type == Array
    uint64_t count = 1;                  // array length (1 for a scalar)
    std::vector<uint8_t> raw;            // scalar or numeric array payload, little-endian as in the file
    std::vector<std::string> strings;    // a String value, or the items of a String array

    bool isArray() const { return type == GgufType::Array; }
    // Scalar accessors; nullopt if the value is not of a compatible scalar type.
    std::optional<uint64_t> toUInt() const;
    std::optional<int64_t> toInt() const;
    std::optional<double> toDouble() const;
    std::optional<bool> toBool() const;
    std::optional<std::string> toString() const;
    // Element i of a numeric array as double/int64 (no bounds beyond count checked by caller).
    double arrayDouble(uint64_t i) const;
    int64_t arrayInt(uint64_t i) const;

    static GgufValue makeUInt32(uint32_t v);
    static GgufValue makeInt32(int32_t v);
    static GgufValue makeFloat32(float v);
    static GgufValue makeBool(bool v);
    static GgufValue makeString(std::string v);
};

struct GgufKeyValue {
    std::string key;
    GgufValue value;
};

struct GgufTensorInfo {
    std::string name;
    std::vector<int64_t> ne;    // ggml order: ne[0] is the row length
    uint32_t typeId = 0;
    const TypeTraits *traits = nullptr;
    uint64_t offset = 0;        // relative to the data section, as stored
    uint64_t fileOffset = 0;    // absolute
    uint64_t bytes = 0;
    int64_t elements = 0;
};

struct GgufFile {
    std::string path;
    uint32_t version = 3;
    uint32_t alignment = 32;
    uint64_t dataOffset = 0;    // where the data section starts
    uint64_t fileSize = 0;
    std::vector<GgufKeyValue> metadata; // in file order
    std::vector<GgufTensorInfo> tensors; // in file order
    std::shared_ptr<const MappedFile> map; // set by openGguf; null when parsed from a bare span

    const GgufValue *find(std::string_view key) const;
    const GgufTensorInfo *findTensor(std::string_view name) const;
    std::span<const uint8_t> tensorBytes(const GgufTensorInfo &t) const;
};

// Limits llama.cpp applies (gguf.cpp); used here so our verdicts match its own.
inline constexpr uint64_t kGgufMaxStringLength = uint64_t(1) << 30;
inline constexpr uint64_t kGgufMaxArrayLength = uint64_t(1) << 30;
inline constexpr size_t kGgufMaxNameLength = 63; // GGML_MAX_NAME - 1
inline constexpr int kGgufMaxDims = 4;

Result<GgufFile> parseGguf(std::span<const uint8_t> bytes, const std::string &path);
Result<GgufFile> openGguf(const std::string &path);

} // namespace qs
