#include "calibration/activation_buffer.h"

#include <cerrno>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace qs {

ActivationBuffer::ActivationBuffer(ActivationBuffer &&o) noexcept
    : m_heap(std::move(o.m_heap)), m_data(o.m_data), m_size(o.m_size), m_mapped(o.m_mapped)
{
    if (!m_mapped)
        m_data = m_heap.data();
    o.m_data = nullptr;
    o.m_size = 0;
    o.m_mapped = false;
}

ActivationBuffer &ActivationBuffer::operator=(ActivationBuffer &&o) noexcept
{
    if (this != &o) {
        release();
        m_heap = std::move(o.m_heap);
        m_size = o.m_size;
        m_mapped = o.m_mapped;
        m_data = m_mapped ? o.m_data : m_heap.data();
        o.m_data = nullptr;
        o.m_size = 0;
        o.m_mapped = false;
    }
    return *this;
}

ActivationBuffer::~ActivationBuffer() { release(); }

void ActivationBuffer::release()
{
    if (m_mapped && m_data)
        munmap(m_data, m_size * sizeof(float));
    m_heap = {};
    m_data = nullptr;
    m_size = 0;
    m_mapped = false;
}

Result<ActivationBuffer> ActivationBuffer::create(size_t floats, const std::string &spillDir)
{
    ActivationBuffer b;
    b.m_size = floats;
    if (spillDir.empty()) {
        try {
            b.m_heap.assign(floats, 0.0f);
        } catch (const std::bad_alloc &) {
            return makeError("cannot hold " + std::to_string((floats * sizeof(float)) >> 20) +
                             " MiB of calibration activations in memory: use fewer windows or tokens, or spill them to a folder on disk");
        } catch (const std::length_error &) {
            return makeError("the calibration activations would take more memory than can be addressed");
        }
        b.m_data = b.m_heap.data();
        return b;
    }
    if (floats > SIZE_MAX / sizeof(float))
        return makeError("the calibration activations would take more bytes than can be addressed");
    if (floats == 0)
        return b;
    std::string path = spillDir + "/quantscope-activations-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0)
        return makeError(std::string("cannot create a spill file: ") + std::strerror(errno)).inFile(spillDir);
    unlink(path.c_str()); // gone with the process, whatever happens to it
    const size_t bytes = floats * sizeof(float);
    if (const int err = posix_fallocate(fd, 0, static_cast<off_t>(bytes)); err != 0) {
        close(fd);
        return makeError("cannot reserve " + std::to_string(bytes >> 20) + " MiB for spilled activations: " + std::strerror(err)).inFile(spillDir);
    }
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return makeError(std::string("cannot map the spill file: ") + std::strerror(errno)).inFile(spillDir);
    b.m_data = static_cast<float *>(p);
    b.m_mapped = true;
    return b;
}

} // namespace qs
