// A standalone HDF5 filter plugin for Zstandard (filter 32015), so that h5dump, h5py and other HDF5 tools read
// Quantscope projects: HDF5_PLUGIN_PATH=<folder of libquantscope_h5zstd.so> h5dump project.qsproj
#include "io/zstd_filter.h"

#include <H5PLextern.h>
#include <hdf5.h>

namespace {
const H5Z_class2_t kZstdClass = {H5Z_CLASS_T_VERS, static_cast<H5Z_filter_t>(32015), 1, 1, "Zstandard (Quantscope plugin)",
                                 nullptr, nullptr, zstdH5Filter};
} // namespace

extern "C" H5PL_type_t H5PLget_plugin_type(void) { return H5PL_TYPE_FILTER; }
extern "C" const void *H5PLget_plugin_info(void) { return &kZstdClass; }
