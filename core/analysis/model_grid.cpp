#include "analysis/model_grid.h"

#include "plan/resolve.h"

#include <map>

namespace qs {

const std::vector<TensorRole> &ModelErrorGrid::kinds()
{
    static const std::vector<TensorRole> k = {TensorRole::AttnQ,     TensorRole::AttnK,  TensorRole::AttnV, TensorRole::AttnOutput,
                                              TensorRole::FfnGate,   TensorRole::FfnUp,  TensorRole::FfnDown};
    return k;
}

ModelErrorGrid modelErrorGrid(const AnalysisResults &results, int64_t layers, const std::vector<int> &formatOf)
{
    ModelErrorGrid g;
    g.layers = layers;
    const size_t nk = ModelErrorGrid::kinds().size();
    g.values.assign(static_cast<size_t>(layers) * nk, NAN);
    g.tensorIndex.assign(g.values.size(), -1);
    g.formats.assign(g.values.size(), std::string());
    for (size_t i = 0; i < results.tensors.size(); ++i) {
        const TensorAnalysis &t = results.tensors[i];
        const int c = i < formatOf.size() ? formatOf[i] : -1;
        const double v = c >= 0 && t.candidates[static_cast<size_t>(c)].applicable ? t.candidates[static_cast<size_t>(c)].errors.relativeError() : NAN;
        if (t.role == TensorRole::TokenEmbedding) {
            g.tokenEmbedding = v;
            g.tokenEmbeddingIndex = static_cast<int>(i);
            continue;
        }
        if (t.role == TensorRole::Output) {
            g.output = v;
            g.outputIndex = static_cast<int>(i);
            continue;
        }
        const auto k = std::find(ModelErrorGrid::kinds().begin(), ModelErrorGrid::kinds().end(), t.role);
        if (k == ModelErrorGrid::kinds().end() || t.layer < 0 || t.layer >= layers || t.candidates.empty())
            continue;
        const size_t cell = static_cast<size_t>(t.layer) * nk + static_cast<size_t>(k - ModelErrorGrid::kinds().begin());
        g.values[cell] = v;
        g.tensorIndex[cell] = static_cast<int>(i);
        g.formats[cell] = c >= 0 ? results.candidates[static_cast<size_t>(c)].id() : std::string();
    }
    return g;
}

ModelErrorGrid modelErrorGridForPlan(const AnalysisResults &results, int64_t layers, const std::vector<PlannedTensor> &planned)
{
    std::map<std::string, const TensorDecision *> decisionOf;
    for (const auto &p : planned)
        decisionOf[p.ggufName] = &p.decision;
    std::vector<int> formatOf(results.tensors.size(), -1);
    for (size_t i = 0; i < results.tensors.size(); ++i) {
        auto it = decisionOf.find(results.tensors[i].ggufName);
        if (it == decisionOf.end())
            continue;
        const QuantFormat format = it->second->format(); // the same match as the plan's totals and the table
        for (size_t c = 0; c < results.candidates.size(); ++c)
            if (results.candidates[c] == format)
                formatOf[i] = static_cast<int>(c);
    }
    return modelErrorGrid(results, layers, formatOf);
}

} // namespace qs
