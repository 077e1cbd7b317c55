// quantscope-cli quantize with GPTQ, AWQ or RTN into a checkpoint folder.
#pragma once

#include <QStringList>

namespace cli {

// Whether these quantize arguments ask for group formats (--method, or a plan file holding them): then
// runQuantizeGroup handles them instead of the GGUF path.
bool wantsGroupQuantize(const QStringList &args);
int runQuantizeGroup(const QStringList &args);

} // namespace cli
