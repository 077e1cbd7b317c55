#include "model/tokenizer.h"

#include "io/small_file.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

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

std::string tokenContent(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().toStdString();
    return v.toObject().value(QLatin1String("content")).toString().toStdString();
}

} // namespace

Result<HfTokenizer> loadHfTokenizer(const std::string &folder, int64_t vocabSize)
{
    const std::string tokPath = folder + "/tokenizer.json";
    auto tj = readJson(tokPath, true);
    if (!tj)
        return tj.error();
    auto tc = readJson(folder + "/tokenizer_config.json", false);
    if (!tc)
        return tc.error();
    auto cfg = readJson(folder + "/config.json", false);
    if (!cfg)
        return cfg.error();

    HfTokenizer t;
    const QJsonObject model = tj->value(QLatin1String("model")).toObject();
    const QString type = model.value(QLatin1String("type")).toString();
    if (type != QLatin1String("BPE") || model.value(QLatin1String("byte_fallback")).toBool(false))
        return makeError("tokenizer model '" + type.toStdString() +
                         "' is not byte-level BPE; SentencePiece vocabularies cannot be written to GGUF yet")
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
        t.tokens.push_back(it->second);
        auto a = added.find(id);
        t.tokenTypes.push_back(static_cast<int32_t>(a == added.end() ? TokenType::Normal
                                                    : a->second      ? TokenType::Control
                                                                     : TokenType::UserDefined));
    }

    for (const QJsonValue m : model.value(QLatin1String("merges")).toArray()) {
        if (m.isString())
            t.merges.push_back(m.toString().toStdString());
        else if (m.isArray() && m.toArray().size() == 2)
            t.merges.push_back(m.toArray().at(0).toString().toStdString() + " " + m.toArray().at(1).toString().toStdString());
        else
            return makeError("a merge is neither \"a b\" nor [\"a\", \"b\"]").inFile(tokPath);
    }

    // Special tokens: tokenizer_config.json names them; config.json's *_token_id fills what it does not.
    auto idOf = [&](const std::string &content) -> std::optional<uint32_t> {
        for (const auto &[id, tok] : byId)
            if (tok == content)
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
