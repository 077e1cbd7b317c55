// The memory bar under the plan: the device (or a custom budget), the runtime, the context, and the stacked VRAM
// estimate of the current plan against the device. A view over the PlanDocument, redrawn on planChanged; it also
// builds the hardware-fit report of the same inputs.
#pragma once

#include "common/result.h"
#include "pipeline/allocate_plan.h"
#include "vram/fit_report.h"
#include "vram/hardware_fit.h"
#include "vram/memory_estimate.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace qs {

class PlanDocument;
class VramBar;

class MemoryPanel : public QWidget {
    Q_OBJECT
public:
    MemoryPanel(PlanDocument *doc, QWidget *parent = nullptr);

    VramBar *vramBar() const { return m_vram; }
    int contextLength() const;
    void setContextLength(int tokens); // rounded up to a power of two, 512..131072
    void setDevice(const QString &id);  // an id from the hardware database, or empty for the custom budget
    void setRuntime(const QString &name);
    void setMemoryBudgetMiB(int mib);   // selects the custom budget
    // The fit report of the current plan: the chosen device and common GPUs.
    Result<FitReport> hardwareReport() const;
    // The device, context and runtime picked here as a budget for fitting a plan ("fit this device"), and what to
    // call it ("GeForce RTX 4090 at 4,096 tokens, llama.cpp").
    DeviceBudget deviceBudget() const;
    QString deviceBudgetText() const;
    void retranslate();

Q_SIGNALS:
    void message(const QString &line); // for the log: a hardware database that did not load
    void targetChanged();               // the device, its memory, the runtime or the context changed

private:
    void refresh();
public:
    Device currentDevice() const; // the picked device, or the custom budget as one
private:
    // The runtime picked and the weights it loads; an error says why the pair makes no sense (a GPTQ plan on
    // llama.cpp, a GGUF file on vLLM).
    Result<EstimateOptions> estimateInputs(WeightBytes *weights) const;

    PlanDocument *m_doc;
    std::vector<Device> m_devices;
    QLabel *m_deviceLabel = nullptr, *m_budgetLabel = nullptr, *m_contextLabel = nullptr, *m_contextValue = nullptr;
    QComboBox *m_device = nullptr, *m_runtime = nullptr;
    QSpinBox *m_budget = nullptr;
    QSlider *m_context = nullptr;
    VramBar *m_vram = nullptr;
};

} // namespace qs
