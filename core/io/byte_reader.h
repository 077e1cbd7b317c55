// Bounds-checked little-endian reads from a byte span. Every read either succeeds or reports the offset at which
// the file ended; callers compare claimed sizes with remaining() before allocating anything.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace qs {

class ByteReader {
public:
    explicit ByteReader(std::span<const uint8_t> bytes) : m_bytes(bytes) {}

    uint64_t pos() const { return m_pos; }
    uint64_t size() const { return m_bytes.size(); }
    uint64_t remaining() const { return m_bytes.size() - m_pos; }
    bool seek(uint64_t p)
    {
        if (p > m_bytes.size())
            return false;
        m_pos = p;
        return true;
    }

    template <class T>
    bool read(T &out)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        if (remaining() < sizeof(T))
            return false;
        std::memcpy(&out, m_bytes.data() + m_pos, sizeof(T)); // x86-64 and aarch64 are little-endian
        m_pos += sizeof(T);
        return true;
    }

    bool readBytes(std::string &out, uint64_t n)
    {
        if (remaining() < n)
            return false;
        out.assign(reinterpret_cast<const char *>(m_bytes.data() + m_pos), static_cast<size_t>(n));
        m_pos += n;
        return true;
    }

    bool skip(uint64_t n)
    {
        if (remaining() < n)
            return false;
        m_pos += n;
        return true;
    }

    const uint8_t *here() const { return m_bytes.data() + m_pos; }

private:
    std::span<const uint8_t> m_bytes;
    uint64_t m_pos = 0;
};

} // namespace qs
