// The plan as data: its JSON (versions, unknown keys, output, optional preset), tensor names in either spelling,
// and the warnings for parts of a plan that do nothing.
#include "export/quantize_job.h"
#include "plan/plan.h"
#include "plan/resolve.h"
#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace qs;

namespace {

std::shared_ptr<const Model> demo()
{
    auto m = Model::open(test::demoModelDir().toStdString());
    return m ? std::move(*m) : nullptr;
}

const PlannedTensor *find(const std::vector<PlannedTensor> &planned, const std::string &name)
{
    auto it = std::find_if(planned.begin(), planned.end(), [&](const PlannedTensor &p) { return p.ggufName == name; });
    return it == planned.end() ? nullptr : &*it;
}

std::vector<std::string> warningsFor(const Model &m, const Plan &plan)
{
    auto tensors = planTensorsFor(m);
    auto decisions = resolvePlan(plan, *tensors, m.architecture(), false);
    if (!decisions)
        return {decisions.error().message};
    std::vector<std::string> lines;
    for (const PlanWarning &w : planWarnings(plan, *tensors, *decisions))
        lines.push_back(w.text());
    return lines;
}

bool anyContains(const std::vector<std::string> &lines, const std::string &part)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string &l) { return l.find(part) != std::string::npos; });
}

} // namespace

