#include "plan/plan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cctype>
#include <regex>

namespace qs {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string typeName(GgmlType t) { return std::string(typeTraits(t).name); }

// llama.cpp's use_more_bits: the first and last eighth of the layers, and every third layer between.
bool useMoreBits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

bool contains(const std::string &s, const char *part) { return s.find(part) != std::string::npos; }

// llama.cpp's fallback when the row length is not a multiple of the chosen block size.
std::optional<GgmlType> fallbackFor(GgmlType t)
{
    switch (t) {
    case GgmlType::IQ2_XXS: case GgmlType::IQ2_XS: case GgmlType::IQ2_S: case GgmlType::IQ3_XXS:
    case GgmlType::IQ3_S: case GgmlType::IQ1_S: case GgmlType::IQ1_M: case GgmlType::IQ4_XS:
        return GgmlType::IQ4_NL;
    case GgmlType::Q2_K: case GgmlType::Q3_K: case GgmlType::TQ1_0: case GgmlType::TQ2_0:
        return GgmlType::Q4_0;
    case GgmlType::Q4_K: return GgmlType::Q5_0;
    case GgmlType::Q5_K: return GgmlType::Q5_1;
    case GgmlType::Q6_K: return GgmlType::Q8_0;
    default: return std::nullopt;
    }
}

struct Counters {
    int nAttentionWv = 0, iAttentionWv = 0;
    int nFfnDown = 0, iFfnDown = 0;
    bool hasOutput = false;
};

// llama_tensor_get_type_impl for dense models (no experts), the presets Quantscope offers.
GgmlType presetChoice(const Preset &p, const std::string &name, const std::vector<int64_t> &ne, const Architecture &arch,
                      bool hasImatrix, Counters &c, std::string &reason)
{
    const std::string &f = p.name;
    GgmlType t = p.defaultType;
    const int64_t gqa = arch.gqaRatio();
    const bool is70B = arch.layers == 80 && arch.heads != arch.kvHeads;
    reason = "preset " + f + ": default";

    if (name == "output.weight" || (!c.hasOutput && name == "token_embd.weight")) {
        const int64_t qk = typeTraits(t).blockSize;
        if (ne.empty() || ne[0] % qk != 0) {
            t = GgmlType::Q8_0;
            reason = "preset " + f + ": output rows not a multiple of the block size -> Q8_0";
        } else if (t != GgmlType::Q8_0) {
            t = GgmlType::Q6_K;
            reason = "preset " + f + ": output tensor -> Q6_K";
        }
    } else if (name == "token_embd.weight") {
        reason = "preset " + f + ": token embedding keeps the default";
    } else if (contains(name, "attn_v.weight") || contains(name, "attn_qkv.weight") || contains(name, "attn_kv_b.weight")) {
        const int i = c.iAttentionWv, n = c.nAttentionWv;
        if (f == "Q2_K")
            t = gqa >= 4 ? GgmlType::Q4_K : GgmlType::Q3_K;
        else if (f == "Q2_K_S" && gqa >= 4)
            t = GgmlType::Q4_K;
        else if (f == "Q3_K_M")
            t = i < 2 ? GgmlType::Q5_K : GgmlType::Q4_K;
        else if (f == "Q3_K_L")
            t = GgmlType::Q5_K;
        else if ((f == "IQ4_NL" || f == "IQ4_XS") && gqa >= 4)
            t = GgmlType::Q5_K;
        else if ((f == "Q4_K_M" || f == "Q5_K_M") && useMoreBits(i, n))
            t = GgmlType::Q6_K;
        else if (f == "Q4_K_S" && i < 4)
            t = GgmlType::Q5_K;
        if (is70B && (t == GgmlType::Q3_K || t == GgmlType::Q4_K))
            t = GgmlType::Q5_K;
        reason = "preset " + f + ": attn_v #" + std::to_string(i) + " of " + std::to_string(n) + (t != p.defaultType ? " bumped" : "");
        ++c.iAttentionWv;
    } else if (contains(name, "ffn_down")) {
        const int i = c.iFfnDown, n = c.nFfnDown;
        if (f == "Q2_K")
            t = GgmlType::Q3_K;
        else if (f == "Q2_K_S") {
            if (i < n / 8)
                t = GgmlType::Q4_K;
        } else if (f == "Q3_K_M")
            t = i < n / 16 ? GgmlType::Q5_K : GgmlType::Q4_K;
        else if (f == "Q3_K_L")
            t = GgmlType::Q5_K;
        else if (f == "Q4_K_M") {
            if (useMoreBits(i, n))
                t = GgmlType::Q6_K;
        } else if (i < n / 8 && (f == "IQ4_NL" || f == "IQ4_XS") && !hasImatrix)
            t = GgmlType::Q5_K;
        else if (f == "Q5_K_M" && useMoreBits(i, n))
            t = GgmlType::Q6_K;
        else if (f == "Q4_K_S" && i < n / 8)
            t = GgmlType::Q5_K;
        else if ((f == "Q4_0" || f == "Q5_0") && hasImatrix && i < n / 8)
            t = f == "Q4_0" ? GgmlType::Q4_1 : GgmlType::Q5_1; // guards the first ffn_down layers
        reason = "preset " + f + ": ffn_down #" + std::to_string(i) + " of " + std::to_string(n) + (t != p.defaultType ? " bumped" : "");
        ++c.iFfnDown;
    } else if (contains(name, "attn_output.weight")) {
        if (f == "Q2_K")
            t = GgmlType::Q3_K;
        else if (f == "Q3_K_M")
            t = GgmlType::Q4_K;
        else if (f == "Q3_K_L")
            t = GgmlType::Q5_K;
        if (t != p.defaultType)
            reason = "preset " + f + ": attn_output bumped";
    }
    return t;
}

} // namespace

