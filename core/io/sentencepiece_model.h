// SentencePiece's tokenizer.model (a ModelProto protobuf): just the pieces, their scores and types, which is all a
// GGUF "llama" vocabulary needs. A minimal, bounds-checked protobuf reader: a hostile file gets an error, never a
// crash or a huge allocation.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace qs {

// sentencepiece::ModelProto::SentencePiece::Type
enum class SpPieceType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

struct SpPiece {
    std::string piece;
    float score = 0.f;
    SpPieceType type = SpPieceType::Normal;
};

Result<std::vector<SpPiece>> parseSentencePieceModel(std::span<const uint8_t> bytes, const std::string &path);

} // namespace qs
