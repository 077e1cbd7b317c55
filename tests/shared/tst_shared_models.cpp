// The real models in ../shared: sotu-llama's facts through the CLI, and sotu-mini read from safetensors and from
// llama.cpp's own BF16 GGUF giving the same description and the same numbers (after llama.cpp's Q/K row permutation).
#include "model/model.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace qs;

namespace {

using qs::test::CliRun;
using qs::test::runCli;

} // namespace

class TestSharedModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sotuLlamaInspectText()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), qs::test::sharedPath(QStringLiteral("models/sotu-llama"))});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        for (const char *fact : {"Parameters    23,075,328", "6 layers", "8 heads / 4 KV heads", "head dim 64", "BF16 (config: bfloat16)",
                                 "57 tensors", "5 shards", "embeddings untied", "hidden 512", "FFN 1536"})
            QVERIFY2(out.contains(QLatin1String(fact)), fact);
        // one row per tensor
        QCOMPARE(out.count(QLatin1String("model.layers.")), 6 * 9);
    }

    void sotuLlamaInspectJson()
    {
        const CliRun r = runCli({QStringLiteral("inspect"), QStringLiteral("--json"), qs::test::sharedPath(QStringLiteral("models/sotu-llama"))});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError err{};
        const QJsonObject o = QJsonDocument::fromJson(r.out, &err).object();
        QCOMPARE(err.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QLatin1String("parameters")).toInteger(), 23075328);
        QCOMPARE(o.value(QLatin1String("tensor_count")).toInteger(), 57);
        QCOMPARE(o.value(QLatin1String("dtype")).toString(), QStringLiteral("BF16"));
        const QJsonObject a = o.value(QLatin1String("architecture")).toObject();
        QCOMPARE(a.value(QLatin1String("layers")).toInteger(), 6);
        QCOMPARE(a.value(QLatin1String("heads")).toInteger(), 8);
        QCOMPARE(a.value(QLatin1String("kv_heads")).toInteger(), 4);
        QCOMPARE(a.value(QLatin1String("head_dim")).toInteger(), 64);
        QCOMPARE(a.value(QLatin1String("tied_embeddings")).toBool(), false);
        QCOMPARE(o.value(QLatin1String("files")).toArray().size(), 5);
        qint64 sum = 0;
        for (const QJsonValue t : o.value(QLatin1String("tensors")).toArray())
            sum += t.toObject().value(QLatin1String("elements")).toInteger();
        QCOMPARE(sum, 23075328);
    }

    void ggufDescribedLikeSafetensors()
    {
        auto hf = Model::open(qs::test::sharedPath(QStringLiteral("models/sotu-mini")).toStdString());
        auto gg = Model::open(qs::test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-bf16.gguf")).toStdString());
        QVERIFY(hf.ok());
        QVERIFY2(gg.ok(), gg.ok() ? "" : gg.error().describe().c_str());
        const Architecture &a = (*hf)->architecture(), &b = (*gg)->architecture();
        QCOMPARE(b.layers, a.layers);
        QCOMPARE(b.hiddenSize, a.hiddenSize);
        QCOMPARE(b.heads, a.heads);
        QCOMPARE(b.kvHeads, a.kvHeads);
        QCOMPARE(b.headDim, a.headDim);
        QCOMPARE(b.intermediateSize, a.intermediateSize);
        QCOMPARE(b.vocabSize, a.vocabSize);
        QCOMPARE(b.tiedEmbeddings, a.tiedEmbeddings);
        QCOMPARE(b.contextLength, a.contextLength);
        QCOMPARE(b.rope.theta, a.rope.theta);
        QCOMPARE(static_cast<float>(b.normEpsilon), static_cast<float>(a.normEpsilon));
        QCOMPARE((*gg)->parameterCount(), (*hf)->parameterCount());
        QCOMPARE((*gg)->tensors().size(), (*hf)->tensors().size());
    }

    void ggufValuesEqualSafetensorsValues()
    {
        auto hf = Model::open(qs::test::sharedPath(QStringLiteral("models/sotu-mini")).toStdString());
        auto gg = Model::open(qs::test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-bf16.gguf")).toStdString());
        QVERIFY(hf.ok() && gg.ok());
        const int64_t hd = (*hf)->architecture().headDim;
        int compared = 0;
        for (size_t i = 0; i < (*hf)->tensors().size(); ++i) {
            const ModelTensor &t = (*hf)->tensors()[i];
            const auto j = (*gg)->findTensor(t.otherName);
            QVERIFY2(j, t.otherName.c_str());
            const ModelTensor &u = (*gg)->tensors()[*j];
            QCOMPARE(u.shape, t.shape);
            QCOMPARE(u.otherName, t.name);
            std::vector<float> a(static_cast<size_t>(t.elements)), b(static_cast<size_t>(u.elements));
            QVERIFY((*hf)->readRows(i, 0, t.rows(), a.data()).ok());
            QVERIFY((*gg)->readRows(*j, 0, u.rows(), b.data()).ok());
            // llama.cpp's converter permutes Q and K rows so its rope pairs adjacent elements: HF row
            // h*hd + c*hd/2 + r becomes h*hd + 2r + c.
            const bool permuted = !t.isBias && (t.role == TensorRole::AttnQ || t.role == TensorRole::AttnK);
            for (int64_t row = 0; row < t.rows(); ++row) {
                int64_t dst = row;
                if (permuted) {
                    const int64_t h = row / hd, within = row % hd, c = within / (hd / 2), r = within % (hd / 2);
                    dst = h * hd + 2 * r + c;
                }
                QVERIFY2(std::memcmp(a.data() + row * t.rowLength(), b.data() + dst * t.rowLength(), static_cast<size_t>(t.rowLength()) * 4) == 0,
                         qPrintable(QString::fromStdString(t.name) + QStringLiteral(" row ") + QString::number(row)));
            }
            ++compared;
        }
        QCOMPARE(compared, 20);
    }
};

QS_TEST_MAIN_SHARED(TestSharedModels)
#include "tst_shared_models.moc"
