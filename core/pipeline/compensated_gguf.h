// A GGUF file whose block Linear weights are GPTQ-compensated GGUF blocks (solvers/gptq_gguf.h): the plan and the
// importance matrix choose every tensor's type exactly as for plain quantization (export/quantize_job.h), the
// tensors the plan compensates are solved layer by layer on calibration text by the GPTQ driver
// (pipeline/group_quantize.h) and written as the solver's bytes, everything else is quantized as usual. The file has
// the same types and bytes per tensor as the plain one; its metadata lists the compensated tensors, and every one of
// them is read back from the written file and compared with what was solved.
#pragma once

#include "calibration/calibration_set.h"
#include "common/result.h"
#include "export/quantize_job.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "pipeline/group_quantize.h"

#include <memory>
#include <string>
#include <vector>

namespace qs {

struct CompensatedTensor {
    std::string name; // GGUF name
    GgmlType type = GgmlType::Q4_K;
    double loss = 0;      // tr((W - Q) H (W - Q)^T) on its calibration inputs, compensated
    double plainLoss = 0; // the same for plain quantization
};

struct CompensatedQuantizeResult {
    QuantizeResult summary;                     // as quantizeModel reports it
    std::vector<CompensatedTensor> compensated; // in the order they were solved
    double solveSeconds = 0;                    // calibration and solving
};

// The GGUF names a plan compensates among a request's tensors: block Linear weights in a type gptqGgufQuantize
// produces that the plan's `compensate` pattern picks (every one, when the plan has none).
std::vector<std::string> compensatedTensorNames(const Model &model, const Plan &plan, const GgufExportRequest &request);

// `calibration` carries the driver's settings (damping, threads, spill folder); its `compensate` is filled here.
Result<CompensatedQuantizeResult> quantizeCompensatedModel(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                           const CalibrationSet &calib, GroupQuantizeOptions calibration,
                                                           const std::string &outputPath, JobControl *control = nullptr);

} // namespace qs
