#include "solvers/gptq_gguf.h"

#include "formats/blocks.h"
#include "formats/formats.h"
#include "formats/quant_search.h"
#include "solvers/gptq.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

namespace qs {

namespace {

// --- where each weight's code lives in a block (ggml-common.h's layouts, as the dequantizers read them) -----------

using SetCodeFn = void (*)(uint8_t *block, int j, int code);
// Q4_0/Q4_1/Q5_0/Q5_1's importance path for blocks of one row, given the row's mean square (formats.h).
using BlocksWithRowVarianceFn = void (*)(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2);

inline void putBits(uint8_t &byte, int shift, int width, int value)
{
    const int mask = ((1 << width) - 1) << shift;
    byte = static_cast<uint8_t>((byte & ~mask) | ((value << shift) & mask));
}

// 32 weights in 16 bytes: weight j in the low nibble of qs[j] (j < 16), else the high nibble of qs[j - 16]
template <class Block>
void setNibbleOf32(uint8_t *b, int j, int code)
{
    putBits(b[offsetof(Block, qs) + j % 16], j < 16 ? 0 : 4, 4, code);
}

// ... with the fifth bits in a little-endian u32: bit j for weight j
template <class Block>
void setQ5(uint8_t *b, int j, int code)
{
    setNibbleOf32<Block>(b, j, code);
    putBits(b[offsetof(Block, qh) + j / 8], j % 8, 1, code >> 4);
}

void setQ8_0(uint8_t *b, int j, int code)
{
    b[offsetof(BlockQ8_0, qs) + j] = static_cast<uint8_t>(static_cast<int8_t>(code));
}

// halves of 128: weight n*128 + k*32 + l in bits 2k of qs[n*32 + l]
inline void setTwoBits(uint8_t *qs, int j, int code)
{
    putBits(qs[(j / 128) * 32 + j % 32], 2 * ((j % 128) / 32), 2, code);
}

void setQ2_K(uint8_t *b, int j, int code)
{
    setTwoBits(b + offsetof(BlockQ2_K, qs), j, code);
}

// as Q2_K for the low two bits; the third (set: no -4) in bit 4n + k of hmask[l]
void setQ3_K(uint8_t *b, int j, int code)
{
    setTwoBits(b + offsetof(BlockQ3_K, qs), j, code & 3);
    putBits(b[offsetof(BlockQ3_K, hmask) + j % 32], 4 * (j / 128) + (j % 128) / 32, 1, code >> 2);
}

// quarters of 64: weight c*64 + l in the low nibble of qs[c*32 + l], c*64 + 32 + l in its high nibble
template <class Block>
void setNibbleOf64(uint8_t *b, int j, int code)
{
    putBits(b[offsetof(Block, qs) + (j / 64) * 32 + j % 32], (j % 64) < 32 ? 0 : 4, 4, code);
}

// ... with the fifth bit of weight c*64 + h*32 + l in bit 2c + h of qh[l]
void setQ5_K(uint8_t *b, int j, int code)
{
    setNibbleOf64<BlockQ5_K>(b, j, code);
    putBits(b[offsetof(BlockQ5_K, qh) + j % 32], 2 * (j / 64) + ((j % 64) < 32 ? 0 : 1), 1, code >> 4);
}

// halves of 128, quarters of 32: weight n*128 + k*32 + l: low nibble in ql[n*64 + (k&1)*32 + l] (high nibble for
// k >= 2), the top two bits at 2k in qh[n*32 + l]
void setQ6_K(uint8_t *b, int j, int code)
{
    const int n = j / 128, k = (j % 128) / 32, l = j % 32;
    putBits(b[offsetof(BlockQ6_K, ql) + n * 64 + (k & 1) * 32 + l], k < 2 ? 0 : 4, 4, code);
    putBits(b[offsetof(BlockQ6_K, qh) + n * 32 + l], 2 * k, 2, code >> 4);
}

// eight 32-weight blocks of 16 bytes each
void setIQ4_XS(uint8_t *b, int j, int code)
{
    putBits(b[offsetof(BlockIQ4_XS, qs) + (j / 32) * 16 + j % 16], (j % 32) < 16 ? 0 : 4, 4, code);
}

struct BlockCodec {
    GgmlType type;
    int subBlock;        // weights under one scale
    int codeLo, codeHi;  // the codes llama.cpp's quantizer writes (Q8_0 never writes -128)
    SetCodeFn set;
    BlocksWithRowVarianceFn rowVariance; // non-null: the importance path weighs by the whole row's mean square
};

constexpr BlockCodec kCodecs[] = {
    {GgmlType::Q4_0, 32, 0, 15, setNibbleOf32<BlockQ4_0>, formats::quantizeBlocksQ4_0},
    {GgmlType::Q4_1, 32, 0, 15, setNibbleOf32<BlockQ4_1>, formats::quantizeBlocksQ4_1},
    {GgmlType::Q5_0, 32, 0, 31, setQ5<BlockQ5_0>, formats::quantizeBlocksQ5_0},
    {GgmlType::Q5_1, 32, 0, 31, setQ5<BlockQ5_1>, formats::quantizeBlocksQ5_1},
    {GgmlType::Q8_0, 32, -127, 127, setQ8_0, nullptr},
    {GgmlType::Q2_K, 16, 0, 3, setQ2_K, nullptr},
    {GgmlType::Q3_K, 16, 0, 7, setQ3_K, nullptr},
    {GgmlType::Q4_K, 32, 0, 15, setNibbleOf64<BlockQ4_K>, nullptr},
    {GgmlType::Q5_K, 32, 0, 31, setQ5_K, nullptr},
    {GgmlType::Q6_K, 16, 0, 63, setQ6_K, nullptr},
    {GgmlType::IQ4_NL, 32, 0, 15, setNibbleOf32<BlockIQ4_NL>, nullptr},
    {GgmlType::IQ4_XS, 32, 0, 15, setIQ4_XS, nullptr},
};

const BlockCodec *codecFor(GgmlType type)
{
    for (const BlockCodec &c : kCodecs)
        if (c.type == type)
            return &c;
    return nullptr;
}

} // namespace

bool gptqGgufSupports(GgmlType type)
{
    return codecFor(type) != nullptr;
}

double hessianLoss(const float *W, const float *Q, int64_t rows, int64_t cols, const float *H)
{
    const int64_t chunk = 64;
    std::vector<float> D(static_cast<size_t>(chunk * cols)), DH(D.size());
    double loss = 0;
    for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
        const int64_t n = std::min(chunk, rows - r0);
        for (int64_t i = 0; i < n * cols; ++i)
            D[static_cast<size_t>(i)] = W[r0 * cols + i] - Q[r0 * cols + i];
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(n), static_cast<int>(cols), static_cast<int>(cols), 1.0f,
                    D.data(), static_cast<int>(cols), H, static_cast<int>(cols), 0.0f, DH.data(), static_cast<int>(cols));
        for (int64_t i = 0; i < n * cols; ++i)
            loss += static_cast<double>(D[static_cast<size_t>(i)]) * static_cast<double>(DH[static_cast<size_t>(i)]);
    }
    return loss;
}

