#include "pipeline/plan_weights.h"

namespace qs {

Result<std::shared_ptr<WeightSource>> planWeights(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                  QuantizeResult *summary)
{
    QuantizeResult result;
    auto req = planQuantization(*model, options, &result);
    if (!req)
        return req.error();
    auto weights = std::make_shared<WeightSource>(model);
    for (size_t i = 0; i < req->tensors.size(); ++i) {
        const ExportTensor &e = req->tensors[i];
        const QuantizedTensor &q = result.tensors[i];
        const ModelTensor &src = model->tensors()[e.source];
        TensorTransform t;
        if (q.group) {
            t.format = QuantFormat::intGroup(*q.group);
        } else if (e.type == GgmlType::F32 || (src.ggml && src.ggml->type == e.type) ||
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
