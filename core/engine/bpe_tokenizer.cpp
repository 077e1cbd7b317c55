#include "engine/bpe_tokenizer.h"

#include "io/gguf.h"
#include "io/small_file.h"
#include "model/model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <climits>
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

} // namespace

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
    if (a == m_vocab.end() || b == m_vocab.end() || ab == m_vocab.end())
        return makeError("merge " + std::to_string(rank) + " ('" + left + "' + '" + right + "') names a token the vocabulary lacks");
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
                    *types = find("tokenizer.ggml.token_type"), *pre = find("tokenizer.ggml.pre");
    if (!model || !tokens || !tokens->isArray())
        return makeError("no tokenizer.ggml.model and tokenizer.ggml.tokens: the file carries no vocabulary").inFile(file);
    const std::string kind = model->toString().value_or("");
    if (kind != "gpt2")
        return makeError("tokenizer.ggml.model '" + kind + "' is not supported yet (byte-level BPE, 'gpt2', is)").inFile(file);
    if (!merges || !merges->isArray())
        return makeError("a gpt2 vocabulary needs tokenizer.ggml.merges").inFile(file);
    // the pre-tokenizer regexes llama.cpp uses for these names (llama-vocab.cpp)
    const std::string preName = pre ? pre->toString().value_or("") : std::string("default");
    QString pattern;
    if (preName == "gpt-2" || preName == "default")
        pattern = QString::fromLatin1(kGpt2Pattern);
    else if (preName == "llama-bpe" || preName == "llama3")
        pattern = QStringLiteral(R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^
\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[
]*|\s*[
]+|\s+(?!\S)|\s+)");
    else if (preName == "qwen2")
        pattern = QStringLiteral(R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^
\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[
]*|\s*[
]+|\s+(?!\S)|\s+)");
    else
        return makeError("tokenizer.ggml.pre '" + preName + "' is not supported yet (gpt-2, llama-bpe and qwen2 are)").inFile(file);

    BpeTokenizer t;
    t.initByteLevel();
    for (size_t i = 0; i < tokens->strings.size(); ++i) {
        t.m_vocab.emplace(tokens->strings[i], static_cast<int32_t>(i));
        // control (3) and user-defined (4) tokens are matched in the raw text, as llama.cpp's special tokens are
        const int64_t type = types && types->isArray() && i < types->count ? types->arrayInt(i) : 1;
        if (type == 3 || type == 4)
            t.m_added.emplace_back(tokens->strings[i], static_cast<int32_t>(i));
    }
    for (size_t r = 0; r < merges->strings.size(); ++r) {
        const std::string &m = merges->strings[r];
        const size_t space = m.find(' ');
        if (space == std::string::npos)
            return makeError("merge " + std::to_string(r) + " is not 'left right'").inFile(file);
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
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(bytes->data()), static_cast<qsizetype>(bytes->size())), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError("not a JSON object: " + err.errorString().toStdString(), err.offset).inFile(path);
    const QJsonObject root = doc.object();
    const QJsonObject model = root.value(QLatin1String("model")).toObject();
    if (model.value(QLatin1String("type")).toString() != QLatin1String("BPE"))
        return makeError("the tokenizer model is not BPE").inFile(path);

    BpeTokenizer t;
    t.initByteLevel();
    const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
    for (auto it = vocab.begin(); it != vocab.end(); ++it)
        t.m_vocab.emplace(it.key().toStdString(), static_cast<int32_t>(it.value().toInt()));
    const QJsonArray merges = model.value(QLatin1String("merges")).toArray();
    int rank = 0;
    for (const QJsonValue m : merges) {
        std::string left, right; // older files write "a b", newer ones ["a", "b"]
        if (m.isArray()) {
            left = m.toArray().at(0).toString().toStdString();
            right = m.toArray().at(1).toString().toStdString();
        } else {
            const std::string both = m.toString().toStdString();
            const size_t space = both.find(' ');
            left = both.substr(0, space);
            right = space == std::string::npos ? std::string() : both.substr(space + 1);
        }
        if (auto st = t.addMerge(left, right, rank++); !st)
            return Error(st.error()).inFile(path);
    }
    for (const QJsonValue a : root.value(QLatin1String("added_tokens")).toArray()) {
        const QJsonObject o = a.toObject();
        t.m_added.emplace_back(o.value(QLatin1String("content")).toString().toStdString(), o.value(QLatin1String("id")).toInt());
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

void BpeTokenizer::encodePiece(const std::string &bytes, std::vector<int32_t> &out) const
{
    {
        std::lock_guard lock(*m_cacheMutex);
        if (auto it = m_cache.find(bytes); it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::string word;
    for (unsigned char b : bytes)
        word += m_byteChar[b];
    std::vector<int32_t> ids;
    for (const std::string &c : symbolsOf(word))
        if (auto v = m_vocab.find(c); v != m_vocab.end()) // every byte's character is in a byte-level vocabulary
            ids.push_back(v->second);
    mergeWord(ids);
    out.insert(out.end(), ids.begin(), ids.end());
    std::lock_guard lock(*m_cacheMutex);
    m_cache.emplace(bytes, std::move(ids));
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

void BpeTokenizer::encodeSentencePiece(std::string text, bool atStart, std::vector<int32_t> &out) const
{
    static const std::string kSpace = "\xE2\x96\x81"; // U+2581
    if (text.empty())
        return;
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
        } else if (m_unk >= 0 && (sym.empty() || sym.back() != m_unk)) { // fuse_unk: one unknown for a run
            sym.push_back(m_unk);
        }
    }
    mergeWord(sym);
    out.insert(out.end(), sym.begin(), sym.end());
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const
{
    std::vector<int32_t> out;
    // where each added token next occurs from the current position (found once, found again only once passed)
    std::vector<size_t> nextAt(m_added.size(), 0);
    std::vector<bool> known(m_added.size(), false);
    size_t pos = 0;
    while (pos <= text.size()) {
        // the earliest added token from here (the longest where two start at once)
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
        const std::string_view part = text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        if (m_mode == Mode::SentencePiece) {
            encodeSentencePiece(std::string(part), pos == 0, out);
        } else if (!part.empty()) {
            QString s = QString::fromUtf8(part.data(), static_cast<qsizetype>(part.size()));
            if (m_addPrefixSpace && !s.startsWith(QLatin1Char(' ')))
                s.prepend(QLatin1Char(' '));
            qsizetype last = 0;
            auto it = m_split.globalMatch(s);
            auto emit = [&](qsizetype from, qsizetype to) {
                if (to > from)
                    encodePiece(s.mid(from, to - from).toStdString(), out);
            };
            while (it.hasNext()) {
                const auto m = it.next();
                emit(last, m.capturedStart()); // text no alternative matched is a piece of its own
                emit(m.capturedStart(), m.capturedEnd());
                last = m.capturedEnd();
            }
            emit(last, s.size());
        }
        if (next == std::string_view::npos)
            break;
        out.push_back(id);
        pos = next + len;
    }
    return out;
}

Result<BpeTokenizer> tokenizerForModel(const Model &model)
{
    if (model.format() == ModelFormat::Gguf)
        return BpeTokenizer::fromGgufMetadata(model.gguf()->metadata, model.path());
    return BpeTokenizer::fromTokenizerJson(model.path() + "/tokenizer.json");
}

} // namespace qs
