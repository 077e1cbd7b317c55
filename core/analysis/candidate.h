// A candidate format to measure a tensor against: one of the GGUF block formats, or plain round-to-nearest integer
// quantization (2/3/4/8 bits, groups of 32/64/128 or whole rows, symmetric or asymmetric): the baseline GPTQ and
// AWQ are measured against. Written as "q4_k" or "int4-g128-asym".
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct Candidate {
    enum class Kind { Gguf, Rtn } kind = Kind::Gguf;
    GgmlType type = GgmlType::Q4_K; // Gguf
    int bits = 4;                    // Rtn
    int group = 128;                 // Rtn: elements per group; 0 = the whole row
    bool symmetric = false;          // Rtn

    std::string id() const;                        // "Q4_K", "int4-g128-asym"
    // The block (GGUF) or group (RTN) length along a row of `rowLength`; 0 if the format cannot hold such rows.
    int64_t blockLength(int64_t rowLength) const;
    uint64_t bytes(int64_t rows, int64_t rowLength) const;
    double bitsPerWeight(int64_t rowLength) const;

    static Result<Candidate> parse(const std::string &text);
    static Result<std::vector<Candidate>> parseList(const std::string &commaSeparated);
};

// Round-to-nearest integer quantization of one row, as AutoAWQ's pseudo-quantizer does it, with fp16 scales:
// symmetric: scale = absmax / (2^(b-1) - 1), q in [-2^(b-1), 2^(b-1) - 1]; asymmetric: scale = (max - min) / (2^b - 1),
// zero = clamp(-round(min / scale), 0, 2^b - 1), q in [0, 2^b - 1]. Writes the dequantized row to `out` and each
// group's step (its scale) to `steps`.
void rtnQuantizeRow(const float *x, int64_t n, int bits, int group, bool symmetric, float *out, float *steps);

} // namespace qs
