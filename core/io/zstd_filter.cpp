#include "io/zstd_filter.h"

#include <hdf5.h>
#include <zstd.h>

extern "C" size_t zstdH5Filter(unsigned int flags, size_t nElements, const unsigned int values[], size_t nbytes, size_t *bufSize, void **buf)
{
    if (flags & H5Z_FLAG_REVERSE) {
        const unsigned long long size = ZSTD_getFrameContentSize(*buf, nbytes);
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 34))
            return 0;
        void *out = H5allocate_memory(static_cast<size_t>(size), false);
        if (!out)
            return 0;
        const size_t n = ZSTD_decompress(out, static_cast<size_t>(size), *buf, nbytes);
        if (ZSTD_isError(n)) {
            H5free_memory(out);
            return 0;
        }
        H5free_memory(*buf);
        *buf = out;
        *bufSize = static_cast<size_t>(size);
        return n;
    }
    const int level = nElements > 0 ? static_cast<int>(values[0]) : 3;
    const size_t bound = ZSTD_compressBound(nbytes);
    void *out = H5allocate_memory(bound, false);
    if (!out)
        return 0;
    const size_t n = ZSTD_compress(out, bound, *buf, nbytes, level);
    if (ZSTD_isError(n)) {
        H5free_memory(out);
        return 0;
    }
    H5free_memory(*buf);
    *buf = out;
    *bufSize = bound;
    return n;
}

