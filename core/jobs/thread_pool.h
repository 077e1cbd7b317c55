// A fixed set of worker threads that runs batches of independent tasks and waits for each batch. Tasks write to
// disjoint places, so results never depend on the number of threads or the order tasks finish in.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qs {

class ThreadPool {
public:
    explicit ThreadPool(int threads); // threads <= 0: one per hardware thread
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return static_cast<int>(m_workers.size()) + 1; }
    // Runs task(i) for i in [0, n) on the workers and the calling thread; returns when all are done.
    void run(int n, const std::function<void(int)> &task);

    static int defaultThreads();

private:
    void work();

    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    const std::function<void(int)> *m_task = nullptr;
    int m_next = 0, m_count = 0, m_running = 0;
    unsigned m_generation = 0;
    bool m_stop = false;
};

} // namespace qs
