// The plan's ordered rules as an editable table: pattern, format and how many tensors each rule decides under the
// current plan (a rule shadowed by an earlier one decides none). Edits and moves are reported as signals; the
// window turns them into undoable plan changes and hands the new rules back, so the plan stays the one source.
#pragma once

#include "plan/plan.h"

#include <QAbstractTableModel>

#include <vector>

namespace qs {

class RuleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Pattern, Format, Decides, ColumnCount };

    explicit RuleTableModel(QObject *parent = nullptr);

    // The plan's rules and, for each, the number of tensors it decided when the plan was resolved.
    void setRules(const std::vector<PlanRule> &rules, const std::vector<int> &decides);
    const std::vector<PlanRule> &rules() const { return m_rules; }
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

Q_SIGNALS:
    // A person changed rule `row` to pattern -> type (one of the two is the edited cell, the other as it was).
    void ruleEdited(int row, const QString &pattern, const QString &type);

private:
    std::vector<PlanRule> m_rules;
    std::vector<int> m_decides;
};

} // namespace qs
