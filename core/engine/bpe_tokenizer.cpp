#include "engine/bpe_tokenizer.h"

#include "io/small_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <climits>

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

    // a normalizer changes the text before it is split: not followed here yet, so refused rather than ignored
    if (const QJsonValue n = root.value(QLatin1String("normalizer")); !n.isNull() && !n.isUndefined())
        return makeError("normalizer '" + n.toObject().value(QLatin1String("type")).toString().toStdString() +
                         "' is not supported: this reader encodes byte-level BPE without a normalizer").inFile(path);
    if (model.value(QLatin1String("byte_fallback")).toBool() || model.value(QLatin1String("ignore_merges")).toBool())
        return makeError("BPE with byte_fallback or ignore_merges is not byte-level BPE as this reader encodes it").inFile(path);

    BpeTokenizer t;
    // GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the rest take code points from 256 up
    for (int b = 0, next = 256; b < 256; ++b) {
        const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        t.m_byteChar[b] = utf8Of(static_cast<char32_t>(printable ? b : next++));
    }
    const QJsonObject vocab = model.value(QLatin1String("vocab")).toObject();
    for (auto it = vocab.begin(); it != vocab.end(); ++it)
        t.m_vocab.emplace(it.key().toStdString(), static_cast<int32_t>(it.value().toInt()));
    const QJsonArray merges = model.value(QLatin1String("merges")).toArray();
    int rank = 0;
    for (const QJsonValue m : merges) {
        std::string key; // older files write "a b", newer ones ["a", "b"]
        if (m.isArray())
            key = m.toArray().at(0).toString().toStdString() + " " + m.toArray().at(1).toString().toStdString();
        else
            key = m.toString().toStdString();
        t.m_mergeRank.emplace(std::move(key), rank++);
    }
    for (const QJsonValue a : root.value(QLatin1String("added_tokens")).toArray()) {
        const QJsonObject o = a.toObject();
        t.m_added.emplace_back(o.value(QLatin1String("content")).toString().toStdString(), o.value(QLatin1String("id")).toInt());
    }

    // the pre-tokenizer: ByteLevel with GPT-2's regex, or a Split regex followed by ByteLevel without one
    const QJsonObject pre = root.value(QLatin1String("pre_tokenizer")).toObject();
    QString pattern;
    auto byteLevel = [&](const QJsonObject &o) {
        t.m_addPrefixSpace = o.value(QLatin1String("add_prefix_space")).toBool(false);
        if (o.value(QLatin1String("use_regex")).toBool(true))
            pattern = QString::fromLatin1(kGpt2Pattern);
    };
    const QString preType = pre.value(QLatin1String("type")).toString();
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
                return makeError("pre-tokenizer " + type.toStdString() + " is not byte-level BPE").inFile(path);
            }
        }
    } else {
        return makeError("pre-tokenizer '" + preType.toStdString() + "' is not byte-level BPE").inFile(path);
    }
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
    std::vector<std::string> sym = symbolsOf(word);
    // merge the lowest-ranked adjacent pair, leftmost first, until none has a rank (tokenizers' BPE::merge_word)
    for (;;) {
        int best = INT_MAX;
        size_t at = 0;
        for (size_t i = 0; i + 1 < sym.size(); ++i)
            if (auto r = m_mergeRank.find(sym[i] + " " + sym[i + 1]); r != m_mergeRank.end() && r->second < best) {
                best = r->second;
                at = i;
            }
        if (best == INT_MAX)
            break;
        sym[at] += sym[at + 1];
        sym.erase(sym.begin() + static_cast<std::ptrdiff_t>(at) + 1);
    }
    std::vector<int32_t> ids;
    for (const std::string &s : sym)
        if (auto v = m_vocab.find(s); v != m_vocab.end())
            ids.push_back(v->second);
    out.insert(out.end(), ids.begin(), ids.end());
    std::lock_guard lock(*m_cacheMutex);
    m_cache.emplace(bytes, std::move(ids));
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const
{
    std::vector<int32_t> out;
    size_t pos = 0;
    while (pos <= text.size()) {
        // the earliest added token from here (the longest where two start at once)
        size_t next = std::string_view::npos, len = 0;
        int32_t id = -1;
        for (const auto &[content, tokenId] : m_added) {
            if (content.empty())
                continue;
            const size_t f = text.find(content, pos);
            if (f != std::string_view::npos && (f < next || (f == next && content.size() > len))) {
                next = f;
                len = content.size();
                id = tokenId;
            }
        }
        const std::string_view part = text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
        if (!part.empty()) {
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

} // namespace qs
