#include "plan/group_quant.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace qs {

namespace {

const char *methodName(GroupQuantMethod m) { return m == GroupQuantMethod::Gptq ? "gptq" : "awq"; }

bool parseInt(const std::string &s, int &out)
{
    const char *end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc() && p == end;
}

// int32 words that hold n values of `bits` bits packed end to end (3-bit values straddle words, as GPTQ packs them)
uint64_t packedWords(int64_t n, int bits) { return (static_cast<uint64_t>(n) * static_cast<uint64_t>(bits) + 31) / 32; }

} // namespace

std::string GroupQuantChoice::name() const
{
    std::string m = method == GroupQuantMethod::Gptq ? "GPTQ" : "AWQ";
    return m + " " + std::to_string(bits) + "-bit " + (groupSize < 0 ? std::string("per-channel") : "g" + std::to_string(groupSize));
}

std::string GroupQuantChoice::id() const { return std::string(methodName(method)) + ":" + std::to_string(bits) + ":" + std::to_string(groupSize); }

Result<GroupQuantChoice> GroupQuantChoice::parse(const std::string &id)
{
    std::string s = id;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t a = s.find(':'), b = a == std::string::npos ? a : s.find(':', a + 1);
    auto bad = [&id](const std::string &why) {
        return makeError("'" + id + "' is not a GPTQ/AWQ choice (" + why + "); write METHOD:BITS:GROUP, e.g. gptq:4:128 or awq:4:-1");
    };
    if (b == std::string::npos)
        return bad("three fields separated by ':'");
    GroupQuantChoice c;
    const std::string m = s.substr(0, a);
    if (m == "gptq")
        c.method = GroupQuantMethod::Gptq;
    else if (m == "awq")
        c.method = GroupQuantMethod::Awq;
    else
        return bad("the method is gptq or awq");
    if (!parseInt(s.substr(a + 1, b - a - 1), c.bits) || (c.bits != 2 && c.bits != 3 && c.bits != 4 && c.bits != 8))
        return bad("bits are 2, 3, 4 or 8");
    if (!parseInt(s.substr(b + 1), c.groupSize) || (c.groupSize != -1 && (c.groupSize < 16 || c.groupSize % 16 != 0)))
        return bad("the group size is -1 or a multiple of 16");
    return c;
}

Status GroupQuantChoice::fits(int64_t in, int64_t out) const
{
    if (in <= 0 || out <= 0)
        return makeError("an empty weight cannot be packed");
    if (groupSize > 0 && in % groupSize != 0)
        return makeError(std::to_string(in) + " input columns do not divide into groups of " + std::to_string(groupSize));
    // GPTQ packs along the input columns, AWQ along the output rows: either way whole int32 words
    const int64_t packedDim = method == GroupQuantMethod::Gptq ? in : out;
    if ((packedDim * bits) % 32 != 0)
        return makeError(std::to_string(packedDim) + " values of " + std::to_string(bits) + " bits do not fill whole int32 words");
    return okStatus();
}

uint64_t GroupQuantChoice::packedBytes(int64_t in, int64_t out) const
{
    const int64_t groups = groupSize < 0 ? 1 : (in + groupSize - 1) / groupSize;
    uint64_t bytes = 0;
    if (method == GroupQuantMethod::Gptq)
        bytes += 4 * packedWords(in, bits) * static_cast<uint64_t>(out); // qweight [in*bits/32, out]
    else
        bytes += 4 * packedWords(out, bits) * static_cast<uint64_t>(in); // qweight [in, out*bits/32]
    bytes += 4 * packedWords(out, bits) * static_cast<uint64_t>(groups);  // qzeros [groups, out*bits/32]
    bytes += 2 * static_cast<uint64_t>(groups) * static_cast<uint64_t>(out); // scales [groups, out], fp16
    if (method == GroupQuantMethod::Gptq)
        bytes += 4 * static_cast<uint64_t>(in); // g_idx [in]
    return bytes;
}

} // namespace qs
