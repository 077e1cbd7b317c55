// The next-token view, for teaching: type a prompt and see the five most likely next tokens with their
// probabilities under the unquantized model and under the current plan, side by side as bars. The forward passes run
// in a worker through the JobRunner the window gives it (progress and Cancel in the status bar); the view keeps only
// the comparison it shows.
#pragma once

#include "pipeline/next_token_comparison.h"
#include "plan/plan.h"

#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace qs {

class JobRunner;
class Model;
class ProbabilityBars;
enum class JobOutcome;

class NextTokenView : public QWidget {
    Q_OBJECT
public:
    NextTokenView(JobRunner *job, QWidget *parent = nullptr);

    // A new model: what was shown belonged to the old one and is cleared.
    void setModel(std::shared_ptr<const Model> model);
    // The plan the right-hand column shows; the bars shown go stale until the next prediction.
    void setPlan(const Plan &plan);
    void setThreads(int threads) { m_threads = threads; }

    QLineEdit *promptEdit() const { return m_prompt; }
    // The comparison on screen (empty before the first prediction).
    const NextTokenComparison &comparison() const { return m_comparison; }
    void retranslate();

public Q_SLOTS:
    // Predicts the prompt's next tokens; a prediction already running is cancelled and this one follows.
    void predict();

Q_SIGNALS:
    void predicted(bool ok);

private:
    void onFinished(JobOutcome outcome, const QString &error);

    JobRunner *m_job;
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const NextTokenPredictor> m_predictor; // prepared once per model, in the worker
    Plan m_plan;
    int m_threads = 0;
    bool m_again = false; // a prediction was asked for while one ran
    NextTokenComparison m_comparison;
    std::function<void()> m_pending; // takes the running job's result, set when it starts
    QLineEdit *m_prompt = nullptr;
    QPushButton *m_predict = nullptr;
    QLabel *m_promptLabel = nullptr, *m_originalTitle = nullptr, *m_planTitle = nullptr, *m_status = nullptr;
    ProbabilityBars *m_originalBars = nullptr, *m_planBars = nullptr;
};

} // namespace qs
