// Where Quantscope finds what it ships: the built-in demo model (sotu-mini) and other resources.
#pragma once

#include <string>

namespace qs {

// The demo model folder: $QUANTSCOPE_DEMO_MODEL if set, else the installed copy next to the executable
// (<prefix>/share/quantscope/demo/sotu-mini), else the source tree's resources/demo/sotu-mini. Empty if none exists.
std::string demoModelPath();
// The built-in evaluation text (a held-out sample: the first State of the Union address of 2011, public domain),
// found the same way: $QUANTSCOPE_EVAL_TEXT, the installed copy, the source tree. Empty if none exists.
std::string defaultEvalTextPath();

} // namespace qs
