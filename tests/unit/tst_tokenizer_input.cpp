// Bad input for the tokenizers: tokenizer.json files that are malformed, huge or hostile, GGUF vocabularies whose
// arrays disagree, text that is not UTF-8, and a tokenizer that does not fit its model. Each is refused with a
// message naming the file and what is wrong; nothing crashes. And llama.cpp's SentencePiece encoding on a vocabulary
// small enough to follow by hand.
#include "engine/bpe_tokenizer.h"
#include "file_builders.h"
#include "io/gguf.h"
#include "test_support.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs;

namespace {

// A SentencePiece-style tokenizer.json (Llama-2 layout) with the given model.vocab, model.merges and added_tokens.
QByteArray llama2Json(const QByteArray &vocab, const QByteArray &merges, const QByteArray &added = "[]")
{
    return R"({"model":{"type":"BPE","byte_fallback":true,"unk_token":"<unk>","vocab":)" + vocab + R"(,"merges":)" + merges +
           R"(},"added_tokens":)" + added +
           R"(,"normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]},"pre_tokenizer":null})";
}

const QByteArray kVocab = R"({"<unk>":0,"<s>":1,"▁":2,"a":3,"b":4,"▁a":5,"ab":6})";

Result<BpeTokenizer> fromJson(const QByteArray &json, const std::string &name = "tokenizer.json")
{
    return BpeTokenizer::fromTokenizerJsonBytes({reinterpret_cast<const uint8_t *>(json.constData()), static_cast<size_t>(json.size())}, name);
}

Result<BpeTokenizer> fromGguf(const test::GgufBuilder &b)
{
    const QByteArray file = b.build();
    auto g = parseGguf({reinterpret_cast<const uint8_t *>(file.constData()), static_cast<size_t>(file.size())}, "vocab.gguf");
    if (!g)
        return g.error();
    return BpeTokenizer::fromGgufMetadata(g->metadata, g->path);
}

// A small SentencePiece vocabulary: the ids are the positions, the scores say which pairs merge first.
test::GgufBuilder spmVocab(std::vector<std::string> tokens, std::vector<float> scores, std::vector<int32_t> types)
{
    test::GgufBuilder b;
    b.kvString("tokenizer.ggml.model", "llama").kvArrayString("tokenizer.ggml.tokens", tokens).kvArrayF32("tokenizer.ggml.scores", scores)
        .kvArrayI32("tokenizer.ggml.token_type", types);
    return b;
}

std::vector<int32_t> ids(const BpeTokenizer &t, std::string_view text)
{
    auto r = t.encodeChecked(text);
    return r ? *r : std::vector<int32_t>{-99};
}

} // namespace

class TestTokenizerInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badTokenizerJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("{\"model\":") << "not a JSON object";
        QTest::newRow("an array") << QByteArray("[1,2]") << "the top level is not an object";
        QTest::newRow("deep nesting") << QByteArray(100000, '[') << "not a JSON object";
        QTest::newRow("deep nesting inside") << "{\"model\":" + QByteArray(5000, '[') + QByteArray(5000, ']') + "}" << "not a JSON object";
        QTest::newRow("not BPE") << QByteArray(R"({"model":{"type":"Unigram","vocab":[]}})") << "not BPE";
        QTest::newRow("no vocab") << llama2Json("[]", "[]") << "model.vocab is not a non-empty object";
        QTest::newRow("empty vocab") << llama2Json("{}", "[]") << "model.vocab is not a non-empty object";
        QTest::newRow("id not a number") << llama2Json(R"({"a":"zero"})", "[]") << "token 'a' has no id";
        QTest::newRow("negative id") << llama2Json(R"({"a":-1})", "[]") << "token 'a' has no id";
        QTest::newRow("fractional id") << llama2Json(R"({"a":1.5})", "[]") << "token 'a' has no id";
        QTest::newRow("huge id") << llama2Json(R"({"a":1e30})", "[]") << "token 'a' has no id";
        QTest::newRow("duplicate id") << llama2Json(R"({"a":0,"b":0})", "[]") << "has id 0, which entry 0 already has";
        QTest::newRow("merges not an array") << llama2Json(kVocab, "{}") << "model.merges is not an array";
        QTest::newRow("merge unknown left") << llama2Json(kVocab, R"([["x","b"]])") << "merge 0 ('x' + 'b') names 'x', which the vocabulary lacks";
        QTest::newRow("merge unknown right") << llama2Json(kVocab, R"(["a b","a q"])") << "merge 1 ('a' + 'q') names 'q'";
        QTest::newRow("merge unknown result") << llama2Json(kVocab, R"([["b","a"]])") << "names 'ba', which the vocabulary lacks";
        QTest::newRow("merge of one") << llama2Json(kVocab, R"([["a"]])") << "merge 0 is neither";
        QTest::newRow("merge without space") << llama2Json(kVocab, R"(["ab"])") << "merge 0 is neither";
        QTest::newRow("merge a number") << llama2Json(kVocab, R"([7])") << "merge 0 is neither";
        QTest::newRow("added tokens not an array") << llama2Json(kVocab, "[]", "{}") << "added_tokens is not an array";
        QTest::newRow("added token without id") << llama2Json(kVocab, "[]", R"([{"content":"<x>"}])") << "added_tokens[0] has no content or no id";
        QTest::newRow("added token empty") << llama2Json(kVocab, "[]", R"([{"content":"","id":9}])") << "added_tokens[0] has no content";
        QTest::newRow("added token contradicts") << llama2Json(kVocab, "[]", R"([{"content":"<s>","id":7}])")
                                                 << "added token '<s>' has id 7 but the vocabulary gives it 1";
        QTest::newRow("added token takes an id") << llama2Json(kVocab, "[]", R"([{"content":"<x>","id":3}])") << "has id 3, which another token already has";
        QTest::newRow("control bytes in a name") << llama2Json("{\"a\\u0001b\":-4}", "[]") << "token 'a\\x01b' has no id";
        QTest::newRow("bad regex") << QByteArray("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]},\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":"
                                              "[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(unclosed\"},\"behavior\":\"Isolated\"},{\"type\":\"ByteLevel\",\"use_regex\":false}]}}")
                                   << "the pre-tokenizer regex does not compile";
    }

    void badTokenizerJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto t = fromJson(json, "dir/tokenizer.json");
        QVERIFY(!t.ok());
        const QString said = QString::fromStdString(t.error().describe());
        QVERIFY2(said.contains(message), qPrintable(said));
        QVERIFY2(said.startsWith(QLatin1String("dir/tokenizer.json")), qPrintable(said));
    }

    void hugeTokenizerJson()
    {
        // a file past the reader's limit is refused from its size, before anything is read or allocated
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("tokenizer.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(qint64(300) << 20)); // sparse: costs no disk
        f.close();
        auto t = BpeTokenizer::fromTokenizerJson(f.fileName().toStdString());
        QVERIFY(!t.ok());
        QVERIFY2(t.error().describe().find("tokenizer.json") != std::string::npos, t.error().describe().c_str());
    }

    void goodTokenizerJsonEncodes()
    {
        // the control case: the same small file, well formed, encodes as tokenizers would
        auto t = fromJson(llama2Json(kVocab, R"([["▁","a"],["a","b"]])", R"([{"content":"<s>","id":1}])"));
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        // ▁a▁ab: ▁+a (rank 0) merges at both places before a+b (rank 1) could, so b stays alone
        QCOMPARE(ids(*t, "a ab"), (std::vector<int32_t>{5, 5, 4}));
        QCOMPARE(ids(*t, "b ab"), (std::vector<int32_t>{2, 4, 5, 4}));
        QCOMPARE(ids(*t, "<s>a"), (std::vector<int32_t>{1, 5}));
        QCOMPARE(t->maxTokenId(), 6);
    }

    void badGgufVocabulary_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("message");
        auto base = [] {
            test::GgufBuilder b;
            b.kvString("tokenizer.ggml.model", "llama");
            return b;
        };
        QTest::newRow("no vocabulary") << test::GgufBuilder().kvString("general.architecture", "llama").build() << "carries no vocabulary";
        QTest::newRow("tokens not strings") << base().kvArrayI32("tokenizer.ggml.tokens", {1, 2}).build() << "not a non-empty array of strings";
        QTest::newRow("no tokens") << base().kvArrayString("tokenizer.ggml.tokens", {}).build() << "not a non-empty array of strings";
        QTest::newRow("scores short") << base().kvArrayString("tokenizer.ggml.tokens", {"a", "b", "c"}).kvArrayF32("tokenizer.ggml.scores", {0, 0}).build()
                                      << "tokenizer.ggml.scores has 2 entries for 3 tokens";
        QTest::newRow("types long") << base().kvArrayString("tokenizer.ggml.tokens", {"a"}).kvArrayI32("tokenizer.ggml.token_type", {1, 1}).build()
                                    << "tokenizer.ggml.token_type has 2 entries for 1 tokens";
        QTest::newRow("types of strings") << base().kvArrayString("tokenizer.ggml.tokens", {"a"}).kvArrayString("tokenizer.ggml.token_type", {"x"}).build()
                                          << "tokenizer.ggml.token_type is not an array of INT32";
        QTest::newRow("scores of ints") << base().kvArrayString("tokenizer.ggml.tokens", {"a"}).kvArrayI32("tokenizer.ggml.scores", {1}).build()
                                        << "tokenizer.ggml.scores is not an array of FLOAT32";
        QTest::newRow("duplicate token") << base().kvArrayString("tokenizer.ggml.tokens", {"a", "b", "a"}).build() << "token 'a' appears twice (ids 0 and 2)";
        QTest::newRow("unknown model") << test::GgufBuilder().kvString("tokenizer.ggml.model", "t5").kvArrayString("tokenizer.ggml.tokens", {"a"}).build()
                                       << "tokenizer.ggml.model 't5' is not supported";
        QTest::newRow("gpt2 without merges") << test::GgufBuilder().kvString("tokenizer.ggml.model", "gpt2").kvArrayString("tokenizer.ggml.tokens", {"a"}).build()
                                             << "needs tokenizer.ggml.merges";
        QTest::newRow("gpt2 merge unknown") << test::GgufBuilder().kvString("tokenizer.ggml.model", "gpt2").kvArrayString("tokenizer.ggml.tokens", {"a", "b"})
                                                   .kvArrayString("tokenizer.ggml.merges", {"a b"}).build()
                                            << "names 'ab', which the vocabulary lacks";
        QTest::newRow("gpt2 merge shape") << test::GgufBuilder().kvString("tokenizer.ggml.model", "gpt2").kvArrayString("tokenizer.ggml.tokens", {"a"})
                                                 .kvArrayString("tokenizer.ggml.merges", {"ab"}).build()
                                          << "merge 0 'ab' is not 'left right'";
    }

    void badGgufVocabulary()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, message);
        auto g = parseGguf({reinterpret_cast<const uint8_t *>(file.constData()), static_cast<size_t>(file.size())}, "vocab.gguf");
        QVERIFY(g.ok());
        auto t = BpeTokenizer::fromGgufMetadata(g->metadata, g->path);
        QVERIFY(!t.ok());
        const QString said = QString::fromStdString(t.error().describe());
        QVERIFY2(said.contains(message), qPrintable(said));
        QVERIFY2(said.startsWith(QLatin1String("vocab.gguf")), qPrintable(said));
    }

    void textThatIsNotUtf8_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("offset");
        QTest::newRow("stray continuation") << QByteArray("ab\x80") << 2;
        QTest::newRow("truncated") << QByteArray("a\xE2\x96") << 1;
        QTest::newRow("overlong") << QByteArray("\xC0\xAF") << 0;
        QTest::newRow("overlong 3") << QByteArray("x\xE0\x80\xAF") << 1;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << 0;
        QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0;
        QTest::newRow("0xFF") << QByteArray("ok \xFF") << 3;
    }

    void textThatIsNotUtf8()
    {
        // every family reports the first bad byte; encode still returns without crashing
        QFETCH(QByteArray, text);
        QFETCH(int, offset);
        auto spm = fromJson(llama2Json(kVocab, "[]"));
        auto gguf = fromGguf(spmVocab({"<unk>", "a"}, {0, 0}, {2, 1}));
        auto byteLevel = fromJson(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})");
        QVERIFY(spm.ok() && gguf.ok() && byteLevel.ok());
        for (const BpeTokenizer *t : {&*spm, &*gguf, &*byteLevel}) {
            const std::string_view s(text.constData(), static_cast<size_t>(text.size()));
            auto r = t->encodeChecked(s);
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message.find("not valid UTF-8") != std::string::npos, r.error().message.c_str());
            QCOMPARE(r.error().offset, int64_t(offset));
            (void)t->encode(s);
        }
    }

    void emptyText()
    {
        auto t = fromJson(llama2Json(kVocab, "[]"));
        QVERIFY(t.ok());
        auto r = t->encodeChecked("");
        QVERIFY(r.ok());
        QVERIFY(r->empty());
        auto g = fromGguf(spmVocab({"<unk>", "a"}, {0, 0}, {2, 1}));
        QVERIFY(g.ok());
        QVERIFY(g->encode("").empty());
    }

    void charactersNoTokenCovers()
    {
        // no token, no byte fallback, no unknown: strict encoding says which character; the lenient one drops it
        auto t = fromJson(R"({"model":{"type":"BPE","vocab":{"▁":0,"a":1},"merges":[]},"pre_tokenizer":{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}})");
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        auto r = t->encodeChecked("aé");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("has no token") != std::string::npos, r.error().message.c_str());
        QCOMPARE(t->encode("aé"), (std::vector<int32_t>{0, 1}));
        // a byte-level vocabulary that lacks a byte's character
        auto b = fromJson(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}})");
        QVERIFY(b.ok());
        QCOMPARE(ids(*b, "aaa"), (std::vector<int32_t>{0, 0, 0}));
        auto rb = b->encodeChecked("ab");
        QVERIFY(!rb.ok());
        QVERIFY2(rb.error().message.find("byte 0x62 has no token") != std::string::npos, rb.error().message.c_str());
    }

    void vocabularyAgainstModel()
    {
        auto t = fromJson(llama2Json(kVocab, "[]", R"([{"content":"<extra>","id":40}])"));
        QVERIFY(t.ok());
        QCOMPARE(t->maxTokenId(), 40);
        QVERIFY(t->checkAgainstModel(41));
        QVERIFY(t->checkAgainstModel(64000)); // a padded embedding is fine
        auto st = t->checkAgainstModel(32);
        QVERIFY(!st);
        QVERIFY2(st.error().message.find("token ids up to 40 but the model's vocabulary has 32 entries") != std::string::npos, st.error().message.c_str());
    }

    void llamaSpmMerges()
    {
        // llm_tokenizer_spm on a vocabulary followed by hand. ▁ a b c; ab (score -1) and bc (score -2) compete for
        // the b of "abc": the higher score wins, then nothing joins ab and c.
        auto t = fromGguf(spmVocab({"<unk>", "<s>", "▁", "a", "b", "c", "ab", "bc", "▁ab", "<0x78>"}, {0, 0, 0, 0, 0, 0, -1, -2, -5, 0}, {2, 3, 1, 1, 1, 1, 1, 1, 1, 6}));
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        QCOMPARE(ids(*t, "abc"), (std::vector<int32_t>{8, 5}));      // ▁ a b c -> ▁ ab c -> ▁ab c
        QCOMPARE(ids(*t, "bc"), (std::vector<int32_t>{2, 7}));
        // a space prefix after a special token as at the start; the special token is matched in the raw text
        QCOMPARE(ids(*t, "c<s>ab"), (std::vector<int32_t>{2, 5, 1, 8}));
        // byte fallback: <0x78> for x; no token for y at all (llama.cpp would throw): unknown, or an error when strict
        QCOMPARE(ids(*t, "x"), (std::vector<int32_t>{2, 9}));
        QCOMPARE(t->encode("y"), (std::vector<int32_t>{2, 0}));
        auto r = t->encodeChecked("y");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("byte 0x79") != std::string::npos, r.error().message.c_str());
        // equal scores: the leftmost pair first (llm_bigram_spm's tie-break)
        auto tie = fromGguf(spmVocab({"<unk>", "▁", "a", "b", "c", "ab", "bc"}, {0, 0, 0, 0, 0, -1, -1}, {2, 1, 1, 1, 1, 1, 1}));
        QVERIFY(tie.ok());
        QCOMPARE(ids(*tie, "abc"), (std::vector<int32_t>{1, 5, 4}));
    }

    void llamaSpmOptions()
    {
        // add_space_prefix false: no ▁ in front; special tokens longest first (llama.cpp's tokenizer_st_partition:
        // "<a><b>" is taken whole although "<a>" starts at the same place)
        auto b = spmVocab({"<unk>", "<a>", "<a><b>", "▁", "x"}, {0, 0, 0, 0, 0}, {2, 3, 4, 1, 1});
        b.kvBool("tokenizer.ggml.add_space_prefix", false);
        auto t = fromGguf(b);
        QVERIFY(t.ok());
        QCOMPARE(ids(*t, "x<a><b>x<a>"), (std::vector<int32_t>{4, 2, 4, 1}));
        QCOMPARE(ids(*t, "x x"), (std::vector<int32_t>{4, 3, 4}));
        // an empty token gets llama.cpp's "[EMPTY_<id>]" name and can be neither matched nor merged
        auto e = fromGguf(spmVocab({"<unk>", "", "▁", "x"}, {0, 0, 0, 0}, {2, 1, 1, 1}));
        QVERIFY(e.ok());
        QCOMPARE(ids(*e, "x"), (std::vector<int32_t>{2, 3}));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerInput)
#include "tst_tokenizer_input.moc"
