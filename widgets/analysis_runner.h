// Runs the analysis engine in a worker thread for the window. Talks only through queued signals carrying values;
// cancels through the engine's atomic flag; never touches widgets.
#pragma once

#include "analysis/analysis_engine.h"
#include "jobs/job_control.h"

#include <QFutureWatcher>
#include <QObject>

#include <memory>

namespace qs {

struct AnalysisOutcome {
    std::shared_ptr<const AnalysisResults> results;
    QString error;
    bool cancelled = false;
};

class AnalysisRunner : public QObject {
    Q_OBJECT
public:
    explicit AnalysisRunner(QObject *parent = nullptr);
    ~AnalysisRunner() override;

    bool isRunning() const { return m_watcher.isRunning(); }
    void start(std::shared_ptr<const Model> model, AnalysisOptions options);
    void cancel();

Q_SIGNALS:
    void progress(qint64 done, qint64 total, const QString &item);
    void finished(const qs::AnalysisOutcome &outcome);

private:
    QFutureWatcher<AnalysisOutcome> m_watcher;
    std::shared_ptr<JobControl> m_job;
    std::shared_ptr<const Model> m_model;
};

} // namespace qs

Q_DECLARE_METATYPE(qs::AnalysisOutcome)