const std::vector<Preset> &presets()
{
    static const std::vector<Preset> kPresets = {
        {"Q8_0", 7, GgmlType::Q8_0},     {"Q6_K", 18, GgmlType::Q6_K},    {"Q5_K_M", 17, GgmlType::Q5_K},
        {"Q5_K_S", 16, GgmlType::Q5_K},  {"Q5_0", 8, GgmlType::Q5_0},     {"Q5_1", 9, GgmlType::Q5_1},
        {"Q4_K_M", 15, GgmlType::Q4_K},  {"Q4_K_S", 14, GgmlType::Q4_K},  {"Q4_0", 2, GgmlType::Q4_0},
        {"Q4_1", 3, GgmlType::Q4_1},     {"IQ4_XS", 30, GgmlType::IQ4_XS}, {"IQ4_NL", 25, GgmlType::IQ4_NL},
        {"Q3_K_S", 11, GgmlType::Q3_K},  {"Q3_K_M", 12, GgmlType::Q3_K},  {"Q3_K_L", 13, GgmlType::Q3_K},
        {"Q2_K", 10, GgmlType::Q2_K},    {"Q2_K_S", 21, GgmlType::Q2_K},  {"F32", 0, GgmlType::F32},
        {"F16", 1, GgmlType::F16},       {"BF16", 32, GgmlType::BF16},
    };
    return kPresets;
}

const Preset *findPreset(const std::string &name)
{
    const std::string n = lower(name);
    for (const auto &p : presets())
        if (lower(p.name) == n)
            return &p;
    return nullptr;
}

bool allowsQuantization(const std::string &name, const std::vector<int64_t> &ne)
{
    if (!name.ends_with("weight"))
        return false;
    int dims = static_cast<int>(ne.size());
    while (dims > 1 && ne[static_cast<size_t>(dims - 1)] == 1) // ggml_n_dims trims trailing ones
        --dims;
    if (dims < 2)
        return false;
    for (const char *excluded : {"_norm.weight", "ffn_gate_inp.weight", "pos_embd", "token_types", "ssm_conv1d.weight",
                                 "time_mix_first.weight", "time_mix_w1.weight", "time_mix_w2.weight", "attn_rel_b.weight"})
        if (name.find(excluded) != std::string::npos)
            return false;
    return true;
}

namespace {

// An integer group format takes a tensor: packed where it can be (a 2-D weight of the blocks whose shape it fits),
// and elsewhere kept in its 16-bit source type, as GPTQ and AWQ checkpoints keep embeddings, the head and norms.
// `why` says which choice named the format.
void decideGroup(const IntGroupFormat &f, const PlanTensor &t, const std::string &why, TensorDecision &d)
{
    d.type = t.sourceType;
    d.quantized = false;
    d.group.reset();
    const bool inBlock = t.name.rfind("blk.", 0) == 0 && t.ne.size() == 2;
    if (!inBlock) {
        d.reason = "kept in " + typeName(t.sourceType) + ": GPTQ and AWQ quantize only the Linear layers of the blocks (" + why + ": " +
                   f.name() + ")";
        return;
    }
    if (auto ok = f.fits(t.ne[0], t.ne[1]); !ok) {
        d.reason = "kept in " + typeName(t.sourceType) + ": " + f.name() + " does not fit (" + ok.error().message + "; " + why + ")";
        return;
    }
    d.quantized = true;
    d.group = f;
    d.reason = f.name() + " (" + why + ")";
}

} // namespace

Result<uint64_t> decidedBytes(const std::string &name, const std::vector<int64_t> &ne, const TensorDecision &decision)
{
    if (decision.group) {
        if (ne.size() != 2)
            return makeError("tensor " + name + " is not a 2-D weight and cannot be packed as " + decision.group->name());
        return decision.group->packedBytes(ne[0], ne[1]);
    }
    const int64_t rowLen = ne.empty() ? 1 : ne[0];
    int64_t rows = 1;
    for (size_t d = 1; d < ne.size(); ++d)
        rows *= ne[d];
    const int64_t rb = rowBytes(typeTraits(decision.type), rowLen);
    if (rb < 0)
        return makeError("tensor " + name + " cannot be stored in " + typeName(decision.type));
    return static_cast<uint64_t>(rb) * static_cast<uint64_t>(rows);
}

