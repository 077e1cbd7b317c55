// AWQ end to end on sotu-llama, as the references were made (../shared/reference/quality.json): the exact calibration
// windows of reference/calibration.json, AutoAWQ's search (duo scaling on k/20, v->o skipped under GQA, clip search,
// zero point, groups of 128, FP inputs feeding each layer), then the Hugging Face perplexity protocol on the held-out
// text with fp32 compute: awq-w4g128 52.1192 and awq-w3g128 54.713, each within 0.3%. The grid point each layer's
// groups chose is printed beside AutoAWQ's, and Quantscope's variant (s = 1 among the candidates) is measured from the
// same search. Measured on a shared 2-core box: w4 52.1396 (+0.039%), w3 54.7610 (+0.088%), 18 of 18 grid choices
// equal to AutoAWQ's at each width; the variant 52.1232 at w4 (one group chose s = 1), identical at w3; ~37 min per
// width, 95% of it the q/k/v and gate/up candidates' block forwards (sgemm).
#include "calibration/calibration_set.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "pipeline/awq_quantize.h"
#include "solvers/awq.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cstdio>

#include <algorithm>
#include <cmath>

using namespace qs;

namespace {

QString corpus(const QString &name)
{
    QProcess p;
    p.start(QStringLiteral("zstd"), {QStringLiteral("-dc"), test::sharedPath(QStringLiteral("data/corpus/%1.txt.zst").arg(name))});
    p.waitForFinished(120000);
    return QString::fromUtf8(p.readAllStandardOutput());
}

std::string utf8(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), static_cast<size_t>(b.size()));
}

