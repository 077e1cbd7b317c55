// Byte-level BPE, as the Hugging Face tokenizers library encodes with a tokenizer.json (GPT-2, Llama-3, Qwen2 and
// the like): added tokens split the text first, the pre-tokenizer's regex cuts each part into pieces (GPT-2's
// pattern for a ByteLevel pre-tokenizer with use_regex, or a Split regex ahead of a ByteLevel one), every piece's
// bytes are mapped to GPT-2's printable characters, and the merges join them by rank, lowest first.
#pragma once

#include "common/result.h"

#include <QRegularExpression>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qs {

class BpeTokenizer {
public:
    // Reads a tokenizer.json whose model is BPE over byte-level pieces; says which part it cannot follow otherwise.
    static Result<BpeTokenizer> fromTokenizerJson(const std::string &path);

    // Token ids of UTF-8 `text`, without BOS/EOS (what tokenizers' encode(add_special_tokens=False) gives).
    std::vector<int32_t> encode(std::string_view text) const;
    size_t vocabSize() const { return m_vocab.size(); }

private:
    void encodePiece(const std::string &bytes, std::vector<int32_t> &out) const;

    std::unordered_map<std::string, int32_t> m_vocab;
    std::unordered_map<std::string, int> m_mergeRank; // "left right" (byte-level symbols never hold a space)
    std::vector<std::pair<std::string, int32_t>> m_added; // added tokens, matched in the raw text
    QRegularExpression m_split;
    bool m_addPrefixSpace = false;
    std::string m_byteChar[256]; // GPT-2's bytes_to_unicode, as UTF-8
    // pieces repeat ("the", " of"): their ids are kept, as tokenizers' own cache does
    mutable std::shared_ptr<std::mutex> m_cacheMutex = std::make_shared<std::mutex>();
    mutable std::unordered_map<std::string, std::vector<int32_t>> m_cache;
};

} // namespace qs
