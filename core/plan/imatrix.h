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

// What llama-imatrix accumulates: per weight (GGUF name), the sum of x^2 over every activation row that multiplied
// it, per input column, and how many rows that was.
struct ImportanceSums {
    std::map<std::string, std::vector<float>> sums;
    std::map<std::string, int64_t> counts;
    int64_t chunks = 0;          // imatrix.chunk_count
    int64_t chunkSize = 512;     // imatrix.chunk_size
    std::vector<std::string> datasets;
};

// llama-imatrix's GGUF form: general.type "imatrix", imatrix.datasets / chunk_count / chunk_size, then for each weight
// in name order <name>.in_sum2 (F32 [n]) and <name>.counts (F32 [1]). Atomic: nothing is left on failure.
Status writeImportanceGguf(const ImportanceSums &m, const std::string &path);
// The legacy .dat form: entries in name order, each (sum / count) * ncall with ncall = ceil(count / chunk_size),
// then the chunk count and the first dataset's name.
Status writeImportanceDat(const ImportanceSums &m, const std::string &path);

} // namespace qs
