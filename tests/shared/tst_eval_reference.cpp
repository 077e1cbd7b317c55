// The evaluation engine against the references in ../shared/reference and ../shared/golden:
//  - perplexity, Hugging Face protocol, held-out text: sotu-llama bf16 51.3759, sotu-mini 59.0033 (within 0.05%);
//  - perplexity, llama.cpp protocol (llama-perplexity -c 512) of the BF16 and Q4_K_M GGUFs (written by Quantscope,
//    byte-identical to llama-quantize's): ppl.json's 50.2191 and 50.6545 (within 0.3%);
//  - KL-divergence of RTN w4g128 against bf16: mean 0.028024, top-1 0.87487 (within 2%);
//  - an importance matrix from 400,000 characters of the calibration text against llama-imatrix's own
//    (golden/sotu-llama/imatrix.gguf): every value within 1%, the counts and chunk count exact;
//  - a plan evaluated as fake quantization equals the exported GGUF evaluated from its file, exactly.
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/importance.h"
#include "io/gguf.h"
#include "model/model.h"
#include "pipeline/plan_weights.h"
#include "plan/imatrix.h"
#include "test_support.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace qs;

namespace {

std::string corpus(const QString &name)
{
    QProcess p;
    p.start(QStringLiteral("zstd"), {QStringLiteral("-dc"), test::sharedPath(QStringLiteral("data/corpus/%1.txt.zst").arg(name))});
    p.waitForFinished(120000);
    const QByteArray b = p.readAllStandardOutput();
    return std::string(b.constData(), static_cast<size_t>(b.size()));
}

QJsonObject reference(const QString &file)
{
    QFile f(test::sharedPath(QStringLiteral("reference/") + file));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

std::shared_ptr<const Model> open(const QString &path)
{
    auto m = Model::open(path.toStdString());
    if (!m)
        qWarning("%s", m.error().describe().c_str());
    return m ? *m : nullptr;
}

EvalWindows windowsFor(const Model &m, const std::string &text, PplProtocol protocol)
{
    auto tok = tokenizerForModel(m);
    if (!tok)
        return {};
    const std::string t = protocol == PplProtocol::LlamaCpp ? llamaCppText(text) : text;
    auto w = makeEvalWindows(tok->encode(t), protocol, 512, llamaCppBosToken(m));
    return w ? *w : EvalWindows{};
}

bool within(double got, double want, double relative) { return std::fabs(got - want) <= relative * std::fabs(want); }

} // namespace

class TestEvalReference : public QObject {
    Q_OBJECT
    std::string m_heldout;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        m_heldout = corpus(QStringLiteral("sotu_2011_2021"));
        QVERIFY(m_heldout.size() > 400000);
    }

    void huggingFacePerplexity_data()
    {
        QTest::addColumn<QString>("model");
        QTest::newRow("sotu-mini") << "sotu-mini";
        QTest::newRow("sotu-llama") << "sotu-llama";
    }
    void huggingFacePerplexity()
    {
        QFETCH(QString, model);
        const QJsonObject ref = reference(QStringLiteral("quality.json")).value(QStringLiteral("results")).toObject().value(model).toObject()
                                    .value(QStringLiteral("bf16")).toObject().value(QStringLiteral("heldout")).toObject();
        auto m = open(test::sharedPath(QStringLiteral("models/") + model));
        QVERIFY(m);
        auto t = Transformer::create(std::make_shared<WeightSource>(m));
        QVERIFY(t);
        const EvalWindows w = windowsFor(*m, m_heldout, PplProtocol::HuggingFace);
        QCOMPARE(w.scoredTokens(), ref.value(QStringLiteral("positions")).toInteger());
        auto r = evaluate(*t, nullptr, w);
        QVERIFY(r);
        const double want = ref.value(QStringLiteral("ppl")).toDouble();
        qInfo("%s HF perplexity %.4f, reference %.4f (%+.4f%%)", qPrintable(model), r->ppl, want, 100 * (r->ppl / want - 1));
        QVERIFY(within(r->ppl, want, 0.0005));
    }

