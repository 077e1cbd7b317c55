#include "common/axis_ticks.h"

#include <algorithm>
#include <cmath>

namespace qs {

LinearTicks linearTicks(double maximum, int maxIntervals)
{
    maxIntervals = std::max(maxIntervals, 1);
    LinearTicks t;
    if (!(maximum > 0) || !std::isfinite(maximum)) {
        t.step = 1;
        t.values = {0, 1};
        return t;
    }
    // the smallest 1-2-5 × 10^n step that reaches the maximum in maxIntervals steps
    int exponent = static_cast<int>(std::floor(std::log10(maximum / maxIntervals)));
    int mantissa = 1;
    auto stepOf = [](int m, int e) { return e >= 0 ? m * std::pow(10.0, e) : m / std::pow(10.0, -e); };
    for (;;) {
        if (stepOf(mantissa, exponent) * maxIntervals >= maximum * (1 - 1e-12))
            break;
        if (mantissa == 1)
            mantissa = 2;
        else if (mantissa == 2)
            mantissa = 5;
        else {
            mantissa = 1;
            ++exponent;
        }
    }
    t.step = stepOf(mantissa, exponent);
    t.decimals = std::max(0, -exponent);
    const int intervals = static_cast<int>(std::ceil(maximum / t.step * (1 - 1e-12)));
    for (int i = 0; i <= intervals; ++i) // i·m / 10^-e rather than i·step: 0.3, not 0.30000000000000004
        t.values.push_back(stepOf(i * mantissa, exponent));
    return t;
}

double niceStep(double rough) { return linearTicks(rough, 1).step; }

int64_t niceIntegerStep(double rough) { return rough <= 1 ? 1 : static_cast<int64_t>(std::llround(niceStep(rough))); }

std::vector<int64_t> powerOfTwoTicks(int64_t lo, int64_t hi, int maxTicks)
{
    std::vector<int64_t> all;
    for (int64_t p = 1; p > 0 && p <= hi; p *= 2)
        if (p >= lo)
            all.push_back(p);
    size_t every = 1;
    while (maxTicks > 0 && (all.size() + every - 1) / every > static_cast<size_t>(maxTicks))
        every *= 2;
    std::vector<int64_t> ticks;
    for (size_t i = 0; i < all.size(); ++i)
        if ((all.size() - 1 - i) % every == 0) // counted from the highest, so the highest is always labelled
            ticks.push_back(all[i]);
    return ticks;
}

} // namespace qs
