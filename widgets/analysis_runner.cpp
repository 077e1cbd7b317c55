#include "analysis_runner.h"

#include <QtConcurrent/QtConcurrentRun>

namespace qs {

AnalysisRunner::AnalysisRunner(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<qs::AnalysisOutcome>();
    connect(&m_watcher, &QFutureWatcher<AnalysisOutcome>::finished, this, [this] { Q_EMIT finished(m_watcher.result()); });
}

AnalysisRunner::~AnalysisRunner()
{
    cancel();
    m_watcher.waitForFinished();
}

void AnalysisRunner::start(std::shared_ptr<const Model> model, AnalysisOptions options)
{
    if (m_watcher.isRunning())
        return;
    m_model = std::move(model);
    m_job = std::make_shared<JobControl>();
    // progress arrives on the worker thread: hand it over as a queued signal
    m_job->onProgress([this](const JobProgress &p) {
        QMetaObject::invokeMethod(this, [this, p] { Q_EMIT progress(static_cast<qint64>(p.done), static_cast<qint64>(p.total), QString::fromStdString(p.item)); },
                                  Qt::QueuedConnection);
    });
    auto job = m_job;
    auto model2 = m_model;
    m_watcher.setFuture(QtConcurrent::run([model2, options, job] {
        AnalysisOutcome out;
        auto r = analyzeModel(*model2, options, job.get());
        if (r)
            out.results = std::make_shared<const AnalysisResults>(std::move(*r));
        else if (r.error().cancelled())
            out.cancelled = true;
        else
            out.error = QString::fromStdString(r.error().describe());
        return out;
    }));
}

void AnalysisRunner::cancel()
{
    if (m_job)
        m_job->cancel();
}

} // namespace qs
