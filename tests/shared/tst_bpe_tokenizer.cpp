// BPE against the Hugging Face tokenizers library, for sotu's byte-level tokenizer and the two SentencePiece-style
// layouts (Metaspace; Prepend + Replace): every tricky string, and whole corpus files (count, sha256 of the int32
// ids, first and last ids), from ../shared/golden/engine/tokenizers.json. The SentencePiece-style vocabularies are
// also written as a GGUF "llama" vocabulary and encoded as llama.cpp's llm_tokenizer_spm does.
#include "engine/bpe_tokenizer.h"
#include "file_builders.h"
#include "io/gguf.h"
#include "model/model.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <map>

using namespace qs;

namespace {

// The three tokenizers of the goldens: sotu's byte-level BPE and two SentencePiece-style BPE layouts.
const char *const kTokenizers[] = {"sotu", "spm-bpe-mistral", "spm-bpe-llama2"};

QString tokenizerPath(const QString &key)
{
    return test::sharedPath(key == QLatin1String("sotu") ? QStringLiteral("models/sotu-llama/tokenizer.json")
                                                         : QStringLiteral("golden/engine/%1/tokenizer.json").arg(key));
}

QJsonObject golden()
{
    QFile f(test::sharedPath(QStringLiteral("golden/engine/tokenizers.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<int32_t> idsOf(const QJsonArray &a)
{
    std::vector<int32_t> v;
    for (const QJsonValue x : a)
        v.push_back(static_cast<int32_t>(x.toInt()));
    return v;
}

// How the scores of a GGUF "llama" vocabulary are made from a BPE tokenizer.json with byte fallback.
enum class Scores {
    // what a SentencePiece BPE model of this vocabulary carries, and what convert_hf_to_gguf.py's
    // _set_vocab_sentencepiece copies from a tokenizer.model: pieces ranked by the order they were merged
    // (score -rank of the merge that makes them; 0 for single characters, which no merge makes)
    MergeRank,
    // what convert_hf_to_gguf.py's _set_vocab_llama_hf writes when there is only a tokenizer.json: gguf-py's
    // LlamaHfVocab.get_token_score is a placeholder that returns -1000.0 for every token
    LlamaHfPlaceholder,
};

// The GGUF file llama.cpp's converter writes for `tokenizerJson` (only the tokenizer.ggml.* keys it reads to
// encode): the tokens by id; type UNKNOWN for <unk>, CONTROL for <s> and </s>, BYTE for <0xNN>, NORMAL for the
// rest (as a SentencePiece model marks them, IsUnknown/IsControl/IsByte); add_space_prefix true (Llama-2's and
// Mistral's add_dummy_prefix).
QByteArray llamaGguf(const QString &tokenizerJson, Scores mode)
{
    QFile f(tokenizerJson);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject model = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("model")).toObject();
    const QJsonObject vocab = model.value(QStringLiteral("vocab")).toObject();
    std::map<std::string, float> mergeScore;
    int rank = 0;
    for (const QJsonValue m : model.value(QStringLiteral("merges")).toArray())
        mergeScore.emplace((m.toArray().at(0).toString() + m.toArray().at(1).toString()).toStdString(), -static_cast<float>(rank++));
    std::vector<std::string> tokens(static_cast<size_t>(vocab.size()));
    std::vector<float> scores(tokens.size());
    std::vector<int32_t> types(tokens.size(), 1);
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        const size_t id = static_cast<size_t>(it.value().toInt());
        tokens.at(id) = it.key().toStdString();
        const auto m = mergeScore.find(tokens[id]);
        scores[id] = mode == Scores::LlamaHfPlaceholder ? -1000.0f : m == mergeScore.end() ? 0.0f : m->second;
        if (tokens[id] == "<unk>")
            types[id] = 2;
        else if (tokens[id] == "<s>" || tokens[id] == "</s>")
            types[id] = 3;
        else if (tokens[id].size() == 6 && tokens[id].starts_with("<0x"))
            types[id] = 6;
    }
    test::GgufBuilder b;
    b.kvString("general.architecture", "llama").kvString("tokenizer.ggml.model", "llama").kvString("tokenizer.ggml.pre", "default")
        .kvArrayString("tokenizer.ggml.tokens", tokens).kvArrayF32("tokenizer.ggml.scores", scores).kvArrayI32("tokenizer.ggml.token_type", types)
        .kvU32("tokenizer.ggml.unknown_token_id", 0).kvU32("tokenizer.ggml.bos_token_id", 1).kvU32("tokenizer.ggml.eos_token_id", 2)
        .kvBool("tokenizer.ggml.add_space_prefix", true);
    return b.build();
}

Result<BpeTokenizer> llamaSpmTokenizer(const QString &key, Scores mode)
{
    const QByteArray file = llamaGguf(tokenizerPath(key), mode);
    auto gguf = parseGguf({reinterpret_cast<const uint8_t *>(file.constData()), static_cast<size_t>(file.size())}, key.toStdString() + ".gguf");
    if (!gguf)
        return gguf.error();
    return BpeTokenizer::fromGgufMetadata(gguf->metadata, gguf->path);
}

QByteArray unzstd(const QString &path)
{
    QProcess p;
    p.start(QStringLiteral("zstd"), {QStringLiteral("-dc"), path});
    p.waitForFinished(120000);
    return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
}

} // namespace

class TestBpeTokenizer : public QObject {
    Q_OBJECT
    std::map<QString, BpeTokenizer> m_tokenizers;
    QJsonObject m_golden;

private Q_SLOTS:
    void initTestCase()
    {
        m_golden = golden();
        QVERIFY(!m_golden.isEmpty());
        for (const char *key : kTokenizers) {
            auto t = BpeTokenizer::fromTokenizerJson(tokenizerPath(QLatin1String(key)).toStdString());
            QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
            m_tokenizers.emplace(QLatin1String(key), std::move(*t));
        }
        QCOMPARE(m_tokenizers.at(QStringLiteral("sotu")).vocabSize(), size_t(4096));
    }

    void trickyStrings_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QJsonArray>("ids");
        const QJsonObject all = golden();
        for (const char *key : kTokenizers)
            for (const QJsonValue v : all.value(QLatin1String(key)).toObject().value(QStringLiteral("strings")).toArray()) {
                const QJsonObject o = v.toObject();
                const QString text = o.value(QStringLiteral("text")).toString();
                QString name = text.left(24);
                name.replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
                QTest::newRow(qPrintable(QLatin1String(key) + QStringLiteral(": ") + (name.isEmpty() ? QStringLiteral("(empty)") : name)))
                    << QString::fromLatin1(key) << text << o.value(QStringLiteral("ids")).toArray();
            }
    }

    void trickyStrings()
    {
        QFETCH(QString, tokenizer);
        QFETCH(QString, text);
        QFETCH(QJsonArray, ids);
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(m_tokenizers.at(tokenizer).encode(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))), idsOf(ids));
    }

    void wholeCorpus_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("file");
        const QJsonObject all = golden();
        for (const char *key : kTokenizers)
            for (const char *file : {"sotu_2011_2021", "moby_dick", "sotu_1790_2010"})
                if (all.value(QLatin1String(key)).toObject().contains(QLatin1String(file)))
                    QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(key), QLatin1String(file))))
                        << QString::fromLatin1(key) << QString::fromLatin1(file);
    }

    void wholeCorpus()
    {
        QFETCH(QString, tokenizer);
        QFETCH(QString, file);
        const QByteArray text = unzstd(test::sharedPath(QStringLiteral("data/corpus/%1.txt.zst").arg(file)));
        QVERIFY2(!text.isEmpty(), "zstd could not read the corpus (installer/dev.sh installs zstd)");
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<int32_t> ids = m_tokenizers.at(tokenizer).encode(std::string_view(text.constData(), static_cast<size_t>(text.size())));
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        qInfo("%s on %s: %zu tokens from %lld bytes in %.2f s", qPrintable(tokenizer), qPrintable(file), ids.size(),
              static_cast<long long>(text.size()), secs);
        const QJsonObject g = m_golden.value(tokenizer).toObject().value(file).toObject();
        QCOMPARE(static_cast<qint64>(ids.size()), static_cast<qint64>(g.value(QStringLiteral("count")).toInteger()));
        const std::vector<int32_t> first = idsOf(g.value(QStringLiteral("first")).toArray()), last = idsOf(g.value(QStringLiteral("last")).toArray());
        QCOMPARE(std::vector<int32_t>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(first.size())), first);
        QCOMPARE(std::vector<int32_t>(ids.end() - static_cast<std::ptrdiff_t>(last.size()), ids.end()), last);
        // little-endian int32, as the golden hashes them (x86-64 is little-endian)
        const QByteArray raw(reinterpret_cast<const char *>(ids.data()), static_cast<qsizetype>(ids.size() * sizeof(int32_t)));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex()),
                 g.value(QStringLiteral("sha256_int32le")).toString());
    }

    void ggufVocabularyEncodesTheSame()
    {
        // the vocabulary llama.cpp's own converter embedded in the demo model's GGUF encodes every string exactly as
        // the tokenizer.json it came from (special tokens included: they are control tokens there)
        auto m = Model::open(test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-bf16.gguf")).toStdString());
        QVERIFY(m.ok());
        auto t = BpeTokenizer::fromGgufMetadata((*m)->gguf()->metadata, (*m)->path());
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        int checked = 0;
        for (const QJsonValue v : m_golden.value(QStringLiteral("sotu")).toObject().value(QStringLiteral("strings")).toArray()) {
            const QByteArray utf8 = v.toObject().value(QStringLiteral("text")).toString().toUtf8();
            QCOMPARE(t->encode(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))),
                     idsOf(v.toObject().value(QStringLiteral("ids")).toArray()));
            ++checked;
        }
        QCOMPARE(checked, 18);
        QVERIFY(t->checkAgainstModel((*m)->architecture().vocabSize));
    }

    void llamaSpmVocabulary_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QJsonArray>("ids");
        const QJsonObject all = golden();
        for (const char *key : {"spm-bpe-llama2", "spm-bpe-mistral"}) {
            const QJsonArray strings = all.value(QLatin1String(key)).toObject().value(QStringLiteral("strings")).toArray();
            const QJsonArray llama2 = all.value(QStringLiteral("spm-bpe-llama2")).toObject().value(QStringLiteral("strings")).toArray();
            for (qsizetype i = 0; i < strings.size(); ++i) {
                const QJsonObject o = strings[i].toObject();
                const QString text = o.value(QStringLiteral("text")).toString();
                QJsonArray ids = o.value(QStringLiteral("ids")).toArray();
                // Where llama.cpp legitimately differs from tokenizers: Mistral's Metaspace pre-tokenizer
                // (prepend_scheme "first") puts U+2581 in front of the text only at its very start and only when it
                // does not already begin with a space, while llama.cpp, like SentencePiece's add_dummy_prefix, puts
                // a space in front of every text fragment that starts the input or follows a special token. Those
                // strings (a leading space; text after <s>) then encode as the Llama-2 layout (Prepend on every part)
                // encodes them; the two files share one vocabulary and one merge list (checked below).
                if (QLatin1String(key) == QLatin1String("spm-bpe-mistral") && (text.startsWith(QLatin1Char(' ')) || text.startsWith(QLatin1String("<s>")))) {
                    QCOMPARE(llama2[i].toObject().value(QStringLiteral("text")).toString(), text);
                    ids = llama2[i].toObject().value(QStringLiteral("ids")).toArray();
                    QVERIFY(ids != o.value(QStringLiteral("ids")).toArray()); // a real difference, or the exception goes
                }
                QString name = text.left(24);
                name.replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
                QTest::newRow(qPrintable(QLatin1String(key) + QStringLiteral(": ") + (name.isEmpty() ? QStringLiteral("(empty)") : name)))
                    << QString::fromLatin1(key) << text << ids;
            }
        }
    }

    void llamaSpmVocabulary()
    {
        // the vocabulary as a GGUF "llama" vocabulary with SentencePiece scores, encoded as llama.cpp's
        // llm_tokenizer_spm does (highest score first), gives tokenizers' ids (lowest merge rank first)
        QFETCH(QString, tokenizer);
        QFETCH(QString, text);
        QFETCH(QJsonArray, ids);
        auto t = llamaSpmTokenizer(tokenizer, Scores::MergeRank);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        const QByteArray utf8 = text.toUtf8();
        auto got = t->encodeChecked(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
        QVERIFY2(got.ok(), got.ok() ? "" : got.error().describe().c_str());
        QCOMPARE(*got, idsOf(ids));
    }

    void llamaSpmSharesTheVocabulary()
    {
        // the Mistral exceptions above borrow the Llama-2 layout's ids: only sound while the two agree
        QFile a(tokenizerPath(QStringLiteral("spm-bpe-mistral"))), b(tokenizerPath(QStringLiteral("spm-bpe-llama2")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QJsonObject ma = QJsonDocument::fromJson(a.readAll()).object().value(QStringLiteral("model")).toObject();
        const QJsonObject mb = QJsonDocument::fromJson(b.readAll()).object().value(QStringLiteral("model")).toObject();
        QCOMPARE(ma.value(QStringLiteral("vocab")), mb.value(QStringLiteral("vocab")));
        QCOMPARE(ma.value(QStringLiteral("merges")), mb.value(QStringLiteral("merges")));
    }

    void llamaSpmWholeCorpus()
    {
        // a whole held-out file through the GGUF vocabulary: the same ids as tokenizers gives with the Llama-2
        // layout (the file starts with text, so the Metaspace difference above never arises in it)
        const QByteArray text = unzstd(test::sharedPath(QStringLiteral("data/corpus/sotu_2011_2021.txt.zst")));
        QVERIFY2(!text.isEmpty(), "zstd could not read the corpus (installer/dev.sh installs zstd)");
        auto t = llamaSpmTokenizer(QStringLiteral("spm-bpe-llama2"), Scores::MergeRank);
        QVERIFY(t.ok());
        const auto t0 = std::chrono::steady_clock::now();
        auto ids = t->encodeChecked(std::string_view(text.constData(), static_cast<size_t>(text.size())));
        QVERIFY2(ids.ok(), ids.ok() ? "" : ids.error().describe().c_str());
        qInfo("llama SPM on sotu_2011_2021: %zu tokens in %.2f s", ids->size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        const QJsonObject g = m_golden.value(QStringLiteral("spm-bpe-llama2")).toObject().value(QStringLiteral("sotu_2011_2021")).toObject();
        QCOMPARE(static_cast<qint64>(ids->size()), static_cast<qint64>(g.value(QStringLiteral("count")).toInteger()));
        const QByteArray raw(reinterpret_cast<const char *>(ids->data()), static_cast<qsizetype>(ids->size() * sizeof(int32_t)));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex()),
                 g.value(QStringLiteral("sha256_int32le")).toString());
    }

    void llamaSpmConverterPlaceholderScores()
    {
        // What llama.cpp's converter writes for a tokenizer.json with no tokenizer.model beside it: every score
        // -1000 (LlamaHfVocab's placeholder). With all scores equal, llm_tokenizer_spm merges the leftmost pair that
        // forms any token, whatever the merge list says, so such a GGUF encodes differently from the
        // tokenizer.json it came from. We follow llama.cpp here too: "Hello world" becomes ▁H|ello (the leftmost
        // pair ▁H merges first) rather than tokenizers' ▁Hel|lo.
        auto t = llamaSpmTokenizer(QStringLiteral("spm-bpe-llama2"), Scores::LlamaHfPlaceholder);
        QVERIFY(t.ok());
        QCOMPARE(t->encode("Hello world"), (std::vector<int32_t>{2209, 394, 327, 1645}));
        QCOMPARE(m_tokenizers.at(QStringLiteral("spm-bpe-llama2")).encode("Hello world"), (std::vector<int32_t>{746, 1589, 327, 1645}));
        // strings with no competing pairs still agree
        QCOMPARE(t->encode("The Congress shall make no law"), (std::vector<int32_t>{451, 612, 782, 1161, 423, 656}));
    }

    void unsupportedLayoutsAreRefused()
    {
        // a tokenizer.json this reader would encode wrongly is refused with the part it cannot follow
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("tokenizer.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"normalizer":{"type":"NFKC"},"pre_tokenizer":null,"added_tokens":[]})");
        f.close();
        auto t = BpeTokenizer::fromTokenizerJson(f.fileName().toStdString());
        QVERIFY(!t.ok());
        QVERIFY2(t.error().message.find("NFKC") != std::string::npos, t.error().message.c_str());
        QVERIFY(!BpeTokenizer::fromTokenizerJson(dir.filePath(QStringLiteral("missing.json")).toStdString()).ok());
    }
};

QS_TEST_MAIN_SHARED(TestBpeTokenizer)
#include "tst_bpe_tokenizer.moc"
