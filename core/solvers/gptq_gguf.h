// GPTQ whose quantizer is a GGUF block format (the IST gptq-gguf-toolkit's idea): GPTQ's column sweep (dead
// columns, damping, the upper Cholesky factor of H^-1, lazy blocks: gptq.h's machinery), where at each (super)block's
// first column every row's block header (scales, mins, sub-scales) is chosen by the very llama.cpp quantizer the
// exporter runs, importance-weighted where importance weights are given, on that block's error-updated weights; each
// column is then quantized to the nearest level of that fixed grid (for IQ4_NL/IQ4_XS the non-linear table times
// the scale) and its error spread over the later columns. The result is ordinary GGUF blocks: llama.cpp dequantizes
// exactly the values the sweep used.
//
// With H = I nothing is propagated and every header is the exporter's; so are the bytes of Q2_K..Q6_K, which
// requantize against their stored grid as the sweep does. The other formats' quantizers round with the fp32 scale
// before its fp16 rounding (Q4_0, Q5_0, Q8_0) or keep their search's levels (the importance paths, IQ4), so a few of
// their quants differ from the sweep's nearest level, which is never farther from the weight.
//
// The legacy formats' importance paths weigh by the whole row's mean square: taken from the row before the sweep.
#pragma once

#include "common/result.h"
#include "formats/ggml_type.h"

#include <cstdint>
#include <vector>

namespace qs {

struct GgufGptqOptions {
    GgmlType type = GgmlType::Q4_K;
    std::vector<float> importance; // cols importance weights (an imatrix's), or empty; ignored where the type ignores them
    double damp = 0.01;            // fraction of the mean Hessian diagonal added to it (raised while H does not factorise)
    int blockSize = 128;           // lazy block; a multiple or a divisor of the GGUF block length
    int threads = 0;
};

struct GgufGptqResult {
    GgmlType type = GgmlType::Q4_K;
    int64_t rows = 0, cols = 0;
    std::vector<uint8_t> bytes; // rows x rowBytes: ordinary GGUF blocks, row after row
    std::vector<float> values;  // rows x cols: what `bytes` dequantize to, the Q the sweep propagated the error of
    double loss = 0;            // tr((W - Q) H (W - Q)^T) of the compensated result
    double plainLoss = 0;       // the same for plain quantization of W (what the exporter writes)
    double damp = 0;            // the damping that factorised
    int64_t deadColumns = 0;
};

// Whether gptqGgufQuantize can produce `type`.
bool gptqGgufSupports(GgmlType type);

// W: rows x cols (out x in) f32; H: cols x cols, the Hessian 2/N X^T X of the Linear's inputs.
Result<GgufGptqResult> gptqGgufQuantize(const float *W, int64_t rows, int64_t cols, std::vector<float> H, const GgufGptqOptions &options);

// tr((W - Q) H (W - Q)^T), the layer's output error on its calibration inputs (H = 2/N X^T X), in double.
double hessianLoss(const float *W, const float *Q, int64_t rows, int64_t cols, const float *H);

} // namespace qs
