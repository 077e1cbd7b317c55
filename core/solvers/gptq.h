// GPTQ (Frantar et al. 2022) with the reference semantics of IST-DASLab's gptq.py and AutoGPTQ/GPTQModel's
// fasterquant: dead columns (zero Hessian diagonal) zeroed, optional act-order (columns by descending Hessian
// diagonal) with or without static groups, damping 0.01 * mean(diag H) after the permutation (raised by 0.0025 at a
// time while the Cholesky factorisation fails, as GPTQModel does), the upper Cholesky factor of H^-1, lazy blocks of
// 128 columns, each group's parameters from the error-updated weights at the group's first column in sweep order
// (or from the original weights with static groups), min-max grids that always include 0, round half to even, all in
// fp32. Rows are independent given H^-1, so row slices run in parallel with identical results.
#pragma once

#include "common/result.h"
#include "formats/int_group.h"
#include "jobs/job_control.h"

#include <cstdint>
#include <vector>

namespace qs {

struct GptqOptions {
    IntGroupFormat format = IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128);
    bool actOrder = false;     // desc_act
    bool staticGroups = false; // group parameters from the original weights, before any error update
    double damp = 0.01;        // fraction of the mean Hessian diagonal added to it
    int blockSize = 128;
    int threads = 0;
};

struct GptqResult {
    GroupQuantizedTensor tensor;
    double damp = 0;          // the damping that factorised (raised from options.damp when it had to be)
    int64_t deadColumns = 0;
};

// W: rows x cols (out x in) f32; H: cols x cols, the (symmetric) Hessian 2/N X^T X of the Linear's inputs, taken by
// value because the solver works on it in place.
Result<GptqResult> gptqQuantize(const float *W, int64_t rows, int64_t cols, std::vector<float> H, const GptqOptions &options);

// The min-max grid GPTQ's Quantizer.find_params computes per row of `x` (rows x n, row stride `stride`): scale and
// zero per row; asymmetric grids always include 0, symmetric ones use zero = 2^(bits-1).
void gptqFindParams(const float *x, int64_t rows, int64_t n, int64_t stride, int bits, bool symmetric, float *scale, float *zero);

} // namespace qs
