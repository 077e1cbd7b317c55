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
#include <functional>
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

// --- the machinery any GPTQ quantizer shares (gptqQuantize's integer grids, gptqGgufQuantize's GGUF blocks) ---------

// Dead columns (zero Hessian diagonal): their weights are zeroed and their diagonal set to 1, as the reference does.
// Returns how many there were.
int64_t gptqZeroDeadColumns(float *W, int64_t rows, int64_t cols, std::vector<float> &H);

// H (cols x cols, row-major) replaced by the upper Cholesky factor of (H + d * mean(diag H) * I)^-1 with d = damp,
// raised by 0.0025 at a time while the factorisation fails (GPTQModel). Returns the damping that factorised, or an
// error when H holds a value that is not finite or no damping below 1.0 factorises it.
Result<double> gptqInverseFactor(std::vector<float> &H, int64_t cols, double damp);

// One row slice of the sweep at one column, as a column quantizer sees it.
struct GptqSweepColumn {
    int64_t firstRow = 0, rows = 0;        // the slice
    int64_t col = 0;                       // the column to quantize (sweep order)
    int64_t blockBegin = 0, blockEnd = 0;  // the lazy block holding it
    // The slice's rows (row stride: the matrix's columns). Columns of the current lazy block carry every update made
    // so far; later columns lack the current block's updates until it ends (so at a lazy block's first column every
    // column is current).
    float *W = nullptr;
    int64_t cols = 0;
    // The lazy block's columns as they were when it began (row stride `blockStride`): where the reference finds a
    // group's grid.
    const float *blockStart = nullptr;
    int64_t blockStride = 0;
};
// Writes q[r] for r < column.rows: the quantized value of W[r, column.col]. Called for the slices concurrently: it
// may only write what belongs to its slice's rows.
using GptqColumnQuantizer = std::function<void(const GptqSweepColumn &column, float *q)>;

// GPTQ's column sweep over W (rows x cols, left holding the error-updated weights), with Hinv from
// gptqInverseFactor: each column quantized, its error spread over the rest of its lazy block at once and over the
// later columns when the block ends (lazy batch updates). Row slices run in parallel with identical results.
// Returns the reference loss, sum (w - q)^2 / d^2 / 2.
double gptqSweep(float *W, int64_t rows, int64_t cols, const std::vector<float> &Hinv, int blockSize, int threads,
                 const GptqColumnQuantizer &quantize);

// The min-max grid GPTQ's Quantizer.find_params computes per row of `x` (rows x n, row stride `stride`): scale and
// zero per row; asymmetric grids always include 0, symmetric ones use zero = 2^(bits-1).
void gptqFindParams(const float *x, int64_t rows, int64_t n, int64_t stride, int bits, bool symmetric, float *scale, float *zero);

} // namespace qs