PlanRule PlanRule::of(std::string pattern, const QuantFormat &format)
{
    PlanRule r{std::move(pattern)};
    if (format.kind == QuantFormat::Kind::IntGroup)
        r.group = format.group;
    else
        r.type = format.type;
    return r;
}

std::string PlanRule::formatId() const { return group ? group->id() : typeName(type); }

Result<QuantFormat> parsePlanFormat(const std::string &textIn)
{
    std::string text = textIn;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.pop_back();
    text.erase(0, std::min(text.size(), text.find_first_not_of(" \t")));
    if (const auto t = typeFromName(text)) {
        if (!typeTraits(*t).quantize)
            return makeError("'" + textIn + "': Quantscope cannot write " + typeName(*t));
        return QuantFormat::gguf(*t);
    }
    const std::string low = lower(text);
    // integer group formats: "gptq:4:128", "int4-g128-asym", "GPTQ 4-bit g128"
    if (low.find(':') != std::string::npos || low.rfind("int", 0) == 0 || low.find(' ') != std::string::npos) {
        auto g = IntGroupFormat::parse(text);
        if (!g)
            return g.error();
        return QuantFormat::intGroup(*g);
    }
    return makeError("'" + textIn + "' is not a format: name a GGUF type (Q4_K, Q6_K, Q8_0, IQ4_XS, BF16, ...) or an integer group "
                     "format (gptq:4:128, awq:4:128, rtn:8:-1:sym, or GPTQ 4-bit g128)");
}

Status checkRule(const PlanRule &rule)
{
    if (rule.pattern.empty())
        return makeError("a rule needs a pattern: a regular expression such as ffn_down or blk\\.[0-3]\\.");
    try {
        std::regex re(lower(rule.pattern));
    } catch (const std::regex_error &e) {
        return makeError("rule '" + rule.pattern + "' is not a valid regular expression: " + e.what());
    }
    if (rule.group) {
        // a format built in code may hold what no file can say: it must read back from its own id
        if (auto again = IntGroupFormat::parse(rule.group->id()); !again || !(*again == *rule.group))
            return makeError("rule '" + rule.pattern + "': " + (again ? rule.group->name() + " is not a valid integer group format"
                                                                       : again.error().message));
        return okStatus();
    }
    if (!typeTraits(rule.type).quantize)
        return makeError("rule '" + rule.pattern + "': " + typeName(rule.type) + " cannot be written");
    return okStatus();
}

namespace {

// The override for a tensor under either of its names.
template <class Map>
auto findByEitherName(const Map &m, const PlanTensor &t)
{
    auto it = m.find(t.name);
    if (it == m.end() && !t.otherName.empty())
        it = m.find(t.otherName);
    return it;
}

// A rule is spelled the GGUF way when it matches some GGUF name of the model's quantizable tensors; then it is
// matched against GGUF names only, exactly as llama-quantize matches --tensor-type. A rule that matches no GGUF
// name is spelled the Hugging Face way and is matched against those names.
bool spelledGguf(const std::regex &re, const std::vector<PlanTensor> &tensors)
{
    return std::any_of(tensors.begin(), tensors.end(),
                       [&](const PlanTensor &t) { return allowsQuantization(t.name, t.ne) && std::regex_search(t.name, re); });
}

bool ruleMatches(const std::regex &re, bool gguf, const PlanTensor &t)
{
    return gguf ? std::regex_search(t.name, re) : !t.otherName.empty() && std::regex_search(lower(t.otherName), re);
}

} // namespace

