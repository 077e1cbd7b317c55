// Chooses an integer group format (GPTQ, AWQ or round-to-nearest; bits; group size or per-channel; symmetric) for
// a rule or a tensor: what the format editor's "Other…" opens. The same choices fill the plan panel's row for the
// plan-wide format, through the fill helpers.
#pragma once

#include "formats/int_group.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;

namespace qs {

class GroupFormatDialog : public QDialog {
    Q_OBJECT
public:
    explicit GroupFormatDialog(QWidget *parent = nullptr);

    void setFormat(const IntGroupFormat &format);
    IntGroupFormat format() const;

    QComboBox *methodBox() const { return m_method; }
    QComboBox *bitsBox() const { return m_bits; }
    QComboBox *groupBox() const { return m_group; }
    QCheckBox *symmetricBox() const { return m_symmetric; }

    // The choices every group format editor offers; item data is the value (IntGroupMethod as int, bits, group size
    // with -1 for per-channel).
    static void fillMethods(QComboBox *box);
    static void fillBits(QComboBox *box);
    static void fillGroups(QComboBox *box);
    // Sets the texts and tooltips of boxes filled above in the interface's language (any may be nullptr).
    static void translateChoices(QComboBox *methods, QComboBox *bits, QComboBox *groups);
    // Selects the item whose data is `value`; false when there is none.
    static bool selectData(QComboBox *box, int value);

private:
    void updatePreview();

    QComboBox *m_method = nullptr, *m_bits = nullptr, *m_group = nullptr;
    QCheckBox *m_symmetric = nullptr;
    QLabel *m_preview = nullptr;
};

} // namespace qs
