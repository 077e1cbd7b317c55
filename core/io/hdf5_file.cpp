#include "io/hdf5_file.h"
#include "io/atomic_file.h"
#include "io/zstd_filter.h"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace qs::h5 {

namespace {

void quiet()
{
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

// The innermost description on HDF5's error stack (the cause: "file write failed: ... errno = 28, ..."), then clears
// the stack so that the next failure starts afresh.
std::string takeErrorStack()
{
    std::string innermost;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD,
             [](unsigned, const H5E_error2_t *e, void *data) -> herr_t {
                 if (e->desc && *e->desc)
                     *static_cast<std::string *>(data) = e->desc;
                 return 0;
             },
             &innermost);
    H5Eclear2(H5E_DEFAULT);
    return innermost;
}

Error h5error(const std::string &what)
{
    const std::string why = takeErrorStack();
    return makeError(why.empty() ? what : what + " (HDF5: " + why + ")");
}

constexpr int kFile = 0, kGroup = 1, kDataset = 2;

// An HDF5 identifier of any kind that is closed when it goes out of scope (property lists, spaces, types,
// attributes: the ones that never leave a function).
class Handle {
public:
    using CloseFn = herr_t (*)(hid_t);
    Handle(hid_t id, CloseFn close) : m_id(id), m_close(close) {}
    ~Handle()
    {
        if (m_id >= 0)
            m_close(m_id);
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    // Closes now; false when HDF5 could not (for an attribute or dataset, its data may not be written).
    bool close()
    {
        const hid_t id = m_id;
        m_id = -1;
        return id < 0 || m_close(id) >= 0;
    }

private:
    hid_t m_id;
    CloseFn m_close;
};

// Chunks of up to 64K values (row blocks for 2-D maps), compressed with Zstandard; small datasets stay contiguous.
Status setUpChunks(hid_t dcpl, const std::vector<hsize_t> &dims)
{
    hsize_t total = 1;
    for (hsize_t d : dims)
        total *= d;
    if (total < 64)
        return okStatus();
    std::vector<hsize_t> chunk = dims;
    if (chunk.size() == 2)
        chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(dims[0], 65536 / std::max<hsize_t>(1, dims[1])));
    else
        chunk[0] = std::min<hsize_t>(dims[0], 65536);
    const unsigned level = 6;
    if (H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()) < 0 ||
        H5Pset_filter(dcpl, kZstdFilterId, H5Z_FLAG_MANDATORY, 1, &level) < 0)
        return h5error("cannot set up chunking and Zstandard compression");
    return okStatus();
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
        return makeError("dataset '" + name + "': dimensions do not match the data");
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    if (!space.valid())
        return h5error("cannot describe the shape of dataset '" + name + "'");
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (!dcpl.valid())
        return h5error("cannot create the properties of dataset '" + name + "'");
    if (Status st = setUpChunks(dcpl.get(), dims); !st)
        return makeError(st.error().message + " for dataset '" + name + "'");
    Handle ds(H5Dcreate2(loc, name.c_str(), fileType, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid())
        return h5error("cannot create dataset '" + name + "'");
    if (!v.empty() && H5Dwrite(ds.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
        return h5error("cannot write dataset '" + name + "'");
    if (!ds.close()) // the last chunk is compressed and stored on close
        return h5error("cannot finish dataset '" + name + "'");
    return okStatus();
}

template <class T>
Result<std::vector<T>> readDataset(hid_t loc, const std::string &name, hid_t memType, std::vector<uint64_t> *dimsOut)
{
    Handle ds(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid())
        return h5error("missing dataset '" + name + "'");
    Handle space(H5Dget_space(ds.get()), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    std::vector<hsize_t> dims(rank > 0 ? static_cast<size_t>(rank) : 0);
    if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
        return h5error("cannot read the shape of dataset '" + name + "'");
    hsize_t total = 1;
    for (hsize_t d : dims)
        total *= d;
    if (rank < 1 || rank > 2 || total > (hsize_t(1) << 31))
        return h5error("dataset '" + name + "' has an unexpected shape");
    std::vector<T> v(static_cast<size_t>(total));
    if (total && H5Dread(ds.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
        return h5error("cannot read dataset '" + name + "' (damaged, or compressed with a filter this build lacks)");
    if (dimsOut)
        dimsOut->assign(dims.begin(), dims.end());
    return v;
}

template <class T>
Status setScalarAttr(hid_t loc, const std::string &name, hid_t type, const T *value)
{
    const htri_t exists = H5Aexists(loc, name.c_str());
    if (exists < 0 || (exists > 0 && H5Adelete(loc, name.c_str()) < 0))
        return h5error("cannot replace attribute '" + name + "'");
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    if (!space.valid())
        return h5error("cannot write attribute '" + name + "'");
    Handle a(H5Acreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Awrite(a.get(), type, value) < 0 || !a.close())
        return h5error("cannot write attribute '" + name + "'");
    return okStatus();
}

template <class T>
Result<T> readScalarAttr(hid_t loc, const std::string &name, hid_t type)
{
    if (H5Aexists(loc, name.c_str()) <= 0)
        return h5error("missing attribute '" + name + "'");
    Handle a(H5Aopen(loc, name.c_str(), H5P_DEFAULT), H5Aclose);
    T v{};
    if (!a.valid() || H5Aread(a.get(), type, &v) < 0)
        return h5error("cannot read attribute '" + name + "'");
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
        H5Eclear2(H5E_DEFAULT);
    });
    return ok;
}

Status Object::close()
{
    if (m_id < 0)
        return okStatus();
    const hid_t id = m_id;
    m_id = -1;
    const herr_t st = m_kind == kFile ? H5Fclose(id) : m_kind == kGroup ? H5Gclose(id) : H5Dclose(id);
    if (st < 0)
        return h5error(m_kind == kFile ? "cannot close the HDF5 file" : "cannot close an HDF5 object");
    return okStatus();
}

Object::~Object() { (void)close(); }

Object &Object::operator=(Object &&o) noexcept
{
    if (this != &o) {
        (void)close();
        m_id = o.m_id;
        m_kind = o.m_kind;
        m_path = std::move(o.m_path);
        o.m_id = -1;
    }
    return *this;
}

Result<Object> createFile(const std::string &path)
{
    if (!registerZstd())
        return makeError("cannot register the Zstandard filter with HDF5").inFile(path);
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    // in memory, grown 4 MiB at a time, never backed by a file: commitFile() writes the image
    if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), size_t(4) << 20, false) < 0)
        return Error(h5error("cannot set up an in-memory HDF5 file")).inFile(path);
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    if (f < 0)
        return Error(h5error("cannot create the HDF5 file")).inFile(path);
    return Object(f, kFile, path);
}

Status commitFile(Object file)
{
    const std::string path = file.m_path;
    if (!file.valid() || file.m_kind != kFile)
        return makeError("not an HDF5 file made by createFile").inFile(path);
    // everything in the file must be closed, or H5Fclose would keep it open in the library behind our back
    const ssize_t open = H5Fget_obj_count(file.id(), H5F_OBJ_ALL | H5F_OBJ_LOCAL);
    if (open != 1) {
        (void)file.close();
        return makeError("internal error: " + std::to_string(open - 1) + " objects of the HDF5 file are still open").inFile(path);
    }
    std::vector<uint8_t> image;
    // H5Fget_file_image() does not flush by itself (HDF5 1.10): without this the image misses the metadata cache
    const ssize_t size = H5Fflush(file.id(), H5F_SCOPE_GLOBAL) < 0 ? -1 : H5Fget_file_image(file.id(), nullptr, 0);
    if (size > 0) {
        image.resize(static_cast<size_t>(size));
        if (H5Fget_file_image(file.id(), image.data(), image.size()) != size)
            image.clear();
    }
    if (image.empty()) {
        Error e = h5error("cannot assemble the HDF5 file in memory");
        (void)file.close();
        return e.inFile(path);
    }
    if (Status st = file.close(); !st)
        return Error(st.error()).inFile(path);
    return writeFileAtomically(path, image);
}

bool isHdf5(const std::string &path)
{
    quiet();
    const htri_t r = H5Fis_hdf5(path.c_str());
    H5Eclear2(H5E_DEFAULT);
    return r > 0;
}

Result<Object> openFile(const std::string &path)
{
    if (!registerZstd())
        return makeError("cannot register the Zstandard filter with HDF5").inFile(path);
    if (!isHdf5(path))
        return makeError("not an HDF5 file (missing, damaged or of another kind)").inFile(path);
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return Error(h5error("cannot open the HDF5 file")).inFile(path);
    return Object(f, kFile, path);
}

int64_t openObjectCount() { return H5Fget_obj_count(static_cast<hid_t>(H5F_OBJ_ALL), H5F_OBJ_ALL); }

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

bool Object::has(const std::string &name) const
{
    const htri_t r = H5Lexists(m_id, name.c_str(), H5P_DEFAULT);
    if (r < 0)
        H5Eclear2(H5E_DEFAULT);
    return r > 0;
}

std::vector<std::string> Object::children() const
{
    std::vector<std::string> out;
    const auto collect = [](hid_t, const char *name, const H5L_info_t *, void *data) -> herr_t {
        static_cast<std::vector<std::string> *>(data)->push_back(name);
        return 0;
    };
    if (H5Literate(m_id, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect, &out) < 0 || out.empty()) {
        // groups created without creation-order tracking: fall back to name order
        out.clear();
        H5Eclear2(H5E_DEFAULT);
        if (H5Literate(m_id, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &out) < 0)
            H5Eclear2(H5E_DEFAULT);
    }
    return out;
}

Status Object::setAttr(const std::string &name, double v) const { return setScalarAttr(m_id, name, H5T_NATIVE_DOUBLE, &v); }
Status Object::setAttr(const std::string &name, int64_t v) const { return setScalarAttr(m_id, name, H5T_NATIVE_INT64, &v); }

Status Object::setAttr(const std::string &name, const std::string &v) const
{
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!type.valid() || H5Tset_size(type.get(), std::max<size_t>(1, v.size())) < 0 || H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0)
        return h5error("cannot make the string type of attribute '" + name + "'");
    const std::string padded = v.empty() ? std::string(1, '\0') : v;
    return setScalarAttr(m_id, name, type.get(), padded.data());
}

