#include "quantize_dialog.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

namespace qs {

namespace {

bool hasMethod(const Plan &plan, IntGroupMethod method)
{
    const auto formats = plan.groupFormats();
    return std::any_of(formats.begin(), formats.end(), [&](const IntGroupFormat &f) { return f.method == method; });
}

// A line edit with a Browse… button beside it.
QWidget *withBrowse(QLineEdit *edit, QPushButton *browse, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

enum Source { BuiltIn, TextFile, WindowsFile };

} // namespace

QuantizeDialog::QuantizeDialog(const Plan &plan, const QString &folder, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Quantize — %1").arg(QString::fromStdString(plan.label())));
    auto *layout = new QVBoxLayout(this);

    auto *calibBox = new QGroupBox(tr("Calibration"), this);
    auto *calibForm = new QFormLayout(calibBox);
    m_source = new QComboBox(calibBox);
    m_source->setObjectName(QStringLiteral("calibSource"));
    m_source->addItems({tr("Built-in sample text"), tr("A text file"), tr("A windows file (.json) and its text")});
    m_source->setToolTip(tr("Random windows of a UTF-8 text, or the exact windows a .json file lists (offsets into the ids of its text)"));
    calibForm->addRow(tr("Text:"), m_source);
    m_calibPath = new QLineEdit(calibBox);
    m_calibPath->setObjectName(QStringLiteral("calibPath"));
    m_browseCalib = new QPushButton(tr("Browse…"), calibBox);
    connect(m_browseCalib, &QPushButton::clicked, this, [this] {
        const bool windows = m_source->currentIndex() == WindowsFile;
        const QString f = QFileDialog::getOpenFileName(this, windows ? tr("Calibration windows") : tr("Calibration text"), {},
                                                       windows ? tr("Windows files (*.json)") : tr("UTF-8 text (*.txt);;All files (*)"));
        if (!f.isEmpty())
            m_calibPath->setText(f);
    });
    calibForm->addRow(tr("File:"), withBrowse(m_calibPath, m_browseCalib, calibBox));
    m_calibText = new QLineEdit(calibBox);
    m_calibText->setObjectName(QStringLiteral("calibText"));
    m_calibText->setToolTip(tr("The text whose token ids the windows file's offsets index"));
    m_browseText = new QPushButton(tr("Browse…"), calibBox);
    connect(m_browseText, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("The text the windows index"), {}, tr("UTF-8 text (*.txt);;All files (*)"));
        if (!f.isEmpty())
            m_calibText->setText(f);
    });
    m_calibTextLabel = new QLabel(tr("Its text:"), calibBox);
    calibForm->addRow(m_calibTextLabel, withBrowse(m_calibText, m_browseText, calibBox));
    m_samples = new QSpinBox(calibBox);
    m_samples->setObjectName(QStringLiteral("calibSamples"));
    m_samples->setRange(1, 100000);
    m_samples->setValue(128);
    m_samples->setToolTip(tr("How many windows the solver sees (GPTQModel and AutoAWQ use 128)"));
    m_seqlen = new QSpinBox(calibBox);
    m_seqlen->setObjectName(QStringLiteral("calibSeqlen"));
    m_seqlen->setRange(2, 1 << 20);
    m_seqlen->setValue(512);
    m_seed = new QSpinBox(calibBox);
    m_seed->setObjectName(QStringLiteral("calibSeed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(1);
    m_seed->setToolTip(tr("Where the random windows start; the same seed picks the same windows"));
    calibForm->addRow(tr("Windows:"), m_samples);
    calibForm->addRow(tr("Tokens per window:"), m_seqlen);
    calibForm->addRow(tr("Seed:"), m_seed);
    layout->addWidget(calibBox);

    m_gptqBox = new QGroupBox(tr("GPTQ"), this);
    m_gptqBox->setObjectName(QStringLiteral("gptqSettings"));
    auto *gptqForm = new QFormLayout(m_gptqBox);
    m_actOrder = new QCheckBox(tr("Act-order (columns by decreasing Hessian diagonal)"), m_gptqBox);
    m_actOrder->setObjectName(QStringLiteral("gptqActOrder"));
    m_staticGroups = new QCheckBox(tr("Static groups (group scales fixed before the sweep)"), m_gptqBox);
    m_staticGroups->setObjectName(QStringLiteral("gptqStaticGroups"));
    m_damp = new QDoubleSpinBox(m_gptqBox);
    m_damp->setObjectName(QStringLiteral("gptqDamp"));
    m_damp->setDecimals(4);
    m_damp->setRange(0.0001, 0.9999);
    m_damp->setSingleStep(0.005);
    m_damp->setToolTip(tr("Added to the Hessian's diagonal, as a fraction of its mean; raised when the factorisation fails"));
    gptqForm->addRow(m_actOrder);
    gptqForm->addRow(m_staticGroups);
    // static groups only differ from ordinary ones when act-order reorders the columns
    connect(m_actOrder, &QCheckBox::toggled, m_staticGroups, [this](bool on) {
        m_staticGroups->setEnabled(on);
        if (!on)
            m_staticGroups->setChecked(false);
    });
    gptqForm->addRow(tr("Damping:"), m_damp);
    initGptqFields(plan);
    m_gptqBox->setVisible(hasMethod(plan, IntGroupMethod::Gptq));
    layout->addWidget(m_gptqBox);

    m_awqBox = new QGroupBox(tr("AWQ"), this);
    m_awqBox->setObjectName(QStringLiteral("awqSettings"));
    auto *awqLayout = new QVBoxLayout(m_awqBox);
    m_awqIdentity = new QCheckBox(tr("Include s = 1 (Quantscope's variant)"), m_awqBox);
    m_awqIdentity->setObjectName(QStringLiteral("awqIdentity"));
    m_awqIdentity->setToolTip(tr("The scale search also tries no scaling, so no group ends worse than round-to-nearest; "
                                 "AutoAWQ's own grid does not"));
    awqLayout->addWidget(m_awqIdentity);
    m_awqBox->setVisible(hasMethod(plan, IntGroupMethod::Awq));
    layout->addWidget(m_awqBox);

    auto *outBox = new QGroupBox(tr("Checkpoint"), this);
    auto *outForm = new QFormLayout(outBox);
    m_format = new QComboBox(outBox);
    m_format->setObjectName(QStringLiteral("checkpointFormat"));
    m_format->addItem(tr("GPTQ (GPTQModel)"), static_cast<int>(GroupCheckpointFormat::Gptq));
    m_format->addItem(tr("AWQ GEMM (AutoAWQ)"), static_cast<int>(GroupCheckpointFormat::AwqGemm));
    m_format->addItem(tr("compressed-tensors (llm-compressor)"), static_cast<int>(GroupCheckpointFormat::CompressedTensors));
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(defaultCheckpointFormat(plan))));
    m_format->setToolTip(tr("The layout transformers and vLLM load; by default the one the plan's method is usually shipped in"));
    outForm->addRow(tr("Layout:"), m_format);
    m_folder = new QLineEdit(folder, outBox);
    m_folder->setObjectName(QStringLiteral("outputFolder"));
    m_folder->setToolTip(tr("A new or empty folder (or an earlier checkpoint, which is replaced); written only when everything "
                            "succeeded and read back"));
    m_browseFolder = new QPushButton(tr("Browse…"), outBox);
    connect(m_browseFolder, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Write the checkpoint into"), m_folder->text());
        if (!d.isEmpty())
            m_folder->setText(d);
    });
    outForm->addRow(tr("Folder:"), withBrowse(m_folder, m_browseFolder, outBox));
    layout->addWidget(outBox);

    m_problemLabel = new QLabel(this);
    m_problemLabel->setObjectName(QStringLiteral("quantizeProblem"));
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problemLabel->setStyleSheet(QStringLiteral("QLabel { color: #7a1010; }"));
    layout->addWidget(m_problemLabel);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Quantize"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);

    m_problem = QuantizeSession::planProblem(plan);
    connect(m_source, &QComboBox::currentIndexChanged, this, &QuantizeDialog::updateState);
    connect(m_calibPath, &QLineEdit::textChanged, this, &QuantizeDialog::updateState);
    connect(m_calibText, &QLineEdit::textChanged, this, &QuantizeDialog::updateState);
    connect(m_folder, &QLineEdit::textChanged, this, &QuantizeDialog::updateState);
    updateState();
    setMinimumWidth(560);
}