Result<std::vector<TensorDecision>> resolvePlan(const Plan &plan, const std::vector<PlanTensor> &tensors,
                                                const Architecture &arch, bool hasImatrix)
{
    const Preset *preset = plan.preset.empty() ? nullptr : findPreset(plan.preset);
    if (!plan.preset.empty() && !preset)
        return makeError("unknown preset '" + plan.preset + "'");
    // rules apply unless the preset is a plain conversion (F32/F16/BF16), as in llama-quantize
    const bool rulesApply = !preset || typeTraits(preset->defaultType).blockSize > 1;
    std::vector<std::regex> rules;
    std::vector<bool> ggufSpelled;
    for (const auto &r : plan.rules) {
        if (auto ok = checkRule(r); !ok)
            return ok.error();
        rules.emplace_back(lower(r.pattern));
        ggufSpelled.push_back(spelledGguf(rules.back(), tensors));
    }
    Counters c;
    for (const auto &t : tensors) {
        if (contains(t.name, "attn_v.weight") || contains(t.name, "attn_qkv.weight") || contains(t.name, "attn_kv_b.weight"))
            ++c.nAttentionWv;
        if (t.name == "output.weight")
            c.hasOutput = true;
    }
    c.nFfnDown = static_cast<int>(arch.layers);

    std::vector<TensorDecision> out;
    for (const auto &t : tensors) {
        TensorDecision d{t.sourceType, false, "not quantized (norms, biases and 1-D tensors stay as they are)"};
        if (!allowsQuantization(t.name, t.ne)) {
            out.push_back(d);
            continue;
        }
        // the order of precedence is the one plan.h states
        if (auto g = findByEitherName(plan.groupOverrides, t); g != plan.groupOverrides.end()) {
            decideGroup(g->second, t, "override for this tensor", d);
            out.push_back(d);
            continue;
        }
        GgmlType type = preset ? preset->defaultType : t.sourceType;
        std::string reason = preset ? "preset " + preset->name + ": default" : "no preset and no rule: kept as it is";
        bool decided = false;
        int decidingRule = -1;
        if (auto o = findByEitherName(plan.overrides, t); o != plan.overrides.end()) {
            type = o->second;
            reason = "override for this tensor";
            decided = true;
        } else if (plan.tokenEmbeddingType && t.name == "token_embd.weight") {
            type = *plan.tokenEmbeddingType;
            reason = "token embedding type";
            decided = true;
        } else if (plan.outputType && t.name == "output.weight") {
            type = *plan.outputType;
            reason = "output tensor type";
            decided = true;
        } else if (rulesApply) {
            for (size_t i = 0; i < rules.size(); ++i)
                if (ruleMatches(rules[i], ggufSpelled[i], t)) {
                    type = plan.rules[i].type;
                    reason = "rule " + std::to_string(i + 1) + " '" + plan.rules[i].pattern + "'";
                    decided = true;
                    decidingRule = static_cast<int>(i);
                    break;
                }
            if (decidingRule >= 0 && plan.rules[static_cast<size_t>(decidingRule)].group) {
                decideGroup(*plan.rules[static_cast<size_t>(decidingRule)].group, t, reason, d);
                d.rule = decidingRule;
                out.push_back(d);
                continue;
            }
            if (!decided && !plan.pure && plan.outputType && !c.hasOutput && t.name == "token_embd.weight") {
                // llama.cpp's llama_tensor_get_type_impl quantizes an embedding tied to the output as the output,
                // where no --tensor-type rule took it first
                type = *plan.outputType;
                reason = "output tensor type (the embedding is tied to the output)";
                decided = true;
            }
        }
        if (!decided && plan.groupQuant) {
            // a GPTQ/AWQ model: the block Linear weights take its format, the rest stays as it is (no preset)
            decideGroup(*plan.groupQuant, t, "plan-wide, for every Linear layer of the blocks", d);
            out.push_back(d);
            continue;
        }
        if (!decided && rulesApply && preset && !plan.pure)
            type = presetChoice(*preset, t.name, t.ne, arch, hasImatrix, c, reason);
        const int64_t rowLen = t.ne.empty() ? 1 : t.ne[0];
        if (rowLen % typeTraits(type).blockSize != 0) {
            const GgmlType wanted = type;
            auto fb = fallbackFor(type);
            type = fb && rowLen % typeTraits(*fb).blockSize == 0 ? *fb : GgmlType::F16;
            reason += "; rows of " + std::to_string(rowLen) + " do not fit " + typeName(wanted) + " blocks -> " + typeName(type);
        }
        d.type = type;
        d.quantized = type != t.sourceType;
        d.reason = reason;
        d.rule = decidingRule;
        out.push_back(d);
    }
    return out;
}

std::string PlanWarning::text() const
{
    const std::string rule = "rule " + std::to_string(index + 1) + " '" + subject + "'";
    switch (kind) {
    case Kind::RuleUnderConversion:
        return rule + " does nothing: the " + preset + " preset converts every tensor and takes no rules";
    case Kind::RuleMatchesNothing:
        return rule + " matches no tensor that can be quantized";
    case Kind::RuleDecidesNothing:
        return rule + " decides none of the " + std::to_string(matches) + " tensors it matches: " +
               (groupQuant ? "earlier rules, overrides or the GPTQ/AWQ choice take them all" : "earlier rules or overrides take them all");
    case Kind::OverrideNamesNothing:
        return std::string(groupQuant ? "group override" : "override") + " for '" + subject + "' names no tensor of this model";
    case Kind::OverrideNeverQuantized:
        return std::string(groupQuant ? "group override" : "override") + " for '" + subject + "' does nothing: this tensor is never quantized";
    case Kind::GroupRulePacksNothing:
        return rule + " names " + format + ", which none of the " + std::to_string(matches) +
               " tensors it decides can take (only Linear weights of the blocks whose shape fits): they stay in 16 bits";
    case Kind::MixedGgufAndGroup:
        return "the plan mixes GGUF formats (" + std::to_string(matches) + " tensors, such as " + subject + " in " + format +
               ") with GPTQ/AWQ/RTN formats (" + std::to_string(groupMatches) + " tensors), which no one file holds: a GGUF export "
               "refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensors in 16 bits";
    }
    return subject;
}

