// What `quantscope-cli analyze` prints: a ranked table (worst tensors first, by the first format's relative error),
// per-format totals, and the same as JSON (schema "quantscope.analysis/1").
#pragma once

#include "analysis/analysis_engine.h"

#include <QJsonObject>

#include <string>

namespace qs {

struct FormatTotals {
    uint64_t bytes = 0;
    int64_t elements = 0;
    double relativeError = 0; // over every measured tensor: sqrt(sum err^2 / sum w^2)
    double sqnrDb = 0;
    int notApplicable = 0;
};

FormatTotals totalsFor(const AnalysisResults &r, size_t candidate);
// Tensor indices (into r.tensors) ordered worst first by the relative error of candidate 0.
std::vector<size_t> rankWorstFirst(const AnalysisResults &r);

std::string analysisText(const Model &model, const AnalysisResults &r, bool weighted);
QJsonObject analysisJson(const Model &model, const AnalysisResults &r);

} // namespace qs
