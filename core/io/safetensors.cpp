#include "io/safetensors.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace qs {

namespace {

struct DtypeInfo {
    StDtype dtype;
    std::string_view name;
    int size;
    bool isFloat;
};

constexpr std::array kDtypes = {
    DtypeInfo{StDtype::BOOL, "BOOL", 1, false},   DtypeInfo{StDtype::U8, "U8", 1, false},
    DtypeInfo{StDtype::I8, "I8", 1, false},       DtypeInfo{StDtype::I16, "I16", 2, false},
    DtypeInfo{StDtype::U16, "U16", 2, false},     DtypeInfo{StDtype::F16, "F16", 2, true},
    DtypeInfo{StDtype::BF16, "BF16", 2, true},    DtypeInfo{StDtype::I32, "I32", 4, false},
    DtypeInfo{StDtype::U32, "U32", 4, false},     DtypeInfo{StDtype::F32, "F32", 4, true},
    DtypeInfo{StDtype::F64, "F64", 8, true},      DtypeInfo{StDtype::I64, "I64", 8, false},
    DtypeInfo{StDtype::U64, "U64", 8, false},     DtypeInfo{StDtype::F8_E4M3, "F8_E4M3", 1, true},
    DtypeInfo{StDtype::F8_E5M2, "F8_E5M2", 1, true},
};

const DtypeInfo &info(StDtype d)
{
    for (const auto &i : kDtypes)
        if (i.dtype == d)
            return i;
    return kDtypes[0];
}

std::string toStd(const QString &s) { return s.toStdString(); }

} // namespace

std::string_view dtypeName(StDtype d) { return info(d).name; }
int dtypeSize(StDtype d) { return info(d).size; }
bool dtypeIsFloat(StDtype d) { return info(d).isFloat; }

std::optional<StDtype> dtypeFromName(std::string_view name)
{
    for (const auto &i : kDtypes)
        if (i.name == name)
            return i.dtype;
    return std::nullopt;
}

int64_t SafetensorsTensor::elements() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::span<const uint8_t> SafetensorsFile::tensorBytes(const SafetensorsTensor &t) const
{
    if (!map)
        return {};
    return map->bytes().subspan(static_cast<size_t>(t.begin), static_cast<size_t>(t.end - t.begin));
}

