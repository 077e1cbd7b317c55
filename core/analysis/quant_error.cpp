#include "analysis/quant_error.h"

#include <algorithm>
#include <cmath>

namespace qs {

void ErrorStats::add(const float *w, const float *q, int64_t count, const float *importance, int64_t cols)
{
    for (int64_t i = 0; i < count; ++i) {
        const double e = static_cast<double>(w[i]) - q[i];
        const double ae = std::fabs(e);
        sumSqErr += e * e;
        sumSqW += static_cast<double>(w[i]) * w[i];
        sumAbsErr += ae;
        maxAbsErr = std::max(maxAbsErr, ae);
        if (ae == 0)
            ++exactZeros;
        else
            absErrorLog.add(std::log10(ae));
        if (importance) {
            const double imp = importance[i % cols];
            weightedSqErr += imp * e * e;
            weightedSqW += imp * static_cast<double>(w[i]) * w[i];
        }
    }
    n += count;
}

void ErrorStats::merge(const ErrorStats &o)
{
    n += o.n;
    sumSqErr += o.sumSqErr;
    sumSqW += o.sumSqW;
    sumAbsErr += o.sumAbsErr;
    maxAbsErr = std::max(maxAbsErr, o.maxAbsErr);
    weightedSqErr += o.weightedSqErr;
    weightedSqW += o.weightedSqW;
    stepSum += o.stepSum;
    blocks += o.blocks;
    absErrorLog.merge(o.absErrorLog);
    exactZeros += o.exactZeros;
}

double ErrorStats::rmse() const { return std::sqrt(mse()); }
double ErrorStats::relativeError() const { return sumSqW > 0 ? std::sqrt(sumSqErr / sumSqW) : 0; }
double ErrorStats::sqnrDb() const
{
    if (sumSqErr <= 0)
        return INFINITY;
    return sumSqW > 0 ? 10 * std::log10(sumSqW / sumSqErr) : 0;
}
double ErrorStats::rmseOverStep() const { return meanStep() > 0 ? rmse() / meanStep() : 0; }
double ErrorStats::weightedRelativeError() const { return weightedSqW > 0 ? std::sqrt(weightedSqErr / weightedSqW) : 0; }

void ErrorGrid::init(int64_t r, int64_t cols, int64_t bl)
{
    rows = r;
    blockLength = bl;
    blocks = bl > 0 ? cols / bl : 0;
    pooledRows = std::min(rows, kMaxCells);
    pooledBlocks = std::min(blocks, kMaxCells);
    const size_t cells = static_cast<size_t>(pooledRows * pooledBlocks);
    meanAbs.assign(cells, 0.f);
    maxAbs.assign(cells, 0.f);
    meanSigned.assign(cells, 0.f);
    step.assign(cells, 0.f);
    elements.assign(cells, 0);
    blockCount.assign(cells, 0);
}

int64_t ErrorGrid::firstRowOf(int64_t p) const
{
    // the smallest r with r * pooledRows / rows >= p
    return (p * rows + pooledRows - 1) / pooledRows;
}

void ErrorGrid::addRows(const float *w, const float *q, const float *steps, int64_t firstRow, int64_t n, int64_t cols)
{
    for (int64_t r = 0; r < n; ++r) {
        const int64_t pr = pooledRow(firstRow + r);
        for (int64_t b = 0; b < blocks; ++b) {
            const size_t cell = static_cast<size_t>(pr * pooledBlocks + b * pooledBlocks / blocks);
            const float *wb = w + r * cols + b * blockLength;
            const float *qb = q + r * cols + b * blockLength;
            float sum = 0, signedSum = 0, mx = maxAbs[cell];
            for (int64_t k = 0; k < blockLength; ++k) {
                const float d = qb[k] - wb[k];
                const float e = std::fabs(d);
                sum += e;
                signedSum += d;
                mx = std::max(mx, e);
            }
            meanAbs[cell] += sum;
            meanSigned[cell] += signedSum;
            maxAbs[cell] = mx;
            step[cell] += steps[r * blocks + b];
            elements[cell] += static_cast<uint32_t>(blockLength);
            blockCount[cell] += 1;
        }
    }
}

void ErrorGrid::finish()
{
    for (size_t i = 0; i < meanAbs.size(); ++i) {
        if (elements[i]) {
            meanAbs[i] /= static_cast<float>(elements[i]);
            meanSigned[i] /= static_cast<float>(elements[i]);
        }
        if (blockCount[i])
            step[i] /= static_cast<float>(blockCount[i]);
    }
}

} // namespace qs
