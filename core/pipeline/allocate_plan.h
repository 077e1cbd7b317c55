// A plan for a byte budget from measured sensitivity: every measured weight gets the GGUF format that, across the
// whole model, costs the least predicted damage (the sum of the per-tensor KL-divergences) within the budget; the
// rest (norms, what was not measured) keeps what the base plan gives it. The result is an ordinary plan: the base
// plan plus per-tensor overrides, so it saves, undoes, prints as llama-quantize arguments and exports like any other.
#pragma once

#include "common/result.h"
#include "engine/sensitivity.h"
#include "model/model.h"
#include "plan/plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct Budget {
    enum class Kind { BitsPerWeight, Bytes };
    Kind kind = Kind::BitsPerWeight;
    double value = 0;
    // "4.5bpw", "13MiB", "13.5MB", "1.2GiB", "850KiB", "46297824" (bytes); the tensors' bytes, without the GGUF header
    static Result<Budget> parse(const std::string &text);
    std::string text() const;
};

struct AllocatedPlan {
    Plan plan;
    uint64_t budgetBytes = 0;   // the whole model's tensor bytes allowed
    uint64_t bytes = 0;         // what the plan's tensors take
    int64_t elements = 0;       // the weights of every tensor written
    uint64_t fixedBytes = 0;    // the tensors the allocation did not choose for
    double predictedKld = 0;    // the sum of the chosen formats' measured KLDs
    int allocated = 0;          // tensors it chose a format for
    double bitsPerWeight() const { return elements > 0 ? 8.0 * static_cast<double>(bytes) / static_cast<double>(elements) : 0; }
};

// `pinned`: "NAME=TYPE" (either tensor name spelling) keeps that tensor in that format. Every 2-D weight the
// sensitivity measured is allocated among its measured GGUF formats and its source type (cost 0).
// `hasImatrix`: the plan will be quantized with an importance matrix (llama.cpp's presets then choose some types
// differently for the tensors the allocation leaves to the base).
Result<AllocatedPlan> allocatePlan(const Model &model, const Plan &base, const SensitivityResults &sensitivity, const Budget &budget,
                                   const std::vector<std::string> &pinned = {}, bool hasImatrix = false);

// The tensor bytes a plan takes on this model, as the exporter writes them (what a budget "as large as preset P" is).
Result<uint64_t> planTensorBytes(const Model &model, const Plan &plan, bool hasImatrix);

} // namespace qs
