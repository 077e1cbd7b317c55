#include "colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace qs {

QRgb viridis(double t)
{
    // matplotlib's viridis sampled at 0, 1/8, ..., 1
    static constexpr std::array<std::array<int, 3>, 9> kStops = {{{68, 1, 84},
                                                                  {71, 44, 122},
                                                                  {59, 81, 139},
                                                                  {44, 113, 142},
                                                                  {33, 144, 141},
                                                                  {39, 173, 129},
                                                                  {92, 200, 99},
                                                                  {170, 220, 50},
                                                                  {253, 231, 37}}};
    if (!std::isfinite(t))
        return qRgb(128, 128, 128);
    t = std::clamp(t, 0.0, 1.0) * 8.0;
    const int i = std::min(7, static_cast<int>(t));
    const double f = t - i;
    auto mix = [&](int c) { return static_cast<int>(std::lround(kStops[static_cast<size_t>(i)][static_cast<size_t>(c)] * (1 - f) +
                                                                kStops[static_cast<size_t>(i + 1)][static_cast<size_t>(c)] * f)); };
    return qRgb(mix(0), mix(1), mix(2));
}

} // namespace qs
