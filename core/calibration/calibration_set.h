// A calibration set: windows of token ids cut from a tokenized text, either at random (a seed; the default is 128
// windows of 512 tokens) or at given offsets (the exact windows of ../shared/reference/calibration.json, whose
// sha256 of the int32 ids can be checked against the tokenization).
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct CalibrationSet {
    int64_t window = 512;
    std::vector<int32_t> ids;    // windows x window, one window after another
    std::vector<int64_t> offsets; // where each window starts in the text's ids
    int64_t windows() const { return window > 0 ? static_cast<int64_t>(ids.size()) / window : 0; }
};

// `count` windows of `window` tokens at offsets drawn uniformly from [0, tokens - window] (std::mt19937_64 seeded
// with `seed`; not torch's generator, so not the reference's random draw).
Result<CalibrationSet> randomCalibration(const std::vector<int32_t> &tokens, int64_t count, int64_t window, uint64_t seed);

// The windows a calibration.json names ({"window", "offsets", optionally "sha256_int32le" of the whole text's ids and
// "windows_sha256_int32le" of the windows}): the hashes, when given, must match, or the text or tokenizer differs.
Result<CalibrationSet> calibrationFromJson(const std::string &json, const std::vector<int32_t> &tokens, const std::string &path);

// sha256 of int32 little-endian ids, hex.
std::string sha256OfIds(const int32_t *ids, size_t n);

} // namespace qs
