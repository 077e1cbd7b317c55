#include "tensor_table_model.h"

#include "model/model_report.h"
#include "number_text.h"
#include "plan_totals.h"

#include <QColor>

#include <cmath>
#include <map>

namespace qs {

TensorTableModel::TensorTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void TensorTableModel::setModel(std::shared_ptr<const Model> model)
{
    beginResetModel();
    m_model = std::move(model);
    m_analysis.reset();
    m_analysisRow.clear();
    m_plan.clear();
    m_solved.reset();
    endResetModel();
}

void TensorTableModel::setSolved(std::shared_ptr<const SolvedPlan> solved, bool stale)
{
    m_solved = std::move(solved);
    m_solvedStale = stale;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Solver), index(rowCount() - 1, Solver));
    Q_EMIT headerDataChanged(Qt::Horizontal, Solver, Solver);
}

double TensorTableModel::solverValue(int row) const
{
    if (!m_solved || !m_model || row < 0 || row >= rowCount())
        return NAN;
    const std::string &name = m_model->tensors()[static_cast<size_t>(row)].name; // solved results go by Hugging Face name
    const auto t = m_solved->tensors.find(name);
    if (t == m_solved->tensors.end())
        return NAN;
    if (m_solved->solver == IntGroupMethod::Awq) {
        const auto s = m_solved->inputScales.find(name);
        return s == m_solved->inputScales.end() ? NAN : scaleRatio(s->second);
    }
    // RTN choices solved alongside GPTQ have no loss of their own
    return t->second.format.method == IntGroupMethod::Gptq ? static_cast<double>(t->second.loss) : NAN;
}

void TensorTableModel::setAnalysis(std::shared_ptr<const AnalysisResults> analysis)
{
    m_analysis = std::move(analysis);
    m_analysisRow.assign(m_model ? m_model->tensors().size() : 0, -1);
    if (m_analysis)
        for (size_t i = 0; i < m_analysis->tensors.size(); ++i)
            if (m_analysis->tensors[i].index < m_analysisRow.size())
                m_analysisRow[m_analysis->tensors[i].index] = static_cast<int>(i);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, StdDev), index(rowCount() - 1, Sqnr));
    Q_EMIT headerDataChanged(Qt::Horizontal, RelError, Sqnr);
}

void TensorTableModel::setPlan(const std::vector<PlannedTensor> &planned)
{
    m_plan.assign(m_model ? m_model->tensors().size() : 0, std::nullopt);
    if (m_model) {
        std::map<std::string, const PlannedTensor *> byName;
        for (const auto &p : planned)
            byName[p.ggufName] = &p;
        for (size_t i = 0; i < m_model->tensors().size(); ++i) {
            auto it = byName.find(ggufNameOf(*m_model, m_model->tensors()[i]));
            if (it != byName.end())
                m_plan[i] = *it->second;
        }
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Format), index(rowCount() - 1, PlannedError));
}

void TensorTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const PlannedTensor *TensorTableModel::plannedFor(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_plan.size()) || !m_plan[static_cast<size_t>(row)])
        return nullptr;
    return &*m_plan[static_cast<size_t>(row)];
}

double TensorTableModel::plannedError(int row) const
{
    const PlannedTensor *p = plannedFor(row);
    const TensorAnalysis *a = analysisFor(row);
    if (!p || !a || sourceQuantized(row))
        return NAN;
    if (!p->decision.quantized)
        return 0.0;
    // the measurement of exactly the planned format: a GGUF type, or an RTN group format (GPTQ/AWQ need calibration
    // and are never measured from weights alone, so they find none)
    const QuantFormat planned = p->decision.format();
    for (const auto &c : a->candidates)
        if (c.applicable && c.candidate == planned)
            return c.errors.relativeError();
    return NAN;
}

bool TensorTableModel::sourceQuantized(int row) const
{
    return m_model && row >= 0 && row < rowCount() && storedQuantized(m_model->tensors()[static_cast<size_t>(row)]);
}

bool TensorTableModel::quantizable(int row) const
{
    const PlannedTensor *p = plannedFor(row);
    return p && allowsQuantization(p->ggufName, p->ne);
}

Qt::ItemFlags TensorTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == Format) {
        const PlannedTensor *p = plannedFor(index.row());
        // GGUF or GPTQ/AWQ/RTN alike: the delegate offers both
        if (p && allowsQuantization(p->ggufName, std::vector<int64_t>(m_model->tensors()[static_cast<size_t>(index.row())].shape.rbegin(),
                                                                      m_model->tensors()[static_cast<size_t>(index.row())].shape.rend())))
            f |= Qt::ItemIsEditable;
    }
    return f;
}