Result<SafetensorsFile> parseSafetensors(std::span<const uint8_t> bytes, const std::string &path)
{
    auto fail = [&](std::string msg, int64_t at) { return makeError(std::move(msg), at).inFile(path); };

    SafetensorsFile f;
    f.path = path;
    if (bytes.size() < 8)
        return fail("file is " + std::to_string(bytes.size()) +
                        " bytes, too short for the 8-byte safetensors header length (truncated file?)",
                    0);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    if (n > kSafetensorsMaxHeader)
        return fail("header length " + std::to_string(n) + " exceeds the 100,000,000-byte limit; not a safetensors file?", 0);
    if (n > bytes.size() - 8)
        return fail("header length " + std::to_string(n) + " runs past the end of the file (" +
                        std::to_string(bytes.size()) + " bytes; truncated file?)",
                    0);
    if (n < 2 || bytes[8] != '{')
        return fail("header does not start with '{'; not a safetensors file", 8);
    f.headerLength = n;

    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(bytes.data() + 8), static_cast<qsizetype>(n));
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError)
        return fail("header JSON is invalid: " + toStd(perr.errorString()), 8 + perr.offset);
    if (!doc.isObject())
        return fail("header JSON is not an object", 8);

    const uint64_t bufferStart = 8 + n;
    const uint64_t bufferLen = bytes.size() - bufferStart;
    const QJsonObject root = doc.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        const std::string name = toStd(it.key());
        if (name == "__metadata__") {
            if (!it.value().isObject())
                return fail("__metadata__ is not an object of strings", 8);
            const QJsonObject meta = it.value().toObject();
            for (auto m = meta.begin(); m != meta.end(); ++m) {
                if (!m.value().isString())
                    return fail("__metadata__ value '" + toStd(m.key()) + "' is not a string", 8);
                f.metadata[toStd(m.key())] = toStd(m.value().toString());
            }
            continue;
        }
        auto tfail = [&](std::string msg) { return fail(std::move(msg), 8).forTensor(name); };
        if (!it.value().isObject())
            return tfail("entry is not an object with dtype, shape and data_offsets");
        const QJsonObject o = it.value().toObject();
        SafetensorsTensor t;
        t.name = name;

        const QJsonValue dt = o.value(QStringLiteral("dtype"));
        if (!dt.isString())
            return tfail("missing or non-string \"dtype\"");
        const auto dtype = dtypeFromName(toStd(dt.toString()));
        if (!dtype)
            return tfail("unknown dtype \"" + toStd(dt.toString()) +
                         "\" (expected one of F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)");
        t.dtype = *dtype;

        const QJsonValue sh = o.value(QStringLiteral("shape"));
        if (!sh.isArray())
            return tfail("missing or non-array \"shape\"");
        int64_t elements = 1;
        for (const QJsonValue d : sh.toArray()) {
            const qint64 v = d.toInteger(-1);
            if (!d.isDouble() || v < 0 || static_cast<double>(v) != d.toDouble())
                return tfail("shape entries must be non-negative integers");
            if (v != 0 && elements > std::numeric_limits<int64_t>::max() / v)
                return tfail("element count overflows 64 bits");
            elements *= v;
            t.shape.push_back(v);
        }
        if (t.shape.size() > 8)
            return tfail("shape has " + std::to_string(t.shape.size()) + " dimensions; at most 8 are supported");

        const QJsonValue off = o.value(QStringLiteral("data_offsets"));
        const QJsonArray offs = off.toArray();
        if (!off.isArray() || offs.size() != 2)
            return tfail("\"data_offsets\" must be an array of two integers [begin, end]");
        const qint64 b = offs.at(0).toInteger(-1), e = offs.at(1).toInteger(-1);
        if (b < 0 || e < 0 || static_cast<double>(b) != offs.at(0).toDouble() || static_cast<double>(e) != offs.at(1).toDouble())
            return tfail("\"data_offsets\" must be non-negative integers");
        if (e < b)
            return tfail("data_offsets [" + std::to_string(b) + ", " + std::to_string(e) + "] end before they begin");
        if (static_cast<uint64_t>(e) > bufferLen)
            return Error(fail("data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                                  "] run past the end of the data (" + std::to_string(bufferLen) +
                                  " bytes; truncated file?)",
                              static_cast<int64_t>(bufferStart + static_cast<uint64_t>(b))))
                .forTensor(name);
        const uint64_t size = static_cast<uint64_t>(dtypeSize(t.dtype));
        if (static_cast<uint64_t>(elements) > std::numeric_limits<uint64_t>::max() / size ||
            static_cast<uint64_t>(elements) * size != static_cast<uint64_t>(e - b)) {
            std::string shape;
            for (size_t i = 0; i < t.shape.size(); ++i)
                shape += (i ? ", " : "") + std::to_string(t.shape[i]);
            return Error(fail("shape [" + shape + "] of " + std::string(dtypeName(t.dtype)) + " needs " +
                                  std::to_string(static_cast<uint64_t>(elements) * size) + " bytes but data_offsets span " +
                                  std::to_string(e - b),
                              static_cast<int64_t>(bufferStart + static_cast<uint64_t>(b))))
                .forTensor(name);
        }
        t.begin = bufferStart + static_cast<uint64_t>(b);
        t.end = bufferStart + static_cast<uint64_t>(e);
        f.tensors.push_back(std::move(t));
    }

    std::sort(f.tensors.begin(), f.tensors.end(), [](const SafetensorsTensor &a, const SafetensorsTensor &b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t expected = bufferStart;
    for (const auto &t : f.tensors) {
        if (t.begin < expected)
            return Error(fail("data overlaps the previous tensor's (starts at " + std::to_string(t.begin - bufferStart) +
                                  ", previous ends at " + std::to_string(expected - bufferStart) + ")",
                              static_cast<int64_t>(t.begin)))
                .forTensor(t.name);
        if (t.begin > expected)
            return Error(fail("the data buffer has a hole before this tensor (bytes " +
                                  std::to_string(expected - bufferStart) + " to " + std::to_string(t.begin - bufferStart) +
                                  " belong to no tensor)",
                              static_cast<int64_t>(expected)))
                .forTensor(t.name);
        expected = t.end;
    }
    if (expected != bytes.size())
        return fail(std::to_string(bytes.size() - expected) + " bytes at the end of the file belong to no tensor", static_cast<int64_t>(expected));
    return f;
}

Result<SafetensorsFile> openSafetensors(const std::string &path)
{
    auto map = MappedFile::open(path);
    if (!map)
        return map.error();
    auto res = parseSafetensors((*map)->bytes(), path);
    if (res)
        res->map = *map;
    return res;
}

} // namespace qs
