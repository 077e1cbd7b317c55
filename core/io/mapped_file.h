// A read-only memory map of a whole file. Mapping reads nothing: pages come in only when touched, so opening a
// 16 GB model and parsing its headers costs the header bytes alone. Safe to read from many threads at once.
#pragma once

#include "common/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace qs {

class MappedFile {
public:
    static Result<std::shared_ptr<const MappedFile>> open(const std::string &path);
    ~MappedFile();

    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    const std::string &path() const { return m_path; }
    const uint8_t *data() const { return m_data; }
    uint64_t size() const { return m_size; }
    std::span<const uint8_t> bytes() const { return {m_data, static_cast<size_t>(m_size)}; }

private:
    MappedFile() = default;
    std::string m_path;
    const uint8_t *m_data = nullptr;
    uint64_t m_size = 0;
};

} // namespace qs
