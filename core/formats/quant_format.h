// What one tensor is stored as: kept as it is, a GGUF block format, or an integer group format (RTN, GPTQ, AWQ).
// One type for a plan's decisions and the analysis' candidates alike. Written "keep", "q4_k", "int4-g128-asym",
// "gptq:4:128".
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"
#include "formats/int_group.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct QuantFormat {
    enum class Kind { Keep, Gguf, IntGroup };
    Kind kind = Kind::Gguf;
    GgmlType type = GgmlType::Q4_K; // Kind::Gguf
    IntGroupFormat group;           // Kind::IntGroup

    static QuantFormat keep() { return {Kind::Keep, GgmlType::F32, {}}; }
    static QuantFormat gguf(GgmlType t) { return {Kind::Gguf, t, {}}; }
    static QuantFormat intGroup(IntGroupFormat g) { return {Kind::IntGroup, GgmlType::F32, g}; }

    std::string id() const;   // "keep", "Q4_K", "int4-g128-asym", "gptq:4:128"
    std::string name() const; // for people: "Q4_K", "GPTQ 4-bit g128"
    // The block (GGUF) or group length along a row of `rowLength`; 0 if the format cannot hold such rows.
    int64_t blockLength(int64_t rowLength) const;
    // The bytes of a [rows x rowLength] weight: whole GGUF blocks, or the packed checkpoint layout.
    uint64_t bytes(int64_t rows, int64_t rowLength) const;
    double bitsPerWeight(int64_t rows, int64_t rowLength) const;

    // GGUF type names (quantizing types only), "keep", and every integer group spelling.
    static Result<QuantFormat> parse(const std::string &text);
    // A comma-separated list of formats that can be measured (not "keep").
    static Result<std::vector<QuantFormat>> parseList(const std::string &commaSeparated);

    bool operator==(const QuantFormat &o) const
    {
        return kind == o.kind && (kind != Kind::Gguf || type == o.type) && (kind != Kind::IntGroup || group == o.group);
    }
};

} // namespace qs
