// The line under the plan editor: what the plan writes, in bytes and bits per quantized weight, and the error the
// analysis measured for it. Figures that cannot be computed say "n/a" rather than 0 (a GGUF source that is already
// quantized has no original weights to measure an error against).
#pragma once

#include "analysis/analysis_engine.h"
#include "export/quantize_job.h"
#include "model/model.h"

#include <QCoreApplication>
#include <QString>

#include <vector>

namespace qs {

// A tensor stored in a block format (Q4_K, IQ4_XS…): its original weights are gone, so no error against them can be
// measured; a re-quantization can only be compared with the quantized weights.
bool storedQuantized(const ModelTensor &tensor);

struct PlanTotals {
    Q_DECLARE_TR_FUNCTIONS(qs::PlanTotals)
public:
    uint64_t bytes = 0;          // every tensor as the plan writes it
    double bitsPerWeight = NAN;  // over the tensors written in a quantized format (quantized now or already)
    double error = NAN;          // root of the summed squared errors over the summed squared weights, measured tensors
    int measured = 0;            // quantized tensors whose planned format the analysis measured
    int quantized = 0;           // tensors the plan quantizes
    int alreadyQuantized = 0;    // tensors whose source is stored quantized

    static PlanTotals of(const Model &model, const std::vector<PlannedTensor> &planned, const AnalysisResults *analysis);
    QString text(const QString &preset) const;
};

} // namespace qs
