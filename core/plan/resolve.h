// A plan resolved against a model: every tensor's decision, by GGUF name, in llama-quantize's order, with its bytes.
// Cheap: reads no tensor data and no tokenizer, so the studio can re-resolve on every edit.
#pragma once

#include "common/result.h"
#include "model/model.h"
#include "plan/plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct GgufTensorLayout;
// One tensor as the planner sees it: its GGUF layout, and its Hugging Face name where the model has one.
PlanTensor planTensorOf(const Model &model, const GgufTensorLayout &tensor);
// The tensors a plan is resolved over, with GGUF names, in llama-quantize's order.
Result<std::vector<PlanTensor>> planTensorsFor(const Model &model);

struct PlannedTensor {
    std::string ggufName;
    TensorDecision decision;
    uint64_t bytes = 0;
    int64_t elements = 0;
    std::vector<int64_t> ne; // ggml order
};
// Decisions already made (resolvePlan) with each tensor's bytes and elements.
std::vector<PlannedTensor> plannedTensors(const std::vector<PlanTensor> &tensors, const std::vector<TensorDecision> &decisions);
Result<std::vector<PlannedTensor>> resolveForModel(const Model &model, const Plan &plan, bool hasImatrix);

} // namespace qs
