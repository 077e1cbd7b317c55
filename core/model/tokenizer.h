// A Hugging Face tokenizer as GGUF describes it (tokenizer.ggml.*), read the way llama.cpp's converter reads it:
// SentencePiece ("llama": tokenizer.model, added_tokens.json) when a tokenizer.model is present, otherwise
// byte-level BPE ("gpt2": tokenizer.json), with tokenizer_config.json and config.json for the special tokens.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// gguf token types (llama_token_type)
enum class TokenType : int32_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

struct HfTokenizer {
    std::string model;                 // tokenizer.ggml.model: "gpt2"
    std::string pre;                   // tokenizer.ggml.pre: "gpt-2", "llama-bpe", "qwen2", ...
    std::vector<std::string> tokens;   // by id
    std::vector<int32_t> tokenTypes;   // by id
    std::vector<float> scores;         // SentencePiece only
    std::vector<std::string> merges;   // "a b"
    std::optional<uint32_t> bos, eos, unk, sep, pad;
    std::optional<bool> addBos, addEos;
    std::string chatTemplate;
};

// `vocabSize`: the model's vocabulary (config vocab_size); missing ids become "[PAD<id>]" user-defined tokens.
Result<HfTokenizer> loadHfTokenizer(const std::string &folder, int64_t vocabSize);

} // namespace qs
