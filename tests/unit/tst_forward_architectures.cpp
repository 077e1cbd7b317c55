// The forward pass on every architecture it claims, against transformers 5.17's own fp32 logits
// (tests/data/engine, made by tests/data/make_tiny_models.py: tiny random models saved with save_pretrained):
// qwen2 (q/k/v biases), qwen3 (per-head q/k norms, tied embeddings, head_dim not hidden/heads), mistral (a sliding
// window shorter than the sequence), llama with llama3 and yarn rope scaling.
#include "engine/transformer.h"
#include "io/safetensors.h"
#include "model/model.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <cstring>

using namespace qs;

class TestForwardArchitectures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTransformers_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"qwen2", "qwen3", "mistral", "llama3-rope", "llama-yarn"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void matchesTransformers()
    {
        QFETCH(QString, name);
        const QString dir = test::sourcePath(QStringLiteral("tests/data/engine/") + name);
        auto m = Model::open(dir.toStdString());
        QVERIFY2(m, m ? "" : m.error().describe().c_str());
        auto ref = openSafetensors((dir + QStringLiteral("/reference_logits.safetensors")).toStdString());
        QVERIFY(ref);
        std::vector<int32_t> ids;
        std::vector<float> want;
        for (const auto &t : ref->tensors) {
            const auto b = ref->tensorBytes(t);
            if (t.name == "input_ids") {
                ids.resize(b.size() / 4);
                std::memcpy(ids.data(), b.data(), b.size());
            } else if (t.name == "logits") {
                want.resize(b.size() / 4);
                std::memcpy(want.data(), b.data(), b.size());
            }
        }
        auto tr = Transformer::create(std::make_shared<WeightSource>(*m));
        QVERIFY2(tr, tr ? "" : tr.error().describe().c_str());
        const int64_t n = static_cast<int64_t>(ids.size()), H = tr->hiddenSize(), V = tr->vocabSize();
        QCOMPARE(int64_t(want.size()), n * V);
        std::vector<float> hidden(static_cast<size_t>(n * H)), logits(static_cast<size_t>(n * V));
        QVERIFY(tr->embed(ids.data(), n, hidden.data()));
        QVERIFY(tr->runLayers(0, tr->layers(), hidden.data(), 1, n));
        QVERIFY(tr->logits(hidden.data(), n, logits.data()));
        double worst = 0;
        for (size_t i = 0; i < want.size(); ++i)
            worst = std::max(worst, std::fabs(static_cast<double>(logits[i]) - want[i]));
        qInfo("%s: max |logit difference| %.3g over %zu logits", qPrintable(name), worst, want.size());
        QVERIFY(worst <= 1e-4);
    }
};

QTEST_GUILESS_MAIN(TestForwardArchitectures)
#include "tst_forward_architectures.moc"
