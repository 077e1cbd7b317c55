// Allocation to a byte budget: against exhaustive search on small problems (never over the budget, never far from
// the optimum, exactly optimal when every item's options lie on their hull), groups sharing a format, pins, budgets
// too small, and the plan it makes for the demo model from a measured sensitivity.
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/sensitivity.h"
#include "io/small_file.h"
#include "optimize/allocation.h"
#include "pipeline/allocate_plan.h"
#include "plan/resolve.h"
#include "test_support.h"

#include <QtTest>

#include <functional>
#include <random>

using namespace qs;

namespace {

// the least cost within the budget, trying every combination
double bruteForce(const AllocationProblem &p)
{
    double best = std::numeric_limits<double>::infinity();
    std::vector<int> c(p.tensors.size(), 0);
    std::function<void(size_t, uint64_t, double)> go = [&](size_t i, uint64_t bytes, double cost) {
        if (bytes > p.budget)
            return;
        if (i == p.tensors.size()) {
            best = std::min(best, cost);
            return;
        }
        for (const AllocationCandidate &k : p.tensors[i].candidates)
            go(i + 1, bytes + k.bytes, cost + k.cost);
    };
    go(0, 0, 0);
    return best;
}

AllocationProblem randomProblem(std::mt19937 &rng, int tensors, bool convex)
{
    static const char *kFormats[] = {"Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_0"};
    AllocationProblem p;
    uint64_t minB = 0, maxB = 0;
    for (int t = 0; t < tensors; ++t) {
        AllocationTensor at;
        at.name = "t" + std::to_string(t);
        const double size = 1000 + rng() % 9000, sens = std::exp(std::uniform_real_distribution<double>(-3, 3)(rng));
        for (int f = 0; f < 6; ++f) {
            const double bits = 2.6 + f * 1.1;
            // damage halves (convex) or roughly halves (noisy) per extra bit
            double cost = sens * std::pow(0.25, bits);
            if (!convex)
                cost *= std::uniform_real_distribution<double>(0.5, 1.5)(rng);
            at.candidates.push_back({kFormats[f], static_cast<uint64_t>(size * bits / 8), cost});
        }
        minB += at.candidates.front().bytes;
        maxB += at.candidates.back().bytes;
        p.tensors.push_back(at);
    }
    p.budget = minB + (maxB - minB) * (rng() % 100) / 100;
    return p;
}

} // namespace

