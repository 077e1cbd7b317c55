// Edits a format (a tensor's in the tensor table, a rule's in the rule table) with a list of the formats Quantscope
// can write: the GGUF formats, a separator, the common integer group formats (GPTQ, AWQ, RTN) and "Other…", which
// opens a GroupFormatDialog. The model receives a GGUF type name or a group format's readable name.
#pragma once

#include <QPersistentModelIndex>
#include <QStyledItemDelegate>

namespace qs {

class FormatDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static QStringList formats();      // quantized GGUF formats, then F16, BF16, F32
    static QStringList groupFormats(); // the common integer group formats, by readable name ("GPTQ 4-bit g128")

    // Wide enough for a common group format's name ("GPTQ 4-bit g128"), so that fitting a column to its contents
    // leaves room for one chosen later.
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

Q_SIGNALS:
    // "Other…" opened its dialog (for tests: the dialog is modal and still open when this is emitted).
    void otherDialogOpened(QDialog *dialog);

private:
    // "Other…": the editor closes, a GroupFormatDialog asks for the format, and the choice goes to `target`.
    void chooseOther(QWidget *window, const QPersistentModelIndex &target);
};

} // namespace qs
