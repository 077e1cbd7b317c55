// Importance matrices from text, as llama-imatrix -c N computes them (tools/imatrix/imatrix.cpp): the text cut into
// chunks as llama-perplexity cuts it (BOS as the vocabulary says, in place of each chunk's first token), every chunk
// run through the blocks, and for every Linear weight of the blocks (blk.*: attn_q/k/v/output, ffn_gate/up/down; not
// the output head, as without --process-output) the sum of x^2 over every activation row, per input column, and the
// number of rows.
#pragma once

#include "common/result.h"
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "jobs/job_control.h"
#include "plan/imatrix.h"

namespace qs {

struct ImportanceOptions {
    int threads = 0;
    int64_t batchBytes = int64_t(256) << 20; // residual streams held at once
};

// `windows`: llama.cpp-protocol windows (makeEvalWindows with PplProtocol::LlamaCpp); every position is used.
Result<ImportanceSums> collectImportance(const Transformer &model, const EvalWindows &windows, const ImportanceOptions &options = {},
                                         JobControl *control = nullptr);

} // namespace qs
