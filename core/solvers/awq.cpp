#include "solvers/awq.h"

#include "jobs/thread_pool.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

void awqPseudoQuantize(float *w, int64_t rows, int64_t cols, int bits, int group, bool zeroPoint, GroupQuantizedTensor *result)
{
    const int64_t g = group > 0 ? group : cols;
    const int64_t groups = cols / g;
    if (result) {
        result->rows = rows;
        result->cols = cols;
        result->format.bits = bits;
        result->format.groupSize = group > 0 ? group : -1;
        result->format.symmetric = !zeroPoint;
        result->codes.assign(static_cast<size_t>(rows * cols), 0);
        result->scales.assign(static_cast<size_t>(rows * groups), 0.f);
        result->zeros.assign(static_cast<size_t>(rows * groups), 0);
        result->gIdx.resize(static_cast<size_t>(cols));
        for (int64_t c = 0; c < cols; ++c)
            result->gIdx[static_cast<size_t>(c)] = static_cast<int32_t>(c / g);
    }
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t gi = 0; gi < groups; ++gi) {
            float *x = w + r * cols + gi * g;
            float scale, zero, qmin, qmax;
            if (zeroPoint) {
                float mn = x[0], mx = x[0];
                for (int64_t i = 1; i < g; ++i) {
                    mn = std::min(mn, x[i]);
                    mx = std::max(mx, x[i]);
                }
                qmin = 0.f;
                qmax = static_cast<float>((1 << bits) - 1);
                scale = std::max(mx - mn, 1e-5f) / qmax;
                zero = std::clamp(-std::nearbyint(mn / scale), qmin, qmax);
            } else {
                float amax = 0;
                for (int64_t i = 0; i < g; ++i)
                    amax = std::max(amax, std::fabs(x[i]));
                qmax = static_cast<float>((1 << (bits - 1)) - 1);
                qmin = -static_cast<float>(1 << (bits - 1));
                scale = std::max(amax, 1e-5f) / qmax;
                zero = 0.f;
            }
            // a symmetric code is stored offset by 2^(b-1), as the checkpoints hold it
            const int32_t offset = zeroPoint ? 0 : (1 << (bits - 1));
            for (int64_t i = 0; i < g; ++i) {
                const float q = std::clamp(std::nearbyint(x[i] / scale) + zero, qmin, qmax);
                if (result)
                    result->codes[static_cast<size_t>(r * cols + gi * g + i)] = static_cast<uint8_t>(static_cast<int32_t>(q) + offset);
                x[i] = (q - zero) * scale;
            }
            if (result) {
                result->scales[static_cast<size_t>(r * groups + gi)] = scale;
                result->zeros[static_cast<size_t>(r * groups + gi)] = static_cast<int32_t>(zero) + offset;
            }
        }
}

std::vector<float> awqActivationMean(const float *x, int64_t tokens, int64_t cols)
{
    std::vector<double> sum(static_cast<size_t>(cols), 0.0);
    for (int64_t t = 0; t < tokens; ++t)
        for (int64_t c = 0; c < cols; ++c)
            sum[static_cast<size_t>(c)] += std::fabs(x[t * cols + c]);
    std::vector<float> mean(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c)
        mean[static_cast<size_t>(c)] = static_cast<float>(sum[static_cast<size_t>(c)] / static_cast<double>(std::max<int64_t>(1, tokens)));
    return mean;
}

std::vector<float> awqWeightMean(const std::vector<const float *> &weights, const std::vector<int64_t> &rows, int64_t cols, int group)
{
    const int64_t g = group > 0 ? group : cols;
    std::vector<double> sum(static_cast<size_t>(cols), 0.0);
    int64_t total = 0;
    for (size_t m = 0; m < weights.size(); ++m) {
        for (int64_t r = 0; r < rows[m]; ++r) {
            const float *w = weights[m] + r * cols;
            for (int64_t c0 = 0; c0 < cols; c0 += g) {
                float amax = 0;
                for (int64_t c = c0; c < c0 + g; ++c)
                    amax = std::max(amax, std::fabs(w[c]));
                const float denom = amax + 1e-6f;
                for (int64_t c = c0; c < c0 + g; ++c)
                    sum[static_cast<size_t>(c)] += std::fabs(w[c]) / denom;
            }
        }
        total += rows[m];
    }
    std::vector<float> mean(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c)
        mean[static_cast<size_t>(c)] = static_cast<float>(sum[static_cast<size_t>(c)] / static_cast<double>(std::max<int64_t>(1, total)));
    return mean;
}

std::vector<float> awqGridScales(const std::vector<float> &xMean, const std::vector<float> &wMean, int k, int n, bool duo)
{
    // torch takes the Python ratio as an fp32 exponent
    const double ratio = static_cast<double>(k) / n;
    const float r = static_cast<float>(ratio), r1 = static_cast<float>(1 - ratio);
    std::vector<float> s(xMean.size());
    for (size_t c = 0; c < s.size(); ++c) {
        const float v = duo ? std::pow(xMean[c], r) / (std::pow(wMean[c], r1) + 1e-4f) : std::pow(xMean[c], r);
        s[c] = std::max(v, 1e-4f); // clamp(min=1e-4); a nan stays nan, as in torch
        if (std::isnan(v))
            s[c] = v;
    }
    float mx = -std::numeric_limits<float>::infinity(), mn = std::numeric_limits<float>::infinity();
    for (float v : s) { // torch's max/min propagate nan
        mx = std::isnan(v) || std::isnan(mx) ? std::numeric_limits<float>::quiet_NaN() : std::max(mx, v);
        mn = std::isnan(v) || std::isnan(mn) ? std::numeric_limits<float>::quiet_NaN() : std::min(mn, v);
    }
    const float norm = std::sqrt(mx * mn);
    for (float &v : s) {
        v = v / norm;
        if (std::isinf(v) || std::isnan(v))
            v = 1.f;
    }
    return s;
}

