#include "plan/resolve.h"

#include "model/gguf_layout.h"

namespace qs {

PlanTensor planTensorOf(const Model &model, const GgufTensorLayout &e)
{
    const ModelTensor &t = model.tensors()[e.source];
    return {e.name, e.ne, e.type, t.name != e.name ? t.name : t.otherName};
}

Result<std::vector<PlanTensor>> planTensorsFor(const Model &model)
{
    auto layout = ggufLayoutOf(model);
    if (!layout)
        return layout.error();
    sortForQuantize(*layout);
    std::vector<PlanTensor> out;
    out.reserve(layout->size());
    for (const auto &e : *layout)
        out.push_back(planTensorOf(model, e));
    return out;
}

std::vector<PlannedTensor> plannedTensors(const std::vector<PlanTensor> &tensors, const std::vector<TensorDecision> &decisions)
{
    std::vector<PlannedTensor> out;
    out.reserve(tensors.size());
    for (size_t i = 0; i < tensors.size() && i < decisions.size(); ++i) {
        const PlanTensor &t = tensors[i];
        PlannedTensor p{t.name, decisions[i], 0, 1, t.ne};
        for (int64_t d : t.ne)
            p.elements *= d;
        auto bytes = decidedBytes(t.name, t.ne, p.decision);
        p.bytes = bytes ? *bytes : 0; // resolvePlan already fell back where blocks do not fit
        out.push_back(std::move(p));
    }
    return out;
}

Result<std::vector<PlannedTensor>> resolveForModel(const Model &model, const Plan &plan, bool hasImatrix)
{
    auto tensors = planTensorsFor(model);
    if (!tensors)
        return tensors.error();
    auto decisions = resolvePlan(plan, *tensors, model.architecture(), hasImatrix);
    if (!decisions)
        return decisions.error();
    return plannedTensors(*tensors, *decisions);
}

} // namespace qs
