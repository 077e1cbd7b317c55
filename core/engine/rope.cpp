#include "engine/rope.h"

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

// transformers _compute_yarn_parameters: find_correction_dim / find_correction_range (truncate = true)
double correctionDim(double rotations, double dim, double base, double maxPos)
{
    return dim * std::log(maxPos / (rotations * 2 * M_PI)) / (2 * std::log(base));
}

} // namespace

Result<RopeTable> RopeTable::make(const Architecture &arch, const std::vector<float> &freqFactors)
{
    const int64_t dim = arch.headDim;
    if (dim <= 0 || dim % 2 != 0)
        return makeError("head dimension " + std::to_string(dim) + " is not a positive even number");
    const int64_t half = dim / 2;
    RopeTable t;
    t.invFreq.resize(static_cast<size_t>(half));
    const float base = static_cast<float>(arch.rope.theta);
    // base ** (arange(0, dim, 2).float() / dim), in float32 as torch computes it
    std::vector<float> posFreq(static_cast<size_t>(half));
    for (int64_t i = 0; i < half; ++i) {
        posFreq[static_cast<size_t>(i)] = std::pow(base, static_cast<float>(2 * i) / static_cast<float>(dim));
        t.invFreq[static_cast<size_t>(i)] = 1.0f / posFreq[static_cast<size_t>(i)];
    }
    const std::string &type = arch.rope.scalingType;
    const double factor = arch.rope.factor;
    if (type == "none" || type.empty()) {
    } else if (type == "linear") {
        for (float &f : t.invFreq)
            f = static_cast<float>(f / factor);
    } else if (type == "llama3") {
        const double oldCtx = arch.rope.originalContextLength > 0 ? static_cast<double>(arch.rope.originalContextLength) : 8192.0;
        const double lowF = arch.rope.lowFreqFactor, highF = arch.rope.highFreqFactor;
        if (!(highF > lowF))
            return makeError("llama3 rope scaling needs high_freq_factor > low_freq_factor");
        const double lowWavelen = oldCtx / lowF, highWavelen = oldCtx / highF;
        for (float &f : t.invFreq) {
            const double wavelen = 2 * M_PI / f;
            double scaled = wavelen > lowWavelen ? f / factor : f;
            if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
                const double smooth = (oldCtx / wavelen - lowF) / (highF - lowF);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            f = static_cast<float>(scaled);
        }
    } else if (type == "yarn") {
        const double maxPos = arch.rope.originalContextLength > 0 ? static_cast<double>(arch.rope.originalContextLength)
                                                                  : static_cast<double>(arch.contextLength);
        if (!(maxPos > 0))
            return makeError("yarn rope scaling needs original_max_position_embeddings");
        double low = std::floor(correctionDim(arch.rope.betaFast, static_cast<double>(dim), arch.rope.theta, maxPos));
        double high = std::ceil(correctionDim(arch.rope.betaSlow, static_cast<double>(dim), arch.rope.theta, maxPos));
        low = std::max(low, 0.0);
        high = std::min(high, static_cast<double>(dim - 1));
        if (low == high)
            high += 0.001;
        for (int64_t i = 0; i < half; ++i) {
            const double ramp = std::clamp((static_cast<double>(i) - low) / (high - low), 0.0, 1.0);
            const double extrapolation = 1 - ramp;
            const double interp = 1.0 / (factor * posFreq[static_cast<size_t>(i)]);
            const double extra = 1.0 / posFreq[static_cast<size_t>(i)];
            t.invFreq[static_cast<size_t>(i)] = static_cast<float>(interp * (1 - extrapolation) + extra * extrapolation);
        }
        const double af = arch.rope.attentionFactor > 0 ? arch.rope.attentionFactor
                                                        : (factor > 1 ? 0.1 * std::log(factor) + 1.0 : 1.0);
        t.attentionScaling = static_cast<float>(af);
    } else {
        return makeError("rope scaling \"" + type + "\" is not supported (default, linear, llama3 and yarn are)");
    }
    if (!freqFactors.empty()) {
        if (static_cast<int64_t>(freqFactors.size()) != half)
            return makeError("rope_freqs has " + std::to_string(freqFactors.size()) + " values, not head_dim/2 = " + std::to_string(half));
        for (int64_t i = 0; i < half; ++i)
            t.invFreq[static_cast<size_t>(i)] /= freqFactors[static_cast<size_t>(i)];
    }
    return t;
}

void RopeTable::angles(int64_t n, std::vector<float> &cosOut, std::vector<float> &sinOut) const
{
    const size_t half = invFreq.size();
    cosOut.resize(static_cast<size_t>(n) * half);
    sinOut.resize(static_cast<size_t>(n) * half);
    for (int64_t p = 0; p < n; ++p)
        for (size_t i = 0; i < half; ++i) {
            // freqs = position * inv_freq in float32, then cos/sin of that float (transformers' order)
            const float a = static_cast<float>(p) * invFreq[i];
            cosOut[static_cast<size_t>(p) * half + i] = static_cast<float>(std::cos(static_cast<double>(a))) * attentionScaling;
            sinOut[static_cast<size_t>(p) * half + i] = static_cast<float>(std::sin(static_cast<double>(a))) * attentionScaling;
        }
}

void applyRope(float *x, int64_t tokens, int64_t heads, int64_t headDim, int64_t rowStride, const float *cosTab,
               const float *sinTab, int64_t pos0)
{
    const int64_t half = headDim / 2;
    for (int64_t t = 0; t < tokens; ++t) {
        const float *c = cosTab + (pos0 + t) * half, *s = sinTab + (pos0 + t) * half;
        float *row = x + t * rowStride;
        for (int64_t h = 0; h < heads; ++h) {
            float *v = row + h * headDim;
            for (int64_t i = 0; i < half; ++i) {
                const float a = v[i], b = v[i + half];
                v[i] = a * c[i] - b * s[i];
                v[i + half] = b * c[i] + a * s[i];
            }
        }
    }
}

} // namespace qs
