#include "io/hdf5_file.h"
#include "io/zstd_filter.h"

#include <hdf5.h>

#include <cstring>
#include <mutex>

namespace qs::h5 {

namespace {

void quiet()
{
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

Error h5error(const std::string &what) { return makeError(what); }

constexpr int kFile = 0, kGroup = 1, kDataset = 2;

hid_t createChunkedPlist(const std::vector<hsize_t> &dims)
{
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t total = 1;
    for (hsize_t d : dims)
        total *= d;
    if (total >= 64) {
        std::vector<hsize_t> chunk = dims;
        // chunks of up to 64K values: row blocks for 2-D maps
        if (chunk.size() == 2)
            chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(dims[0], 65536 / std::max<hsize_t>(1, dims[1])));
        else
            chunk[0] = std::min<hsize_t>(dims[0], 65536);
        H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
        const unsigned level = 6;
        H5Pset_filter(dcpl, kZstdFilterId, H5Z_FLAG_MANDATORY, 1, &level);
    }
    return dcpl;
}

template <class T>
Status writeDataset(hid_t loc, const std::string &name, hid_t memType, hid_t fileType, const std::vector<T> &v,
                    std::vector<uint64_t> dims64)
{
    if (dims64.empty())
        dims64 = {v.size()};
    std::vector<hsize_t> dims(dims64.begin(), dims64.end());
    hsize_t total = 1;
    for (hsize_t d : dims)
        total *= d;
    if (total != v.size())
        return h5error("dataset '" + name + "': dimensions do not match the data");
    const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t dcpl = createChunkedPlist(dims);
    const hid_t ds = H5Dcreate2(loc, name.c_str(), fileType, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t st = ds >= 0 && !v.empty() ? H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) : (ds >= 0 ? 0 : -1);
    if (ds >= 0)
        H5Dclose(ds);
    H5Pclose(dcpl);
    H5Sclose(space);
    if (st < 0)
        return h5error("cannot write dataset '" + name + "'");
    return okStatus();
}

template <class T>
Result<std::vector<T>> readDataset(hid_t loc, const std::string &name, hid_t memType, std::vector<uint64_t> *dimsOut)
{
    const hid_t ds = H5Dopen2(loc, name.c_str(), H5P_DEFAULT);
    if (ds < 0)
        return h5error("missing dataset '" + name + "'");
    const hid_t space = H5Dget_space(ds);
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(rank > 0 ? static_cast<size_t>(rank) : 0);
    if (rank > 0)
        H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    hsize_t total = 1;
    for (hsize_t d : dims)
        total *= d;
    H5Sclose(space);
    if (rank < 1 || rank > 2 || total > (hsize_t(1) << 31)) {
        H5Dclose(ds);
        return h5error("dataset '" + name + "' has an unexpected shape");
    }
    std::vector<T> v(static_cast<size_t>(total));
    const herr_t st = total ? H5Dread(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) : 0;
    H5Dclose(ds);
    if (st < 0)
        return h5error("cannot read dataset '" + name + "' (damaged, or compressed with a filter this build lacks)");
    if (dimsOut)
        dimsOut->assign(dims.begin(), dims.end());
    return v;
}

} // namespace

bool registerZstd()
{
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        quiet();
        static const H5Z_class2_t cls = {H5Z_CLASS_T_VERS, static_cast<H5Z_filter_t>(kZstdFilterId), 1, 1,
                                         "Zstandard (Quantscope; HDF5 registered filter 32015)", nullptr, nullptr, zstdH5Filter};
        ok = H5Zregister(&cls) >= 0;
    });
    return ok;
}

Object::~Object()
{
    if (m_id < 0)
        return;
    if (m_kind == kFile)
        H5Fclose(m_id);
    else if (m_kind == kGroup)
        H5Gclose(m_id);
    else
        H5Dclose(m_id);
}

Object &Object::operator=(Object &&o) noexcept
{
    if (this != &o) {
        this->~Object();
        m_id = o.m_id;
        m_kind = o.m_kind;
        o.m_id = -1;
    }
    return *this;
}

Result<Object> createFile(const std::string &path)
{
    registerZstd();
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return makeError("cannot create the HDF5 file").inFile(path);
    return Object(f, kFile);
}

bool isHdf5(const std::string &path)
{
    quiet();
    return H5Fis_hdf5(path.c_str()) > 0;
}

Result<Object> openFile(const std::string &path)
{
    registerZstd();
    if (!isHdf5(path))
        return makeError("not an HDF5 file (missing, damaged or of another kind)").inFile(path);
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return makeError("cannot open the HDF5 file").inFile(path);
    return Object(f, kFile);
}

