// The activations a calibration keeps for every window (a layer's inputs: windows x tokens x hidden f32, 1 GiB for
// an 8B model at 128 x 512): in memory, or spilled to an unlinked file in a folder the person names, mapped so the
// kernel pages it out under memory pressure instead of the process running out. The file's blocks are reserved up
// front (posix_fallocate), so a full disk is an error when the buffer is made, never a crash while it is written.
#pragma once

#include "common/result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace qs {

class ActivationBuffer {
public:
    ActivationBuffer() = default;
    ActivationBuffer(const ActivationBuffer &) = delete;
    ActivationBuffer &operator=(const ActivationBuffer &) = delete;
    ActivationBuffer(ActivationBuffer &&other) noexcept;
    ActivationBuffer &operator=(ActivationBuffer &&other) noexcept;
    ~ActivationBuffer();

    // `floats` zero-initialised values; `spillDir` empty: in memory.
    static Result<ActivationBuffer> create(size_t floats, const std::string &spillDir = {});

    float *data() { return m_data; }
    const float *data() const { return m_data; }
    size_t size() const { return m_size; }
    bool spilled() const { return m_mapped; }

private:
    void release();
    std::vector<float> m_heap;
    float *m_data = nullptr;
    size_t m_size = 0;
    bool m_mapped = false;
};

} // namespace qs
