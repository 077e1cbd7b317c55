// A GGUF file calibrated on text, in two optional steps: the plan and the importance matrix choose every tensor's type
// exactly as for plain quantization (export/quantize_job.h); then
// - scales: AWQ's scale search per scaling group of every layer, each candidate fake-quantized in the tensors' planned
//   GGUF types (pipeline/awq_quantize.h, AwqOptions::gguf), the chosen scales folded into the norms and Linears
//   before they are quantized (s = 1, no change, where no scaling helps); the importance weights follow the scaled
//   inputs (/ s^2). llama.cpp runs the file unchanged: a norm is an f32 tensor, a folded one just holds other values.
// - compensation: the tensors the plan compensates are solved layer by layer on the (scaled) model by the GPTQ driver
//   (pipeline/group_quantize.h) as GPTQ-compensated GGUF blocks (solvers/gptq_gguf.h) and written as the solver's
//   bytes, everything else quantized as usual.
// The file has the same types and bytes per tensor as the plain one; its metadata lists the scaled and the
// compensated tensors, and every compensated one is read back from the written file and compared with what was solved.
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

struct CalibratedGgufOptions {
    bool compensate = true; // GPTQ-compensated blocks for the tensors the plan compensates
    bool scales = false;    // AWQ-style scales searched for the planned types and folded
    int scaleGrid = 20;     // AWQ's grid of scale exponents
    // The scale search judges q/k/v and gate/up candidates on the block outputs of this many calibration windows
    // (each candidate runs the block over them: the search's cost); the statistics use every window. 0: all.
    int scaleWindows = 16;
    // the GPTQ driver's settings (damping, threads, spill folder); its `compensate` and `scales` are filled here
    GroupQuantizeOptions calibration;
};

struct CompensatedQuantizeResult {
    QuantizeResult summary;                     // as quantizeModel reports it
    std::vector<CompensatedTensor> compensated; // in the order they were solved
    std::vector<std::string> scaled;            // GGUF names of the tensors the folded scales changed
    int scaledGroups = 0, searchedGroups = 0;   // scaling groups that chose s != 1, of those searched
    double scaleSeconds = 0;                    // the scale search
    double solveSeconds = 0;                    // calibration and solving (the scale search included)
};

// The GGUF names a plan compensates among a request's tensors: block Linear weights in a type gptqGgufQuantize
// produces that the plan's `compensate` pattern picks (every one, when the plan has none).
std::vector<std::string> compensatedTensorNames(const Model &model, const Plan &plan, const GgufExportRequest &request);

// Folds scales (by model tensor name, as AwqResult::folded holds them) into a request: each scaled tensor's
// `scales`, its importance weights divided by the square of its column scales (its inputs are divided by them).
// Returns the GGUF names of the tensors it scaled.
std::vector<std::string> foldScalesInto(const Model &model, GgufExportRequest &request, const std::map<std::string, TensorScales> &folded);

Result<CompensatedQuantizeResult> quantizeCompensatedModel(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                           const CalibrationSet &calib, CalibratedGgufOptions calibrated,
                                                           const std::string &outputPath, JobControl *control = nullptr);

} // namespace qs
