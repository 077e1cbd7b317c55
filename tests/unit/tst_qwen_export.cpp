// qwen2 and qwen3 export, on tiny synthetic models: attention biases as F32, no Q/K row permutation (NEOX rope),
// tied output (no output.weight), Q/K norms for qwen3, the qwen2 pre-tokenizer, and block-size fallbacks for rows
// of 64.
#include "export/quantize_job.h"
#include "file_builders.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace qs;
using namespace qs::test;

namespace {

const char *const kConfig = "{\"model_type\":\"%1\",\"hidden_size\":64,\"num_hidden_layers\":1,\n"
    "        \"num_attention_heads\":2,\"num_key_value_heads\":1,%2\"intermediate_size\":128,\"vocab_size\":8,\"max_position_embeddings\":128,\n"
    "        \"rope_theta\":1000000.0,\"rms_norm_eps\":1e-06,\"tie_word_embeddings\":true,\"torch_dtype\":\"bfloat16\"}";
const char *const kTokenizer = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"c\":2,\"ab\":3,\"abc\":4,\"Ġ\":5},\n"
    "        \"merges\":[[\"a\",\"b\"],[\"ab\",\"c\"]]},\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\n"
    "        \"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+\"}},\n"
    "        {\"type\":\"ByteLevel\",\"use_regex\":false}]},\"added_tokens\":[{\"id\":6,\"content\":\"<|endoftext|>\",\"special\":true},\n"
    "        {\"id\":7,\"content\":\"<|im_start|>\",\"special\":true}]}";
const char *const kTokenizerConfig = "{\"eos_token\":\"<|endoftext|>\",\"pad_token\":\"<|endoftext|>\",\"add_bos_token\":false}";

std::vector<float> values(int n, float seed)
{
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<size_t>(i)] = 0.01f * std::sin(seed + 0.37f * static_cast<float>(i));
    return v;
}

void writeModel(const QString &dir, const QString &arch)
{
    const bool qwen3 = arch == QLatin1String("qwen3");
    std::vector<StTensor> t = {
        {"model.embed_tokens.weight", "BF16", {8, 64}, bf16Bytes(values(512, 1))},
        {"model.norm.weight", "BF16", {64}, bf16Bytes(values(64, 2))},
        {"model.layers.0.input_layernorm.weight", "BF16", {64}, bf16Bytes(values(64, 3))},
        {"model.layers.0.post_attention_layernorm.weight", "BF16", {64}, bf16Bytes(values(64, 4))},
        {"model.layers.0.self_attn.q_proj.weight", "BF16", {64, 64}, bf16Bytes(values(4096, 5))},
        {"model.layers.0.self_attn.k_proj.weight", "BF16", {32, 64}, bf16Bytes(values(2048, 6))},
        {"model.layers.0.self_attn.v_proj.weight", "BF16", {32, 64}, bf16Bytes(values(2048, 7))},
        {"model.layers.0.self_attn.o_proj.weight", "BF16", {64, 64}, bf16Bytes(values(4096, 8))},
        {"model.layers.0.mlp.gate_proj.weight", "BF16", {128, 64}, bf16Bytes(values(8192, 9))},
        {"model.layers.0.mlp.up_proj.weight", "BF16", {128, 64}, bf16Bytes(values(8192, 10))},
        {"model.layers.0.mlp.down_proj.weight", "BF16", {64, 128}, bf16Bytes(values(8192, 11))},
    };
    if (qwen3) {
        t.push_back({"model.layers.0.self_attn.q_norm.weight", "BF16", {32}, bf16Bytes(values(32, 12))});
        t.push_back({"model.layers.0.self_attn.k_norm.weight", "BF16", {32}, bf16Bytes(values(32, 13))});
    } else {
        t.push_back({"model.layers.0.self_attn.q_proj.bias", "BF16", {64}, bf16Bytes(values(64, 14))});
        t.push_back({"model.layers.0.self_attn.k_proj.bias", "BF16", {32}, bf16Bytes(values(32, 15))});
        t.push_back({"model.layers.0.self_attn.v_proj.bias", "BF16", {32}, bf16Bytes(values(32, 16))});
    }
    QVERIFY(writeFile(dir + "/model.safetensors", makeSafetensors(t)));
    const QByteArray config = QString::fromUtf8(kConfig).arg(arch, qwen3 ? QStringLiteral("\"head_dim\":32,") : QString()).toUtf8();
    QVERIFY(writeFile(dir + "/config.json", config));
    QVERIFY(writeFile(dir + "/tokenizer.json", kTokenizer));
    QVERIFY(writeFile(dir + "/tokenizer_config.json", kTokenizerConfig));
}

} // namespace

class TestQwenExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void export_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::newRow("qwen2") << "qwen2";
        QTest::newRow("qwen3") << "qwen3";
    }

    void exportBf16_data() { export_data(); }
    void exportBf16()
    {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        writeModel(dir.path(), arch);
        auto hf = Model::open(dir.path().toStdString());
        QVERIFY2(hf.ok(), hf.ok() ? "" : hf.error().describe().c_str());
        QuantizeOptions opt;
        opt.plan.preset = "BF16";
        const std::string out = (dir.path() + "/out.gguf").toStdString();
        auto r = quantizeModel(**hf, opt, out);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        auto g = Model::open(out);
        QVERIFY(g.ok());
        const GgufFile &f = *(*g)->gguf();
        QCOMPARE(*f.find("general.architecture")->toString(), arch.toStdString());
        const std::string p = arch.toStdString() + ".";
        QCOMPARE(*f.find(p + "block_count")->toUInt(), uint64_t(1));
        QCOMPARE(*f.find(p + "attention.head_count_kv")->toUInt(), uint64_t(1));
        QCOMPARE(*f.find(p + "rope.freq_base")->toDouble(), 1000000.0);
        QCOMPARE(*f.find("tokenizer.ggml.pre")->toString(), std::string("qwen2"));
        QCOMPARE(*f.find("tokenizer.ggml.eos_token_id")->toUInt(), uint64_t(6));
        QCOMPARE(*f.find("tokenizer.ggml.padding_token_id")->toUInt(), uint64_t(6));
        QCOMPARE(*f.find("tokenizer.ggml.add_bos_token")->toBool(), false);
        QCOMPARE(f.find("tokenizer.ggml.token_type")->arrayInt(6), int64_t(3)); // special added token: control
        QCOMPARE(f.find("tokenizer.ggml.merges")->strings[1], std::string("ab c"));
        QVERIFY(!f.findTensor("output.weight")); // tied
        QCOMPARE(f.find(p + "attention.key_length") != nullptr, arch == QLatin1String("qwen3"));
        // NEOX rope: q rows are not permuted, so every value survives unchanged (BF16 -> BF16)
        const size_t hq = *(*hf)->findTensor("model.layers.0.self_attn.q_proj.weight");
        const size_t gq = *(*g)->findTensor("blk.0.attn_q.weight");
        std::vector<float> a(4096), b(4096);
        QVERIFY((*hf)->readRows(hq, 0, 64, a.data()).ok());
        QVERIFY((*g)->readRows(gq, 0, 64, b.data()).ok());
        QVERIFY(a == b);
        if (arch == QLatin1String("qwen2")) {
            const GgufTensorInfo *bias = f.findTensor("blk.0.attn_q.bias");
            QVERIFY(bias);
            QCOMPARE(bias->traits->type, GgmlType::F32);
        } else {
            QVERIFY(f.findTensor("blk.0.attn_q_norm.weight"));
            QVERIFY(f.findTensor("blk.0.attn_k_norm.weight"));
        }
    }

    void quantizedWithFallbacks()
    {
        QTemporaryDir dir;
        writeModel(dir.path(), QStringLiteral("qwen2"));
        auto hf = Model::open(dir.path().toStdString());
        QVERIFY(hf.ok());
        QuantizeOptions opt;
        opt.plan.preset = "Q4_K_M";
        QuantizeResult summary;
        auto req = planQuantization(**hf, opt, &summary);
        QVERIFY2(req.ok(), req.ok() ? "" : req.error().describe().c_str());
        std::map<std::string, GgmlType> types;
        for (const auto &t : summary.tensors)
            types[t.name] = t.type;
        // rows of 64 hold no 256-element K-quant blocks: llama.cpp falls back to the 32-element formats
        QCOMPARE(types["blk.0.attn_q.weight"], GgmlType::Q5_0);       // Q4_K -> Q5_0
        // with one layer use_more_bits(0, 1) holds (0 >= 7/8 rounds to 0 >= 0): ffn_down is bumped to Q6_K, which
        // falls back to Q8_0 for rows of 128
        QCOMPARE(types["blk.0.ffn_down.weight"], GgmlType::Q8_0);
        QCOMPARE(types["token_embd.weight"], GgmlType::Q8_0);         // tied output, rows not a multiple of 256
        QCOMPARE(types["blk.0.attn_q.bias"], GgmlType::F32);
        const std::string out = (dir.path() + "/q.gguf").toStdString();
        QVERIFY(quantizeModel(**hf, opt, out).ok());
        auto g = Model::open(out);
        QVERIFY(g.ok());
        for (size_t i = 0; i < (*g)->tensors().size(); ++i)
            QVERIFY((*g)->canRead(i));
    }
};

QTEST_GUILESS_MAIN(TestQwenExport)
#include "tst_qwen_export.moc"
