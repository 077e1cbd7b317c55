#include "plan_panel.h"

#include "format_delegate.h"
#include "group_format_dialog.h"
#include "plan_document.h"
#include "plan_totals.h"
#include "rule_table_model.h"

#include <QCheckBox>
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
    m_rules->horizontalHeader()->setSectionResizeMode(RuleTableModel::Format, QHeaderView::ResizeToContents); // group names are long
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
        const QString text = QInputDialog::getText(this, tr("Add a rule"), tr("REGEX=FORMAT (for example ffn_down=Q6_K or ffn_down=gptq:8:128):"),
                                                   QLineEdit::Normal, {}, &ok);
        const qsizetype eq = text.lastIndexOf(QLatin1Char('='));
        if (ok && eq > 0)
            tell(m_doc->addRule(text.left(eq), text.mid(eq + 1)));
        else if (ok)
            Q_EMIT error(tr("A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0, IQ4_XS, gptq:4:128 or GPTQ 4-bit g128; '%1' is not.").arg(text));
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
    // the plan-wide integer group format, one compact row: what every block Linear weight no rule or override takes
    auto *groupBar = new QHBoxLayout;
    m_groupLabel = new QLabel(this);
    groupBar->addWidget(m_groupLabel);
    m_groupMethod = new QComboBox(this);
    m_groupMethod->setObjectName(QStringLiteral("groupQuantMethod"));
    m_groupMethod->addItem(QString(), -1); // none (text in retranslate)
    GroupFormatDialog::fillMethods(m_groupMethod);
    m_groupBits = new QComboBox(this);
    m_groupBits->setObjectName(QStringLiteral("groupQuantBits"));
    GroupFormatDialog::fillBits(m_groupBits);
    GroupFormatDialog::selectData(m_groupBits, 4);
    m_groupSize = new QComboBox(this);
    m_groupSize->setObjectName(QStringLiteral("groupQuantSize"));
    GroupFormatDialog::fillGroups(m_groupSize);
    GroupFormatDialog::selectData(m_groupSize, 128);
    m_groupSymmetric = new QCheckBox(this);
    m_groupSymmetric->setObjectName(QStringLiteral("groupQuantSymmetric"));
    m_actOrder = new QCheckBox(this);
    m_actOrder->setObjectName(QStringLiteral("gptqActOrder"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_groupMethod, m_groupBits, m_groupSize, m_groupSymmetric, m_actOrder})
        groupBar->addWidget(w);
    groupBar->addStretch(1);
    layout->addLayout(groupBar);
    // user actions only (activated, clicked): refresh() sets the widgets from the plan without editing it
    connect(m_groupMethod, &QComboBox::activated, this, [this, tell] {
        const int method = m_groupMethod->currentData().toInt();
        std::optional<IntGroupFormat> f;
        if (method >= 0) // a method brings its reference tool's grid (GPTQModel symmetric, AutoAWQ and RTN not)
            f = IntGroupFormat::make(static_cast<IntGroupMethod>(method), m_groupBits->currentData().toInt(), m_groupSize->currentData().toInt());
        const Status st = m_doc->setGroupQuant(f);
        if (!st)
            refreshGroupRow();
        tell(st);
    });
    auto editFormat = [this, tell] {
        const Status st = m_doc->setGroupQuant(groupFromRow());
        if (!st)
            refreshGroupRow();
        tell(st);
    };
    connect(m_groupBits, &QComboBox::activated, this, editFormat);
    connect(m_groupSize, &QComboBox::activated, this, editFormat);
    connect(m_groupSymmetric, &QCheckBox::clicked, this, editFormat);
    connect(m_actOrder, &QCheckBox::clicked, this, [this, tell](bool on) {
        GptqSettings s = m_doc->plan().gptq;
        s.actOrder = on;
        s.staticGroups = s.staticGroups && on; // static groups only exist with act-order
        const Status st = m_doc->setGptqSettings(s);
        if (!st)
            refreshGroupRow();
        tell(st);
    });
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

std::optional<IntGroupFormat> PlanPanel::groupFromRow() const
{
    const int method = m_groupMethod->currentData().toInt();
    if (method < 0)
        return std::nullopt;
    return IntGroupFormat{static_cast<IntGroupMethod>(method), m_groupBits->currentData().toInt(), m_groupSize->currentData().toInt(),
                          m_groupSymmetric->isChecked()};
}

