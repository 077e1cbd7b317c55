// The analysis engine: for each tensor, its weight statistics and, for each candidate format, the error the format
// does, with a heatmap. Multithreaded over row chunks, streaming from the mapped model (a few chunks in memory per
// thread), progress by bytes done, cancellable within a chunk. Nothing is computed twice: the statistics once, and
// all candidates measured on the same pass over the weights.
#pragma once

#include "formats/quant_format.h"
#include "analysis/quant_error.h"
#include "analysis/statistics.h"
#include "common/result.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "plan/imatrix.h"

#include <string>
#include <vector>

namespace qs {

struct CandidateResult {
    QuantFormat candidate;
    bool applicable = true;
    std::string note;   // why not applicable
    ErrorStats errors;
    ErrorGrid grid;     // empty unless heatmaps were asked for
    uint64_t bytes = 0;
    double bitsPerWeight = 0;
};

struct TensorAnalysis {
    size_t index = 0;          // into Model::tensors()
    std::string name, ggufName;
    TensorRole role = TensorRole::Other;
    int layer = -1;
    std::vector<int64_t> shape;
    int64_t rows = 0, cols = 0;
    TensorStatistics stats;
    std::vector<CandidateResult> candidates;
    bool weighted = false;     // an importance matrix entry weighted the errors (and the quantizer)
};

struct AnalysisOptions {
    std::vector<QuantFormat> candidates;
    const ImportanceMatrix *imatrix = nullptr;
    int threads = 0;
    bool heatmaps = true;
    std::vector<std::string> tensors; // names (either side of the mapping); empty: every quantizable weight
};

struct AnalysisResults {
    std::vector<QuantFormat> candidates;
    std::vector<TensorAnalysis> tensors;
};

// The GGUF name of a model tensor (its own name for GGUF models).
std::string ggufNameOf(const Model &model, const ModelTensor &t);

Result<AnalysisResults> analyzeModel(const Model &model, const AnalysisOptions &options, JobControl *control = nullptr);

} // namespace qs
