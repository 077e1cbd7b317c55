// Round numbers for chart axes, so a reader can read a value off a chart: a linear axis steps by 1, 2 or 5 × 10^n
// from zero (the "nice numbers" of Heckbert, Graphics Gems I, 1990); a context-length axis on a log2 scale is
// labelled at powers of two (512, 1k, 2k, … as formatTokens writes them).
#pragma once

#include <cstdint>
#include <vector>

namespace qs {

struct LinearTicks {
    double step = 0;            // 1, 2 or 5 × 10^n
    std::vector<double> values; // 0, step, 2 step, … up to the first multiple of step at or above the maximum
    int decimals = 0;           // digits after the point a label needs to show the step: 0 for 5, 1 for 0.5, 2 for 0.05
};

// Ticks from 0 up to at least `maximum`, at most `maxIntervals` steps apart (at least 1). A maximum of 0 or less
// (or not a number) gives 0 and 1.
LinearTicks linearTicks(double maximum, int maxIntervals = 5);

// The smallest round spacing (1, 2 or 5 × 10^n) of at least `rough`; 1 for nothing positive.
double niceStep(double rough);
// The same for things that are counted (rows, blocks, weights in a bin): never below 1.
int64_t niceIntegerStep(double rough);

// The powers of two from `lo` to `hi` (inclusive) to label on a log2 axis; when more than `maxTicks` would crowd
// it, every second (fourth, …) one, always keeping the highest. Empty when no power of two lies in the range.
std::vector<int64_t> powerOfTwoTicks(int64_t lo, int64_t hi, int maxTicks = 8);

} // namespace qs
