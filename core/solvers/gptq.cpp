#include "solvers/gptq.h"

#include "jobs/thread_pool.h"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qs {

void gptqFindParams(const float *x, int64_t rows, int64_t n, int64_t stride, int bits, bool symmetric, float *scale, float *zero)
{
    minMaxGrid(x, rows, n, stride, bits, symmetric, scale, zero);
}

namespace {

inline float quantizeCode(float w, float scale, float zero, float maxq)
{
    return std::clamp(std::nearbyint(w / scale) + zero, 0.0f, maxq); // torch.round: half to even
}

// potrf then potri then potrf(upper): the upper Cholesky factor of H^-1, as torch.linalg.cholesky,
// cholesky_inverse and cholesky(upper=True) compute it. `h` is row-major cols x cols; returns false if H is not
// positive definite.
bool upperCholeskyOfInverse(std::vector<float> &h, int64_t n)
{
    const lapack_int N = static_cast<lapack_int>(n);
    // row-major 'L' is column-major 'U' of the same memory: the symmetric matrix is the same either way
    if (LAPACKE_spotrf(LAPACK_ROW_MAJOR, 'L', N, h.data(), N) != 0)
        return false;
    if (LAPACKE_spotri(LAPACK_ROW_MAJOR, 'L', N, h.data(), N) != 0)
        return false;
    for (int64_t i = 0; i < n; ++i) // symmetrise: potri fills the lower triangle only
        for (int64_t j = i + 1; j < n; ++j)
            h[static_cast<size_t>(i * n + j)] = h[static_cast<size_t>(j * n + i)];
    if (LAPACKE_spotrf(LAPACK_ROW_MAJOR, 'U', N, h.data(), N) != 0)
        return false;
    for (int64_t i = 0; i < n; ++i) // keep the upper factor only
        for (int64_t j = 0; j < i; ++j)
            h[static_cast<size_t>(i * n + j)] = 0;
    return true;
}

} // namespace

int64_t gptqZeroDeadColumns(float *W, int64_t rows, int64_t cols, std::vector<float> &H)
{
    int64_t dead = 0;
    for (int64_t c = 0; c < cols; ++c)
        if (H[static_cast<size_t>(c * cols + c)] == 0) {
            H[static_cast<size_t>(c * cols + c)] = 1;
            for (int64_t r = 0; r < rows; ++r)
                W[r * cols + c] = 0;
            ++dead;
        }
    return dead;
}

Result<double> gptqInverseFactor(std::vector<float> &H, int64_t cols, double damp)
{
    // LAPACK's factorisation lets NaN through (no comparison with it fails): the sweep would then write NaN weights
    for (size_t i = 0; i < H.size(); ++i)
        if (!std::isfinite(H[i]))
            return makeError("the Hessian is not finite: " + std::to_string(H[i]) + " at row " + std::to_string(static_cast<int64_t>(i) / cols) +
                             ", column " + std::to_string(static_cast<int64_t>(i) % cols) + " (inputs that overflowed or were not numbers)");
    float meanDiag = 0;
    {
        double s = 0;
        for (int64_t c = 0; c < cols; ++c)
            s += H[static_cast<size_t>(c * cols + c)];
        meanDiag = static_cast<float>(s / static_cast<double>(cols));
    }
    std::vector<float> Hinv;
    for (;; damp += 0.0025) {
        if (damp >= 1.0)
            return makeError("the Hessian does not factorise even with damping raised to 1.0 (a layer whose inputs are degenerate)");
        Hinv = H;
        const float d = static_cast<float>(damp) * meanDiag;
        for (int64_t c = 0; c < cols; ++c)
            Hinv[static_cast<size_t>(c * cols + c)] += d;
        if (upperCholeskyOfInverse(Hinv, cols))
            break;
    }
    H.swap(Hinv);
    return damp;
}

