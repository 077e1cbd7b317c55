#include "calibration/hessian.h"

#include "jobs/thread_pool.h"

#include <cblas.h>

#include <algorithm>

namespace qs {

namespace {
constexpr int64_t kBlock = 256;
}

HessianAccumulator::HessianAccumulator(int64_t columns, int threads)
    : m_n(columns), m_threads(threads), m_sum(static_cast<size_t>(columns * columns), 0.0f)
{
}

void HessianAccumulator::add(const float *x, int64_t rows)
{
    if (rows <= 0 || m_n <= 0)
        return;
    const int64_t nb = (m_n + kBlock - 1) / kBlock;
    std::vector<std::pair<int64_t, int64_t>> blocks;
    for (int64_t i = 0; i < nb; ++i)
        for (int64_t j = i; j < nb; ++j)
            blocks.emplace_back(i, j);
    const int n = static_cast<int>(m_n);
    ThreadPool::shared().run(static_cast<int>(blocks.size()), [&](int b) {
        const int64_t i0 = blocks[static_cast<size_t>(b)].first * kBlock, j0 = blocks[static_cast<size_t>(b)].second * kBlock;
        const int64_t ni = std::min(kBlock, m_n - i0), nj = std::min(kBlock, m_n - j0);
        // sum[i0.., j0..] += X[:, i0..]^T X[:, j0..]
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(ni), static_cast<int>(nj), static_cast<int>(rows), 1.0f, x + i0,
                    n, x + j0, n, 1.0f, m_sum.data() + i0 * m_n + j0, n);
    }, ThreadPool::effectiveThreads(m_threads));
    m_rows += rows;
}

std::vector<float> HessianAccumulator::take()
{
    std::vector<float> h = std::move(m_sum);
    const float scale = m_rows > 0 ? 2.0f / static_cast<float>(m_rows) : 0.0f;
    for (int64_t i = 0; i < m_n; ++i)
        for (int64_t j = i; j < m_n; ++j) {
            // only the upper blocks were summed: the lower triangle inside a diagonal block holds sums too, equal
            // by symmetry; take the upper one for both
            const float v = h[static_cast<size_t>(i * m_n + j)] * scale;
            h[static_cast<size_t>(i * m_n + j)] = v;
            h[static_cast<size_t>(j * m_n + i)] = v;
        }
    m_sum.clear();
    m_rows = 0;
    return h;
}

} // namespace qs