    void llamaCppPerplexity_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("BF16") << "BF16";
        QTest::newRow("Q4_K_M") << "Q4_K_M";
    }
    void llamaCppPerplexity()
    {
        QFETCH(QString, preset);
        const QString gguf = m_dir.filePath(preset + QStringLiteral(".gguf"));
        QProcess q;
        q.start(test::cliPath(), {QStringLiteral("quantize"), test::sharedPath(QStringLiteral("models/sotu-llama")), QStringLiteral("--preset"),
                                  preset, QStringLiteral("-o"), gguf});
        QVERIFY(q.waitForFinished(300000) && q.exitCode() == 0);
        auto m = open(gguf);
        QVERIFY(m);
        auto t = Transformer::create(std::make_shared<WeightSource>(m));
        QVERIFY(t);
        const EvalWindows w = windowsFor(*m, m_heldout, PplProtocol::LlamaCpp);
        QCOMPARE(w.lastScored - w.firstScored, int64_t(255));
        auto r = evaluate(*t, nullptr, w);
        QVERIFY(r);
        const double want = reference(QStringLiteral("ppl.json")).value(QStringLiteral("llama_cpp_protocol")).toObject().value(QStringLiteral("results"))
                                .toObject().value(preset).toObject().value(QStringLiteral("ppl")).toDouble();
        qInfo("%s llama.cpp-protocol perplexity %.4f, llama-perplexity %.4f (%+.4f%%)", qPrintable(preset), r->ppl, want, 100 * (r->ppl / want - 1));
        QVERIFY(within(r->ppl, want, 0.003));
    }

    void rtnKlDivergence()
    {
        const QJsonObject ref = reference(QStringLiteral("quality.json")).value(QStringLiteral("results")).toObject().value(QStringLiteral("sotu-llama"))
                                    .toObject().value(QStringLiteral("rtn-w4g128")).toObject().value(QStringLiteral("heldout")).toObject();
        auto m = open(test::sharedPath(QStringLiteral("models/sotu-llama")));
        QVERIFY(m);
        auto base = Transformer::create(std::make_shared<WeightSource>(m));
        QVERIFY(base);
        QuantizeOptions opt;
        opt.plan.preset.clear();
        opt.plan.output = PlanOutput::HfCheckpoint;
        opt.plan.groupQuant = IntGroupFormat{IntGroupMethod::Rtn, 4, 128, false};
        auto weights = planWeights(m, opt);
        QVERIFY2(weights, weights ? "" : weights.error().describe().c_str());
        const Transformer rtn = base->withWeights(*weights);
        auto r = evaluate(rtn, &*base, windowsFor(*m, m_heldout, PplProtocol::HuggingFace));
        QVERIFY(r);
        const double kld = ref.value(QStringLiteral("kld_mean")).toDouble(), top1 = ref.value(QStringLiteral("top1_agree")).toDouble();
        qInfo("RTN w4g128: KLD %.6f (reference %.6f, %+.2f%%), top-1 %.5f (%.5f), p99 %.6f (%.6f), PPL %.4f (%.4f)", r->kldMean, kld,
              100 * (r->kldMean / kld - 1), r->top1Agree, top1, r->kldP99, ref.value(QStringLiteral("kld_p99")).toDouble(), r->ppl,
              ref.value(QStringLiteral("ppl")).toDouble());
        QVERIFY(within(r->kldMean, kld, 0.02));
        QVERIFY(within(r->top1Agree, top1, 0.02));
        QVERIFY(within(r->pplBase, 51.3759, 0.0005));
    }

    void importanceMatrixMatchesLlamaImatrix()
    {
        const std::string all = corpus(QStringLiteral("sotu_1790_2010"));
        const QString text = QString::fromUtf8(all.data(), static_cast<qsizetype>(all.size())).mid(2000000, 400000);
        auto m = open(test::sharedPath(QStringLiteral("models/sotu-llama")));
        QVERIFY(m);
        auto t = Transformer::create(std::make_shared<WeightSource>(m));
        QVERIFY(t);
        const QByteArray utf8 = text.toUtf8();
        const EvalWindows w = windowsFor(*m, std::string(utf8.constData(), static_cast<size_t>(utf8.size())), PplProtocol::LlamaCpp);
        auto sums = collectImportance(*t, w);
        QVERIFY(sums);
        sums->datasets = {"corpus/calib.txt"};
        auto golden = openGguf(test::sharedPath(QStringLiteral("golden/sotu-llama/imatrix.gguf")).toStdString());
        QVERIFY(golden);
        QCOMPARE(sums->chunks, golden->find("imatrix.chunk_count")->toInt().value_or(-1));
        int entries = 0;
        double worst = 0;
        std::string worstName;
        for (const auto &gt : golden->tensors) {
            if (!gt.name.ends_with(".in_sum2"))
                continue;
            const std::string name = gt.name.substr(0, gt.name.size() - 8);
            QVERIFY2(sums->sums.count(name), name.c_str());
            const auto &mine = sums->sums.at(name);
            QCOMPARE(int64_t(mine.size()), gt.elements);
            const auto bytes = golden->tensorBytes(gt);
            float count = 0;
            std::memcpy(&count, golden->tensorBytes(*golden->findTensor(name + ".counts")).data(), 4);
            QCOMPARE(double(sums->counts.at(name)), double(count));
            for (int64_t i = 0; i < gt.elements; ++i) {
                float want;
                std::memcpy(&want, bytes.data() + 4 * i, 4);
                const double rel = std::fabs(mine[static_cast<size_t>(i)] - want) / std::max(1e-30, static_cast<double>(std::fabs(want)));
                if (rel > worst) {
                    worst = rel;
                    worstName = name + "[" + std::to_string(i) + "]";
                }
            }
            ++entries;
        }
        qInfo("importance matrix: %d weights, worst relative difference %.3g at %s", entries, worst, worstName.c_str());
        QCOMPARE(entries, int(sums->sums.size()));
        QVERIFY(worst <= 0.01);
        // both files read back as llama-quantize reads them, to the same weights
        const QString gguf = m_dir.filePath(QStringLiteral("im.gguf")), dat = m_dir.filePath(QStringLiteral("im.dat"));
        QVERIFY(writeImportanceGguf(*sums, gguf.toStdString()));
        QVERIFY(writeImportanceDat(*sums, dat.toStdString()));
        auto a = loadImportanceMatrix(gguf.toStdString()), b = loadImportanceMatrix(dat.toStdString()),
             g = loadImportanceMatrix(test::sharedPath(QStringLiteral("golden/sotu-llama/imatrix.gguf")).toStdString());
        QVERIFY(a && b && g);
        QCOMPARE(a->chunks, g->chunks);
        QCOMPARE(b->chunks, g->chunks);
        QCOMPARE(b->dataset, std::string("corpus/calib.txt"));
        for (const auto &[name, v] : g->weights)
            for (size_t i = 0; i < v.size(); ++i) {
                QVERIFY(within(a->weights.at(name)[i], v[i], 0.01));
                QVERIFY(within(b->weights.at(name)[i], v[i], 0.01));
            }
    }

    // What is evaluated is what would be exported: a plan's fake quantization of the safetensors and the GGUF file
    // the exporter writes for it give the same perplexity to the last bit.
    void planEqualsItsExportedFile()
    {
        auto m = open(test::sharedPath(QStringLiteral("models/sotu-mini")));
        QVERIFY(m);
        const QString gguf = m_dir.filePath(QStringLiteral("mini-Q4_K_M.gguf"));
        QProcess q;
        q.start(test::cliPath(), {QStringLiteral("quantize"), test::sharedPath(QStringLiteral("models/sotu-mini")), QStringLiteral("--preset"),
                                  QStringLiteral("Q4_K_M"), QStringLiteral("-o"), gguf});
        QVERIFY(q.waitForFinished(120000) && q.exitCode() == 0);
        auto file = open(gguf);
        QVERIFY(file);
        QuantizeOptions opt;
        opt.plan.preset = "Q4_K_M";
        auto weights = planWeights(m, opt);
        QVERIFY(weights);
        auto planned = Transformer::create(*weights);
        auto exported = Transformer::create(std::make_shared<WeightSource>(file));
        QVERIFY(planned && exported);
        EvalWindows w = windowsFor(*m, m_heldout.substr(0, 60000), PplProtocol::HuggingFace);
        auto a = evaluate(*planned, nullptr, w), b = evaluate(*exported, nullptr, w);
        QVERIFY(a && b);
        qInfo("Q4_K_M plan %.10f, exported file %.10f", a->ppl, b->ppl);
        QCOMPARE(a->ppl, b->ppl);
    }
};

QS_TEST_MAIN_SHARED(TestEvalReference)
#include "tst_eval_reference.moc"
