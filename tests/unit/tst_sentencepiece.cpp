// SentencePiece vocabularies: tokenizer.model (protobuf) read as llama.cpp's converter reads it, written as a GGUF
// "llama" vocabulary with scores and token types; malformed files refused with a message.
#include "export/quantize_job.h"
#include "file_builders.h"
#include "io/sentencepiece_model.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace qs;
using namespace qs::test;

namespace {

void varint(QByteArray &b, uint64_t v)
{
    while (v >= 0x80) {
        b.append(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    b.append(static_cast<char>(v));
}

QByteArray piece(const std::string &text, float score, int type)
{
    QByteArray m;
    varint(m, (1 << 3) | 2);
    varint(m, text.size());
    m.append(text.data(), static_cast<qsizetype>(text.size()));
    varint(m, (2 << 3) | 5);
    m.append(reinterpret_cast<const char *>(&score), 4);
    if (type != 1) {
        varint(m, (3 << 3) | 0);
        varint(m, static_cast<uint64_t>(type));
    }
    QByteArray b;
    varint(b, (1 << 3) | 2);
    varint(b, static_cast<uint64_t>(m.size()));
    return b + m;
}

QByteArray spModel()
{
    QByteArray b;
    b += piece("<unk>", 0.f, 2);
    b += piece("<s>", 0.f, 3);
    b += piece("</s>", 0.f, 3);
    b += piece("<0x0A>", 0.f, 6);
    b += piece("\xe2\x96\x81the", -1.5f, 1);
    b += piece("\xe2\x96\x81Union", -2.25f, 4); // user-defined in SentencePiece: the converter still calls it normal
    // an unrelated field (trainer_spec = 2) that must be skipped
    varint(b, (2 << 3) | 2);
    varint(b, 3);
    b.append("abc");
    return b;
}

const char *const kConfig = "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":1,\"num_attention_heads\":2,"
                            "\"num_key_value_heads\":2,\"intermediate_size\":128,\"vocab_size\":10,\"torch_dtype\":\"bfloat16\","
                            "\"max_position_embeddings\":64}";

} // namespace

class TestSentencePiece : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesPieces()
    {
        const QByteArray b = spModel();
        auto p = parseSentencePieceModel({reinterpret_cast<const uint8_t *>(b.constData()), static_cast<size_t>(b.size())}, "t.model");
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().describe().c_str());
        QCOMPARE(p->size(), size_t(6));
        QCOMPARE((*p)[1].type, SpPieceType::Control);
        QCOMPARE((*p)[4].score, -1.5f);
        QCOMPARE((*p)[5].type, SpPieceType::UserDefined);
    }

