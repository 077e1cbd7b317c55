// Writing a safetensors file (huggingface/safetensors format), streamed: the caller declares every tensor (name,
// dtype, shape) first, so the header can be written before any data, then appends the data in the declared order.
// Nothing is held in memory but the header. The file appears only when complete (AtomicFile).
#pragma once

#include "common/result.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace qs {

struct SafetensorsTensorSpec {
    std::string name;
    StDtype dtype = StDtype::F32;
    std::vector<int64_t> shape;
    uint64_t bytes() const;
};

class SafetensorsWriter {
public:
    // Writes the header: tensors in the given order, data offsets packed without gaps (what the reference library's
    // reader requires), the header padded with spaces to a multiple of 8 bytes as safetensors' serializer does.
    Status begin(const std::string &path, const std::vector<SafetensorsTensorSpec> &tensors,
                 const std::map<std::string, std::string> &metadata = {{"format", "pt"}});
    // The next bytes of the data buffer; appends may split or join tensors freely.
    Status append(std::span<const uint8_t> bytes);
    // Checks every declared byte was written, then commits the file.
    Status finish();
    void cancel();

private:
    AtomicFile m_file;
    uint64_t m_expected = 0, m_written = 0;
};

} // namespace qs
