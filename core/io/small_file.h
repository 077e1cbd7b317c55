// Whole-file reads for small side files (config.json, the shard index), refusing anything over a ceiling so a
// hostile or mistaken path can never make us allocate gigabytes.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

Result<std::vector<uint8_t>> readSmallFile(const std::string &path, uint64_t maxBytes = 64ull << 20);
bool fileExists(const std::string &path);
bool isDirectory(const std::string &path);
uint64_t fileSize(const std::string &path); // 0 if missing

} // namespace qs
