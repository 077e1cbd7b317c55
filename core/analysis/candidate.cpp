#include "analysis/candidate.h"

#include "formats/float_conv.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace qs {

std::string Candidate::id() const
{
    if (kind == Kind::Gguf)
        return std::string(typeTraits(type).name);
    return "int" + std::to_string(bits) + "-" + (group ? "g" + std::to_string(group) : std::string("row")) + "-" +
           (symmetric ? "sym" : "asym");
}

int64_t Candidate::blockLength(int64_t rowLength) const
{
    if (kind == Kind::Gguf) {
        const int64_t b = typeTraits(type).blockSize;
        return rowLength % b == 0 ? b : 0;
    }
    if (group == 0)
        return rowLength;
    return rowLength % group == 0 ? group : 0;
}

uint64_t Candidate::bytes(int64_t rows, int64_t rowLength) const
{
    if (kind == Kind::Gguf) {
        const int64_t rb = rowBytes(typeTraits(type), rowLength);
        return rb < 0 ? 0 : static_cast<uint64_t>(rb * rows);
    }
    const int64_t g = group ? group : rowLength;
    const int64_t groups = rows * (rowLength / g);
    // packed levels, an fp16 scale per group, and a packed zero point per group when asymmetric (GPTQ/AWQ layout)
    const uint64_t bitsTotal = static_cast<uint64_t>(rows * rowLength) * static_cast<uint64_t>(bits) +
                               static_cast<uint64_t>(groups) * (16u + (symmetric ? 0u : static_cast<uint64_t>(bits)));
    return (bitsTotal + 7) / 8;
}

double Candidate::bitsPerWeight(int64_t rowLength) const
{
    if (kind == Kind::Gguf)
        return typeTraits(type).bitsPerWeight();
    const double g = static_cast<double>(group ? group : rowLength);
    return bits + (16.0 + (symmetric ? 0 : bits)) / g;
}

Result<Candidate> Candidate::parse(const std::string &textIn)
{
    std::string text = textIn;
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    Candidate c;
    if (text.rfind("int", 0) == 0) {
        // int<bits>-g<group>|row-sym|asym
        std::istringstream in(text.substr(3));
        std::string bitsPart, groupPart, symPart;
        std::getline(in, bitsPart, '-');
        std::getline(in, groupPart, '-');
        std::getline(in, symPart);
        c.kind = Kind::Rtn;
        try {
            c.bits = std::stoi(bitsPart);
        } catch (...) {
            c.bits = 0;
        }
        if (c.bits != 2 && c.bits != 3 && c.bits != 4 && c.bits != 8)
            return makeError("'" + textIn + "': integer formats have 2, 3, 4 or 8 bits");
        if (groupPart == "row")
            c.group = 0;
        else if (groupPart == "g32" || groupPart == "g64" || groupPart == "g128")
            c.group = std::stoi(groupPart.substr(1));
        else
            return makeError("'" + textIn + "': the group is g32, g64, g128 or row");
        if (symPart != "sym" && symPart != "asym")
            return makeError("'" + textIn + "': say sym or asym");
        c.symmetric = symPart == "sym";
        return c;
    }
    const auto type = typeFromName(text);
    if (!type || !typeTraits(*type).quantize || !typeTraits(*type).step)
        return makeError("'" + textIn + "' is not a format Quantscope can measure (GGUF: q4_0 ... q8_0, q2_k ... q6_k, iq4_nl, "
                         "iq4_xs; integer: int4-g128-asym and the like)");
    c.type = *type;
    return c;
}

Result<std::vector<Candidate>> Candidate::parseList(const std::string &list)
{
    std::vector<Candidate> out;
    std::istringstream in(list);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.empty())
            continue;
        auto c = parse(item);
        if (!c)
            return c.error();
        out.push_back(*c);
    }
    if (out.empty())
        return makeError("no formats named");
    return out;
}

void rtnQuantizeRow(const float *x, int64_t n, int bits, int group, bool symmetric, float *out, float *steps)
{
    const int64_t g = group ? group : n;
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

} // namespace qs
