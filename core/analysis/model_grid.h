// The model at a glance: a layer x tensor-kind grid (attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up,
// ffn_down), plus the token embedding and the output, each cell the relative error of the format a plan gives that
// tensor, taken from an analysis that measured it. NaN where the analysis did not measure that format.
#pragma once

#include "analysis/analysis_engine.h"
#include "plan/plan.h"

#include <cmath>
#include <string>
#include <vector>

namespace qs {

struct ModelErrorGrid {
    static const std::vector<TensorRole> &kinds();
    int64_t layers = 0;
    std::vector<double> values;       // layers x kinds, row-major
    std::vector<int> tensorIndex;     // into AnalysisResults::tensors, -1 for an empty cell
    std::vector<std::string> formats; // the format each cell shows
    double tokenEmbedding = NAN, output = NAN;
    int tokenEmbeddingIndex = -1, outputIndex = -1;

    double at(int64_t layer, size_t kind) const { return values[static_cast<size_t>(layer) * kinds().size() + kind]; }
};

// `formatOf(tensor)`: the candidate (index into results.candidates) the plan gives it, or -1.
ModelErrorGrid modelErrorGrid(const AnalysisResults &results, int64_t layers, const std::vector<int> &formatOfTensor);

// A plan already resolved over the model (resolveForModel: the same resolution an export runs), mapped onto the
// analysed candidates. Touches no file: the studio calls it on every plan edit.
struct PlannedTensor;
ModelErrorGrid modelErrorGridForPlan(const AnalysisResults &results, int64_t layers, const std::vector<PlannedTensor> &planned);

} // namespace qs
