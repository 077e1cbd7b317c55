// quantscope-cli quantize ... --compensate: a GGUF file whose block Linear weights are GPTQ-compensated blocks.
#pragma once

#include <QStringList>

namespace cli {

// Whether these quantize arguments ask for compensated GGUF blocks (--compensate, or a plan file that says
// "compensate"): then runQuantizeCompensated handles them instead of the plain GGUF path.
bool wantsCompensatedGguf(const QStringList &args);
int runQuantizeCompensated(const QStringList &args);

} // namespace cli
