// Opening models: the demo model's facts, sharded folders, row reads from many threads, and every way a folder
// can be broken.
#include "file_builders.h"
#include "formats/ggml_type.h"
#include "model/model.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <thread>

using namespace qs;
using namespace qs::test;

namespace {

const QByteArray kTinyConfig = R"({"model_type":"llama","hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,
    "num_key_value_heads":1,"intermediate_size":16,"vocab_size":4,"max_position_embeddings":64,"torch_dtype":"bfloat16",
    "tie_word_embeddings":false})";

std::vector<float> ramp(int n, float scale = 0.25f, float offset = -1.0f)
{
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<size_t>(i)] = offset + scale * static_cast<float>(i);
    return v;
}

// A two-shard tiny llama: embeddings and layer 0 attention in shard 1; the rest in shard 2.
void writeShardedModel(const QString &dir)
{
    const QByteArray s1 = makeSafetensors({{"model.embed_tokens.weight", "BF16", {4, 8}, bf16Bytes(ramp(32))},
                                           {"model.layers.0.self_attn.q_proj.weight", "F32", {8, 8}, f32Bytes(ramp(64, 0.5f, -16.0f))}});
    const QByteArray s2 = makeSafetensors({{"lm_head.weight", "F16", {4, 8}, QByteArray(64, '\0')},
                                           {"model.norm.weight", "BF16", {8}, bf16Bytes(ramp(8))}});
    QVERIFY(writeFile(dir + "/model-00001-of-00002.safetensors", s1));
    QVERIFY(writeFile(dir + "/model-00002-of-00002.safetensors", s2));
    QVERIFY(writeFile(dir + "/model.safetensors.index.json", R"({"metadata":{"total_size":0},"weight_map":{
        "model.embed_tokens.weight":"model-00001-of-00002.safetensors",
        "model.layers.0.self_attn.q_proj.weight":"model-00001-of-00002.safetensors",
        "lm_head.weight":"model-00002-of-00002.safetensors",
        "model.norm.weight":"model-00002-of-00002.safetensors"}})"));
    QVERIFY(writeFile(dir + "/config.json", kTinyConfig));
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void demoModelFacts()
    {
        auto m = Model::open(demoModelDir().toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        const Model &model = **m;
        QCOMPARE(model.format(), ModelFormat::HuggingFace);
        QCOMPARE(model.parameterCount(), int64_t(2622720));
        const Architecture &a = model.architecture();
        QCOMPARE(a.layers, int64_t(2));
        QCOMPARE(a.hiddenSize, int64_t(256));
        QCOMPARE(a.heads, int64_t(4));
        QCOMPARE(a.kvHeads, int64_t(2));
        QCOMPARE(a.headDim, int64_t(64));
        QCOMPARE(a.intermediateSize, int64_t(768));
        QCOMPARE(a.vocabSize, int64_t(4096));
        QVERIFY(a.tiedEmbeddings);
        QCOMPARE(model.tensors().size(), size_t(20));
        QCOMPARE(model.predominantDtype(), std::string("BF16"));
        QVERIFY(model.warnings().empty());
        // layer order: non-block tensors first, then layer 0, then layer 1
        QCOMPARE(model.tensors().front().layer, -1);
        QCOMPARE(model.tensors().back().layer, 1);
    }

    void demoRowsMatchTheFileBytes()
    {
        auto m = Model::open(demoModelDir().toStdString());
        QVERIFY(m.ok());
        const Model &model = **m;
        const size_t i = *model.findTensor("model.layers.1.mlp.down_proj.weight");
        const ModelTensor &t = model.tensors()[i];
        QCOMPARE(t.rowLength(), int64_t(768));
        QCOMPARE(t.rows(), int64_t(256));
        // Decode row 17 straight from the file with a different route than the library's.
        QFile f(QString::fromStdString(model.files()[0]));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.seek(static_cast<qint64>(t.fileOffset) + 17 * 768 * 2));
        const QByteArray raw = f.read(768 * 2);
        std::vector<float> row(768);
        QVERIFY(model.readRows(i, 17, 1, row.data()).ok());
        for (int k = 0; k < 768; ++k) {
            uint32_t bits = static_cast<uint32_t>(static_cast<uint8_t>(raw[2 * k])) << 16 |
                            static_cast<uint32_t>(static_cast<uint8_t>(raw[2 * k + 1])) << 24;
            float expect;
            std::memcpy(&expect, &bits, 4);
            QCOMPARE(row[static_cast<size_t>(k)], expect);
        }
    }

    void shardedFolder()
    {
        QTemporaryDir dir;
        writeShardedModel(dir.path());
        auto m = Model::open(dir.path().toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        const Model &model = **m;
        QCOMPARE(model.files().size(), size_t(2));
        QCOMPARE(model.tensors().size(), size_t(4));
        QCOMPARE(model.parameterCount(), int64_t(32 + 64 + 32 + 8));
        QVERIFY(!model.architecture().tiedEmbeddings);
        const size_t q = *model.findTensor("model.layers.0.self_attn.q_proj.weight");
        QCOMPARE(model.tensors()[q].fileIndex, 0);
        QCOMPARE(model.tensors()[q].otherName, std::string("blk.0.attn_q.weight"));
        std::vector<float> rows(16);
        QVERIFY(model.readRows(q, 3, 2, rows.data()).ok());
        for (int k = 0; k < 16; ++k)
            QCOMPARE(rows[static_cast<size_t>(k)], -16.0f + 0.5f * static_cast<float>(24 + k));
        const size_t e = *model.findTensor("model.embed_tokens.weight");
        std::vector<float> emb(32);
        QVERIFY(model.readRows(e, 0, 4, emb.data()).ok());
        QCOMPARE(emb[5], -1.0f + 0.25f * 5);
        // Opening through a file inside the folder gives the same model.
        auto again = Model::open((dir.path() + "/config.json").toStdString());
        QVERIFY(again.ok());
        QCOMPARE((*again)->tensors().size(), size_t(4));
    }

    void readsFromManyThreadsAgree()
    {
        auto m = Model::open(demoModelDir().toStdString());
        QVERIFY(m.ok());
        const Model &model = **m;
        const size_t i = *model.findTensor("model.embed_tokens.weight");
        const int64_t rows = model.tensors()[i].rows(), len = model.tensors()[i].rowLength();
        std::vector<float> serial(static_cast<size_t>(rows * len));
        QVERIFY(model.readRows(i, 0, rows, serial.data()).ok());
        std::vector<float> parallel(serial.size());
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&, t] {
                for (int64_t r = t; r < rows; r += 8)
                    if (!model.readRows(i, r, 1, parallel.data() + r * len).ok())
                        ++failures;
            });
        for (auto &th : threads)
            th.join();
        QCOMPARE(failures.load(), 0);
        QVERIFY(std::memcmp(serial.data(), parallel.data(), serial.size() * 4) == 0);
    }

    void readRowsChecksBounds()
    {
        auto m = Model::open(demoModelDir().toStdString());
        QVERIFY(m.ok());
        std::vector<float> buf(256 * 2);
        const size_t norm = *(*m)->findTensor("model.norm.weight");
        QVERIFY((*m)->readRows(norm, 0, 1, buf.data()).ok());
        QVERIFY(!(*m)->readRows(norm, 1, 1, buf.data()).ok());
        QVERIFY(!(*m)->readRows(norm, -1, 1, buf.data()).ok());
        QVERIFY(!(*m)->readRows(999, 0, 1, buf.data()).ok());
    }

    void brokenFolders_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no config") << "no-config" << "no config.json";
        QTest::newRow("missing shard") << "missing-shard" << "which is missing from the folder";
        QTest::newRow("traversal") << "traversal" << "not a plain file name";
        QTest::newRow("wrong shard") << "wrong-shard" << "the index places this tensor in";
        QTest::newRow("index names absent tensor") << "absent-tensor" << "does not contain it";
        QTest::newRow("no weights") << "no-weights" << "no model.safetensors";
        QTest::newRow("bad index json") << "bad-index" << "invalid JSON";
        QTest::newRow("truncated shard") << "truncated-shard" << "run past the end";
        QTest::newRow("duplicate across shards") << "duplicate" << "more than one shard";
    }

    void brokenFolders()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString d = dir.path();
        writeShardedModel(d);
        const QString index = d + "/model.safetensors.index.json";
        if (breakage == "no-config")
            QFile::remove(d + "/config.json");
        else if (breakage == "missing-shard")
            QFile::remove(d + "/model-00002-of-00002.safetensors");
        else if (breakage == "traversal")
            writeFile(index, R"({"weight_map":{"lm_head.weight":"../../etc/passwd"}})");
        else if (breakage == "wrong-shard")
            writeFile(index, R"({"weight_map":{"model.embed_tokens.weight":"model-00002-of-00002.safetensors",
                "model.layers.0.self_attn.q_proj.weight":"model-00001-of-00002.safetensors",
                "lm_head.weight":"model-00002-of-00002.safetensors","model.norm.weight":"model-00002-of-00002.safetensors"}})");
        else if (breakage == "absent-tensor")
            writeFile(index, R"({"weight_map":{"model.embed_tokens.weight":"model-00001-of-00002.safetensors",
                "model.layers.0.self_attn.q_proj.weight":"model-00001-of-00002.safetensors",
                "model.layers.0.self_attn.k_proj.weight":"model-00001-of-00002.safetensors",
                "lm_head.weight":"model-00002-of-00002.safetensors","model.norm.weight":"model-00002-of-00002.safetensors"}})");
        else if (breakage == "no-weights") {
            QFile::remove(index);
        } else if (breakage == "bad-index")
            writeFile(index, "{\"weight_map\":");
        else if (breakage == "truncated-shard") {
            QFile f(d + "/model-00002-of-00002.safetensors");
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(f.size() - 10));
        } else if (breakage == "duplicate") {
            QFile::remove(index);
            writeFile(d + "/model-00002-of-00002.safetensors",
                      makeSafetensors({{"model.embed_tokens.weight", "BF16", {4, 8}, bf16Bytes(ramp(32))}}));
            writeFile(index, R"({"weight_map":{"model.embed_tokens.weight":"model-00001-of-00002.safetensors",
                "model.layers.0.self_attn.q_proj.weight":"model-00001-of-00002.safetensors",
                "x":"model-00002-of-00002.safetensors"}})");
        }
        auto m = Model::open(d.toStdString());
        QVERIFY2(!m.ok(), "a broken folder opened");
        const QString msg = QString::fromStdString(m.error().describe());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
    }

    void untiedConfigWithoutHeadWarns()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.path() + "/config.json", kTinyConfig));
        QVERIFY(writeFile(dir.path() + "/model.safetensors",
                          makeSafetensors({{"model.embed_tokens.weight", "BF16", {4, 8}, bf16Bytes(ramp(32))}})));
        auto m = Model::open(dir.path().toStdString());
        QVERIFY(m.ok());
        QVERIFY((*m)->architecture().tiedEmbeddings);
        QCOMPARE((*m)->warnings().size(), size_t(1));
        QVERIFY(QString::fromStdString((*m)->warnings()[0]).contains("no lm_head.weight"));
    }

    void integerTensorsAreListedButNotRead()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.path() + "/config.json", kTinyConfig));
        QVERIFY(writeFile(dir.path() + "/model.safetensors",
                          makeSafetensors({{"lm_head.weight", "BF16", {4, 8}, bf16Bytes(ramp(32))},
                                           {"model.embed_tokens.weight", "F8_E4M3", {4, 8}, QByteArray(32, '\x38')},
                                           {"model.layers.0.self_attn.rotary_emb.inv_freq", "I32", {2}, QByteArray(8, 0)}})));
        auto m = Model::open(dir.path().toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        std::vector<float> buf(32);
        const size_t emb = *(*m)->findTensor("model.embed_tokens.weight");
        QVERIFY((*m)->readRows(emb, 0, 4, buf.data()).ok());
        QCOMPARE(buf[31], 1.0f); // 0x38 is 1.0 in E4M3
        const size_t inv = *(*m)->findTensor("model.layers.0.self_attn.rotary_emb.inv_freq");
        QVERIFY(!(*m)->canRead(inv));
        auto st = (*m)->readRows(inv, 0, 1, buf.data());
        QVERIFY(!st.ok());
        QVERIFY(QString::fromStdString(st.error().describe()).contains("integers"));
    }

    void ggufSyntheticAndQuantizedRows()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + "/tiny.gguf";
        // a Q8_0 tensor made by the formats library: reading it back must give exactly the dequantized values
        const std::vector<float> q = ramp(64, 0.37f, -11.0f);
        const TypeTraits &q8 = typeTraits(GgmlType::Q8_0);
        QByteArray qbytes(2 * 34, '\0');
        q8.quantize(q.data(), qbytes.data(), 2, 32, nullptr);
        std::vector<float> expect(64);
        q8.toFloat(qbytes.constData(), expect.data(), 64);
        GgufBuilder b;
        b.kvString("general.architecture", "llama").kvU32("llama.block_count", 1).kvU32("llama.embedding_length", 32)
            .kvU32("llama.attention.head_count", 2).kvU32("general.file_type", 7)
            .tensor("token_embd.weight", {32, 4}, 0, f32Bytes(ramp(128)))
            .tensor("blk.0.attn_q.weight", {32, 2}, 8, qbytes);
        QVERIFY(writeFile(path, b.build()));
        auto m = Model::open(path.toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        QCOMPARE((*m)->format(), ModelFormat::Gguf);
        QCOMPARE((*m)->architecture().headDim, int64_t(16));
        QCOMPARE((*m)->architecture().vocabSize, int64_t(4)); // from token_embd when no vocab key or tokens
        QVERIFY((*m)->architecture().tiedEmbeddings);
        QCOMPARE((*m)->architecture().dtype, std::string("Q8_0"));
        const ModelTensor &qt = (*m)->tensors()[1];
        QCOMPARE(qt.shape, (std::vector<int64_t>{2, 32}));
        QCOMPARE(qt.dtype, std::string("Q8_0"));
        std::vector<float> buf(128);
        QVERIFY((*m)->readRows(0, 1, 2, buf.data()).ok());
        QCOMPARE(buf[0], -1.0f + 0.25f * 32);
        QVERIFY((*m)->canRead(1));
        QVERIFY((*m)->readRows(1, 1, 1, buf.data()).ok());
        QVERIFY(std::memcmp(buf.data(), expect.data() + 32, 32 * 4) == 0);
        for (int k = 0; k < 32; ++k) // and Q8_0 is close to what went in
            QVERIFY(std::fabs(buf[static_cast<size_t>(k)] - q[static_cast<size_t>(32 + k)]) < 0.05f);
    }

    void ggufUnalignedBlocksAreReadable()
    {
        // alignment 1 puts the Q8_0 blocks at an odd offset: rows must still read correctly
        QTemporaryDir dir;
        const std::vector<float> q = ramp(32, 0.5f, -8.0f);
        QByteArray qbytes(34, '\0');
        typeTraits(GgmlType::Q8_0).quantize(q.data(), qbytes.data(), 1, 32, nullptr);
        GgufBuilder b;
        b.kvString("general.architecture", "llama").kvU32("general.alignment", 1).alignment(1)
            .tensor("a", {3}, 24, QByteArray(3, 1)).tensor("blk.0.ffn_up.weight", {32}, 8, qbytes);
        QVERIFY(writeFile(dir.path() + "/odd.gguf", b.build()));
        auto m = Model::open((dir.path() + "/odd.gguf").toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        QVERIFY((*m)->tensors()[1].fileOffset % 2 == 1);
        std::vector<float> buf(32), expect(32);
        typeTraits(GgmlType::Q8_0).toFloat(qbytes.constData(), expect.data(), 32);
        QVERIFY((*m)->readRows(1, 0, 1, buf.data()).ok());
        QVERIFY(std::memcmp(buf.data(), expect.data(), 32 * 4) == 0);
        QVERIFY(std::fabs(buf[0] + 8.0f) < 0.01f);
    }

    void notAModel()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.path() + "/random.bin", QByteArray(100, 'z')));
        auto m = Model::open((dir.path() + "/random.bin").toStdString());
        QVERIFY(!m.ok());
        QVERIFY(QString::fromStdString(m.error().describe()).contains("not a GGUF file"));
        QVERIFY(!Model::open((dir.path() + "/nothing-here").toStdString()).ok());
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
