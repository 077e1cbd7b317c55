// What a model predicts next, for teaching: the k most likely next tokens of a prompt with their probabilities
// (the softmax of the last position's logits), and each token as a person can read it — its bytes decoded from the
// vocabulary's spelling (GPT-2's byte-level characters, SentencePiece's '▁' and <0xNN> byte tokens) and written
// with the invisible parts made visible.
#pragma once

#include "common/result.h"
#include "engine/transformer.h"
#include "jobs/job_control.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace qs {

class Model;

struct TokenChoice {
    int32_t id = -1;
    double probability = 0;
};

// The `k` largest probabilities of softmax(logits), most likely first (ties: the lower id first). Computed in
// double with the maximum subtracted, so a vocabulary of 152k tokens and logits of any scale give finite values.
std::vector<TokenChoice> topTokens(const float *logits, int64_t vocab, int k);

// The top `k` next tokens after `ids` (the prompt as the model sees it, BOS included if wanted): one forward pass
// over the prompt, the output head on its last position only. `ids` must not be empty.
Result<std::vector<TokenChoice>> predictNextTokens(const Transformer &model, std::span<const int32_t> ids, int k,
                                                   JobControl *control = nullptr);

// How a vocabulary spells its tokens.
enum class TokenSpelling {
    ByteLevel,     // GPT-2's bytes_to_unicode: every byte is one printable character (space is 'Ġ')
    SentencePiece, // '▁' for a space, <0xNN> for a byte the vocabulary lacks
};

struct TokenVocabulary {
    TokenSpelling spelling = TokenSpelling::ByteLevel;
    std::vector<std::string> tokens; // by id, as the vocabulary spells them
    size_t size() const { return tokens.size(); }
};

// The vocabulary of a model: tokenizer.ggml.tokens of a GGUF file, the folder's tokenizer of a Hugging Face model.
Result<TokenVocabulary> tokenVocabulary(const Model &model);

// The bytes a token stands for (what a detokenizer appends to the text). Characters a spelling does not map
// (special tokens such as <|endoftext|> are plain text) are kept as they are.
std::string tokenBytes(const std::string &spelled, TokenSpelling spelling);

// Bytes made readable on one line: valid UTF-8 kept, a space as '␣' (a leading space is the difference between
// " the" and "the"), newline, tab and carriage return as \n \t \r, other control bytes and bytes that are not
// valid UTF-8 (half a character split across tokens) as \xNN.
std::string readableTokenText(const std::string &bytes);

// The readable text of token `id`, or "[id]" when the vocabulary has no such token.
std::string tokenDisplayText(const TokenVocabulary &vocabulary, int32_t id);

} // namespace qs
