// GGUF v3 writing. The writer only writes what it is given: metadata in order, tensor infos in order, then each
// tensor's bytes in order, zero-padded to the alignment (after the last tensor too, as ggml writes). Deciding what
// the metadata and tensors are is the export engine's job.
#pragma once

#include "common/result.h"
#include "io/atomic_file.h"
#include "io/gguf.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace qs {

struct GgufTensorSpec {
    std::string name;
    std::vector<int64_t> ne; // ggml order
    uint32_t type = 0;
    uint64_t bytes = 0;      // the tensor's data size (unpadded)
};

// The serialized header (magic through the padding before the data section).
std::vector<uint8_t> serializeGgufHeader(const std::vector<GgufKeyValue> &metadata, const std::vector<GgufTensorSpec> &tensors,
                                         uint32_t alignment);

class GgufWriter {
public:
    // Validates the plan and writes the header to a temporary file beside `path`.
    Status begin(const std::string &path, std::vector<GgufKeyValue> metadata, std::vector<GgufTensorSpec> tensors,
                 uint32_t alignment = 32);
    // Tensor data, in tensor order; a tensor may come in several pieces.
    Status append(std::span<const uint8_t> bytes);
    // Checks every tensor was written in full, then moves the file into place.
    Status finish();
    // Abandons the file; nothing is left on disk.
    void cancel() { m_file.discard(); }

    uint64_t bytesWritten() const { return m_file.position(); }
    uint64_t totalBytes() const { return m_total; }

private:
    AtomicFile m_file;
    std::vector<GgufTensorSpec> m_tensors;
    uint32_t m_alignment = 32;
    size_t m_current = 0;
    uint64_t m_currentDone = 0;
    uint64_t m_total = 0;
};

} // namespace qs
