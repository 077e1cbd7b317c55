// llama.cpp's `general.file_type` values (enum llama_ftype) and their preset names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace qs {

// "Q4_K_M" for 15, "BF16" for 32; nullopt for ids llama.cpp does not define.
std::optional<std::string_view> fileTypeName(uint32_t ftype);

} // namespace qs
