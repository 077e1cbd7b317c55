#include "model/tokenizer.h"

#include "io/sentencepiece_model.h"
#include "io/small_file.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cstring>
#include <map>

namespace qs {

namespace {

Result<QJsonObject> readJson(const std::string &path, bool required)
{
    if (!fileExists(path)) {
        if (required)
            return makeError("missing: the tokenizer is needed to write GGUF").inFile(path);
        return QJsonObject();
    }
    auto bytes = readSmallFile(path, 256u << 20);
    if (!bytes)
        return bytes.error();
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray(reinterpret_cast<const char *>(bytes->data()), static_cast<qsizetype>(bytes->size())), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError("invalid JSON: " + err.errorString().toStdString(), err.offset).inFile(path);
    return doc.object();
}

// The pre-tokenizer's split regex decides llama.cpp's `pre` name (its converter hashes tokenizer output; the regex
// is what that hash depends on for byte-level BPE).
std::optional<std::string> preTokenizerName(const QJsonObject &pre)
{
    const QString type = pre.value(QLatin1String("type")).toString();
    if (type == QLatin1String("ByteLevel") && pre.value(QLatin1String("use_regex")).toBool(true))
        return std::string("gpt-2");
    if (type != QLatin1String("Sequence"))
        return std::nullopt;
    for (const QJsonValue p : pre.value(QLatin1String("pretokenizers")).toArray()) {
        const QJsonObject o = p.toObject();
        if (o.value(QLatin1String("type")).toString() != QLatin1String("Split"))
            continue;
        const QString re = o.value(QLatin1String("pattern")).toObject().value(QLatin1String("Regex")).toString();
        if (re.contains(QLatin1String("\\p{N}{1,3}")) && re.contains(QLatin1String("(?i:'s|'t|'re|'ve|'m|'ll|'d)")))
            return std::string("llama-bpe");
        if (re.contains(QLatin1String("(?i:'s|'t|'re|'ve|'m|'ll|'d)")) && re.contains(QLatin1String("\\p{N}|")))
            return std::string("qwen2");
    }
    return std::nullopt;
}

// gguf-py's does_token_look_special: added tokens some models forget to mark special.
bool looksSpecial(const std::string &t)
{
    auto starts = [&](const char *p) { return t.rfind(p, 0) == 0; };
    auto ends = [&](const char *p) { const size_t n = std::strlen(p); return t.size() >= n && t.compare(t.size() - n, n, p) == 0; };
    return t == "<pad>" || t == "<mask>" || t == "<2mass>" || t == "[@BOS@]" || (starts("<|") && ends("|>")) ||
           (starts("<\xef\xbd\x9c") && ends("\xef\xbd\x9c>")) || (starts("<unused") && ends(">"));
}

// User-defined tokens are stored pre-normalised: SentencePiece's U+2581 becomes a space.
std::string spaceForLowLine(std::string t)
{
    const std::string lowLine = "\xe2\x96\x81";
    for (size_t at = t.find(lowLine); at != std::string::npos; at = t.find(lowLine, at + 1))
        t.replace(at, lowLine.size(), " ");
    return t;
}

std::string tokenContent(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toStdString();
    return v.toObject().value(QLatin1String("content")).toString().toStdString();
}

Status loadSentencePiece(const std::string &folder, int64_t vocabSize, const QJsonObject &tokenizerConfig, HfTokenizer &t)
{
    const std::string path = folder + "/tokenizer.model";
    auto bytes = readSmallFile(path, 512u << 20);
    if (!bytes)
        return bytes.error();
    auto pieces = parseSentencePieceModel(*bytes, path);
    if (!pieces)
        return pieces.error();
    const int64_t n = vocabSize > 0 ? vocabSize : static_cast<int64_t>(pieces->size());
    if (n > (int64_t(1) << 24))
        return makeError("vocabulary of " + std::to_string(n) + " tokens is implausibly large").inFile(path);
    t.model = "llama";
    t.pre = "default";
    t.tokens.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        t.tokens[static_cast<size_t>(i)] = "[PAD" + std::to_string(i) + "]";
    t.scores.assign(static_cast<size_t>(n), -10000.0f);
    t.tokenTypes.assign(static_cast<size_t>(n), static_cast<int32_t>(TokenType::Unused));
    for (size_t id = 0; id < pieces->size() && static_cast<int64_t>(id) < n; ++id) {
        const SpPiece &p = (*pieces)[id];
        t.tokens[id] = p.piece;
        t.scores[id] = p.score;
        // the converter asks IsUnknown, IsControl, IsUnused, IsByte; anything else (user-defined too) is normal
        TokenType type = TokenType::Normal;
        if (p.type == SpPieceType::Unknown)
            type = TokenType::Unknown;
        else if (p.type == SpPieceType::Control)
            type = TokenType::Control;
        else if (p.type == SpPieceType::Unused)
            type = TokenType::Unused;
        else if (p.type == SpPieceType::Byte)
            type = TokenType::Byte;
        t.tokenTypes[id] = static_cast<int32_t>(type);
    }
    auto added = readJson(folder + "/added_tokens.json", false);
    if (!added)
        return added.error();
    for (auto it = added->begin(); it != added->end(); ++it) {
        const int64_t id = it.value().toInteger(-1);
        if (id < 0 || id >= n)
            continue;
        t.tokens[static_cast<size_t>(id)] = it.key().toStdString();
        t.scores[static_cast<size_t>(id)] = -1000.0f;
        t.tokenTypes[static_cast<size_t>(id)] = static_cast<int32_t>(TokenType::UserDefined);
    }
    const QJsonObject decoder = tokenizerConfig.value(QLatin1String("added_tokens_decoder")).toObject();
    for (auto it = decoder.begin(); it != decoder.end(); ++it) {
        bool ok = false;
        const int64_t id = it.key().toLongLong(&ok);
        if (!ok || id < 0 || id >= n)
            continue;
        const QJsonObject o = it.value().toObject();
        std::string content = o.value(QLatin1String("content")).toString().toStdString();
        if (o.value(QLatin1String("special")).toBool(false) || looksSpecial(content)) {
            t.tokenTypes[static_cast<size_t>(id)] = static_cast<int32_t>(TokenType::Control);
        } else {
            content = spaceForLowLine(content);
            t.tokenTypes[static_cast<size_t>(id)] = static_cast<int32_t>(TokenType::UserDefined);
        }
        t.scores[static_cast<size_t>(id)] = -1000.0f;
        t.tokens[static_cast<size_t>(id)] = content;
    }
    return okStatus();
}

Status loadBytePairEncoding(const std::string &folder, int64_t vocabSize, HfTokenizer &t)
{
    const std::string tokPath = folder + "/tokenizer.json";
    auto tj = readJson(tokPath, true);
    if (!tj)
        return tj.error();
    const QJsonObject model = tj->value(QLatin1String("model")).toObject();
    const QString type = model.value(QLatin1String("type")).toString();
    if (type != QLatin1String("BPE") || model.value(QLatin1String("byte_fallback")).toBool(false))
        return makeError("tokenizer model '" + type.toStdString() +
                         "' is not byte-level BPE, and there is no tokenizer.model for a SentencePiece vocabulary")
            .inFile(tokPath);
    t.model = "gpt2";
    const auto pre = preTokenizerName(tj->value(QLatin1String("pre_tokenizer")).toObject());
    if (!pre)
        return makeError("unrecognised pre-tokenizer: llama.cpp would need a 'tokenizer.ggml.pre' name for it").inFile(tokPath);
    t.pre = *pre;

    std::map<int64_t, std::string> byId;
    const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
    for (auto it = vocab.begin(); it != vocab.end(); ++it)
        byId[it.value().toInteger(-1)] = it.key().toStdString();
    std::map<int64_t, bool> added; // id -> special
    for (const QJsonValue a : tj->value(QLatin1String("added_tokens")).toArray()) {
        const QJsonObject o = a.toObject();
        const int64_t id = o.value(QLatin1String("id")).toInteger(-1);
        if (id < 0)
            continue;
        byId[id] = o.value(QLatin1String("content")).toString().toStdString();
        added[id] = o.value(QLatin1String("special")).toBool(false);
    }
    if (byId.count(-1))
        return makeError("a vocabulary id is not a non-negative integer").inFile(tokPath);
    const int64_t maxId = byId.empty() ? -1 : byId.rbegin()->first;
    const int64_t n = std::max(vocabSize, maxId + 1);
    if (n > (int64_t(1) << 24))
        return makeError("vocabulary of " + std::to_string(n) + " tokens is implausibly large").inFile(tokPath);
    t.tokens.reserve(static_cast<size_t>(n));
    t.tokenTypes.reserve(static_cast<size_t>(n));
    for (int64_t id = 0; id < n; ++id) {
        auto it = byId.find(id);
        if (it == byId.end()) {
            t.tokens.push_back("[PAD" + std::to_string(id) + "]");
            t.tokenTypes.push_back(static_cast<int32_t>(TokenType::UserDefined));
            continue;
        }
        auto a = added.find(id);
        if (a == added.end()) {
            t.tokens.push_back(it->second);
            t.tokenTypes.push_back(static_cast<int32_t>(TokenType::Normal));
        } else if (a->second || looksSpecial(it->second)) {
            t.tokens.push_back(it->second);
            t.tokenTypes.push_back(static_cast<int32_t>(TokenType::Control));
        } else {
            t.tokens.push_back(spaceForLowLine(it->second));
            t.tokenTypes.push_back(static_cast<int32_t>(TokenType::UserDefined));
        }
    }
    for (const QJsonValue m : model.value(QLatin1String("merges")).toArray()) {
        if (m.isString())
            t.merges.push_back(m.toString().toStdString());
        else if (m.isArray() && m.toArray().size() == 2)
            t.merges.push_back(m.toArray().at(0).toString().toStdString() + " " + m.toArray().at(1).toString().toStdString());
        else
            return makeError("a merge is neither \"a b\" nor [\"a\", \"b\"]").inFile(tokPath);
    }
    return okStatus();
}

} // namespace

Result<HfTokenizer> loadHfTokenizer(const std::string &folder, int64_t vocabSize)
{
    auto tc = readJson(folder + "/tokenizer_config.json", false);
    if (!tc)
        return tc.error();
    auto cfg = readJson(folder + "/config.json", false);
    if (!cfg)
        return cfg.error();
    HfTokenizer t;
    // like the converter: SentencePiece when there is a tokenizer.model, byte-level BPE otherwise
    Status st = fileExists(folder + "/tokenizer.model") ? loadSentencePiece(folder, vocabSize, *tc, t)
                                                        : loadBytePairEncoding(folder, vocabSize, t);
    if (!st)
        return st.error();
    const int64_t n = static_cast<int64_t>(t.tokens.size());

    // Special tokens: tokenizer_config.json names them; config.json's *_token_id fills what it does not.
    auto idOf = [&](const std::string &content) -> std::optional<uint32_t> {
        for (size_t id = 0; id < t.tokens.size(); ++id)
            if (t.tokens[id] == content)
                return static_cast<uint32_t>(id);
        return std::nullopt;
    };
    struct Special {
        const char *name;
        std::optional<uint32_t> *slot;
    };
    for (const Special &s : {Special{"bos", &t.bos}, Special{"eos", &t.eos}, Special{"unk", &t.unk}, Special{"sep", &t.sep},
                             Special{"pad", &t.pad}}) {
        const QJsonValue v = tc->value(QLatin1String((std::string(s.name) + "_token").c_str()));
        if (!v.isUndefined() && !v.isNull())
            *s.slot = idOf(tokenContent(v));
        if (!*s.slot) {
            const QJsonValue c = cfg->value(QLatin1String((std::string(s.name) + "_token_id").c_str()));
            if (c.isDouble() && c.toInteger(-1) >= 0 && c.toInteger(-1) < n)
                *s.slot = static_cast<uint32_t>(c.toInteger());
        }
    }
    if (tc->contains(QLatin1String("add_bos_token")))
        t.addBos = tc->value(QLatin1String("add_bos_token")).toBool();
    if (tc->contains(QLatin1String("add_eos_token")))
        t.addEos = tc->value(QLatin1String("add_eos_token")).toBool();
    t.chatTemplate = tc->value(QLatin1String("chat_template")).toString().toStdString();
    return t;
}

} // namespace qs
