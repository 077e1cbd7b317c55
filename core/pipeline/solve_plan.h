// Producing a plan's integer-group weights with the solver its formats name, and writing them as the checkpoint
// people deploy: the one entry the CLI's `quantize` and the studio's Quantize job share.
//
//  GPTQ and RTN (any mix of bits and groups per tensor): quantizeGroupPlan, layer by layer on quantized inputs.
//  AWQ: awqQuantize, one format for every block Linear (AutoAWQ's scaling groups share their scales, and its GEMM
//       checkpoint has one bit width); a plan that mixes AWQ with other formats or widths is refused with the reason.
#pragma once

#include "calibration/calibration_set.h"
#include "common/result.h"
#include "engine/weight_source.h"
#include "export/group_checkpoint.h"
#include "formats/int_group.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "pipeline/awq_quantize.h"
#include "pipeline/group_quantize.h"
#include "plan/plan.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

struct SolveOptions {
    GroupQuantizeOptions gptq;  // act-order, static groups, damping, threads, resume folder (both solvers)
    bool awqIdentity = false;   // AWQ: Quantscope's variant whose grid also holds s = 1 (never worse than RTN per group)
};

struct SolvedPlan {
    IntGroupMethod solver = IntGroupMethod::Gptq;              // what ran: Gptq (GPTQ and RTN choices) or Awq
    std::map<std::string, GroupQuantizedTensor> tensors;       // by Hugging Face weight name
    std::map<std::string, std::vector<float>> replacements;    // AWQ: the norms its scales were folded into
    std::map<std::string, std::vector<float>> inputScales;     // AWQ: each Linear's input-channel scales
    std::vector<AwqLayerChoice> awqChoices;                    // AWQ: the grid point each scaling group chose
    std::shared_ptr<WeightSource> weights;                     // the model as the checkpoint will hold it
    double seconds = 0;
    int resumedLayers = 0;
};

// Which solver a plan needs and whether one run can produce it; the message says what to change.
Result<IntGroupMethod> planSolver(const Plan &plan);

// The checkpoint layout a plan is written in unless the person picks another: AutoAWQ's GEMM for AWQ at 4 bits,
// GPTQModel's for everything else.
GroupCheckpointFormat defaultCheckpointFormat(const Plan &plan);

Result<SolvedPlan> solvePlan(std::shared_ptr<const Model> model, const Plan &plan, const CalibrationSet &calibration,
                             const SolveOptions &options, JobControl *control = nullptr);

// Writes the solved plan as a checkpoint folder (atomically) and reads it back: every quantized tensor must
// re-dequantize to what was solved (<= 1 fp16 ulp) and every replaced tensor to its value in the source dtype, so
// the file evaluates exactly as the plan did. Returns the written model.
Result<std::shared_ptr<const Model>> writeSolvedCheckpoint(const Model &model, const SolvedPlan &solved, GroupCheckpointFormat format,
                                                           const std::string &dir, JobControl *control = nullptr);

// The ratio max(s) / min(s) of an AWQ input scaling: 1 when nothing was rebalanced.
double scaleRatio(const std::vector<float> &scales);

} // namespace qs
