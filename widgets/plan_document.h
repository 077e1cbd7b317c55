// The plan the studio edits, as a document: the plan, its undo stack, and the plan resolved over the open model
// (every tensor's decision and bytes, what each rule decides, the warnings, the totals). Every view and the memory
// bar observe planChanged(); the window only wires them. Resolving reads no file: it is bookkeeping over names and
// shapes, well under the 20 ms an edit may take on the event loop.
#pragma once

#include "analysis/analysis_engine.h"
#include "model/model.h"
#include "plan/plan.h"
#include "plan/resolve.h"
#include "plan_totals.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QUndoStack;

namespace qs {

class PlanDocument : public QObject {
    Q_OBJECT
public:
    explicit PlanDocument(QObject *parent = nullptr);

    const Plan &plan() const { return m_plan; }
    QUndoStack *undoStack() const { return m_undo; }
    const Model *model() const { return m_model.get(); }

    // The model the plan is resolved over (nullptr: none); keeps the plan, clears the undo history.
    void setModel(std::shared_ptr<const Model> model);
    // The measurements the totals' error comes from (nullptr: none).
    void setAnalysis(std::shared_ptr<const AnalysisResults> analysis);

    // One undoable edit.
    void push(const Plan &next, const QString &what);
    // Replaces the plan without an undo step (a new model, a project); clears the history.
    void reset(const Plan &plan);
    // What undo and redo call: sets the plan and announces it.
    void apply(const Plan &plan);

    // A plan saved as JSON replaces this one as one undoable step; refused, with the reason, when it is not a plan
    // or cannot apply to the model.
    Status load(const QString &path);

    // The edits a person makes, each one undoable; an edit that cannot apply changes nothing and says why.
    Status setPreset(const QString &preset); // empty: no preset

    // A format is a GGUF type ("Q6_K") or an integer group format by id or readable name ("gptq:4:128",
    // "GPTQ 4-bit g128"). A tensor holds one choice: a GGUF type replaces its group override and a group format its
    // GGUF override, under either of its names.
    Status setTensorFormat(const QString &tensorName, const QString &format);
    Status addRule(const QString &pattern, const QString &format);
    Status removeRule(int index);
    Status editRule(int index, const QString &pattern, const QString &format);
    Status moveRule(int from, int to); // first match wins, so order matters
    // The plan-wide integer group format for the block Linear weights (nullopt: none).
    Status setGroupQuant(const std::optional<IntGroupFormat> &format);
    Status setGptqSettings(const GptqSettings &settings);

    // The last resolution: empty with resolveError() set when the plan does not apply to the model.
    const std::vector<PlannedTensor> &resolved() const { return m_resolved; }
    // The model's tensors as the planner sees them (GGUF and Hugging Face names, shapes), computed once per model.
    const std::vector<PlanTensor> &tensors() const { return m_tensors; }
    const PlannedTensor *resolvedFor(const std::string &ggufName) const;
    QString resolveError() const { return m_error; }
    const std::vector<PlanWarning> &warnings() const { return m_warnings; }
    const std::vector<int> &ruleDecides() const { return m_ruleDecides; }
    const PlanTotals &totals() const { return m_totals; }

Q_SIGNALS:
    void planChanged();

private:
    void resolve();
    // push() for a person's edit: the plan's output follows whether it names integer group formats (a checkpoint)
    // or not (GGUF) when that changes.
    void pushEdit(Plan next, const QString &what);

    Plan m_plan;
    QUndoStack *m_undo = nullptr;
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const AnalysisResults> m_analysis;
    std::vector<PlanTensor> m_tensors; // the model's tensors as the planner sees them, computed once per model
    std::vector<PlannedTensor> m_resolved;
    std::vector<PlanWarning> m_warnings;
    std::vector<int> m_ruleDecides;
    PlanTotals m_totals;
    QString m_error;
};

} // namespace qs
