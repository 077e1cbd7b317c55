// Producing AWQ weights layer by layer, as AutoAWQ's AwqQuantizer.quantize does: the calibration windows run through
// the unquantized model one decoder layer at a time (the FP layer output feeds the next layer); in each layer every
// Linear's input is recorded, the scales of each scaling group are searched on the layer's original weights
// ([q,k,v] after input_layernorm, loss on the attention block's output; [o] after v only when their shapes match,
// which GQA rules out; [gate,up] after post_attention_layernorm, loss on the MLP's output; [down] after up, loss on
// down's output), folded into the norms and the previous Linear, the weights clipped (not q/k) and quantized.
#pragma once

#include "calibration/calibration_set.h"
#include "common/result.h"
#include "engine/weight_source.h"
#include "formats/ggml_type.h"
#include "formats/int_group.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "model/tensor_scales.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

struct AwqOptions {
    int bits = 4;
    int groupSize = 128;      // -1: per channel
    bool zeroPoint = true;    // AutoAWQ's default
    // Quantscope's variant: the search also tries s = 1 (plain round-to-nearest), so on each group's own loss AWQ is
    // never worse than RTN. Off: AutoAWQ's grid exactly.
    bool includeIdentity = false;
    // Also produce the other variant from the same search (AwqResult::withIdentity): the layers see FP inputs, so
    // both come from one pass at the cost of one more candidate, clip and quantization per group.
    bool compareIdentity = false;
    bool clip = true;
    bool duoScaling = true;
    int grid = 20;
    int layers = -1;          // quantize only the first `layers` layers (the rest stay as they are); -1: all
    // The q/k/v and gate/up candidates are judged on the block outputs of the first `searchWindows` calibration
    // windows only (0: all, AutoAWQ's way); the statistics, the one-Linear groups and the clip use every window.
    int searchWindows = 0;
    int threads = 0;
    // A folder to spill the kept activations to (5 x tokens x hidden f32) instead of memory. Empty: memory.
    std::string spillDir;
    // A folder for resuming: after every finished layer its results and the next layer's FP inputs are saved there
    // (atomically); a run with the same model, calibration and options picks up after the last saved layer. Empty:
    // no saving.
    std::string resumeDir;
    // Scales for a GGUF file instead of integer groups (folded into the model before the exporter quantizes it): the
    // planned type and importance weights of each block Linear, by model tensor name. Every candidate is then
    // fake-quantized in its tensor's own type (importance / s^2: the scaled inputs' mean squares), s = 1 is always a
    // candidate (a group keeps its weights where no scaling beats them), nothing is clipped and nothing is quantized:
    // the result holds the scales (AwqResult::folded) and no tensors. A Linear not in the map counts as full
    // precision in the search. Neither resumeDir nor compareIdentity applies.
    struct GgufTarget {
        GgmlType type = GgmlType::Q4_K;
        std::vector<float> importance;
    };
    std::map<std::string, GgufTarget> gguf;
};

// Which grid point each scaling group of a layer chose (k of k/grid; -1: the identity; kSkipped: not searched).
struct AwqLayerChoice {
    static constexpr int kSkipped = -2;
    int layer = 0;
    int qkv = kSkipped, vo = kSkipped, gateUp = kSkipped, down = kSkipped;
    std::vector<double> lossQkv, lossVo, lossGateUp, lossDown; // per grid point (then the identity's when tried)
};

struct AwqResult {
    std::map<std::string, GroupQuantizedTensor> tensors; // by model tensor name ("model.layers.0.mlp.up_proj.weight");
                                                         // up_proj's already carries down's scales (its rows / s)
    std::map<std::string, std::vector<float>> norms;     // the norms with the scales folded in (and v's bias when o's
                                                         // scales went into v), by name (f32 holding
                                                         // the source dtype's values, as the checkpoint stores them)
    // The scales each quantized Linear's input channels were multiplied by (its weight columns * s, its input / s), by
    // tensor name; absent where none were applied (o_proj under GQA).
    std::map<std::string, std::vector<float>> inputScales;
    std::vector<AwqLayerChoice> choices;                 // per quantized layer
    std::shared_ptr<WeightSource> weights;               // the model with all of the above in place (for evaluating)
    double seconds = 0;
    std::shared_ptr<AwqResult> withIdentity;             // with compareIdentity: the variant with s = 1 among the candidates
    double secondsScale = 0, secondsClip = 0, secondsForward = 0; // where the time went
    int resumedLayers = 0;                               // layers taken from resumeDir instead of being solved again
    // With AwqOptions::gguf: the scales to fold, by model tensor name: each scaled Linear's columns times s (and v's or
    // up's rows divided by the next Linear's s), each norm before a scaled group times 1 / s. Groups that kept s = 1
    // are absent.
    std::map<std::string, TensorScales> folded;
};

Result<AwqResult> awqQuantize(std::shared_ptr<const Model> model, const CalibrationSet &calibration, const AwqOptions &options,
                              JobControl *control = nullptr);

} // namespace qs
