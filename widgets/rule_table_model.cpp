#include "rule_table_model.h"

#include "formats/ggml_type.h"

#include <QColor>

namespace qs {

RuleTableModel::RuleTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void RuleTableModel::setRules(const std::vector<PlanRule> &rules, const std::vector<int> &decides)
{
    beginResetModel();
    m_rules = rules;
    m_decides = decides;
    m_decides.resize(m_rules.size(), 0);
    endResetModel();
}

void RuleTableModel::retranslate() { Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1); }

int RuleTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rules.size()); }

int RuleTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RuleTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const PlanRule &r = m_rules[static_cast<size_t>(index.row())];
    const int decides = m_decides[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
        case Pattern:
            return QString::fromStdString(r.pattern);
        case Format: // a GGUF type, or a group format by its readable name
            return QString::fromStdString(r.format().name());
        case Decides:
            return role == Qt::DisplayRole ? QVariant(tr("%n tensor(s)", nullptr, decides)) : QVariant(decides);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Decides && decides == 0)
            return tr("This rule decides no tensor: nothing matches it, or an earlier rule or a per-tensor choice takes "
                      "every tensor it matches");
        if (index.column() == Pattern)
            return tr("A regular expression searched in the GGUF tensor name; double-click to edit");
        if (index.column() == Format && r.group)
            return tr("An integer group format: the Linear weights of the blocks this rule matches are packed in it, other "
                      "tensors it matches stay in 16 bits; double-click to choose another");
        if (index.column() == Format)
            return tr("The format this rule gives; double-click to choose another");
    }
    if (role == Qt::ForegroundRole && index.column() == Decides && decides == 0)
        return QVariant::fromValue(QColor(0xc0, 0x60, 0x00));
    return {};
}

QVariant RuleTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1; // first match wins: the number is the order
    switch (section) {
    case Pattern:
        return tr("Pattern");
    case Format:
        return tr("Format");
    case Decides:
        return tr("Decides");
    default:
        return {};
    }
}

Qt::ItemFlags RuleTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() != Decides)
        f |= Qt::ItemIsEditable;
    return f;
}

bool RuleTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount() || index.column() == Decides)
        return false;
    const PlanRule &r = m_rules[static_cast<size_t>(index.row())];
    const QString pattern = index.column() == Pattern ? value.toString() : QString::fromStdString(r.pattern);
    const QString type = index.column() == Format ? value.toString() : QString::fromStdString(r.format().name());
    // unchanged is compared as formats, not text: "gptq:4:128" is "GPTQ 4-bit g128", "q6_k" is "Q6_K"
    const auto format = parsePlanFormat(type.toStdString());
    if (pattern.toStdString() == r.pattern && format && *format == r.format())
        return false;
    // the window validates and answers with setRules; the cell shows the plan, never a half-applied edit
    Q_EMIT ruleEdited(index.row(), pattern, type);
    return true;
}

} // namespace qs
