#include "format_delegate.h"

#include <QComboBox>

namespace qs {

QStringList FormatDelegate::formats()
{
    return {QStringLiteral("Q2_K"), QStringLiteral("Q3_K"), QStringLiteral("Q4_0"), QStringLiteral("Q4_1"), QStringLiteral("IQ4_NL"),
            QStringLiteral("IQ4_XS"), QStringLiteral("Q4_K"), QStringLiteral("Q5_0"), QStringLiteral("Q5_1"), QStringLiteral("Q5_K"),
            QStringLiteral("Q6_K"), QStringLiteral("Q8_0"), QStringLiteral("F16"), QStringLiteral("BF16"), QStringLiteral("F32")};
}

QWidget *FormatDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *box = new QComboBox(parent);
    box->addItems(formats());
    box->setAccessibleName(tr("Tensor format"));
    box->setToolTip(tr("The format this tensor is written in"));
    return box;
}

void FormatDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *box = static_cast<QComboBox *>(editor);
    box->setCurrentIndex(std::max(0, box->findText(index.data(Qt::EditRole).toString())));
}

void FormatDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentText(), Qt::EditRole);
}

} // namespace qs