std::vector<PlanWarning> planWarnings(const Plan &plan, const std::vector<PlanTensor> &tensors,
                                      const std::vector<TensorDecision> &decisions)
{
    std::vector<PlanWarning> out;
    const Preset *preset = plan.preset.empty() ? nullptr : findPreset(plan.preset);
    const bool rulesApply = !preset || typeTraits(preset->defaultType).blockSize > 1;
    for (size_t i = 0; i < plan.rules.size(); ++i) {
        PlanWarning w;
        w.index = static_cast<int>(i);
        w.subject = plan.rules[i].pattern;
        w.preset = plan.preset;
        w.groupQuant = !plan.groupOverrides.empty();
        if (!rulesApply) {
            w.kind = PlanWarning::Kind::RuleUnderConversion;
            out.push_back(w);
            continue;
        }
        std::regex re;
        try {
            re = std::regex(lower(plan.rules[i].pattern));
        } catch (const std::regex_error &) {
            continue; // resolvePlan reports it
        }
        const auto decides = std::count_if(decisions.begin(), decisions.end(), [&](const TensorDecision &d) { return d.rule == static_cast<int>(i); });
        if (decides > 0 && plan.rules[i].group &&
            std::none_of(decisions.begin(), decisions.end(), [&](const TensorDecision &d) { return d.rule == static_cast<int>(i) && d.group; })) {
            w.kind = PlanWarning::Kind::GroupRulePacksNothing;
            w.format = plan.rules[i].group->name();
            w.matches = static_cast<int>(decides);
            out.push_back(w);
            continue;
        }
        if (decides > 0)
            continue; // the common case, and cheap: no regex runs
        const bool gguf = spelledGguf(re, tensors);
        for (const PlanTensor &t : tensors)
            if (allowsQuantization(t.name, t.ne) && ruleMatches(re, gguf, t))
                ++w.matches;
        w.kind = w.matches == 0 ? PlanWarning::Kind::RuleMatchesNothing : PlanWarning::Kind::RuleDecidesNothing;
        out.push_back(w);
    }
    auto checkNames = [&](const auto &map, bool group) {
        for (const auto &entry : map) {
            const std::string &name = entry.first;
            const auto t = std::find_if(tensors.begin(), tensors.end(),
                                        [&](const PlanTensor &pt) { return pt.name == name || pt.otherName == name; });
            PlanWarning w;
            w.subject = name;
            w.groupQuant = group;
            if (t == tensors.end())
                w.kind = PlanWarning::Kind::OverrideNamesNothing;
            else if (!allowsQuantization(t->name, t->ne))
                w.kind = PlanWarning::Kind::OverrideNeverQuantized;
            else
                continue;
            out.push_back(w);
        }
    };
    checkNames(plan.overrides, false);
    checkNames(plan.groupOverrides, true);
    // GGUF block formats beside integer group formats: 16-bit conversions (F16, BF16) are no GGUF format here, a
    // checkpoint holds them too
    PlanWarning mixed;
    mixed.kind = PlanWarning::Kind::MixedGgufAndGroup;
    for (size_t i = 0; i < decisions.size() && i < tensors.size(); ++i) {
        const TensorDecision &d = decisions[i];
        if (d.group) {
            ++mixed.groupMatches;
        } else if (d.quantized && typeTraits(d.type).blockSize > 1) {
            if (mixed.matches++ == 0) {
                mixed.subject = tensors[i].name;
                mixed.format = typeName(d.type);
            }
        }
    }
    if (mixed.matches > 0 && mixed.groupMatches > 0)
        out.push_back(mixed);
    return out;
}

const char *planOutputId(PlanOutput output) { return output == PlanOutput::HfCheckpoint ? "hf" : "gguf"; }

Status GptqSettings::check() const
{
    if (!(damp > 0 && damp < 1)) // also refuses NaN
        return makeError("gptq.damp: " + std::to_string(damp) + " is not a fraction between 0 and 1 (exclusive) of the mean Hessian "
                         "diagonal; GPTQModel's default is 0.01");
    if (staticGroups && !actOrder)
        return makeError("gptq.static_groups needs gptq.act_order: static groups only differ from ordinary ones when the columns "
                         "are reordered");
    return okStatus();
}

bool Plan::compensates(const std::string &ggufName, const std::string &otherName) const
{
    if (!compensate)
        return false;
    if (compensate->empty())
        return true;
    try {
        const std::regex re(lower(*compensate));
        return std::regex_search(lower(ggufName), re) || (!otherName.empty() && std::regex_search(lower(otherName), re));
    } catch (const std::regex_error &) {
        return false; // fromJson refuses such a pattern
    }
}

