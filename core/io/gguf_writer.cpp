#include "io/gguf_writer.h"

#include <cstring>
#include <unordered_set>

namespace qs {

namespace {

template <class T>
void put(std::vector<uint8_t> &b, T v)
{
    const auto *p = reinterpret_cast<const uint8_t *>(&v);
    b.insert(b.end(), p, p + sizeof(T));
}

void putString(std::vector<uint8_t> &b, const std::string &s)
{
    put<uint64_t>(b, s.size());
    b.insert(b.end(), s.begin(), s.end());
}

void putValue(std::vector<uint8_t> &b, const GgufValue &v)
{
    if (v.type == GgufType::String) {
        putString(b, v.strings.empty() ? std::string() : v.strings[0]);
    } else if (v.type == GgufType::Array) {
        put<int32_t>(b, static_cast<int32_t>(v.elemType));
        put<uint64_t>(b, v.count);
        if (v.elemType == GgufType::String)
            for (const auto &s : v.strings)
                putString(b, s);
        else
            b.insert(b.end(), v.raw.begin(), v.raw.end());
    } else {
        b.insert(b.end(), v.raw.begin(), v.raw.end());
    }
}

uint64_t padTo(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

} // namespace

std::vector<uint8_t> serializeGgufHeader(const std::vector<GgufKeyValue> &metadata, const std::vector<GgufTensorSpec> &tensors,
                                         uint32_t alignment)
{
    std::vector<uint8_t> b;
    b.insert(b.end(), {'G', 'G', 'U', 'F'});
    put<uint32_t>(b, 3);
    put<int64_t>(b, static_cast<int64_t>(tensors.size()));
    put<int64_t>(b, static_cast<int64_t>(metadata.size()));
    for (const auto &kv : metadata) {
        putString(b, kv.key);
        put<int32_t>(b, static_cast<int32_t>(kv.value.type));
        putValue(b, kv.value);
    }
    uint64_t offset = 0;
    for (const auto &t : tensors) {
        putString(b, t.name);
        put<uint32_t>(b, static_cast<uint32_t>(t.ne.size()));
        for (int64_t d : t.ne)
            put<int64_t>(b, d);
        put<uint32_t>(b, t.type);
        put<uint64_t>(b, offset);
        offset += padTo(t.bytes, alignment);
    }
    b.resize(static_cast<size_t>(padTo(b.size(), alignment)), 0);
    return b;
}

Status GgufWriter::begin(const std::string &path, std::vector<GgufKeyValue> metadata, std::vector<GgufTensorSpec> tensors,
                         uint32_t alignment)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        return makeError("alignment " + std::to_string(alignment) + " is not a power of two").inFile(path);
    std::unordered_set<std::string> names, keys;
    for (const auto &kv : metadata)
        if (kv.key.empty() || !keys.insert(kv.key).second)
            return makeError("metadata key '" + kv.key + "' is empty or repeated").inFile(path);
    for (const auto &t : tensors) {
        if (t.name.empty() || t.name.size() > kGgufMaxNameLength || !names.insert(t.name).second)
            return makeError("tensor name is empty, longer than 63 bytes or repeated").inFile(path).forTensor(t.name);
        const TypeTraits *traits = typeTraits(t.type);
        int64_t elements = 1;
        for (int64_t d : t.ne)
            elements *= d;
        if (!traits || t.ne.empty() || t.ne.size() > 4 || rowBytes(*traits, t.ne[0]) < 0 ||
            static_cast<uint64_t>(elements / traits->blockSize * traits->typeSize) != t.bytes)
            return makeError("type, shape and byte size do not agree").inFile(path).forTensor(t.name);
    }
    m_tensors = std::move(tensors);
    m_alignment = alignment;
    m_current = 0;
    m_currentDone = 0;
    const std::vector<uint8_t> header = serializeGgufHeader(metadata, m_tensors, alignment);
    m_total = header.size();
    for (const auto &t : m_tensors)
        m_total += padTo(t.bytes, alignment);
    auto st = m_file.open(path);
    if (!st)
        return st;
    st = m_file.write(header);
    if (!st)
        m_file.discard();
    return st;
}

Status GgufWriter::append(std::span<const uint8_t> bytes)
{
    while (!bytes.empty()) {
        if (m_current >= m_tensors.size())
            return makeError("more tensor data than the tensors declared");
        const GgufTensorSpec &t = m_tensors[m_current];
        const uint64_t take = std::min<uint64_t>(bytes.size(), t.bytes - m_currentDone);
        auto st = m_file.write(bytes.first(static_cast<size_t>(take)));
        if (!st) {
            m_file.discard();
            return st;
        }
        bytes = bytes.subspan(static_cast<size_t>(take));
        m_currentDone += take;
        if (m_currentDone == t.bytes) {
            st = m_file.writeZeros(padTo(t.bytes, m_alignment) - t.bytes);
            if (!st) {
                m_file.discard();
                return st;
            }
            ++m_current;
            m_currentDone = 0;
        }
    }
    return okStatus();
}

Status GgufWriter::finish()
{
    // zero-size tensors need no append() call
    while (m_current < m_tensors.size() && m_tensors[m_current].bytes == 0)
        ++m_current;
    if (m_current != m_tensors.size()) {
        m_file.discard();
        return makeError("tensor data ended early, at tensor " + std::to_string(m_current)).forTensor(m_tensors[m_current].name);
    }
    return m_file.commit();
}

} // namespace qs