double gptqSweep(float *W, int64_t rows, int64_t cols, const std::vector<float> &Hinv, int blockSize, int threads,
                 const GptqColumnQuantizer &quantize)
{
    // row slices: each runs the whole sweep for its rows (rows never interact given H^-1). The lazy update runs on
    // tiles of kTile rows counted from row 0, whatever the slices: a BLAS may sum in another order for another number
    // of rows (OpenBLAS's Zen kernels do), and the same tiles make the result the same on any number of threads.
    constexpr int64_t kTile = 64;
    threads = ThreadPool::effectiveThreads(threads);
    const int64_t slice = std::max<int64_t>(kTile, ((rows + threads - 1) / threads + kTile - 1) / kTile * kTile);
    const int64_t slices = (rows + slice - 1) / slice;
    const int64_t B = std::max(1, blockSize);
    std::vector<double> losses(static_cast<size_t>(slices), 0.0);
    ThreadPool::shared().run(static_cast<int>(slices), [&](int si) {
        const int64_t r0 = si * slice, nr = std::min(slice, rows - r0);
        float *Wr = W + r0 * cols;
        std::vector<float> err(static_cast<size_t>(nr * B)), snap(static_cast<size_t>(nr * B)), q(static_cast<size_t>(nr));
        GptqSweepColumn column;
        column.firstRow = r0;
        column.rows = nr;
        column.W = Wr;
        column.cols = cols;
        column.blockStart = snap.data();
        column.blockStride = B;
        double loss = 0;
        for (int64_t i1 = 0; i1 < cols; i1 += B) {
            const int64_t i2 = std::min(i1 + B, cols), count = i2 - i1;
            // the reference finds a group's grid on W, which the updates inside the current block (made to its
            // copy W1) have not reached: keep the block as it was when the block began
            for (int64_t r = 0; r < nr; ++r)
                std::copy(Wr + r * cols + i1, Wr + r * cols + i2, snap.begin() + r * B);
            column.blockBegin = i1;
            column.blockEnd = i2;
            for (int64_t i = 0; i < count; ++i) {
                const int64_t col = i1 + i;
                const float d = Hinv[static_cast<size_t>(col * cols + col)];
                column.col = col;
                quantize(column, q.data());
                for (int64_t r = 0; r < nr; ++r) {
                    float *wrow = Wr + r * cols;
                    const float w = wrow[col];
                    const float qv = q[static_cast<size_t>(r)];
                    const float e = (w - qv) / d;
                    loss += static_cast<double>((w - qv) * (w - qv) / (d * d)) / 2;
                    // W1[:, i:] -= err1 * Hinv1[i, i:] (within the block)
                    const float *hrow = Hinv.data() + col * cols;
                    for (int64_t j = col; j < i2; ++j)
                        wrow[j] -= e * hrow[j];
                    err[static_cast<size_t>(r * B + i)] = e;
                }
            }
            // the lazy batch update: W[:, i2:] -= Err1 @ Hinv[i1:i2, i2:]
            if (i2 < cols)
                for (int64_t t0 = 0; t0 < nr; t0 += kTile)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(std::min(kTile, nr - t0)), static_cast<int>(cols - i2),
                                static_cast<int>(count), -1.0f, err.data() + t0 * B, static_cast<int>(B), Hinv.data() + i1 * cols + i2,
                                static_cast<int>(cols), 1.0f, Wr + t0 * cols + i2, static_cast<int>(cols));
        }
        losses[static_cast<size_t>(si)] = loss;
    }, threads);
    return std::accumulate(losses.begin(), losses.end(), 0.0);
}

