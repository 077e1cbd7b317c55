// Quantizing a whole model into a GGUF file, as llama-quantize does: the plan chooses each tensor's format, the
// importance matrix (if any) weights the quantizer, the metadata is the converter's plus llama-quantize's own keys.
#pragma once

#include "common/result.h"
#include "export/gguf_export.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "plan/imatrix.h"
#include "plan/plan.h"

#include <string>
#include <vector>

namespace qs {

struct QuantizeOptions {
    Plan plan;
    std::string imatrixPath;      // empty: none
    std::string imatrixPathLabel; // what to record in quantize.imatrix.file (llama-quantize records the CLI path)
    int threads = 0;              // 0: every hardware thread
};

struct QuantizedTensor {
    std::string name;
    GgmlType type;
    std::string reason;
    uint64_t bytes = 0;
    bool usedImatrix = false;
};

struct QuantizeResult {
    std::vector<QuantizedTensor> tensors;
    uint64_t fileBytes = 0;
    double bitsPerWeight = 0; // over the quantized tensors
};

// What would be written, without writing: the request (metadata, tensors with types and importance weights) and
// the per-tensor decisions.
Result<GgufExportRequest> planQuantization(const Model &model, const QuantizeOptions &options, QuantizeResult *summary);

Result<QuantizeResult> quantizeModel(const Model &model, const QuantizeOptions &options, const std::string &outputPath,
                                     JobControl *control = nullptr);

} // namespace qs