bool TensorTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != Format || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const PlannedTensor *p = plannedFor(index.row());
    // compared as formats, not text ("gptq:4:128" is the "GPTQ 4-bit g128" shown), against what the cell shows
    const auto chosen = parsePlanFormat(value.toString().toStdString());
    const QuantFormat shown = p->decision.group ? QuantFormat::intGroup(*p->decision.group) : QuantFormat::gguf(p->decision.type);
    if (chosen && *chosen == shown)
        return false;
    Q_EMIT formatEdited(index.row(), QString::fromStdString(p->ggufName), value.toString());
    return true;
}

const TensorAnalysis *TensorTableModel::analysisFor(int row) const
{
    if (!m_analysis || row < 0 || row >= static_cast<int>(m_analysisRow.size()) || m_analysisRow[static_cast<size_t>(row)] < 0)
        return nullptr;
    return &m_analysis->tensors[static_cast<size_t>(m_analysisRow[static_cast<size_t>(row)])];
}

int TensorTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_model ? 0 : static_cast<int>(m_model->tensors().size());
}

int TensorTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TensorTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_model || !index.isValid() || index.row() >= rowCount())
        return {};
    const ModelTensor &t = m_model->tensors()[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case Index: return sort ? QVariant(index.row()) : QVariant(integerText(index.row()));
        case Name: return QString::fromStdString(t.name);
        case OtherName: return QString::fromStdString(t.otherName);
        case Role: {
            QString r = QString::fromLatin1(roleId(t.role).data());
            return t.isBias ? r + tr(" (bias)") : r;
        }
        case Layer:
            if (sort)
                return t.layer;
            return t.layer >= 0 ? QVariant(integerText(t.layer)) : QVariant(QStringLiteral("–"));
        case Shape: return sort ? QVariant(static_cast<qlonglong>(t.elements)) : QVariant(QString::fromStdString(shapeText(t.shape)));
        case DType: return QString::fromStdString(t.dtype);
        case Parameters: return sort ? QVariant(static_cast<qlonglong>(t.elements)) : QVariant(integerText(t.elements));
        case Bytes: return sort ? QVariant(static_cast<qulonglong>(t.bytes)) : QVariant(bytesText(t.bytes));
        default: break;
        }
        if (index.column() >= Format && index.column() <= PlannedError) {
            const PlannedTensor *p = plannedFor(index.row());
            if (!p)
                return sort ? QVariant(-1.0) : QVariant();
            const TypeTraits &tt = typeTraits(p->decision.type);
            // GPTQ/AWQ: the packed bytes (integers, scales, zero points, g_idx) per weight
            const double bpw = p->decision.group && p->elements > 0 ? 8.0 * static_cast<double>(p->bytes) / static_cast<double>(p->elements)
                                                                     : tt.bitsPerWeight();
            switch (index.column()) {
            case Format:
                if (p->decision.group)
                    return QString::fromStdString(p->decision.group->name());
                return QString::fromLatin1(tt.name.data(), static_cast<qsizetype>(tt.name.size()));
            case BitsPerWeight: return sort ? QVariant(bpw) : QVariant(fixedText(bpw, 3));
            case PlannedBytes:
                return sort ? QVariant(static_cast<qulonglong>(p->bytes)) : QVariant(bytesText(p->bytes));
            case PlannedError: {
                if (sourceQuantized(index.row()))
                    return sort ? QVariant(-1.0) : QVariant(notAvailableText());
                const double e = plannedError(index.row());
                if (std::isnan(e))
                    return sort ? QVariant(-1.0) : QVariant(QStringLiteral("–"));
                return sort ? QVariant(e) : QVariant(percentText(e, 3));
            }
            default: return {};
            }
        }
        if (index.column() == Solver) {
            const double v = solverValue(index.row());
            if (std::isnan(v))
                return sort ? QVariant(-1.0) : (m_solved && m_solved->tensors.count(t.name) ? QVariant(QStringLiteral("—")) : QVariant());
            return sort ? QVariant(v) : QVariant(significantText(v, 4));
        }
        const TensorAnalysis *a = analysisFor(index.row());
        if (!a)
            return sort ? QVariant(-1.0) : QVariant();
        const CandidateResult *c = a->candidates.empty() ? nullptr : &a->candidates.front();
        if ((index.column() == RelError || index.column() == Sqnr) && sourceQuantized(index.row()))
            return sort ? QVariant(-1.0) : QVariant(notAvailableText()); // no original weights to compare with
        switch (index.column()) {
        case StdDev: return sort ? QVariant(a->stats.stddev) : QVariant(significantText(a->stats.stddev, 3));
        case Kurtosis: return sort ? QVariant(a->stats.kurtosis) : QVariant(fixedText(a->stats.kurtosis, 2));
        case RelError:
            if (!c || !c->applicable)
                return sort ? QVariant(-1.0) : QVariant(notAvailableText());
            return sort ? QVariant(c->errors.relativeError()) : QVariant(percentText(c->errors.relativeError(), 3));
        case Sqnr:
            if (!c || !c->applicable)
                return sort ? QVariant(-1.0) : QVariant();
            return sort ? QVariant(c->errors.sqnrDb()) : QVariant(fixedText(c->errors.sqnrDb(), 2));
        default: return {};
        }
    }
    if (role == Qt::EditRole && index.column() == Format)
        return data(index, Qt::DisplayRole);
    if (role == Qt::ToolTipRole && (index.column() == PlannedError || index.column() == RelError || index.column() == Sqnr) &&
        sourceQuantized(index.row()))
        return tr("n/a: the source stores this tensor already quantized (%1), so there are no original weights to measure "
                  "an error against").arg(QString::fromStdString(t.dtype));
    if (role == Qt::ToolTipRole && index.column() >= Format && index.column() <= PlannedError) {
        if (const PlannedTensor *p = plannedFor(index.row()))
            return tr("Why this format: %1").arg(QString::fromStdString(p->decision.reason));
    }
    if (role == Qt::ToolTipRole && index.column() == PlannedError)
        return tr("The measured error of the planned format (run an analysis that includes it)");
    if (role == Qt::ToolTipRole && index.column() == Solver && m_solved && m_solved->tensors.count(t.name)) {
        const GroupQuantizedTensor &q = m_solved->tensors.at(t.name);
        QString tip;
        if (m_solved->solver == IntGroupMethod::Awq)
            tip = std::isnan(solverValue(index.row()))
                      ? tr("AWQ applied no input scaling to this Linear: it was rounded to nearest as it is")
                      : tr("AWQ's input-channel scale ratio max(s) / min(s) under %1: how far it rebalanced this Linear's input "
                           "channels before rounding (1: not at all)").arg(QString::fromStdString(q.format.name()));
        else if (q.format.method == IntGroupMethod::Gptq)
            tip = tr("GPTQ's loss under %1: Σ (w − q)² / d² / 2 over the weight, what the rounding cost on the calibration inputs "
                     "after the solver's error compensation (lower is better; compare tensors of one shape)")
                      .arg(QString::fromStdString(q.format.name()));
        else
            tip = tr("Rounded to nearest (%1): no solver measure").arg(QString::fromStdString(q.format.name()));
        return m_solvedStale ? tip + QLatin1Char('\n') + tr("Solved for an earlier plan: the plan has changed since") : tip;
    }
    if (role == Qt::ForegroundRole && index.column() == Solver && m_solvedStale)
        return QColor(Qt::gray);
    if (role == Qt::ToolTipRole && index.column() == RelError) {
        if (const TensorAnalysis *a = analysisFor(index.row()); a && !a->candidates.empty() && a->candidates.front().applicable)
            return tr("||W - Q(W)|| / ||W|| under %1; RMSE is %2 quantization steps (%3 is ideal uniform rounding)")
                .arg(QString::fromStdString(a->candidates.front().candidate.id()), fixedText(a->candidates.front().errors.rmseOverStep(), 3),
                     fixedText(1 / std::sqrt(12.0), 3));
    }
    if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != OtherName && index.column() != Role &&
        index.column() != Shape && index.column() != DType)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Name && !t.otherName.empty())
        return (m_model->format() == ModelFormat::Gguf ? tr("Hugging Face name: %1") : tr("GGUF name: %1")).arg(QString::fromStdString(t.otherName));
    if (role == Qt::ToolTipRole && index.column() == Role)
        return QString::fromLatin1(roleDescription(t.role).data());
    if (role == Qt::ToolTipRole && index.column() == Bytes)
        return tr("%1 bytes").arg(integerText(static_cast<qint64>(t.bytes)));
    return {};
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    const bool gguf = m_model && m_model->format() == ModelFormat::Gguf;
    switch (section) {
    case Index: return tr("#");
    case Name: return tr("Name");
    case OtherName: return gguf ? tr("Hugging Face name") : tr("GGUF name");
    case Role: return tr("Role");
    case Layer: return tr("Layer");
    case Shape: return tr("Shape");
    case DType: return tr("Type");
    case Parameters: return tr("Parameters");
    case Bytes: return tr("Size");
    case Format: return tr("Format");
    case BitsPerWeight: return tr("Bits/w");
    case PlannedBytes: return tr("Planned size");
    case PlannedError: return tr("Planned error");
    case StdDev: return tr("Std dev");
    case Kurtosis: return tr("Kurtosis");
    case RelError:
        return m_analysis && !m_analysis->candidates.empty() ? tr("Error %1").arg(QString::fromStdString(m_analysis->candidates.front().id()))
                                                              : tr("Error");
    case Sqnr: return tr("SQNR dB");
    case Solver:
        if (m_solved)
            return m_solved->solver == IntGroupMethod::Awq ? tr("AWQ scale ratio") : tr("GPTQ loss");
        return tr("Solver");
    default: return {};
    }
}

} // namespace qs
