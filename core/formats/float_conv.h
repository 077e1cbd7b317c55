// Scalar conversions between fp32 and the narrow float formats models are stored in. Bit-exact by construction:
// fp32 -> fp16 rounds to nearest even and maps NaN to 0x7E00 as ggml does (ggml_compute_fp32_to_fp16).
#pragma once

#include <cstdint>
#include <cstring>

namespace qs {

inline float bitsToFloat(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
inline uint32_t floatToBits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }

inline float bf16ToFloat(uint16_t h) { return bitsToFloat(static_cast<uint32_t>(h) << 16); }

// Round to nearest even; NaN stays NaN (quiet), as ggml_compute_fp32_to_bf16 does.
inline uint16_t floatToBf16(float f)
{
    uint32_t u = floatToBits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u)
        return static_cast<uint16_t>((u >> 16) | 64);
    return static_cast<uint16_t>((u + (0x7fffu + ((u >> 16) & 1u))) >> 16);
}

inline float fp16ToFloat(uint16_t h)
{
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    if (exp == 0) {
        if (mant == 0)
            return bitsToFloat(sign);
        // subnormal: normalise
        int e = -1;
        do {
            mant <<= 1;
            ++e;
        } while ((mant & 0x400u) == 0);
        mant &= 0x3ffu;
        return bitsToFloat(sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | (mant << 13));
    }
    if (exp == 31)
        return bitsToFloat(sign | 0x7f800000u | (mant << 13));
    return bitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
}

// fp32 -> fp16, round to nearest even, overflow to inf, NaN -> 0x7E00 (sign kept) like ggml's scalar path.
inline uint16_t floatToFp16(float f)
{
    const uint32_t u = floatToBits(f);
    const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
    const uint32_t absu = u & 0x7fffffffu;
    if (absu > 0x7f800000u)
        return static_cast<uint16_t>(sign | 0x7e00u);
    if (absu >= 0x477ff000u) // rounds to >= 65520: infinity
        return static_cast<uint16_t>(sign | 0x7c00u);
    if (absu < 0x38800000u) { // below the smallest normal half: subnormal or zero
        // value = absu as float; half subnormal step is 2^-24
        const float a = bitsToFloat(absu);
        // scale to units of 2^-24 and round to nearest even through the fp32 adder
        const float scaled = a * 16777216.0f; // exact: power of two
        // nearest-even of a value < 1024 via the magic-number trick
        const float r = (scaled + 8388608.0f) - 8388608.0f;
        return static_cast<uint16_t>(sign | static_cast<uint16_t>(r));
    }
    uint32_t mant = absu & 0x7fffffu;
    uint32_t exp = (absu >> 23) - 127 + 15;
    uint32_t half = (exp << 10) | (mant >> 13);
    const uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u)))
        ++half; // carry may roll into the exponent, which is the correct result
    return static_cast<uint16_t>(sign | half);
}

// OCP FP8 E4M3 (safetensors F8_E4M3): bias 7, no infinities, S.1111.111 is NaN.
inline float fp8e4m3ToFloat(uint8_t v)
{
    const uint32_t sign = static_cast<uint32_t>(v & 0x80u) << 24;
    const uint32_t exp = (v >> 3) & 0xfu;
    const uint32_t mant = v & 0x7u;
    if (exp == 0xf && mant == 0x7)
        return bitsToFloat(sign | 0x7fc00000u);
    if (exp == 0) {
        const float m = static_cast<float>(mant) * (1.0f / 512.0f); // mant/8 * 2^-6
        return (v & 0x80u) ? -m : m;
    }
    return bitsToFloat(sign | ((exp + 127 - 7) << 23) | (mant << 20));
}

// FP8 E5M2 is the upper byte of an IEEE half.
inline float fp8e5m2ToFloat(uint8_t v) { return fp16ToFloat(static_cast<uint16_t>(v) << 8); }

} // namespace qs