QJsonObject reference(const QString &key)
{
    QFile f(test::sharedPath(QStringLiteral("reference/quality.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("results")).toObject().value(QStringLiteral("sotu-llama"))
        .toObject().value(key).toObject();
}

int refGrid(const QJsonValue &v) { return v.isNull() ? AwqLayerChoice::kSkipped : v.toInt(); }

} // namespace

class TestAwqEndToEnd : public QObject {
    Q_OBJECT
    std::shared_ptr<const Model> m_model;
    CalibrationSet m_cal;
    EvalWindows m_heldout;

private Q_SLOTS:
    void initTestCase()
    {
        auto m = Model::open(test::sharedPath(QStringLiteral("models/sotu-llama")).toStdString());
        QVERIFY(m);
        m_model = *m;
        auto tok = tokenizerForModel(*m_model);
        QVERIFY(tok);
        const QString calib = corpus(QStringLiteral("sotu_1790_2010"));
        const std::vector<int32_t> ids = tok->encode(utf8(calib.left(calib.size() - 600000)));
        QFile f(test::sharedPath(QStringLiteral("reference/calibration.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto cal = calibrationFromJson(f.readAll().toStdString(), ids, "calibration.json");
        QVERIFY2(cal, cal ? "" : cal.error().describe().c_str());
        QCOMPARE(cal->windows(), int64_t(128));
        m_cal = *cal;
        auto w = makeEvalWindows(tok->encode(utf8(corpus(QStringLiteral("sotu_2011_2021")))), PplProtocol::HuggingFace, 512, -1);
        QVERIFY(w);
        m_heldout = *w;
    }

    void perplexityMatchesReference_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("bits");
        QTest::newRow("awq-w4g128") << "awq-w4g128" << 4;
        QTest::newRow("awq-w3g128") << "awq-w3g128" << 3;
    }
    void perplexityMatchesReference()
    {
        QFETCH(QString, key);
        QFETCH(int, bits);
        AwqOptions o;
        o.bits = bits;
        o.compareIdentity = true; // one search gives both: the reference's semantics and Quantscope's variant
        auto r = awqQuantize(m_model, m_cal, o);
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        QVERIFY(r->withIdentity);
        const AwqResult &variant = *r->withIdentity;
        QCOMPARE(variant.tensors.size(), size_t(42));
        QCOMPARE(r->tensors.size(), size_t(42)); // 7 Linears x 6 layers
        QCOMPARE(r->norms.size(), size_t(12));
        for (const auto &[name, t] : r->tensors)
            QVERIFY2(t.consistent() && t.format.method == IntGroupMethod::Awq, name.c_str());
        auto base = Transformer::create(std::make_shared<WeightSource>(m_model));
        QVERIFY(base);
        auto e = evaluate(base->withWeights(r->weights), nullptr, m_heldout);
        QVERIFY(e);
        auto ev = evaluate(base->withWeights(variant.weights), nullptr, m_heldout);
        QVERIFY(ev);
        const QJsonObject ref = reference(key);
        const double want = ref.value(QStringLiteral("heldout")).toObject().value(QStringLiteral("ppl")).toDouble();
        const QJsonArray grids = ref.value(QStringLiteral("awq_grid")).toArray();
        QCOMPARE(grids.size(), qsizetype(r->choices.size()));
        int matches = 0, searched = 0;
        for (const AwqLayerChoice &c : r->choices) {
            const QJsonObject g = grids.at(c.layer).toObject();
            const int want4[] = {refGrid(g.value(QStringLiteral("grid_qkv"))), refGrid(g.value(QStringLiteral("grid_vo"))),
                                 refGrid(g.value(QStringLiteral("grid_gate_up"))), refGrid(g.value(QStringLiteral("grid_down")))};
            const int got4[] = {c.qkv, c.vo, c.gateUp, c.down};
            for (int i = 0; i < 4; ++i)
                if (want4[i] != AwqLayerChoice::kSkipped) {
                    ++searched;
                    matches += got4[i] == want4[i];
                }
            QCOMPARE(c.vo, AwqLayerChoice::kSkipped); // GQA: 4 KV heads of 8
            qInfo("  layer %d grid qkv %2d (AutoAWQ %2d)  gate/up %2d (%2d)  down %2d (%2d)", c.layer, c.qkv, want4[0], c.gateUp, want4[2],
                  c.down, want4[3]);
        }
        qInfo("%s: PPL %.4f, reference %.4f (%+.3f%%); grid choices matching AutoAWQ's: %d of %d; quantized in %.1f s "
              "(layer forward %.1f, scale search %.1f, clip and quantize %.1f, both variants)",
              qPrintable(key), e->ppl, want, 100 * (e->ppl / want - 1), matches, searched, r->seconds, r->secondsForward, r->secondsScale,
              r->secondsClip);
        int identities = 0;
        for (const AwqLayerChoice &c : variant.choices)
            for (auto [grid, l] : {std::pair{c.qkv, &c.lossQkv}, std::pair{c.gateUp, &c.lossGateUp}, std::pair{c.down, &c.lossDown}}) {
                QCOMPARE(l->size(), size_t(21)); // the grid, then the identity
                const double chosen = grid == AwqScaleChoice::kIdentity ? l->back() : l->at(static_cast<size_t>(grid));
                QCOMPARE(chosen, *std::min_element(l->begin(), l->end())); // never worse than RTN on its own loss
                identities += grid == AwqScaleChoice::kIdentity;
            }
        qInfo("%s with the identity among the candidates: PPL %.4f (%+.4f against the reference semantics' %.4f); %d of %d groups chose s = 1",
              qPrintable(key), ev->ppl, ev->ppl - e->ppl, e->ppl, identities, 3 * int(variant.choices.size()));
        QVERIFY(std::fabs(e->ppl / want - 1) <= 0.003);
    }
};

static int realMain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qs::test::sharedDir().isEmpty()) {
        std::fprintf(stderr, "SKIPPED: tst_awq_end_to_end needs the ../shared test data (set QUANTSCOPE_SHARED_DIR); it is missing.\n");
        return qs::test::kSkipExitCode;
    }
    if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "5400000");
    TestAwqEndToEnd tc;
    return QTest::qExec(&tc, argc, argv);
}

// Opt-in (QUANTSCOPE_SLOW_TESTS=1): about 35 minutes per bit width on 2 cores, more than CI's budget.
int main(int argc, char **argv)
{
    if (qgetenv("QUANTSCOPE_SLOW_TESTS") != "1") {
        std::fprintf(stderr, "SKIPPED: tst_awq_end_to_end runs two whole AWQ searches (~35 minutes each on 2 cores); set "
                             "QUANTSCOPE_SLOW_TESTS=1 to run it.\n");
        return qs::test::kSkipExitCode;
    }
    return realMain(argc, argv);
}

#include "tst_awq_end_to_end.moc"
