// The Hugging Face <-> GGUF tensor name mapping, both ways.
#include "model/tensor_names.h"

#include <QtTest>

using namespace qs;

class TestTensorNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mapping_data()
    {
        QTest::addColumn<QString>("hf");
        QTest::addColumn<QString>("gguf");
        QTest::addColumn<QString>("role");
        QTest::addColumn<int>("layer");
        QTest::addColumn<bool>("bias");
        QTest::newRow("embed") << "model.embed_tokens.weight" << "token_embd.weight" << "token_embd" << -1 << false;
        QTest::newRow("norm") << "model.norm.weight" << "output_norm.weight" << "output_norm" << -1 << false;
        QTest::newRow("lm_head") << "lm_head.weight" << "output.weight" << "output" << -1 << false;
        QTest::newRow("attn_norm") << "model.layers.0.input_layernorm.weight" << "blk.0.attn_norm.weight" << "attn_norm" << 0 << false;
        QTest::newRow("q") << "model.layers.12.self_attn.q_proj.weight" << "blk.12.attn_q.weight" << "attn_q" << 12 << false;
        QTest::newRow("q bias") << "model.layers.3.self_attn.q_proj.bias" << "blk.3.attn_q.bias" << "attn_q" << 3 << true;
        QTest::newRow("k") << "model.layers.1.self_attn.k_proj.weight" << "blk.1.attn_k.weight" << "attn_k" << 1 << false;
        QTest::newRow("v bias") << "model.layers.1.self_attn.v_proj.bias" << "blk.1.attn_v.bias" << "attn_v" << 1 << true;
        QTest::newRow("o") << "model.layers.5.self_attn.o_proj.weight" << "blk.5.attn_output.weight" << "attn_output" << 5 << false;
        QTest::newRow("q_norm") << "model.layers.2.self_attn.q_norm.weight" << "blk.2.attn_q_norm.weight" << "attn_q_norm" << 2 << false;
        QTest::newRow("k_norm") << "model.layers.2.self_attn.k_norm.weight" << "blk.2.attn_k_norm.weight" << "attn_k_norm" << 2 << false;
        QTest::newRow("ffn_norm") << "model.layers.7.post_attention_layernorm.weight" << "blk.7.ffn_norm.weight" << "ffn_norm" << 7 << false;
        QTest::newRow("gate") << "model.layers.7.mlp.gate_proj.weight" << "blk.7.ffn_gate.weight" << "ffn_gate" << 7 << false;
        QTest::newRow("up") << "model.layers.7.mlp.up_proj.weight" << "blk.7.ffn_up.weight" << "ffn_up" << 7 << false;
        QTest::newRow("down") << "model.layers.79.mlp.down_proj.weight" << "blk.79.ffn_down.weight" << "ffn_down" << 79 << false;
    }

    void mapping()
    {
        QFETCH(QString, hf);
        QFETCH(QString, gguf);
        QFETCH(QString, role);
        QFETCH(int, layer);
        QFETCH(bool, bias);
        const TensorNameInfo a = describeHfName(hf.toStdString());
        QCOMPARE(QString::fromStdString(a.otherName), gguf);
        QCOMPARE(QString::fromLatin1(roleId(a.role).data()), role);
        QCOMPARE(a.layer, layer);
        QCOMPARE(a.isBias, bias);
        const TensorNameInfo b = describeGgufName(gguf.toStdString());
        QCOMPARE(QString::fromStdString(b.otherName), hf);
        QCOMPARE(b.role, a.role);
        QCOMPARE(b.layer, layer);
        QCOMPARE(b.isBias, bias);
    }

    void unknownNames()
    {
        for (const char *n : {"model.layers.x.mlp.up_proj.weight", "model.layers.1.mlp.weird.weight", "foo",
                              "model.layers.-1.mlp.up_proj.weight", "blk.1", "model.layers.1.self_attn.rotary_emb.inv_freq"}) {
            const TensorNameInfo i = describeHfName(n);
            QCOMPARE(i.role, TensorRole::Other);
            QVERIFY(i.otherName.empty());
        }
        const TensorNameInfo r = describeGgufName("rope_freqs.weight");
        QCOMPARE(r.role, TensorRole::RopeFreqs);
        QVERIFY(r.otherName.empty());
    }
};

QTEST_GUILESS_MAIN(TestTensorNames)
#include "tst_tensor_names.moc"
