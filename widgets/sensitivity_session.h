// The studio's measured sensitivity: runs measureSensitivity on the open model through one JobRunner and keeps the
// last result, which the window saves with the project and restores from it ("measure once, re-plan instantly").
// Not a view: the model map and the tensor details show what it holds, the status bar its progress.
#pragma once

#include "engine/sensitivity.h"
#include "job_runner.h"

#include <QObject>
#include <QString>

#include <memory>

namespace qs {

class Model;

class SensitivitySession : public QObject {
    Q_OBJECT
public:
    // What the studio measures unless told otherwise: the CLI's defaults (quantscope-cli sensitivity).
    static QString defaultFormats() { return QStringLiteral("q2_k,q4_k,q6_k"); }
    static constexpr int kDefaultWindows = 4;

    explicit SensitivitySession(QObject *parent = nullptr);

    JobRunner *job() const { return m_job; }
    bool isRunning() const { return m_job->isRunning(); }
    // The last measurement (nullptr: none); the same pointer until a new one replaces it.
    std::shared_ptr<const SensitivityResults> results() const { return m_results; }
    // A measurement from elsewhere (a project) or none; announced through changed().
    void setResults(std::shared_ptr<const SensitivityResults> results);
    void clear() { setResults(nullptr); }

    // Starts measuring `model` on the built-in text: `formats` comma-separated (empty: defaultFormats()), `windows`
    // of 512 tokens. False, with the reason in `error`, when it cannot start (a job runs, the formats are wrong).
    bool measure(std::shared_ptr<const Model> model, const QString &formats, int windows, int threads, QString *error = nullptr);
    void cancel() { m_job->cancel(); }

Q_SIGNALS:
    void changed();
    // After a Done outcome results() already holds the new measurement; a cancelled or failed one changes nothing.
    void finished(qs::JobOutcome outcome, const QString &error);

private:
    JobRunner *m_job = nullptr;
    std::shared_ptr<const SensitivityResults> m_results;
    // bumped by every setResults(): a measurement started before another model or project came keeps nothing
    quint64 m_generation = 0;
};

} // namespace qs
