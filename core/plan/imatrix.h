// Importance matrices written by llama-imatrix: the GGUF form (<tensor>.in_sum2 and <tensor>.counts) and the
// legacy .dat form. Weights come out as llama-quantize computes them: in_sum2 / count (1 where the count is 0).
#pragma once

#include "common/result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qs {

struct ImportanceMatrix {
    std::string path;
    std::string dataset;      // the first dataset named in the file
    int64_t chunks = 0;       // chunks of calibration text it saw
    std::map<std::string, std::vector<float>> weights; // GGUF tensor name -> one weight per input column
};

Result<ImportanceMatrix> loadImportanceMatrix(const std::string &path);

} // namespace qs
