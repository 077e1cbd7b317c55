// BPE as the Hugging Face tokenizers library encodes with a tokenizer.json, in the two families real models use.
// Byte-level (GPT-2, Llama-3, Qwen2): added tokens split the text first, the pre-tokenizer's regex cuts each part
// into pieces (GPT-2's pattern for a ByteLevel pre-tokenizer with use_regex, or a Split regex ahead of a ByteLevel
// one), every piece's bytes are mapped to GPT-2's printable characters. SentencePiece-style (Llama-2, Mistral):
// spaces become U+2581 and one is put in front (a Metaspace pre-tokenizer, or a Prepend + Replace normalizer), the
// characters are the symbols, and one missing from the vocabulary falls back to its UTF-8 bytes (<0xE4> tokens).
// Either way the merges then join adjacent symbols by rank, lowest and then leftmost first (tokenizers'
// BPE::merge_word), in O(n log n), so a whole unsplit text encodes quickly.
// A GGUF vocabulary of model "llama" (SentencePiece scores) encodes as llama.cpp's llm_tokenizer_spm does instead:
// any adjacent pair whose text is a token merges, highest score first, and special tokens split the text first.
#pragma once

#include "common/result.h"
#include "io/gguf.h"

#include <QRegularExpression>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qs {

class BpeTokenizer {
public:
    // Reads a tokenizer.json whose model is BPE over byte-level pieces; says which part it cannot follow otherwise.
    static Result<BpeTokenizer> fromTokenizerJson(const std::string &path);
    // The same from the file's bytes; `path` only names it in messages.
    static Result<BpeTokenizer> fromTokenizerJsonBytes(std::span<const uint8_t> bytes, const std::string &path);

    // The vocabulary a GGUF file embeds (tokenizer.ggml.*), read as llama.cpp reads it: model "gpt2" (byte-level
    // BPE) with the pre-tokenizer its tokenizer.ggml.pre names (gpt-2, llama-bpe, qwen2), or model "llama"
    // (SentencePiece scores, tokenizer.ggml.add_space_prefix). Unknown, control and user-defined tokens split the
    // text first, longest first, as llama.cpp's tokenizer_st_partition does.
    static Result<BpeTokenizer> fromGgufMetadata(const std::vector<GgufKeyValue> &metadata, const std::string &file);

    // Token ids of UTF-8 `text`, without BOS/EOS (what tokenizers' encode(add_special_tokens=False) gives). Text
    // that is not UTF-8 gives ids that mean nothing; callers holding text from outside use encodeChecked.
    std::vector<int32_t> encode(std::string_view text) const;
    // The same ids, or why `text` cannot be encoded faithfully: it is not UTF-8 (the first bad byte's offset), or a
    // character has no token and no byte fallback covers it. An empty text gives no ids.
    Result<std::vector<int32_t>> encodeChecked(std::string_view text) const;

    size_t vocabSize() const { return m_vocab.size(); }
    // The largest id encode can give (vocabulary and added tokens); -1 for an empty vocabulary.
    int32_t maxTokenId() const { return m_maxId; }
    // Whether every id fits a model whose embedding has `vocabSize` rows (config vocab_size, token_embd rows). A
    // vocabulary smaller than the model is fine (padded embeddings); one with ids past it would index out of range.
    Status checkAgainstModel(int64_t vocabSize) const;

private:
    void initByteLevel();
    Status addToken(std::string text, int64_t id, int64_t index);
    Status addMerge(const std::string &left, const std::string &right, int rank);
    Status encodeInto(std::string_view text, std::vector<int32_t> &out, bool strict) const;
    Status encodePiece(const std::string &bytes, std::vector<int32_t> &out, bool strict) const;
    Status encodeSentencePiece(std::string_view text, bool atStart, std::vector<int32_t> &out, bool strict) const;
    Status encodeLlamaSpm(const std::string &text, std::vector<int32_t> &out, bool strict) const;
    void mergeWord(std::vector<int32_t> &symbols) const;
    // Where the added (special) tokens cut `text`: {offset, length, -1} for text, {offset, length, id} for a token.
    struct Fragment {
        size_t offset, length;
        int32_t token;
    };
    std::vector<Fragment> partition(std::string_view text) const;

    enum class Mode { ByteLevel, SentencePiece, LlamaSpm } m_mode = Mode::ByteLevel;
    std::unordered_map<std::string, int32_t> m_vocab;
    std::unordered_map<int32_t, int64_t> m_idIndex; // id -> where it was declared, to name duplicates
    int32_t m_maxId = -1;
    std::vector<float> m_scores;     // LlamaSpm: the score of each id
    bool m_addSpacePrefix = false;   // LlamaSpm: tokenizer.ggml.add_space_prefix
    bool m_longestSpecialFirst = false; // llama.cpp's special-token split (GGUF) rather than tokenizers' leftmost
    std::unordered_map<uint64_t, std::pair<int, int32_t>> m_merges; // (left id << 32 | right id) -> (rank, merged id)
    int32_t m_byteToken[256] = {};   // SentencePiece byte fallback: the id of <0xNN>, -1 where there is none
    int32_t m_unk = -1;
    bool m_byteFallback = false;
    bool m_metaspace = false;        // Metaspace pre-tokenizer (prepend_scheme "first") rather than Prepend + Replace
    std::vector<std::pair<std::string, int32_t>> m_added; // added tokens, matched in the raw text
    QRegularExpression m_split;
    bool m_addPrefixSpace = false;
    std::string m_byteChar[256]; // GPT-2's bytes_to_unicode, as UTF-8
    // pieces repeat ("the", " of"): their ids are kept, as tokenizers' own cache does
    mutable std::shared_ptr<std::mutex> m_cacheMutex = std::make_shared<std::mutex>();
    mutable std::unordered_map<std::string, std::vector<int32_t>> m_cache;
};

class Model;
// The tokenizer of a model: its folder's tokenizer.json, or the vocabulary its GGUF file embeds, checked against the
// model's vocabulary size.
Result<BpeTokenizer> tokenizerForModel(const Model &model);
// The tokenizer at `path`: a tokenizer.json file, a folder with one and no weights, or anything Model::open reads.
Result<BpeTokenizer> tokenizerForPath(const std::string &path);

} // namespace qs
