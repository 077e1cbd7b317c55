// The one entry that turns a plan's GPTQ/AWQ/RTN choices into a checkpoint (solvePlan + writeSolvedCheckpoint), on
// the built-in demo model: which solver a plan needs and which plans one run cannot produce; the AWQ result written
// in AutoAWQ's GEMM layout with its folded norms; and for both solvers the written folder evaluating to exactly the
// perplexity of the result in memory.
#include "calibration/calibration_set.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "io/small_file.h"
#include "pipeline/solve_plan.h"
#include "solvers/awq.h"
#include "file_builders.h"
#include "test_support.h"

#include <QDateTime>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace qs;

class TestSolvePlan : public QObject {
    Q_OBJECT
    std::shared_ptr<const Model> m_model;
    std::vector<int32_t> m_ids;
    QTemporaryDir m_dir;

    static Plan groupPlan(const std::string &spec)
    {
        Plan p;
        p.preset.clear();
        p.output = PlanOutput::HfCheckpoint;
        auto f = IntGroupFormat::parse(spec);
        if (f)
            p.groupQuant = *f;
        return p;
    }

    double perplexity(const std::shared_ptr<WeightSource> &weights)
    {
        auto t = Transformer::create(weights);
        if (!t)
            return -1;
        auto w = makeEvalWindows(std::vector<int32_t>(m_ids.end() - 1024, m_ids.end()), PplProtocol::HuggingFace, 512, -1);
        if (!w)
            return -1;
        auto r = evaluate(*t, nullptr, *w);
        return r ? r->ppl : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        m_model = *m;
        m_ids = test::demoTokens();
        QVERIFY(m_ids.size() > 4096);
    }

    void solverOfAPlan_data()
    {
        QTest::addColumn<QString>("groupQuant");
        QTest::addColumn<QString>("override"); // on model.layers.0.mlp.down_proj.weight
        QTest::addColumn<int>("solver");       // IntGroupMethod, or -1: refused
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("layout");       // GroupCheckpointFormat
        QTest::newRow("gptq") << "gptq:4:128" << "" << int(IntGroupMethod::Gptq) << "" << int(GroupCheckpointFormat::Gptq);
        QTest::newRow("gptq with rtn") << "gptq:4:128" << "rtn:8:-1" << int(IntGroupMethod::Gptq) << "" << int(GroupCheckpointFormat::Gptq);
        QTest::newRow("awq 4-bit") << "awq:4:128" << "" << int(IntGroupMethod::Awq) << "" << int(GroupCheckpointFormat::AwqGemm);
        QTest::newRow("awq symmetric") << "awq:4:128:sym" << "" << int(IntGroupMethod::Awq) << "" << int(GroupCheckpointFormat::CompressedTensors);
        QTest::newRow("awq 8-bit") << "awq:8:128" << "" << int(IntGroupMethod::Awq) << "" << int(GroupCheckpointFormat::CompressedTensors);
        QTest::newRow("awq 3-bit") << "awq:3:128" << "" << int(IntGroupMethod::Awq) << "" << int(GroupCheckpointFormat::Gptq);
        QTest::newRow("awq with gptq") << "awq:4:128" << "gptq:4:128" << -1 << "mixes AWQ" << int(GroupCheckpointFormat::AwqGemm);
        QTest::newRow("awq two widths") << "awq:4:128" << "awq:8:128" << -1 << "different formats" << int(GroupCheckpointFormat::CompressedTensors);
        QTest::newRow("nothing") << "" << "" << -1 << "names no" << int(GroupCheckpointFormat::Gptq);
    }
    void solverOfAPlan()
    {
        QFETCH(QString, groupQuant);
        QFETCH(QString, override);
        QFETCH(int, solver);
        QFETCH(QString, message);
        QFETCH(int, layout);
        Plan p = groupPlan(groupQuant.toStdString());
        if (!override.isEmpty())
            p.groupOverrides["model.layers.0.mlp.down_proj.weight"] = *IntGroupFormat::parse(override.toStdString());
        QCOMPARE(int(defaultCheckpointFormat(p)), layout);
        const auto s = planSolver(p);
        QCOMPARE(bool(s), solver >= 0);
        if (s) {
            QCOMPARE(int(*s), solver);
            return;
        }
        QVERIFY2(QString::fromStdString(s.error().message).contains(message), s.error().message.c_str());
        // the run itself refuses it the same way, before calibrating anything
        auto cal = randomCalibration(m_ids, 2, 64, 1);
        QVERIFY(cal);
        const auto r = solvePlan(m_model, p, *cal, {});
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
    }

