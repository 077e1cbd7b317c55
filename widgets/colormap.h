// Perceptually uniform colour maps for the heatmaps.
#pragma once

#include <QRgb>

namespace qs {

// viridis, t in [0, 1] (clamped): piecewise-linear through viridis's colours at ninths.
QRgb viridis(double t);

// A diverging map for signed values, t in [-1, 1] (clamped): blue through a light neutral grey at 0 to red. Built as
// Moreland's cool-warm map ("Diverging Color Maps for Scientific Visualization", 2009): the ends are interpolated in
// his Msh space (polar CIELAB), so lightness rises evenly to the middle and falls evenly again, and equal steps of |t|
// look equally strong on either side.
QRgb diverging(double t);

} // namespace qs
