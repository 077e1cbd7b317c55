#include "axis_ticks.h"

#include <cmath>

namespace qs {

double niceStep(double rough)
{
    if (!(rough > 0) || !std::isfinite(rough))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * power >= rough * (1 - 1e-9))
            return m * power;
    return 10 * power;
}

qint64 niceIntegerStep(double rough) { return rough <= 1 ? 1 : static_cast<qint64>(std::llround(niceStep(rough))); }

} // namespace qs