class TestAllocation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void againstExhaustiveSearch_data()
    {
        QTest::addColumn<bool>("convex");
        QTest::newRow("options on their hull") << true;
        QTest::newRow("noisy measurements") << false;
    }
    void againstExhaustiveSearch()
    {
        QFETCH(bool, convex);
        std::mt19937 rng(convex ? 7 : 11);
        double worstGap = 0;
        for (int trial = 0; trial < 60; ++trial) {
            const AllocationProblem p = randomProblem(rng, 5, convex);
            auto a = allocate(p);
            QVERIFY2(a, a ? "" : a.error().message.c_str());
            QVERIFY(a->bytes <= p.budget);
            uint64_t bytes = 0;
            double cost = 0;
            for (size_t i = 0; i < p.tensors.size(); ++i) {
                bytes += p.tensors[i].candidates[static_cast<size_t>(a->choice[i])].bytes;
                cost += p.tensors[i].candidates[static_cast<size_t>(a->choice[i])].cost;
            }
            QCOMPARE(bytes, a->bytes);
            QVERIFY(qFuzzyCompare(cost, a->cost));
            const double opt = bruteForce(p);
            QVERIFY(cost >= opt * (1 - 1e-12));
            worstGap = std::max(worstGap, cost / opt - 1);
            if (cost / opt - 1 > 0.01) {
                for (size_t i = 0; i < p.tensors.size(); ++i) {
                    QString line;
                    for (const auto &c : p.tensors[i].candidates)
                        line += QStringLiteral(" %1:%2").arg(c.bytes).arg(c.cost, 0, 'g', 4);
                    qInfo("t%zu choice %d:%s", i, a->choice[i], qPrintable(line));
                }
                qInfo("budget %llu bytes %llu cost %g opt %g", (unsigned long long)p.budget, (unsigned long long)a->bytes, cost, opt);
            }
        }
        qInfo("worst cost above the exhaustive optimum over 60 problems: %.2f%%", 100 * worstGap);
        // the knapsack's rounding to 1/8192 of the budget is all that separates it from the optimum
        QVERIFY(worstGap < 0.01);
    }

    void groupsShareAFormat()
    {
        AllocationProblem p;
        for (const char *name : {"q", "k", "v"}) {
            AllocationTensor t;
            t.name = name;
            t.group = 1;
            t.candidates = {{"Q4_K", 100, 1.0}, {"Q8_0", 200, 0.1}};
            if (std::string(name) == "k")
                t.candidates[1].cost = 5.0; // k alone would never take Q8_0, but it shares the group's choice
            p.tensors.push_back(t);
        }
        p.budget = 600;
        auto a = allocate(p);
        QVERIFY(a);
        QCOMPARE(a->choice, (std::vector<int>{0, 0, 0})); // together Q8_0 costs 0.1 + 5 + 0.1, more than Q4_K's 3
        p.tensors[1].candidates[1].cost = 0.5;
        a = allocate(p);
        QVERIFY(a);
        QCOMPARE(a->choice, (std::vector<int>{1, 1, 1}));
        p.budget = 599; // the group cannot move alone
        a = allocate(p);
        QVERIFY(a);
        QCOMPARE(a->choice, (std::vector<int>{0, 0, 0}));
    }

    void pinsAndRefusals()
    {
        AllocationProblem p;
        p.tensors = {{"a", {{"Q4_K", 100, 1.0}, {"Q8_0", 200, 0.1}}, -1, "Q4_K"}, {"b", {{"Q4_K", 100, 1.0}, {"Q8_0", 200, 0.5}}, -1, ""}};
        p.budget = 300;
        auto a = allocate(p);
        QVERIFY(a);
        QCOMPARE(a->choice, (std::vector<int>{0, 1})); // a is pinned: the bytes go to b
        p.budget = 199;
        a = allocate(p);
        QVERIFY(!a);
        QVERIFY2(QString::fromStdString(a.error().message).contains(QLatin1String("200 bytes")), a.error().message.c_str());
        p.tensors[0].pinned = "IQ1_S";
        p.budget = 1000;
        a = allocate(p);
        QVERIFY(!a);
        QVERIFY(QString::fromStdString(a.error().message).contains(QLatin1String("pinned to IQ1_S")));
        // an unmeasured format (NaN) is not an option
        p.tensors[0].pinned.clear();
        p.tensors[0].candidates[1].cost = std::numeric_limits<double>::quiet_NaN();
        a = allocate(p);
        QVERIFY(a);
        QCOMPARE(a->choice[0], 0);
    }

    void budgets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<double>("bytes"); // or bpw
        QTest::newRow("bpw") << "4.5bpw" << true << 4.5;
        QTest::newRow("MiB") << "13MiB" << true << 13.0 * 1048576;
        QTest::newRow("MB with a space") << "13.5 MB" << true << 13.5e6;
        QTest::newRow("bytes") << "46297824" << true << 46297824.0;
        QTest::newRow("GiB") << "1.5GiB" << true << 1.5 * 1073741824;
        QTest::newRow("negative") << "-3MiB" << false << 0.0;
        QTest::newRow("unknown unit") << "13 parsecs" << false << 0.0;
        QTest::newRow("absurd bpw") << "64bpw" << false << 0.0;
        QTest::newRow("absurd size") << "1e30" << false << 0.0;
        QTest::newRow("empty") << "" << false << 0.0;
    }
    void budgets()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(double, bytes);
        auto b = Budget::parse(text.toStdString());
        QCOMPARE(bool(b), ok);
        if (ok)
            QCOMPARE(b->value, bytes);
    }

    void planForTheDemoModel()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        const auto ids = test::demoTokens();
        auto w = makeEvalWindows(ids, PplProtocol::HuggingFace, 128, -1, 2);
        QVERIFY(w);
        auto t = Transformer::create(std::make_shared<WeightSource>(*m));
        QVERIFY(t);
        SensitivityOptions so;
        so.formats = {QuantFormat::gguf(GgmlType::Q2_K), QuantFormat::gguf(GgmlType::Q4_K), QuantFormat::gguf(GgmlType::Q6_K)};
        auto sens = measureSensitivity(*t, *w, so);
        QVERIFY(sens);
        Plan base;
        base.preset = "Q4_K_M";
        auto preset = resolveForModel(**m, base, false);
        QVERIFY(preset);
        uint64_t presetBytes = 0;
        for (const auto &pt : *preset)
            presetBytes += pt.bytes;
        // at the preset's own bytes: within them, every measured weight overridden, and less predicted damage than the
        // preset's choices where those were measured
        auto r = allocatePlan(**m, base, *sens, Budget{Budget::Kind::Bytes, double(presetBytes)});
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        QVERIFY(r->bytes <= presetBytes);
        QCOMPARE(r->allocated, int(sens->tensors.size()));
        QCOMPARE(r->plan.overrides.size(), sens->tensors.size());
        double presetKld = 0;
        bool presetMeasured = true;
        for (const auto &pt : *preset) {
            for (size_t i = 0; i < sens->tensors.size(); ++i)
                if (sens->tensors[i] == pt.ggufName) {
                    size_t f = 0;
                    while (f < so.formats.size() && !(so.formats[f] == pt.decision.format()))
                        ++f;
                    if (f == so.formats.size())
                        presetMeasured = false;
                    else
                        presetKld += sens->kld[sens->index(i, f)];
                }
        }
        if (presetMeasured) {
            qInfo("demo model at %llu bytes: predicted KLD allocated %.6f, preset Q4_K_M %.6f", static_cast<unsigned long long>(presetBytes),
                  r->predictedKld, presetKld);
            QVERIFY(r->predictedKld <= presetKld + 1e-9);
        }
        // a pin holds, a budget below the smallest formats is refused with the bytes needed
        r = allocatePlan(**m, base, *sens, Budget{Budget::Kind::BitsPerWeight, 5.0}, {"blk.0.ffn_down.weight=Q2_K"});
        QVERIFY(r);
        QCOMPARE(r->plan.overrides.at("blk.0.ffn_down.weight"), GgmlType::Q2_K);
        QVERIFY(r->bitsPerWeight() <= 5.0 + 1e-9);
        r = allocatePlan(**m, base, *sens, Budget{Budget::Kind::BitsPerWeight, 1.0});
        QVERIFY(!r);
        QVERIFY(QString::fromStdString(r.error().message).contains(QLatin1String("bytes")));
        QVERIFY(!allocatePlan(**m, base, *sens, Budget{Budget::Kind::BitsPerWeight, 5.0}, {"nonexistent=Q4_K"}));
        // a pin on a tensor that is never quantized is refused (it would not change the plan, only the arithmetic)
        r = allocatePlan(**m, base, *sens, Budget{Budget::Kind::BitsPerWeight, 5.0}, {"output_norm.weight=Q8_0"});
        QVERIFY(!r);
        QVERIFY(QString::fromStdString(r.error().message).contains(QLatin1String("never quantized")));
        // a measured tensor pinned to a type that was not measured keeps that type
        r = allocatePlan(**m, base, *sens, Budget{Budget::Kind::BitsPerWeight, 6.0}, {"blk.0.ffn_down.weight=Q5_K"});
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->plan.overrides.at("blk.0.ffn_down.weight"), GgmlType::Q5_K);
        QVERIFY(r->bytes <= r->budgetBytes);
        QVERIFY(!allocatePlan(**m, base, SensitivityResults{}, Budget{Budget::Kind::BitsPerWeight, 5.0}));
    }
};

QTEST_GUILESS_MAIN(TestAllocation)
#include "tst_allocation.moc"
