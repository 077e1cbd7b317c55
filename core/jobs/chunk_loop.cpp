#include "jobs/chunk_loop.h"

#include "jobs/thread_pool.h"

#include <algorithm>
#include <vector>

namespace qs {

Status forEachChunk(JobControl *control, int64_t count, int64_t chunk, int slots,
                    const std::function<Status(const ChunkRange &)> &work,
                    const std::function<Status(const ChunkRange &)> &merge)
{
    ThreadPool &pool = ThreadPool::shared();
    slots = ThreadPool::effectiveThreads(slots);
    chunk = std::max<int64_t>(chunk, 1);
    std::vector<Status> results(static_cast<size_t>(slots), okStatus());
    for (int64_t first = 0; first < count; first += chunk * slots) {
        if (control && control->cancelled())
            return cancelledError({});
        const int inRound = static_cast<int>(std::min<int64_t>(slots, (count - first + chunk - 1) / chunk));
        auto rangeOf = [&](int k) {
            const int64_t b = first + k * chunk;
            return ChunkRange{k, b, std::min(b + chunk, count)};
        };
        pool.run(inRound, [&](int k) { results[static_cast<size_t>(k)] = work(rangeOf(k)); }, inRound);
        for (int k = 0; k < inRound; ++k) {
            if (!results[static_cast<size_t>(k)].ok())
                return results[static_cast<size_t>(k)];
            if (auto st = merge(rangeOf(k)); !st.ok())
                return st;
        }
    }
    return okStatus();
}

} // namespace qs
