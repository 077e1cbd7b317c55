// The job runner: one shared pool that several jobs use at once, the chunk loop's order and cancel, progress with a
// unit and a stage.
#include "jobs/chunk_loop.h"
#include "jobs/job_control.h"
#include "jobs/thread_pool.h"

#include <QtTest>

#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

using namespace qs;

class TestJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void absurdThreadCountsAreClamped()
    {
        // 99999 threads once aborted the process (std::system_error) and left a partial file behind
        ThreadPool pool(99999);
        QVERIFY(pool.size() <= ThreadPool::maxThreads());
        QCOMPARE(ThreadPool::effectiveThreads(99999), ThreadPool::shared().size());
        QCOMPARE(ThreadPool::effectiveThreads(0), ThreadPool::shared().size());
        QCOMPARE(ThreadPool::effectiveThreads(1), 1);
        QCOMPARE(ThreadPool::shared().size(), ThreadPool::defaultThreads());
    }

    void batchesFromTwoJobsShareThePool()
    {
        // two callers at once, each running batches (one nesting another batch inside a task): every task runs
        // exactly once and nothing deadlocks
        ThreadPool pool(3);
        std::vector<std::atomic<int>> a(500), b(500), nested(50 * 4 * 3);
        std::thread other([&] {
            for (int round = 0; round < 20; ++round)
                pool.run(25, [&](int i) { ++b[static_cast<size_t>(round * 25 + i)]; });
        });
        for (int round = 0; round < 10; ++round)
            pool.run(50, [&](int i) {
                ++a[static_cast<size_t>(round * 50 + i)];
                if (round < 4)
                    pool.run(3, [&](int j) { ++nested[static_cast<size_t>((round * 50 + i) * 3 + j)]; });
            });
        other.join();
        for (auto &x : a)
            QCOMPARE(x.load(), 1);
        for (auto &x : b)
            QCOMPARE(x.load(), 1);
        for (auto &x : nested)
            QCOMPARE(x.load(), 1);
    }

    void maxThreadsLimitsABatch()
    {
        ThreadPool pool(4);
        std::atomic<int> running{0}, peak{0};
        pool.run(64, [&](int) {
            const int now = ++running;
            int p = peak.load();
            while (now > p && !peak.compare_exchange_weak(p, now)) {}
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            --running;
        }, 2);
        QVERIFY(peak.load() <= 2);
    }

    void chunksMergeInOrder_data()
    {
        QTest::addColumn<int>("slots");
        QTest::newRow("1 slot") << 1;
        QTest::newRow("2 slots") << 2;
        QTest::newRow("8 slots") << 8;
    }

    void chunksMergeInOrder()
    {
        QFETCH(int, slots);
        JobControl job;
        job.beginStage("summing", 1000, ProgressUnit::Steps);
        std::vector<int64_t> partial(static_cast<size_t>(ThreadPool::effectiveThreads(slots)));
        std::vector<std::pair<int64_t, int64_t>> merged;
        auto st = forEachChunk(
            &job, 1000, 64, slots,
            [&](const ChunkRange &c) {
                int64_t s = 0;
                for (int64_t i = c.begin; i < c.end; ++i)
                    s += i;
                partial[static_cast<size_t>(c.slot)] = s;
                return okStatus();
            },
            [&](const ChunkRange &c) {
                merged.push_back({c.begin, c.end});
                job.advance(static_cast<uint64_t>(c.end - c.begin), "chunk");
                return okStatus();
            });
        QVERIFY(st.ok());
        QCOMPARE(merged.size(), size_t(16)); // ceil(1000 / 64)
        for (size_t i = 0; i < merged.size(); ++i)
            QCOMPARE(merged[i].first, int64_t(64 * i));
        QCOMPARE(merged.back().second, int64_t(1000));
        const JobProgress p = job.progress();
        QCOMPARE(p.done, uint64_t(1000));
        QCOMPARE(p.total, uint64_t(1000));
        QCOMPARE(p.stage, std::string("summing"));
        QCOMPARE(std::string(progressUnitName(p.unit)), std::string("steps"));
    }

    void cancelIsItsOwnOutcome()
    {
        JobControl job;
        int merges = 0;
        auto st = forEachChunk(
            &job, 1 << 20, 1, 2, [](const ChunkRange &) { return okStatus(); },
            [&](const ChunkRange &) {
                if (++merges == 3)
                    job.cancel();
                return okStatus();
            });
        QVERIFY(!st.ok());
        QVERIFY(st.error().cancelled());
        QVERIFY(merges < 8); // stopped within one round of the cancel
        // an ordinary failure is not a cancel, and the first failing chunk in index order wins
        auto failed = forEachChunk(
            nullptr, 100, 10, 4,
            [](const ChunkRange &c) { return c.begin >= 30 ? Status(makeError("chunk " + std::to_string(c.begin))) : okStatus(); },
            [](const ChunkRange &) { return okStatus(); });
        QVERIFY(!failed.ok());
        QVERIFY(!failed.error().cancelled());
        QCOMPARE(failed.error().message, std::string("chunk 30"));
    }

    void progressCarriesStageAndUnit()
    {
        JobControl job;
        std::vector<JobProgress> seen;
        job.onProgress([&](const JobProgress &p) { seen.push_back(p); });
        job.beginStage("calibrating", 32, ProgressUnit::Layers);
        job.advance(1, "layer 1 of 32");
        job.advance(6, "layer 7 of 32");
        QCOMPARE(seen.size(), size_t(2));
        QCOMPARE(seen.back().done, uint64_t(7));
        QCOMPARE(seen.back().item, std::string("layer 7 of 32"));
        QCOMPARE(std::string(progressUnitName(seen.back().unit)), std::string("layers"));
        job.beginStage("evaluating", 65536, ProgressUnit::Tokens);
        QCOMPARE(job.progress().done, uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestJobs)
#include "tst_jobs.moc"