Result<GgufGptqResult> gptqGgufQuantize(const float *Win, int64_t rows, int64_t cols, std::vector<float> H, const GgufGptqOptions &o)
{
    const TypeTraits &traits = typeTraits(o.type);
    const BlockCodec *codec = codecFor(o.type);
    if (!codec || !traits.quantize || !traits.toFloat)
        return makeError("GPTQ-compensated GGUF blocks are not available for " + std::string(traits.name) +
                         " (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL and IQ4_XS are)");
    if (rows <= 0 || cols <= 0 || static_cast<int64_t>(H.size()) != cols * cols)
        return makeError("the Hessian has " + std::to_string(H.size()) + " values where " + std::to_string(cols) + " x " +
                         std::to_string(cols) + " were expected");
    const int64_t gb = traits.blockSize, rb = rowBytes(traits, cols);
    if (rb < 0)
        return makeError("rows of " + std::to_string(cols) + " weights do not split into " + std::string(traits.name) + " blocks of " +
                         std::to_string(gb));
    // a block's header is chosen at its first column from weights that must all be current: true at a lazy block's
    // start, and inside a lazy block for the columns it holds
    const int64_t B = std::max(1, o.blockSize);
    if (B % gb != 0 && gb % B != 0)
        return makeError("a lazy block of " + std::to_string(B) + " columns neither holds nor divides " + std::string(traits.name) +
                         " blocks of " + std::to_string(gb));
    if (!o.importance.empty() && static_cast<int64_t>(o.importance.size()) != cols)
        return makeError("the importance weights have " + std::to_string(o.importance.size()) + " values for rows of " + std::to_string(cols));
    const float *imatrix = traits.usesImatrix && !o.importance.empty() ? o.importance.data() : nullptr;

    GgufGptqResult res;
    res.type = o.type;
    res.rows = rows;
    res.cols = cols;
    const std::vector<float> Horig = H;

    // plain quantization, the baseline, and each row's mean square for the legacy importance paths
    {
        std::vector<uint8_t> plain(static_cast<size_t>(rows * rb));
        std::vector<float> q(static_cast<size_t>(rows * cols));
        traits.quantize(Win, plain.data(), rows, cols, imatrix);
        traits.toFloat(plain.data(), q.data(), rows * cols);
        res.plainLoss = hessianLoss(Win, q.data(), rows, cols, Horig.data());
    }
    std::vector<float> sigma2;
    if (imatrix && codec->rowVariance) {
        // from the row before the sweep, as the exporter sees it: a property of the row that the small error updates
        // hardly move, and with H = I exactly the exporter's
        sigma2.resize(static_cast<size_t>(rows));
        for (int64_t r = 0; r < rows; ++r)
            sigma2[static_cast<size_t>(r)] = quant::rowMeanSquare(Win + r * cols, cols);
    }

    std::vector<float> W(Win, Win + rows * cols);
    res.deadColumns = gptqZeroDeadColumns(W.data(), rows, cols, H);
    auto damp = gptqInverseFactor(H, cols, o.damp);
    if (!damp)
        return damp.error();
    res.damp = *damp;

    res.bytes.assign(static_cast<size_t>(rows * rb), 0);
    res.values.assign(static_cast<size_t>(rows * cols), 0.0f);
    const int nCodes = codec->codeHi - codec->codeLo + 1;
    const int64_t nSub = gb / codec->subBlock;
    // per row, the current block's grid: the value of every code in every sub-block
    std::vector<float> levels(static_cast<size_t>(rows * nSub * nCodes));
    gptqSweep(W.data(), rows, cols, H, static_cast<int>(B), o.threads, [&](const GptqSweepColumn &c, float *q) {
        const int64_t col = c.col, block = col / gb, j = col % gb;
        if (j == 0) {
            std::vector<uint8_t> probe(static_cast<size_t>(traits.typeSize));
            std::vector<float> decoded(static_cast<size_t>(gb));
            for (int64_t r = 0; r < c.rows; ++r) {
                const int64_t row = c.firstRow + r;
                const float *x = c.W + r * cols + col;
                uint8_t *blk = res.bytes.data() + row * rb + block * traits.typeSize;
                if (!sigma2.empty())
                    codec->rowVariance(x, blk, 1, imatrix + col, sigma2[static_cast<size_t>(row)]);
                else
                    traits.quantize(x, blk, 1, gb, imatrix ? imatrix + col : nullptr);
                // the grid as the reference dequantizer reads it: the header with each sub-block's first weight at
                // one code (every dequantizer decodes a weight from the header and its own bits alone)
                std::memcpy(probe.data(), blk, probe.size());
                float *lv = levels.data() + row * nSub * nCodes;
                for (int k = 0; k < nCodes; ++k) {
                    for (int64_t s = 0; s < nSub; ++s)
                        codec->set(probe.data(), static_cast<int>(s * codec->subBlock), codec->codeLo + k);
                    traits.toFloat(probe.data(), decoded.data(), gb);
                    for (int64_t s = 0; s < nSub; ++s)
                        lv[s * nCodes + k] = decoded[static_cast<size_t>(s * codec->subBlock)];
                }
            }
        }
        const int64_t sub = j / codec->subBlock;
        for (int64_t r = 0; r < c.rows; ++r) {
            const int64_t row = c.firstRow + r;
            const float w = c.W[r * cols + col];
            const float *lv = levels.data() + (row * nSub + sub) * nCodes;
            // the nearest level; on a tie (or a zero scale) the lowest code
            int best = 0;
            float bestErr = std::fabs(w - lv[0]);
            for (int k = 1; k < nCodes; ++k) {
                const float e = std::fabs(w - lv[k]);
                if (e < bestErr) {
                    bestErr = e;
                    best = k;
                }
            }
            codec->set(res.bytes.data() + row * rb + block * traits.typeSize, static_cast<int>(j), codec->codeLo + best);
            q[r] = lv[best];
            res.values[static_cast<size_t>(row * cols + col)] = lv[best];
        }
    });
    res.loss = hessianLoss(Win, res.values.data(), rows, cols, Horig.data());
    return res;
}

} // namespace qs
