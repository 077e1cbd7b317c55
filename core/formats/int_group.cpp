#include "formats/int_group.h"

#include "formats/float_conv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace qs {

namespace {

const char *methodId(IntGroupMethod m)
{
    switch (m) {
    case IntGroupMethod::Rtn: return "rtn";
    case IntGroupMethod::Gptq: return "gptq";
    case IntGroupMethod::Awq: return "awq";
    }
    return "rtn";
}

bool parseInt(const std::string &s, int &out)
{
    const char *end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc() && p == end && !s.empty();
}

std::vector<std::string> split(const std::string &s, char sep)
{
    std::vector<std::string> parts(1);
    for (char c : s) {
        if (c == sep)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    return parts;
}

// int32 words that hold n values of `bits` bits packed end to end (3-bit values straddle words, as GPTQ packs them)
uint64_t packedWords(int64_t n, int bits) { return (static_cast<uint64_t>(n) * static_cast<uint64_t>(bits) + 31) / 32; }

} // namespace

std::string IntGroupFormat::name() const
{
    std::string m = method == IntGroupMethod::Gptq ? "GPTQ" : method == IntGroupMethod::Awq ? "AWQ" : "RTN";
    std::string s = m + " " + std::to_string(bits) + "-bit " + (groupSize < 0 ? std::string("per-channel") : "g" + std::to_string(groupSize));
    if (symmetric != defaultSymmetric(method))
        s += symmetric ? " symmetric" : " asymmetric";
    return s;
}

std::string IntGroupFormat::id() const
{
    // the analysis' short form where it can say the group (g32/g64/g128/row), the colon form otherwise
    if (method == IntGroupMethod::Rtn && (groupSize == -1 || groupSize == 32 || groupSize == 64 || groupSize == 128))
        return "int" + std::to_string(bits) + "-" + (groupSize < 0 ? std::string("row") : "g" + std::to_string(groupSize)) + "-" +
               (symmetric ? "sym" : "asym");
    std::string s = std::string(methodId(method)) + ":" + std::to_string(bits) + ":" + std::to_string(groupSize);
    if (symmetric != defaultSymmetric(method))
        s += symmetric ? ":sym" : ":asym";
    return s;
}

Result<IntGroupFormat> IntGroupFormat::parse(const std::string &textIn)
{
    std::string text = textIn;
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    IntGroupFormat f;
    auto checkBits = [&]() -> Status {
        if (f.bits != 2 && f.bits != 3 && f.bits != 4 && f.bits != 8)
            return makeError("'" + textIn + "': integer formats have 2, 3, 4 or 8 bits");
        return okStatus();
    };
    if (text.rfind("int", 0) == 0) { // int<bits>-g<group>|row-sym|asym
        const auto parts = split(text.substr(3), '-');
        if (parts.size() != 3 || !parseInt(parts[0], f.bits))
            return makeError("'" + textIn + "': write int<bits>-g<group>-sym|asym, e.g. int4-g128-asym");
        if (auto ok = checkBits(); !ok)
            return ok.error();
        if (parts[1] == "row")
            f.groupSize = -1;
        else if (parts[1] == "g32" || parts[1] == "g64" || parts[1] == "g128")
            f.groupSize = std::stoi(parts[1].substr(1));
        else
            return makeError("'" + textIn + "': the group is g32, g64, g128 or row");
        if (parts[2] != "sym" && parts[2] != "asym")
            return makeError("'" + textIn + "': say sym or asym");
        f.symmetric = parts[2] == "sym";
        return f;
    }
    if (text.find(' ') != std::string::npos) { // the readable name: "GPTQ 4-bit g128", "RTN 8-bit per-channel symmetric"
        const auto words = split(text, ' ');
        auto badName = [&](const std::string &why) {
            return makeError("'" + textIn + "' is not an integer group format (" + why +
                             "); write e.g. \"GPTQ 4-bit g128\", \"AWQ 4-bit per-channel\" or \"RTN 8-bit g64 symmetric\"");
        };
        if (words.size() < 3 || words.size() > 4)
            return badName("a method, bits, a group and optionally symmetric or asymmetric");
        if (words[0] == "gptq")
            f.method = IntGroupMethod::Gptq;
        else if (words[0] == "awq")
            f.method = IntGroupMethod::Awq;
        else if (words[0] == "rtn")
            f.method = IntGroupMethod::Rtn;
        else
            return badName("the method is GPTQ, AWQ or RTN");
        if (!words[1].ends_with("-bit") || !parseInt(words[1].substr(0, words[1].size() - 4), f.bits) || !checkBits().ok())
            return badName("bits are 2-bit, 3-bit, 4-bit or 8-bit");
        if (words[2] == "per-channel")
            f.groupSize = -1;
        else if (words[2].size() < 2 || words[2][0] != 'g' || !parseInt(words[2].substr(1), f.groupSize) || f.groupSize < 16 ||
                 f.groupSize % 16 != 0)
            return badName("the group is g<size> with a multiple of 16, or per-channel");
        f.symmetric = defaultSymmetric(f.method);
        if (words.size() == 4) {
            if (words[3] != "symmetric" && words[3] != "asymmetric")
                return badName("the last word is symmetric or asymmetric");
            f.symmetric = words[3] == "symmetric";
        }
        return f;
    }
    const auto parts = split(text, ':');
    auto bad = [&](const std::string &why) {
        return makeError("'" + textIn + "' is not an integer group format (" + why +
                         "); write METHOD:BITS:GROUP[:sym|:asym], e.g. gptq:4:128, awq:4:-1 or rtn:8:-1:sym");
    };
    if (parts.size() < 3 || parts.size() > 4)
        return bad("three or four fields separated by ':'");
    if (parts[0] == "gptq")
        f.method = IntGroupMethod::Gptq;
    else if (parts[0] == "awq")
        f.method = IntGroupMethod::Awq;
    else if (parts[0] == "rtn")
        f.method = IntGroupMethod::Rtn;
    else
        return bad("the method is gptq, awq or rtn");
    if (!parseInt(parts[1], f.bits) || !checkBits().ok())
        return bad("bits are 2, 3, 4 or 8");
    if (!parseInt(parts[2], f.groupSize) || (f.groupSize != -1 && (f.groupSize < 16 || f.groupSize % 16 != 0)))
        return bad("the group size is -1 or a multiple of 16");
    f.symmetric = defaultSymmetric(f.method);
    if (parts.size() == 4) {
        if (parts[3] != "sym" && parts[3] != "asym")
            return bad("the last field is sym or asym");
        f.symmetric = parts[3] == "sym";
    }
    return f;
}

int64_t IntGroupFormat::groupLength(int64_t rowLength) const
{
    if (groupSize < 0)
        return rowLength;
    return rowLength % groupSize == 0 ? groupSize : 0;
}

Status IntGroupFormat::fits(int64_t in, int64_t out) const
{
    if (in <= 0 || out <= 0)
        return makeError("an empty weight cannot be packed");
    if (groupSize > 0 && in % groupSize != 0)
        return makeError(std::to_string(in) + " input columns do not divide into groups of " + std::to_string(groupSize));
    // GPTQ packs along the input columns, AWQ along the output rows: either way whole int32 words
    const int64_t packedDim = method == IntGroupMethod::Awq ? out : in;
    if ((packedDim * bits) % 32 != 0)
        return makeError(std::to_string(packedDim) + " values of " + std::to_string(bits) + " bits do not fill whole int32 words");
    return okStatus();
}

uint64_t IntGroupFormat::packedBytes(int64_t in, int64_t out) const
{
    const int64_t groups = groupSize < 0 ? 1 : (in + groupSize - 1) / groupSize;
    uint64_t bytes = 0;
    if (method == IntGroupMethod::Awq)
        bytes += 4 * packedWords(out, bits) * static_cast<uint64_t>(in); // qweight [in, out*bits/32]
    else
        bytes += 4 * packedWords(in, bits) * static_cast<uint64_t>(out); // qweight [in*bits/32, out]
    bytes += 4 * packedWords(out, bits) * static_cast<uint64_t>(groups);  // qzeros [groups, out*bits/32]
    bytes += 2 * static_cast<uint64_t>(groups) * static_cast<uint64_t>(out); // scales [groups, out], fp16
    if (method != IntGroupMethod::Awq)
        bytes += 4 * static_cast<uint64_t>(in); // g_idx [in]
    return bytes;
}

void rtnQuantizeRow(const float *x, int64_t n, int bits, int group, bool symmetric, float *out, float *steps)
{
    const int64_t g = group > 0 ? group : n;
    for (int64_t start = 0, gi = 0; start < n; start += g, ++gi) {
        const float *xg = x + start;
        float *og = out + start;
        if (symmetric) {
            float amax = 0;
            for (int64_t i = 0; i < g; ++i)
                amax = std::max(amax, std::fabs(xg[i]));
            const int qmax = (1 << (bits - 1)) - 1, qmin = -(1 << (bits - 1));
            const float scale = fp16ToFloat(floatToFp16(amax / static_cast<float>(qmax)));
            steps[gi] = scale;
            for (int64_t i = 0; i < g; ++i) {
                const float q = scale > 0 ? std::clamp(std::nearbyint(xg[i] / scale), static_cast<float>(qmin), static_cast<float>(qmax)) : 0.f;
                og[i] = q * scale;
            }
        } else {
            float mn = xg[0], mx = xg[0];
            for (int64_t i = 1; i < g; ++i) {
                mn = std::min(mn, xg[i]);
                mx = std::max(mx, xg[i]);
            }
            const int qmax = (1 << bits) - 1;
            const float scale = fp16ToFloat(floatToFp16(std::max(mx - mn, 1e-5f) / static_cast<float>(qmax)));
            const float zero = std::clamp(-std::nearbyint(mn / scale), 0.f, static_cast<float>(qmax));
            steps[gi] = scale;
            for (int64_t i = 0; i < g; ++i) {
                const float q = std::clamp(std::nearbyint(xg[i] / scale) + zero, 0.f, static_cast<float>(qmax));
                og[i] = (q - zero) * scale;
            }
        }
    }
}

void GroupQuantizedTensor::dequantize(float *out, bool fp16Scales) const
{
    dequantizeRows(0, rows, out, fp16Scales);
}

void GroupQuantizedTensor::dequantizeRows(int64_t first, int64_t n, float *out, bool fp16Scales) const
{
    const int64_t g = groups();
    for (int64_t r = first; r < first + n; ++r) {
        float *dst = out + (r - first) * cols;
        for (int64_t c = 0; c < cols; ++c) {
            const int64_t gi = gIdx[static_cast<size_t>(c)];
            float s = scales[static_cast<size_t>(r * g + gi)];
            if (fp16Scales)
                s = fp16ToFloat(floatToFp16(s));
            dst[c] = s * static_cast<float>(static_cast<int32_t>(codes[static_cast<size_t>(r * cols + c)]) - zeros[static_cast<size_t>(r * g + gi)]);
        }
    }
}

bool GroupQuantizedTensor::consistent() const
{
    const int64_t g = groups();
    const int32_t maxq = (1 << format.bits) - 1;
    if (rows <= 0 || cols <= 0 || g <= 0 || static_cast<int64_t>(codes.size()) != rows * cols ||
        static_cast<int64_t>(scales.size()) != rows * g || static_cast<int64_t>(zeros.size()) != rows * g ||
        static_cast<int64_t>(gIdx.size()) != cols)
        return false;
    for (int32_t i : gIdx)
        if (i < 0 || i >= g)
            return false;
    for (uint8_t c : codes)
        if (c > maxq)
            return false;
    for (int32_t z : zeros)
        if (z < 0 || z > maxq + 1)
            return false;
    return true;
}

void minMaxGrid(const float *x, int64_t rows, int64_t n, int64_t stride, int bits, bool symmetric, float *scale, float *zero)
{
    const float maxq = static_cast<float>((1 << bits) - 1);
    for (int64_t r = 0; r < rows; ++r) {
        const float *row = x + r * stride;
        float xmin = 0, xmax = 0; // minimum(x.min(1), 0), maximum(x.max(1), 0)
        for (int64_t i = 0; i < n; ++i) {
            xmin = std::min(xmin, row[i]);
            xmax = std::max(xmax, row[i]);
        }
        if (symmetric) {
            xmax = std::max(std::fabs(xmin), xmax);
            if (xmin < 0)
                xmin = -xmax;
        }
        if (xmin == 0 && xmax == 0) {
            xmin = -1;
            xmax = 1;
        }
        scale[r] = (xmax - xmin) / maxq;
        zero[r] = symmetric ? (maxq + 1) / 2 : std::nearbyint(-xmin / scale[r]);
    }
}

GroupQuantizedTensor roundToNearest(const float *W, int64_t rows, int64_t cols, const IntGroupFormat &format)
{
    GroupQuantizedTensor t;
    t.format = format;
    t.rows = rows;
    t.cols = cols;
    const int64_t gs = format.groupSize > 0 ? format.groupSize : cols;
    const int64_t groups = (cols + gs - 1) / gs;
    const float maxq = static_cast<float>((1 << format.bits) - 1);
    t.codes.resize(static_cast<size_t>(rows * cols));
    t.scales.resize(static_cast<size_t>(rows * groups));
    t.zeros.resize(static_cast<size_t>(rows * groups));
    t.gIdx.resize(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c)
        t.gIdx[static_cast<size_t>(c)] = static_cast<int32_t>(c / gs);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t g = 0; g < groups; ++g) {
            const int64_t c0 = g * gs, n = std::min(gs, cols - c0);
            float scale, zero;
            minMaxGrid(W + r * cols + c0, 1, n, cols, format.bits, format.symmetric, &scale, &zero);
            t.scales[static_cast<size_t>(r * groups + g)] = scale;
            t.zeros[static_cast<size_t>(r * groups + g)] = static_cast<int32_t>(zero);
            for (int64_t c = c0; c < c0 + n; ++c)
                t.codes[static_cast<size_t>(r * cols + c)] =
                    static_cast<uint8_t>(std::clamp(std::nearbyint(W[r * cols + c] / scale) + zero, 0.0f, maxq));
        }
    return t;
}

} // namespace qs
