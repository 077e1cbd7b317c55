// The GPTQ Hessian of a Linear: H = 2/N X^T X over the N activation rows that multiplied it, accumulated in fp32 as
// the reference does, block by block over the shared pool (each block of H is written by one task: no locks, and the
// same sums whatever the thread count).
#pragma once

#include <cstdint>
#include <vector>

namespace qs {

class HessianAccumulator {
public:
    explicit HessianAccumulator(int64_t columns = 0, int threads = 0);
    int64_t columns() const { return m_n; }
    int64_t rows() const { return m_rows; }
    // rows x columns activations, row-major.
    void add(const float *x, int64_t rows);
    // 2/N X^T X, full symmetric columns x columns; the accumulator is left empty.
    std::vector<float> take();

private:
    int64_t m_n = 0, m_rows = 0;
    int m_threads = 0;
    std::vector<float> m_sum; // upper blocks of X^T X
};

} // namespace qs
