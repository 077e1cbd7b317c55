// Round tick spacing for the studio's axes: 1, 2 or 5 times a power of ten, so a reader counts 0, 50, 100, not
// 0, 236.3, 472.5 (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
#pragma once

#include <QtGlobal>

namespace qs {

// The smallest round spacing of at least `rough`.
double niceStep(double rough);
// The same for things that are counted (rows, blocks, weights in a bin): never below 1.
qint64 niceIntegerStep(double rough);

} // namespace qs
