#include "tensor_table_model.h"

#include "model/model_report.h"

#include <QLocale>

namespace qs {

TensorTableModel::TensorTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void TensorTableModel::setModel(std::shared_ptr<const Model> model)
{
    beginResetModel();
    m_model = std::move(model);
    endResetModel();
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
    const QLocale locale;
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
        case Index: return index.row();
        case Name: return QString::fromStdString(t.name);
        case OtherName: return QString::fromStdString(t.otherName);
        case Role: {
            QString r = QString::fromLatin1(roleId(t.role).data());
            return t.isBias ? r + tr(" (bias)") : r;
        }
        case Layer:
            if (sort)
                return t.layer;
            return t.layer >= 0 ? QVariant(t.layer) : QVariant(QStringLiteral("–"));
        case Shape: return sort ? QVariant(static_cast<qlonglong>(t.elements)) : QVariant(QString::fromStdString(shapeText(t.shape)));
        case DType: return QString::fromStdString(t.dtype);
        case Parameters: return sort ? QVariant(static_cast<qlonglong>(t.elements)) : QVariant(locale.toString(static_cast<qlonglong>(t.elements)));
        case Bytes: return sort ? QVariant(static_cast<qulonglong>(t.bytes)) : QVariant(locale.formattedDataSize(static_cast<qint64>(t.bytes)));
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Parameters || index.column() == Bytes || index.column() == Layer || index.column() == Index))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Role)
        return QString::fromLatin1(roleDescription(t.role).data());
    if (role == Qt::ToolTipRole && index.column() == Bytes)
        return tr("%1 bytes").arg(locale.toString(static_cast<qulonglong>(t.bytes)));
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
    default: return {};
    }
}

} // namespace qs
