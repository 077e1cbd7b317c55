// config.json for llama, mistral, qwen2 and qwen3 in both transformers schemas, and the messages for bad ones.
#include "model/architecture.h"

#include <QtTest>

using namespace qs;

static Result<Architecture> parse(const QByteArray &json)
{
    return parseHfConfig({reinterpret_cast<const uint8_t *>(json.constData()), static_cast<size_t>(json.size())}, "config.json");
}

class TestHfConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void llamaV5()
    {
        auto a = parse(R"({"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":4096,
            "num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336,
            "vocab_size":128256,"max_position_embeddings":131072,"rms_norm_eps":1e-05,"dtype":"bfloat16",
            "tie_word_embeddings":false,"rope_parameters":{"rope_theta":500000.0,"rope_type":"llama3","factor":8.0,
            "low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192}})");
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().describe().c_str());
        QCOMPARE(a->name, std::string("llama"));
        QCOMPARE(a->layers, int64_t(32));
        QCOMPARE(a->headDim, int64_t(128)); // derived: 4096 / 32
        QCOMPARE(a->kvHeads, int64_t(8));
        QCOMPARE(a->gqaRatio(), int64_t(4));
        QCOMPARE(a->rope.theta, 500000.0);
        QCOMPARE(a->rope.scalingType, std::string("llama3"));
        QCOMPARE(a->rope.factor, 8.0);
        QCOMPARE(a->rope.originalContextLength, int64_t(8192));
        QCOMPARE(a->dtype, std::string("bfloat16"));
        QCOMPARE(a->configSchema, 5);
        QCOMPARE(a->contextLength, int64_t(131072));
    }

    void llamaV4()
    {
        auto a = parse(R"({"model_type":"llama","hidden_size":2048,"num_hidden_layers":16,"num_attention_heads":32,
            "num_key_value_heads":8,"head_dim":64,"intermediate_size":8192,"vocab_size":128256,"rope_theta":500000.0,
            "rope_scaling":{"rope_type":"llama3","factor":32.0,"original_max_position_embeddings":8192},
            "torch_dtype":"bfloat16","tie_word_embeddings":true,"max_position_embeddings":131072})");
        QVERIFY(a.ok());
        QCOMPARE(a->configSchema, 4);
        QCOMPARE(a->rope.theta, 500000.0);
        QCOMPARE(a->rope.factor, 32.0);
        QCOMPARE(a->dtype, std::string("bfloat16"));
        QVERIFY(a->tiedEmbeddings);
        QCOMPARE(a->headDim, int64_t(64));
    }

    void mistral()
    {
        auto a = parse(R"({"architectures":["MistralForCausalLM"],"hidden_size":4096,"num_hidden_layers":32,
            "num_attention_heads":32,"num_key_value_heads":8,"intermediate_size":14336,"vocab_size":32000,
            "rope_theta":10000.0,"sliding_window":4096,"torch_dtype":"bfloat16","max_position_embeddings":32768})");
        QVERIFY(a.ok());
        QCOMPARE(a->name, std::string("mistral")); // from the architectures list
        QCOMPARE(a->slidingWindow, int64_t(4096));
        QCOMPARE(a->rope.scalingType, std::string("none"));
    }

    void qwen2()
    {
        auto a = parse(R"({"model_type":"qwen2","hidden_size":896,"num_hidden_layers":24,"num_attention_heads":14,
            "num_key_value_heads":2,"intermediate_size":4864,"vocab_size":151936,"rope_theta":1000000.0,
            "sliding_window":null,"tie_word_embeddings":true,"torch_dtype":"bfloat16","max_position_embeddings":32768,
            "rms_norm_eps":1e-06})");
        QVERIFY(a.ok());
        QVERIFY(a->attentionBias); // qwen2 always has q/k/v biases
        QVERIFY(a->tiedEmbeddings);
        QCOMPARE(a->headDim, int64_t(64));
        QCOMPARE(a->gqaRatio(), int64_t(7));
        QCOMPARE(a->slidingWindow, int64_t(0));
    }

    void qwen3()
    {
        auto a = parse(R"({"model_type":"qwen3","hidden_size":1024,"num_hidden_layers":28,"num_attention_heads":16,
            "num_key_value_heads":8,"head_dim":128,"intermediate_size":3072,"vocab_size":151936,
            "rope_parameters":{"rope_theta":1000000,"rope_type":"default"},"dtype":"bfloat16",
            "tie_word_embeddings":true,"max_position_embeddings":40960})");
        QVERIFY(a.ok());
        QCOMPARE(a->headDim, int64_t(128)); // explicit head_dim differs from hidden/heads
        QCOMPARE(a->rope.theta, 1000000.0);
        QCOMPARE(a->configSchema, 5);
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{") << "invalid JSON";
        QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no type") << QByteArray(R"({"hidden_size":8})") << "cannot tell the architecture";
        QTest::newRow("unsupported") << QByteArray(R"({"model_type":"gpt2"})") << "'gpt2' is not supported";
        QTest::newRow("missing hidden") << QByteArray(R"({"model_type":"llama","num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":8,"vocab_size":8})") << "\"hidden_size\" is missing";
        QTest::newRow("string layers") << QByteArray(R"({"model_type":"llama","hidden_size":8,"num_hidden_layers":"2","num_attention_heads":2,"intermediate_size":8,"vocab_size":8})") << "num_hidden_layers";
        QTest::newRow("negative heads") << QByteArray(R"({"model_type":"llama","hidden_size":8,"num_hidden_layers":2,"num_attention_heads":-2,"intermediate_size":8,"vocab_size":8})") << "num_attention_heads";
        QTest::newRow("kv not dividing") << QByteArray(R"({"model_type":"llama","hidden_size":12,"num_hidden_layers":2,"num_attention_heads":3,"num_key_value_heads":2,"intermediate_size":8,"vocab_size":8})") << "not a multiple";
        QTest::newRow("indivisible hidden") << QByteArray(R"({"model_type":"llama","hidden_size":10,"num_hidden_layers":2,"num_attention_heads":3,"intermediate_size":8,"vocab_size":8})") << "not divisible";
    }

    void rejects()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto a = parse(json);
        QVERIFY(!a.ok());
        const QString msg = QString::fromStdString(a.error().describe());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY(msg.startsWith(QLatin1String("config.json")));
    }
};

QTEST_GUILESS_MAIN(TestHfConfig)
#include "tst_hf_config.moc"
