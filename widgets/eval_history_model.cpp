#include "eval_history_model.h"

#include "number_text.h"

#include <cmath>

namespace qs {

EvalHistoryModel::EvalHistoryModel(QObject *parent) : QAbstractTableModel(parent) {}

void EvalHistoryModel::add(EvalRecord record)
{
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(std::move(record));
    endInsertRows();
}

void EvalHistoryModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void EvalHistoryModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int EvalHistoryModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows.size()); }
int EvalHistoryModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString EvalHistoryModel::rowLabel(const EvalRecord &r) const
{
    if (r.isOriginal())
        return tr("Original");
    switch (r.weights) {
    case EvalWeights::RtnStandIn: return tr("%1 (RTN stand-in, not solved)").arg(r.label);
    case EvalWeights::Solved: return tr("%1 (solved)").arg(r.label);
    case EvalWeights::Plan: break;
    }
    return r.label;
}

QString EvalHistoryModel::toolTip(const EvalRecord &r) const
{
    const EvalResult &e = r.outcome.result;
    const QString line = tr("%1 on %2\n%3 windows of %4 tokens (%5 protocol), %6 positions scored")
                             .arg(r.modelName, r.textName.isEmpty() ? tr("the built-in text") : r.textName, integerText(e.windows),
                                  integerText(r.outcome.context), QString::fromLatin1(protocolId(r.outcome.protocol)), integerText(e.tokens));
    switch (r.weights) {
    case EvalWeights::RtnStandIn:
        return line + QLatin1Char('\n') +
               tr("GPTQ/AWQ formats need calibration: each was rounded to nearest with its bits, group and zero point. Quantize "
                  "the plan and evaluate the solved result to see what the solver gains.");
    case EvalWeights::Solved:
        return line + QLatin1Char('\n') + tr("The solved checkpoint written to %1, read back from the folder").arg(r.checkpoint);
    case EvalWeights::Plan: break;
    }
    return line;
}

QVariant EvalHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const EvalRecord &r = m_rows[static_cast<size_t>(index.row())];
    const EvalResult &e = r.outcome.result;
    const bool compared = e.hasBase; // an original row has nothing to be compared with
    // the figure of each column; NaN where the row has none
    double value = NAN;
    switch (index.column()) {
    case Size: value = static_cast<double>(r.outcome.bytes); break;
    case BitsPerWeight: value = r.outcome.bitsPerWeight; break;
    case Ppl: value = e.ppl; break;
    case DeltaPpl: value = compared ? e.ppl - e.pplBase : NAN; break;
    case KldMean: value = compared ? e.kldMean : NAN; break;
    case KldP99: value = compared ? e.kldP99 : NAN; break;
    case Top1: value = compared ? e.top1Agree : NAN; break;
    case Time: value = r.outcome.seconds; break;
    default: break;
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Plan: return rowLabel(r);
        case Size: return bytesText(r.outcome.bytes);
        case BitsPerWeight: return fixedText(value, 3);
        case Ppl: return fixedText(value, 3);
        case DeltaPpl: return std::isnan(value) ? notAvailableText() : signedText(value, 4);
        case KldMean:
        case KldP99: return std::isnan(value) ? notAvailableText() : significantText(value, 4);
        case Top1: return percentText(value, 2);
        case Time: return tr("%1 s").arg(fixedText(value, 1));
        default: return {};
        }
    case ValueRole:
        return std::isnan(value) ? QVariant() : QVariant(value);
    case Qt::ToolTipRole:
        return toolTip(r);
    case Qt::TextAlignmentRole:
        return index.column() == Plan ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant EvalHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Size: return tr("The weights' bytes under the plan");
        case BitsPerWeight: return tr("Bits per weight of the quantized tensors (of every weight for the original)");
        case Ppl: return tr("Perplexity on the evaluation text: lower is better");
        case DeltaPpl: return tr("Perplexity minus the unquantized model's on the same windows");
        case KldMean: return tr("Mean KL-divergence of the predictions from the unquantized model's (nats)");
        case KldP99: return tr("99th percentile of the KL-divergence: the worst positions");
        case Top1: return tr("How often the most likely next token is the unquantized model's");
        case Time: return tr("How long the evaluation took");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Plan: return tr("Plan");
    case Size: return tr("Size");
    case BitsPerWeight: return tr("Bits/weight");
    case Ppl: return tr("PPL");
    case DeltaPpl: return tr("ΔPPL");
    case KldMean: return tr("KLD mean");
    case KldP99: return tr("KLD p99");
    case Top1: return tr("Top-1 agree");
    case Time: return tr("Time");
    default: return {};
    }
}

} // namespace qs
