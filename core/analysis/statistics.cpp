#include "analysis/statistics.h"

#include <algorithm>
#include <cmath>

namespace qs {

void Moments::addChunk(const float *x, int64_t count)
{
    if (count <= 0)
        return;
    double s = 0;
    for (int64_t i = 0; i < count; ++i)
        s += x[i];
    Moments c;
    c.n = count;
    c.mean = s / static_cast<double>(count);
    for (int64_t i = 0; i < count; ++i) {
        const double d = x[i] - c.mean, d2 = d * d;
        c.m2 += d2;
        c.m3 += d2 * d;
        c.m4 += d2 * d2;
    }
    merge(c);
}

void Moments::merge(const Moments &o)
{
    if (o.n == 0)
        return;
    if (n == 0) {
        *this = o;
        return;
    }
    const double na = static_cast<double>(n), nb = static_cast<double>(o.n), nn = na + nb;
    const double d = o.mean - mean, d2 = d * d;
    const double m2n = m2 + o.m2 + d2 * na * nb / nn;
    const double m3n = m3 + o.m3 + d2 * d * na * nb * (na - nb) / (nn * nn) + 3 * d * (na * o.m2 - nb * m2) / nn;
    const double m4n = m4 + o.m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (nn * nn * nn) +
                       6 * d2 * (na * na * o.m2 + nb * nb * m2) / (nn * nn) + 4 * d * (na * o.m3 - nb * m3) / nn;
    mean += d * nb / nn;
    m2 = m2n;
    m3 = m3n;
    m4 = m4n;
    n += o.n;
}

double Moments::stddev() const { return std::sqrt(variance()); }
double Moments::skewness() const { return m2 > 0 ? std::sqrt(static_cast<double>(n)) * m3 / std::pow(m2, 1.5) : 0; }
double Moments::kurtosis() const { return m2 > 0 ? static_cast<double>(n) * m4 / (m2 * m2) : 0; }

void Histogram::add(double v)
{
    if (counts.empty())
        return;
    int64_t b = static_cast<int64_t>((v - lo) * scale());
    b = std::clamp<int64_t>(b, 0, static_cast<int64_t>(counts.size()) - 1);
    ++counts[static_cast<size_t>(b)];
}

void Histogram::merge(const Histogram &o)
{
    if (counts.empty()) {
        *this = o;
        return;
    }
    for (size_t i = 0; i < counts.size() && i < o.counts.size(); ++i)
        counts[i] += o.counts[i];
}

uint64_t Histogram::total() const
{
    uint64_t t = 0;
    for (uint64_t c : counts)
        t += c;
    return t;
}

double Histogram::quantile(double fraction) const
{
    const uint64_t t = total();
    if (t == 0)
        return lo;
    const double target = fraction * static_cast<double>(t);
    double seen = 0;
    const double width = (hi - lo) / static_cast<double>(counts.size());
    for (size_t i = 0; i < counts.size(); ++i) {
        const double c = static_cast<double>(counts[i]);
        if (seen + c >= target && c > 0)
            return lo + width * (static_cast<double>(i) + (target - seen) / c);
        seen += c;
    }
    return hi;
}

void StatsPass1::init(int64_t rows, int64_t cols)
{
    rowAbsMax.assign(static_cast<size_t>(rows), 0.f);
    rowL2.assign(static_cast<size_t>(rows), 0.f);
    colSumSq.assign(static_cast<size_t>(cols), 0.0);
    colAbsMax.assign(static_cast<size_t>(cols), 0.f);
}

void StatsPass1::addRows(const float *x, int64_t nRows, int64_t cols, float *rowAbsMaxOut, float *rowL2Out)
{
    moments.addChunk(x, nRows * cols);
    for (int64_t r = 0; r < nRows; ++r) {
        const float *row = x + r * cols;
        float amax = 0;
        double l2 = 0;
        for (int64_t c = 0; c < cols; ++c) {
            const float v = row[c], a = std::fabs(v);
            if (!any) {
                min = max = v;
                any = true;
            }
            min = std::min(min, v);
            max = std::max(max, v);
            amax = std::max(amax, a);
            zeros += v == 0.f;
            l2 += static_cast<double>(v) * v;
            colSumSq[static_cast<size_t>(c)] += static_cast<double>(v) * v;
            colAbsMax[static_cast<size_t>(c)] = std::max(colAbsMax[static_cast<size_t>(c)], a);
        }
        absMax = std::max(absMax, amax);
        rowAbsMaxOut[r] = amax;
        rowL2Out[r] = static_cast<float>(std::sqrt(l2));
    }
}

void StatsPass1::merge(const StatsPass1 &o)
{
    moments.merge(o.moments);
    if (o.any) {
        min = any ? std::min(min, o.min) : o.min;
        max = any ? std::max(max, o.max) : o.max;
        any = true;
    }
    absMax = std::max(absMax, o.absMax);
    zeros += o.zeros;
    for (size_t c = 0; c < colSumSq.size() && c < o.colSumSq.size(); ++c) {
        colSumSq[c] += o.colSumSq[c];
        colAbsMax[c] = std::max(colAbsMax[c], o.colAbsMax[c]);
    }
}

double symlog(double x, double linear) { return (x < 0 ? -1 : 1) * std::log10(1 + std::fabs(x) / linear); }

void StatsPass2::init(const StatsPass1 &p1)
{
    linear = Histogram(p1.min, p1.max, kHistogramBins);
    fine = Histogram(p1.min, p1.max, kFineBins);
    // linear part of the symmetric log scale: an eighth of a standard deviation (at least a tiny positive value)
    symlogLinear = std::max(p1.moments.stddev() / 8, 1e-30);
    symlog = Histogram(qs::symlog(p1.min, symlogLinear), qs::symlog(p1.max, symlogLinear), kHistogramBins);
    symlogEdges.resize(kHistogramBins - 1);
    const double width = (symlog.hi - symlog.lo) / kHistogramBins;
    for (int k = 1; k < kHistogramBins; ++k) {
        const double t = symlog.lo + width * k; // inverse of sign(x) log10(1 + |x| / c)
        symlogEdges[static_cast<size_t>(k - 1)] = (t < 0 ? -1 : 1) * (std::pow(10.0, std::fabs(t)) - 1) * symlogLinear;
    }
}

void StatsPass2::addChunk(const float *x, int64_t count, double mean, double sigma)
{
    const double limit = 6 * sigma;
    const double lo = linear.lo, linScale = linear.scale(), fineScale = fine.scale();
    const int64_t linMax = static_cast<int64_t>(linear.counts.size()) - 1, fineMax = static_cast<int64_t>(fine.counts.size()) - 1;
    const double *edges = symlogEdges.data(); // kHistogramBins - 1 inner edges
    for (int64_t i = 0; i < count; ++i) {
        const double v = x[i];
        linear.add(std::clamp<int64_t>(static_cast<int64_t>((v - lo) * linScale), 0, linMax));
        fine.add(std::clamp<int64_t>(static_cast<int64_t>((v - lo) * fineScale), 0, fineMax));
        // branchless binary search: the number of inner edges <= v (std::upper_bound's branches mispredict here)
        int64_t b = 0;
        for (int64_t step = kHistogramBins / 2; step > 0; step >>= 1)
            b = edges[b + step - 1] <= v ? b + step : b;
        symlog.add(b);
        outliers += std::fabs(v - mean) > limit;
    }
}

void StatsPass2::merge(const StatsPass2 &o)
{
    linear.merge(o.linear);
    symlog.merge(o.symlog);
    fine.merge(o.fine);
    outliers += o.outliers;
}

TensorStatistics TensorStatistics::from(const StatsPass1 &p1, const StatsPass2 &p2, int64_t cols)
{
    TensorStatistics s;
    s.count = p1.moments.n;
    s.min = p1.min;
    s.max = p1.max;
    s.mean = p1.moments.mean;
    s.stddev = p1.moments.stddev();
    s.skewness = p1.moments.skewness();
    s.kurtosis = p1.moments.kurtosis();
    s.absMax = p1.absMax;
    s.p001 = p2.fine.quantile(0.001);
    s.p01 = p2.fine.quantile(0.01);
    s.p50 = p2.fine.quantile(0.5);
    s.p99 = p2.fine.quantile(0.99);
    s.p999 = p2.fine.quantile(0.999);
    s.outlierFraction = s.count ? static_cast<double>(p2.outliers) / static_cast<double>(s.count) : 0;
    s.zeroFraction = s.count ? static_cast<double>(p1.zeros) / static_cast<double>(s.count) : 0;
    s.histogram = p2.linear;
    s.symlogHistogram = p2.symlog;
    s.symlogLinear = p2.symlogLinear;
    s.rowAbsMax = p1.rowAbsMax;
    s.rowL2 = p1.rowL2;
    s.colAbsMax = p1.colAbsMax;
    s.colL2.resize(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c)
        s.colL2[static_cast<size_t>(c)] = static_cast<float>(std::sqrt(p1.colSumSq[static_cast<size_t>(c)]));
    return s;
}

} // namespace qs
