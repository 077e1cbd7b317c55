#include "pipeline/plan_weights.h"

#include "model/gguf_layout.h"
#include "plan/resolve.h"

#include <map>

namespace qs {

namespace {

// A plan with GPTQ/AWQ/RTN group formats is not a GGUF request: its decisions come from the resolver directly.
Result<std::shared_ptr<WeightSource>> groupPlanWeights(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                       QuantizeResult *summary)
{
    auto layout = ggufLayoutOf(*model);
    if (!layout)
        return layout.error();
    auto planned = resolveForModel(*model, options.plan, false);
    if (!planned)
        return planned.error();
    std::map<std::string, size_t> source;
    for (const GgufTensorLayout &t : *layout)
        source[t.name] = t.source;
    auto weights = std::make_shared<WeightSource>(model);
    QuantizeResult result;
    uint64_t quantBits = 0;
    int64_t quantElems = 0;
    for (const PlannedTensor &t : *planned) {
        const auto s = source.find(t.ggufName);
        if (s == source.end())
            continue;
        QuantizedTensor q{t.ggufName, t.decision.type, t.decision.reason, t.bytes, false, t.decision.group};
        if (t.decision.group) {
            weights->setTransform(s->second, {QuantFormat::intGroup(*t.decision.group), {}});
            quantBits += t.bytes * 8;
            quantElems += t.elements;
        } else if (t.decision.quantized) {
            weights->setTransform(s->second, {QuantFormat::gguf(t.decision.type), {}});
        }
        result.tensors.push_back(std::move(q));
    }
    result.bitsPerWeight = quantElems ? static_cast<double>(quantBits) / static_cast<double>(quantElems) : 0;
    if (summary)
        *summary = std::move(result);
    return weights;
}

} // namespace

Result<std::shared_ptr<WeightSource>> planWeights(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                  QuantizeResult *summary)
{
    if (options.plan.hasGroupQuant())
        return groupPlanWeights(std::move(model), options, summary);
    QuantizeResult result;
    auto req = planQuantization(*model, options, &result);
    if (!req)
        return req.error();
    auto weights = std::make_shared<WeightSource>(model);
    for (size_t i = 0; i < req->tensors.size(); ++i) {
        const ExportTensor &e = req->tensors[i];
        const QuantizedTensor &q = result.tensors[i];
        const ModelTensor &src = model->tensors()[e.source];
        if (e.scales)
            weights->setScales(e.source, *e.scales);
        TensorTransform t;
        if (q.group) {
            t.format = QuantFormat::intGroup(*q.group);
        } else if (e.type == GgmlType::F32 || (src.ggml && src.ggml->type == e.type && !e.scales) ||
                   (src.dtype == "BF16" && e.type == GgmlType::BF16) || (src.dtype == "F16" && e.type == GgmlType::F16)) {
            continue; // the values are what the file holds: nothing is rounded
        } else {
            t.format = QuantFormat::gguf(e.type);
            t.importance = e.importance;
        }
        weights->setTransform(e.source, std::move(t));
    }
    if (summary)
        *summary = std::move(result);
    return weights;
}

} // namespace qs
