// A thin layer over the HDF5 C library for Quantscope's project files: RAII handles, attributes and datasets of
// the few types we store, chunked and compressed with Zstandard through the registered filter 32015 (the one h5py's
// hdf5plugin reads). HDF5's own error printing is switched off: failures come back as messages.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs::h5 {

inline constexpr unsigned kZstdFilterId = 32015;

// Registers the Zstandard filter with HDF5 (idempotent; thread-safe).
bool registerZstd();

class Object {
public:
    Object() = default;
    explicit Object(int64_t id, int kind) : m_id(id), m_kind(kind) {}
    ~Object();
    Object(Object &&o) noexcept : m_id(o.m_id), m_kind(o.m_kind) { o.m_id = -1; }
    Object &operator=(Object &&o) noexcept;
    Object(const Object &) = delete;
    Object &operator=(const Object &) = delete;

    int64_t id() const { return m_id; }
    bool valid() const { return m_id >= 0; }

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
    int64_t m_id = -1;
    int m_kind = 0; // 0 file, 1 group, 2 dataset
};

Result<Object> createFile(const std::string &path);
Result<Object> openFile(const std::string &path);
bool isHdf5(const std::string &path);

} // namespace qs::h5
