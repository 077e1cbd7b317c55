// The plan editor under the tensor table: the preset, the ordered rules (edited in place, with the tensors each
// decides) and the line of totals. A view over the PlanDocument: it edits through the document and redraws on
// planChanged; what cannot apply is reported through error().
#pragma once

#include "common/result.h"
#include "plan/plan.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace qs {

class PlanDocument;
class RuleTableModel;

class PlanPanel : public QWidget {
    Q_OBJECT
public:
    PlanPanel(PlanDocument *doc, QWidget *parent = nullptr);

    RuleTableModel *ruleModel() const { return m_ruleModel; }
    // The plan-wide integer group format row: method (None, GPTQ, AWQ, RTN), bits, group, symmetric, act-order.
    QComboBox *groupMethodBox() const { return m_groupMethod; }
    QComboBox *groupBitsBox() const { return m_groupBits; }
    QComboBox *groupSizeBox() const { return m_groupSize; }
    QCheckBox *groupSymmetricBox() const { return m_groupSymmetric; }
    QCheckBox *actOrderBox() const { return m_actOrder; }
    QTableView *ruleView() const { return m_rules; }
    // Moves a rule through the document; the moved rule stays selected.
    Status moveRule(int from, int to);
    QString totalsText() const;
    QString warningsText() const;
    void retranslate();
    // A warning about the plan in the interface's language.
    static QString warningText(const PlanWarning &warning);

Q_SIGNALS:
    void error(const QString &message);
    void evaluateRequested();

private:
    void refresh();
    void refreshGroupRow();
    void fitRuleViewHeight();
    // The plan-wide group format the row's widgets say (nullopt: method None).
    std::optional<IntGroupFormat> groupFromRow() const;

    PlanDocument *m_doc;
    QLabel *m_presetLabel = nullptr, *m_totals = nullptr, *m_warnings = nullptr, *m_groupLabel = nullptr;
    QComboBox *m_preset = nullptr, *m_groupMethod = nullptr, *m_groupBits = nullptr, *m_groupSize = nullptr;
    QCheckBox *m_groupSymmetric = nullptr, *m_actOrder = nullptr;
    RuleTableModel *m_ruleModel = nullptr;
    QTableView *m_rules = nullptr;
    QPushButton *m_addRule = nullptr, *m_removeRule = nullptr, *m_ruleUp = nullptr, *m_ruleDown = nullptr,
                *m_evaluate = nullptr;
};

} // namespace qs
