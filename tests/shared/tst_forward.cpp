// The fp32 forward pass against transformers' (../shared/golden/engine/logits.*): logits of the first 128 held-out
// tokens (max |difference| <= 1e-3) and the residual stream after every layer, for sotu-llama and sotu-mini from
// their safetensors; and the same logits from llama.cpp's own BF16 GGUF of sotu-mini, whose q/k rows are stored
// permuted for llama.cpp's rope, so a wrong un-permutation shows.
#include "engine/transformer.h"
#include "io/safetensors.h"
#include "model/model.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace qs;

namespace {

struct Golden {
    std::vector<int32_t> ids;
    SafetensorsFile tensors;
};

Golden loadGolden(const QString &model)
{
    Golden g;
    QFile f(test::sharedPath(QStringLiteral("golden/engine/logits.json")));
    if (!f.open(QIODevice::ReadOnly))
        return g;
    const QJsonObject m = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("models")).toObject().value(model).toObject();
    for (const QJsonValue v : m.value(QStringLiteral("input_ids")).toArray())
        g.ids.push_back(static_cast<int32_t>(v.toInt()));
    auto st = openSafetensors(test::sharedPath(QStringLiteral("golden/engine/logits.safetensors")).toStdString());
    if (st)
        g.tensors = std::move(*st);
    return g;
}

std::vector<float> goldenTensor(const Golden &g, const std::string &name)
{
    for (const auto &t : g.tensors.tensors)
        if (t.name == name && t.dtype == StDtype::F32) {
            const auto bytes = g.tensors.tensorBytes(t);
            std::vector<float> v(bytes.size() / 4);
            std::memcpy(v.data(), bytes.data(), bytes.size());
            return v;
        }
    return {};
}

double maxAbsDiff(const float *a, const float *b, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; ++i)
        m = std::max(m, std::fabs(static_cast<double>(a[i]) - b[i]));
    return m;
}

} // namespace

class TestForward : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void logitsAndResidualStream_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("hiddenTolerance");
        QTest::newRow("sotu-llama safetensors") << "sotu-llama" << "models/sotu-llama" << 1e-3;
        QTest::newRow("sotu-mini safetensors") << "sotu-mini" << "models/sotu-mini" << 1e-3;
        QTest::newRow("sotu-mini llama.cpp BF16 GGUF") << "sotu-mini" << "golden/sotu-mini/sotu-mini-bf16.gguf" << 1e-3;
    }
    void logitsAndResidualStream()
    {
        QFETCH(QString, golden);
        QFETCH(QString, model);
        QFETCH(double, hiddenTolerance);
        const Golden g = loadGolden(golden);
        QCOMPARE(g.ids.size(), size_t(128));
        auto m = Model::open(test::sharedPath(model).toStdString());
        QVERIFY2(m, m ? "" : m.error().describe().c_str());
        auto tr = Transformer::create(std::make_shared<WeightSource>(*m));
        QVERIFY2(tr, tr ? "" : tr.error().describe().c_str());
        const int64_t n = static_cast<int64_t>(g.ids.size()), H = tr->hiddenSize(), V = tr->vocabSize();

        // the residual stream after each layer, first 16 positions (a prefix: attention is causal)
        std::vector<float> hidden(static_cast<size_t>(n * H));
        QVERIFY(tr->embed(g.ids.data(), n, hidden.data()));
        for (int l = 0; l < tr->layers(); ++l) {
            QVERIFY(tr->runLayers(l, l + 1, hidden.data(), 1, n));
            const auto want = goldenTensor(g, golden.toStdString() + ".hidden." + std::to_string(l));
            QCOMPARE(want.size(), size_t(16 * H));
            const double d = maxAbsDiff(hidden.data(), want.data(), want.size());
            qInfo("%s layer %d: max |residual difference| %.3g", qPrintable(golden), l, d);
            QVERIFY2(d <= hiddenTolerance, qPrintable(QStringLiteral("layer %1 differs by %2").arg(l).arg(d)));
        }
        std::vector<float> logits(static_cast<size_t>(n * V));
        QVERIFY(tr->logits(hidden.data(), n, logits.data()));
        const auto want = goldenTensor(g, golden.toStdString() + ".logits");
        QCOMPARE(want.size(), logits.size());
        const double d = maxAbsDiff(logits.data(), want.data(), want.size());
        qInfo("%s from %s: max |logit difference| %.3g over %lld logits", qPrintable(golden), qPrintable(model), d,
              static_cast<long long>(want.size()));
        QVERIFY2(d <= 1e-3, qPrintable(QStringLiteral("logits differ by %1").arg(d)));
    }

    // Batching sequences and grouping them through a layer must not change a bit of any sequence's result.
    void batchesAreIndependent()
    {
        const Golden g = loadGolden(QStringLiteral("sotu-mini"));
        auto m = Model::open(test::sharedPath(QStringLiteral("models/sotu-mini")).toStdString());
        QVERIFY(m);
        auto tr = Transformer::create(std::make_shared<WeightSource>(*m));
        QVERIFY(tr);
        const int64_t n = 64, H = tr->hiddenSize();
        std::vector<float> one(static_cast<size_t>(n * H)), two(static_cast<size_t>(2 * n * H));
        QVERIFY(tr->embed(g.ids.data(), n, one.data()));
        QVERIFY(tr->embed(g.ids.data() + n, n, two.data()));
        QVERIFY(tr->embed(g.ids.data(), n, two.data() + n * H));
        QVERIFY(tr->runLayers(0, tr->layers(), one.data(), 1, n));
        QVERIFY(tr->runLayers(0, tr->layers(), two.data(), 2, n));
        QVERIFY(maxAbsDiff(one.data(), two.data() + n * H, one.size()) < 1e-5);
    }
};

QS_TEST_MAIN_SHARED(TestForward)
#include "tst_forward.moc"