class TestPlan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonVersionsAndOutput()
    {
        // plan/1 without a preset meant Q4_K_M; plan/2 without one means none
        QCOMPARE(Plan::fromJson(R"({"format":"quantscope.plan/1"})")->preset, std::string("Q4_K_M"));
        auto none = Plan::fromJson(R"({"format":"quantscope.plan/2","rules":[{"pattern":"attn_q","type":"Q8_0"}]})");
        QVERIFY(none.ok());
        QVERIFY(none->preset.empty());
        QCOMPARE(none->output, PlanOutput::Gguf);
        QCOMPARE(none->label(), std::string("custom"));
        auto back = Plan::fromJson(none->toJson());
        QVERIFY(back.ok());
        QCOMPARE(back->toJson(), none->toJson());
        QVERIFY(QString::fromStdString(none->toJson()).contains(QStringLiteral("quantscope.plan/2")));

        // integer group formats live in a Hugging Face checkpoint: that is the default output, and GGUF is refused
        auto gptq = Plan::fromJson(R"({"format":"quantscope.plan/2","group_quant":"gptq:4:128"})");
        QVERIFY(gptq.ok());
        QCOMPARE(gptq->output, PlanOutput::HfCheckpoint);
        QCOMPARE(gptq->label(), std::string("GPTQ 4-bit g128"));
        auto bad = Plan::fromJson(R"({"format":"quantscope.plan/2","output":"gguf","group_quant":"gptq:4:128"})");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("cannot hold GPTQ/AWQ") != std::string::npos, bad.error().message.c_str());
        QVERIFY(!Plan::fromJson(R"({"format":"quantscope.plan/2","output":"exl2"})").ok());
        // a programmatic plan with a group format saves as a checkpoint plan that reads back
        Plan p;
        p.groupQuant = IntGroupFormat::make(IntGroupMethod::Awq, 4, 128);
        auto reread = Plan::fromJson(p.toJson());
        QVERIFY2(reread.ok(), reread.ok() ? "" : reread.error().message.c_str());
        QCOMPARE(reread->output, PlanOutput::HfCheckpoint);
        QVERIFY(*reread->groupQuant == *p.groupQuant);
        // every integer group format reads back as itself, RTN with any group size too
        for (const char *id : {"rtn:4:256", "int4-g128-asym", "int8-row-sym", "rtn:3:64:sym", "gptq:2:64", "awq:4:-1", "gptq:8:32:asym"}) {
            auto f = IntGroupFormat::parse(id);
            QVERIFY2(f.ok(), id);
            auto again = IntGroupFormat::parse(f->id());
            QVERIFY2(again.ok() && *again == *f, f->id().c_str());
        }
    }

    void unknownKeysAreRejected_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("named");
        QTest::newRow("top level") << R"({"format":"quantscope.plan/2","rulez":[]})" << "rulez";
        QTest::newRow("in a rule") << R"({"format":"quantscope.plan/2","rules":[{"pattern":"x","typ":"Q8_0"}]})" << "typ";
        QTest::newRow("plan/1 too") << R"({"format":"quantscope.plan/1","overides":{}})" << "overides";
    }

    void unknownKeysAreRejected()
    {
        QFETCH(QString, json);
        QFETCH(QString, named);
        auto p = Plan::fromJson(json.toStdString());
        QVERIFY(!p.ok());
        QVERIFY2(QString::fromStdString(p.error().message).contains(u'"' + named + u'"'), p.error().message.c_str());
    }

    void withoutPresetOnlyRulesQuantize()
    {
        auto m = demo();
        QVERIFY(m);
        Plan plan;
        plan.preset.clear();
        plan.rules = {{"attn_q", GgmlType::Q8_0}};
        auto planned = resolveForModel(*m, plan, false);
        QVERIFY(planned.ok());
        for (const auto &p : *planned) {
            if (p.ggufName.find("attn_q") != std::string::npos) {
                QCOMPARE(p.decision.type, GgmlType::Q8_0);
                QCOMPARE(p.decision.format().id(), std::string("Q8_0"));
            } else {
                QVERIFY2(!p.decision.quantized, p.ggufName.c_str());
                QCOMPARE(p.decision.format().kind, QuantFormat::Kind::Keep);
            }
        }
        // the GGUF it would write says "mostly BF16" (32): most weights stay in BF16
        QuantizeOptions opt;
        opt.plan = plan;
        auto req = planQuantization(*m, opt, nullptr);
        QVERIFY2(req.ok(), req.ok() ? "" : req.error().describe().c_str());
        auto ft = std::find_if(req->metadata.begin(), req->metadata.end(), [](const GgufKeyValue &kv) { return kv.key == "general.file_type"; });
        QVERIFY(ft != req->metadata.end());
        QCOMPARE(ft->value.toUInt().value_or(0), uint64_t(32));
    }

    void namesInEitherSpelling()
    {
        auto m = demo();
        QVERIFY(m);
        Plan plan; // Q4_K_M
        plan.overrides["model.layers.0.mlp.down_proj.weight"] = GgmlType::Q8_0;
        plan.rules = {{"layers\\.1\\.self_attn\\.k_proj", GgmlType::Q5_0}};
        plan.groupOverrides.clear();
        auto planned = resolveForModel(*m, plan, false);
        QVERIFY(planned.ok());
        QCOMPARE(find(*planned, "blk.0.ffn_down.weight")->decision.type, GgmlType::Q8_0);
        QCOMPARE(find(*planned, "blk.1.attn_k.weight")->decision.type, GgmlType::Q5_0);
        QCOMPARE(find(*planned, "blk.1.attn_k.weight")->decision.rule, 0);
        QCOMPARE(find(*planned, "blk.0.attn_k.weight")->decision.type, GgmlType::Q4_K);
        // the exporter resolves the same way
        QuantizeOptions opt;
        opt.plan = plan;
        QuantizeResult summary;
        QVERIFY(planQuantization(*m, opt, &summary).ok());
        for (const auto &t : summary.tensors)
            if (t.name == "blk.0.ffn_down.weight")
                QCOMPARE(t.type, GgmlType::Q8_0);
        // GPTQ per-module choices by the Hugging Face name
        Plan g;
        g.preset.clear();
        g.groupOverrides["model.layers.1.mlp.up_proj.weight"] = IntGroupFormat::make(IntGroupMethod::Gptq, 8, 128);
        auto gp = resolveForModel(*m, g, false);
        QVERIFY(gp.ok());
        QVERIFY(find(*gp, "blk.1.ffn_up.weight")->decision.group.has_value());
        QCOMPARE(find(*gp, "blk.1.ffn_up.weight")->decision.format().id(), std::string("gptq:8:128"));
        QVERIFY(!find(*gp, "blk.0.ffn_up.weight")->decision.group.has_value());
    }

    void rulesKeepLlamaQuantizeSemantics()
    {
        // a rule that matches GGUF names is matched against GGUF names only, as llama-quantize does: "a" is in
        // every "model.layers..." name but decides only the GGUF names that contain an "a"
        auto m = demo();
        QVERIFY(m);
        Plan plan;
        plan.rules = {{"attn_q", GgmlType::Q8_0}, {"mlp\\.up", GgmlType::Q5_0}};
        auto planned = resolveForModel(*m, plan, false);
        QVERIFY(planned.ok());
        QCOMPARE(find(*planned, "blk.0.attn_q.weight")->decision.rule, 0);
        QCOMPARE(find(*planned, "blk.0.ffn_up.weight")->decision.rule, 1); // "mlp\.up" matches no GGUF name: Hugging Face spelling
        QCOMPARE(find(*planned, "blk.0.ffn_gate.weight")->decision.rule, -1);
        // "gate|layers\\.0" matches GGUF names (ffn_gate), so it is GGUF-spelled: layer 0's other tensors, which only
        // its Hugging Face half would match, stay with the preset
        Plan a;
        a.rules = {{"gate|layers\\.0", GgmlType::Q8_0}};
        const auto mixed = resolveForModel(*m, a, false);
        QVERIFY(mixed.ok());
        QCOMPARE(find(*mixed, "blk.1.ffn_gate.weight")->decision.rule, 0);
        QCOMPARE(find(*mixed, "blk.0.ffn_gate.weight")->decision.rule, 0);
        QCOMPARE(find(*mixed, "blk.0.attn_q.weight")->decision.rule, -1);
        QCOMPARE(find(*mixed, "blk.0.attn_q.weight")->decision.type, GgmlType::Q4_K);
        // llama-quantize gets GGUF names for both spellings, and a plan without a preset keeps the rest in BF16
        auto tensors = planTensorsFor(*m);
        Plan hf;
        hf.preset.clear();
        hf.rules = {{"mlp\\.up", GgmlType::Q5_0}};
        hf.overrides["model.layers.1.self_attn.q_proj.weight"] = GgmlType::Q8_0;
        const std::string cmd = hf.llamaQuantizeCommand("in.gguf", "out.gguf", &*tensors);
        QCOMPARE(cmd, std::string("llama-quantize --tensor-type '^blk\\.1\\.attn_q\\.weight$=q8_0' "
                                  "--tensor-type '^(blk\\.0\\.ffn_up\\.weight|blk\\.1\\.ffn_up\\.weight)$=q5_0' "
                                  "--tensor-type '.*=bf16' in.gguf out.gguf Q8_0"));
    }

    void outputTypeReachesATiedEmbedding()
    {
        // the demo model ties its embedding to the output: llama-quantize --output-tensor-type then sets the
        // embedding's type (unless --pure), and --token-embedding-type still wins for it
        auto m = demo();
        QVERIFY(m);
        Plan plan;
        plan.outputType = GgmlType::Q8_0;
        QCOMPARE(find(*resolveForModel(*m, plan, false), "token_embd.weight")->decision.type, GgmlType::Q8_0);
        plan.pure = true;
        QCOMPARE(find(*resolveForModel(*m, plan, false), "token_embd.weight")->decision.type, GgmlType::Q4_K);
        plan.pure = false;
        plan.rules = {{"token_embd", GgmlType::Q5_1}}; // a --tensor-type rule takes it before the output type does
        QCOMPARE(find(*resolveForModel(*m, plan, false), "token_embd.weight")->decision.type, GgmlType::Q5_1);
        plan.rules.clear();
        plan.tokenEmbeddingType = GgmlType::Q5_0;
        QCOMPARE(find(*resolveForModel(*m, plan, false), "token_embd.weight")->decision.type, GgmlType::Q5_0);
    }

    void partsThatDoNothingAreNamed()
    {
        auto m = demo();
        QVERIFY(m);
        Plan plan;
        plan.rules = {{"ffn", GgmlType::Q8_0}, {"ffn_down", GgmlType::Q6_K}, {"no_such_tensor", GgmlType::Q8_0},
                      {"attn_q", GgmlType::Q5_K}};
        plan.overrides["blk.9.attn_q.weight"] = GgmlType::Q8_0;
        plan.overrides["blk.0.attn_norm.weight"] = GgmlType::Q8_0;
        const auto w = warningsFor(*m, plan);
        QVERIFY(anyContains(w, "rule 2 'ffn_down' decides none of the 2 tensors it matches"));
        QVERIFY(anyContains(w, "rule 3 'no_such_tensor' matches no tensor"));
        QVERIFY(!anyContains(w, "rule 1"));
        QVERIFY(!anyContains(w, "rule 4"));
        QVERIFY(anyContains(w, "override for 'blk.9.attn_q.weight' names no tensor"));
        QVERIFY(anyContains(w, "override for 'blk.0.attn_norm.weight' does nothing"));
        QCOMPARE(w.size(), size_t(4));
        // a conversion preset takes no rules
        Plan f16;
        f16.preset = "F16";
        f16.rules = {{"attn_q", GgmlType::Q8_0}};
        QVERIFY(anyContains(warningsFor(*m, f16), "takes no rules"));
        // a clean plan has nothing to say
        QVERIFY(warningsFor(*m, Plan()).empty());
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "tst_plan.moc"
