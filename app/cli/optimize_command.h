// quantscope-cli optimize: the plan of least measured damage for a byte budget.
#pragma once

#include <QStringList>

namespace cli {

int runOptimize(const QStringList &args);

} // namespace cli
