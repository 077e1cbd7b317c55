#include "engine/bpe_tokenizer.h"

#include "io/gguf.h"
#include "io/small_file.h"
#include "model/model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <functional>
#include <queue>

namespace qs {

namespace {

// GPT-2's pre-tokenizer pattern (tokenizers' ByteLevel with use_regex).
const char *kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string utf8Of(char32_t c)
{
    std::string s;
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
    return s;
}

// Splits a byte-level word into its symbols (one UTF-8 character each).
std::vector<std::string> symbolsOf(const std::string &word)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < word.size();) {
        const unsigned char b = static_cast<unsigned char>(word[i]);
        const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        out.push_back(word.substr(i, n));
        i += n;
    }
    return out;
}

// The offset of the first byte that does not belong to well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or npos. Python's str, which the goldens come from, holds only such text.
size_t firstInvalidUtf8(std::string_view s)
{
    for (size_t i = 0; i < s.size();) {
        const unsigned char b = static_cast<unsigned char>(s[i]);
        size_t n;
        char32_t c;
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            n = 2, c = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 3, c = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 4, c = b & 0x07;
        } else {
            return i;
        }
        if (i + n > s.size())
            return i;
        for (size_t k = 1; k < n; ++k) {
            const unsigned char cb = static_cast<unsigned char>(s[i + k]);
            if ((cb & 0xC0) != 0x80)
                return i;
            c = (c << 6) | (cb & 0x3F);
        }
        if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
            return i;
        i += n;
    }
    return std::string_view::npos;
}

std::string hexByte(unsigned char b)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

// Token text for a message: at most 40 bytes, control bytes escaped, so a hostile file cannot flood a terminal.
std::string quoted(std::string_view t)
{
    std::string out = "'";
    for (size_t i = 0; i < t.size() && i < 40; ++i) {
        const unsigned char b = static_cast<unsigned char>(t[i]);
        out += b < 0x20 || b == 0x7F ? "\\x" + hexByte(b).substr(2) : std::string(1, static_cast<char>(b));
    }
    return out + (t.size() > 40 ? "...'" : "'");
}

// llama.cpp's unicode_len_utf8: the length a lead byte announces, 1 for a stray continuation byte
size_t llamaUtf8Length(unsigned char b)
{
    static const size_t kLength[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLength[b >> 4];
}

} // namespace

Status BpeTokenizer::addToken(std::string text, int64_t id, int64_t index)
{
    if (id < 0 || id > INT32_MAX)
        return makeError("token " + quoted(text) + " has id " + std::to_string(id) + ", outside 0.." + std::to_string(INT32_MAX));
    const int32_t id32 = static_cast<int32_t>(id);
    if (auto [it, fresh] = m_idIndex.emplace(id32, index); !fresh)
        return makeError("token " + quoted(text) + " (entry " + std::to_string(index) + ") has id " + std::to_string(id) +
                         ", which entry " + std::to_string(it->second) + " already has");
    if (auto [it, fresh] = m_vocab.emplace(std::move(text), id32); !fresh)
        return makeError("token " + quoted(it->first) + " appears twice (ids " + std::to_string(it->second) + " and " + std::to_string(id) + ")");
    m_maxId = std::max(m_maxId, id32);
    return okStatus();
}

Status BpeTokenizer::checkAgainstModel(int64_t vocabSize) const
{
    if (vocabSize > 0 && m_maxId >= vocabSize)
        return makeError("the tokenizer has token ids up to " + std::to_string(m_maxId) + " but the model's vocabulary has " +
                         std::to_string(vocabSize) + " entries (ids 0.." + std::to_string(vocabSize - 1) +
                         "): the tokenizer does not belong to these weights");
    return okStatus();
}

void BpeTokenizer::initByteLevel()
{
    // GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the rest take code points from 256 up
    for (int b = 0, next = 256; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        m_byteChar[b] = utf8Of(static_cast<char32_t>(printable ? b : next++));
    }
}

Status BpeTokenizer::addMerge(const std::string &left, const std::string &right, int rank)
{
    const auto a = m_vocab.find(left), b = m_vocab.find(right), ab = m_vocab.find(left + right);
    if (a == m_vocab.end() || b == m_vocab.end() || ab == m_vocab.end()) {
        const std::string missing = a == m_vocab.end() ? left : b == m_vocab.end() ? right : left + right;
        return makeError("merge " + std::to_string(rank) + " (" + quoted(left) + " + " + quoted(right) + ") names " + quoted(missing) +
                         ", which the vocabulary lacks");
    }
    m_merges.emplace(uint64_t(uint32_t(a->second)) << 32 | uint32_t(b->second), std::pair(rank, ab->second));
    return okStatus();
}

