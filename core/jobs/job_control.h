// What every long job shares: a cancel flag checked per chunk, progress with a unit and a stage name ("layer 7 of 32
// · calibrating", "token 4,096 of 65,536 · evaluating", "12.0 MiB of 88.0 MiB · writing"), and the number of threads
// it may use from the shared pool. A cancelled job ends in an Error whose kind is ErrorKind::Cancelled.
#pragma once

#include "common/result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace qs {

enum class ProgressUnit { Bytes, Tokens, Layers, Tensors, Steps };

// "bytes", "tokens", ... (for logs and JSON)
const char *progressUnitName(ProgressUnit unit);

struct JobProgress {
    uint64_t done = 0;
    uint64_t total = 0;
    ProgressUnit unit = ProgressUnit::Bytes;
    std::string stage; // what the job is doing: "writing", "analysing", "calibrating"
    std::string item;  // what it is working on: a tensor name, "layer 7 of 32"
};

class JobControl {
public:
    using ProgressFn = std::function<void(const JobProgress &)>;

    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    void onProgress(ProgressFn fn) { m_progress = std::move(fn); }

    // Starts a stage of `total` units; progress restarts from zero.
    void beginStage(std::string stage, uint64_t total, ProgressUnit unit);
    // `n` more units done, now on `item`.
    void advance(uint64_t n, const std::string &item);
    JobProgress progress() const;

private:
    std::atomic<bool> m_cancelled{false};
    ProgressFn m_progress;
    mutable std::mutex m_mutex;
    JobProgress m_state;
};

// The outcome of a job that stopped because it was asked to: `what` says what was left undone ("no file was written").
Error cancelledError(const std::string &what);

} // namespace qs
