// A file that appears at its final path only when complete: writes go to a temporary file in the same folder,
// commit() flushes, syncs and renames it into place; destruction without commit() removes it. A cancelled or
// failed job therefore leaves nothing behind, and a full disk never leaves a truncated model.
//
// The temporary file is FINAL.partial-XXXXXX, held under an exclusive flock(2) while it is written. A writer that
// dies without cleaning up (kill -9, power loss) releases its lock with its last descriptor, so the next writer of
// the same output can tell its leftover from a file a live job is writing: it removes the partials it can lock and
// leaves the others alone.
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

    // Removes stale partials of `finalPath`, then creates and locks a new one.
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

// Whether `path` can be written the way AtomicFile writes it, checked before a long job starts rather than after:
// it is not a folder, device or other special file (the rename would replace it), its folder exists, and a file
// can really be created there (permissions, read-only file systems, and root, which access(2) would wave through).
Status checkOutputPath(const std::string &path);

// Removes the partials beside `finalPath` that no live process holds locked (leftovers of a killed writer) and
// returns how many it removed. AtomicFile::open does this itself.
int removeStalePartials(const std::string &finalPath);

} // namespace qs
