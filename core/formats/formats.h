// Quantize and dequantize entry points of every GGUF block format this library implements. Each format keeps
// llama.cpp's two paths: without an importance matrix the reference ("_ref") algorithm, with one the weighted
// search ("_impl"); `quantize*` chooses between them exactly as ggml_quantize_chunk does.
//
// quantize*(src, dst, nrows, nPerRow, imatrix): nrows rows of nPerRow floats (a whole number of blocks) into
// nrows * rowBytes bytes at dst. imatrix: nPerRow importance weights shared by every row, or nullptr.
// dequantize*(src, dst, n): n elements (a whole number of blocks).
#pragma once

#include <cstdint>

namespace qs::formats {

#define QS_DECLARE_FORMAT(name)                                                                                      \
    void quantize##name(const float *src, void *dst, int64_t nrows, int64_t nPerRow, const float *imatrix);       \
    void dequantize##name(const void *src, float *dst, int64_t n);

QS_DECLARE_FORMAT(Q4_0)
QS_DECLARE_FORMAT(Q4_1)
QS_DECLARE_FORMAT(Q5_0)
QS_DECLARE_FORMAT(Q5_1)
QS_DECLARE_FORMAT(Q8_0)
QS_DECLARE_FORMAT(Q2_K)
QS_DECLARE_FORMAT(Q3_K)
QS_DECLARE_FORMAT(Q4_K)
QS_DECLARE_FORMAT(Q5_K)
QS_DECLARE_FORMAT(Q6_K)
QS_DECLARE_FORMAT(IQ4_NL)
QS_DECLARE_FORMAT(IQ4_XS)

#undef QS_DECLARE_FORMAT

// The importance paths of Q4_0, Q4_1, Q5_0 and Q5_1 weigh each weight by sqrt(sigma2 + x^2), sigma2 being the mean
// square of the whole row (quant::rowMeanSquare). These quantize `nBlocks` blocks of a row given that sigma2, for a
// solver that chooses one block at a time (GPTQ-compensated blocks); with the row's own sigma2 they write exactly
// what quantize* writes for those blocks.
void quantizeBlocksQ4_0(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2);
void quantizeBlocksQ4_1(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2);
void quantizeBlocksQ5_0(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2);
void quantizeBlocksQ5_1(const float *x, void *dst, int64_t nBlocks, const float *qw, float sigma2);

// Mean quantization step of one block of each format (see StepFn in ggml_type.h).
float stepQ4_0(const void *b);
float stepQ4_1(const void *b);
float stepQ5_0(const void *b);
float stepQ5_1(const void *b);
float stepQ8_0(const void *b);
float stepQ2_K(const void *b);
float stepQ3_K(const void *b);
float stepQ4_K(const void *b);
float stepQ5_K(const void *b);
float stepQ6_K(const void *b);
float stepIQ4_NL(const void *b);
float stepIQ4_XS(const void *b);

} // namespace qs::formats
