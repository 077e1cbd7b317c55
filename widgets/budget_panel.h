// "Fit to budget": the plan of least measured damage within a size, re-solved from the stored sensitivity as the
// budget moves (bits per weight, a size in MiB, or as large as a preset), with the plan's size, bits per weight and
// predicted KLD shown live beside the base preset's; Apply pushes the allocated plan as one undoable step. A view over
// the PlanDocument and the measured sensitivity: allocatePlan (core) does the work, in a worker, because on a large
// model its knapsack over every tensor and format can take longer than an edit may hold the event loop.
#pragma once

#include "pipeline/allocate_plan.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;

namespace qs {

class ParetoView;
class PlanDocument;

// One re-solve: the allocated plan or why there is none, and the base preset's figures for comparison.
struct BudgetSolution {
    quint64 request = 0;
    std::optional<AllocatedPlan> allocated;
    QString error;              // allocatePlan's message when it could not fit
    std::string basePreset;
    uint64_t baseBytes = 0;
    double baseBitsPerWeight = 0;
    double baseKld = 0;         // NaN: some weight's preset format was not measured
    double milliseconds = 0;    // how long allocatePlan took
};

class BudgetPanel : public QWidget {
    Q_OBJECT
public:
    enum Mode { BitsPerWeight, MiB, ThisDevice, AsLargeAsPreset };
    // The presets a budget can be "as large as", smallest first.
    static QStringList budgetPresets();

    BudgetPanel(PlanDocument *doc, QWidget *parent = nullptr);
    ~BudgetPanel() override;

    // The model the document resolves over and its measured sensitivity (either nullptr: nothing to fit).
    void setInputs(std::shared_ptr<const Model> model, std::shared_ptr<const SensitivityResults> sensitivity);
    // The device the memory bar shows ("fit this device"): its memory at the context, with the runtime, is the budget
    // in the ThisDevice mode. `label` names it in the results.
    void setDevice(const DeviceBudget &device, const QString &label);

    QComboBox *modeBox() const { return m_mode; }          // bits per weight, MiB, this device, as large as Q2_K … Q6_K
    QDoubleSpinBox *valueBox() const { return m_value; }   // bits per weight or MiB
    QSlider *slider() const { return m_slider; }           // bits per weight x 100
    QPushButton *applyButton() const { return m_apply; }
    ParetoView *paretoView() const { return m_pareto; }
    QString resultText() const;
    QString baseText() const;
    // Why the control is off (empty: it is on); also its tooltip.
    QString disabledReason() const { return m_disabledReason; }
    // The last finished re-solve for the budget shown (nullptr: none yet, or one is running).
    const BudgetSolution *solution() const { return m_pending ? nullptr : m_solution.get(); }
    bool isSolving() const { return m_pending; }
    // What Apply names its undo step ("fit to 4.50 bpw").
    QString stepName() const;

    void setMode(Mode mode);
    void setBitsPerWeight(double bpw);
    void setMiB(double mib);
    // A size as the budget: in bits per weight when that is the mode and it is within the slider's range, else in
    // MiB; rounded up to what the spin box shows, so that a plan of `bytes` fits.
    void setBudgetBytes(quint64 bytes);
    void retranslate();

public Q_SLOTS:
    void apply();

Q_SIGNALS:
    // After every re-solve, whether it fitted or not.
    void solved();

private:
    void onModeChanged();
    void onPlanChanged();
    void refreshState();
    void resolveLater();
    void startSolve();
    void onSolved();
    void showSolution();
    std::optional<Budget> currentBudget() const;

    PlanDocument *m_doc;
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const SensitivityResults> m_sensitivity;
    QLabel *m_title = nullptr, *m_budgetLabel = nullptr, *m_result = nullptr, *m_base = nullptr;
    QComboBox *m_mode = nullptr;
    QDoubleSpinBox *m_value = nullptr;
    QSlider *m_slider = nullptr;
    QPushButton *m_apply = nullptr;
    ParetoView *m_pareto = nullptr;
    QString m_disabledReason;
    std::string m_basePreset;   // the base the last solve used: a new preset in the plan re-solves
    bool m_groupPlan = false;
    double m_bpw = 4.5, m_mib = 0;
    std::optional<DeviceBudget> m_device;
    QString m_deviceLabel;
    QFutureWatcher<BudgetSolution> m_watcher;
    std::unique_ptr<BudgetSolution> m_solution;
    quint64 m_request = 0;
    bool m_pending = false;     // a re-solve for the budget shown has not finished
    bool m_again = false;       // the budget moved while a re-solve ran
};

} // namespace qs
