// The parts Q4_K and Q5_K share: 8 sub-blocks of 32 with a 6-bit scale and min each, packed into 12 bytes.
#pragma once

#include <cstdint>

namespace qs::formats::kquant {

// Reference path: per sub-block, weights sqrt(mean x^2) + |x| and make_qkx2_quants(32, nmax, ...).
void refSubBlocks(const float *x, int nmax, float rmin, float rdelta, int nstep, uint8_t *L, float *scales, float *mins);
// Reference path: 6-bit quantization of scales and mins against their maxima, d = max/63.
void storeRefScales(const float *scales, const float *mins, uint8_t *packed, uint16_t &d, uint16_t &dmin);
// Both paths: levels from the stored fp16 d/dmin and 6-bit scales.
void requantize(const float *x, const uint8_t *packed, uint16_t d, uint16_t dmin, int nmax, uint8_t *L);
// Importance-matrix path for one super-block (make_qkx3_quants + make_qp_quants), levels requantized.
void impl(const float *x, const float *qw, int nmax, uint8_t *L, uint8_t *packed, uint16_t &d, uint16_t &dmin);
// Packs 6-bit scale ls and min lm of sub-block j (get_scale_min_k4's inverse).
void packScaleMin(uint8_t *packed, int j, uint8_t ls, uint8_t lm);

} // namespace qs::formats::kquant
