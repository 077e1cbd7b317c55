// What a solved GPTQ/AWQ result did to one tensor, for the tensor details: the original weights' histogram against
// the solved weights' (same bins, from evenly spaced whole rows), the error's histogram, the levels of one group,
// and the rows x groups error map over the whole tensor. The solved weights are dequantized with fp16 scales, as the
// checkpoint stores them; AWQ's scalings are undone (each column divided by its input scale, and up_proj's and
// v_proj's rows multiplied back by down_proj's and o_proj's), so the comparison is with the original weights. Runs
// in a worker; core's Histogram and ErrorGrid do the counting.
#pragma once

#include "analysis/quant_error.h"
#include "analysis/tensor_preview.h"
#include "common/result.h"

#include <memory>

namespace qs {

struct SolvedResult;

struct SolvedPreview {
    TensorPreview preview; // `type` means nothing here: the view labels it by the solver
    std::shared_ptr<const ErrorGrid> grid;
};

// `index` is the model tensor (by the model the result was solved from); `block` the group whose levels are shown.
Result<SolvedPreview> previewSolved(const SolvedResult &result, size_t index, int64_t block = 0, int64_t maxElements = int64_t(1) << 21);

} // namespace qs

Q_DECLARE_METATYPE(qs::SolvedPreview)
