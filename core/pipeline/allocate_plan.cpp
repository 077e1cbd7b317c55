#include "pipeline/allocate_plan.h"

#include "optimize/allocation.h"
#include "plan/resolve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace qs {

namespace {
std::string nameOf(GgmlType t) { return std::string(typeTraits(t).name); }
} // namespace

Result<Budget> Budget::parse(const std::string &text)
{
    std::string t;
    for (char c : text)
        if (c != ' ')
            t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t end = 0;
    double v = 0;
    try {
        v = std::stod(t, &end);
    } catch (...) {
        end = 0;
    }
    const std::string unit = t.substr(end);
    static const std::map<std::string, double> units = {{"", 1},       {"b", 1},         {"kb", 1e3},           {"mb", 1e6},
                                                        {"gb", 1e9},   {"kib", 1024.0},  {"mib", 1048576.0},    {"gib", 1073741824.0}};
    if (end == 0 || !std::isfinite(v) || v <= 0)
        return makeError("a budget is bits per weight (\"4.5bpw\") or a size (\"13MiB\", \"13.5MB\", \"46297824\"); not '" + text + "'");
    if (unit == "bpw") {
        if (v > 32)
            return makeError("a budget of " + text + " is more than 32 bits per weight");
        return Budget{Kind::BitsPerWeight, v};
    }
    const auto u = units.find(unit);
    if (u == units.end())
        return makeError("unknown budget unit '" + unit + "' in '" + text + "' (bpw, B, KB, MB, GB, KiB, MiB, GiB)");
    if (v * u->second > 0x1p62)
        return makeError("a budget of " + text + " is larger than any file Quantscope writes");
    return Budget{Kind::Bytes, v * u->second};
}

std::string Budget::text() const
{
    char buf[64];
    if (kind == Kind::BitsPerWeight)
        std::snprintf(buf, sizeof buf, "%.4g bpw", value);
    else
        std::snprintf(buf, sizeof buf, "%.0f bytes", value);
    return buf;
}

Result<uint64_t> planTensorBytes(const Model &model, const Plan &plan, bool hasImatrix)
{
    auto planned = resolveForModel(model, plan, hasImatrix);
    if (!planned)
        return planned.error();
    uint64_t bytes = 0;
    for (const PlannedTensor &pt : *planned)
        bytes += pt.bytes;
    return bytes;
}

