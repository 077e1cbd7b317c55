#include "group_format_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace qs {

GroupFormatDialog::GroupFormatDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Integer group format"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_method = new QComboBox(this);
    m_method->setObjectName(QStringLiteral("groupMethod"));
    fillMethods(m_method);
    m_bits = new QComboBox(this);
    m_bits->setObjectName(QStringLiteral("groupBits"));
    fillBits(m_bits);
    m_group = new QComboBox(this);
    m_group->setObjectName(QStringLiteral("groupSize"));
    fillGroups(m_group);
    m_symmetric = new QCheckBox(tr("Symmetric (no zero point)"), this);
    m_symmetric->setObjectName(QStringLiteral("groupSymmetric"));
    form->addRow(tr("Method:"), m_method);
    form->addRow(tr("Bits:"), m_bits);
    form->addRow(tr("Group:"), m_group);
    form->addRow(QString(), m_symmetric);
    layout->addLayout(form);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("groupPreview"));
    layout->addWidget(m_preview);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // a method brings its reference tool's grid: GPTQModel symmetric, AutoAWQ and RTN with a zero point
    connect(m_method, &QComboBox::activated, this, [this] {
        m_symmetric->setChecked(IntGroupFormat::defaultSymmetric(static_cast<IntGroupMethod>(m_method->currentData().toInt())));
        updatePreview();
    });
    connect(m_bits, &QComboBox::activated, this, &GroupFormatDialog::updatePreview);
    connect(m_group, &QComboBox::activated, this, &GroupFormatDialog::updatePreview);
    connect(m_symmetric, &QCheckBox::toggled, this, &GroupFormatDialog::updatePreview);
    setFormat(IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128));
}

void GroupFormatDialog::fillMethods(QComboBox *box)
{
    box->addItem(QStringLiteral("GPTQ"), static_cast<int>(IntGroupMethod::Gptq));
    box->addItem(QStringLiteral("AWQ"), static_cast<int>(IntGroupMethod::Awq));
    box->addItem(QStringLiteral("RTN"), static_cast<int>(IntGroupMethod::Rtn));
    translateChoices(box, nullptr, nullptr);
}

void GroupFormatDialog::fillBits(QComboBox *box)
{
    for (int b : {2, 3, 4, 8})
        box->addItem(QString(), b);
    translateChoices(nullptr, box, nullptr);
}

void GroupFormatDialog::fillGroups(QComboBox *box)
{
    for (int g : {32, 64, 128, -1})
        box->addItem(QString(), g);
    translateChoices(nullptr, nullptr, box);
}

void GroupFormatDialog::translateChoices(QComboBox *methods, QComboBox *bits, QComboBox *groups)
{
    if (methods)
        methods->setToolTip(tr("GPTQ: error-compensated rounding on calibration text; AWQ: activation-aware scaling; RTN: round to nearest"));
    if (bits) {
        for (int i = 0; i < bits->count(); ++i)
            bits->setItemText(i, tr("%1-bit").arg(bits->itemData(i).toInt()));
        bits->setToolTip(tr("Bits per weight of the integers"));
    }
    if (groups) {
        for (int i = 0; i < groups->count(); ++i) {
            const int g = groups->itemData(i).toInt();
            groups->setItemText(i, g < 0 ? tr("per-channel") : QStringLiteral("g%1").arg(g));
        }
        groups->setToolTip(tr("Input columns that share one scale: a group size, or one scale per output row (per-channel)"));
    }
}

bool GroupFormatDialog::selectData(QComboBox *box, int value)
{
    const int i = box->findData(value);
    if (i < 0)
        return false;
    box->setCurrentIndex(i);
    return true;
}

void GroupFormatDialog::setFormat(const IntGroupFormat &f)
{
    selectData(m_method, static_cast<int>(f.method));
    selectData(m_bits, f.bits);
    if (!selectData(m_group, f.groupSize)) { // a group size read from a plan file, such as g256
        m_group->addItem(QStringLiteral("g%1").arg(f.groupSize), f.groupSize);
        selectData(m_group, f.groupSize);
    }
    m_symmetric->setChecked(f.symmetric);
    updatePreview();
}

IntGroupFormat GroupFormatDialog::format() const
{
    return {static_cast<IntGroupMethod>(m_method->currentData().toInt()), m_bits->currentData().toInt(), m_group->currentData().toInt(),
            m_symmetric->isChecked()};
}

void GroupFormatDialog::updatePreview() { m_preview->setText(QString::fromStdString(format().name())); }

} // namespace qs