Result<Object> Object::createGroup(const std::string &name) const
{
    const hid_t g = H5Gcreate2(m_id, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return h5error("cannot create group '" + name + "'");
    return Object(g, kGroup);
}

Result<Object> Object::openGroup(const std::string &name) const
{
    if (!has(name))
        return h5error("missing group '" + name + "'");
    const hid_t g = H5Gopen2(m_id, name.c_str(), H5P_DEFAULT);
    if (g < 0)
        return h5error("cannot open group '" + name + "'");
    return Object(g, kGroup);
}

bool Object::has(const std::string &name) const { return H5Lexists(m_id, name.c_str(), H5P_DEFAULT) > 0; }

std::vector<std::string> Object::children() const
{
    std::vector<std::string> out;
    H5Literate(m_id, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr,
               [](hid_t, const char *name, const H5L_info_t *, void *data) -> herr_t {
                   static_cast<std::vector<std::string> *>(data)->push_back(name);
                   return 0;
               },
               &out);
    if (out.empty()) // groups created without creation-order tracking: fall back to name order
        H5Literate(m_id, H5_INDEX_NAME, H5_ITER_INC, nullptr,
                   [](hid_t, const char *name, const H5L_info_t *, void *data) -> herr_t {
                       static_cast<std::vector<std::string> *>(data)->push_back(name);
                       return 0;
                   },
                   &out);
    return out;
}

template <class T>
static Status setScalarAttr(hid_t loc, const std::string &name, hid_t type, const T &v)
{
    if (H5Aexists(loc, name.c_str()) > 0)
        H5Adelete(loc, name.c_str());
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(loc, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    const herr_t st = a >= 0 ? H5Awrite(a, type, &v) : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    return st < 0 ? Status(h5error("cannot write attribute '" + name + "'")) : okStatus();
}

Status Object::setAttr(const std::string &name, double v) const { return setScalarAttr(m_id, name, H5T_NATIVE_DOUBLE, v); }
Status Object::setAttr(const std::string &name, int64_t v) const { return setScalarAttr(m_id, name, H5T_NATIVE_INT64, v); }

Status Object::setAttr(const std::string &name, const std::string &v) const
{
    if (H5Aexists(m_id, name.c_str()) > 0)
        H5Adelete(m_id, name.c_str());
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, std::max<size_t>(1, v.size()));
    H5Tset_cset(type, H5T_CSET_UTF8);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t a = H5Acreate2(m_id, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    std::string padded = v.empty() ? std::string(1, '\0') : v;
    const herr_t st = a >= 0 ? H5Awrite(a, type, padded.data()) : -1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
    return st < 0 ? Status(h5error("cannot write attribute '" + name + "'")) : okStatus();
}

bool Object::hasAttr(const std::string &name) const { return H5Aexists(m_id, name.c_str()) > 0; }

template <class T>
static Result<T> readScalarAttr(hid_t loc, const std::string &name, hid_t type)
{
    if (H5Aexists(loc, name.c_str()) <= 0)
        return h5error("missing attribute '" + name + "'");
    const hid_t a = H5Aopen(loc, name.c_str(), H5P_DEFAULT);
    T v{};
    const herr_t st = a >= 0 ? H5Aread(a, type, &v) : -1;
    if (a >= 0)
        H5Aclose(a);
    if (st < 0)
        return h5error("cannot read attribute '" + name + "'");
    return v;
}

Result<double> Object::attrDouble(const std::string &name) const { return readScalarAttr<double>(m_id, name, H5T_NATIVE_DOUBLE); }
Result<int64_t> Object::attrInt(const std::string &name) const { return readScalarAttr<int64_t>(m_id, name, H5T_NATIVE_INT64); }

Result<std::string> Object::attrString(const std::string &name) const
{
    if (H5Aexists(m_id, name.c_str()) <= 0)
        return h5error("missing attribute '" + name + "'");
    const hid_t a = H5Aopen(m_id, name.c_str(), H5P_DEFAULT);
    if (a < 0)
        return h5error("cannot read attribute '" + name + "'");
    const hid_t type = H5Aget_type(a);
    std::string out;
    herr_t st = -1;
    if (H5Tget_class(type) == H5T_STRING && !H5Tis_variable_str(type)) {
        const size_t n = H5Tget_size(type);
        if (n < (size_t(1) << 28)) {
            out.assign(n, '\0');
            st = H5Aread(a, type, out.data());
            out.resize(std::strlen(out.c_str()));
        }
    }
    H5Tclose(type);
    H5Aclose(a);
    if (st < 0)
        return h5error("attribute '" + name + "' is not a fixed-length string");
    return out;
}

Status Object::writeFloats(const std::string &name, const std::vector<float> &v, const std::vector<uint64_t> &dims) const
{
    return writeDataset(m_id, name, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, v, dims);
}
Status Object::writeU64(const std::string &name, const std::vector<uint64_t> &v) const
{
    return writeDataset(m_id, name, H5T_NATIVE_UINT64, H5T_STD_U64LE, v, {});
}
Status Object::writeU32(const std::string &name, const std::vector<uint32_t> &v, const std::vector<uint64_t> &dims) const
{
    return writeDataset(m_id, name, H5T_NATIVE_UINT32, H5T_STD_U32LE, v, dims);
}
Result<std::vector<float>> Object::readFloats(const std::string &name, std::vector<uint64_t> *dims) const
{
    return readDataset<float>(m_id, name, H5T_NATIVE_FLOAT, dims);
}
Result<std::vector<uint64_t>> Object::readU64(const std::string &name) const { return readDataset<uint64_t>(m_id, name, H5T_NATIVE_UINT64, nullptr); }
Result<std::vector<uint32_t>> Object::readU32(const std::string &name) const { return readDataset<uint32_t>(m_id, name, H5T_NATIVE_UINT32, nullptr); }

} // namespace qs::h5