void awqScaledFakeQuant(const float *w, int64_t rows, int64_t cols, const float *s, int bits, int group, bool zeroPoint, float *out)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            out[r * cols + c] = w[r * cols + c] * s[c];
    awqPseudoQuantize(out, rows, cols, bits, group, zeroPoint);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            out[r * cols + c] = out[r * cols + c] / s[c];
}

AwqScaleChoice awqSearchScale(const std::vector<float> &xMean, const std::vector<float> &wMean,
                              const std::function<double(const std::vector<float> &)> &loss, bool withIdentity, int n, bool duo)
{
    AwqScaleChoice best;
    double bestLoss = std::numeric_limits<double>::infinity();
    for (int k = 0; k < n; ++k) {
        std::vector<float> s = awqGridScales(xMean, wMean, k, n, duo);
        const double l = loss(s);
        best.losses.push_back(l);
        if (l < bestLoss) {
            bestLoss = l;
            best.grid = k;
            best.scales = std::move(s);
        }
    }
    if (withIdentity) {
        std::vector<float> s(xMean.size(), 1.f);
        const double l = loss(s);
        best.losses.push_back(l);
        if (l < bestLoss) {
            best.grid = AwqScaleChoice::kIdentity;
            best.scales = std::move(s);
        }
    }
    if (best.scales.empty()) // every loss nan: AutoAWQ raises; keep the weights as they are
        best.scales.assign(xMean.size(), 1.f), best.grid = AwqScaleChoice::kIdentity;
    return best;
}

std::vector<float> awqSearchClip(const float *w, int64_t rows, int64_t cols, const float *x, int64_t tokens, int bits, int group,
                                 bool zeroPoint, int n, double maxShrink, int64_t sampleTokens, int threads,
                                 std::vector<double> *bestErrors, std::vector<double> *unclippedErrors)
{
    const int64_t g = group > 0 ? group : cols, groups = cols / g;
    const int64_t step = std::max<int64_t>(1, tokens / sampleTokens);
    const int64_t T = (tokens + step - 1) / step; // input_feat[:, ::step]
    const int shrinks = static_cast<int>(maxShrink * n);
    std::vector<float> best(static_cast<size_t>(rows * groups));
    if (bestErrors)
        bestErrors->assign(static_cast<size_t>(rows * groups), 0.0);
    if (unclippedErrors)
        unclippedErrors->assign(static_cast<size_t>(rows * groups), 0.0);
    // one task per group: its sampled inputs (T x g) against each candidate's rounding error (rows x g) in one sgemm
    ThreadPool::shared().run(static_cast<int>(groups), [&](int gi) {
        const int64_t c0 = gi * g;
        std::vector<float> xg(static_cast<size_t>(T * g)), delta(static_cast<size_t>(rows * g)), d(static_cast<size_t>(T * rows)),
            amax(static_cast<size_t>(rows)), minErr(static_cast<size_t>(rows), 1e9f);
        for (int64_t t = 0; t < T; ++t)
            std::copy(x + t * step * cols + c0, x + t * step * cols + c0 + g, xg.begin() + t * g);
        for (int64_t r = 0; r < rows; ++r) {
            float m = 0;
            for (int64_t i = 0; i < g; ++i)
                m = std::max(m, std::fabs(w[r * cols + c0 + i]));
            amax[static_cast<size_t>(r)] = m;
            best[static_cast<size_t>(r * groups + gi)] = m;
        }
        for (int is = 0; is < shrinks; ++is) {
            const float factor = static_cast<float>(1 - static_cast<double>(is) / n);
            for (int64_t r = 0; r < rows; ++r) {
                const float mv = amax[static_cast<size_t>(r)] * factor;
                float *dr = delta.data() + r * g;
                for (int64_t i = 0; i < g; ++i)
                    dr[i] = std::clamp(w[r * cols + c0 + i], -mv, mv);
                awqPseudoQuantize(dr, 1, g, bits, static_cast<int>(g), zeroPoint);
                for (int64_t i = 0; i < g; ++i)
                    dr[i] -= w[r * cols + c0 + i];
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(T), static_cast<int>(rows), static_cast<int>(g), 1.0f,
                        xg.data(), static_cast<int>(g), delta.data(), static_cast<int>(g), 0.0f, d.data(), static_cast<int>(rows));
            for (int64_t r = 0; r < rows; ++r) {
                double e = 0;
                for (int64_t t = 0; t < T; ++t)
                    e += static_cast<double>(d[static_cast<size_t>(t * rows + r)]) * d[static_cast<size_t>(t * rows + r)];
                const float err = static_cast<float>(e / static_cast<double>(T));
                if (is == 0 && unclippedErrors)
                    (*unclippedErrors)[static_cast<size_t>(r * groups + gi)] = err;
                if (err < minErr[static_cast<size_t>(r)]) {
                    minErr[static_cast<size_t>(r)] = err;
                    best[static_cast<size_t>(r * groups + gi)] = amax[static_cast<size_t>(r)] * factor;
                    if (bestErrors)
                        (*bestErrors)[static_cast<size_t>(r * groups + gi)] = err;
                }
            }
        }
    }, ThreadPool::effectiveThreads(threads));
    return best;
}

void awqApplyClip(float *w, int64_t rows, int64_t cols, int group, const float *maxVal)
{
    const int64_t g = group > 0 ? group : cols, groups = cols / g;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            const float m = maxVal[r * groups + c / g];
            w[r * cols + c] = std::clamp(w[r * cols + c], -m, m);
        }
}

} // namespace qs
