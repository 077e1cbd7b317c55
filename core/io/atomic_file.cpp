#include "io/atomic_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace qs {

namespace {
constexpr size_t kBufferLimit = 4u << 20;
constexpr const char *kPartialInfix = ".partial-";
constexpr size_t kPartialSuffixLength = 6; // mkstemp's XXXXXX

std::string describeErrno(int err)
{
    if (err == ENOSPC)
        return "no space left on the device (the disk is full)";
    if (err == EDQUOT)
        return "the disk quota is exhausted";
    return std::strerror(err);
}

struct PathParts {
    std::string dir;  // "." for a bare file name
    std::string base;
};

PathParts splitPath(const std::string &path)
{
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return {".", path};
    return {slash == 0 ? std::string("/") : path.substr(0, slash), path.substr(slash + 1)};
}

bool isPartialOf(const std::string &name, const std::string &base)
{
    const std::string prefix = base + kPartialInfix;
    if (name.size() != prefix.size() + kPartialSuffixLength || name.compare(0, prefix.size(), prefix) != 0)
        return false;
    for (size_t i = prefix.size(); i < name.size(); ++i) {
        const char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

bool sameFile(const struct stat &a, const struct stat &b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

} // namespace

int removeStalePartials(const std::string &finalPath)
{
    const PathParts parts = splitPath(finalPath);
    if (parts.base.empty())
        return 0;
    std::vector<std::string> candidates;
    if (DIR *d = ::opendir(parts.dir.c_str())) {
        while (const dirent *e = ::readdir(d))
            if (isPartialOf(e->d_name, parts.base))
                candidates.push_back(parts.dir + "/" + e->d_name);
        ::closedir(d);
    }
    int removed = 0;
    for (const std::string &path : candidates) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue;
        struct stat held{}, named{};
        // A live writer holds its partial locked; one that died released the lock with its last descriptor.
        if (::fstat(fd, &held) == 0 && S_ISREG(held.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            ::lstat(path.c_str(), &named) == 0 && sameFile(held, named) && ::unlink(path.c_str()) == 0)
            ++removed;
        ::close(fd);
    }
    return removed;
}

Status checkOutputPath(const std::string &path)
{
    if (path.empty())
        return makeError("no output file was named");
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return makeError("this is a folder; name a file to write, such as " + path + (path.back() == '/' ? "" : "/") + "out")
                .inFile(path);
        if (!S_ISREG(st.st_mode))
            return makeError("this is not a regular file (a device, pipe or socket); the output is written beside it "
                             "and renamed into place, which would replace it")
                .inFile(path);
    }
    const PathParts parts = splitPath(path);
    if (parts.base.empty() || parts.base == "." || parts.base == "..")
        return makeError("this names a folder; name a file to write").inFile(path);
    struct stat dir{};
    if (::stat(parts.dir.c_str(), &dir) != 0) {
        const int err = errno;
        return makeError("cannot write here: the folder " + parts.dir +
                         (err == ENOENT ? std::string(" does not exist") : ": " + std::string(std::strerror(err))))
            .inFile(path);
    }
    if (!S_ISDIR(dir.st_mode))
        return makeError("cannot write here: " + parts.dir + " is not a folder").inFile(path);
    // Creating a file is the only test that tells the truth (read-only mounts, ACLs, root beside mode 0555).
    std::string probe = path + kPartialInfix + "XXXXXX";
    const int fd = ::mkostemp(probe.data(), O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return makeError("cannot create files in the folder " + parts.dir + ": " + describeErrno(err)).inFile(path);
    }
    ::close(fd);
    ::unlink(probe.c_str());
    return okStatus();
}

AtomicFile::~AtomicFile() { discard(); }

Status AtomicFile::open(const std::string &finalPath)
{
    discard();
    removeStalePartials(finalPath);
    m_finalPath = finalPath;
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::string tmpl = finalPath + kPartialInfix + "XXXXXX";
        const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
        if (fd < 0) {
            const int err = errno;
            return makeError("cannot create the output file: " + describeErrno(err)).inFile(finalPath);
        }
        // Another writer's removeStalePartials() may have locked and removed this file in the instant between its
        // creation and our lock: then it is no longer linked at its name, and we start again with a new one. A
        // file system without flock() gets no protection, as before.
        struct stat held{}, named{};
        const bool locked = ::flock(fd, LOCK_EX) == 0;
        if (locked && (::fstat(fd, &held) != 0 || held.st_nlink == 0 || ::lstat(tmpl.c_str(), &named) != 0 || !sameFile(held, named))) {
            ::close(fd);
            continue;
        }
        m_fd = fd;
        m_tempPath = tmpl;
        ::fchmod(m_fd, 0644); // mkstemp makes it private; a model or report is an ordinary document
        m_written = 0;
        m_buffer.clear();
        return okStatus();
    }
    return makeError("cannot create the output file: its temporary files kept being removed by another process").inFile(finalPath);
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
    if (::fsync(m_fd) != 0) {
        const int err = errno;
        discard();
        return makeError("cannot finish writing: " + describeErrno(err)).inFile(m_finalPath);
    }
    // renamed while still locked: once the lock goes, a partial is fair game for removeStalePartials()
    if (::rename(m_tempPath.c_str(), m_finalPath.c_str()) != 0) {
        const int err = errno;
        discard();
        return makeError(std::string("cannot move the finished file into place: ") + std::strerror(err)).inFile(m_finalPath);
    }
    m_tempPath.clear();
    ::close(m_fd); // fsync() already confirmed the data is on disk
    m_fd = -1;
    return okStatus();
}

void AtomicFile::discard()
{
    // unlinked before the lock goes with the descriptor, so no other writer ever sees it unlocked
    if (!m_tempPath.empty()) {
        ::unlink(m_tempPath.c_str());
        m_tempPath.clear();
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
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