    void refusesMalformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray good = spModel();
        QTest::newRow("empty") << QByteArray() << "no pieces";
        QTest::newRow("truncated") << good.left(good.size() - 9) << "past";
        QTest::newRow("huge length") << QByteArray("\x0a\xff\xff\xff\xff\x0f", 6) << "past the end";
        QTest::newRow("bad type") << (piece("x", 0.f, 9)) << "unknown piece type 9";
        QTest::newRow("group wire type") << QByteArray("\x0b", 1) << "runs past the end";
        QByteArray noText;
        varint(noText, (1 << 3) | 2);
        varint(noText, 5);
        const float s = 1.f;
        varint(noText, (2 << 3) | 5);
        noText.append(reinterpret_cast<const char *>(&s), 4);
        QTest::newRow("piece without text") << noText << "has no text";
    }

    void refusesMalformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        auto p = parseSentencePieceModel({reinterpret_cast<const uint8_t *>(bytes.constData()), static_cast<size_t>(bytes.size())}, "bad.model");
        QVERIFY(!p.ok());
        QVERIFY2(QString::fromStdString(p.error().describe()).contains(expected), p.error().describe().c_str());
    }

    void exportsLlamaVocabulary()
    {
        QTemporaryDir dir;
        const QString d = dir.path();
        QVERIFY(writeFile(d + "/tokenizer.model", spModel()));
        QVERIFY(writeFile(d + "/config.json", kConfig));
        QVERIFY(writeFile(d + "/added_tokens.json", "{\"<extra>\": 7}"));
        QVERIFY(writeFile(d + "/tokenizer_config.json",
                          "{\"bos_token\":\"<s>\",\"eos_token\":\"</s>\",\"unk_token\":\"<unk>\",\"add_bos_token\":true,"
                          "\"add_eos_token\":false,\"added_tokens_decoder\":{\"8\":{\"content\":\"<|tool|>\",\"special\":false},"
                          "\"9\":{\"content\":\"\xe2\x96\x81hello\",\"special\":false}}}"));
        std::vector<float> w(64 * 64, 0.01f);
        QVERIFY(writeFile(d + "/model.safetensors",
                          makeSafetensors({{"model.embed_tokens.weight", "BF16", {10, 64}, bf16Bytes(std::vector<float>(640, 0.02f))},
                                           {"model.norm.weight", "BF16", {64}, bf16Bytes(std::vector<float>(64, 1.f))}})));
        auto m = Model::open(d.toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        auto meta = hfToGgufMetadata(**m, 32);
        QVERIFY2(meta.ok(), meta.ok() ? "" : meta.error().describe().c_str());
        std::map<std::string, GgufValue> kv;
        std::vector<std::string> order;
        for (const auto &e : *meta) {
            kv[e.key] = e.value;
            if (e.key.rfind("tokenizer.", 0) == 0)
                order.push_back(e.key);
        }
        const std::vector<std::string> expectedOrder = {"tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens",
                                                        "tokenizer.ggml.scores", "tokenizer.ggml.token_type",
                                                        "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
                                                        "tokenizer.ggml.unknown_token_id", "tokenizer.ggml.add_bos_token",
                                                        "tokenizer.ggml.add_eos_token"};
        QCOMPARE(order, expectedOrder);
        QCOMPARE(*kv["tokenizer.ggml.model"].toString(), std::string("llama"));
        QCOMPARE(*kv["tokenizer.ggml.pre"].toString(), std::string("default"));
        const GgufValue &tokens = kv["tokenizer.ggml.tokens"];
        QCOMPARE(tokens.count, uint64_t(10)); // padded to the config's vocab_size
        QCOMPARE(tokens.strings[4], std::string("\xe2\x96\x81the"));
        QCOMPARE(tokens.strings[6], std::string("[PAD6]"));
        QCOMPARE(tokens.strings[7], std::string("<extra>"));
        QCOMPARE(tokens.strings[9], std::string(" hello")); // user-defined: U+2581 pre-normalised to a space
        const GgufValue &types = kv["tokenizer.ggml.token_type"];
        const int64_t expectedTypes[10] = {2, 3, 3, 6, 1, 1, 5, 4, 3, 4};
        for (int i = 0; i < 10; ++i)
            QCOMPARE(types.arrayInt(static_cast<uint64_t>(i)), expectedTypes[i]);
        const GgufValue &scores = kv["tokenizer.ggml.scores"];
        QCOMPARE(scores.arrayDouble(4), -1.5);
        QCOMPARE(scores.arrayDouble(6), -10000.0);
        QCOMPARE(scores.arrayDouble(7), -1000.0);
        QCOMPARE(*kv["tokenizer.ggml.bos_token_id"].toUInt(), uint64_t(1));
        QCOMPARE(*kv["tokenizer.ggml.eos_token_id"].toUInt(), uint64_t(2));
        QCOMPARE(*kv["tokenizer.ggml.unknown_token_id"].toUInt(), uint64_t(0));
        QCOMPARE(*kv["tokenizer.ggml.add_bos_token"].toBool(), true);
        QVERIFY(!kv.count("tokenizer.ggml.merges"));
    }
};

QTEST_GUILESS_MAIN(TestSentencePiece)
#include "tst_sentencepiece.moc"
