// Runs one core job at a time in a worker thread for the window: the work gets a JobControl, progress comes back as
// queued signals carrying values, cancel sets the job's atomic flag, and the outcome says done, failed or cancelled
// (from the job's own result, not from re-reading the flag). Never touches widgets; every background job of the
// studio (analysis, export, and the evaluation and calibration jobs to come) runs through one of these.
#pragma once

#include "common/result.h"
#include "jobs/job_control.h"

#include <QFutureWatcher>
#include <QObject>

#include <functional>
#include <memory>

namespace qs {

enum class JobOutcome { Done, Failed, Cancelled };

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Work = std::function<Status(JobControl &)>;

    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override; // cancels and waits: a job never outlives its runner

    // From start() until finished() has been emitted (not only until the work returns): a job whose outcome is
    // still on its way through the event queue is running, so no second job can start in that gap.
    bool isRunning() const { return m_busy; }
    // Starts `work` on the worker pool; refused (false) while a job runs. The work keeps whatever it produces in
    // what it captured; the finished handler reads it there.
    bool start(Work work);
    void cancel();
    void waitForFinished() { m_watcher.waitForFinished(); }
    qint64 startedMs() const { return m_started; }

Q_SIGNALS:
    void started();
    void progress(const qs::JobProgress &progress);
    void finished(qs::JobOutcome outcome, const QString &error);

private:
    QFutureWatcher<Status> m_watcher;
    std::shared_ptr<JobControl> m_job;
    qint64 m_started = 0;
    bool m_busy = false;
};

// " — 12.0 MiB of 88.0 MiB, about 3 s left", " — token 4,096 of 65,536": what is done in the progress' own unit,
// in the locale's numbers, and the time left at the pace since `startedMs`.
QString progressDetail(const JobProgress &progress, qint64 startedMs);

} // namespace qs

Q_DECLARE_METATYPE(qs::JobProgress)
Q_DECLARE_METATYPE(qs::JobOutcome)
