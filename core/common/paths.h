// Where Quantscope finds what it ships: the built-in demo model (sotu-mini) and other resources.
#pragma once

#include <string>

namespace qs {

// The demo model folder: $QUANTSCOPE_DEMO_MODEL if set, else the installed copy next to the executable
// (<prefix>/share/quantscope/demo/sotu-mini), else the source tree's resources/demo/sotu-mini. Empty if none exists.
std::string demoModelPath();

} // namespace qs
