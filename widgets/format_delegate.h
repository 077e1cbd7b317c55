// Edits a tensor's format in the tensor table with a list of the formats Quantscope can write.
#pragma once

#include <QStyledItemDelegate>

namespace qs {

class FormatDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static QStringList formats(); // quantized formats, then F16, BF16, F32

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

} // namespace qs
