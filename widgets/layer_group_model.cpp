#include "layer_group_model.h"

#include "number_text.h"

#include <QFont>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace qs {

namespace {

// internalId: 0 for a group row, group + 1 for a tensor row under that group
constexpr quintptr kGroupRow = 0;

} // namespace

LayerGroupModel::LayerGroupModel(TensorTableModel *source, QObject *parent) : QAbstractItemModel(parent), m_source(source)
{
    connect(source, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(source, &QAbstractItemModel::modelReset, this, [this] {
        rebuild();
        endResetModel();
    });
    // the source changes values in place (plan, analysis, language): every row and its group's totals follow
    connect(source, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
        if (m_groups.empty())
            return;
        Q_EMIT dataChanged(index(0, 0), index(groupCount() - 1, columnCount() - 1), roles);
        for (int g = 0; g < groupCount(); ++g) {
            const QModelIndex parent = index(g, 0);
            const int n = rowCount(parent);
            if (n > 0)
                Q_EMIT dataChanged(index(0, 0, parent), index(n - 1, columnCount() - 1, parent), roles);
        }
    });
    connect(source, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
    rebuild();
}

void LayerGroupModel::rebuild()
{
    m_groups.clear();
    m_where.assign(static_cast<size_t>(m_source->rowCount()), {-1, -1});
    std::map<int, size_t> byLayer; // layer -> group, in layer order with the model-wide group (-1) first
    for (int r = 0; r < m_source->rowCount(); ++r)
        byLayer.emplace(m_source->data(m_source->index(r, TensorTableModel::Layer), TensorTableModel::SortRole).toInt(), 0);
    for (auto &[layer, g] : byLayer) {
        g = m_groups.size();
        m_groups.push_back({layer, {}});
    }
    for (int r = 0; r < m_source->rowCount(); ++r) {
        const int layer = m_source->data(m_source->index(r, TensorTableModel::Layer), TensorTableModel::SortRole).toInt();
        Group &g = m_groups[byLayer[layer]];
        m_where[static_cast<size_t>(r)] = {static_cast<int>(byLayer[layer]), static_cast<int>(g.rows.size())};
        g.rows.push_back(r);
    }
}

QModelIndex LayerGroupModel::indexForTensor(int tensorRow, int column) const
{
    if (tensorRow < 0 || tensorRow >= static_cast<int>(m_where.size()))
        return {};
    const auto [g, pos] = m_where[static_cast<size_t>(tensorRow)];
    return createIndex(pos, column, static_cast<quintptr>(g) + 1);
}

int LayerGroupModel::tensorRow(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == kGroupRow || index.model() != this)
        return -1;
    const Group &g = m_groups[index.internalId() - 1];
    return index.row() < static_cast<int>(g.rows.size()) ? g.rows[static_cast<size_t>(index.row())] : -1;
}

QModelIndex LayerGroupModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= columnCount())
        return {};
    if (!parent.isValid())
        return row < groupCount() ? createIndex(row, column, kGroupRow) : QModelIndex();
    if (parent.internalId() != kGroupRow || parent.row() >= groupCount())
        return {};
    const Group &g = m_groups[static_cast<size_t>(parent.row())];
    return row < static_cast<int>(g.rows.size()) ? createIndex(row, column, static_cast<quintptr>(parent.row()) + 1) : QModelIndex();
}

QModelIndex LayerGroupModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kGroupRow)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kGroupRow);
}

int LayerGroupModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return groupCount();
    if (parent.internalId() != kGroupRow || parent.column() != 0 || parent.row() >= groupCount())
        return 0;
    return static_cast<int>(m_groups[static_cast<size_t>(parent.row())].rows.size());
}

int LayerGroupModel::columnCount(const QModelIndex &) const { return TensorTableModel::ColumnCount; }

QVariant LayerGroupModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() != kGroupRow)
        return m_source->data(m_source->index(tensorRow(index), index.column()), role);
    return groupData(m_groups[static_cast<size_t>(index.row())], index.column(), role);
}