    void groupRulesCountToo()
    {
        // a rule naming AWQ beside a plan-wide GPTQ format is as unsolvable in one run as an override would be
        Plan p = groupPlan("gptq:4:128");
        PlanRule r;
        r.pattern = "ffn_down";
        r.group = *IntGroupFormat::parse("awq:4:128");
        p.rules.push_back(r);
        const auto s = planSolver(p);
        QVERIFY(!s);
        QVERIFY(QString::fromStdString(s.error().message).contains(QLatin1String("mixes AWQ")));
        QCOMPARE(int(defaultCheckpointFormat(p)), int(GroupCheckpointFormat::AwqGemm));
        // and the stand-in evaluation turns every solver's format into round-to-nearest, rules included
        bool changed = false;
        const Plan rtn = p.rtnStandIn(&changed);
        QVERIFY(changed);
        QCOMPARE(rtn.groupQuant->method, IntGroupMethod::Rtn);
        QCOMPARE(rtn.rules[0].group->method, IntGroupMethod::Rtn);
        QCOMPARE(rtn.rules[0].group->bits, 4);
        QCOMPARE(int(*planSolver(rtn)), int(IntGroupMethod::Gptq)); // RTN runs on GPTQ's driver
        rtn.rtnStandIn(&changed);
        QVERIFY(!changed);
    }

