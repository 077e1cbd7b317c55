// Benchmark: what one plan edit in the studio costs. PlanDocument re-resolves the whole plan on every edit
// (resolvePlan, each tensor's bytes, and planWarnings), on the event loop, so it must stay far under the 20 ms an
// edit may take. Measured on the tensor lists of a Llama-3-8B and a Llama-3-70B (no files: the planner works on
// names and shapes), for a preset alone (the baseline) and for a preset with rules and overrides in both spellings.
// Prints figures; never passes or fails on the clock.
#include "plan/plan.h"
#include "plan/resolve.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace qs;

namespace {

std::vector<PlanTensor> llamaShaped(int layers, int64_t hidden, int64_t ffn, int64_t kv, int64_t vocab)
{
    std::vector<PlanTensor> t;
    t.push_back({"token_embd.weight", {hidden, vocab}, GgmlType::BF16, "model.embed_tokens.weight"});
    for (int l = 0; l < layers; ++l) {
        const std::string g = "blk." + std::to_string(l) + ".", h = "model.layers." + std::to_string(l) + ".";
        t.push_back({g + "attn_norm.weight", {hidden}, GgmlType::F32, h + "input_layernorm.weight"});
        t.push_back({g + "attn_q.weight", {hidden, hidden}, GgmlType::BF16, h + "self_attn.q_proj.weight"});
        t.push_back({g + "attn_k.weight", {hidden, kv}, GgmlType::BF16, h + "self_attn.k_proj.weight"});
        t.push_back({g + "attn_v.weight", {hidden, kv}, GgmlType::BF16, h + "self_attn.v_proj.weight"});
        t.push_back({g + "attn_output.weight", {hidden, hidden}, GgmlType::BF16, h + "self_attn.o_proj.weight"});
        t.push_back({g + "ffn_norm.weight", {hidden}, GgmlType::F32, h + "post_attention_layernorm.weight"});
        t.push_back({g + "ffn_gate.weight", {hidden, ffn}, GgmlType::BF16, h + "mlp.gate_proj.weight"});
        t.push_back({g + "ffn_up.weight", {hidden, ffn}, GgmlType::BF16, h + "mlp.up_proj.weight"});
        t.push_back({g + "ffn_down.weight", {ffn, hidden}, GgmlType::BF16, h + "mlp.down_proj.weight"});
    }
    t.push_back({"output_norm.weight", {hidden}, GgmlType::F32, "model.norm.weight"});
    t.push_back({"output.weight", {hidden, vocab}, GgmlType::BF16, "lm_head.weight"});
    return t;
}

// One edit as the studio runs it: resolve, size every tensor, find what does nothing. Mean milliseconds.
double editMs(const Plan &plan, const std::vector<PlanTensor> &tensors, const Architecture &arch, int rounds)
{
    size_t sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
        auto decisions = resolvePlan(plan, tensors, arch, false);
        if (!decisions) {
            std::fprintf(stderr, "resolve failed: %s\n", decisions.error().message.c_str());
            return -1;
        }
        sink += plannedTensors(tensors, *decisions).size() + planWarnings(plan, tensors, *decisions).size();
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / rounds;
    return sink ? ms : -1;
}

} // namespace

int main()
{
    struct Shape {
        const char *name;
        int layers;
        int64_t hidden, ffn, kv, vocab;
        int heads, kvHeads;
    };
    const Shape shapes[] = {{"Llama-3-8B", 32, 4096, 14336, 1024, 128256, 32, 8}, {"Llama-3-70B", 80, 8192, 28672, 1024, 128256, 64, 8}};
    std::printf("%-12s %8s  %-44s %10s %8s\n", "model", "tensors", "plan", "ms/edit", "ratio");
    for (const Shape &s : shapes) {
        const auto tensors = llamaShaped(s.layers, s.hidden, s.ffn, s.kv, s.vocab);
        Architecture arch;
        arch.name = "llama";
        arch.layers = s.layers;
        arch.heads = s.heads;
        arch.kvHeads = s.kvHeads;
        Plan preset; // Q4_K_M alone: the baseline
        Plan edited = preset;
        edited.rules = {{"ffn_down", GgmlType::Q6_K}, {"attn_v", GgmlType::Q8_0}, {"blk\\.(0|1)\\.", GgmlType::Q8_0},
                        {"layers\\.3\\.mlp", GgmlType::Q5_K}, {"no_such_tensor", GgmlType::Q8_0}};
        edited.overrides["model.layers.2.self_attn.q_proj.weight"] = GgmlType::Q8_0;
        edited.overrides["blk.4.ffn_up.weight"] = GgmlType::Q5_K;
        Plan gptq;
        gptq.preset.clear();
        gptq.groupQuant = IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128);
        const int rounds = 20;
        const double base = editMs(preset, tensors, arch, rounds);
        std::printf("%-12s %8zu  %-44s %10.3f %8s\n", s.name, tensors.size(), "Q4_K_M preset (baseline)", base, "1.00x");
        const double withRules = editMs(edited, tensors, arch, rounds);
        std::printf("%-12s %8zu  %-44s %10.3f %7.2fx\n", s.name, tensors.size(), "Q4_K_M + 5 rules + 2 overrides (both names)", withRules,
                    withRules / base);
        const double g = editMs(gptq, tensors, arch, rounds);
        std::printf("%-12s %8zu  %-44s %10.3f %7.2fx\n", s.name, tensors.size(), "GPTQ 4-bit g128, no preset", g, g / base);
    }
    std::printf("\nThe studio's budget for one edit on the event loop: 20 ms.\n");
    return 0;
}
