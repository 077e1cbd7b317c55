// GPTQ-compensated GGUF blocks end to end (the single layers of ../shared/golden/gptq are in tst_gptq_golden): the
// whole of sotu-llama as Q4_K_M, calibrated on 32 random windows of the training text: the file has exactly the plain file's types and bytes per tensor, lists its
// compensated tensors in its metadata, and on held-out windows (llama.cpp protocol, the other text) has lower
// perplexity and lower mean KLD against bf16 than plain Q4_K_M.
#include "calibration/calibration_set.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "engine/weight_source.h"
#include "pipeline/compensated_gguf.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace qs;

class TestGptqGgufEndToEnd : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void q4kmCompensatedBeatsPlainAtTheSameBytes()
    {
        auto m = Model::open(test::sharedPath(QStringLiteral("models/sotu-llama")).toStdString());
        QVERIFY(m);
        std::shared_ptr<const Model> model = *m;
        auto tok = tokenizerForModel(*model);
        QVERIFY(tok);
        const QString train = test::sharedCorpus(QStringLiteral("sotu_1790_2010"));
        auto cal = randomCalibration(tok->encode(test::utf8(train.left(train.size() - 600000))), 32, 512, 1);
        QVERIFY(cal);

        QTemporaryDir dir;
        const std::string plainPath = dir.filePath(QStringLiteral("plain.gguf")).toStdString();
        const std::string compPath = dir.filePath(QStringLiteral("compensated.gguf")).toStdString();
        QuantizeOptions qo;
        qo.plan.preset = "Q4_K_M";
        auto plain = quantizeModel(*model, qo, plainPath);
        QVERIFY2(plain, plain ? "" : plain.error().describe().c_str());
        qo.plan.compensate = std::string();
        auto comp = quantizeCompensatedModel(model, qo, *cal, {}, compPath);
        QVERIFY2(comp, comp ? "" : comp.error().describe().c_str());
        QCOMPARE(comp->compensated.size(), size_t(6 * 7)); // every block Linear of the 6 layers

        auto a = Model::open(plainPath), b = Model::open(compPath);
        QVERIFY(a && b);
        // the same tensors, types and bytes: the files differ in size only by the metadata naming the compensated tensors
        QCOMPARE((*b)->tensors().size(), (*a)->tensors().size());
        for (size_t i = 0; i < (*a)->tensors().size(); ++i) {
            QCOMPARE((*b)->tensors()[i].name, (*a)->tensors()[i].name);
            QCOMPARE((*b)->tensors()[i].ggml->type, (*a)->tensors()[i].ggml->type);
            QCOMPARE((*b)->tensors()[i].bytes, (*a)->tensors()[i].bytes);
        }
        QVERIFY(QFileInfo(QString::fromStdString(compPath)).size() - QFileInfo(QString::fromStdString(plainPath)).size() < 4096);
        const auto &meta = (*b)->gguf()->metadata;
        const auto listed = std::find_if(meta.begin(), meta.end(), [](const GgufKeyValue &kv) { return kv.key == "quantscope.compensated.tensors"; });
        QVERIFY(listed != meta.end());
        QCOMPARE(listed->value.strings.size(), size_t(42));
        QVERIFY(std::find(listed->value.strings.begin(), listed->value.strings.end(), "blk.3.ffn_down.weight") != listed->value.strings.end());

        // held out: the later text, llama.cpp's protocol, 16 windows
        const QString heldOut = test::sharedCorpus(QStringLiteral("sotu_2011_2021"));
        auto windows = makeEvalWindows(tok->encode(llamaCppText(test::utf8(heldOut))), PplProtocol::LlamaCpp, 512, llamaCppBosToken(*model), 16);
        QVERIFY(windows);
        auto base = Transformer::create(std::make_shared<WeightSource>(model));
        auto ta = Transformer::create(std::make_shared<WeightSource>(*a));
        auto tb = Transformer::create(std::make_shared<WeightSource>(*b));
        QVERIFY(base && ta && tb);
        auto ea = evaluate(*ta, &*base, *windows);
        auto eb = evaluate(*tb, &*base, *windows);
        QVERIFY(ea && eb);
        qInfo("sotu-llama Q4_K_M, %lld held-out tokens: plain PPL %.4f KLD %.6f; compensated PPL %.4f KLD %.6f (bf16 PPL %.4f)",
              static_cast<long long>(ea->tokens), ea->ppl, ea->kldMean, eb->ppl, eb->kldMean, ea->pplBase);
        QVERIFY(eb->kldMean < ea->kldMean);
        QVERIFY(eb->ppl < ea->ppl);
    }
};

QS_TEST_MAIN_SHARED(TestGptqGgufEndToEnd)
#include "tst_gptq_gguf_end_to_end.moc"
