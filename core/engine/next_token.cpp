#include "engine/next_token.h"

#include "model/model.h"
#include "model/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace qs {

std::vector<TokenChoice> topTokens(const float *logits, int64_t vocab, int k)
{
    std::vector<TokenChoice> out;
    if (vocab <= 0 || k <= 0)
        return out;
    double maxLogit = -INFINITY;
    for (int64_t i = 0; i < vocab; ++i)
        maxLogit = std::max(maxLogit, static_cast<double>(logits[i]));
    double sum = 0;
    for (int64_t i = 0; i < vocab; ++i)
        sum += std::exp(static_cast<double>(logits[i]) - maxLogit);
    std::vector<int32_t> ids(static_cast<size_t>(vocab));
    for (int64_t i = 0; i < vocab; ++i)
        ids[static_cast<size_t>(i)] = static_cast<int32_t>(i);
    const auto n = static_cast<size_t>(std::min<int64_t>(k, vocab));
    std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), ids.end(), [logits](int32_t a, int32_t b) {
        return logits[a] != logits[b] ? logits[a] > logits[b] : a < b;
    });
    out.reserve(n);
    for (size_t i = 0; i < n; ++i)
        out.push_back({ids[i], std::exp(static_cast<double>(logits[ids[i]]) - maxLogit) / sum});
    return out;
}

Result<std::vector<TokenChoice>> predictNextTokens(const Transformer &model, std::span<const int32_t> ids, int k, JobControl *control)
{
    if (ids.empty())
        return makeError("the prompt has no tokens: there is no position to predict from");
    for (int32_t id : ids)
        if (id < 0 || id >= model.vocabSize())
            return makeError("token id " + std::to_string(id) + " is outside the model's vocabulary of " +
                             std::to_string(model.vocabSize()));
    const auto n = static_cast<int64_t>(ids.size());
    const int64_t hidden = model.hiddenSize();
    std::vector<float> stream(static_cast<size_t>(n * hidden));
    if (auto st = model.embed(ids.data(), n, stream.data()); !st)
        return st.error();
    if (auto st = model.runLayers(0, model.layers(), stream.data(), 1, n, control); !st)
        return st.error();
    if (control && control->cancelled())
        return cancelledError("no prediction was made");
    std::vector<float> logits(static_cast<size_t>(model.vocabSize()));
    if (auto st = model.logits(stream.data() + (n - 1) * hidden, 1, logits.data()); !st)
        return st.error();
    return topTokens(logits.data(), model.vocabSize(), k);
}

Result<TokenVocabulary> tokenVocabulary(const Model &model)
{
    TokenVocabulary v;
    std::string kind;
    if (model.format() == ModelFormat::Gguf) {
        const GgufValue *tokens = model.gguf()->find("tokenizer.ggml.tokens");
        const GgufValue *spelling = model.gguf()->find("tokenizer.ggml.model");
        if (!tokens || !tokens->isArray() || !spelling)
            return makeError("no tokenizer.ggml.model and tokenizer.ggml.tokens: the file carries no vocabulary").inFile(model.path());
        kind = spelling->toString().value_or("");
        v.tokens = tokens->strings;
    } else {
        auto t = loadHfTokenizer(model.path(), model.architecture().vocabSize);
        if (!t)
            return t.error();
        kind = t->model;
        v.tokens = std::move(t->tokens);
    }
    if (kind == "gpt2")
        v.spelling = TokenSpelling::ByteLevel;
    else if (kind == "llama")
        v.spelling = TokenSpelling::SentencePiece;
    else
        return makeError("vocabulary model '" + kind + "' is neither byte-level BPE (gpt2) nor SentencePiece (llama)").inFile(model.path());
    return v;
}

namespace {

// The code point at s[i] and its length in bytes; length 0 when the bytes there are not valid UTF-8.
std::pair<uint32_t, size_t> decodeUtf8(const std::string &s, size_t i)
{
    const auto b0 = static_cast<uint8_t>(s[i]);
    if (b0 < 0x80)
        return {b0, 1};
    size_t len = 0;
    uint32_t cp = 0, min = 0;
    if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; min = 0x10000; }
    else
        return {0, 0};
    if (i + len > s.size())
        return {0, 0};
    for (size_t j = 1; j < len; ++j) {
        const auto b = static_cast<uint8_t>(s[i + j]);
        if ((b & 0xC0) != 0x80)
            return {0, 0};
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return {0, 0};
    return {cp, len};
}

// GPT-2's bytes_to_unicode, inverted: printable Latin-1 bytes stand for themselves, the other 68 bytes were moved
// to U+0100.. in byte order (openai/gpt-2 encoder.py).
int byteOfByteLevelChar(uint32_t cp)
{
    auto printable = [](uint32_t b) { return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255); };
    if (cp < 256)
        return printable(cp) ? static_cast<int>(cp) : -1;
    uint32_t n = 256;
    for (uint32_t b = 0; b < 256; ++b)
        if (!printable(b) && n++ == cp)
            return static_cast<int>(b);
    return -1;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

} // namespace

std::string tokenBytes(const std::string &spelled, TokenSpelling spelling)
{
    std::string out;
    if (spelling == TokenSpelling::SentencePiece) {
        // <0xNN> is a whole token (byte fallback), never part of one
        if (spelled.size() == 6 && spelled.compare(0, 3, "<0x") == 0 && spelled[5] == '>' && hexDigit(spelled[3]) >= 0 &&
            hexDigit(spelled[4]) >= 0)
            return std::string(1, static_cast<char>(hexDigit(spelled[3]) * 16 + hexDigit(spelled[4])));
        static const std::string meta = "\xE2\x96\x81"; // U+2581
        for (size_t i = 0; i < spelled.size();) {
            if (spelled.compare(i, meta.size(), meta) == 0) {
                out += ' ';
                i += meta.size();
            } else {
                out += spelled[i++];
            }
        }
        return out;
    }
    for (size_t i = 0; i < spelled.size();) {
        const auto [cp, len] = decodeUtf8(spelled, i);
        if (len == 0) { // not UTF-8: not a byte-level spelling, kept as it is
            out += spelled[i++];
            continue;
        }
        const int b = byteOfByteLevelChar(cp);
        if (b >= 0)
            out += static_cast<char>(b);
        else
            out.append(spelled, i, len); // a character outside the byte alphabet (an added token's): itself
        i += len;
    }
    return out;
}

std::string readableTokenText(const std::string &bytes)
{
    std::string out;
    char hex[8];
    for (size_t i = 0; i < bytes.size();) {
        const auto [cp, len] = decodeUtf8(bytes, i);
        if (len == 0 || (cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') || cp == 0x7F) {
            std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(static_cast<uint8_t>(bytes[i])));
            out += hex;
            ++i;
            continue;
        }
        switch (cp) {
        case ' ': out += "\xE2\x90\xA3"; break; // U+2423 OPEN BOX
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default: out.append(bytes, i, len);
        }
        i += len;
    }
    return out;
}

std::string tokenDisplayText(const TokenVocabulary &vocabulary, int32_t id)
{
    if (id < 0 || static_cast<size_t>(id) >= vocabulary.size())
        return "[" + std::to_string(id) + "]";
    return readableTokenText(tokenBytes(vocabulary.tokens[static_cast<size_t>(id)], vocabulary.spelling));
}

} // namespace qs
