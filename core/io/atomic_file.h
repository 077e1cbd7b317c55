// A file that appears at its final path only when complete: writes go to a temporary file in the same folder,
// commit() flushes, syncs and renames it into place; destruction without commit() removes it. A cancelled or
// failed job therefore leaves nothing behind, and a full disk never leaves a truncated model.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <span>
#include <string>

namespace qs {

class AtomicFile {
public:
    AtomicFile() = default;
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    Status open(const std::string &finalPath);
    Status write(std::span<const uint8_t> bytes);
    Status writeZeros(uint64_t n);
    uint64_t position() const { return m_written; }
    Status commit();
    void discard();

    const std::string &tempPath() const { return m_tempPath; }

private:
    Status flush();
    int m_fd = -1;
    std::string m_finalPath, m_tempPath;
    uint64_t m_written = 0;
    std::string m_buffer; // coalesces small writes (metadata) into large ones
};

// The whole file at once, the same way: it appears complete or not at all.
Status writeFileAtomically(const std::string &path, std::span<const uint8_t> bytes);
Status writeFileAtomically(const std::string &path, const std::string &text);

} // namespace qs
