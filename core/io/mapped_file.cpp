#include "io/mapped_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace qs {

// A zero-length file cannot be mapped; this stands in for its (empty) contents.
static const uint8_t kEmpty[1] = {0};

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(std::string("cannot open: ") + std::strerror(errno)).inFile(path);

    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return makeError(std::string("cannot stat: ") + std::strerror(err)).inFile(path);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError("not a regular file").inFile(path);
    }

    std::shared_ptr<MappedFile> file(new MappedFile);
    file->m_path = path;
    file->m_size = static_cast<uint64_t>(st.st_size);
    if (file->m_size == 0) {
        file->m_data = kEmpty;
        ::close(fd);
        return std::shared_ptr<const MappedFile>(std::move(file));
    }

    void *p = ::mmap(nullptr, static_cast<size_t>(file->m_size), PROT_READ, MAP_PRIVATE, fd, 0);
    const int err = errno;
    ::close(fd); // the mapping keeps its own reference to the file
    if (p == MAP_FAILED)
        return makeError(std::string("cannot memory-map: ") + std::strerror(err)).inFile(path);
    file->m_data = static_cast<const uint8_t *>(p);
    return std::shared_ptr<const MappedFile>(std::move(file));
}

MappedFile::~MappedFile()
{
    if (m_data && m_data != kEmpty)
        ::munmap(const_cast<uint8_t *>(m_data), static_cast<size_t>(m_size));
}

} // namespace qs
