// The plan as data: its JSON (versions, unknown keys, output, optional preset), tensor names in either spelling,
// and the warnings for parts of a plan that do nothing.
#include "export/quantize_job.h"
#include "plan/plan.h"
#include "plan/resolve.h"
#include "test_support.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
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
        const std::string cmd = *hf.llamaQuantizeCommand("in.gguf", "out.gguf", &*tensors);
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

    void groupFormatNamesReadBack_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("id");
        QTest::newRow("GPTQ name") << "GPTQ 4-bit g128" << "gptq:4:128";
        QTest::newRow("AWQ per-channel") << "AWQ 4-bit per-channel" << "awq:4:-1";
        QTest::newRow("RTN symmetric") << "RTN 8-bit g64 symmetric" << "int8-g64-sym";
        QTest::newRow("GPTQ asymmetric") << "gptq 3-bit g32 asymmetric" << "gptq:3:32:asym";
        QTest::newRow("any group size") << "RTN 4-bit g256" << "rtn:4:256";
        QTest::newRow("id") << "awq:4:128" << "awq:4:128";
    }

    void groupFormatNamesReadBack()
    {
        // what the studio shows (name()) reads back as the same format, as its id does
        QFETCH(QString, text);
        QFETCH(QString, id);
        auto f = IntGroupFormat::parse(text.toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : f.error().message.c_str());
        QCOMPARE(QString::fromStdString(f->id()), id);
        auto again = IntGroupFormat::parse(f->name());
        QVERIFY(again.ok() && *again == *f);
        for (const char *bad : {"GPTQ 5-bit g128", "GPTQ 4-bit g100", "EXL2 4-bit g128", "GPTQ 4 g128", "GPTQ 4-bit g128 sym"})
            QVERIFY2(!IntGroupFormat::parse(bad).ok(), bad);
    }

    void groupRulesInJson_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("written");  // what toJson writes back; empty: refused
        QTest::addColumn<bool>("group");
        QTest::newRow("GGUF") << "q6_k" << "Q6_K" << false;
        QTest::newRow("GPTQ id") << "gptq:4:128" << "gptq:4:128" << true;
        QTest::newRow("AWQ id") << "awq:4:128" << "awq:4:128" << true;
        QTest::newRow("RTN symmetric per-channel") << "rtn:8:-1:sym" << "int8-row-sym" << true;
        QTest::newRow("analysis spelling") << "int4-g128-asym" << "int4-g128-asym" << true;
        QTest::newRow("readable name") << "GPTQ 8-bit g128" << "gptq:8:128" << true;
        QTest::newRow("five bits") << "gptq:5:128" << "" << true;
        QTest::newRow("no such GGUF type") << "Q9_K" << "" << false;
    }

    void groupRulesInJson()
    {
        QFETCH(QString, type);
        QFETCH(QString, written);
        QFETCH(bool, group);
        // (plain strings: moc misreads a raw string that starts or ends with a quote)
        const std::string json = "{\"format\":\"quantscope.plan/2\",\"preset\":\"Q4_K_M\",\"rules\":[{\"pattern\":\"ffn_down\",\"type\":\"" +
                                 type.toStdString() + "\"}]}";
        auto p = Plan::fromJson(json);
        if (written.isEmpty()) {
            QVERIFY(!p.ok());
            QVERIFY2(p.error().message.rfind("rule 1: ", 0) == 0, p.error().message.c_str()); // says which rule
            QVERIFY2(p.error().message.find(type.toStdString()) != std::string::npos, p.error().message.c_str());
            return;
        }
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QCOMPARE(p->rules.size(), size_t(1));
        QCOMPARE(p->rules[0].group.has_value(), group);
        QCOMPARE(QString::fromStdString(p->rules[0].formatId()), written);
        QCOMPARE(p->hasGroupQuant(), group); // the CLI's quantize routes on it
        QCOMPARE(p->output, group ? PlanOutput::HfCheckpoint : PlanOutput::Gguf);
        QCOMPARE(p->label(), std::string(group ? "custom" : "Q4_K_M"));
        auto back = Plan::fromJson(p->toJson());
        QVERIFY(back.ok());
        QCOMPARE(back->toJson(), p->toJson());
        QVERIFY(back->rules[0] == p->rules[0]);
        QVERIFY(QString::fromStdString(p->toJson()).contains(QStringLiteral("\"type\": \"") + written + u'"'));
    }

    void oldPlanFilesStillRead_data()
    {
        QTest::addColumn<QString>("json");
        // as earlier versions wrote them: plan/1, plan/2 with GGUF rules, plan/2 with GPTQ choices
        QTest::newRow("plan/1") << R"({"format":"quantscope.plan/1","rules":[{"pattern":"ffn_down","type":"Q6_K"}],"overrides":{"output.weight":"Q8_0"},"pure":false})";
        QTest::newRow("plan/2 GGUF") << R"({"format":"quantscope.plan/2","output":"gguf","preset":"Q4_K_M","rules":[{"pattern":"attn_v","type":"Q8_0"}],)"
                                        R"("overrides":{},"output_type":"Q6_K","pure":false})";
        QTest::newRow("plan/2 GPTQ") << R"({"format":"quantscope.plan/2","output":"hf","rules":[],"overrides":{},"pure":false,)"
                                        R"("group_quant":"gptq:4:128","group_overrides":{"blk.1.ffn_down.weight":"gptq:8:128"}})";
    }

    void oldPlanFilesStillRead()
    {
        QFETCH(QString, json);
        auto p = Plan::fromJson(json.toStdString());
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QVERIFY(p->gptq.isDefault());
        for (const PlanRule &r : p->rules)
            QVERIFY(!r.group);
        // written again: the same plan, still without the GPTQ settings nobody set
        const QString again = QString::fromStdString(p->toJson());
        QVERIFY(!again.contains(QStringLiteral("\"gptq\"")));
        auto back = Plan::fromJson(again.toStdString());
        QVERIFY(back.ok());
        QCOMPARE(back->toJson(), p->toJson());
    }

    void gptqSettings_data()
    {
        QTest::addColumn<QString>("gptq");
        QTest::addColumn<QString>("refusal"); // a part of the message; empty: accepted
        QTest::newRow("act-order") << R"({"act_order":true})" << "";
        QTest::newRow("static groups with act-order") << R"({"act_order":true,"static_groups":true,"damp":0.05})" << "";
        QTest::newRow("damp only") << R"({"damp":0.1})" << "";
        QTest::newRow("damp zero") << R"({"damp":0})" << "gptq.damp";
        QTest::newRow("damp one") << R"({"damp":1})" << "between 0 and 1";
        QTest::newRow("damp negative") << R"({"damp":-0.01})" << "gptq.damp";
        QTest::newRow("damp text") << R"({"damp":"0.01"})" << "gptq.damp";
        QTest::newRow("static groups alone") << R"({"static_groups":true})" << "gptq.static_groups needs gptq.act_order";
        QTest::newRow("misspelt key") << R"({"actorder":true})" << "\"actorder\"";
        QTest::newRow("flag as text") << R"({"act_order":"yes"})" << "gptq.act_order";
        QTest::newRow("not an object") << R"(true)" << "gptq:";
    }

    void gptqSettings()
    {
        QFETCH(QString, gptq);
        QFETCH(QString, refusal);
        auto p = Plan::fromJson(R"({"format":"quantscope.plan/2","group_quant":"gptq:4:128","gptq":)" + gptq.toStdString() + "}");
        if (!refusal.isEmpty()) {
            QVERIFY(!p.ok());
            QVERIFY2(QString::fromStdString(p.error().message).contains(refusal), p.error().message.c_str());
            return;
        }
        QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
        QVERIFY(!p->gptq.isDefault());
        QVERIFY(p->gptq.check().ok());
        auto back = Plan::fromJson(p->toJson());
        QVERIFY(back.ok());
        QVERIFY(back->gptq == p->gptq);
        QCOMPARE(back->toJson(), p->toJson());
        // the defaults are not written
        Plan plain = *p;
        plain.gptq = GptqSettings{};
        QVERIFY(!QString::fromStdString(plain.toJson()).contains(QStringLiteral("gptq\":")));
        QVERIFY(!(GptqSettings{false, true, 0.01}).check().ok());
        QVERIFY(!(GptqSettings{true, false, std::nan("")}).check().ok());
    }

    void precedence_data()
    {
        QTest::addColumn<QString>("json"); // the plan without "format"
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("format"); // the decision's QuantFormat id
        QTest::addColumn<int>("rule");
        QTest::addColumn<QString>("reason"); // a part of the decision's reason
        QTest::newRow("group override > GGUF override")
            << R"("group_overrides":{"blk.0.attn_q.weight":"gptq:8:128"},"overrides":{"blk.0.attn_q.weight":"Q8_0"})"
            << "blk.0.attn_q.weight" << "gptq:8:128" << -1 << "override for this tensor";
        QTest::newRow("GGUF override > rule") << R"("overrides":{"blk.0.attn_q.weight":"Q5_0"},"rules":[{"pattern":"attn_q","type":"gptq:4:128"}])"
                                              << "blk.0.attn_q.weight" << "Q5_0" << -1 << "override";
        QTest::newRow("first rule, a group format") << R"("rules":[{"pattern":"attn_q","type":"gptq:4:128"},{"pattern":"attn_q","type":"Q8_0"}])"
                                                    << "blk.0.attn_q.weight" << "gptq:4:128" << 0 << "rule 1 'attn_q'";
        QTest::newRow("first rule, a GGUF type") << R"("rules":[{"pattern":"attn_q","type":"Q8_0"},{"pattern":"attn_q","type":"gptq:4:128"}])"
                                                 << "blk.0.attn_q.weight" << "Q8_0" << 0 << "rule 1";
        QTest::newRow("GGUF rule > plan-wide") << R"("group_quant":"gptq:4:128","rules":[{"pattern":"ffn_down","type":"Q6_K"}])"
                                               << "blk.1.ffn_down.weight" << "Q6_K" << 0 << "rule 1";
        QTest::newRow("group rule > plan-wide") << R"("group_quant":"gptq:4:128","rules":[{"pattern":"ffn_down","type":"gptq:8:128"}])"
                                                << "blk.1.ffn_down.weight" << "gptq:8:128" << 0 << "rule 1";
        QTest::newRow("plan-wide > preset") << R"("preset":"Q4_K_M","group_quant":"awq:4:128")"
                                            << "blk.1.attn_k.weight" << "awq:4:128" << -1 << "every Linear layer";
        QTest::newRow("plan-wide keeps the embedding") << R"("preset":"Q4_K_M","group_quant":"awq:4:128")"
                                                       << "token_embd.weight" << "keep" << -1 << "only the Linear layers";
        QTest::newRow("preset") << R"("preset":"Q4_K_M","rules":[{"pattern":"ffn_up","type":"gptq:4:128"}])"
                                << "blk.0.attn_q.weight" << "Q4_K" << -1 << "preset Q4_K_M";
        QTest::newRow("group rule outside the blocks") << R"("preset":"Q4_K_M","rules":[{"pattern":"token_embd","type":"gptq:4:128"}])"
                                                       << "token_embd.weight" << "keep" << 0 << "only the Linear layers";
        QTest::newRow("group rule that does not fit") << R"("preset":"Q4_K_M","rules":[{"pattern":"attn_q","type":"gptq:4:512"}])"
                                                      << "blk.0.attn_q.weight" << "keep" << 0 << "does not fit";
        QTest::newRow("group rule in Hugging Face spelling") << R"("rules":[{"pattern":"mlp\.up_proj","type":"rtn:4:64"}])"
                                                             << "blk.1.ffn_up.weight" << "int4-g64-asym" << 0 << "RTN 4-bit g64";
    }

    void precedence()
    {
        QFETCH(QString, json);
        QFETCH(QString, tensor);
        QFETCH(QString, format);
        QFETCH(int, rule);
        QFETCH(QString, reason);
        auto m = demo();
        QVERIFY(m);
        auto plan = Plan::fromJson(R"({"format":"quantscope.plan/2",)" + json.toStdString() + "}");
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().message.c_str());
        auto planned = resolveForModel(*m, *plan, false);
        QVERIFY2(planned.ok(), planned.ok() ? "" : planned.error().message.c_str());
        const PlannedTensor *t = find(*planned, tensor.toStdString());
        QVERIFY(t);
        QCOMPARE(QString::fromStdString(t->decision.format().id()), format);
        QCOMPARE(t->decision.rule, rule);
        QVERIFY2(QString::fromStdString(t->decision.reason).contains(reason), t->decision.reason.c_str());
        if (format == QLatin1String("keep"))
            QCOMPARE(t->decision.type, GgmlType::BF16); // the 16-bit source type
    }

    void mixedPlansAndGroupRulesAreWarnedAbout()
    {
        auto m = demo();
        QVERIFY(m);
        // GPTQ for the blocks, Q6_K for ffn_down by rule: no one file holds both
        Plan mixed;
        mixed.groupQuant = IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128);
        mixed.rules = {{"ffn_down", GgmlType::Q6_K}};
        auto w = warningsFor(*m, mixed);
        QVERIFY2(anyContains(w, "mixes GGUF formats (2 tensors, such as blk.0.ffn_down.weight in Q6_K) with GPTQ/AWQ/RTN formats (12 tensors)"),
                 w.empty() ? "" : w[0].c_str());
        auto tensors = planTensorsFor(*m);
        auto decisions = resolvePlan(mixed, *tensors, m->architecture(), false);
        const auto kinds = planWarnings(mixed, *tensors, *decisions);
        QCOMPARE(kinds.size(), size_t(1));
        QCOMPARE(kinds[0].kind, PlanWarning::Kind::MixedGgufAndGroup);
        QCOMPARE(kinds[0].matches, 2);
        QCOMPARE(kinds[0].groupMatches, 12);
        // one group override beside a GGUF preset is mixed too; a pure GPTQ plan, or one that converts the
        // embedding to F16 beside it, is not
        Plan one;
        one.groupOverrides["blk.0.attn_q.weight"] = IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128);
        QVERIFY(anyContains(warningsFor(*m, one), "mixes GGUF formats"));
        Plan gptq;
        gptq.groupQuant = IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128);
        QVERIFY(warningsFor(*m, gptq).empty());
        gptq.overrides["token_embd.weight"] = GgmlType::F16;
        QVERIFY(warningsFor(*m, gptq).empty());
        // a group rule that decides tensors but can pack none of them
        Plan embed;
        embed.rules = {{"token_embd", GgmlType::Q8_0, IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128)}};
        QVERIFY(anyContains(warningsFor(*m, embed), "rule 1 'token_embd' names GPTQ 4-bit g128, which none of the 1 tensors it decides can take"));
        // the GGUF exporter refuses any plan with group formats, group rules included, and writes nothing
        Plan byRule;
        byRule.rules = {{"ffn", GgmlType::Q8_0, IntGroupFormat::make(IntGroupMethod::Rtn, 4, 128)}};
        QVERIFY(byRule.hasGroupQuant());
        QuantizeOptions opt;
        opt.plan = byRule;
        auto req = planQuantization(*m, opt, nullptr);
        QVERIFY(!req.ok());
        QVERIFY(QString::fromStdString(req.error().describe()).contains(QStringLiteral("GPTQ/AWQ")));
    }

    void llamaQuantizeRefusesGroupFormats_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("named"); // a part of the refusal; empty: expressible
        QTest::newRow("GGUF only") << R"("rules":[{"pattern":"ffn_down","type":"Q6_K"}])" << "";
        QTest::newRow("group rule") << R"("rules":[{"pattern":"ffn_down","type":"Q6_K"},{"pattern":"attn","type":"gptq:4:128"}])"
                                    << "rule 2 'attn' (GPTQ 4-bit g128)";
        QTest::newRow("group override") << R"("group_overrides":{"blk.0.attn_q.weight":"awq:4:128"})" << "'blk.0.attn_q.weight' (AWQ 4-bit g128)";
        QTest::newRow("plan-wide") << R"("group_quant":"rtn:8:-1:sym")" << "RTN 8-bit per-channel symmetric";
    }

    void llamaQuantizeRefusesGroupFormats()
    {
        QFETCH(QString, json);
        QFETCH(QString, named);
        auto plan = Plan::fromJson(R"({"format":"quantscope.plan/2",)" + json.toStdString() + "}");
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().message.c_str());
        auto args = plan->llamaQuantizeArgs();
        auto cmd = plan->llamaQuantizeCommand("in.gguf", "out.gguf");
        QCOMPARE(args.ok(), named.isEmpty());
        QCOMPARE(cmd.ok(), named.isEmpty());
        if (!named.isEmpty()) {
            QVERIFY2(QString::fromStdString(args.error().message).contains(QStringLiteral("llama-quantize cannot express")), args.error().message.c_str());
            QVERIFY2(QString::fromStdString(cmd.error().message).contains(named), cmd.error().message.c_str());
        }
    }

    void checkRuleKnowsGroupFormats()
    {
        QVERIFY(checkRule({"ffn", GgmlType::Q8_0, IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128)}).ok());
        const Status five = checkRule({"ffn", GgmlType::Q8_0, IntGroupFormat{IntGroupMethod::Gptq, 5, 128, true}});
        QVERIFY(!five.ok());
        QVERIFY2(five.error().message.find("rule 'ffn'") != std::string::npos, five.error().message.c_str());
        QVERIFY(!checkRule({"(", GgmlType::Q8_0, IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128)}).ok());
        // a bad group rule stops resolution, as a bad regex does
        auto m = demo();
        Plan p;
        p.rules = {{"ffn", GgmlType::Q8_0, IntGroupFormat{IntGroupMethod::Awq, 4, 100, false}}};
        QVERIFY(!resolveForModel(*m, p, false).ok());
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "tst_plan.moc"
