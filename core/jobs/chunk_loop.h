// The one loop every streaming job runs: split [0, count) into chunks, work on up to `slots` chunks at once on the
// shared pool (each slot owns its buffers), then merge those chunks in index order on the calling thread (append to
// a file, fold statistics, advance progress). The cancel flag is checked before every round, so a cancel takes
// effect within one round of chunks.
#pragma once

#include "common/result.h"
#include "jobs/job_control.h"

#include <cstdint>
#include <functional>

namespace qs {

struct ChunkRange {
    int slot = 0;       // 0 .. slots-1: which per-thread buffers to use
    int64_t begin = 0;  // indices [begin, end)
    int64_t end = 0;
};

// Returns the first error of `work` (in index order) or of `merge`, a cancelledError when `control` was cancelled,
// or ok. `slots` <= 0: as many as the shared pool has threads.
Status forEachChunk(JobControl *control, int64_t count, int64_t chunk, int slots,
                    const std::function<Status(const ChunkRange &)> &work,
                    const std::function<Status(const ChunkRange &)> &merge);

} // namespace qs
