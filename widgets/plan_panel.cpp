#include "plan_panel.h"

#include "format_delegate.h"
#include "plan_document.h"
#include "plan_totals.h"
#include "rule_table_model.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace qs {

PlanPanel::PlanPanel(PlanDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *planBar = new QHBoxLayout;
    m_presetLabel = new QLabel(this);
    planBar->addWidget(m_presetLabel);
    m_preset = new QComboBox(this);
    m_preset->addItem(QString(), QString()); // no preset: what no rule decides stays as it is (text in retranslate)
    for (const auto &p : presets())
        m_preset->addItem(QString::fromStdString(p.name), QString::fromStdString(p.name));
    // every edit goes through the document; what cannot apply is said, and changes nothing
    auto tell = [this](const Status &st) {
        if (!st)
            Q_EMIT error(QString::fromStdString(st.error().describe()));
    };
    connect(m_preset, &QComboBox::activated, this, [this, tell](int index) { tell(m_doc->setPreset(m_preset->itemData(index).toString())); });
    planBar->addWidget(m_preset);
    // rules, first match wins: an editable table (pattern and format cells) with the tensors each one decides
    m_ruleModel = new RuleTableModel(this);
    m_rules = new QTableView(this);
    m_rules->setObjectName(QStringLiteral("ruleView"));
    m_rules->setModel(m_ruleModel);
    m_rules->setItemDelegateForColumn(RuleTableModel::Format, new FormatDelegate(m_rules));
    m_rules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rules->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rules->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked | QAbstractItemView::EditKeyPressed);
    m_rules->horizontalHeader()->setSectionResizeMode(RuleTableModel::Pattern, QHeaderView::Stretch);
    m_rules->verticalHeader()->setDefaultSectionSize(m_rules->fontMetrics().height() + 6);
    fitRuleViewHeight();
    connect(m_ruleModel, &RuleTableModel::ruleEdited, this, [this, tell](int index, const QString &pattern, const QString &type) {
        const Status st = m_doc->editRule(index, pattern, type);
        if (!st)
            m_ruleModel->setRules(m_doc->plan().rules, m_doc->ruleDecides()); // the cell goes back to what the plan says
        tell(st);
    }, Qt::QueuedConnection);
    planBar->addWidget(m_rules, 1);
    auto *ruleButtons = new QGridLayout;
    m_addRule = new QPushButton(this);
    connect(m_addRule, &QPushButton::clicked, this, [this, tell] {
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Add a rule"), tr("REGEX=FORMAT (for example ffn_down=Q6_K):"), QLineEdit::Normal, {}, &ok);
        const qsizetype eq = text.lastIndexOf(QLatin1Char('='));
        if (ok && eq > 0)
            tell(m_doc->addRule(text.left(eq), text.mid(eq + 1)));
        else if (ok)
            Q_EMIT error(tr("A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0 or IQ4_XS; '%1' is not.").arg(text));
    });
    auto selectedRule = [this] { return m_rules->currentIndex().isValid() ? m_rules->currentIndex().row() : -1; };
    m_removeRule = new QPushButton(this);
    connect(m_removeRule, &QPushButton::clicked, this, [this, selectedRule] { m_doc->removeRule(selectedRule()); });
    auto move = [this, selectedRule](int by) { moveRule(selectedRule(), selectedRule() + by); };
    m_ruleUp = new QPushButton(this);
    connect(m_ruleUp, &QPushButton::clicked, this, [move] { move(-1); });
    m_ruleDown = new QPushButton(this);
    connect(m_ruleDown, &QPushButton::clicked, this, [move] { move(+1); });
    ruleButtons->addWidget(m_addRule, 0, 0);
    ruleButtons->addWidget(m_removeRule, 1, 0);
    ruleButtons->addWidget(m_ruleUp, 0, 1);
    ruleButtons->addWidget(m_ruleDown, 1, 1);
    planBar->addLayout(ruleButtons);
    m_evaluate = new QPushButton(this);
    m_evaluate->setObjectName(QStringLiteral("evaluatePlan"));
    connect(m_evaluate, &QPushButton::clicked, this, &PlanPanel::evaluateRequested);
    planBar->addWidget(m_evaluate, 0, Qt::AlignTop);
    layout->addLayout(planBar);
    m_totals = new QLabel(this);
    m_totals->setWordWrap(true);
    layout->addWidget(m_totals);
    m_warnings = new QLabel(this);
    m_warnings->setObjectName(QStringLiteral("planWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("QLabel { color: #a05a00; }"));
    m_warnings->hide();
    layout->addWidget(m_warnings);
    connect(doc, &PlanDocument::planChanged, this, &PlanPanel::refresh);
    retranslate();
}

Status PlanPanel::moveRule(int from, int to)
{
    const Status st = m_doc->moveRule(from, to);
    if (st.ok())
        m_rules->setCurrentIndex(m_ruleModel->index(to, RuleTableModel::Pattern)); // the rule stays selected as it moves
    return st;
}

QString PlanPanel::totalsText() const { return m_totals->text(); }
QString PlanPanel::warningsText() const { return m_warnings->isHidden() ? QString() : m_warnings->text(); }

void PlanPanel::refresh()
{
    // the preset's own spelling ("q4_k_m" in a hand-written plan is Q4_K_M), or the "no preset" item
    const Preset *preset = findPreset(m_doc->plan().preset);
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(preset ? QString::fromStdString(preset->name) : QString())));
    m_ruleModel->setRules(m_doc->plan().rules, m_doc->ruleDecides());
    fitRuleViewHeight();
    if (!m_doc->model()) {
        m_totals->clear();
        m_warnings->hide();
        return;
    }
    m_totals->setText(m_doc->totals().text(QString::fromStdString(m_doc->plan().label())));
    // what in the plan does nothing, said where the plan is edited (the rule table marks such rules in amber too)
    QStringList warnings;
    for (const PlanWarning &w : m_doc->warnings())
        warnings << QStringLiteral("⚠ ") + warningText(w);
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warnings.isEmpty());
}

