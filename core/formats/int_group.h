// Integer group quantization, the family GPTQ, AWQ and plain round-to-nearest share: each weight row is cut into
// groups of `groupSize` input columns (or one group per row, "per-channel"), each group stored as `bits`-bit integers
// with an fp16 scale and, when asymmetric, an integer zero point. The method says how the integers are chosen
// (RTN: nearest; GPTQ: error-compensated column sweep; AWQ: activation-aware scaling); the storage is the same.
// Checkpoints pack the integers into int32 words (GPTQModel's and AutoAWQ's safetensors layouts; GPTQ also keeps a
// g_idx entry per input column), which is what packedBytes counts.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

enum class IntGroupMethod { Rtn, Gptq, Awq };

struct IntGroupFormat {
    IntGroupMethod method = IntGroupMethod::Rtn;
    int bits = 4;          // 2, 3, 4 or 8
    int groupSize = 128;   // input columns per scale; -1: one group per output row (per-channel)
    bool symmetric = false;

    // The defaults of the reference tools: GPTQModel quantizes symmetrically, AutoAWQ and RTN with a zero point.
    static bool defaultSymmetric(IntGroupMethod m) { return m == IntGroupMethod::Gptq; }
    static IntGroupFormat make(IntGroupMethod m, int bits, int groupSize) { return {m, bits, groupSize, defaultSymmetric(m)}; }

    // "GPTQ 4-bit g128", "AWQ 4-bit per-channel", "RTN 4-bit g128 symmetric"
    std::string name() const;
    // What plans, projects and command lines write: "int4-g128-asym" for RTN (the analysis' candidates),
    // "gptq:4:128" / "awq:4:-1" for GPTQ and AWQ (":sym"/":asym" added when not the method's default).
    std::string id() const;
    // Reads every spelling id() and name() write (any case), and "rtn:4:128[:sym|:asym]".
    static Result<IntGroupFormat> parse(const std::string &text);

    // The group length along a row of `rowLength` columns; 0 if the row does not split into whole groups.
    int64_t groupLength(int64_t rowLength) const;
    // Whether a [outFeatures x inFeatures] weight can be stored in a checkpoint this way (whole groups, whole int32
    // words along the packed dimension).
    Status fits(int64_t inFeatures, int64_t outFeatures) const;
    // The packed checkpoint bytes of one [outFeatures x inFeatures] weight: qweight + qzeros (int32 words) + scales
    // (fp16) + g_idx (int32 per input column; GPTQ and RTN, which is written as a GPTQ checkpoint).
    uint64_t packedBytes(int64_t inFeatures, int64_t outFeatures) const;

    bool operator==(const IntGroupFormat &) const = default;
};

// Round-to-nearest integer quantization of one row, as AutoAWQ's pseudo-quantizer does it, with fp16 scales:
// symmetric: scale = absmax / (2^(b-1) - 1), q in [-2^(b-1), 2^(b-1) - 1]; asymmetric: scale = (max - min) / (2^b - 1),
// zero = clamp(-round(min / scale), 0, 2^b - 1), q in [0, 2^b - 1]. `group` <= 0: the whole row. Writes the
// dequantized row to `out` and each group's step (its scale) to `steps`.
void rtnQuantizeRow(const float *x, int64_t n, int bits, int group, bool symmetric, float *out, float *steps);

// The min-max grid of GPTQ's Quantizer.find_params for each of `rows` rows of `n` values (row stride `stride`):
// asymmetric grids always include 0 (min <= 0 <= max), symmetric ones put zero at 2^(bits-1); an all-zero row gets
// the range [-1, 1]. fp32, zero rounded half to even. GPTQ, RTN checkpoints and the evaluation all use it.
void minMaxGrid(const float *x, int64_t rows, int64_t n, int64_t stride, int bits, bool symmetric, float *scale, float *zero);

// A weight [rows = out features, cols = in features] quantized to integer groups, as GPTQ, AWQ and RTN produce it
// and their checkpoints store it (before packing): value = scale * (code - zero) of the column's group.
struct GroupQuantizedTensor {
    IntGroupFormat format;
    int64_t rows = 0, cols = 0;
    std::vector<uint8_t> codes;   // rows x cols, in the original column order, 0 .. 2^bits - 1
    std::vector<float> scales;    // rows x groups; group g is the g-th group (in GPTQ's sweep order under act-order)
    std::vector<int32_t> zeros;   // rows x groups; symmetric formats use 2^(bits-1)
    std::vector<int32_t> gIdx;    // cols: each input column's group
    float loss = 0;               // the solver's own measure of what the rounding cost (GPTQ: sum (w-q)^2/d^2/2), 0 if none

    int64_t groups() const { return rows > 0 ? static_cast<int64_t>(scales.size()) / rows : 0; }
    // rows x cols floats. With `fp16Scales`, each scale is first rounded to fp16, as a checkpoint stores it.
    void dequantize(float *out, bool fp16Scales = false) const;
    // Rows [first, first + n) only, into out (n x cols).
    void dequantizeRows(int64_t first, int64_t n, float *out, bool fp16Scales = false) const;
    // Whether the sizes agree with each other and every code, zero and group index is in range.
    bool consistent() const;
};

// Round-to-nearest on the min-max grid above, by group along each row (the reference RTN and what an RTN checkpoint
// holds). W is rows x cols.
GroupQuantizedTensor roundToNearest(const float *W, int64_t rows, int64_t cols, const IntGroupFormat &format);

} // namespace qs