Result<BpeTokenizer> BpeTokenizer::fromGgufMetadata(const std::vector<GgufKeyValue> &metadata, const std::string &file)
{
    auto find = [&](const std::string &key) -> const GgufValue * {
        for (const auto &kv : metadata)
            if (kv.key == key)
                return &kv.value;
        return nullptr;
    };
    const GgufValue *model = find("tokenizer.ggml.model"), *tokens = find("tokenizer.ggml.tokens"), *merges = find("tokenizer.ggml.merges"),
                    *types = find("tokenizer.ggml.token_type"), *scores = find("tokenizer.ggml.scores"), *pre = find("tokenizer.ggml.pre");
    if (!model || !tokens)
        return makeError("no tokenizer.ggml.model and tokenizer.ggml.tokens: the file carries no vocabulary").inFile(file);
    // the arrays llama.cpp reads as raw int32/float by token index: each must be there for every token, or the
    // vocabulary is not one (llama.cpp itself would read past the end of a short one)
    if (!tokens->isArray() || tokens->elemType != GgufType::String || tokens->strings.size() != tokens->count || tokens->count == 0)
        return makeError("tokenizer.ggml.tokens is not a non-empty array of strings").inFile(file);
    const uint64_t n = tokens->count;
    if (n > uint64_t(INT32_MAX))
        return makeError("tokenizer.ggml.tokens has " + std::to_string(n) + " tokens, more than int32 ids can name").inFile(file);
    auto checkParallel = [&](const GgufValue *v, const char *key, GgufType elem) -> Status {
        if (!v)
            return okStatus();
        if (!v->isArray() || v->elemType != elem)
            return makeError(std::string(key) + " is not an array of " + std::string(ggufTypeName(elem))).inFile(file);
        if (v->count != n)
            return makeError(std::string(key) + " has " + std::to_string(v->count) + " entries for " + std::to_string(n) +
                             " tokens in tokenizer.ggml.tokens").inFile(file);
        return okStatus();
    };
    if (auto st = checkParallel(types, "tokenizer.ggml.token_type", GgufType::Int32); !st)
        return st.error();
    if (auto st = checkParallel(scores, "tokenizer.ggml.scores", GgufType::Float32); !st)
        return st.error();

    const std::string kind = model->toString().value_or("");
    BpeTokenizer t;
    t.m_longestSpecialFirst = true;
    for (size_t i = 0; i < n; ++i) {
        // llama.cpp names an empty token "[EMPTY_<id>]" so that it can be neither matched nor merged
        std::string text = tokens->strings[i].empty() ? "[EMPTY_" + std::to_string(i) + "]" : tokens->strings[i];
        if (auto st = t.addToken(text, static_cast<int64_t>(i), static_cast<int64_t>(i)); !st)
            return Error(st.error()).inFile(file);
        // unknown (2), control (3) and user-defined (4) tokens are matched in the raw text first: llama.cpp's
        // cache_special_tokens holds exactly these (LLAMA_TOKEN_ATTR_UNKNOWN | CONTROL | USER_DEFINED)
        const int64_t type = types ? types->arrayInt(i) : 1;
        if (type == 2 || type == 3 || type == 4)
            t.m_added.emplace_back(std::move(text), static_cast<int32_t>(i));
    }
    // tokenizer_st_partition takes the special tokens longest first, each splitting every fragment left
    std::stable_sort(t.m_added.begin(), t.m_added.end(), [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });

    if (kind == "llama") {
        // llm_tokenizer_spm: scores decide the merges (0 where the file has none, as llama.cpp reads it)
        t.m_mode = Mode::LlamaSpm;
        t.m_scores.assign(n, 0.0f);
        if (scores)
            for (size_t i = 0; i < n; ++i)
                t.m_scores[i] = static_cast<float>(scores->arrayDouble(i));
        // SentencePiece's add_dummy_prefix; llama.cpp defaults it to true for an SPM vocabulary
        t.m_addSpacePrefix = true;
        if (const GgufValue *v = find("tokenizer.ggml.add_space_prefix"))
            t.m_addSpacePrefix = v->toBool().value_or(true);
        // llama.cpp's default unknown id for SPM is 0; an id past the vocabulary is ignored, with the default kept
        t.m_unk = 0;
        if (const GgufValue *v = find("tokenizer.ggml.unknown_token_id"))
            if (auto id = v->toUInt(); id && *id < n)
                t.m_unk = static_cast<int32_t>(*id);
        // byte_to_token: <0xNN>, else the byte as a one-character token, else none (where llama.cpp would throw)
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            auto it = t.m_vocab.find(name);
            if (it == t.m_vocab.end())
                it = t.m_vocab.find(std::string(1, static_cast<char>(b)));
            t.m_byteToken[b] = it == t.m_vocab.end() ? -1 : it->second;
        }
        return t;
    }
    if (kind != "gpt2")
        return makeError("tokenizer.ggml.model '" + kind + "' is not supported (byte-level BPE 'gpt2' and SentencePiece 'llama' are)").inFile(file);
    if (!merges || !merges->isArray() || merges->elemType != GgufType::String || merges->strings.size() != merges->count)
        return makeError("a gpt2 vocabulary needs tokenizer.ggml.merges, an array of strings").inFile(file);
    // the pre-tokenizer regexes llama.cpp uses for these names (llama-vocab.cpp)
    const std::string preName = pre ? pre->toString().value_or("") : std::string("default");
    QString pattern;
    if (preName == "gpt-2" || preName == "default")
        pattern = QString::fromLatin1(kGpt2Pattern);
    else if (preName == "llama-bpe" || preName == "llama3")
        pattern = QStringLiteral(R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)");
    else if (preName == "qwen2")
        pattern = QStringLiteral(R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)");
    else
        return makeError("tokenizer.ggml.pre '" + preName + "' is not supported yet (gpt-2, llama-bpe and qwen2 are)").inFile(file);

    t.initByteLevel();
    for (size_t r = 0; r < merges->strings.size(); ++r) {
        const std::string &m = merges->strings[r];
        // llama.cpp splits at the first space after the first character, so a merge may start with a space
        const size_t space = m.empty() ? std::string::npos : m.find(' ', 1);
        if (space == std::string::npos)
            return makeError("merge " + std::to_string(r) + " " + quoted(m) + " is not 'left right'").inFile(file);
        if (auto st = t.addMerge(m.substr(0, space), m.substr(space + 1), static_cast<int>(r)); !st)
            return Error(st.error()).inFile(file);
    }
    t.m_split = QRegularExpression(pattern, QRegularExpression::UseUnicodePropertiesOption);
    t.m_split.optimize();
    return t;
}

