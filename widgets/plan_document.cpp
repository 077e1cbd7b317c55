#include "plan_document.h"

#include "io/small_file.h"

#include <QFileInfo>
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

namespace {

Result<PlanRule> ruleFrom(const QString &pattern, const QString &type)
{
    const auto f = parsePlanFormat(type.trimmed().toStdString());
    if (!f)
        return makeError(PlanDocument::tr("A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0, IQ4_XS, gptq:4:128 or GPTQ 4-bit g128; "
                                          "'%1=%2' is not.")
                             .arg(pattern, type)
                             .toStdString());
    PlanRule rule = PlanRule::of(pattern.trimmed().toStdString(), *f);
    if (auto ok = checkRule(rule); !ok)
        return ok.error();
    return rule;
}

// How an edit names a format in its undo text: "Q6_K", "GPTQ 4-bit g128".
QString formatName(const QuantFormat &f) { return QString::fromStdString(f.name()); }

} // namespace

Status PlanDocument::load(const QString &path)
{
    auto bytes = readSmallFile(path.toStdString(), 16u << 20);
    if (!bytes)
        return bytes.error();
    auto plan = Plan::fromJson(std::string(bytes->begin(), bytes->end()));
    if (!plan)
        return makeError(tr("%1 is not a plan Quantscope can use: %2").arg(path, QString::fromStdString(plan.error().describe())).toStdString());
    if (m_model) { // refuse a plan whose rules or overrides cannot apply to this model before it replaces the current one
        auto decisions = resolvePlan(*plan, m_tensors, m_model->architecture(), false);
        if (!decisions)
            return makeError(tr("%1 does not fit this model: %2").arg(path, QString::fromStdString(decisions.error().describe())).toStdString());
    }
    push(*plan, tr("load plan %1").arg(QFileInfo(path).fileName()));
    return okStatus();
}

Status PlanDocument::setPreset(const QString &preset)
{
    // empty: no preset; otherwise stored in the preset's own spelling
    const Preset *p = preset.isEmpty() ? nullptr : findPreset(preset.toStdString());
    if (!preset.isEmpty() && !p)
        return makeError(tr("'%1' is not a llama-quantize preset").arg(preset).toStdString());
    const std::string name = p ? p->name : std::string();
    if (name == m_plan.preset)
        return okStatus();
    Plan next = m_plan;
    next.preset = name;
    push(next, p ? tr("preset %1").arg(QString::fromStdString(name)) : tr("no preset"));
    return okStatus();
}

void PlanDocument::pushEdit(Plan next, const QString &what)
{
    if (next.hasGroupQuant() != m_plan.hasGroupQuant())
        next.output = next.hasGroupQuant() ? PlanOutput::HfCheckpoint : PlanOutput::Gguf;
    push(next, what);
}

Status PlanDocument::setTensorFormat(const QString &tensorName, const QString &type)
{
    const auto f = parsePlanFormat(type.toStdString());
    if (!f)
        return makeError(tr("%1 is not a format Quantscope can write (a GGUF type such as Q6_K, or a group format such as GPTQ 4-bit g128)")
                             .arg(type)
                             .toStdString());
    const std::string name = tensorName.toStdString();
    Plan next = m_plan;
    // one choice per tensor, under whichever name the plan spells it
    std::vector<std::string> spellings{name};
    for (const PlanTensor &t : m_tensors)
        if (t.name == name || t.otherName == name)
            spellings = {t.name, t.otherName};
    for (const std::string &n : spellings) {
        next.overrides.erase(n);
        next.groupOverrides.erase(n);
    }
    if (f->kind == QuantFormat::Kind::IntGroup)
        next.groupOverrides[name] = f->group;
    else
        next.overrides[name] = f->type;
    pushEdit(next, tr("%1 as %2").arg(tensorName, formatName(*f)));
    return okStatus();
}

Status PlanDocument::setGroupQuant(const std::optional<IntGroupFormat> &format)
{
    if (format) {
        auto again = IntGroupFormat::parse(format->id()); // a format built from widgets must be one a file can say
        if (!again || !(*again == *format))
            return makeError(tr("%1 is not a valid integer group format").arg(QString::fromStdString(format->name())).toStdString());
    }
    if (format == m_plan.groupQuant)
        return okStatus();
    Plan next = m_plan;
    next.groupQuant = format;
    pushEdit(next, format ? tr("%1 for the block Linear layers").arg(QString::fromStdString(format->name())) : tr("no plan-wide group format"));
    return okStatus();
}

Status PlanDocument::setGptqSettings(const GptqSettings &settings)
{
    if (auto ok = settings.check(); !ok)
        return ok.error();
    if (settings == m_plan.gptq)
        return okStatus();
    Plan next = m_plan;
    next.gptq = settings;
    pushEdit(next, tr("GPTQ settings"));
    return okStatus();
}

Status PlanDocument::addRule(const QString &pattern, const QString &type)
{
    auto rule = ruleFrom(pattern, type);
    if (!rule)
        return rule.error();
    Plan next = m_plan;
    next.rules.push_back(*rule);
    pushEdit(next, tr("rule %1 → %2").arg(pattern, formatName(rule->format())));
    return okStatus();
}

Status PlanDocument::removeRule(int index)
{
    if (index < 0 || index >= static_cast<int>(m_plan.rules.size()))
        return makeError(tr("There is no rule %1").arg(index + 1).toStdString());
    Plan next = m_plan;
    next.rules.erase(next.rules.begin() + index);
    pushEdit(next, tr("remove rule %1").arg(index + 1));
    return okStatus();
}

Status PlanDocument::editRule(int index, const QString &pattern, const QString &type)
{
    if (index < 0 || index >= static_cast<int>(m_plan.rules.size()))
        return makeError(tr("There is no rule %1").arg(index + 1).toStdString());
    auto rule = ruleFrom(pattern, type);
    if (!rule)
        return rule.error();
    if (m_plan.rules[static_cast<size_t>(index)] == *rule)
        return okStatus();
    Plan next = m_plan;
    next.rules[static_cast<size_t>(index)] = *rule;
    pushEdit(next, tr("rule %1: %2 → %3").arg(index + 1).arg(pattern, formatName(rule->format())));
    return okStatus();
}

Status PlanDocument::moveRule(int from, int to)
{
    const int n = static_cast<int>(m_plan.rules.size());
    if (from < 0 || from >= n || to < 0 || to >= n)
        return makeError(tr("There is no rule to move there").toStdString());
    if (from == to)
        return okStatus();
    Plan next = m_plan;
    const PlanRule moved = next.rules[static_cast<size_t>(from)];
    next.rules.erase(next.rules.begin() + from);
    next.rules.insert(next.rules.begin() + to, moved);
    push(next, tr("move rule %1 to %2").arg(from + 1).arg(to + 1));
    return okStatus();
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