QVariant LayerGroupModel::groupData(const Group &g, int column, int role) const
{
    if (role == Qt::FontRole) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole) // numbers line up with their tensors' below
        return g.rows.empty() ? QVariant() : m_source->data(m_source->index(g.rows.front(), column), role);
    if (role == Qt::ToolTipRole && column == TensorTableModel::PlannedError)
        return tr("The layer's error under the plan: the root of its tensors' squared relative errors, weighted by their "
                  "parameters, over the tensors the analysis measured in their planned format");
    if (role != Qt::DisplayRole && role != TensorTableModel::SortRole)
        return {};
    const bool sort = role == TensorTableModel::SortRole;
    auto sum = [&](int col) {
        double s = 0;
        for (int r : g.rows) {
            const double v = m_source->data(m_source->index(r, col), TensorTableModel::SortRole).toDouble();
            s += v > 0 ? v : 0; // -1 marks "no value"
        }
        return s;
    };
    switch (column) {
    case TensorTableModel::Index:
        return sort ? QVariant(g.rows.empty() ? 0 : g.rows.front()) : QVariant();
    case TensorTableModel::Name: {
        const QString what = g.layer >= 0 ? tr("Layer %1").arg(integerText(g.layer)) : tr("Model-wide (embeddings, output, norms)");
        return sort ? QVariant(g.layer) : QVariant(tr("%1 — %n tensor(s)", nullptr, static_cast<int>(g.rows.size())).arg(what));
    }
    case TensorTableModel::Layer:
        return sort ? QVariant(g.layer) : (g.layer >= 0 ? QVariant(integerText(g.layer)) : QVariant(QStringLiteral("–")));
    case TensorTableModel::Parameters: {
        const double p = sum(column);
        return sort ? QVariant(p) : QVariant(integerText(static_cast<qint64>(p)));
    }
    case TensorTableModel::Bytes:
    case TensorTableModel::PlannedBytes: {
        const double b = sum(column);
        return sort ? QVariant(b) : QVariant(bytesText(static_cast<quint64>(b)));
    }
    case TensorTableModel::BitsPerWeight: {
        const double params = sum(TensorTableModel::Parameters), bytes = sum(TensorTableModel::PlannedBytes);
        if (params <= 0 || bytes <= 0)
            return sort ? QVariant(-1.0) : QVariant();
        const double bpw = 8.0 * bytes / params;
        return sort ? QVariant(bpw) : QVariant(fixedText(bpw, 3));
    }
    case TensorTableModel::Format: {
        // how many tensors get each format: quantized ones first, most common first: "Q4_K ×7, Q6_K ×2, F32 ×2"
        std::map<QString, int> counts;
        for (int r : g.rows) {
            const QString f = m_source->data(m_source->index(r, TensorTableModel::Format), Qt::DisplayRole).toString();
            if (!f.isEmpty())
                ++counts[f];
        }
        auto plain = [](const QString &f) { return f == QLatin1String("F32") || f == QLatin1String("F16") || f == QLatin1String("BF16"); };
        std::vector<std::tuple<bool, int, QString>> order;
        for (const auto &[f, n] : counts)
            order.emplace_back(plain(f), -n, f);
        std::sort(order.begin(), order.end());
        QStringList parts;
        for (const auto &[isPlain, n, f] : order)
            parts << QStringLiteral("%1 ×%2").arg(f).arg(-n);
        return parts.join(QStringLiteral(", "));
    }
    case TensorTableModel::PlannedError: {
        double weighted = 0, weights = 0;
        for (int r : g.rows) {
            const double e = m_source->plannedError(r);
            if (std::isnan(e))
                continue;
            const double p = m_source->data(m_source->index(r, TensorTableModel::Parameters), TensorTableModel::SortRole).toDouble();
            weighted += p * e * e;
            weights += p;
        }
        if (weights <= 0) {
            const bool alreadyQuantized = std::any_of(g.rows.begin(), g.rows.end(), [this](int r) { return m_source->sourceQuantized(r); });
            return sort ? QVariant(-1.0) : QVariant(alreadyQuantized ? notAvailableText() : QStringLiteral("–"));
        }
        const double e = std::sqrt(weighted / weights);
        return sort ? QVariant(e) : QVariant(percentText(e, 3));
    }
    default:
        return sort ? QVariant(-1.0) : QVariant();
    }
}

QVariant LayerGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source->headerData(section, orientation, role);
}

Qt::ItemFlags LayerGroupModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == kGroupRow)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return m_source->flags(m_source->index(tensorRow(index), index.column()));
}

bool LayerGroupModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const int row = tensorRow(index);
    return row >= 0 && m_source->setData(m_source->index(row, index.column()), value, role);
}

} // namespace qs
