#include "format_delegate.h"

#include "group_format_dialog.h"
#include "plan/plan.h"

#include <QComboBox>
#include <QPointer>
#include <QTimer>

namespace qs {

namespace {

// The "Other…" item carries this as its data; every format item carries its own name.
const QString kOther = QStringLiteral("\x01other");

} // namespace

QStringList FormatDelegate::formats()
{
    return {QStringLiteral("Q2_K"), QStringLiteral("Q3_K"), QStringLiteral("Q4_0"), QStringLiteral("Q4_1"), QStringLiteral("IQ4_NL"),
            QStringLiteral("IQ4_XS"), QStringLiteral("Q4_K"), QStringLiteral("Q5_0"), QStringLiteral("Q5_1"), QStringLiteral("Q5_K"),
            QStringLiteral("Q6_K"), QStringLiteral("Q8_0"), QStringLiteral("F16"), QStringLiteral("BF16"), QStringLiteral("F32")};
}

QStringList FormatDelegate::groupFormats()
{
    // what GPTQModel and AutoAWQ publish most: 4-bit g128, and the neighbours people try next
    QStringList names;
    for (const IntGroupFormat &f : {IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128), IntGroupFormat::make(IntGroupMethod::Gptq, 8, 128),
                                    IntGroupFormat::make(IntGroupMethod::Gptq, 3, 128), IntGroupFormat::make(IntGroupMethod::Gptq, 2, 64),
                                    IntGroupFormat::make(IntGroupMethod::Awq, 4, 128), IntGroupFormat::make(IntGroupMethod::Rtn, 4, 128),
                                    IntGroupFormat::make(IntGroupMethod::Rtn, 8, -1)})
        names << QString::fromStdString(f.name());
    return names;
}

QSize FormatDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), option.fontMetrics.horizontalAdvance(QStringLiteral("GPTQ 4-bit g128")) + 12));
    return s;
}

QWidget *FormatDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const
{
    auto *box = new QComboBox(parent);
    for (const QString &f : formats())
        box->addItem(f, f);
    box->insertSeparator(box->count());
    for (const QString &g : groupFormats())
        box->addItem(g, g);
    box->addItem(tr("Other…"), kOther);
    box->setItemData(box->count() - 1, tr("Another GPTQ, AWQ or RTN format: method, bits, group size, symmetric"), Qt::ToolTipRole);
    box->setMaxVisibleItems(box->count());
    box->setAccessibleName(tr("Format"));
    box->setToolTip(tr("The format: a GGUF type for llama.cpp, or an integer group format (GPTQ, AWQ, RTN) for a Hugging Face checkpoint"));
    const QPersistentModelIndex target(index);
    connect(box, &QComboBox::activated, this, [this, box, target](int i) {
        if (box->itemData(i).toString() != kOther)
            return;
        // the editor goes first: a modal dialog would take its focus and end the edit under it
        auto *self = const_cast<FormatDelegate *>(this);
        const QPointer<QWidget> window = box->window();
        Q_EMIT self->closeEditor(box, QAbstractItemDelegate::RevertModelCache);
        QTimer::singleShot(0, self, [self, window, target] { self->chooseOther(window, target); });
    });
    return box;
}

void FormatDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *box = static_cast<QComboBox *>(editor);
    const QString current = index.data(Qt::EditRole).toString();
    int i = box->findData(current);
    if (i < 0) { // a group format the list does not offer (from a plan file or "Other…"): offered above "Other…"
        if (auto f = parsePlanFormat(current.toStdString()); f && f->kind == QuantFormat::Kind::IntGroup) {
            const QString name = QString::fromStdString(f->group.name());
            i = box->findData(name);
            if (i < 0) {
                i = box->count() - 1;
                box->insertItem(i, name, name);
            }
        }
    }
    box->setCurrentIndex(std::max(0, i));
}

void FormatDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    const QString chosen = static_cast<QComboBox *>(editor)->currentData().toString();
    if (chosen != kOther) // "Other…" answers through its dialog
        model->setData(index, chosen, Qt::EditRole);
}

void FormatDelegate::chooseOther(QWidget *window, const QPersistentModelIndex &target)
{
    GroupFormatDialog dialog(window);
    if (auto f = parsePlanFormat(target.data(Qt::EditRole).toString().toStdString()); f && f->kind == QuantFormat::Kind::IntGroup)
        dialog.setFormat(f->group);
    QTimer::singleShot(0, this, [this, &dialog] { Q_EMIT otherDialogOpened(&dialog); });
    if (dialog.exec() != QDialog::Accepted || !target.isValid())
        return;
    const QString name = QString::fromStdString(dialog.format().name());
    const_cast<QAbstractItemModel *>(target.model())->setData(target, name, Qt::EditRole);
}

} // namespace qs
