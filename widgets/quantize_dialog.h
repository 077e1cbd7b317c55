// The Quantize dialog: what a GPTQ/AWQ run calibrates on (the built-in sample, a text file, or a windows file and
// the text it indexes; samples, tokens per window, seed), the solver's settings the plan's formats call for (GPTQ's
// act-order, static groups and damping; AWQ's s = 1 variant), the checkpoint layout and the folder. A plan one run
// cannot produce is refused here, with the reason, before anything runs.
#pragma once

#include "plan/plan.h"
#include "quantize_session.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace qs {

class QuantizeDialog : public QDialog {
    Q_OBJECT
public:
    // `folder`: the output folder suggested (the person may change it).
    QuantizeDialog(const Plan &plan, const QString &folder, QWidget *parent = nullptr);

    QuantizeSettings settings() const;
    // Why the plan cannot be quantized (empty: it can); the dialog shows it and its Quantize button stays disabled.
    QString problem() const { return m_problem; }
    QPushButton *quantizeButton() const;
    QGroupBox *gptqBox() const { return m_gptqBox; }
    QGroupBox *awqBox() const { return m_awqBox; }

private:
    // The GPTQ fields' starting values: the one place to read plan-wide GPTQ settings from, once the plan has them.
    void initGptqFields(const Plan &plan);
    void updateState();

    QString m_problem;
    QComboBox *m_source = nullptr, *m_format = nullptr;
    QLineEdit *m_calibPath = nullptr, *m_calibText = nullptr, *m_folder = nullptr;
    QPushButton *m_browseCalib = nullptr, *m_browseText = nullptr, *m_browseFolder = nullptr;
    QLabel *m_calibTextLabel = nullptr, *m_problemLabel = nullptr;
    QSpinBox *m_samples = nullptr, *m_seqlen = nullptr, *m_seed = nullptr;
    QGroupBox *m_gptqBox = nullptr, *m_awqBox = nullptr;
    QCheckBox *m_actOrder = nullptr, *m_staticGroups = nullptr, *m_awqIdentity = nullptr;
    QDoubleSpinBox *m_damp = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace qs
