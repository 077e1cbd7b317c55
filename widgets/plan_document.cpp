#include "plan_document.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <cmath>
#include <map>

namespace qs {

namespace {

class PlanCommand : public QUndoCommand {
public:
    PlanCommand(PlanDocument *doc, Plan before, Plan after, const QString &text)
        : QUndoCommand(text), m_doc(doc), m_before(std::move(before)), m_after(std::move(after)) {}
    void undo() override { m_doc->apply(m_before); }
    void redo() override { m_doc->apply(m_after); }

private:
    PlanDocument *m_doc;
    Plan m_before, m_after;
};

} // namespace

PlanDocument::PlanDocument(QObject *parent) : QObject(parent), m_undo(new QUndoStack(this)) {}

void PlanDocument::setModel(std::shared_ptr<const Model> model)
{
    m_model = std::move(model);
    m_analysis.reset();
    m_tensors.clear();
    if (m_model) {
        auto tensors = planTensorsFor(*m_model);
        if (tensors)
            m_tensors = std::move(*tensors);
        else
            m_error = QString::fromStdString(tensors.error().describe());
    }
    m_undo->clear();
    resolve();
    Q_EMIT planChanged();
}

void PlanDocument::setAnalysis(std::shared_ptr<const AnalysisResults> analysis)
{
    m_analysis = std::move(analysis);
    resolve();
    Q_EMIT planChanged();
}

void PlanDocument::push(const Plan &next, const QString &what) { m_undo->push(new PlanCommand(this, m_plan, next, what)); }

void PlanDocument::reset(const Plan &plan)
{
    m_undo->clear();
    apply(plan);
}

void PlanDocument::apply(const Plan &plan)
{
    m_plan = plan;
    resolve();
    Q_EMIT planChanged();
}

const PlannedTensor *PlanDocument::resolvedFor(const std::string &ggufName) const
{
    for (const auto &p : m_resolved)
        if (p.ggufName == ggufName)
            return &p;
    return nullptr;
}

void PlanDocument::resolve()
{
    m_resolved.clear();
    m_warnings.clear();
    m_ruleDecides.assign(m_plan.rules.size(), 0);
    m_totals = PlanTotals();
    if (!m_model || m_tensors.empty())
        return;
    auto decisions = resolvePlan(m_plan, m_tensors, m_model->architecture(), false);
    if (!decisions) {
        m_error = QString::fromStdString(decisions.error().describe());
        return;
    }
    m_error.clear();
    m_warnings = planWarnings(m_plan, m_tensors, *decisions);
    m_resolved = plannedTensors(m_tensors, *decisions);
    for (const PlannedTensor &p : m_resolved)
        if (p.decision.rule >= 0 && p.decision.rule < static_cast<int>(m_ruleDecides.size()))
            ++m_ruleDecides[static_cast<size_t>(p.decision.rule)];
    m_totals = PlanTotals::of(*m_model, m_resolved, m_analysis.get());
}

} // namespace qs
