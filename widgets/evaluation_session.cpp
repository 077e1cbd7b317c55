#include "evaluation_session.h"

#include "common/paths.h"
#include "job_runner.h"
#include "model/model.h"

#include <QFileInfo>

namespace qs {

EvaluationSession::EvaluationSession(QObject *parent) : QObject(parent)
{
    m_history = new EvalHistoryModel(this);
    m_job = new JobRunner(this);
}

bool EvaluationSession::isRunning() const { return m_job->isRunning(); }

void EvaluationSession::setTextPath(const QString &path)
{
    m_textPath = path;
    Q_EMIT textChanged();
}

QString EvaluationSession::textName() const
{
    return m_textPath.isEmpty() ? tr("built-in sample") : QFileInfo(m_textPath).fileName();
}

void EvaluationSession::cancel() { m_job->cancel(); }

bool EvaluationSession::evaluate(std::shared_ptr<const Model> model, const std::optional<Plan> &plan, int threads)
{
    if (!model || m_job->isRunning())
        return false;
    PlanEvalRequest request;
    request.model = model;
    if (plan) {
        QuantizeOptions options;
        options.plan = *plan;
        options.threads = threads;
        request.plan = std::move(options);
    }
    request.maxWindows = m_maxWindows;
    request.threads = threads;
    EvalRecord record;
    record.label = plan ? QString::fromStdString(plan->label()) : QString();
    record.modelName = QFileInfo(QString::fromStdString(model->path())).fileName();
    record.textName = m_textPath.isEmpty() ? QString() : QFileInfo(m_textPath).fileName();
    const std::string textPath = m_textPath.isEmpty() ? defaultEvalTextPath() : m_textPath.toStdString();
    // the job fills the outcome it captured; the finished handler turns it into a row
    auto outcome = std::make_shared<PlanEvalOutcome>();
    auto done = std::make_shared<QMetaObject::Connection>();
    *done = connect(m_job, &JobRunner::finished, this, [this, done, outcome, record](JobOutcome result, const QString &error) mutable {
        disconnect(*done);
        if (result == JobOutcome::Done) {
            record.outcome = std::move(*outcome);
            m_history->add(std::move(record));
        }
        Q_EMIT finished(result, error);
    });
    return m_job->start([request = std::move(request), textPath, outcome](JobControl &job) mutable -> Status {
        auto text = readEvalText(textPath); // read here: a large file never stalls the window
        if (!text)
            return text.error();
        request.text = std::move(*text);
        auto r = evaluatePlan(request, &job);
        if (!r)
            return r.error();
        *outcome = std::move(*r);
        return okStatus();
    });
}

} // namespace qs
