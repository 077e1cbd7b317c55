#include "io/gguf.h"

#include "io/byte_reader.h"

#include <cstring>
#include <limits>
#include <unordered_set>

namespace qs {

std::string_view ggufTypeName(GgufType t)
{
    switch (t) {
    case GgufType::Uint8: return "UINT8";
    case GgufType::Int8: return "INT8";
    case GgufType::Uint16: return "UINT16";
    case GgufType::Int16: return "INT16";
    case GgufType::Uint32: return "UINT32";
    case GgufType::Int32: return "INT32";
    case GgufType::Float32: return "FLOAT32";
    case GgufType::Bool: return "BOOL";
    case GgufType::String: return "STRING";
    case GgufType::Array: return "ARRAY";
    case GgufType::Uint64: return "UINT64";
    case GgufType::Int64: return "INT64";
    case GgufType::Float64: return "FLOAT64";
    }
    return "UNKNOWN";
}

int ggufScalarSize(GgufType t)
{
    switch (t) {
    case GgufType::Uint8: case GgufType::Int8: case GgufType::Bool: return 1;
    case GgufType::Uint16: case GgufType::Int16: return 2;
    case GgufType::Uint32: case GgufType::Int32: case GgufType::Float32: return 4;
    case GgufType::Uint64: case GgufType::Int64: case GgufType::Float64: return 8;
    case GgufType::String: case GgufType::Array: return 0;
    }
    return 0;
}

static bool validType(int32_t t) { return t >= 0 && t <= 12; }

namespace {

template <class T>
T loadAs(const uint8_t *p)
{
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

// Element at p of scalar type t as the widest of each family.
bool scalarAsInt(GgufType t, const uint8_t *p, int64_t &out)
{
    switch (t) {
    case GgufType::Uint8: out = loadAs<uint8_t>(p); return true;
    case GgufType::Int8: out = loadAs<int8_t>(p); return true;
    case GgufType::Uint16: out = loadAs<uint16_t>(p); return true;
    case GgufType::Int16: out = loadAs<int16_t>(p); return true;
    case GgufType::Uint32: out = loadAs<uint32_t>(p); return true;
    case GgufType::Int32: out = loadAs<int32_t>(p); return true;
    case GgufType::Int64: out = loadAs<int64_t>(p); return true;
    case GgufType::Uint64: {
        const uint64_t u = loadAs<uint64_t>(p);
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            return false;
        out = static_cast<int64_t>(u);
        return true;
    }
    default: return false;
    }
}

} // namespace

std::optional<uint64_t> GgufValue::toUInt() const
{
    if (isArray() || raw.empty())
        return std::nullopt;
    if (type == GgufType::Uint64)
        return loadAs<uint64_t>(raw.data());
    int64_t v;
    if (!scalarAsInt(type, raw.data(), v) || v < 0)
        return std::nullopt;
    return static_cast<uint64_t>(v);
}

std::optional<int64_t> GgufValue::toInt() const
{
    int64_t v;
    if (isArray() || raw.empty() || !scalarAsInt(type, raw.data(), v))
        return std::nullopt;
    return v;
}

std::optional<double> GgufValue::toDouble() const
{
    if (isArray() || raw.empty())
        return std::nullopt;
    if (type == GgufType::Float32)
        return loadAs<float>(raw.data());
    if (type == GgufType::Float64)
        return loadAs<double>(raw.data());
    if (auto i = toInt())
        return static_cast<double>(*i);
    return std::nullopt;
}

std::optional<bool> GgufValue::toBool() const
{
    if (type != GgufType::Bool || raw.empty())
        return std::nullopt;
    return raw[0] != 0;
}

std::optional<std::string> GgufValue::toString() const
{
    if (type != GgufType::String || strings.empty())
        return std::nullopt;
    return strings.front();
}

double GgufValue::arrayDouble(uint64_t i) const
{
    const int sz = ggufScalarSize(elemType);
    const uint8_t *p = raw.data() + i * static_cast<uint64_t>(sz);
    if (elemType == GgufType::Float32)
        return loadAs<float>(p);
    if (elemType == GgufType::Float64)
        return loadAs<double>(p);
    if (elemType == GgufType::Uint64)
        return static_cast<double>(loadAs<uint64_t>(p));
    int64_t v = 0;
    scalarAsInt(elemType, p, v);
    return static_cast<double>(v);
}

int64_t GgufValue::arrayInt(uint64_t i) const
{
    const int sz = ggufScalarSize(elemType);
    const uint8_t *p = raw.data() + i * static_cast<uint64_t>(sz);
    if (elemType == GgufType::Float32)
        return static_cast<int64_t>(loadAs<float>(p));
    if (elemType == GgufType::Float64)
        return static_cast<int64_t>(loadAs<double>(p));
    int64_t v = 0;
    scalarAsInt(elemType, p, v);
    return v;
}

template <class T>
static GgufValue makeScalar(GgufType t, T v)
{
    GgufValue g;
    g.type = t;
    g.raw.resize(sizeof(T));
    std::memcpy(g.raw.data(), &v, sizeof(T));
    return g;
}

GgufValue GgufValue::makeUInt32(uint32_t v) { return makeScalar(GgufType::Uint32, v); }
GgufValue GgufValue::makeInt32(int32_t v) { return makeScalar(GgufType::Int32, v); }
GgufValue GgufValue::makeFloat32(float v) { return makeScalar(GgufType::Float32, v); }
GgufValue GgufValue::makeBool(bool v) { return makeScalar(GgufType::Bool, static_cast<uint8_t>(v ? 1 : 0)); }
GgufValue GgufValue::makeString(std::string v)
{
    GgufValue g;
    g.type = GgufType::String;
    g.strings.push_back(std::move(v));
    return g;
}

const GgufValue *GgufFile::find(std::string_view key) const
{
    for (const auto &kv : metadata)
        if (kv.key == key)
            return &kv.value;
    return nullptr;
}

const GgufTensorInfo *GgufFile::findTensor(std::string_view name) const
{
    for (const auto &t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

std::span<const uint8_t> GgufFile::tensorBytes(const GgufTensorInfo &t) const
{
    if (!map)
        return {};
    return map->bytes().subspan(static_cast<size_t>(t.fileOffset), static_cast<size_t>(t.bytes));
}

namespace {

class Parser {
public:
    Parser(std::span<const uint8_t> bytes) : r(bytes) {}

    Result<GgufFile> run();

private:
    Error fail(std::string msg, uint64_t at) { return makeError(std::move(msg), static_cast<int64_t>(at)); }
    Error truncated(const char *what, uint64_t at)
    {
        return fail(std::string("file ends inside ") + what + " (truncated file?)", at);
    }

    bool readString(std::string &out, const char *what, Error &err);
    bool readValue(GgufType type, GgufValue &out, const std::string &key, Error &err);

    ByteReader r;
};

bool Parser::readString(std::string &out, const char *what, Error &err)
{
    const uint64_t at = r.pos();
    uint64_t len = 0;
    if (!r.read(len)) {
        err = truncated(what, at);
        return false;
    }
    if (len > kGgufMaxStringLength) {
        err = fail(std::string(what) + " claims " + std::to_string(len) + " bytes; the limit is 2^30", at);
        return false;
    }
    if (len > r.remaining()) {
        err = fail(std::string(what) + " claims " + std::to_string(len) + " bytes but only " +
                       std::to_string(r.remaining()) + " remain in the file",
                   at);
        return false;
    }
    r.readBytes(out, len);
    return true;
}

bool Parser::readValue(GgufType type, GgufValue &out, const std::string &key, Error &err)
{
    out.type = type;
    const uint64_t at = r.pos();
    if (type == GgufType::String) {
        out.strings.resize(1);
        return readString(out.strings[0], "a string value", err);
    }
    if (type == GgufType::Array) {
        int32_t et = 0;
        uint64_t n = 0;
        if (!r.read(et) || !r.read(n)) {
            err = truncated("an array header", at);
            return false;
        }
        if (!validType(et)) {
            err = fail("array of key '" + key + "' has unknown element type " + std::to_string(et), at);
            return false;
        }
        out.elemType = static_cast<GgufType>(et);
        out.count = n;
        if (out.elemType == GgufType::Array) {
            err = fail("array of key '" + key + "' contains arrays; nested arrays are not allowed", at);
            return false;
        }
        if (n > kGgufMaxArrayLength) {
            err = fail("array of key '" + key + "' claims " + std::to_string(n) + " elements; the limit is 2^30", at);
            return false;
        }
        if (out.elemType == GgufType::String) {
            // every string takes at least its 8-byte length: refuse before reserving
            if (n > r.remaining() / 8) {
                err = fail("array of key '" + key + "' claims " + std::to_string(n) +
                               " strings, more than the remaining " + std::to_string(r.remaining()) + " bytes can hold",
                           at);
                return false;
            }
            out.strings.resize(static_cast<size_t>(n));
            for (auto &s : out.strings)
                if (!readString(s, "a string in an array", err))
                    return false;
            return true;
        }
        const uint64_t sz = static_cast<uint64_t>(ggufScalarSize(out.elemType));
        if (n > r.remaining() / sz) {
            err = fail("array of key '" + key + "' claims " + std::to_string(n) + " elements of " +
                           std::to_string(sz) + " bytes but only " + std::to_string(r.remaining()) + " bytes remain",
                       at);
            return false;
        }
        out.raw.assign(r.here(), r.here() + n * sz);
        r.skip(n * sz);
        return true;
    }
    const int sz = ggufScalarSize(type);
    if (r.remaining() < static_cast<uint64_t>(sz)) {
        err = truncated("a value", at);
        return false;
    }
    out.raw.assign(r.here(), r.here() + sz);
    r.skip(static_cast<uint64_t>(sz));
    return true;
}

Result<GgufFile> Parser::run()
{
    GgufFile f;
    f.fileSize = r.size();
    uint32_t magic = 0;
    if (!r.read(magic))
        return fail("file is too short to be GGUF (" + std::to_string(r.size()) + " bytes)", 0);
    if (std::memcmp(&magic, "GGUF", 4) != 0)
        return fail("not a GGUF file: the first 4 bytes are not 'GGUF'", 0);
    uint32_t version = 0;
    if (!r.read(version))
        return truncated("the header", 4);
    if ((version & 0xFFFFu) == 0 && version != 0)
        return fail("GGUF version field " + std::to_string(version) +
                        " looks byte-swapped: big-endian GGUF files are not supported",
                    4);
    if (version == 1)
        return fail("GGUF version 1 is obsolete and not supported (llama.cpp rejects it too); convert the file", 4);
    if (version < 2 || version > 3)
        return fail("unsupported GGUF version " + std::to_string(version) + " (expected 2 or 3)", 4);
    f.version = version;

    int64_t nTensors = 0, nKv = 0;
    if (!r.read(nTensors) || !r.read(nKv))
        return truncated("the header", 8);
    if (nTensors < 0 || nKv < 0)
        return fail("negative tensor or key count in the header", 8);
    // smallest possible entries: a key is 8 + 4 + 1 bytes, a tensor info 8 + 4 + 4 + 8 bytes
    if (static_cast<uint64_t>(nKv) > r.remaining() / 13)
        return fail("header claims " + std::to_string(nKv) + " metadata keys, more than the file can hold", 16);
    if (static_cast<uint64_t>(nTensors) > r.remaining() / 24)
        return fail("header claims " + std::to_string(nTensors) + " tensors, more than the file can hold", 8);

    Error err;
    std::unordered_set<std::string> seenKeys;
    f.metadata.reserve(static_cast<size_t>(nKv));
    for (int64_t i = 0; i < nKv; ++i) {
        const uint64_t at = r.pos();
        GgufKeyValue kv;
        if (!readString(kv.key, "a metadata key", err))
            return err;
        if (kv.key.empty())
            return fail("metadata key " + std::to_string(i) + " is empty", at);
        if (!seenKeys.insert(kv.key).second)
            return fail("duplicate metadata key '" + kv.key + "'", at);
        int32_t type = 0;
        const uint64_t typeAt = r.pos();
        if (!r.read(type))
            return truncated("a metadata type", typeAt);
        if (!validType(type))
            return fail("key '" + kv.key + "' has unknown value type " + std::to_string(type), typeAt);
        if (!readValue(static_cast<GgufType>(type), kv.value, kv.key, err))
            return err;
        f.metadata.push_back(std::move(kv));
    }

    if (const GgufValue *a = f.find("general.alignment")) {
        if (a->type != GgufType::Uint32)
            return fail("general.alignment must be UINT32, found " + std::string(ggufTypeName(a->type)), -1);
        const uint32_t al = static_cast<uint32_t>(*a->toUInt());
        if (al == 0 || (al & (al - 1)) != 0)
            return fail("general.alignment " + std::to_string(al) + " is not a power of two", -1);
        f.alignment = al;
    }

    std::unordered_set<std::string> seenNames;
    f.tensors.reserve(static_cast<size_t>(nTensors));
    for (int64_t i = 0; i < nTensors; ++i) {
        const uint64_t at = r.pos();
        GgufTensorInfo t;
        if (!readString(t.name, "a tensor name", err))
            return err;
        if (t.name.size() > kGgufMaxNameLength)
            return fail("tensor name '" + t.name.substr(0, 80) + "' is " + std::to_string(t.name.size()) +
                            " bytes; ggml allows at most 63",
                        at);
        if (!seenNames.insert(t.name).second)
            return fail("duplicate tensor name '" + t.name + "'", at);
        uint32_t nDims = 0;
        if (!r.read(nDims))
            return Error(truncated("a tensor info", r.pos())).forTensor(t.name);
        if (nDims > static_cast<uint32_t>(kGgufMaxDims))
            return Error(fail(std::to_string(nDims) + " dimensions; ggml allows at most 4", r.pos() - 4)).forTensor(t.name);
        t.ne.resize(nDims);
        int64_t elements = 1;
        for (uint32_t d = 0; d < nDims; ++d) {
            if (!r.read(t.ne[d]))
                return Error(truncated("a tensor shape", r.pos())).forTensor(t.name);
            if (t.ne[d] <= 0)
                return Error(fail("dimension " + std::to_string(d) + " is " + std::to_string(t.ne[d]) +
                                      "; every dimension must be positive",
                                  r.pos() - 8))
                    .forTensor(t.name);
            if (elements > std::numeric_limits<int64_t>::max() / t.ne[d])
                return Error(fail("element count overflows 64 bits", r.pos() - 8)).forTensor(t.name);
            elements *= t.ne[d];
        }
        t.elements = elements;
        const uint64_t typeAt = r.pos();
        if (!r.read(t.typeId))
            return Error(truncated("a tensor type", typeAt)).forTensor(t.name);
        t.traits = typeTraits(t.typeId);
        if (!t.traits)
            return Error(fail("unknown or removed ggml type id " + std::to_string(t.typeId), typeAt)).forTensor(t.name);
        const int64_t rowLen = nDims ? t.ne[0] : 1;
        if (rowLen % t.traits->blockSize != 0)
            return Error(fail("row length " + std::to_string(rowLen) + " is not a multiple of the " +
                                  std::string(t.traits->name) + " block size " + std::to_string(t.traits->blockSize),
                              typeAt))
                .forTensor(t.name);
        // bytes = elements / block * typeSize, computed without overflow
        const uint64_t blocks = static_cast<uint64_t>(elements / t.traits->blockSize);
        if (blocks > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(t.traits->typeSize))
            return Error(fail("byte size overflows 64 bits", typeAt)).forTensor(t.name);
        t.bytes = blocks * static_cast<uint64_t>(t.traits->typeSize);
        if (!r.read(t.offset))
            return Error(truncated("a tensor offset", r.pos())).forTensor(t.name);
        f.tensors.push_back(std::move(t));
    }

    const uint64_t headerEnd = r.pos();
    const uint64_t al = f.alignment;
    f.dataOffset = (headerEnd + al - 1) / al * al;

    // llama.cpp requires the data to be packed in info order: each offset is the running sum of the padded sizes.
    uint64_t expected = 0;
    for (auto &t : f.tensors) {
        if (t.offset != expected)
            return Error(fail("data offset " + std::to_string(t.offset) + " is not where the previous tensor ends (" +
                                  std::to_string(expected) + "); GGUF tensor data must be packed in order",
                              -1))
                .forTensor(t.name);
        t.fileOffset = f.dataOffset + t.offset;
        if (t.fileOffset > f.fileSize || t.bytes > f.fileSize - t.fileOffset)
            return Error(fail("data [" + std::to_string(t.fileOffset) + ", +" + std::to_string(t.bytes) +
                                  ") runs past the end of the file (" + std::to_string(f.fileSize) +
                                  " bytes; truncated file?)",
                              static_cast<int64_t>(t.fileOffset)))
                .forTensor(t.name);
        const uint64_t padded = (t.bytes + al - 1) / al * al;
        expected += padded;
    }
    return f;
}

} // namespace

Result<GgufFile> parseGguf(std::span<const uint8_t> bytes, const std::string &path)
{
    Parser p(bytes);
    auto res = p.run();
    if (!res)
        res.error().inFile(path);
    else
        res->path = path;
    return res;
}

Result<GgufFile> openGguf(const std::string &path)
{
    auto map = MappedFile::open(path);
    if (!map)
        return map.error();
    auto res = parseGguf((*map)->bytes(), path);
    if (res)
        res->map = *map;
    return res;
}

} // namespace qs