Result<GptqResult> gptqQuantize(const float *Win, int64_t rows, int64_t cols, std::vector<float> H, const GptqOptions &o)
{
    const IntGroupFormat &fmt = o.format;
    if (fmt.bits < 2 || fmt.bits > 8)
        return makeError("GPTQ needs 2 to 8 bits, not " + std::to_string(fmt.bits));
    if (rows <= 0 || cols <= 0 || static_cast<int64_t>(H.size()) != cols * cols)
        return makeError("the Hessian is not " + std::to_string(cols) + " x " + std::to_string(cols));
    const int64_t gs = fmt.groupSize > 0 ? fmt.groupSize : cols;
    if (cols % gs != 0)
        return makeError("rows of " + std::to_string(cols) + " do not split into groups of " + std::to_string(gs));
    const int64_t groups = cols / gs;
    const float maxq = static_cast<float>((1 << fmt.bits) - 1);
    const bool perChannel = fmt.groupSize <= 0;

    std::vector<float> W(Win, Win + rows * cols);
    GptqResult res;
    GroupQuantizedTensor &out = res.tensor;
    out.format = fmt;
    out.rows = rows;
    out.cols = cols;
    out.codes.assign(static_cast<size_t>(rows * cols), 0);
    out.scales.assign(static_cast<size_t>(rows * groups), 0);
    out.zeros.assign(static_cast<size_t>(rows * groups), 0);
    out.gIdx.assign(static_cast<size_t>(cols), 0);

    // per channel: the grid of the original weights, before dead columns are zeroed (AutoGPTQ's order)
    std::vector<float> chScale, chZero;
    if (perChannel) {
        chScale.resize(static_cast<size_t>(rows));
        chZero.resize(static_cast<size_t>(rows));
        gptqFindParams(W.data(), rows, cols, cols, fmt.bits, fmt.symmetric, chScale.data(), chZero.data());
    }
    res.deadColumns = gptqZeroDeadColumns(W.data(), rows, cols, H);
    // static groups: from the (dead-zeroed) weights in the original column order
    std::vector<float> stScale, stZero;
    if (o.staticGroups && !perChannel) {
        stScale.resize(static_cast<size_t>(rows * groups));
        stZero.resize(static_cast<size_t>(rows * groups));
        std::vector<float> s(static_cast<size_t>(rows)), z(static_cast<size_t>(rows));
        for (int64_t g = 0; g < groups; ++g) {
            gptqFindParams(W.data() + g * gs, rows, gs, cols, fmt.bits, fmt.symmetric, s.data(), z.data());
            for (int64_t r = 0; r < rows; ++r) {
                stScale[static_cast<size_t>(r * groups + g)] = s[static_cast<size_t>(r)];
                stZero[static_cast<size_t>(r * groups + g)] = z[static_cast<size_t>(r)];
            }
        }
    }
    std::vector<int64_t> perm(static_cast<size_t>(cols));
    std::iota(perm.begin(), perm.end(), 0);
    if (o.actOrder) {
        // torch.argsort(diag, descending=True) is not stable; ties are rare in real Hessians
        std::stable_sort(perm.begin(), perm.end(), [&](int64_t a, int64_t b) {
            return H[static_cast<size_t>(a * cols + a)] > H[static_cast<size_t>(b * cols + b)];
        });
        std::vector<float> Wp(W.size()), Hp(H.size());
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c)
                Wp[static_cast<size_t>(r * cols + c)] = W[static_cast<size_t>(r * cols + perm[static_cast<size_t>(c)])];
        for (int64_t i = 0; i < cols; ++i)
            for (int64_t j = 0; j < cols; ++j)
                Hp[static_cast<size_t>(i * cols + j)] = H[static_cast<size_t>(perm[static_cast<size_t>(i)] * cols + perm[static_cast<size_t>(j)])];
        W.swap(Wp);
        H.swap(Hp);
    }
    // damping after the permutation
    auto damp = gptqInverseFactor(H, cols, o.damp);
    if (!damp)
        return damp.error();
    res.damp = *damp;
    const std::vector<float> &Hinv = H;

    // per row and sweep-order group: the grid, filled as the sweep reaches each group
    std::vector<float> gScale(static_cast<size_t>(rows * groups)), gZero(static_cast<size_t>(rows * groups));
    std::vector<float> qcode(static_cast<size_t>(rows * cols));
    const double loss = gptqSweep(W.data(), rows, cols, Hinv, o.blockSize, o.threads, [&](const GptqSweepColumn &c, float *q) {
        const int64_t r0 = c.firstRow, nr = c.rows, col = c.col;
        if (!perChannel && !o.staticGroups && col % gs == 0) {
            // the reference's grid: the group's columns inside the current block as the block began, later ones as they are
            const int64_t len = std::min(gs, cols - col);
            std::vector<float> grp(static_cast<size_t>(nr * gs)), s(static_cast<size_t>(nr)), z(static_cast<size_t>(nr));
            for (int64_t r = 0; r < nr; ++r)
                for (int64_t j = 0; j < len; ++j)
                    grp[static_cast<size_t>(r * gs + j)] = col + j < c.blockEnd ? c.blockStart[r * c.blockStride + col - c.blockBegin + j]
                                                                                : c.W[r * cols + col + j];
            gptqFindParams(grp.data(), nr, len, gs, fmt.bits, fmt.symmetric, s.data(), z.data());
            for (int64_t r = 0; r < nr; ++r) {
                gScale[static_cast<size_t>((r0 + r) * groups + col / gs)] = s[static_cast<size_t>(r)];
                gZero[static_cast<size_t>((r0 + r) * groups + col / gs)] = z[static_cast<size_t>(r)];
            }
        }
        for (int64_t r = 0; r < nr; ++r) {
            float scale, zero;
            if (perChannel) {
                scale = chScale[static_cast<size_t>(r0 + r)];
                zero = chZero[static_cast<size_t>(r0 + r)];
            } else if (o.staticGroups) {
                const int64_t g = perm[static_cast<size_t>(col)] / gs;
                scale = stScale[static_cast<size_t>((r0 + r) * groups + g)];
                zero = stZero[static_cast<size_t>((r0 + r) * groups + g)];
            } else {
                scale = gScale[static_cast<size_t>((r0 + r) * groups + col / gs)];
                zero = gZero[static_cast<size_t>((r0 + r) * groups + col / gs)];
            }
            const float code = quantizeCode(c.W[r * cols + col], scale, zero, maxq);
            qcode[static_cast<size_t>((r0 + r) * cols + col)] = code;
            q[r] = scale * (code - zero);
        }
    });
    res.tensor.loss = static_cast<float>(loss);

    // back to the original column order; g_idx as AutoGPTQ computes it
    for (int64_t c = 0; c < cols; ++c) {
        const int64_t orig = perm[static_cast<size_t>(c)];
        const int64_t g = o.staticGroups && !perChannel ? orig / gs : c / gs;
        out.gIdx[static_cast<size_t>(orig)] = static_cast<int32_t>(perChannel ? 0 : g);
        for (int64_t r = 0; r < rows; ++r)
            out.codes[static_cast<size_t>(r * cols + orig)] = static_cast<uint8_t>(qcode[static_cast<size_t>(r * cols + c)]);
    }
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t g = 0; g < groups; ++g) {
            const size_t i = static_cast<size_t>(r * groups + g);
            out.scales[i] = perChannel ? chScale[static_cast<size_t>(r)] : o.staticGroups ? stScale[i] : gScale[i];
            out.zeros[i] = static_cast<int32_t>(perChannel ? chZero[static_cast<size_t>(r)] : o.staticGroups ? stZero[i] : gZero[i]);
        }
    return res;
}

} // namespace qs
