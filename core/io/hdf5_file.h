// A thin layer over the HDF5 C library for Quantscope's project files: RAII handles, attributes and datasets of
// the few types we store, chunked and compressed with Zstandard through the registered filter 32015 (the one h5py's
// hdf5plugin reads). HDF5's own error printing is switched off: failures come back as messages, with the innermost
// cause from HDF5's error stack. Every HDF5 call's status is checked.
//
// New files are built in memory (HDF5's core driver) and written by commitFile() through AtomicFile: HDF5 itself
// never writes to disk. That is deliberate: when a write fails inside HDF5 (a full disk), H5Fclose fails too and
// leaves the file open in the library, which then crashes at exit while closing it again; and what it left on
// disk is a damaged file. Our own writer reports the error, removes its partial file and leaves HDF5 clean.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qs::h5 {

inline constexpr unsigned kZstdFilterId = 32015;

// Registers the Zstandard filter with HDF5 (idempotent; thread-safe).
bool registerZstd();

class Object {
public:
    Object() = default;
    explicit Object(int64_t id, int kind, std::string path = {}) : m_id(id), m_kind(kind), m_path(std::move(path)) {}
    ~Object();
    Object(Object &&o) noexcept : m_id(o.m_id), m_kind(o.m_kind), m_path(std::move(o.m_path)) { o.m_id = -1; }
    Object &operator=(Object &&o) noexcept;
    Object(const Object &) = delete;
    Object &operator=(const Object &) = delete;

    int64_t id() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    // Closes now and says whether HDF5 could (the destructor closes too, but cannot report).
    Status close();

    // Groups (files are groups too).
    Result<Object> createGroup(const std::string &name) const;
    Result<Object> openGroup(const std::string &name) const;
    bool has(const std::string &name) const;
    std::vector<std::string> children() const;

    // Attributes.
    Status setAttr(const std::string &name, double v) const;
    Status setAttr(const std::string &name, int64_t v) const;
    Status setAttr(const std::string &name, const std::string &v) const;
    Result<double> attrDouble(const std::string &name) const;
    Result<int64_t> attrInt(const std::string &name) const;
    Result<std::string> attrString(const std::string &name) const;
    bool hasAttr(const std::string &name) const;

    // Datasets: 1-D or 2-D (dims), chunked and zstd-compressed when larger than a few values.
    Status writeFloats(const std::string &name, const std::vector<float> &v, const std::vector<uint64_t> &dims) const;
    Status writeU64(const std::string &name, const std::vector<uint64_t> &v) const;
    Status writeU32(const std::string &name, const std::vector<uint32_t> &v, const std::vector<uint64_t> &dims) const;
    Result<std::vector<float>> readFloats(const std::string &name, std::vector<uint64_t> *dims = nullptr) const;
    Result<std::vector<uint64_t>> readU64(const std::string &name) const;
    Result<std::vector<uint32_t>> readU32(const std::string &name) const;

private:
    friend Status commitFile(Object file);
    int64_t m_id = -1;
    int m_kind = 0;    // 0 file, 1 group, 2 dataset
    std::string m_path; // a file's path
};

// A new file for `path`, built in memory: nothing is on disk until commitFile().
Result<Object> createFile(const std::string &path);
// Closes a file from createFile() and writes it to its path atomically: complete, or not at all (a failed write,
// such as on a full disk, names the file and the reason and leaves no file). Every group and dataset opened in it
// must be closed first.
Status commitFile(Object file);
Result<Object> openFile(const std::string &path);
bool isHdf5(const std::string &path);

// HDF5 files, groups, datasets, attributes and types open in this process (0 once every object is closed).
int64_t openObjectCount();

} // namespace qs::h5
