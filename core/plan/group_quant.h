// GPTQ and AWQ choices in a plan. Both store a Linear layer's weights as `bits`-bit integers packed into int32 words,
// with an fp16 scale and a packed integer zero point for every group of `groupSize` input columns (GPTQModel's and
// AutoAWQ's safetensors layouts; GPTQ also keeps a g_idx entry per input column). The plan can name them and the
// memory estimate counts their packed bytes; producing them (calibration, the safetensors export) is a later issue,
// and the GGUF exporter refuses a plan that holds them.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>

namespace qs {

enum class GroupQuantMethod { Gptq, Awq };

struct GroupQuantChoice {
    GroupQuantMethod method = GroupQuantMethod::Gptq;
    int bits = 4;        // 2, 3, 4 or 8
    int groupSize = 128; // input columns per scale; -1: one group per output row (per-channel)

    // "GPTQ 4-bit g128", "AWQ 4-bit per-channel"
    std::string name() const;
    // "gptq:4:128", "awq:4:-1" (what plans and command lines use)
    std::string id() const;
    static Result<GroupQuantChoice> parse(const std::string &id);
    // Whether a weight of `inFeatures` input columns can be stored this way (whole groups; whole int32 words).
    Status fits(int64_t inFeatures, int64_t outFeatures) const;
    // The packed bytes of one [outFeatures x inFeatures] weight: qweight + qzeros (int32 words) + scales (fp16)
    // + g_idx (int32 per input column, GPTQ only).
    uint64_t packedBytes(int64_t inFeatures, int64_t outFeatures) const;

    bool operator==(const GroupQuantChoice &) const = default;
};

} // namespace qs