Result<BpeTokenizer> BpeTokenizer::fromTokenizerJson(const std::string &path)
{
    auto bytes = readSmallFile(path, 256u << 20);
    if (!bytes)
        return bytes.error();
    return fromTokenizerJsonBytes(*bytes, path);
}

Result<BpeTokenizer> BpeTokenizer::fromTokenizerJsonBytes(std::span<const uint8_t> bytes, const std::string &path)
{
    // Qt's parser refuses nesting deeper than 1024 levels ("too deeply nested") rather than recursing without end
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size())), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError("not a JSON object: " + (err.error != QJsonParseError::NoError ? err.errorString().toStdString() : std::string("the top level is not an object")), err.offset)
            .inFile(path);
    const QJsonObject root = doc.object();
    const QJsonObject model = root.value(QLatin1String("model")).toObject();
    if (model.value(QLatin1String("type")).toString() != QLatin1String("BPE"))
        return makeError("the tokenizer model is not BPE").inFile(path);

    BpeTokenizer t;
    t.initByteLevel();
    const QJsonValue vocabValue = model.value(QLatin1String("vocab"));
    if (!vocabValue.isObject() || vocabValue.toObject().isEmpty())
        return makeError("model.vocab is not a non-empty object of token -> id").inFile(path);
    const QJsonObject vocab = vocabValue.toObject();
    int64_t index = 0;
    for (auto it = vocab.begin(); it != vocab.end(); ++it, ++index) {
        // an id is a whole number that fits int32 (a JSON number may be 1e30 or 2.5; toInt would make it 0)
        const double id = it.value().toDouble(-1.0);
        if (!it.value().isDouble() || id != std::floor(id) || id < 0 || id > INT32_MAX)
            return makeError("model.vocab: token " + quoted(it.key().toStdString()) + " has no id 0.." + std::to_string(INT32_MAX)).inFile(path);
        if (auto st = t.addToken(it.key().toStdString(), static_cast<int64_t>(id), index); !st)
            return Error(st.error()).inFile(path);
    }
    const QJsonValue mergesValue = model.value(QLatin1String("merges"));
    if (!mergesValue.isArray())
        return makeError("model.merges is not an array").inFile(path);
    int rank = 0;
    for (const QJsonValue m : mergesValue.toArray()) {
        std::string left, right; // older files write "a b", newer ones ["a", "b"]
        if (m.isArray() && m.toArray().size() == 2 && m.toArray().at(0).isString() && m.toArray().at(1).isString()) {
            left = m.toArray().at(0).toString().toStdString();
            right = m.toArray().at(1).toString().toStdString();
        } else if (const std::string both = m.toString().toStdString(); m.isString() && both.find(' ') != std::string::npos) {
            const size_t space = both.find(' ');
            left = both.substr(0, space);
            right = both.substr(space + 1);
        } else {
            return makeError("merge " + std::to_string(rank) + " is neither \"left right\" nor [\"left\", \"right\"]").inFile(path);
        }
        if (auto st = t.addMerge(left, right, rank++); !st)
            return Error(st.error()).inFile(path);
    }
    const QJsonValue added = root.value(QLatin1String("added_tokens"));
    if (!added.isUndefined() && !added.isNull() && !added.isArray())
        return makeError("added_tokens is not an array").inFile(path);
    index = 0;
    for (const QJsonValue a : added.toArray()) {
        const QJsonObject o = a.toObject();
        const std::string content = o.value(QLatin1String("content")).toString().toStdString();
        const double id = o.value(QLatin1String("id")).toDouble(-1.0);
        if (content.empty() || !o.value(QLatin1String("id")).isDouble() || id != std::floor(id) || id < 0 || id > INT32_MAX)
            return makeError("added_tokens[" + std::to_string(index) + "] has no content or no id 0.." + std::to_string(INT32_MAX)).inFile(path);
        // an added token is either one of the vocabulary's (Llama-2's <s>) with the same id, or a new id of its own
        const auto same = t.m_vocab.find(content);
        if (same != t.m_vocab.end() && same->second != static_cast<int32_t>(id))
            return makeError("added token " + quoted(content) + " has id " + std::to_string(static_cast<int64_t>(id)) + " but the vocabulary gives it " +
                             std::to_string(same->second)).inFile(path);
        if (same == t.m_vocab.end()) {
            if (auto [it, fresh] = t.m_idIndex.emplace(static_cast<int32_t>(id), vocab.size() + index); !fresh)
                return makeError("added token " + quoted(content) + " has id " + std::to_string(static_cast<int64_t>(id)) + ", which another token already has")
                    .inFile(path);
            t.m_maxId = std::max(t.m_maxId, static_cast<int32_t>(id));
        }
        t.m_added.emplace_back(content, static_cast<int32_t>(id));
        ++index;
    }

    // SentencePiece-style BPE: symbols are characters, spaces are U+2581, with one in front, and bytes as a fallback
    const QJsonValue normalizer = root.value(QLatin1String("normalizer"));
    const QJsonObject pre = root.value(QLatin1String("pre_tokenizer")).toObject();
    const QString preType = pre.value(QLatin1String("type")).toString();
    t.m_byteFallback = model.value(QLatin1String("byte_fallback")).toBool();
    if (model.value(QLatin1String("ignore_merges")).toBool() || model.value(QLatin1String("dropout")).isDouble())
        return makeError("BPE with ignore_merges or dropout is not supported").inFile(path);
    if (const QString unk = model.value(QLatin1String("unk_token")).toString(); !unk.isEmpty())
        if (auto u = t.m_vocab.find(unk.toStdString()); u != t.m_vocab.end())
            t.m_unk = u->second;
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        auto it = t.m_vocab.find(name);
        t.m_byteToken[b] = it == t.m_vocab.end() ? -1 : it->second;
    }
    const QString space = QStringLiteral("\u2581");
    if (preType == QLatin1String("Metaspace")) {
        // Mistral v0.3's layout: Metaspace, prepend_scheme "first", split false
        if (pre.value(QLatin1String("replacement")).toString() != space || pre.value(QLatin1String("split")).toBool() ||
            pre.value(QLatin1String("prepend_scheme")).toString() != QLatin1String("first") || !(normalizer.isNull() || normalizer.isUndefined()))
            return makeError("a Metaspace pre-tokenizer other than U+2581, prepend_scheme first, split false is not supported").inFile(path);
        t.m_mode = Mode::SentencePiece;
        t.m_metaspace = true;
        return t;
    }
    if (!(normalizer.isNull() || normalizer.isUndefined())) {
        // Llama-2's converted layout: normalizer Sequence[Prepend U+2581, Replace " " -> U+2581], no pre-tokenizer
        const QJsonArray steps = normalizer.toObject().value(QLatin1String("normalizers")).toArray();
        const bool llama2 = normalizer.toObject().value(QLatin1String("type")).toString() == QLatin1String("Sequence") && steps.size() == 2 &&
                            steps[0].toObject().value(QLatin1String("type")).toString() == QLatin1String("Prepend") &&
                            steps[0].toObject().value(QLatin1String("prepend")).toString() == space &&
                            steps[1].toObject().value(QLatin1String("type")).toString() == QLatin1String("Replace") &&
                            steps[1].toObject().value(QLatin1String("pattern")).toObject().value(QLatin1String("String")).toString() == QLatin1String(" ") &&
                            steps[1].toObject().value(QLatin1String("content")).toString() == space;
        if (!llama2 || !pre.isEmpty())
            return makeError("normalizer '" + normalizer.toObject().value(QLatin1String("type")).toString().toStdString() +
                             "' is not supported: only Llama-2's Prepend + Replace of U+2581").inFile(path);
        t.m_mode = Mode::SentencePiece;
        return t;
    }

    // byte-level: ByteLevel with GPT-2's regex, or a Split regex followed by ByteLevel without one
    QString pattern;
    auto byteLevel = [&](const QJsonObject &o) {
        t.m_addPrefixSpace = o.value(QLatin1String("add_prefix_space")).toBool(false);
        if (o.value(QLatin1String("use_regex")).toBool(true))
            pattern = QString::fromLatin1(kGpt2Pattern);
    };
    if (preType == QLatin1String("ByteLevel")) {
        byteLevel(pre);
    } else if (preType == QLatin1String("Sequence")) {
        for (const QJsonValue v : pre.value(QLatin1String("pretokenizers")).toArray()) {
            const QJsonObject o = v.toObject();
            const QString type = o.value(QLatin1String("type")).toString();
            if (type == QLatin1String("Split")) {
                const QString behavior = o.value(QLatin1String("behavior")).toString();
                if (behavior != QLatin1String("Isolated") || o.value(QLatin1String("invert")).toBool())
                    return makeError("Split pre-tokenizer with behavior " + behavior.toStdString() + " is not supported").inFile(path);
                pattern = o.value(QLatin1String("pattern")).toObject().value(QLatin1String("Regex")).toString();
            } else if (type == QLatin1String("ByteLevel")) {
                const QString split = pattern;
                byteLevel(o);
                if (!split.isEmpty() && !o.value(QLatin1String("use_regex")).toBool(true))
                    pattern = split;
            } else {
                return makeError("pre-tokenizer " + type.toStdString() + " is not supported").inFile(path);
            }
        }
    } else {
        return makeError("pre-tokenizer '" + preType.toStdString() + "' is not supported").inFile(path);
    }
    if (t.m_byteFallback)
        return makeError("byte-level BPE with byte_fallback is not supported").inFile(path);
    if (pattern.isEmpty())
        return makeError("no pre-tokenizer regex").inFile(path);
    // \s, \p{L} and the like over Unicode, as the Rust regex engines of tokenizers read them
    t.m_split = QRegularExpression(pattern, QRegularExpression::UseUnicodePropertiesOption);
    if (!t.m_split.isValid())
        return makeError("the pre-tokenizer regex does not compile: " + t.m_split.errorString().toStdString()).inFile(path);
    t.m_split.optimize();
    return t;
}