bool Plan::hasGroupQuant() const
{
    return groupQuant || !groupOverrides.empty() || std::any_of(rules.begin(), rules.end(), [](const PlanRule &r) { return r.group.has_value(); });
}

std::vector<IntGroupFormat> Plan::groupFormats() const
{
    std::vector<IntGroupFormat> out;
    auto add = [&](const IntGroupFormat &f) {
        if (std::find(out.begin(), out.end(), f) == out.end())
            out.push_back(f);
    };
    if (groupQuant)
        add(*groupQuant);
    for (const auto &[name, f] : groupOverrides)
        add(f);
    for (const PlanRule &r : rules)
        if (r.group)
            add(*r.group);
    return out;
}

Plan Plan::rtnStandIn(bool *changed) const
{
    Plan out = *this;
    bool any = false;
    auto toRtn = [&any](IntGroupFormat &f) {
        if (f.method != IntGroupMethod::Rtn) {
            f.method = IntGroupMethod::Rtn;
            any = true;
        }
    };
    if (out.groupQuant)
        toRtn(*out.groupQuant);
    for (auto &[name, f] : out.groupOverrides)
        toRtn(f);
    for (PlanRule &r : out.rules)
        if (r.group)
            toRtn(*r.group);
    if (changed)
        *changed = any;
    return out;
}

std::string Plan::label() const
{
    if (groupQuant)
        return groupQuant->name();
    if (hasGroupQuant())
        return "custom"; // GPTQ/AWQ choices per rule or tensor: the preset no longer says what the plan is
    if (!preset.empty())
        return preset;
    return "custom";
}

std::string Plan::toJson() const
{
    QJsonObject o;
    o[QStringLiteral("format")] = QStringLiteral("quantscope.plan/2");
    // integer group formats only exist in a Hugging Face checkpoint, whatever the field says
    o[QStringLiteral("output")] = QString::fromLatin1(planOutputId(hasGroupQuant() ? PlanOutput::HfCheckpoint : output));
    if (!preset.empty())
        o[QStringLiteral("preset")] = QString::fromStdString(preset);
    QJsonArray rs;
    for (const auto &r : rules)
        rs.append(QJsonObject{{QStringLiteral("pattern"), QString::fromStdString(r.pattern)},
                              {QStringLiteral("type"), QString::fromStdString(r.formatId())}});
    o[QStringLiteral("rules")] = rs;
    QJsonObject ov;
    for (const auto &[name, type] : overrides)
        ov[QString::fromStdString(name)] = QString::fromStdString(typeName(type));
    o[QStringLiteral("overrides")] = ov;
    if (outputType)
        o[QStringLiteral("output_type")] = QString::fromStdString(typeName(*outputType));
    if (tokenEmbeddingType)
        o[QStringLiteral("token_embedding_type")] = QString::fromStdString(typeName(*tokenEmbeddingType));
    o[QStringLiteral("pure")] = pure;
    if (groupQuant)
        o[QStringLiteral("group_quant")] = QString::fromStdString(groupQuant->id());
    if (!groupOverrides.empty()) {
        QJsonObject go;
        for (const auto &[name, choice] : groupOverrides)
            go[QString::fromStdString(name)] = QString::fromStdString(choice.id());
        o[QStringLiteral("group_overrides")] = go;
    }
    if (compensate)
        o[QStringLiteral("compensate")] = compensate->empty() ? QJsonValue(true) : QJsonValue(QString::fromStdString(*compensate));
    if (!gptq.isDefault())
        o[QStringLiteral("gptq")] = QJsonObject{{QStringLiteral("act_order"), gptq.actOrder},
                                                {QStringLiteral("static_groups"), gptq.staticGroups},
                                                {QStringLiteral("damp"), gptq.damp}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString();
}

namespace {

// A key the plan format does not know is an error: a misspelt key ("rulez") would otherwise do nothing, silently.
Status onlyKnownKeys(const QJsonObject &o, std::initializer_list<const char *> known, const std::string &where)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string key = it.key().toStdString();
        if (std::none_of(known.begin(), known.end(), [&](const char *k) { return key == k; })) {
            std::string list;
            for (const char *k : known)
                list += (list.empty() ? "" : ", ") + std::string(k);
            return makeError(where + ": unknown key \"" + key + "\" (the keys are " + list + ")");
        }
    }
    return okStatus();
}

} // namespace