    void awqLeavingALinearOutIsRefused()
    {
        // AWQ folds each group's scales into the norm before it: every Linear reading that norm must be quantized
        Plan p = groupPlan("awq:4:128");
        p.groupQuant->groupSize = 96; // divides no row of the demo model: every Linear keeps its source type
        auto cal = randomCalibration(m_ids, 2, 64, 1);
        QVERIFY(cal);
        const auto r = solvePlan(m_model, p, *cal, {});
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).contains(QLatin1String("leaves")), r.error().message.c_str());
    }

    void writtenFolderEvaluatesAsSolved_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("solver");
        QTest::addColumn<int>("layout");
        QTest::newRow("awq w4g128, AutoAWQ GEMM") << "awq:4:128" << int(IntGroupMethod::Awq) << int(GroupCheckpointFormat::AwqGemm);
        QTest::newRow("awq w4g128, compressed-tensors") << "awq:4:128" << int(IntGroupMethod::Awq) << int(GroupCheckpointFormat::CompressedTensors);
        QTest::newRow("gptq w4g128, GPTQModel") << "gptq:4:128" << int(IntGroupMethod::Gptq) << int(GroupCheckpointFormat::Gptq);
    }
    void writtenFolderEvaluatesAsSolved()
    {
        QFETCH(QString, spec);
        QFETCH(int, solver);
        QFETCH(int, layout);
        auto cal = randomCalibration(m_ids, 8, 256, 7);
        QVERIFY(cal);
        auto solved = solvePlan(m_model, groupPlan(spec.toStdString()), *cal, {});
        QVERIFY2(solved, solved ? "" : solved.error().describe().c_str());
        QCOMPARE(int(solved->solver), solver);
        QCOMPARE(solved->tensors.size(), size_t(14));
        if (solver == int(IntGroupMethod::Awq)) {
            // two norms per layer carry the folded scales; q/k/v, gate/up and down record theirs (o under GQA does not)
            QCOMPARE(solved->replacements.size(), size_t(4));
            QVERIFY(solved->inputScales.count("model.layers.1.mlp.down_proj.weight"));
            QVERIFY(scaleRatio(solved->inputScales.at("model.layers.1.self_attn.q_proj.weight")) > 1.0);
            QCOMPARE(solved->awqChoices.size(), size_t(2));
        }
        const std::string dir = m_dir.filePath(QStringLiteral("out-%1").arg(QTest::currentDataTag())).toStdString();
        auto written = writeSolvedCheckpoint(*m_model, *solved, GroupCheckpointFormat(layout), dir);
        QVERIFY2(written, written ? "" : written.error().describe().c_str());
        // the norms are stored in the source dtype, and the result in memory already holds exactly those values
        for (const auto &[name, values] : solved->replacements) {
            const auto idx = (*written)->findTensor(name);
            QVERIFY(idx);
            QCOMPARE((*written)->tensors()[*idx].dtype, m_model->tensors()[*m_model->findTensor(name)].dtype);
        }
        const double inMemory = perplexity(solved->weights), fromFile = perplexity(std::make_shared<WeightSource>(*written));
        qInfo("%s: PPL in memory %.6f, from the written folder %.6f", qPrintable(spec), inMemory, fromFile);
        QVERIFY(inMemory > 1);
        QCOMPARE(fromFile, inMemory);
    }

    void spilledActivationsGiveTheSameResult_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("gptq") << "gptq:4:128";
        QTest::newRow("awq") << "awq:4:128";
    }
    void spilledActivationsGiveTheSameResult()
    {
        QFETCH(QString, spec);
        auto cal = randomCalibration(m_ids, 4, 128, 5);
        QVERIFY(cal);
        auto inMemory = solvePlan(m_model, groupPlan(spec.toStdString()), *cal, {});
        QVERIFY(inMemory);
        QTemporaryDir spill;
        SolveOptions o;
        o.gptq.spillDir = spill.path().toStdString();
        auto spilled = solvePlan(m_model, groupPlan(spec.toStdString()), *cal, o);
        QVERIFY2(spilled, spilled ? "" : spilled.error().describe().c_str());
        QCOMPARE(spilled->tensors.size(), inMemory->tensors.size());
        for (const auto &[name, t] : inMemory->tensors) {
            QVERIFY(spilled->tensors.at(name).codes == t.codes);
            QVERIFY(spilled->tensors.at(name).scales == t.scales);
        }
        QVERIFY(QDir(spill.path()).isEmpty()); // the spill file is unlinked as soon as it is made
        o.gptq.spillDir = spill.filePath(QStringLiteral("missing")).toStdString();
        const auto refused = solvePlan(m_model, groupPlan(spec.toStdString()), *cal, o);
        QVERIFY(!refused);
        QVERIFY2(QString::fromStdString(refused.error().describe()).contains(QLatin1String("missing")), refused.error().describe().c_str());
    }

    // a run cancelled in its second layer resumes from the first layer's saved record to exactly the fresh result:
    // codes, scales, folded norms, input scales, AWQ's choices, and the model the evaluation sees
    void resumesAfterTheLastSavedLayer_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("gptq") << "gptq:4:128";
        QTest::newRow("awq") << "awq:4:128";
    }
    void resumesAfterTheLastSavedLayer()
    {
        QFETCH(QString, spec);
        const Plan plan = groupPlan(spec.toStdString());
        auto cal = randomCalibration(m_ids, 4, 128, 11);
        QVERIFY(cal);
        QTemporaryDir dir;
        SolveOptions o;
        o.gptq.resumeDir = dir.path().toStdString();
        JobControl job;
        job.onProgress([&](const JobProgress &p) {
            if (p.item.rfind("layer 2 of", 0) == 0)
                job.cancel();
        });
        auto cut = solvePlan(m_model, plan, *cal, o, &job);
        QVERIFY(!cut);
        QVERIFY(cut.error().cancelled());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("layer-0.bin"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("layer-1.bin"))));

        auto resumed = solvePlan(m_model, plan, *cal, o);
        QVERIFY2(resumed, resumed ? "" : resumed.error().describe().c_str());
        QCOMPARE(resumed->resumedLayers, 1);
        auto fresh = solvePlan(m_model, plan, *cal, {});
        QVERIFY(fresh);
        QCOMPARE(fresh->resumedLayers, 0);
        QCOMPARE(resumed->tensors.size(), fresh->tensors.size());
        for (const auto &[name, t] : fresh->tensors) {
            QVERIFY2(resumed->tensors.at(name).codes == t.codes, name.c_str());
            QVERIFY2(resumed->tensors.at(name).scales == t.scales, name.c_str());
            QVERIFY2(resumed->tensors.at(name).zeros == t.zeros, name.c_str());
        }
        QVERIFY(resumed->replacements == fresh->replacements);
        QVERIFY(resumed->inputScales == fresh->inputScales);
        QCOMPARE(resumed->awqChoices.size(), fresh->awqChoices.size());
        for (size_t l = 0; l < fresh->awqChoices.size(); ++l) {
            QCOMPARE(resumed->awqChoices[l].qkv, fresh->awqChoices[l].qkv);
            QCOMPARE(resumed->awqChoices[l].down, fresh->awqChoices[l].down);
            QVERIFY(resumed->awqChoices[l].lossGateUp == fresh->awqChoices[l].lossGateUp);
        }
        QCOMPARE(perplexity(resumed->weights), perplexity(fresh->weights));

        // other settings do not pick these layers up; nor does a damaged record
        SolveOptions other = o;
        other.awqIdentity = true;
        other.gptq.damp = 0.02;
        auto otherRun = solvePlan(m_model, plan, *cal, other);
        QVERIFY(otherRun);
        QCOMPARE(otherRun->resumedLayers, 0);
        QFile layer(dir.filePath(QStringLiteral("layer-0.bin")));
        QVERIFY(layer.open(QIODevice::ReadWrite));
        QVERIFY(layer.resize(layer.size() / 2));
        layer.close();
        auto damaged = solvePlan(m_model, plan, *cal, o);
        QVERIFY(damaged);
        QCOMPARE(damaged->resumedLayers, 0);
        QCOMPARE(perplexity(damaged->weights), perplexity(fresh->weights));
    }

    // the resume key covers the model's files: the same folder rewritten (same shapes, a new modification time) does
    // not pick up layers solved from the old weights
    void resumeKeyFollowsTheModelFiles()
    {
        QTemporaryDir copy, dir;
        const QDir demo(test::demoModelDir());
        for (const QString &f : demo.entryList(QDir::Files))
            QVERIFY(QFile::copy(demo.filePath(f), copy.filePath(f)));
        auto model = Model::open(copy.path().toStdString());
        QVERIFY(model);
        auto cal = randomCalibration(m_ids, 4, 128, 11);
        QVERIFY(cal);
        SolveOptions o;
        o.gptq.resumeDir = dir.path().toStdString();
        JobControl job;
        job.onProgress([&](const JobProgress &p) {
            if (p.item.rfind("layer 2 of", 0) == 0)
                job.cancel();
        });
        QVERIFY(!solvePlan(*model, groupPlan("gptq:4:128"), *cal, o, &job));
        const QString weights = copy.filePath(demo.entryList({QStringLiteral("*.safetensors")}).value(0));
        QFile f(weights);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
        f.close();
        auto reopened = Model::open(copy.path().toStdString());
        QVERIFY(reopened);
        auto rerun = solvePlan(*reopened, groupPlan("gptq:4:128"), *cal, o);
        QVERIFY(rerun);
        QCOMPARE(rerun->resumedLayers, 0);
    }

    void awqScalesVIntoOWithoutGqa()
    {
        // a tiny llama whose v_proj and o_proj have the same shape (no GQA): AutoAWQ then scales o_proj's input by
        // dividing v_proj's rows, the path the demo model (GQA) never takes
        constexpr int64_t H = 64, F = 128, V = 256;
        std::mt19937 rng(3);
        std::normal_distribution<float> nd(0.0f, 0.05f);
        auto randn = [&](int64_t n, float scale) {
            std::vector<float> v(static_cast<size_t>(n));
            for (float &x : v)
                x = nd(rng) * scale;
            return v;
        };
        const std::string p = "model.layers.0.";
        std::vector<test::StTensor> ts = {{"model.embed_tokens.weight", "BF16", {V, H}, test::bf16Bytes(randn(V * H, 20))},
                                          {p + "input_layernorm.weight", "BF16", {H}, test::bf16Bytes(std::vector<float>(H, 1.0f))},
                                          {p + "self_attn.q_proj.weight", "BF16", {H, H}, test::bf16Bytes(randn(H * H, 1))},
                                          {p + "self_attn.k_proj.weight", "BF16", {H, H}, test::bf16Bytes(randn(H * H, 1))},
                                          {p + "self_attn.v_proj.weight", "BF16", {H, H}, test::bf16Bytes(randn(H * H, 1))},
                                          {p + "self_attn.o_proj.weight", "BF16", {H, H}, test::bf16Bytes(randn(H * H, 1))},
                                          {p + "post_attention_layernorm.weight", "BF16", {H}, test::bf16Bytes(std::vector<float>(H, 1.0f))},
                                          {p + "mlp.gate_proj.weight", "BF16", {F, H}, test::bf16Bytes(randn(F * H, 1))},
                                          {p + "mlp.up_proj.weight", "BF16", {F, H}, test::bf16Bytes(randn(F * H, 1))},
                                          {p + "mlp.down_proj.weight", "BF16", {H, F}, test::bf16Bytes(randn(H * F, 1))},
                                          {"model.norm.weight", "BF16", {H}, test::bf16Bytes(std::vector<float>(H, 1.0f))},
                                          {"lm_head.weight", "BF16", {V, H}, test::bf16Bytes(randn(V * H, 1))}};
        const QString dir = m_dir.filePath(QStringLiteral("mha-model"));
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(test::writeFile(dir + QStringLiteral("/model.safetensors"), test::makeSafetensors(ts)));
        QVERIFY(test::writeFile(dir + QStringLiteral("/config.json"),
                                R"({"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_hidden_layers": 1,
                                    "num_attention_heads": 4, "num_key_value_heads": 4, "intermediate_size": 128, "vocab_size": 256,
                                    "max_position_embeddings": 512, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
                                    "torch_dtype": "bfloat16", "tie_word_embeddings": false})"));
        auto m = Model::open(dir.toStdString());
        QVERIFY2(m, m ? "" : m.error().describe().c_str());
        std::vector<int32_t> ids(4096);
        for (auto &id : ids)
            id = static_cast<int32_t>(rng() % V);
        auto cal = randomCalibration(ids, 4, 128, 1);
        QVERIFY(cal);
        auto solved = solvePlan(*m, groupPlan("awq:4:32"), *cal, {});
        QVERIFY2(solved, solved ? "" : solved.error().describe().c_str());
        QCOMPARE(solved->awqChoices.size(), size_t(1));
        QVERIFY(solved->awqChoices[0].vo != AwqLayerChoice::kSkipped);
        QCOMPARE(solved->awqChoices[0].lossVo.size(), size_t(20));
        QVERIFY(solved->inputScales.count(p + "self_attn.o_proj.weight"));
        // the written folder (v's rows divided, o's columns multiplied, both quantized) evaluates as the result did
        auto written = writeSolvedCheckpoint(**m, *solved, GroupCheckpointFormat::AwqGemm, m_dir.filePath(QStringLiteral("mha-awq")).toStdString());
        QVERIFY2(written, written ? "" : written.error().describe().c_str());
        auto windows = makeEvalWindows(std::vector<int32_t>(ids.begin(), ids.begin() + 512), PplProtocol::HuggingFace, 128, -1);
        QVERIFY(windows);
        auto ppl = [&](const std::shared_ptr<WeightSource> &w) {
            auto t = Transformer::create(w);
            auto r = t ? evaluate(*t, nullptr, *windows) : Result<EvalResult>(makeError("no transformer"));
            return r ? r->ppl : -1.0;
        };
        const double inMemory = ppl(solved->weights), fromFile = ppl(std::make_shared<WeightSource>(*written));
        QVERIFY(inMemory > 1);
        QCOMPARE(fromFile, inMemory);
    }

    void awqIdentityVariantNeverLosesAGroup()
    {
        auto cal = randomCalibration(m_ids, 8, 256, 3);
        QVERIFY(cal);
        SolveOptions o;
        o.awqIdentity = true;
        auto r = solvePlan(m_model, groupPlan("awq:4:128"), *cal, o);
        QVERIFY(r);
        // every searched group tried the grid and then s = 1, and kept the candidate of least loss
        int identity = 0;
        for (const AwqLayerChoice &c : r->awqChoices)
            for (const auto &[k, losses] : {std::pair{c.qkv, c.lossQkv}, std::pair{c.gateUp, c.lossGateUp}, std::pair{c.down, c.lossDown}}) {
                QCOMPARE(losses.size(), size_t(21));
                const size_t chosen = k == AwqScaleChoice::kIdentity ? 20 : size_t(k);
                QCOMPARE(losses[chosen], *std::min_element(losses.begin(), losses.end()));
                identity += k == AwqScaleChoice::kIdentity;
            }
        qInfo("the identity was chosen by %d of %zu groups", identity, 3 * r->awqChoices.size());
    }
};

QTEST_GUILESS_MAIN(TestSolvePlan)
#include "tst_solve_plan.moc"
