// The damage a format does to a tensor: error statistics (mergeable, like the weight statistics) and a rows x blocks
// heatmap pooled to at most 1024 x 1024 cells.
#pragma once

#include "analysis/statistics.h"

#include <cstdint>
#include <vector>

namespace qs {

struct ErrorStats {
    int64_t n = 0;
    double sumSqErr = 0, sumSqW = 0, sumAbsErr = 0, maxAbsErr = 0;
    double weightedSqErr = 0, weightedSqW = 0; // importance-weighted (imatrix column weights); 0 without one
    double stepSum = 0;                        // sum of block steps, for the mean quantization step
    int64_t blocks = 0;
    Histogram absErrorLog = Histogram(-12.0, 2.0, 140); // log10 |error|; exact zeros counted apart
    int64_t exactZeros = 0;

    void add(const float *w, const float *q, int64_t count, const float *importance, int64_t cols);
    void merge(const ErrorStats &o);

    double mse() const { return n ? sumSqErr / static_cast<double>(n) : 0; }
    double rmse() const;
    double relativeError() const;       // ||W - Q(W)|| / ||W||
    double sqnrDb() const;              // 10 log10(sum W^2 / sum (W - Q(W))^2)
    double meanStep() const { return blocks ? stepSum / static_cast<double>(blocks) : 0; }
    double rmseOverStep() const;        // 1/sqrt(12) = 0.289 for ideal uniform rounding
    double weightedRelativeError() const; // 0 when no importance matrix was given
};

// A rows x blocks map of the error, pooled: cell (i, j) covers rows [i*R/PR, (i+1)*R/PR) and blocks
// [j*B/PB, (j+1)*B/PB) (integer division), PR = min(R, 1024), PB = min(B, 1024). Mean |error| is averaged over
// the cell's elements, max |error| is the cell's maximum, the step is the mean of its blocks' steps, and the signed
// error mean(Q(W) - W) is the cell's bias: formats without an offset (Q4_0, Q8_0) are unbiased on average, a cell far
// from 0 shows where the rounding leans one way.
struct ErrorGrid {
    int64_t rows = 0, blocks = 0;         // of the tensor
    int64_t pooledRows = 0, pooledBlocks = 0;
    int64_t blockLength = 0;
    std::vector<float> meanAbs, maxAbs, step; // pooledRows x pooledBlocks, row-major
    std::vector<float> meanSigned;            // empty in projects written before it existed
    std::vector<uint32_t> elements, blockCount;

    static constexpr int64_t kMaxCells = 1024;
    void init(int64_t rows, int64_t cols, int64_t blockLength);
    int64_t pooledRow(int64_t row) const { return row * pooledRows / rows; }
    int64_t firstRowOf(int64_t pooledRow) const; // the first tensor row that pools into it
    // Adds rows [firstRow, firstRow + n) of weights w and their quantized q, with per-block steps (n x blocks).
    void addRows(const float *w, const float *q, const float *steps, int64_t firstRow, int64_t n, int64_t cols);
    void finish(); // turns sums into means
};

} // namespace qs
