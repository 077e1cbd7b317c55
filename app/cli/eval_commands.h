// The evaluation engine's commands: eval (perplexity, KL-divergence), imatrix, sensitivity.
#pragma once

#include <QStringList>

namespace cli {

int runEval(const QStringList &args);
int runImatrix(const QStringList &args);
int runSensitivity(const QStringList &args);

} // namespace cli
