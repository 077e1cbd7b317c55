#include "io/atomic_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace qs {

namespace {
constexpr size_t kBufferLimit = 4u << 20;

std::string describeErrno(int err)
{
    if (err == ENOSPC)
        return "the disk is full";
    if (err == EDQUOT)
        return "the disk quota is exhausted";
    return std::strerror(err);
}
} // namespace

AtomicFile::~AtomicFile() { discard(); }

Status AtomicFile::open(const std::string &finalPath)
{
    discard();
    m_finalPath = finalPath;
    m_tempPath = finalPath + ".partial-XXXXXX";
    std::string tmpl = m_tempPath;
    m_fd = ::mkstemp(tmpl.data());
    if (m_fd < 0) {
        const int err = errno;
        m_tempPath.clear();
        return makeError("cannot create the output file: " + describeErrno(err)).inFile(finalPath);
    }
    m_tempPath = tmpl;
    ::fchmod(m_fd, 0644);
    m_written = 0;
    m_buffer.clear();
    return okStatus();
}

Status AtomicFile::flush()
{
    size_t done = 0;
    while (done < m_buffer.size()) {
        const ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            return makeError("writing failed after " + std::to_string(m_written) + " bytes: " + describeErrno(err)).inFile(m_finalPath);
        }
        done += static_cast<size_t>(n);
    }
    m_buffer.clear();
    return okStatus();
}

Status AtomicFile::write(std::span<const uint8_t> bytes)
{
    if (m_fd < 0)
        return makeError("the output file is not open").inFile(m_finalPath);
    m_buffer.append(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    m_written += bytes.size();
    if (m_buffer.size() >= kBufferLimit)
        return flush();
    return okStatus();
}

Status AtomicFile::writeZeros(uint64_t n)
{
    static const uint8_t zeros[256] = {};
    while (n > 0) {
        const uint64_t k = n < sizeof zeros ? n : sizeof zeros;
        auto st = write({zeros, static_cast<size_t>(k)});
        if (!st)
            return st;
        n -= k;
    }
    return okStatus();
}

Status AtomicFile::commit()
{
    if (m_fd < 0)
        return makeError("the output file is not open").inFile(m_finalPath);
    auto st = flush();
    if (!st) {
        discard();
        return st;
    }
    if (::fsync(m_fd) != 0 || ::close(m_fd) != 0) {
        const int err = errno;
        m_fd = -1;
        discard();
        return makeError("cannot finish writing: " + describeErrno(err)).inFile(m_finalPath);
    }
    m_fd = -1;
    if (::rename(m_tempPath.c_str(), m_finalPath.c_str()) != 0) {
        const int err = errno;
        discard();
        return makeError(std::string("cannot move the finished file into place: ") + std::strerror(err)).inFile(m_finalPath);
    }
    m_tempPath.clear();
    return okStatus();
}

void AtomicFile::discard()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_tempPath.empty()) {
        ::unlink(m_tempPath.c_str());
        m_tempPath.clear();
    }
    m_buffer.clear();
}

Status writeFileAtomically(const std::string &path, std::span<const uint8_t> bytes)
{
    AtomicFile out;
    if (Status st = out.open(path); !st)
        return st;
    if (Status st = out.write(bytes); !st)
        return st;
    return out.commit();
}

Status writeFileAtomically(const std::string &path, const std::string &text)
{
    return writeFileAtomically(path, {reinterpret_cast<const uint8_t *>(text.data()), text.size()});
}

} // namespace qs
