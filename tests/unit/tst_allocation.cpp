// Allocation to a byte budget: against exhaustive search on small problems (never over the budget, never far from
// the optimum, exactly optimal when every item's options lie on their hull), groups sharing a format, kind groups
// (vLLM's fused layers), pins, budgets too small, and the plan it makes for the demo model from a measured
// sensitivity; device budgets through the VRAM estimator; the weight-space proxy where nothing was measured.
#include "analysis/analysis_engine.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/sensitivity.h"
#include "io/small_file.h"
#include "optimize/allocation.h"
#include "pipeline/allocate_plan.h"
#include "model/tensor_names.h"
#include "plan/resolve.h"
#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <functional>
#include <optional>
#include <random>
#include <set>

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

// the same with every tensor of kind group 0 taking candidates of one kind
double bruteForceKinds(const AllocationProblem &p)
{
    double best = std::numeric_limits<double>::infinity();
    std::function<void(size_t, uint64_t, double, std::string)> go = [&](size_t i, uint64_t bytes, double cost, std::string kind) {
        if (bytes > p.budget)
            return;
        if (i == p.tensors.size()) {
            best = std::min(best, cost);
            return;
        }
        for (const AllocationCandidate &k : p.tensors[i].candidates) {
            if (p.tensors[i].kindGroup == 0 && !kind.empty() && k.kind != kind)
                continue;
            go(i + 1, bytes + k.bytes, cost + k.cost, p.tensors[i].kindGroup == 0 ? k.kind : kind);
        }
    };
    go(0, 0, 0, {});
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
    std::optional<SensitivityResults> m_sens; // the demo model, Q2_K and Q6_K, two windows of 128 tokens

private Q_SLOTS:
    void initTestCase()
    {
        auto sens = test::demoSensitivity({QuantFormat::gguf(GgmlType::Q2_K), QuantFormat::gguf(GgmlType::Q6_K)});
        QVERIFY(sens);
        m_sens = std::move(*sens);
    }

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

    void kindGroupsAgreeOnTheKind()
    {
        // three fused tensors and two free ones; each fused tensor may stay unquantized (cheap in cost, dear in bytes) or
        // take any quantized format: against exhaustive search, and never a mix of kinds
        std::mt19937 rng(5);
        for (int trial = 0; trial < 40; ++trial) {
            AllocationProblem p = randomProblem(rng, 5, trial % 2 == 0);
            for (int t = 0; t < 5; ++t) {
                auto &cs = p.tensors[static_cast<size_t>(t)].candidates;
                for (auto &c : cs)
                    c.kind = "quantized";
                cs.push_back({"BF16", cs.back().bytes * 2, 0.0, "unquantized"});
                if (t < 3)
                    p.tensors[static_cast<size_t>(t)].kindGroup = 0;
            }
            uint64_t minB = 0, maxB = 0;
            for (const auto &t : p.tensors) {
                minB += t.candidates.front().bytes;
                maxB += t.candidates.back().bytes;
            }
            p.budget = minB + (maxB - minB) * (rng() % 100) / 100;
            auto a = allocate(p);
            QVERIFY2(a, a ? "" : a.error().message.c_str());
            QVERIFY(a->bytes <= p.budget);
            std::set<std::string> kinds;
            for (size_t i = 0; i < 3; ++i)
                kinds.insert(p.tensors[i].candidates[static_cast<size_t>(a->choice[i])].kind);
            QCOMPARE(kinds.size(), size_t(1));
            const double opt = bruteForceKinds(p);
            QVERIFY(a->cost >= opt * (1 - 1e-12));
            QVERIFY2(a->cost <= opt * 1.01 + 1e-300, qPrintable(QStringLiteral("cost %1, optimum %2").arg(a->cost).arg(opt)));
        }
        // a pin to an unquantized type takes the whole group with it
        AllocationProblem p;
        for (const char *name : {"q", "k", "v"}) {
            AllocationTensor t;
            t.name = name;
            t.kindGroup = 3;
            t.candidates = {{"Q4_K", 100, 1.0, "quantized"}, {"Q8_0", 200, 0.1, "quantized"}, {"BF16", 400, 0.0, "unquantized"}};
            p.tensors.push_back(t);
        }
        p.tensors[0].pinned = "BF16";
        p.budget = 1200;
        auto a = allocate(p);
        QVERIFY(a);
        QCOMPARE(a->choice, (std::vector<int>{2, 2, 2}));
        p.budget = 1000; // BF16 for q forces the others unquantized too: no room
        a = allocate(p);
        QVERIFY(!a);
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
        QTest::newRow("not a number") << "lots" << false << 0.0;
        QTest::newRow("not finite") << "nanMiB" << false << 0.0;
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

    void deviceBudgets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("context");
        QTest::addColumn<QString>("runtime"); // or a part of the error
        QTest::newRow("device at 8k") << "rtx-4090@8k" << true << qint64(8192) << "llama.cpp";
        QTest::newRow("with runtime") << "rtx-4090@8192:llama.cpp" << true << qint64(8192) << "llama.cpp";
        QTest::newRow("vllm") << "a100-80gb@32k:vllm" << true << qint64(32768) << "vllm";
        QTest::newRow("unknown device") << "rtx-9999@8k" << false << qint64(0) << "known devices include rtx-";
        QTest::newRow("no context") << "rtx-4090@" << false << qint64(0) << "DEVICE@CONTEXT";
        QTest::newRow("zero context") << "rtx-4090@0" << false << qint64(0) << "absurd";
        QTest::newRow("huge context") << "rtx-4090@99999k" << false << qint64(0) << "absurd";
        QTest::newRow("fractional context") << "rtx-4090@8.5" << false << qint64(0) << "absurd";
        QTest::newRow("exponent context") << "rtx-4090@1e4" << false << qint64(0) << "a context is a number of tokens";
        QTest::newRow("context in other units") << "rtx-4090@8g" << false << qint64(0) << "a context is a number of tokens";
        QTest::newRow("not a context") << "rtx-4090@lots" << false << qint64(0) << "a context is";
        QTest::newRow("transformers") << "rtx-4090@8k:transformers" << false << qint64(0) << "not GGUF";
        QTest::newRow("unknown runtime") << "rtx-4090@8k:ollama" << false << qint64(0) << "unknown runtime";
        QTest::newRow("vllm on a Mac") << "apple-m4-pro-48gb@8k:vllm" << false << qint64(0) << "GPUs";
    }
    void deviceBudgets()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qint64, context);
        QFETCH(QString, runtime);
        auto b = Budget::parse(text.toStdString());
        QVERIFY2(bool(b) == ok, b ? b->text().c_str() : b.error().message.c_str());
        if (!ok) {
            QVERIFY2(QString::fromStdString(b.error().message).contains(runtime), b.error().message.c_str());
            return;
        }
        QCOMPARE(b->kind, Budget::Kind::Device);
        QVERIFY(b->device);
        QCOMPARE(qint64(b->device->context), context);
        QCOMPARE(QString::fromLatin1(runtimeName(b->device->runtime)), runtime);
        QCOMPARE(b->device->runtimeGiven, text.contains(QLatin1Char(':')));
        auto devices = budgetDevices();
        QVERIFY(devices && devices->size() > 10);
    }

    void deviceBudgetOnTheDemoModel()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        QVERIFY(m_sens);
        Plan base;
        base.preset = "Q4_K_M";
        constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
        // a CPU of plenty: llama.cpp's CPU backend, every tensor in the same memory, no fixed overhead
        Device cpu;
        cpu.id = "test-cpu";
        cpu.name = "Test CPU";
        cpu.kind = "cpu";
        cpu.memoryGiB = 64;
        cpu.bandwidthGBs = 100;
        auto b = Budget::parse("test-cpu@512", {cpu});
        QVERIFY2(b, b ? "" : b.error().message.c_str());
        auto roomy = allocatePlan(**m, base, *m_sens, *b);
        QVERIFY2(roomy, roomy ? "" : roomy.error().message.c_str());
        QVERIFY(roomy->memory);
        QVERIFY(roomy->memory->kv.bytes > 0 && roomy->memory->compute > 0);
        QVERIFY(roomy->memory->total() <= roomy->deviceLimit);
        QVERIFY(std::any_of(roomy->notes.begin(), roomy->notes.end(), [](const std::string &n) { return n.find("KV cache") != std::string::npos; }));
        const uint64_t nonWeights = roomy->memory->total() - roomy->memory->weights;
        // room for the preset's bytes beside the KV cache and buffers: the plan fits there, in fewer bytes than on the roomy one
        auto presetBytes = planTensorBytes(**m, base, false);
        QVERIFY(presetBytes);
        Device mid = cpu;
        mid.memoryGiB = static_cast<double>(nonWeights + *presetBytes) / kGiB;
        auto tight = allocatePlan(**m, base, *m_sens, *Budget::parse("test-cpu@512", {mid}));
        QVERIFY2(tight, tight ? "" : tight.error().message.c_str());
        QVERIFY(tight->memory->total() <= tight->deviceLimit);
        QVERIFY(tight->bytes <= *presetBytes);
        QVERIFY(tight->bytes < roomy->bytes);
        QVERIFY(tight->predictedKld >= roomy->predictedKld);
        // a thousand bytes beside the buffers: not even the smallest plan, and the message says by how much
        Device tiny = cpu;
        tiny.memoryGiB = static_cast<double>(nonWeights + 1000) / kGiB;
        auto none = allocatePlan(**m, base, *m_sens, *Budget::parse("test-cpu@512", {tiny}));
        QVERIFY(!none);
        QVERIFY2(QString::fromStdString(none.error().message).contains(QLatin1String("too small even for the smallest plan")) &&
                     QString::fromStdString(none.error().message).contains(QLatin1String("more than")),
                 none.error().message.c_str());
        // at a context whose KV cache alone outgrows the device
        none = allocatePlan(**m, base, *m_sens, *Budget::parse("test-cpu@16m", {mid}));
        QVERIFY(!none);
        QVERIFY2(QString::fromStdString(none.error().message).contains(QLatin1String("too small for any plan")), none.error().message.c_str());
        // a real GPU from the database: llama.cpp's CUDA overhead counted, and a context past the trained one noted
        auto gpu = allocatePlan(**m, base, *m_sens, *Budget::parse("rtx-4090@8k"));
        QVERIFY2(gpu, gpu ? "" : gpu.error().message.c_str());
        QVERIFY(gpu->memory->overhead > 0);
        QVERIFY(std::any_of(gpu->notes.begin(), gpu->notes.end(), [](const std::string &n) { return n.find("trained context") != std::string::npos; }));
    }

    void vllmFusedLayersShareTheirKind()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        auto tensors = planTensorsFor(**m);
        QVERIFY(tensors);
        QVERIFY(fusedGroups(*tensors, Runtime::LlamaCppCuda).empty());
        const auto groups = fusedGroups(*tensors, Runtime::Vllm);
        QCOMPARE(groups.size(), size_t(2 * (*m)->architecture().layers)); // qkv_proj and gate_up_proj per layer
        QCOMPARE(groups.front().tensors.size(), size_t(3));
        // q dear to quantize (alone it would stay BF16), k and v cheap: llama.cpp mixes kinds within q/k/v, vLLM cannot
        SensitivityResults sens;
        sens.formats = {QuantFormat::gguf(GgmlType::Q4_K), QuantFormat::gguf(GgmlType::Q8_0)};
        for (const PlanTensor &t : *tensors) {
            const TensorNameInfo info = describeGgufName(t.name);
            if (info.layer < 0 || t.ne.size() != 2)
                continue;
            sens.tensors.push_back(t.name);
            const bool q = info.role == TensorRole::AttnQ;
            sens.kld.push_back(q ? 1.0f : 0.002f);
            sens.kld.push_back(q ? 0.5f : 0.001f);
        }
        Plan base;
        base.preset = "Q4_K_M";
        auto presetBytes = planTensorBytes(**m, base, false);
        QVERIFY(presetBytes);
        const Budget budget{Budget::Kind::Bytes, static_cast<double>(*presetBytes + 200000), std::nullopt};
        auto kindOf = [](GgmlType t) { return t == GgmlType::BF16 || t == GgmlType::F16 || t == GgmlType::F32; };
        auto mixes = [&](const AllocatedPlan &r) {
            int mixed = 0;
            for (const FusedGroup &g : groups) {
                std::set<bool> kinds;
                for (const std::string &name : g.tensors)
                    kinds.insert(kindOf(r.plan.overrides.at(name)));
                mixed += kinds.size() > 1;
            }
            return mixed;
        };
        AllocateOptions llama;
        auto r = allocatePlan(**m, base, sens, budget, llama);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(mixes(*r) > 0); // without the constraint the allocation would mix them: the check below can fail
        AllocateOptions vllm;
        vllm.runtime = Runtime::Vllm;
        r = allocatePlan(**m, base, sens, budget, vllm);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(mixes(*r), 0);
        QCOMPARE(r->fusedGroups, int(groups.size()));
        QVERIFY(r->bytes <= r->budgetBytes);
        // a pin to BF16 on one shard takes its whole fused layer along
        vllm.pinned = {groups.front().tensors.back() + "=BF16"};
        r = allocatePlan(**m, base, sens, Budget{Budget::Kind::Bytes, static_cast<double>(*presetBytes + 400000), std::nullopt}, vllm);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        for (const std::string &name : groups.front().tensors)
            QVERIFY(kindOf(r->plan.overrides.at(name)));
    }

    void proxyStandsInWhereNothingWasMeasured()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        QVERIFY(m_sens);
        AnalysisOptions ao;
        ao.candidates = {QuantFormat::gguf(GgmlType::Q2_K), QuantFormat::gguf(GgmlType::Q4_K), QuantFormat::gguf(GgmlType::Q6_K)};
        ao.heatmaps = false;
        auto analysis = analyzeModel(**m, ao);
        QVERIFY(analysis);
        // measured: Q2_K and Q6_K; Q4_K only analysed. Its proxy cost is finite and falls between the measured ones
        const AllocationCosts costs(*m_sens, &*analysis);
        QVERIFY(costs.calibration().measuredPairs > 0);
        qInfo("proxy factor over every measured pair: %.4g (KLD per unit of squared weight error)", costs.calibration().globalFactor);
        int between = 0;
        for (const std::string &name : m_sens->tensors) {
            bool p2 = true, p4 = false, p6 = true;
            const double c2 = costs.cost(name, GgmlType::Q2_K, &p2), c4 = costs.cost(name, GgmlType::Q4_K, &p4),
                         c6 = costs.cost(name, GgmlType::Q6_K, &p6);
            QVERIFY(!p2 && !p6 && p4);
            QVERIFY2(std::isfinite(c4) && c4 > 0, name.c_str());
            QVERIFY2(c4 < c2, qPrintable(QStringLiteral("%1: Q2_K %2, Q4_K (proxy) %3").arg(QString::fromStdString(name)).arg(c2).arg(c4)));
            between += c6 <= c4;
        }
        // Q6_K's measured KLD is near the noise floor on two windows: most, not all, lie below the Q4_K proxy
        QVERIFY2(between * 4 >= int(m_sens->tensors.size()) * 3, qPrintable(QStringLiteral("%1 of %2").arg(between).arg(m_sens->tensors.size())));
        Plan base;
        base.preset = "Q4_K_M";
        AllocateOptions withAnalysis;
        withAnalysis.analysis = &*analysis;
        auto r = allocatePlan(**m, base, *m_sens, Budget{Budget::Kind::BitsPerWeight, 5.0, std::nullopt}, withAnalysis);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(r->restsOnProxy());
        QVERIFY(r->proxy.measuredCosts > 0);
        QVERIFY(std::any_of(r->notes.begin(), r->notes.end(), [](const std::string &n) { return n.find("proxy") != std::string::npos; }));
        // no measurement at all: the analysis alone gives a plan, and says it rests on the proxy
        r = allocatePlan(**m, base, SensitivityResults{}, Budget{Budget::Kind::BitsPerWeight, 5.0, std::nullopt}, withAnalysis);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->proxy.measuredCosts, 0);
        QVERIFY(r->proxy.defaultFactor);
        QVERIFY(r->allocated > 0 && r->bitsPerWeight() <= 5.0 + 1e-9);
        QVERIFY(std::any_of(r->notes.begin(), r->notes.end(), [](const std::string &n) { return n.find("proxy") != std::string::npos; }));
        // neither: an error that says what to run
        auto none = allocatePlan(**m, base, SensitivityResults{}, Budget{Budget::Kind::BitsPerWeight, 5.0, std::nullopt}, AllocateOptions{});
        QVERIFY(!none);
        QVERIFY(QString::fromStdString(none.error().message).contains(QLatin1String("quantscope-cli analyze")));
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
