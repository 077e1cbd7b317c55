// Every tensor of the model, as a flat sortable table or as a tree of layers with each layer's totals, filtered by
// text or a regular expression; both views follow one selection. A view over the tensor table model.
#pragma once

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace qs {

class LayerGroupModel;
class TensorTableModel;

class TensorBrowser : public QWidget {
    Q_OBJECT
public:
    TensorBrowser(TensorTableModel *table, QWidget *parent = nullptr);

    QTableView *tableView() const { return m_view; }
    QTreeView *layerTree() const { return m_tree; }
    LayerGroupModel *layerGroups() const { return m_groupModel; }
    // The filter and grouping controls, for the window to place above everything the filter concerns.
    QWidget *filterBar() const { return m_filterBar; }

    // Both views select the tensor (its layer opens); tensorSelected() follows once.
    void selectTensor(int modelRow);
    void setGroupByLayer(bool on);
    // After a model opens: columns sized to it, and the first tensor a plan may quantize, as the table lists it.
    int firstQuantizableRow() const;
    void fitColumns();
    void retranslate();

Q_SIGNALS:
    void tensorSelected(int modelRow);

private:
    TensorTableModel *m_table;
    QSortFilterProxyModel *m_proxy = nullptr, *m_groupProxy = nullptr;
    LayerGroupModel *m_groupModel = nullptr;
    QTableView *m_view = nullptr;
    QTreeView *m_tree = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_filterBar = nullptr;
    QLineEdit *m_filter = nullptr;
    QCheckBox *m_regex = nullptr, *m_group = nullptr;
    int m_selected = -1;
    bool m_selecting = false; // selectTensor is moving both views: their handlers leave the showing to it
};

} // namespace qs
