#include "file_builders.h"

#include "formats/float_conv.h"

#include <QFile>

#include <cstring>

namespace qs::test {

namespace {

template <class T>
void put(QByteArray &b, T v)
{
    b.append(reinterpret_cast<const char *>(&v), sizeof(T));
}

void putString(QByteArray &b, const std::string &s)
{
    put<uint64_t>(b, s.size());
    b.append(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

GgufBuilder &GgufBuilder::kvRaw(const std::string &key, int32_t type, const QByteArray &payload)
{
    putString(m_kv, key);
    put<int32_t>(m_kv, type);
    m_kv.append(payload);
    ++m_kvCount;
    return *this;
}

#define QS_SCALAR_KV(fn, T, id)                                 \
    GgufBuilder &GgufBuilder::fn(const std::string &key, T v)   \
    {                                                           \
        QByteArray p;                                           \
        put<T>(p, v);                                           \
        return kvRaw(key, id, p);                               \
    }
QS_SCALAR_KV(kvU8, uint8_t, 0)
QS_SCALAR_KV(kvI8, int8_t, 1)
QS_SCALAR_KV(kvU16, uint16_t, 2)
QS_SCALAR_KV(kvI16, int16_t, 3)
QS_SCALAR_KV(kvU32, uint32_t, 4)
QS_SCALAR_KV(kvI32, int32_t, 5)
QS_SCALAR_KV(kvF32, float, 6)
QS_SCALAR_KV(kvU64, uint64_t, 10)
QS_SCALAR_KV(kvI64, int64_t, 11)
QS_SCALAR_KV(kvF64, double, 12)
#undef QS_SCALAR_KV

GgufBuilder &GgufBuilder::kvBool(const std::string &key, bool v)
{
    QByteArray p;
    put<uint8_t>(p, v ? 1 : 0);
    return kvRaw(key, 7, p);
}

GgufBuilder &GgufBuilder::kvString(const std::string &key, const std::string &v)
{
    QByteArray p;
    putString(p, v);
    return kvRaw(key, 8, p);
}

GgufBuilder &GgufBuilder::kvArrayI32(const std::string &key, const std::vector<int32_t> &v)
{
    QByteArray p;
    put<int32_t>(p, 5);
    put<uint64_t>(p, v.size());
    for (int32_t x : v)
        put<int32_t>(p, x);
    return kvRaw(key, 9, p);
}

GgufBuilder &GgufBuilder::kvArrayF32(const std::string &key, const std::vector<float> &v)
{
    QByteArray p;
    put<int32_t>(p, 6);
    put<uint64_t>(p, v.size());
    for (float x : v)
        put<float>(p, x);
    return kvRaw(key, 9, p);
}

GgufBuilder &GgufBuilder::kvArrayString(const std::string &key, const std::vector<std::string> &v)
{
    QByteArray p;
    put<int32_t>(p, 8);
    put<uint64_t>(p, v.size());
    for (const auto &s : v)
        putString(p, s);
    return kvRaw(key, 9, p);
}

GgufBuilder &GgufBuilder::tensor(const std::string &name, const std::vector<int64_t> &ne, uint32_t type, const QByteArray &data)
{
    m_tensors.push_back(Tensor{name, ne, type, data});
    return *this;
}

GgufBuilder &GgufBuilder::overrideOffset(size_t i, uint64_t offset)
{
    m_tensors.at(i).offsetOverride = static_cast<int64_t>(offset);
    return *this;
}

GgufBuilder &GgufBuilder::overrideDims(size_t i, uint32_t nDims)
{
    m_tensors.at(i).nDimsOverride = nDims;
    return *this;
}

QByteArray GgufBuilder::build() const
{
    QByteArray b = m_magic;
    put<uint32_t>(b, m_version);
    put<int64_t>(b, m_tensorCountOverride.value_or(static_cast<int64_t>(m_tensors.size())));
    put<int64_t>(b, m_kvCountOverride.value_or(m_kvCount));
    b.append(m_kv);
    const uint64_t al = m_alignment ? m_alignment : 1;
    uint64_t offset = 0;
    for (const Tensor &t : m_tensors) {
        putString(b, t.name);
        put<uint32_t>(b, t.nDimsOverride >= 0 ? static_cast<uint32_t>(t.nDimsOverride) : static_cast<uint32_t>(t.ne.size()));
        for (int64_t d : t.ne)
            put<int64_t>(b, d);
        put<uint32_t>(b, t.type);
        put<uint64_t>(b, t.offsetOverride >= 0 ? static_cast<uint64_t>(t.offsetOverride) : offset);
        offset += (static_cast<uint64_t>(t.data.size()) + al - 1) / al * al;
    }
    while (static_cast<uint64_t>(b.size()) % al)
        b.append('\0');
    for (const Tensor &t : m_tensors) {
        b.append(t.data);
        while (static_cast<uint64_t>(b.size()) % al)
            b.append('\0');
    }
    return b;
}

QByteArray rawSafetensors(const QByteArray &header, const QByteArray &data, int64_t claimedLength)
{
    QByteArray b;
    put<uint64_t>(b, claimedLength >= 0 ? static_cast<uint64_t>(claimedLength) : static_cast<uint64_t>(header.size()));
    b.append(header);
    b.append(data);
    return b;
}

QByteArray makeSafetensors(const std::vector<StTensor> &tensors, const QByteArray &metadataJson)
{
    QByteArray header = "{";
    QByteArray data;
    bool first = true;
    if (!metadataJson.isEmpty()) {
        header += "\"__metadata__\":" + metadataJson;
        first = false;
    }
    for (const auto &t : tensors) {
        if (!first)
            header += ',';
        first = false;
        header += "\"" + QByteArray::fromStdString(t.name) + "\":{\"dtype\":\"" + QByteArray::fromStdString(t.dtype) + "\",\"shape\":[";
        for (size_t i = 0; i < t.shape.size(); ++i)
            header += (i ? "," : "") + QByteArray::number(static_cast<qlonglong>(t.shape[i]));
        header += "],\"data_offsets\":[" + QByteArray::number(data.size()) + "," + QByteArray::number(data.size() + t.data.size()) + "]}";
        data.append(t.data);
    }
    header += "}";
    while (header.size() % 8) // the reference writer pads the header with spaces to 8 bytes
        header += ' ';
    return rawSafetensors(header, data);
}

QByteArray bf16Bytes(const std::vector<float> &v)
{
    QByteArray b;
    for (float x : v)
        put<uint16_t>(b, floatToBf16(x));
    return b;
}

QByteArray f32Bytes(const std::vector<float> &v)
{
    QByteArray b;
    for (float x : v)
        put<float>(b, x);
    return b;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

} // namespace qs::test
