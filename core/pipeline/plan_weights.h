// A plan's weights, for the evaluation engine: the exporter decides every tensor's format and importance weights
// exactly as it would to write the file (planQuantization), and the engine computes with each tensor passed through
// that format's codec and back. What is evaluated is what would be exported, byte for byte before dequantization.
#pragma once

#include "common/result.h"
#include "engine/weight_source.h"
#include "export/quantize_job.h"

#include <memory>

namespace qs {

// `summary` (optional) receives the per-tensor decisions and the size.
Result<std::shared_ptr<WeightSource>> planWeights(std::shared_ptr<const Model> model, const QuantizeOptions &options,
                                                  QuantizeResult *summary = nullptr);

} // namespace qs
