// The HDF5 filter callback for Zstandard (registered filter id 32015): one zstd frame per chunk, the level in
// cd_values[0], the same byte format as hdf5plugin's. Shared by the core library and the standalone HDF5 plugin
// (quantscope_h5zstd), so stock HDF5 tools read Quantscope projects with HDF5_PLUGIN_PATH set.
#pragma once

#include <cstddef>

extern "C" size_t zstdH5Filter(unsigned int flags, size_t nElements, const unsigned int values[], size_t nbytes,
                               size_t *bufSize, void **buf);
