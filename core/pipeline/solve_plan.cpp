#include "pipeline/solve_plan.h"

#include "plan/resolve.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

namespace qs {

namespace {

// The group formats a plan decides for the model's tensors (by GGUF name), and the block Linears it leaves out.
struct GroupChoices {
    std::map<std::string, IntGroupFormat> formats;
    std::vector<std::string> notGrouped; // 2-D block weights without a group format
};

Result<GroupChoices> groupChoices(const Model &model, const Plan &plan)
{
    auto planned = resolveForModel(model, plan, false);
    if (!planned)
        return planned.error();
    GroupChoices c;
    for (const PlannedTensor &p : *planned) {
        if (p.decision.group)
            c.formats[p.ggufName] = *p.decision.group;
        else if (p.ggufName.rfind("blk.", 0) == 0 && p.ne.size() == 2)
            c.notGrouped.push_back(p.ggufName);
    }
    return c;
}

Result<IntGroupMethod> solverFor(const GroupChoices &c)
{
    if (c.formats.empty())
        return makeError("the plan names no GPTQ, AWQ or RTN formats for this model's tensors");
    std::set<std::string> awq, other;
    for (const auto &[name, f] : c.formats)
        (f.method == IntGroupMethod::Awq ? awq : other).insert(f.id());
    if (awq.empty())
        return IntGroupMethod::Gptq;
    if (!other.empty())
        return makeError("the plan mixes AWQ (" + *awq.begin() + ") with " + *other.begin() +
                         ": AWQ's scales are shared by the Linears that read one input, so one run solves either AWQ for every "
                         "block Linear or GPTQ/RTN choices; make the plan one or the other");
    if (awq.size() > 1)
        return makeError("the plan gives AWQ tensors different formats (" + *awq.begin() + ", " + *std::next(awq.begin()) +
                         "): AWQ quantizes every block Linear in one format");
    if (!c.notGrouped.empty())
        return makeError("AWQ quantizes every Linear of the blocks, but the plan leaves " + c.notGrouped.front() +
                         (c.notGrouped.size() > 1 ? " and " + std::to_string(c.notGrouped.size() - 1) + " more" : std::string()) +
                         " out (or its shape does not take the format)");
    return IntGroupMethod::Awq;
}

// the value a replaced tensor has once stored in its source dtype and read back
bool sameInDtype(float written, float read) { return written == read || (std::isnan(written) && std::isnan(read)); }

} // namespace

Result<IntGroupMethod> planSolver(const Plan &plan)
{
    // without a model: what the plan names itself (the model's shapes may still refuse a format later)
    GroupChoices c;
    int i = 0;
    for (const IntGroupFormat &f : plan.groupFormats())
        c.formats[std::to_string(i++)] = f;
    return solverFor(c);
}

GroupCheckpointFormat defaultCheckpointFormat(const Plan &plan)
{
    std::optional<IntGroupFormat> awq;
    for (const IntGroupFormat &f : plan.groupFormats())
        if (f.method == IntGroupMethod::Awq)
            awq = f;
    if (!awq)
        return GroupCheckpointFormat::Gptq;
    // AutoAWQ's GEMM layout is 4-bit with a zero point; other AWQ results go where vLLM still reads them
    if (awq->bits == 4 && !awq->symmetric)
        return GroupCheckpointFormat::AwqGemm;
    return awq->bits == 4 || awq->bits == 8 ? GroupCheckpointFormat::CompressedTensors : GroupCheckpointFormat::Gptq;
}

Result<SolvedPlan> solvePlan(std::shared_ptr<const Model> model, const Plan &plan, const CalibrationSet &calibration,
                             const SolveOptions &options, JobControl *control)
{
    if (!model)
        return makeError("no model");
    auto choices = groupChoices(*model, plan);
    if (!choices)
        return choices.error();
    auto solver = solverFor(*choices);
    if (!solver)
        return solver.error();
    SolvedPlan out;
    out.solver = *solver;
    if (*solver == IntGroupMethod::Gptq) {
        auto r = quantizeGroupPlan(model, plan, calibration, options.gptq, control);
        if (!r)
            return r.error();
        out.tensors = std::move(r->tensors);
        out.weights = std::move(r->weights);
        out.seconds = r->seconds;
        out.resumedLayers = r->resumedLayers;
        return out;
    }
    const IntGroupFormat f = choices->formats.begin()->second;
    AwqOptions ao;
    ao.bits = f.bits;
    ao.groupSize = f.groupSize;
    ao.zeroPoint = !f.symmetric;
    ao.includeIdentity = options.awqIdentity;
    ao.threads = options.gptq.threads;
    ao.spillDir = options.gptq.spillDir;
    ao.resumeDir = options.gptq.resumeDir;
    auto r = awqQuantize(model, calibration, ao, control);
    if (!r)
        return r.error();
    out.tensors = std::move(r->tensors);
    for (auto &[name, t] : out.tensors)
        t.format = f; // the plan's spelling (symmetric flag, per-channel as -1)
    out.replacements = std::move(r->norms);
    out.inputScales = std::move(r->inputScales);
    out.awqChoices = std::move(r->choices);
    out.resumedLayers = r->resumedLayers;
    out.weights = std::move(r->weights);
    out.seconds = r->seconds;
    return out;
}

namespace {

// every quantized tensor re-dequantizes to what was solved, every replaced one to its value in the source dtype
Status verifySolvedFolder(const std::string &dir, const SolvedPlan &solved)
{
    auto back = Model::open(dir);
    if (!back)
        return makeError("the written checkpoint does not open: " + back.error().describe());
    if (auto st = verifyWrittenCheckpoint(**back, solved.tensors); !st)
        return makeError("the written checkpoint differs from what was solved: " + st.error().describe());
    for (const auto &[name, values] : solved.replacements) {
        const auto idx = (*back)->findTensor(name);
        if (!idx)
            return makeError("the written checkpoint has no " + name).inFile(dir);
        const ModelTensor &t = (*back)->tensors()[*idx];
        if (t.elements != static_cast<int64_t>(values.size()))
            return makeError("the written checkpoint's " + name + " has " + std::to_string(t.elements) + " values, not " +
                             std::to_string(values.size()))
                .inFile(dir);
        std::vector<float> got(values.size());
        if (auto st = (*back)->readRows(*idx, 0, t.rows(), got.data()); !st)
            return Error(st.error()).inFile(dir);
        for (size_t i = 0; i < got.size(); ++i)
            if (!sameInDtype(values[i], got[i]))
                return makeError("reads back as " + std::to_string(got[i]) + " where " + std::to_string(values[i]) + " was written (element " +
                                 std::to_string(i) + ")")
                    .forTensor(name)
                    .inFile(dir);
    }
    return okStatus();
}

} // namespace

Result<std::shared_ptr<const Model>> writeSolvedCheckpoint(const Model &model, const SolvedPlan &solved, GroupCheckpointFormat format,
                                                           const std::string &dir, JobControl *control)
{
    GroupCheckpointRequest req;
    req.format = format;
    req.quantizedView = &solved.tensors;
    req.replacementsView = &solved.replacements;
    // checked in the finished partial folder, before it replaces anything: a wrong file never takes the target's place
    req.verify = [&solved](const std::string &folder) { return verifySolvedFolder(folder, solved); };
    if (auto st = writeGroupCheckpoint(model, req, dir, control); !st)
        return st.error();
    return Model::open(dir);
}

double scaleRatio(const std::vector<float> &scales)
{
    if (scales.empty())
        return 1.0;
    const auto [lo, hi] = std::minmax_element(scales.begin(), scales.end());
    return *lo > 0 ? static_cast<double>(*hi) / *lo : std::numeric_limits<double>::infinity();
}

} // namespace qs
