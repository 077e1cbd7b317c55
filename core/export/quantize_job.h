// Quantizing a whole model into a GGUF file, as llama-quantize does: the plan chooses each tensor's format, the
// importance matrix (if any) weights the quantizer, the metadata is the converter's plus llama-quantize's own keys.
#pragma once

#include "common/result.h"
#include "export/gguf_export.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "plan/imatrix.h"
#include "plan/plan.h"

#include <optional>
#include <string>
#include <vector>

namespace qs {

struct QuantizeOptions {
    Plan plan;
    std::string imatrixPath;      // empty: none
    std::string imatrixPathLabel; // what to record in quantize.imatrix.file (llama-quantize records the CLI path)
    int threads = 0;              // 0: every hardware thread
    bool allowRequantize = false; // llama-quantize --allow-requantize: quantize tensors that are already quantized
};

struct QuantizedTensor {
    std::string name;
    GgmlType type;
    std::string reason;
    uint64_t bytes = 0;
    bool usedImatrix = false;
    std::optional<IntGroupFormat> group; // a GPTQ/AWQ/RTN decision (`type` is then the 16-bit type it starts from)
};

struct QuantizeResult {
    std::vector<QuantizedTensor> tensors;
    uint64_t fileBytes = 0;
    double bitsPerWeight = 0; // over the quantized tensors
};

// What would be written, without writing: the request (metadata, tensors with types and importance weights) and
// the per-tensor decisions.
Result<GgufExportRequest> planQuantization(const Model &model, const QuantizeOptions &options, QuantizeResult *summary);

// An error when the request would quantize again tensors that are already quantized (a GGUF source in Q8_0, Q4_K,
// ...): quantizing quantized weights adds a second rounding to the first, so llama-quantize refuses unless
// --allow-requantize. quantizeModel() checks this unless options.allowRequantize.
Status checkRequantize(const Model &model, const GgufExportRequest &request);

Result<QuantizeResult> quantizeModel(const Model &model, const QuantizeOptions &options, const std::string &outputPath,
                                     JobControl *control = nullptr);

} // namespace qs