Result<AllocatedPlan> allocatePlan(const Model &model, const Plan &base, const SensitivityResults &sens, const Budget &budget,
                                   const std::vector<std::string> &pinned, bool hasImatrix)
{
    if (sens.empty())
        return makeError("no measured sensitivity: measure it first (quantscope-cli sensitivity MODEL --project P --formats ...)");
    if (base.hasGroupQuant() || base.output != PlanOutput::Gguf)
        return makeError("allocation chooses GGUF formats: start from a GGUF plan or preset, not a GPTQ/AWQ one");
    auto tensors = planTensorsFor(model);
    if (!tensors)
        return tensors.error();
    auto planned = resolveForModel(model, base, hasImatrix);
    if (!planned)
        return planned.error();
    std::map<std::string, size_t> measured; // GGUF name -> sensitivity row
    for (size_t i = 0; i < sens.tensors.size(); ++i)
        measured[sens.tensors[i]] = i;
    std::map<std::string, std::string> pins; // GGUF name -> type
    for (const std::string &p : pinned) {
        const auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == p.size())
            return makeError("a pin is NAME=TYPE (\"blk.0.attn_v.weight=Q8_0\"), not '" + p + "'");
        const std::string name = p.substr(0, eq), type = p.substr(eq + 1);
        if (!typeFromName(type))
            return makeError("pin " + p + ": " + type + " is not a GGUF type");
        bool found = false;
        for (const PlanTensor &t : *tensors)
            if (t.name == name || t.otherName == name) {
                if (!allowsQuantization(t.name, t.ne))
                    return makeError("pin " + p + ": " + name + " is never quantized (norms, biases and 1-D tensors keep their type)");
                pins[t.name] = nameOf(*typeFromName(type));
                found = true;
            }
        if (!found)
            return makeError("pin " + p + ": the model has no tensor " + name);
    }

    AllocatedPlan out;
    AllocationProblem prob;
    std::vector<std::string> names;
    for (size_t i = 0; i < tensors->size(); ++i) {
        const PlanTensor &t = (*tensors)[i];
        const PlannedTensor &pt = (*planned)[i];
        out.elements += pt.elements;
        const auto m = measured.find(t.name);
        if (m == measured.end() || t.ne.size() != 2) {
            out.fixedBytes += pt.bytes;
            continue;
        }
        AllocationTensor at;
        at.name = t.name;
        auto add = [&](GgmlType type, double cost) {
            TensorDecision d;
            d.type = type;
            d.quantized = type != t.sourceType;
            auto bytes = decidedBytes(t.name, t.ne, d);
            if (!bytes)
                return; // its rows do not split into this format's blocks
            at.candidates.push_back({nameOf(type), *bytes, cost});
        };
        add(t.sourceType, 0.0);
        for (size_t f = 0; f < sens.formats.size(); ++f) {
            const QuantFormat &qf = sens.formats[f];
            const float k = sens.kld[sens.index(m->second, f)];
            if (qf.kind != QuantFormat::Kind::Gguf || !std::isfinite(k) || qf.type == t.sourceType)
                continue;
            add(qf.type, std::max(0.0, static_cast<double>(k)));
        }
        if (auto p = pins.find(t.name); p != pins.end()) {
            at.pinned = p->second;
            // a pinned type that was not measured is still this tensor's type: its damage is not known (counted as 0)
            const bool listed = std::any_of(at.candidates.begin(), at.candidates.end(), [&](const AllocationCandidate &c) { return c.format == p->second; });
            if (!listed) {
                const size_t before = at.candidates.size();
                add(*typeFromName(p->second), 0.0);
                if (at.candidates.size() == before)
                    return makeError("pin " + t.name + "=" + p->second + ": its rows do not split into " + p->second + " blocks");
            }
        }
        prob.tensors.push_back(std::move(at));
        names.push_back(t.name);
    }
    // pinned tensors that were not measured are fixed in their pinned type
    for (const auto &[name, type] : pins) {
        if (measured.count(name))
            continue;
        for (size_t i = 0; i < tensors->size(); ++i)
            if ((*tensors)[i].name == name) {
                TensorDecision d;
                d.type = *typeFromName(type);
                d.quantized = d.type != (*tensors)[i].sourceType;
                auto bytes = decidedBytes(name, (*tensors)[i].ne, d);
                if (!bytes)
                    return Error(bytes.error());
                out.fixedBytes += *bytes;
                out.fixedBytes -= (*planned)[i].bytes;
                out.plan.overrides[name] = d.type;
            }
    }
    out.budgetBytes = budget.kind == Budget::Kind::Bytes ? static_cast<uint64_t>(budget.value)
                                                         : static_cast<uint64_t>(budget.value * static_cast<double>(out.elements) / 8.0);
    if (out.fixedBytes >= out.budgetBytes)
        return makeError("the budget (" + std::to_string(out.budgetBytes) + " bytes) does not even cover the tensors it cannot choose for (" +
                         std::to_string(out.fixedBytes) + " bytes)");
    prob.budget = out.budgetBytes - out.fixedBytes;
    auto a = allocate(prob);
    if (!a)
        return makeError("allocation to " + budget.text() + ": " + a.error().message);
    Plan plan = base;
    for (const auto &[name, type] : out.plan.overrides)
        plan.overrides[name] = type;
    for (size_t i = 0; i < prob.tensors.size(); ++i) {
        const AllocationCandidate &c = prob.tensors[i].candidates[static_cast<size_t>(a->choice[i])];
        plan.overrides[names[i]] = *typeFromName(c.format);
        out.predictedKld += c.cost;
    }
    out.allocated = static_cast<int>(prob.tensors.size());
    out.plan = std::move(plan);
    // what the plan really takes, resolved as it will be exported
    auto total = planTensorBytes(model, out.plan, hasImatrix);
    if (!total)
        return total.error();
    out.bytes = *total;
    if (out.bytes > out.budgetBytes)
        return makeError("the plan takes " + std::to_string(out.bytes) + " bytes, more than the budget of " + std::to_string(out.budgetBytes) +
                         " (a pin or rule the allocation cannot see changes the size)");
    return out;
}

} // namespace qs