Result<Plan> Plan::fromJson(const std::string &json)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return makeError("plan is not a JSON object: " + err.errorString().toStdString(), err.offset);
    const QJsonObject o = doc.object();
    const QString format = o.value(QLatin1String("format")).toString();
    const bool v1 = format == QLatin1String("quantscope.plan/1");
    if (!v1 && format != QLatin1String("quantscope.plan/2"))
        return makeError("not a Quantscope plan (\"format\" must be \"quantscope.plan/2\" or \"quantscope.plan/1\")");
    if (auto ok = onlyKnownKeys(o, {"format", "output", "preset", "rules", "overrides", "output_type", "token_embedding_type",
                                    "pure", "group_quant", "group_overrides", "gptq", "compensate"},
                                "plan");
        !ok)
        return ok.error();
    auto parseType = [](const QJsonValue &v, const std::string &what) -> Result<GgmlType> {
        const auto t = typeFromName(v.toString().toStdString());
        if (!t || !typeTraits(*t).quantize)
            return makeError(what + ": unknown or unsupported type '" + v.toString().toStdString() + "'");
        return *t;
    };
    Plan p;
    // plan/1 had no way to say "no preset": a missing preset meant Q4_K_M
    p.preset = o.value(QLatin1String("preset")).toString(v1 ? QStringLiteral("Q4_K_M") : QString()).toStdString();
    if (!p.preset.empty() && !findPreset(p.preset))
        return makeError("unknown preset '" + p.preset + "'");
    for (const QJsonValue r : o.value(QLatin1String("rules")).toArray()) {
        const QJsonObject ro = r.toObject();
        if (auto ok = onlyKnownKeys(ro, {"pattern", "type"}, "rule " + std::to_string(p.rules.size() + 1)); !ok)
            return ok.error();
        // a GGUF type name, or an integer group format's id
        const std::string where = "rule " + std::to_string(p.rules.size() + 1);
        const QJsonValue type = ro.value(QLatin1String("type"));
        if (!type.isString())
            return makeError(where + ": \"type\" must be a string: a GGUF type such as \"Q6_K\" or a group format such as \"gptq:4:128\"");
        auto f = parsePlanFormat(type.toString().toStdString());
        if (!f)
            return makeError(where + ": " + f.error().message);
        p.rules.push_back(PlanRule::of(ro.value(QLatin1String("pattern")).toString().toStdString(), *f));
    }
    const QJsonObject ov = o.value(QLatin1String("overrides")).toObject();
    for (auto it = ov.begin(); it != ov.end(); ++it) {
        auto t = parseType(it.value(), "override for " + it.key().toStdString());
        if (!t)
            return t.error();
        p.overrides[it.key().toStdString()] = *t;
    }
    if (o.contains(QLatin1String("output_type"))) {
        auto t = parseType(o.value(QLatin1String("output_type")), "output_type");
        if (!t)
            return t.error();
        p.outputType = *t;
    }
    if (o.contains(QLatin1String("token_embedding_type"))) {
        auto t = parseType(o.value(QLatin1String("token_embedding_type")), "token_embedding_type");
        if (!t)
            return t.error();
        p.tokenEmbeddingType = *t;
    }
    p.pure = o.value(QLatin1String("pure")).toBool(false);
    if (o.contains(QLatin1String("group_quant"))) {
        auto g = IntGroupFormat::parse(o.value(QLatin1String("group_quant")).toString().toStdString());
        if (!g)
            return makeError("group_quant: " + g.error().message);
        p.groupQuant = *g;
    }
    const QJsonObject go = o.value(QLatin1String("group_overrides")).toObject();
    for (auto it = go.begin(); it != go.end(); ++it) {
        auto g = IntGroupFormat::parse(it.value().toString().toStdString());
        if (!g)
            return makeError("group_overrides for " + it.key().toStdString() + ": " + g.error().message);
        p.groupOverrides[it.key().toStdString()] = *g;
    }
    if (o.contains(QLatin1String("gptq"))) {
        const QJsonValue gv = o.value(QLatin1String("gptq"));
        if (!gv.isObject())
            return makeError("gptq: expected an object such as {\"act_order\": true, \"damp\": 0.01}");
        const QJsonObject g = gv.toObject();
        if (auto ok = onlyKnownKeys(g, {"act_order", "static_groups", "damp"}, "gptq"); !ok)
            return ok.error();
        for (const char *flag : {"act_order", "static_groups"})
            if (g.contains(QLatin1String(flag)) && !g.value(QLatin1String(flag)).isBool())
                return makeError(std::string("gptq.") + flag + ": expected true or false");
        if (g.contains(QLatin1String("damp")) && !g.value(QLatin1String("damp")).isDouble())
            return makeError("gptq.damp: expected a number between 0 and 1, such as 0.01");
        p.gptq.actOrder = g.value(QLatin1String("act_order")).toBool(false);
        p.gptq.staticGroups = g.value(QLatin1String("static_groups")).toBool(false);
        p.gptq.damp = g.value(QLatin1String("damp")).toDouble(GptqSettings{}.damp);
        if (auto ok = p.gptq.check(); !ok)
            return ok.error();
    }
    if (o.contains(QLatin1String("compensate"))) {
        const QJsonValue c = o.value(QLatin1String("compensate"));
        if (c.isBool()) {
            if (c.toBool())
                p.compensate = std::string();
        } else if (c.isString() && !c.toString().isEmpty()) {
            const std::string pattern = c.toString().toStdString();
            try {
                std::regex re(lower(pattern));
            } catch (const std::regex_error &e) {
                return makeError("compensate: '" + pattern + "' is not a regular expression (" + e.what() + ")");
            }
            p.compensate = pattern;
        } else {
            return makeError("compensate: expected true, false or a regular expression naming the tensors to compensate");
        }
    }
    // a plan of integer group formats is a Hugging Face checkpoint unless it says otherwise
    p.output = p.hasGroupQuant() ? PlanOutput::HfCheckpoint : PlanOutput::Gguf;
    if (o.contains(QLatin1String("output"))) {
        const QString out = o.value(QLatin1String("output")).toString();
        if (out == QLatin1String("gguf"))
            p.output = PlanOutput::Gguf;
        else if (out == QLatin1String("hf"))
            p.output = PlanOutput::HfCheckpoint;
        else
            return makeError("output: \"" + out.toStdString() + "\" is not an output (\"gguf\" for llama.cpp, \"hf\" for a "
                             "Hugging Face checkpoint)");
    }
    if (p.output == PlanOutput::Gguf && p.hasGroupQuant())
        return makeError("output: a GGUF file cannot hold GPTQ/AWQ formats (group_quant, group_overrides, or rules naming them); say "
                         "\"output\": \"hf\"");
    return p;
}

