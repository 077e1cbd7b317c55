#include "tensor_browser.h"

#include "format_delegate.h"
#include "header_fit.h"
#include "layer_group_model.h"
#include "tensor_table_model.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace qs {

namespace {

// The flat table and the layer tree show the same columns and are edited the same way.
template <class View>
void setUpTensorView(View *view, const QString &objectName, QAbstractItemModel *model, int sortColumn)
{
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->sortByColumn(sortColumn, Qt::AscendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setItemDelegateForColumn(TensorTableModel::Format, new FormatDelegate(view));
    // the name on the other side of the mapping is the Name column's tooltip: room for the plan and error columns
    view->setColumnHidden(TensorTableModel::OtherName, true);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked | QAbstractItemView::EditKeyPressed);
}

QSortFilterProxyModel *nameFilter(QAbstractItemModel *source, QObject *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setSortRole(TensorTableModel::SortRole);
    proxy->setFilterKeyColumn(TensorTableModel::Name);
    proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    return proxy;
}

} // namespace

TensorBrowser::TensorBrowser(TensorTableModel *table, QWidget *parent) : QWidget(parent), m_table(table)
{
    m_proxy = nameFilter(m_table, this);
    // grouped by layer: a tree over the same table, filtered so that a layer shows while any of its tensors match
    m_groupModel = new LayerGroupModel(m_table, this);
    m_groupProxy = nameFilter(m_groupModel, this);
    m_groupProxy->setRecursiveFilteringEnabled(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_filterBar = new QWidget(this);
    m_filter = new QLineEdit(m_filterBar);
    m_filter->setObjectName(QStringLiteral("tensorFilter"));
    m_filter->setClearButtonEnabled(true);
    m_regex = new QCheckBox(m_filterBar);
    auto applyFilter = [this] {
        for (QSortFilterProxyModel *proxy : {m_proxy, m_groupProxy}) {
            if (m_regex->isChecked())
                proxy->setFilterRegularExpression(QRegularExpression(m_filter->text(), QRegularExpression::CaseInsensitiveOption));
            else
                proxy->setFilterFixedString(m_filter->text());
        }
    };
    connect(m_filter, &QLineEdit::textChanged, this, applyFilter);
    connect(m_regex, &QCheckBox::toggled, this, applyFilter);
    m_group = new QCheckBox(m_filterBar);
    connect(m_group, &QCheckBox::toggled, this, &TensorBrowser::setGroupByLayer);
    auto *filterBar = new QHBoxLayout(m_filterBar);
    filterBar->setContentsMargins(0, 0, 0, 0);
    filterBar->addWidget(m_filter, 1);
    filterBar->addWidget(m_regex);
    filterBar->addWidget(m_group);

    m_view = new QTableView(this);
    setUpTensorView(m_view, QStringLiteral("tensorView"), m_proxy, TensorTableModel::Index);
    keepHeaderTitlesWhole(m_view->horizontalHeader());
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_tree = new QTreeView(this);
    setUpTensorView(m_tree, QStringLiteral("layerTree"), m_groupProxy, TensorTableModel::Layer);
    keepHeaderTitlesWhole(m_tree->header());
    m_tree->setUniformRowHeights(true);
    auto follow = [this](int row) {
        if (row >= 0 && !m_selecting) {
            m_selected = row;
            Q_EMIT tensorSelected(row);
        }
    };
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this, follow](const QModelIndex &current) { follow(m_groupModel->tensorRow(m_groupProxy->mapToSource(current))); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this, follow](const QModelIndex &current) {
        if (current.isValid())
            follow(m_proxy->mapToSource(current).row());
    });
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_tree);
    layout->addWidget(m_stack, 1);
    retranslate();
}

void TensorBrowser::selectTensor(int modelRow)
{
    {
        // both views follow; their selection handlers stay quiet so the tensor is shown (and previewed) once
        const QScopedValueRollback<bool> quiet(m_selecting, true);
        const QModelIndex idx = m_proxy->mapFromSource(m_table->index(modelRow, 0));
        if (idx.isValid())
            m_view->setCurrentIndex(idx);
        const QModelIndex inTree = m_groupProxy->mapFromSource(m_groupModel->indexForTensor(modelRow));
        if (inTree.isValid()) {
            m_tree->expand(inTree.parent());
            m_tree->setCurrentIndex(inTree);
        }
    }
    m_selected = modelRow;
    Q_EMIT tensorSelected(modelRow);
}

void TensorBrowser::setGroupByLayer(bool on)
{
    if (m_group->isChecked() != on)
        m_group->setChecked(on);
    m_stack->setCurrentWidget(on ? static_cast<QWidget *>(m_tree) : m_view);
    if (m_selected >= 0)
        selectTensor(m_selected); // the same tensor stays selected, its layer open
}

int TensorBrowser::firstQuantizableRow() const
{
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        if (const int row = m_proxy->mapToSource(m_proxy->index(r, 0)).row(); m_table->quantizable(row))
            return row;
    return -1;
}

void TensorBrowser::fitColumns()
{
    m_selected = -1;
    m_view->resizeColumnsToContents();
    for (int c = 0; c < TensorTableModel::ColumnCount; ++c) { // the tensors' widths, or the bold layer totals' where wider
        m_tree->resizeColumnToContents(c);
        m_tree->setColumnWidth(c, std::max(m_tree->columnWidth(c), m_view->columnWidth(c) + (c == TensorTableModel::Index ? 40 : 0)));
    }
    // a layer's row lists its formats: "Q4_K ×7, Q6_K ×2, F32 ×2"
    QFont bold = m_tree->font();
    bold.setBold(true);
    m_tree->setColumnWidth(TensorTableModel::Format, std::max(m_tree->columnWidth(TensorTableModel::Format),
                                                              QFontMetrics(bold).horizontalAdvance(QStringLiteral("Q4_K ×7, Q6_K ×2, F32 ×2")) + 16));
}

void TensorBrowser::retranslate()
{
    m_filter->setPlaceholderText(tr("Filter tensors by name (e.g. ffn_down or blk.3.)"));
    m_filter->setAccessibleName(tr("Tensor filter"));
    m_filter->setToolTip(tr("Show only tensors whose name contains this text"));
    m_regex->setText(tr("Re&gex"));
    m_regex->setToolTip(tr("Treat the filter as a regular expression, e.g. blk\\.[0-3]\\.ffn_down"));
    m_group->setText(tr("Group by &layer"));
    m_group->setToolTip(tr("Show the tensors as a tree of layers, each with its size, bits per weight, formats and error under the plan"));
    m_tree->setAccessibleName(tr("Tensors by layer"));
    m_view->setAccessibleName(tr("Tensor table"));
}

} // namespace qs
