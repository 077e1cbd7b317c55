#include "evaluation_session.h"

#include "common/paths.h"
#include "job_runner.h"
#include "model/model.h"
#include "quantize_session.h"

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

Plan EvaluationSession::rtnStandIn(const Plan &plan, bool *changed) { return plan.rtnStandIn(changed); }

bool EvaluationSession::evaluate(std::shared_ptr<const Model> model, const std::optional<Plan> &plan, int threads)
{
    if (!model || m_job->isRunning())
        return false;
    PlanEvalRequest request;
    request.model = model;
    EvalRecord record;
    if (plan) {
        bool standIn = false;
        QuantizeOptions options;
        options.plan = rtnStandIn(*plan, &standIn);
        options.threads = threads;
        request.plan = std::move(options);
        record.label = QString::fromStdString(plan->label());
        record.weights = standIn ? EvalWeights::RtnStandIn : EvalWeights::Plan;
    }
    request.threads = threads;
    record.modelName = QFileInfo(QString::fromStdString(model->path())).fileName();
    return start(std::move(request), std::move(record));
}

bool EvaluationSession::evaluateSolved(std::shared_ptr<const SolvedResult> solved, int threads)
{
    if (!solved || !solved->written || m_job->isRunning())
        return false;
    PlanEvalRequest request;
    request.model = solved->written;
    request.base = solved->model; // the same windows and the same reference as the plan's rows
    // the checkpoint's windows as the original model's: a Hugging Face folder evaluates under Hugging Face's protocol
    request.protocol = PplProtocol::HuggingFace;
    request.threads = threads;
    EvalRecord record;
    record.label = solved->planLabel();
    record.weights = EvalWeights::Solved;
    record.checkpoint = solved->folder;
    record.modelName = QFileInfo(QString::fromStdString(solved->model->path())).fileName();
    // sized as a plan's row: the packed bytes of the checkpoint, bits per weight of its quantized tensors
    const double bpw = solved->bitsPerWeight();
    return start(std::move(request), std::move(record), [bpw](PlanEvalOutcome &o) { o.bitsPerWeight = bpw; });
}

bool EvaluationSession::start(PlanEvalRequest request, EvalRecord record, std::function<void(PlanEvalOutcome &)> finish)
{
    request.maxWindows = m_maxWindows;
    record.textName = m_textPath.isEmpty() ? QString() : QFileInfo(m_textPath).fileName();
    const std::string textPath = m_textPath.isEmpty() ? defaultEvalTextPath() : m_textPath.toStdString();
    // the job fills the outcome it captured; the finished handler turns it into a row
    auto outcome = std::make_shared<PlanEvalOutcome>();
    auto done = std::make_shared<QMetaObject::Connection>();
    *done = connect(m_job, &JobRunner::finished, this, [this, done, outcome, record, finish](JobOutcome result, const QString &error) mutable {
        disconnect(*done);
        if (result == JobOutcome::Done) {
            if (finish)
                finish(*outcome);
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
