#include "jobs/thread_pool.h"

#include <algorithm>

namespace qs {

int ThreadPool::defaultThreads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n ? static_cast<int>(n) : 1;
}

int ThreadPool::maxThreads() { return std::max(1024, 4 * defaultThreads()); }

int ThreadPool::effectiveThreads(int requested)
{
    const int pool = shared().size();
    return requested <= 0 ? pool : std::min(requested, pool);
}

ThreadPool &ThreadPool::shared()
{
    static ThreadPool pool(0);
    return pool;
}

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0)
        threads = defaultThreads();
    threads = std::min(threads, maxThreads());
    m_workers.reserve(static_cast<size_t>(threads - 1));
    for (int i = 1; i < threads; ++i)
        m_workers.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (auto &t : m_workers)
        t.join();
}

ThreadPool::Batch *ThreadPool::pickBatch()
{
    for (Batch *b : m_batches)
        if (b->next < b->count && b->helpers < b->maxHelpers)
            return b;
    return nullptr;
}

void ThreadPool::run(int n, const std::function<void(int)> &task, int maxThreads)
{
    if (n <= 0)
        return;
    const int threads = maxThreads <= 0 ? size() : std::min(maxThreads, size());
    Batch batch;
    batch.task = &task;
    batch.count = n;
    batch.maxHelpers = std::min(threads - 1, n - 1);
    if (batch.maxHelpers > 0) {
        std::lock_guard lock(m_mutex);
        m_batches.push_back(&batch);
    }
    if (batch.maxHelpers > 0)
        m_wake.notify_all();
    // the caller works on its own batch, so a task may itself call run() without waiting on busy workers
    for (;;) {
        int i;
        {
            std::lock_guard lock(m_mutex);
            if (batch.next >= batch.count)
                break;
            i = batch.next++;
        }
        task(i);
        std::lock_guard lock(m_mutex);
        ++batch.finished;
    }
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return batch.finished == batch.count; });
    if (batch.maxHelpers > 0)
        m_batches.remove(&batch);
}

void ThreadPool::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        Batch *b = nullptr;
        m_wake.wait(lock, [&] { return m_stop || (b = pickBatch()) != nullptr; });
        if (m_stop)
            return;
        ++b->helpers;
        while (b->next < b->count) {
            const int i = b->next++;
            lock.unlock();
            (*b->task)(i);
            lock.lock();
            ++b->finished;
        }
        --b->helpers;
        // the batch may be freed by its caller as soon as the lock is released after this
        if (b->finished == b->count)
            m_done.notify_all();
    }
}

} // namespace qs
