// The evaluation engine's pieces that need no model: rotary frequencies against transformers' own (computed by
// transformers 5.17 for default, linear, llama3 and yarn scaling: tests/data/rope_reference.json), the windows of
// both perplexity protocols, llama.cpp's percentile, and the forward pass on the built-in demo model.
#include "common/paths.h"
#include "engine/evaluation.h"
#include "engine/rope.h"
#include "engine/sensitivity.h"
#include "project/project_file.h"
#include "engine/transformer.h"
#include "model/model.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace qs;

class TestEvalEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ropeMatchesTransformers_data()
    {
        QTest::addColumn<int>("index");
        QFile f(test::sourcePath(QStringLiteral("tests/data/rope_reference.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray cases = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("cases")).toArray();
        QCOMPARE(cases.size(), 4);
        for (int i = 0; i < cases.size(); ++i)
            QTest::newRow(qPrintable(cases[i].toObject().value(QStringLiteral("name")).toString())) << i;
    }
    void ropeMatchesTransformers()
    {
        QFETCH(int, index);
        QFile f(test::sourcePath(QStringLiteral("tests/data/rope_reference.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject c = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("cases")).toArray()[index].toObject();
        const QJsonObject cfg = c.value(QStringLiteral("config")).toObject();
        const QJsonObject sc = cfg.value(QStringLiteral("scaling")).toObject();
        Architecture a;
        a.headDim = cfg.value(QStringLiteral("head_dim")).toInt();
        a.rope.theta = cfg.value(QStringLiteral("rope_theta")).toDouble();
        a.contextLength = cfg.value(QStringLiteral("max_position_embeddings")).toInteger(2048);
        if (!sc.isEmpty()) {
            a.rope.scalingType = sc.value(QStringLiteral("rope_type")).toString().toStdString();
            a.rope.factor = sc.value(QStringLiteral("factor")).toDouble();
            a.rope.originalContextLength = sc.value(QStringLiteral("original_max_position_embeddings")).toInteger(0);
            a.rope.lowFreqFactor = sc.value(QStringLiteral("low_freq_factor")).toDouble(1.0);
            a.rope.highFreqFactor = sc.value(QStringLiteral("high_freq_factor")).toDouble(4.0);
        }
        auto t = RopeTable::make(a);
        QVERIFY2(t, t ? "" : t.error().message.c_str());
        const QJsonArray want = c.value(QStringLiteral("inv_freq")).toArray();
        QCOMPARE(t->invFreq.size(), size_t(want.size()));
        for (int i = 0; i < want.size(); ++i) {
            const double w = want[i].toDouble(), got = t->invFreq[static_cast<size_t>(i)];
            QVERIFY2(std::fabs(got - w) <= 2e-7 * std::fabs(w) + 1e-12,
                     qPrintable(QStringLiteral("inv_freq[%1] = %2, transformers %3").arg(i).arg(got, 0, 'g', 9).arg(w, 0, 'g', 9)));
        }
        QVERIFY(std::fabs(t->attentionScaling - c.value(QStringLiteral("attention_scaling")).toDouble()) < 1e-6);
    }

    void ropeRejectsWhatItCannotCompute()
    {
        Architecture a;
        a.headDim = 64;
        a.rope.scalingType = "longrope";
        QVERIFY(!RopeTable::make(a));
        a.rope.scalingType = "none";
        a.headDim = 63;
        QVERIFY(!RopeTable::make(a));
    }

    void huggingFaceWindows()
    {
        std::vector<int32_t> ids(1100);
        for (size_t i = 0; i < ids.size(); ++i)
            ids[i] = static_cast<int32_t>(i);
        auto w = makeEvalWindows(ids, PplProtocol::HuggingFace, 512, 7);
        QVERIFY(w);
        QCOMPARE(w->windows, int64_t(2)); // the remainder (76 tokens) is dropped
        QCOMPARE(w->feed[0], 0);          // no BOS
        QCOMPARE(w->feed[512], 512);
        QCOMPARE(w->firstScored, int64_t(0));
        QCOMPARE(w->lastScored, int64_t(511)); // logits 0..510 predict positions 1..511
        QCOMPARE(w->next[0], 1);
        QCOMPARE(w->next[512 + 510], 1023);
        QCOMPARE(w->scoredTokens(), int64_t(2 * 511));
        QVERIFY(!makeEvalWindows(std::vector<int32_t>(100), PplProtocol::HuggingFace, 512, -1)); // not one window
    }

    void llamaCppWindows()
    {
        std::vector<int32_t> ids(1100);
        for (size_t i = 0; i < ids.size(); ++i)
            ids[i] = static_cast<int32_t>(100 + i);
        auto w = makeEvalWindows(ids, PplProtocol::LlamaCpp, 512, 1);
        QVERIFY(w);
        // BOS + 1100 tokens = 1101: two chunks; each chunk's first token is replaced by BOS
        QCOMPARE(w->windows, int64_t(2));
        QCOMPARE(w->feed[0], 1);
        QCOMPARE(w->feed[1], 100);
        QCOMPARE(w->feed[512], 1);       // was ids[511] = 611
        QCOMPARE(w->next[511 - 1], 100 + 510); // the targets stay the text's
        QCOMPARE(w->next[512 + 256], 100 + 511 + 257); // chunk 1, position 256 predicts the text's token
        QCOMPARE(w->firstScored, int64_t(256));
        QCOMPARE(w->lastScored, int64_t(511));
        QCOMPARE(w->scoredTokens(), int64_t(2 * 255));
        // without BOS nothing is replaced
        auto nb = makeEvalWindows(ids, PplProtocol::LlamaCpp, 512, -1);
        QVERIFY(nb);
        QCOMPARE(nb->feed[512], 100 + 512);
        // fewer than 2 x context tokens is refused, as llama-perplexity does
        auto shortText = makeEvalWindows(std::vector<int32_t>(1000, 5), PplProtocol::LlamaCpp, 512, 1);
        QVERIFY(!shortText);
        QVERIFY(QString::fromStdString(shortText.error().message).contains(QLatin1String("1024")));
        QCOMPARE(llamaCppText("a\n\n"), std::string("a\n"));
    }

    void percentileInterpolates()
    {
        const std::vector<float> v{0, 1, 2, 3, 4};
        QCOMPARE(sortedPercentile(v, 0.0), 0.0);
        QCOMPARE(sortedPercentile(v, 1.0), 4.0);
        QCOMPARE(sortedPercentile(v, 0.5), 2.0);
        QVERIFY(std::fabs(sortedPercentile(v, 0.99) - 3.96) < 1e-6);
    }

    // The demo model against itself: KLD 0 and full agreement; a plan changes both. Exact on any thread count.
    void demoModelAgainstItself()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        auto base = Transformer::create(std::make_shared<WeightSource>(*m));
        QVERIFY(base);
        std::vector<int32_t> ids(2048);
        for (size_t i = 0; i < ids.size(); ++i)
            ids[i] = static_cast<int32_t>((i * 2654435761u) % 4000);
        auto w = makeEvalWindows(ids, PplProtocol::HuggingFace, 256, -1, 3);
        QVERIFY(w);
        auto same = evaluate(*base, &*base, *w);
        QVERIFY(same);
        QCOMPARE(same->kldMean, 0.0);
        QCOMPARE(same->top1Agree, 1.0);
        QCOMPARE(same->ppl, same->pplBase);
        auto q = std::make_shared<WeightSource>(*m);
        for (size_t i = 0; i < (*m)->tensors().size(); ++i)
            if ((*m)->tensors()[i].shape.size() == 2)
                q->setTransform(i, {QuantFormat::gguf(GgmlType::Q2_K), {}});
        auto quant = base->withWeights(q);
        EvalOptions one;
        one.threads = 1;
        auto r1 = evaluate(quant, &*base, *w, one);
        auto r2 = evaluate(quant, &*base, *w);
        QVERIFY(r1 && r2);
        QVERIFY(r1->kldMean > 0.01);
        QVERIFY(r1->top1Agree < 1.0);
        QCOMPARE(r1->ppl, r2->ppl);
        QCOMPARE(r1->kldMean, r2->kldMean);
        // windows longer than the model's context are refused
        auto tooLong = makeEvalWindows(std::vector<int32_t>(4096, 5), PplProtocol::HuggingFace, 2048, -1);
        QVERIFY(tooLong);
        QVERIFY(!evaluate(*base, nullptr, *tooLong));
    }

    // Measuring from the cached layer inputs gives what a whole evaluation with only that tensor quantized gives.
    void sensitivityEqualsAFullEvaluation()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        auto base = Transformer::create(std::make_shared<WeightSource>(*m));
        QVERIFY(base);
        std::vector<int32_t> ids(1024);
        for (size_t i = 0; i < ids.size(); ++i)
            ids[i] = static_cast<int32_t>((i * 40503u + 7) % 4096);
        auto w = makeEvalWindows(ids, PplProtocol::HuggingFace, 256, -1, 2);
        QVERIFY(w);
        SensitivityOptions opt;
        opt.formats = {QuantFormat::gguf(GgmlType::Q2_K), QuantFormat::gguf(GgmlType::Q6_K)};
        auto r = measureSensitivity(*base, *w, opt);
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        QCOMPARE(r->tensors.size(), size_t(15)); // 7 Linears x 2 layers + the (tied) embedding
        QCOMPARE(r->tensors.front(), std::string("token_embd.weight"));
        double sumQ2 = 0, sumQ6 = 0;
        for (size_t t = 0; t < r->tensors.size(); ++t) {
            sumQ2 += r->kld[r->index(t, 0)];
            sumQ6 += r->kld[r->index(t, 1)];
            QVERIFY(r->kld[r->index(t, 0)] > 0);
        }
        QVERIFY(sumQ2 > 10 * sumQ6); // two bits hurt far more than six
        for (const std::string name : {"blk.1.ffn_down.weight", "blk.0.attn_k.weight", "token_embd.weight"}) {
            auto src = std::make_shared<WeightSource>(*m);
            const auto t = std::find_if((*m)->tensors().begin(), (*m)->tensors().end(),
                                        [&](const ModelTensor &mt) { return mt.otherName == name || mt.name == name; });
            QVERIFY(t != (*m)->tensors().end());
            src->setTransform(static_cast<size_t>(t - (*m)->tensors().begin()), {QuantFormat::gguf(GgmlType::Q2_K), {}});
            auto full = evaluate(base->withWeights(src), &*base, *w);
            QVERIFY(full);
            const float measured = r->kldOf(name, QuantFormat::gguf(GgmlType::Q2_K));
            qInfo("%s: sensitivity %.7f, full evaluation %.7f", name.c_str(), measured, full->kldMean);
            QVERIFY(std::fabs(measured - full->kldMean) <= 1e-5 * full->kldMean + 1e-9);
        }
        // stored in the project and read back
        QTemporaryDir dir;
        Project p;
        p.modelPath = (*m)->path();
        p.fingerprint = fingerprintModel(**m);
        p.sensitivity = *r;
        p.sensitivity.text = "built-in";
        const std::string path = dir.filePath(QStringLiteral("s.qsproj")).toStdString();
        QVERIFY(saveProject(path, p));
        auto back = loadProject(path);
        QVERIFY2(back, back ? "" : back.error().describe().c_str());
        QCOMPARE(back->sensitivity.tensors, r->tensors);
        QCOMPARE(back->sensitivity.kld, r->kld);
        QCOMPARE(back->sensitivity.top1, r->top1);
        QCOMPARE(back->sensitivity.formats.size(), size_t(2));
        QCOMPARE(back->sensitivity.windows, int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestEvalEngine)
#include "tst_eval_engine.moc"
