// Measured sensitivity: for each tensor and candidate format, how far the model's predictions move (KL-divergence
// from the unquantized model, top-1 agreement, change in mean NLL) on a small evaluation set when only that tensor is
// quantized. The residual stream entering every layer is computed once and kept, so a measurement on a tensor of
// layer L runs only layers L.. and the head: measure once, re-plan instantly.
#pragma once

#include "common/result.h"
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "formats/quant_format.h"
#include "jobs/job_control.h"

#include <map>
#include <string>
#include <vector>

namespace qs {

struct SensitivityResults {
    std::vector<QuantFormat> formats;
    std::vector<std::string> tensors; // GGUF names
    // tensors x formats, row-major; NaN where the format cannot hold the tensor (row length not a multiple of its block)
    std::vector<float> kld, top1, deltaNll;
    int64_t windows = 0, context = 0, tokens = 0;
    std::string text;                 // what it was measured on (a path or "built-in")

    size_t index(size_t tensor, size_t format) const { return tensor * formats.size() + format; }
    float kldOf(const std::string &tensor, const QuantFormat &format) const; // NaN if not measured
    bool empty() const { return tensors.empty(); }
};

struct SensitivityOptions {
    std::vector<QuantFormat> formats;
    int threads = 0;
    // which tensors: empty = every 2-D weight (the blocks' Linears, the token embedding and the output head)
    std::vector<std::string> only;
    // Importance weights per input column by GGUF name (an imatrix), for the GGUF quantizers that use them, as the
    // exporter will quantize with them: measure what will be written.
    std::map<std::string, std::vector<float>> importance;
};

Result<SensitivityResults> measureSensitivity(const Transformer &base, const EvalWindows &windows, const SensitivityOptions &options,
                                              JobControl *control = nullptr);

} // namespace qs