Status BpeTokenizer::encodePiece(const std::string &bytes, std::vector<int32_t> &out, bool strict) const
{
    {
        std::lock_guard lock(*m_cacheMutex);
        if (auto it = m_cache.find(bytes); it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return okStatus();
        }
    }
    std::vector<int32_t> ids;
    bool complete = true;
    for (unsigned char b : bytes) {
        // every byte's character is in a real byte-level vocabulary; a file lacking one cannot say that byte
        if (auto v = m_vocab.find(m_byteChar[b]); v != m_vocab.end())
            ids.push_back(v->second);
        else if (strict)
            return makeError("byte " + hexByte(b) + " has no token: the byte-level vocabulary lacks its character");
        else
            complete = false;
    }
    mergeWord(ids);
    out.insert(out.end(), ids.begin(), ids.end());
    if (complete) { // a piece that lost a byte is not kept, so a strict call later still sees the loss
        std::lock_guard lock(*m_cacheMutex);
        m_cache.emplace(bytes, std::move(ids));
    }
    return okStatus();
}

void BpeTokenizer::mergeWord(std::vector<int32_t> &sym) const
{
    // tokenizers' BPE::merge_word: a queue of the adjacent pairs that have a merge, lowest rank and then leftmost
    // first; a popped pair whose symbols have changed since it was queued is skipped
    const int n = static_cast<int>(sym.size());
    if (n < 2)
        return;
    std::vector<int> prev(static_cast<size_t>(n)), next(static_cast<size_t>(n));
    std::vector<bool> alive(static_cast<size_t>(n), true);
    for (int i = 0; i < n; ++i) {
        prev[static_cast<size_t>(i)] = i - 1;
        next[static_cast<size_t>(i)] = i + 1 < n ? i + 1 : -1;
    }
    struct Candidate {
        int rank, pos;
        int32_t merged;
        bool operator>(const Candidate &o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> queue;
    auto consider = [&](int left) {
        const int right = next[static_cast<size_t>(left)];
        if (left < 0 || right < 0)
            return;
        const auto m = m_merges.find(uint64_t(uint32_t(sym[static_cast<size_t>(left)])) << 32 | uint32_t(sym[static_cast<size_t>(right)]));
        if (m != m_merges.end())
            queue.push({m->second.first, left, m->second.second});
    };
    for (int i = 0; i + 1 < n; ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        const size_t l = static_cast<size_t>(c.pos);
        if (!alive[l] || next[l] < 0)
            continue;
        const size_t r = static_cast<size_t>(next[l]);
        const auto m = m_merges.find(uint64_t(uint32_t(sym[l])) << 32 | uint32_t(sym[r]));
        if (m == m_merges.end() || m->second.second != c.merged)
            continue;
        sym[l] = c.merged;
        alive[r] = false;
        next[l] = next[r];
        if (next[l] >= 0)
            prev[static_cast<size_t>(next[l])] = c.pos;
        consider(prev[l]);
        consider(c.pos);
    }
    size_t k = 0;
    for (size_t i = 0; i < sym.size(); ++i)
        if (alive[i])
            sym[k++] = sym[i];
    sym.resize(k);
}

Status BpeTokenizer::encodeSentencePiece(std::string_view text, bool atStart, std::vector<int32_t> &out, bool strict) const
{
    static const std::string kSpace = "\xE2\x96\x81"; // U+2581
    if (text.empty())
        return okStatus();
    std::string s;
    if (m_metaspace) {
        // Metaspace, prepend_scheme "first": spaces become U+2581; one goes in front of the text's very start only
        for (char c : text)
            s += c == ' ' ? kSpace : std::string(1, c);
        if (atStart && s.rfind(kSpace, 0) != 0)
            s = kSpace + s;
    } else {
        // Prepend U+2581 to every non-empty part, then Replace " " with U+2581
        s = kSpace;
        for (char c : text)
            s += c == ' ' ? kSpace : std::string(1, c);
    }
    std::vector<int32_t> sym;
    sym.reserve(s.size());
    for (const std::string &c : symbolsOf(s)) {
        if (auto v = m_vocab.find(c); v != m_vocab.end()) {
            sym.push_back(v->second);
            continue;
        }
        bool bytes = m_byteFallback;
        for (unsigned char b : c)
            bytes = bytes && m_byteToken[b] >= 0;
        if (bytes) {
            for (unsigned char b : c)
                sym.push_back(m_byteToken[b]);
        } else if (m_unk >= 0) {
            if (sym.empty() || sym.back() != m_unk) // fuse_unk: one unknown for a run
                sym.push_back(m_unk);
        } else if (strict) {
            return makeError("character " + quoted(c) + " has no token, no byte fallback and no unknown token");
        }
    }
    mergeWord(sym);
    out.insert(out.end(), sym.begin(), sym.end());
    return okStatus();
}

Status BpeTokenizer::encodeLlamaSpm(const std::string &text, std::vector<int32_t> &out, bool strict) const
{
    // llama.cpp's llm_tokenizer_spm_session::tokenize: the symbols are UTF-8 characters (a stray byte alone); every
    // adjacent pair whose text is a token is queued with that token's score; the highest score merges first, the
    // leftmost on a tie (llm_bigram_spm::comparator); a queued pair whose symbols have changed since is skipped
    struct Symbol {
        size_t offset, length;
        int prev, next;
    };
    struct Bigram {
        float score;
        int left, right;
        size_t length;
        bool operator<(const Bigram &o) const { return score != o.score ? score < o.score : left > o.left; }
    };
    std::vector<Symbol> sym;
    for (size_t off = 0; off < text.size();) {
        const size_t len = std::min(llamaUtf8Length(static_cast<unsigned char>(text[off])), text.size() - off);
        const int index = static_cast<int>(sym.size());
        sym.push_back({off, len, index - 1, off + len == text.size() ? -1 : index + 1});
        off += len;
    }
    std::priority_queue<Bigram> queue;
    std::string pair;
    auto tryAdd = [&](int left, int right) {
        if (left < 0 || right < 0)
            return;
        pair.assign(text, sym[static_cast<size_t>(left)].offset, sym[static_cast<size_t>(left)].length + sym[static_cast<size_t>(right)].length);
        if (auto v = m_vocab.find(pair); v != m_vocab.end())
            queue.push({m_scores[static_cast<size_t>(v->second)], left, right, pair.size()});
    };
    for (int i = 1; i < static_cast<int>(sym.size()); ++i)
        tryAdd(i - 1, i);
    while (!queue.empty()) {
        const Bigram b = queue.top();
        queue.pop();
        Symbol &l = sym[static_cast<size_t>(b.left)], &r = sym[static_cast<size_t>(b.right)];
        if (l.length == 0 || r.length == 0 || l.length + r.length != b.length)
            continue;
        l.length += r.length;
        r.length = 0;
        l.next = r.next;
        if (r.next >= 0)
            sym[static_cast<size_t>(r.next)].prev = b.left;
        tryAdd(l.prev, b.left);
        tryAdd(b.left, l.next);
    }
    // resegment: a symbol is a token, or it never merged and goes out as bytes (llama.cpp's rev_merge branch needs a
    // symbol whose text is not a token, and only tokens are ever merged, so it is never taken)
    for (int i = sym.empty() ? -1 : 0; i != -1; i = sym[static_cast<size_t>(i)].next) {
        const Symbol &s = sym[static_cast<size_t>(i)];
        if (auto v = m_vocab.find(text.substr(s.offset, s.length)); v != m_vocab.end()) {
            out.push_back(v->second);
            continue;
        }
        for (size_t k = 0; k < s.length; ++k) {
            const unsigned char b = static_cast<unsigned char>(text[s.offset + k]);
            if (m_byteToken[b] >= 0)
                out.push_back(m_byteToken[b]);
            else if (strict) // llama.cpp's byte_to_token throws here
                return makeError("byte " + hexByte(b) + " of " + quoted(text.substr(s.offset, s.length)) +
                                 " has no token: the vocabulary has neither <" + hexByte(b) + "> nor the byte itself");
            else
                out.push_back(m_unk);
        }
    }
    return okStatus();
}

std::vector<BpeTokenizer::Fragment> BpeTokenizer::partition(std::string_view text) const
{
    std::vector<Fragment> frags;
    if (m_longestSpecialFirst) {
        // llama.cpp's tokenizer_st_partition: each special token in turn, longest first, cuts every text fragment
        // at each of its occurrences
        if (!text.empty())
            frags.push_back({0, text.size(), -1});
        std::vector<Fragment> next;
        for (const auto &[content, id] : m_added) {
            next.clear();
            for (const Fragment &f : frags) {
                if (f.token >= 0) {
                    next.push_back(f);
                    continue;
                }
                size_t pos = f.offset;
                const size_t end = f.offset + f.length;
                for (size_t at; pos < end && (at = text.substr(0, end).find(content, pos)) != std::string_view::npos; pos = at + content.size()) {
                    if (at > pos)
                        next.push_back({pos, at - pos, -1});
                    next.push_back({at, content.size(), id});
                }
                if (pos < end)
                    next.push_back({pos, end - pos, -1});
            }
            frags.swap(next);
        }
        return frags;
    }
    // tokenizers' added-token split: the earliest added token from here (the longest where two start at once),
    // each token's next occurrence found once and found again only once passed
    std::vector<size_t> nextAt(m_added.size(), 0);
    std::vector<bool> known(m_added.size(), false);
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t next = std::string_view::npos, len = 0;
        int32_t id = -1;
        for (size_t k = 0; k < m_added.size(); ++k) {
            const std::string &content = m_added[k].first;
            if (content.empty())
                continue;
            if (!known[k] || (nextAt[k] != std::string_view::npos && nextAt[k] < pos)) {
                nextAt[k] = text.find(content, pos);
                known[k] = true;
            }
            const size_t f = nextAt[k];
            if (f != std::string_view::npos && (f < next || (f == next && content.size() > len))) {
                next = f;
                len = content.size();
                id = m_added[k].second;
            }
        }
        const size_t partEnd = next == std::string_view::npos ? text.size() : next;
        // an empty part is kept only where it matters: at the very start, for the Metaspace prefix rule
        if (partEnd > pos)
            frags.push_back({pos, partEnd - pos, -1});
        if (next == std::string_view::npos)
            break;
        frags.push_back({next, len, id});
        pos = next + len;
    }
    return frags;
}

Status BpeTokenizer::encodeInto(std::string_view text, std::vector<int32_t> &out, bool strict) const
{
    if (strict)
        if (const size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos)
            return makeError("the text is not valid UTF-8: byte " + hexByte(static_cast<unsigned char>(text[bad])) + " at offset " +
                             std::to_string(bad) + " does not start or continue a character", static_cast<int64_t>(bad));
    bool prevSpecial = true; // llama.cpp: "prefix with space if first token", and after every special token
    for (const Fragment &f : partition(text)) {
        if (f.token >= 0) {
            out.push_back(f.token);
            prevSpecial = true;
            continue;
        }
        const std::string_view part = text.substr(f.offset, f.length);
        if (m_mode == Mode::LlamaSpm) {
            // llama_vocab::impl::tokenize for SPM: a space in front where add_space_prefix says so, then
            // llama_escape_whitespace (every " " becomes U+2581), then one llm_tokenizer_spm_session per fragment
            std::string s = m_addSpacePrefix && prevSpecial ? std::string(" ") : std::string();
            s.append(part);
            std::string escaped;
            escaped.reserve(s.size() + s.size() / 2);
            for (char c : s)
                escaped += c == ' ' ? std::string_view("\xE2\x96\x81") : std::string_view(&c, 1);
            if (auto st = encodeLlamaSpm(escaped, out, strict); !st)
                return Error(st.error()).atOffset(static_cast<int64_t>(f.offset));
        } else if (m_mode == Mode::SentencePiece) {
            if (auto st = encodeSentencePiece(part, f.offset == 0, out, strict); !st)
                return Error(st.error()).atOffset(static_cast<int64_t>(f.offset));
        } else {
            QString s = QString::fromUtf8(part.data(), static_cast<qsizetype>(part.size()));
            if (m_addPrefixSpace && !s.startsWith(QLatin1Char(' ')))
                s.prepend(QLatin1Char(' '));
            qsizetype last = 0;
            auto it = m_split.globalMatch(s);
            Status st = okStatus();
            auto emit = [&](qsizetype from, qsizetype to) {
                if (to > from && st)
                    st = encodePiece(s.mid(from, to - from).toStdString(), out, strict);
            };
            while (it.hasNext()) {
                const auto m = it.next();
                emit(last, m.capturedStart()); // text no alternative matched is a piece of its own
                emit(m.capturedStart(), m.capturedEnd());
                last = m.capturedEnd();
            }
            emit(last, s.size());
            if (!st)
                return Error(st.error()).atOffset(static_cast<int64_t>(f.offset));
        }
        prevSpecial = false;
    }
    return okStatus();
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const
{
    std::vector<int32_t> out;
    (void)encodeInto(text, out, false); // never fails when not strict
    return out;
}

Result<std::vector<int32_t>> BpeTokenizer::encodeChecked(std::string_view text) const
{
    std::vector<int32_t> out;
    if (auto st = encodeInto(text, out, true); !st)
        return st.error();
    return out;
}

Result<BpeTokenizer> tokenizerForModel(const Model &model)
{
    const bool gguf = model.format() == ModelFormat::Gguf;
    const std::string file = gguf ? model.path() : model.path() + "/tokenizer.json";
    auto t = gguf ? BpeTokenizer::fromGgufMetadata(model.gguf()->metadata, file) : BpeTokenizer::fromTokenizerJson(file);
    if (!t)
        return t;
    if (auto st = t->checkAgainstModel(model.architecture().vocabSize); !st)
        return Error(st.error()).inFile(file);
    return t;
}

Result<BpeTokenizer> tokenizerForPath(const std::string &path)
{
    // a tokenizer alone: no weights to open and nothing to check it against
    const size_t slash = path.find_last_of('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (!isDirectory(path) && name.size() > 5 && name.ends_with(".json") && name != "config.json")
        return BpeTokenizer::fromTokenizerJson(path);
    if (isDirectory(path) && fileExists(path + "/tokenizer.json") && !fileExists(path + "/config.json"))
        return BpeTokenizer::fromTokenizerJson(path + "/tokenizer.json");
    auto model = Model::open(path);
    if (!model)
        return model.error();
    return tokenizerForModel(**model);
}

} // namespace qs
