#include "formats/quant_format.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace qs {

std::string QuantFormat::id() const
{
    switch (kind) {
    case Kind::Keep: return "keep";
    case Kind::Gguf: return std::string(typeTraits(type).name);
    case Kind::IntGroup: return group.id();
    }
    return "keep";
}

std::string QuantFormat::name() const { return kind == Kind::IntGroup ? group.name() : id(); }

int64_t QuantFormat::blockLength(int64_t rowLength) const
{
    switch (kind) {
    case Kind::Keep: return 1;
    case Kind::Gguf: {
        const int64_t b = typeTraits(type).blockSize;
        return rowLength % b == 0 ? b : 0;
    }
    case Kind::IntGroup: return group.groupLength(rowLength);
    }
    return 0;
}

uint64_t QuantFormat::bytes(int64_t rows, int64_t rowLength) const
{
    if (kind == Kind::IntGroup)
        return group.packedBytes(rowLength, rows);
    const int64_t rb = rowBytes(typeTraits(kind == Kind::Gguf ? type : GgmlType::F32), rowLength);
    return rb < 0 ? 0 : static_cast<uint64_t>(rb * rows);
}

double QuantFormat::bitsPerWeight(int64_t rows, int64_t rowLength) const
{
    if (kind == Kind::Gguf)
        return typeTraits(type).bitsPerWeight();
    const double elements = static_cast<double>(rows) * static_cast<double>(rowLength);
    return elements > 0 ? 8.0 * static_cast<double>(bytes(rows, rowLength)) / elements : 0.0;
}

Result<QuantFormat> QuantFormat::parse(const std::string &textIn)
{
    std::string text = textIn;
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (text == "keep")
        return keep();
    if (text.rfind("int", 0) == 0 || text.find(':') != std::string::npos) {
        auto g = IntGroupFormat::parse(textIn);
        if (!g)
            return g.error();
        return intGroup(*g);
    }
    const auto type = typeFromName(text);
    if (!type || !typeTraits(*type).quantize || !typeTraits(*type).step)
        return makeError("'" + textIn + "' is not a format Quantscope can quantize to (GGUF: q4_0, q4_1, q5_0, q5_1, q8_0, "
                         "q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, iq4_xs; integer groups: int4-g128-asym, gptq:4:128, "
                         "awq:4:128 and the like)");
    return gguf(*type);
}

Result<std::vector<QuantFormat>> QuantFormat::parseList(const std::string &list)
{
    std::vector<QuantFormat> out;
    std::istringstream in(list);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.empty())
            continue;
        auto c = parse(item);
        if (!c)
            return c.error();
        if (c->kind == Kind::Keep)
            return makeError("'keep' is not a format to measure");
        out.push_back(*c);
    }
    if (out.empty())
        return makeError("no formats named");
    return out;
}

} // namespace qs
