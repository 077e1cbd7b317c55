#include "jobs/thread_pool.h"

namespace qs {

int ThreadPool::defaultThreads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n ? static_cast<int>(n) : 1;
}

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0)
        threads = defaultThreads();
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

void ThreadPool::run(int n, const std::function<void(int)> &task)
{
    if (n <= 0)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_task = &task;
        m_next = 0;
        m_count = n;
        m_running = 0;
        ++m_generation;
    }
    m_wake.notify_all();
    // the caller works too
    for (;;) {
        int i;
        {
            std::lock_guard lock(m_mutex);
            if (m_next >= m_count)
                break;
            i = m_next++;
            ++m_running;
        }
        task(i);
        std::lock_guard lock(m_mutex);
        --m_running;
    }
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_next >= m_count && m_running == 0; });
    m_task = nullptr;
}

void ThreadPool::work()
{
    unsigned seen = 0;
    for (;;) {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_stop || (m_generation != seen && m_task && m_next < m_count); });
        if (m_stop)
            return;
        seen = m_generation;
        while (m_task && m_next < m_count) {
            const int i = m_next++;
            ++m_running;
            const auto *task = m_task;
            lock.unlock();
            (*task)(i);
            lock.lock();
            --m_running;
        }
        if (m_running == 0)
            m_done.notify_all();
    }
}

} // namespace qs