Result<std::vector<std::string>> Plan::llamaQuantizeArgs(const std::vector<PlanTensor> *tensors) const
{
    if (groupQuant)
        return makeError("llama-quantize cannot express the plan's " + groupQuant->name() + ": it writes GGUF formats only");
    if (!groupOverrides.empty())
        return makeError("llama-quantize cannot express the group override for '" + groupOverrides.begin()->first + "' (" +
                         groupOverrides.begin()->second.name() + "): it writes GGUF formats only");
    for (size_t i = 0; i < rules.size(); ++i)
        if (rules[i].group)
            return makeError("llama-quantize cannot express rule " + std::to_string(i + 1) + " '" + rules[i].pattern + "' (" +
                             rules[i].group->name() + "): it writes GGUF formats only");
    auto anchored = [](const std::vector<std::string> &names) {
        std::string alternatives;
        for (const std::string &n : names) {
            if (!alternatives.empty())
                alternatives += '|';
            for (char ch : n)
                alternatives += ch == '.' ? std::string("\\.") : std::string(1, ch);
        }
        return names.size() == 1 ? "^" + alternatives + "$" : "^(" + alternatives + ")$";
    };
    // llama-quantize knows only GGUF names: a name or rule in Hugging Face spelling becomes the GGUF names it means
    auto ggufNameOf = [&](const std::string &name) {
        if (tensors)
            for (const PlanTensor &t : *tensors)
                if (t.otherName == name)
                    return t.name;
        return name;
    };
    std::vector<std::string> args;
    if (pure)
        args.push_back("--pure");
    if (outputType)
        args.insert(args.end(), {"--output-tensor-type", lower(typeName(*outputType))});
    if (tokenEmbeddingType)
        args.insert(args.end(), {"--token-embedding-type", lower(typeName(*tokenEmbeddingType))});
    // overrides first: llama-quantize takes the first matching rule
    for (const auto &[name, type] : overrides)
        args.insert(args.end(), {"--tensor-type", anchored({ggufNameOf(name)}) + "=" + lower(typeName(type))});
    for (const auto &r : rules) {
        std::string pattern = r.pattern;
        if (tensors) {
            std::regex re(lower(r.pattern)); // checkRule passed when the plan was resolved
            if (!spelledGguf(re, *tensors)) {
                std::vector<std::string> names;
                for (const PlanTensor &t : *tensors)
                    if (allowsQuantization(t.name, t.ne) && ruleMatches(re, false, t))
                        names.push_back(t.name);
                if (!names.empty())
                    pattern = anchored(names);
            }
        }
        args.insert(args.end(), {"--tensor-type", pattern + "=" + lower(typeName(r.type))});
    }
    // without a preset, what no rule decides stays in 16 bits: a quantized file type (so that llama-quantize applies
    // --tensor-type at all) and a last rule that keeps everything else as BF16
    if (preset.empty())
        args.insert(args.end(), {"--tensor-type", ".*=bf16"});
    return args;
}

Result<std::string> Plan::llamaQuantizeCommand(const std::string &input, const std::string &output, const std::vector<PlanTensor> *tensors) const
{
    auto args = llamaQuantizeArgs(tensors);
    if (!args)
        return args.error();
    auto quoted = [](const std::string &a) {
        if (a.find_first_of(" \\'\"$*?[]()|&;<>{}") == std::string::npos)
            return a;
        std::string q = "'";
        for (char c : a)
            q += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return q + "'";
    };
    std::string cmd = "llama-quantize";
    for (const std::string &a : *args)
        cmd += " " + quoted(a);
    return cmd + " " + quoted(input) + " " + quoted(output) + " " + (preset.empty() ? std::string("Q8_0") : preset);
}

} // namespace qs
