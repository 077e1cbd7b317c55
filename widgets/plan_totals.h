// What a plan comes to over a model: the bytes it writes, bits per quantized weight, and the error an analysis
// measured for it; and the line under the plan editor that says so. Figures that cannot be computed are n/a rather
// than 0: a GGUF source that is already quantized has no original weights to measure an error against.
#pragma once

#include "analysis/analysis_engine.h"
#include "model/model.h"
#include "plan/resolve.h"

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <vector>

namespace qs {

// A tensor stored in a block format (Q4_K, IQ4_XS…): its original weights are gone, so no error against them can be
// measured; a re-quantization can only be compared with the quantized weights.
bool storedQuantized(const ModelTensor &tensor);

struct PlanTotals {
    Q_DECLARE_TR_FUNCTIONS(qs::PlanTotals)
public:
    uint64_t bytes = 0;           // every tensor in its planned format
    uint64_t quantizedBytes = 0;  // the tensors written quantized: quantized now, or kept as stored quantized
    int64_t quantizedElements = 0;
    int quantized = 0;            // tensors the plan quantizes
    int measured = 0;             // of those, how many an analysis measured in their planned format
    int alreadyQuantized = 0;     // tensors the source stores quantized: their error is n/a
    double sumSqErr = 0, sumSqW = 0;

    std::optional<double> bitsPerQuantizedWeight() const;
    std::optional<double> relativeError() const; // sqrt(err / weights) over the measured tensors

    static PlanTotals of(const Model &model, const std::vector<PlannedTensor> &planned, const AnalysisResults *analysis);
    // "Plan Q4_K_M: 13.37 MiB, 4.852 bits per quantized weight, error 6.277% over the 44 of 44 quantized tensors measured"
    QString text(const QString &preset) const;
};

} // namespace qs
