// Producing a plan's GPTQ weights, layer by layer, as GPTQModel does: the calibration windows run through the model
// one decoder layer at a time (the layer's inputs for every window are kept, nothing holds the model in f32); within
// a layer the true-sequential subsets [q,k,v] [o] [gate,up] [down] are solved in turn, each from a Hessian of its
// inputs computed with the subsets before it already quantized; the quantized layer's outputs feed the next layer.
// RTN choices are rounded on the way. GGUF choices are left to the exporter, except those named in
// GroupQuantizeOptions::compensate: those are GPTQ-compensated GGUF blocks (solvers/gptq_gguf.h), solved in the same
// subsets as GPTQ's integer formats and handed back as block bytes for the exporter to write as they are.
#pragma once

#include "calibration/calibration_set.h"
#include "common/result.h"
#include "engine/weight_source.h"
#include "formats/int_group.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "plan/plan.h"
#include "solvers/gptq_gguf.h"

#include <map>
#include <memory>
#include <string>

namespace qs {

struct GroupQuantizeOptions {
    bool actOrder = false;     // GPTQ desc_act
    bool staticGroups = false;
    double damp = 0.01;
    int threads = 0;
    // A folder for resuming: after every finished layer its results and the next layer's inputs are saved there
    // (atomically); a run with the same model, plan, calibration and options picks up after the last saved layer.
    // Empty: no saving.
    std::string resumeDir;
    // A folder to spill the kept layer inputs to (a reserved, unlinked, mapped file) instead of memory. Empty: memory.
    std::string spillDir;
    // GPTQ-compensated GGUF blocks, by GGUF tensor name: the type (and the importance weights) the exporter would
    // write the tensor in. Only block Linear weights can be compensated. Not with resumeDir.
    struct Compensation {
        GgmlType type = GgmlType::Q4_K;
        std::vector<float> importance;
    };
    std::map<std::string, Compensation> compensate;
    // Scales folded into the model before anything is solved (AWQ-style, for a GGUF file: AwqResult::folded), by
    // model tensor name: the layers run, and the tensors are solved, as the scaled model.
    std::map<std::string, TensorScales> scales;
    // The importance weights the exporter quantizes each GGUF tensor with, by GGUF name: the tensors left to the
    // exporter are fake-quantized with them in the layers the later subsets see. Absent: none.
    std::map<std::string, std::vector<float>> ggufImportance;
};

struct GroupQuantizeResult {
    std::map<std::string, GroupQuantizedTensor> tensors; // by Hugging Face name ("model.layers.0.self_attn.q_proj.weight")
    std::map<std::string, GgufGptqResult> gguf;           // compensated GGUF blocks by model tensor name, rows in
                                                         // the Hugging Face layout; `values` emptied (the bytes say the same)
    std::shared_ptr<WeightSource> weights;               // the model with every solved tensor in place (for evaluating)
    double seconds = 0;
    int resumedLayers = 0; // layers taken from resumeDir instead of being solved again
};

Result<GroupQuantizeResult> quantizeGroupPlan(std::shared_ptr<const Model> model, const Plan &plan, const CalibrationSet &calibration,
                                              const GroupQuantizeOptions &options, JobControl *control = nullptr);

// Reads every quantized tensor back from a written checkpoint and compares it with what was solved (dequantized with
// fp16 scales, as the file stores them): at most one fp16 ulp apart, so the file evaluates as the plan did.
Status verifyWrittenCheckpoint(const Model &written, const std::map<std::string, GroupQuantizedTensor> &solved);

} // namespace qs
