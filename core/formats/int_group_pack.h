// How integer group codes sit in the int32 words of the checkpoints people deploy. Plain rules over plain arrays
// (bytes in, integers out; no I/O): the export writes them, the model reader reads them back.
//
// Every layout here is one little-endian bit stream per packed line: value k of a line occupies bits
// [bits*k, bits*k + bits) of the line's words (word k*bits/32). For 2, 4 and 8 bits this is AutoGPTQ's and
// compressed-tensors' "value i of a word at bits*i"; for 3 bits it is AutoGPTQ's pack() stream, where 32 values fill
// 3 words and values 10 and 21 straddle a word boundary. AWQ's GEMM layout additionally interleaves the eight
// output columns of each word in the order kAwqOrder (AutoAWQ WQLinear_GEMM.from_linear, order_map).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace qs {

// AutoAWQ: the nibble at position i of a word holds output column 8*w + kAwqOrder[i].
inline constexpr std::array<int, 8> kAwqOrder = {0, 2, 4, 6, 1, 3, 5, 7};

// The number of int32 words a line of `n` values takes at `bits` bits, or -1 if the stream does not end on a
// word boundary (AutoGPTQ packs whole words only: n*bits must be a multiple of 32).
inline int64_t packedWords(int64_t n, int bits)
{
    return (n * bits) % 32 == 0 ? n * bits / 32 : -1;
}

// Reads value k of a stream whose word i is at `words + i * strideBytes` (a column of a row-major [words, N] int32
// array has a stride of 4*N). Unaligned safe: the words come from memory-mapped files.
inline uint32_t streamValue(const uint8_t *words, int64_t strideBytes, int64_t k, int bits)
{
    const int64_t bit = k * bits;
    const int64_t w = bit / 32;
    const int shift = static_cast<int>(bit % 32);
    uint32_t lo;
    std::memcpy(&lo, words + w * strideBytes, 4);
    uint64_t v = lo >> shift;
    if (shift + bits > 32) {
        uint32_t hi;
        std::memcpy(&hi, words + (w + 1) * strideBytes, 4);
        v |= static_cast<uint64_t>(hi) << (32 - shift);
    }
    return static_cast<uint32_t>(v) & ((1u << bits) - 1u);
}

// ORs value `v` (already < 2^bits) into position k of a stream of words laid out as for streamValue.
inline void streamPut(uint32_t *words, int64_t strideWords, int64_t k, int bits, uint32_t v)
{
    const int64_t bit = k * bits;
    const int64_t w = bit / 32;
    const int shift = static_cast<int>(bit % 32);
    words[w * strideWords] |= v << shift;
    if (shift + bits > 32)
        words[(w + 1) * strideWords] |= v >> (32 - shift);
}

} // namespace qs
