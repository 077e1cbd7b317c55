// What `quantscope-cli inspect` prints: a human summary (architecture card, then one row per tensor) and a JSON
// document whose schema is resources/schemas/inspect.schema.json ("quantscope.inspect/1").
#pragma once

#include "model/model.h"

#include <QJsonObject>

#include <string>

namespace qs {

inline constexpr const char *kInspectSchemaId = "quantscope.inspect/1";

std::string inspectText(const Model &model);
QJsonObject inspectJson(const Model &model);

// 23075328 -> "23,075,328"
std::string groupThousands(int64_t v);
// 46150656 -> "44.0 MiB"
std::string humanBytes(uint64_t bytes);
// "[4096, 512]"
std::string shapeText(const std::vector<int64_t> &shape);
// A GGUF value as a short string: scalars in full, arrays as "[STRING × 4096: "<s>", "</s>", …]".
std::string ggufValueText(const GgufValue &v, size_t maxItems = 6);

} // namespace qs
