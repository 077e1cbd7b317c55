// One evaluation as the studio runs it (and quantscope-cli eval does step by step): a model, or a plan applied to
// it as fake quantization, scored on a text, and the plan's predictions compared with the unquantized model's on
// the same windows. Everything a history row shows comes back in one value.
#pragma once

#include "common/result.h"
#include "engine/evaluation.h"
#include "export/quantize_job.h"
#include "jobs/job_control.h"
#include "model/model.h"

#include <memory>
#include <optional>
#include <string>

namespace qs {

// The evaluation text of a file: valid UTF-8 and not empty, or an error naming the file.
Result<std::string> readEvalText(const std::string &path);

struct PlanEvalRequest {
    std::shared_ptr<const Model> model;
    std::optional<QuantizeOptions> plan; // none: the model as it is
    // What the predictions are compared with (KL-divergence, top-1): `base` when given; else, with a plan, the
    // model unquantized, unless `compare` is false; a model without a plan and without `base` gives perplexity only.
    std::shared_ptr<const Model> base;
    bool compare = true;
    std::string text;                    // UTF-8
    std::optional<PplProtocol> protocol; // none: llama.cpp's for a GGUF file, Hugging Face's otherwise (as the CLI)
    int64_t context = 512;
    int64_t maxWindows = 0;              // 0: every window of the text
    int threads = 0;
};

struct PlanEvalOutcome {
    EvalResult result;       // with a plan: hasBase, the KL-divergence against the unquantized model
    PplProtocol protocol = PplProtocol::HuggingFace;
    int64_t context = 0;
    int64_t textTokens = 0;  // the whole text's tokens
    uint64_t bytes = 0;      // the plan's tensors (QuantizeResult), or the model's own
    double bitsPerWeight = 0; // the plan's over its quantized tensors, or the model's stored bits per parameter
    double seconds = 0;
};

Result<PlanEvalOutcome> evaluatePlan(const PlanEvalRequest &request, JobControl *control = nullptr);

} // namespace qs