QString PlanPanel::warningText(const PlanWarning &w)
{
    const QString subject = QString::fromStdString(w.subject);
    switch (w.kind) {
    case PlanWarning::Kind::RuleUnderConversion:
        return tr("Rule %1 '%2' does nothing: the %3 preset converts every tensor and takes no rules.")
            .arg(w.index + 1).arg(subject, QString::fromStdString(w.preset));
    case PlanWarning::Kind::RuleMatchesNothing:
        return tr("Rule %1 '%2' matches no tensor that can be quantized.").arg(w.index + 1).arg(subject);
    case PlanWarning::Kind::RuleDecidesNothing:
        return (w.groupQuant ? tr("Rule %1 '%2' decides none of the %n tensor(s) it matches: earlier rules, overrides or the GPTQ/AWQ choice take them all.", nullptr, w.matches)
                             : tr("Rule %1 '%2' decides none of the %n tensor(s) it matches: earlier rules or overrides take them all.", nullptr, w.matches))
            .arg(w.index + 1)
            .arg(subject);
    case PlanWarning::Kind::OverrideNamesNothing:
        return tr("The override for '%1' names no tensor of this model.").arg(subject);
    case PlanWarning::Kind::OverrideNeverQuantized:
        return tr("The override for '%1' does nothing: this tensor is never quantized.").arg(subject);
    }
    return subject;
}

void PlanPanel::fitRuleViewHeight()
{
    // as tall as its rules, from one empty row up to four (then it scrolls): the details views keep their room
    const int rows = std::clamp(m_ruleModel->rowCount(), 1, 4);
    m_rules->setFixedHeight(m_rules->horizontalHeader()->sizeHint().height() + rows * m_rules->verticalHeader()->defaultSectionSize() +
                            2 * m_rules->frameWidth() + 2);
}

void PlanPanel::retranslate()
{
    m_presetLabel->setText(tr("Preset:"));
    m_preset->setItemText(0, tr("None"));
    m_preset->setAccessibleName(tr("Preset"));
    m_preset->setToolTip(tr("llama-quantize preset: chooses each tensor's format exactly as llama-quantize would"));
    m_rules->setAccessibleName(tr("Rules"));
    m_rules->setToolTip(tr("Rules, first match wins: a regular expression on the GGUF tensor name and the format it gives. "
                           "Double-click a pattern or a format to change it."));
    m_ruleModel->retranslate();
    m_evaluate->setText(tr("Evaluate"));
    m_evaluate->setToolTip(tr("Perplexity and KL-divergence of the model under this plan, against the unquantized model"));
    m_ruleUp->setText(tr("Move &Up"));
    m_ruleUp->setToolTip(tr("Move the selected rule up: earlier rules win (Alt+U)"));
    m_ruleDown->setText(tr("Move &Down"));
    m_ruleDown->setToolTip(tr("Move the selected rule down (Alt+D)"));
    m_addRule->setText(tr("Add &Rule…"));
    m_addRule->setToolTip(tr("Add a rule such as  ffn_down=Q6_K"));
    m_removeRule->setText(tr("Remove"));
    m_removeRule->setToolTip(tr("Remove the selected rule"));
    m_totals->setAccessibleName(tr("Plan totals"));
    m_warnings->setAccessibleName(tr("Plan warnings"));
    refresh();
}

} // namespace qs
