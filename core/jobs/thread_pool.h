// One pool of worker threads for the whole process, shared by every job: two jobs at once split the same workers
// instead of each starting its own. A job hands the pool a batch of independent tasks and waits for that batch;
// batches of different jobs run side by side. Tasks write to disjoint places, so results never depend on the number
// of threads or the order tasks finish in.
#pragma once

#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace qs {

class ThreadPool {
public:
    explicit ThreadPool(int threads); // threads <= 0: one per hardware thread; capped at maxThreads()
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    // The process-wide pool, one thread per hardware thread (the caller of run() counts as one).
    static ThreadPool &shared();

    int size() const { return static_cast<int>(m_workers.size()) + 1; }
    // Runs task(i) for i in [0, n) on at most `maxThreads` threads (the calling thread included; <= 0: the whole
    // pool) and returns when all n are done. Safe to call from several threads at once, and from inside a task.
    void run(int n, const std::function<void(int)> &task, int maxThreads = 0);

    static int defaultThreads();
    // What a job may ask for: asking for more threads than this is a mistake, not a wish (1024, or 4 per hardware
    // thread when that is more).
    static int maxThreads();
    // A requested thread count made usable: <= 0 means every hardware thread; never more than the shared pool.
    static int effectiveThreads(int requested);

private:
    struct Batch {
        const std::function<void(int)> *task = nullptr;
        int count = 0, next = 0, finished = 0;
        int helpers = 0, maxHelpers = 0; // pool workers on it (the caller is not counted)
    };
    void work();
    Batch *pickBatch(); // under m_mutex

    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::list<Batch *> m_batches;
    bool m_stop = false;
};

} // namespace qs
