// What every long job shares: a cancel flag checked per chunk, and progress reported by bytes done.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace qs {

struct JobProgress {
    uint64_t done = 0;   // bytes of input processed
    uint64_t total = 0;
    std::string item;    // what is being worked on: a tensor name
};

class JobControl {
public:
    using ProgressFn = std::function<void(const JobProgress &)>;

    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    void onProgress(ProgressFn fn) { m_progress = std::move(fn); }
    void report(uint64_t done, uint64_t total, const std::string &item)
    {
        if (!m_progress)
            return;
        std::lock_guard lock(m_mutex);
        m_progress(JobProgress{done, total, item});
    }

private:
    std::atomic<bool> m_cancelled{false};
    ProgressFn m_progress;
    std::mutex m_mutex;
};

} // namespace qs
