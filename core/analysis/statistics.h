// Weight statistics as mergeable structs: each thread summarises its row chunks and the partial results combine,
// without locks, into the tensor's (llama.cpp tests/test-quantize-stats.cpp keeps its error_stats the same way).
// Two streaming passes: the first gives moments, range and per-row/column norms; the second, which needs the range
// and the standard deviation, gives histograms, percentiles and the outlier count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qs {

// Count, mean and central moments up to the fourth, merged with Pebay's pairwise formulas (exact in exact
// arithmetic; each chunk is reduced in two passes first, so no raw power sums lose precision).
struct Moments {
    int64_t n = 0;
    double mean = 0, m2 = 0, m3 = 0, m4 = 0;

    void addChunk(const float *x, int64_t count);
    void merge(const Moments &o);
    double variance() const { return n ? m2 / static_cast<double>(n) : 0; }
    double stddev() const;
    double skewness() const;
    double kurtosis() const; // Pearson's: 3 for a normal distribution
};

struct Histogram {
    double lo = 0, hi = 0;
    std::vector<uint64_t> counts;

    Histogram() = default;
    Histogram(double lo, double hi, int bins) : lo(lo), hi(hi), counts(static_cast<size_t>(bins), 0) {}
    void add(double v);
    void add(int64_t bin) { ++counts[static_cast<size_t>(bin)]; }
    // bins / (hi - lo), or 0 for an empty range: add() multiplies instead of dividing per value
    double scale() const { return hi > lo ? static_cast<double>(counts.size()) / (hi - lo) : 0.0; }
    void merge(const Histogram &o);
    // The value below which `fraction` of the counts lie, interpolated inside the bin (resolution (hi-lo)/bins).
    double quantile(double fraction) const;
    uint64_t total() const;
};

// Pass 1 of a tensor's statistics.
struct StatsPass1 {
    Moments moments;
    float min = 0, max = 0, absMax = 0;
    int64_t zeros = 0;
    bool any = false;
    std::vector<float> rowAbsMax, rowL2;   // per row (indexed globally)
    std::vector<double> colSumSq;          // per column (partial sums of squares)
    std::vector<float> colAbsMax;

    void init(int64_t rows, int64_t cols);
    // Rows of x; their per-row results go to rowAbsMaxOut/rowL2Out (the caller's arrays: rows are disjoint between
    // partial results, so they need no merging).
    void addRows(const float *x, int64_t nRows, int64_t cols, float *rowAbsMaxOut, float *rowL2Out);
    void merge(const StatsPass1 &o); // moments, range and columns
};

// Pass 2, given pass 1's range, mean and standard deviation.
struct StatsPass2 {
    Histogram linear;      // kHistogramBins over [min, max]
    Histogram symlog;      // kHistogramBins over symlog(min)..symlog(max), linear within +-symlogLinear
    Histogram fine;        // kFineBins over [min, max], for percentiles
    int64_t outliers = 0;  // |x - mean| > 6 sigma
    double symlogLinear = 0;
    std::vector<double> symlogEdges; // the symlog bins' inner edges in value space (symlog is monotonic)

    void init(const StatsPass1 &p1);
    void addChunk(const float *x, int64_t count, double mean, double sigma);
    void merge(const StatsPass2 &o);
};

inline constexpr int kHistogramBins = 256;
inline constexpr int kFineBins = 65536;

double symlog(double x, double linear); // sign(x) * log10(1 + |x| / linear)

struct TensorStatistics {
    int64_t count = 0;
    double min = 0, max = 0, mean = 0, stddev = 0, skewness = 0, kurtosis = 0, absMax = 0;
    double p001 = 0, p01 = 0, p50 = 0, p99 = 0, p999 = 0; // 0.1, 1, 50, 99, 99.9 percent
    double outlierFraction = 0, zeroFraction = 0;
    Histogram histogram, symlogHistogram;
    double symlogLinear = 0;
    std::vector<float> rowAbsMax, rowL2, colAbsMax, colL2;

    static TensorStatistics from(const StatsPass1 &p1, const StatsPass2 &p2, int64_t cols);
};

} // namespace qs
