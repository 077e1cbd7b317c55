// The tensor table grouped by layer, as a tree: one row per layer (and one for the model-wide tensors: embeddings,
// output, final norm) with the layer's totals under the current plan, its tensors as children. A view over the
// TensorTableModel: children forward to it (editing the format included), group rows add up its numbers.
#pragma once

#include "tensor_table_model.h"

#include <QAbstractItemModel>

#include <vector>

namespace qs {

class LayerGroupModel : public QAbstractItemModel {
    Q_OBJECT
public:
    explicit LayerGroupModel(TensorTableModel *source, QObject *parent = nullptr);

    // The index of a tensor (a row of the source table) in the tree, and back: -1 for a group row.
    QModelIndex indexForTensor(int tensorRow, int column = 0) const;
    int tensorRow(const QModelIndex &index) const;
    int groupCount() const { return static_cast<int>(m_groups.size()); }
    int groupLayer(int group) const { return m_groups[static_cast<size_t>(group)].layer; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

private:
    struct Group {
        int layer = -1; // -1: the model-wide tensors
        std::vector<int> rows; // source rows, in the source's order
    };
    void rebuild();
    QVariant groupData(const Group &g, int column, int role) const;

    TensorTableModel *m_source;
    std::vector<Group> m_groups;
    std::vector<std::pair<int, int>> m_where; // source row -> (group, position)
};

} // namespace qs
