#include "job_runner.h"

#include <exception>
#include <new>

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

JobRunner::JobRunner(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<qs::JobProgress>();
    qRegisterMetaType<qs::JobOutcome>();
    connect(&m_watcher, &QFutureWatcher<Status>::finished, this, [this] {
        const Status st = m_watcher.result();
        m_busy = false;
        if (st.ok())
            Q_EMIT finished(JobOutcome::Done, QString());
        else if (st.error().cancelled())
            Q_EMIT finished(JobOutcome::Cancelled, QString::fromStdString(st.error().message));
        else
            Q_EMIT finished(JobOutcome::Failed, QString::fromStdString(st.error().describe()));
    });
}

JobRunner::~JobRunner()
{
    cancel();
    m_watcher.waitForFinished();
}

bool JobRunner::start(Work work)
{
    if (m_busy)
        return false;
    m_busy = true;
    m_job = std::make_shared<JobControl>();
    m_started = QDateTime::currentMSecsSinceEpoch();
    // progress arrives on the worker thread: hand it over as a queued signal
    m_job->onProgress([this](const JobProgress &p) {
        QMetaObject::invokeMethod(this, [this, p] { Q_EMIT progress(p); }, Qt::QueuedConnection);
    });
    auto job = m_job;
    // what still throws in core (memory the system refuses, a thread it cannot start) fails the job with a message
    // instead of being rethrown into the event loop, where it would end the program
    m_watcher.setFuture(QtConcurrent::run([job, work = std::move(work)]() -> Status {
        try {
            return work(*job);
        } catch (const std::bad_alloc &) {
            return makeError("out of memory: the job needs more than the system can give (fewer calibration windows or tokens, "
                             "or spill the activations to disk)");
        } catch (const std::exception &e) {
            return makeError(std::string("the job failed: ") + e.what());
        }
    }));
    Q_EMIT started();
    return true;
}

void JobRunner::cancel()
{
    if (m_job)
        m_job->cancel();
}

QString progressDetail(const JobProgress &p, qint64 startedMs)
{
    const QLocale locale;
    QString text;
    const qint64 done = static_cast<qint64>(p.done), total = static_cast<qint64>(p.total);
    switch (p.unit) {
    case ProgressUnit::Bytes:
        text = QCoreApplication::translate("qs::JobRunner", " — %1 of %2").arg(locale.formattedDataSize(done), locale.formattedDataSize(total));
        break;
    case ProgressUnit::Tokens:
        text = QCoreApplication::translate("qs::JobRunner", " — token %1 of %2").arg(locale.toString(done), locale.toString(total));
        break;
    case ProgressUnit::Layers:
        text = QCoreApplication::translate("qs::JobRunner", " — layer %1 of %2").arg(locale.toString(done), locale.toString(total));
        break;
    case ProgressUnit::Tensors:
        text = QCoreApplication::translate("qs::JobRunner", " — tensor %1 of %2").arg(locale.toString(done), locale.toString(total));
        break;
    case ProgressUnit::Steps:
        text = QCoreApplication::translate("qs::JobRunner", " — %1 of %2").arg(locale.toString(done), locale.toString(total));
        break;
    }
    const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - startedMs) / 1000.0;
    if (done > 0 && total > done && secs > 0.5)
        text += QCoreApplication::translate("qs::JobRunner", ", about %1 s left")
                    .arg(locale.toString(secs * static_cast<double>(total - done) / static_cast<double>(done), 'f', 0));
    return text;
}

} // namespace qs
