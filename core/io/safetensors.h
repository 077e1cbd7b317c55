// safetensors reading (huggingface/safetensors format): an 8-byte little-endian header length, a JSON header, then
// a byte buffer. Validation follows the reference library: the tensors must cover the buffer exactly, with no
// holes and no overlaps, and every shape must agree with its byte range.
#pragma once

#include "common/result.h"
#include "io/mapped_file.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

enum class StDtype { BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, F8_E4M3, F8_E5M2 };

std::string_view dtypeName(StDtype d);
int dtypeSize(StDtype d);
std::optional<StDtype> dtypeFromName(std::string_view name);
bool dtypeIsFloat(StDtype d); // convertible to f32 by this library

struct SafetensorsTensor {
    std::string name;
    StDtype dtype = StDtype::F32;
    std::vector<int64_t> shape;  // row-major, outermost first (PyTorch order)
    uint64_t begin = 0;          // absolute file offsets of the data
    uint64_t end = 0;
    int64_t elements() const;
};

struct SafetensorsFile {
    std::string path;
    uint64_t headerLength = 0;
    std::map<std::string, std::string> metadata; // the optional "__metadata__" string map
    std::vector<SafetensorsTensor> tensors;      // sorted by data offset
    std::shared_ptr<const MappedFile> map;

    std::span<const uint8_t> tensorBytes(const SafetensorsTensor &t) const;
};

// The reference library's ceiling on the JSON header (safetensors MAX_HEADER_SIZE).
inline constexpr uint64_t kSafetensorsMaxHeader = 100'000'000;

Result<SafetensorsFile> parseSafetensors(std::span<const uint8_t> bytes, const std::string &path);
Result<SafetensorsFile> openSafetensors(const std::string &path);

} // namespace qs