void PlanPanel::refreshGroupRow()
{
    const Plan &plan = m_doc->plan();
    const std::optional<IntGroupFormat> &g = plan.groupQuant;
    GroupFormatDialog::selectData(m_groupMethod, g ? static_cast<int>(g->method) : -1);
    if (g) {
        GroupFormatDialog::selectData(m_groupBits, g->bits);
        if (!GroupFormatDialog::selectData(m_groupSize, g->groupSize)) { // a group size from a plan file, such as g256
            m_groupSize->addItem(QStringLiteral("g%1").arg(g->groupSize), g->groupSize);
            GroupFormatDialog::selectData(m_groupSize, g->groupSize);
        }
        m_groupSymmetric->setChecked(g->symmetric);
    }
    for (QWidget *w : std::initializer_list<QWidget *>{m_groupBits, m_groupSize, m_groupSymmetric})
        w->setEnabled(g.has_value());
    // act-order is GPTQ's: offered when any choice in the plan is GPTQ
    bool gptq = g && g->method == IntGroupMethod::Gptq;
    for (const PlanRule &r : plan.rules)
        gptq = gptq || (r.group && r.group->method == IntGroupMethod::Gptq);
    for (const auto &entry : plan.groupOverrides)
        gptq = gptq || entry.second.method == IntGroupMethod::Gptq;
    m_actOrder->setEnabled(gptq);
    m_actOrder->setChecked(plan.gptq.actOrder);
}
QString PlanPanel::warningsText() const { return m_warnings->isHidden() ? QString() : m_warnings->text(); }

void PlanPanel::refresh()
{
    // the preset's own spelling ("q4_k_m" in a hand-written plan is Q4_K_M), or the "no preset" item
    const Preset *preset = findPreset(m_doc->plan().preset);
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(preset ? QString::fromStdString(preset->name) : QString())));
    m_ruleModel->setRules(m_doc->plan().rules, m_doc->ruleDecides());
    fitRuleViewHeight();
    refreshGroupRow();
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
    case PlanWarning::Kind::GroupRulePacksNothing:
        return tr("Rule %1 '%2' names %3, which none of the %n tensor(s) it decides can take (only Linear weights of the blocks "
                  "whose shape fits): they stay in 16 bits.", nullptr, w.matches)
            .arg(w.index + 1)
            .arg(subject, QString::fromStdString(w.format));
    case PlanWarning::Kind::MixedGgufAndGroup:
        return tr("The plan mixes GGUF formats (%n tensor(s), such as %1 in %2) with GPTQ/AWQ/RTN formats (%3), which no one file "
                  "holds: a GGUF export refuses it, and a GPTQ/AWQ checkpoint keeps the GGUF-planned tensors in 16 bits.", nullptr, w.matches)
            .arg(subject, QString::fromStdString(w.format), tr("%n tensor(s)", nullptr, w.groupMatches));
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
    m_groupLabel->setText(tr("Group quantization:"));
    m_groupLabel->setToolTip(tr("GPTQ, AWQ or round-to-nearest integers for every Linear layer of the blocks that no rule or "
                                "override decides; a plan with them is written as a Hugging Face checkpoint"));
    m_groupMethod->setItemText(0, tr("None"));
    GroupFormatDialog::translateChoices(m_groupMethod, m_groupBits, m_groupSize);
    m_groupMethod->setAccessibleName(tr("Group quantization method"));
    m_groupBits->setAccessibleName(tr("Group quantization bits"));
    m_groupSize->setAccessibleName(tr("Group size"));
    m_groupSymmetric->setText(tr("Symmetric"));
    m_groupSymmetric->setToolTip(tr("A symmetric grid around zero, with no zero point (GPTQModel's default; AutoAWQ's is asymmetric)"));
    m_actOrder->setText(tr("Act-order"));
    m_actOrder->setToolTip(tr("GPTQ: quantize the columns in order of decreasing activation (desc_act); usually a little more "
                              "accurate, and the checkpoint keeps a g_idx per column"));
    m_totals->setAccessibleName(tr("Plan totals"));
    m_warnings->setAccessibleName(tr("Plan warnings"));
    refresh();
}

} // namespace qs
