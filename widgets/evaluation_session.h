// The studio's evaluations: runs a plan (or the unquantized model) against the unquantized model on a text through
// one JobRunner, and keeps every finished run as a row of the session's history. Not a view: the evaluation panel
// shows what it holds, the status bar its progress, and the window hands it the model and the plan.
#pragma once

#include "eval_history_model.h"
#include "job_runner.h"
#include "plan/plan.h"

#include <QObject>
#include <QString>

#include <functional>

#include <memory>
#include <optional>

namespace qs {

class Model;
struct SolvedResult;

class EvaluationSession : public QObject {
    Q_OBJECT
public:
    explicit EvaluationSession(QObject *parent = nullptr);

    EvalHistoryModel *history() const { return m_history; }
    JobRunner *job() const { return m_job; }
    bool isRunning() const;

    // The text evaluations score: a UTF-8 file, or empty for the built-in held-out sample.
    void setTextPath(const QString &path);
    QString textPath() const { return m_textPath; }
    // What a person reads: the file's name, or "built-in sample".
    QString textName() const;
    // Only the first windows of the text (0: all), to keep a large model's evaluation short.
    void setMaxWindows(qint64 windows) { m_maxWindows = windows; }

    // Starts evaluating `plan` on `model` (no plan: the model itself); false while an evaluation runs.
    // GPTQ/AWQ formats of a plan have no weights until they are solved: they are evaluated as round-to-nearest with
    // the same bits, group and zero point, and the row says so.
    bool evaluate(std::shared_ptr<const Model> model, const std::optional<Plan> &plan, int threads);
    // A solved GPTQ/AWQ result: its checkpoint as written and read back, against the model it was solved from, on the
    // same windows as the plan's and the original's rows.
    bool evaluateSolved(std::shared_ptr<const SolvedResult> solved, int threads);
    // The plan with its GPTQ/AWQ formats as round-to-nearest (what evaluate() scores); the plan itself when it has none.
    static Plan rtnStandIn(const Plan &plan, bool *changed = nullptr);
    void cancel();

Q_SIGNALS:
    void textChanged();
    // After a Done outcome the new row is already in the history.
    void finished(qs::JobOutcome outcome, const QString &error);

private:
    // Runs `request` and adds `record` with its outcome; `finish` may amend the outcome first.
    bool start(PlanEvalRequest request, EvalRecord record, std::function<void(PlanEvalOutcome &)> finish = {});

    EvalHistoryModel *m_history = nullptr;
    JobRunner *m_job = nullptr;
    QString m_textPath;
    qint64 m_maxWindows = 0;
};

} // namespace qs