bool Object::hasAttr(const std::string &name) const
{
    const htri_t r = H5Aexists(m_id, name.c_str());
    if (r < 0)
        H5Eclear2(H5E_DEFAULT);
    return r > 0;
}

Result<double> Object::attrDouble(const std::string &name) const { return readScalarAttr<double>(m_id, name, H5T_NATIVE_DOUBLE); }
Result<int64_t> Object::attrInt(const std::string &name) const { return readScalarAttr<int64_t>(m_id, name, H5T_NATIVE_INT64); }

Result<std::string> Object::attrString(const std::string &name) const
{
    if (H5Aexists(m_id, name.c_str()) <= 0)
        return h5error("missing attribute '" + name + "'");
    Handle a(H5Aopen(m_id, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a.valid())
        return h5error("cannot read attribute '" + name + "'");
    Handle type(H5Aget_type(a.get()), H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) != 0)
        return h5error("attribute '" + name + "' is not a fixed-length string");
    const size_t n = H5Tget_size(type.get());
    if (n == 0 || n >= (size_t(1) << 28))
        return h5error("attribute '" + name + "' has an impossible length");
    std::string out(n, '\0');
    if (H5Aread(a.get(), type.get(), out.data()) < 0)
        return h5error("cannot read attribute '" + name + "'");
    out.resize(std::strlen(out.c_str()));
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