void QuantizeDialog::initGptqFields(const Plan &plan)
{
    // what the plan says (GPTQModel's defaults unless the plan editor changed them)
    m_actOrder->setChecked(plan.gptq.actOrder);
    m_staticGroups->setChecked(plan.gptq.actOrder && plan.gptq.staticGroups);
    m_staticGroups->setEnabled(plan.gptq.actOrder);
    m_damp->setValue(plan.gptq.damp);
}

QPushButton *QuantizeDialog::quantizeButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

void QuantizeDialog::updateState()
{
    const int source = m_source->currentIndex();
    m_calibPath->setEnabled(source != BuiltIn);
    m_browseCalib->setEnabled(source != BuiltIn);
    m_calibText->setVisible(source == WindowsFile);
    m_browseText->setVisible(source == WindowsFile);
    m_calibTextLabel->setVisible(source == WindowsFile);
    // a windows file fixes the windows itself
    m_samples->setEnabled(source != WindowsFile);
    m_seqlen->setEnabled(source != WindowsFile);
    m_seed->setEnabled(source != WindowsFile);
    QString missing;
    if (source != BuiltIn && m_calibPath->text().isEmpty())
        missing = tr("Choose the calibration file.");
    else if (source == WindowsFile && m_calibText->text().isEmpty())
        missing = tr("Choose the text the windows file indexes.");
    else if (m_folder->text().isEmpty())
        missing = tr("Choose the folder to write the checkpoint to.");
    m_problemLabel->setText(m_problem.isEmpty() ? missing : m_problem);
    m_problemLabel->setVisible(!m_problemLabel->text().isEmpty());
    quantizeButton()->setEnabled(m_problem.isEmpty() && missing.isEmpty());
}

QuantizeSettings QuantizeDialog::settings() const
{
    QuantizeSettings s;
    const int source = m_source->currentIndex();
    if (source != BuiltIn)
        s.calibPath = m_calibPath->text();
    if (source == WindowsFile) {
        s.windowsFile = true;
        s.calibTextPath = m_calibText->text();
    }
    s.samples = m_samples->value();
    s.seqlen = m_seqlen->value();
    s.seed = static_cast<quint64>(m_seed->value());
    s.options.gptq.actOrder = m_actOrder->isChecked();
    s.options.gptq.staticGroups = m_staticGroups->isChecked();
    s.options.gptq.damp = m_damp->value();
    s.options.awqIdentity = m_awqIdentity->isChecked();
    s.format = static_cast<GroupCheckpointFormat>(m_format->currentData().toInt());
    s.folder = m_folder->text();
    return s;
}

} // namespace qs
