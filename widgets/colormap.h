// Perceptually uniform colour maps for the heatmaps.
#pragma once

#include <QRgb>

namespace qs {

// viridis, t in [0, 1] (clamped): piecewise-linear through viridis's colours at ninths.
QRgb viridis(double t);

} // namespace qs
