#include "memory_panel.h"

#include "number_text.h"
#include "plan_document.h"
#include "vram_bar.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>

#include <algorithm>

namespace qs {

namespace {

Device customBudget(int mib, const QString &name)
{
    Device d;
    d.id = "custom";
    d.name = name.toStdString();
    d.kind = "gpu";
    d.memoryGiB = mib / 1024.0;
    d.bandwidthGBs = 1;
    return d;
}

QString tokensText(int n) { return n >= 1024 ? QStringLiteral("%1k").arg(integerText(n / 1024)) : integerText(n); }

} // namespace

MemoryPanel::MemoryPanel(PlanDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    auto *bar = new QHBoxLayout(this);
    bar->setContentsMargins(0, 0, 0, 0);
    m_deviceLabel = new QLabel(this);
    bar->addWidget(m_deviceLabel);
    m_device = new QComboBox(this);
    m_device->addItem(QString(), QString()); // the custom budget; its text is set in retranslate()
    if (auto devices = loadHardware()) {
        m_devices = std::move(*devices);
        for (const Device &d : m_devices)
            m_device->addItem(QString::fromStdString(d.name), QString::fromStdString(d.id));
    } else {
        // the window connects message() after construction: say it on the next turn of the event loop
        const QString why = QString::fromStdString(devices.error().describe());
        QMetaObject::invokeMethod(this, [this, why] { Q_EMIT message(why); }, Qt::QueuedConnection);
    }
    bar->addWidget(m_device);
    // what runs it: llama.cpp runs the GGUF plan; transformers and vLLM the checkpoint as stored or a GPTQ/AWQ plan
    m_runtime = new QComboBox(this);
    m_runtime->addItem(QStringLiteral("llama.cpp"), QStringLiteral("llama.cpp"));
    m_runtime->addItem(QStringLiteral("transformers"), QStringLiteral("transformers"));
    m_runtime->addItem(QStringLiteral("vLLM"), QStringLiteral("vllm"));
    connect(m_runtime, &QComboBox::currentIndexChanged, this, &MemoryPanel::refresh);
    connect(m_runtime, &QComboBox::currentIndexChanged, this, &MemoryPanel::targetChanged);
    bar->addWidget(m_runtime);
    m_budgetLabel = new QLabel(this);
    bar->addWidget(m_budgetLabel);
    m_budget = new QSpinBox(this);
    m_budget->setRange(1, 1 << 20);
    m_budget->setValue(8192);
    connect(m_budget, &QSpinBox::valueChanged, this, &MemoryPanel::refresh);
    connect(m_budget, &QSpinBox::valueChanged, this, &MemoryPanel::targetChanged);
    m_contextLabel = new QLabel(this);
    m_context = new QSlider(Qt::Horizontal, this);
    m_context->setRange(9, 17); // 2^9 = 512 .. 2^17 = 131072 tokens
    m_context->setPageStep(1);
    m_context->setValue(QSettings().value(QStringLiteral("context"), 12).toInt());
    m_context->setMaximumWidth(140);
    m_contextValue = new QLabel(this);
    m_contextValue->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("128k")) + 4);
    connect(m_context, &QSlider::valueChanged, this, [this](int v) {
        QSettings().setValue(QStringLiteral("context"), v);
        refresh();
        Q_EMIT targetChanged();
    });
    connect(m_device, &QComboBox::currentIndexChanged, this, [this](int) {
        const QString id = m_device->currentData().toString();
        m_budget->setEnabled(id.isEmpty());
        QSettings().setValue(QStringLiteral("device"), id);
        refresh();
        Q_EMIT targetChanged();
    });
    const int remembered = m_device->findData(QSettings().value(QStringLiteral("device"), QStringLiteral("rtx-4090")).toString());
    m_device->setCurrentIndex(std::max(0, remembered));
    m_budget->setEnabled(m_device->currentData().toString().isEmpty());
    m_vram = new VramBar(this);
    bar->addWidget(m_budget);
    bar->addWidget(m_contextLabel);
    bar->addWidget(m_context);
    bar->addWidget(m_contextValue);
    bar->addWidget(m_vram, 1);
    connect(doc, &PlanDocument::planChanged, this, &MemoryPanel::refresh);
    retranslate();
}

void MemoryPanel::setMemoryBudgetMiB(int mib)
{
    m_device->setCurrentIndex(0);
    m_budget->setValue(mib);
}

void MemoryPanel::setRuntime(const QString &name) { m_runtime->setCurrentIndex(std::max(0, m_runtime->findData(name))); }

void MemoryPanel::setDevice(const QString &id) { m_device->setCurrentIndex(std::max(0, m_device->findData(id))); }

int MemoryPanel::contextLength() const { return 1 << m_context->value(); }

void MemoryPanel::setContextLength(int tokens)
{
    int log2 = 9;
    while (log2 < 17 && (1 << log2) < tokens)
        ++log2;
    m_context->setValue(log2);
}

Device MemoryPanel::currentDevice() const
{
    const int index = m_device->currentIndex();
    return index > 0 && index - 1 < static_cast<int>(m_devices.size()) ? m_devices[static_cast<size_t>(index - 1)]
                                                                        : customBudget(m_budget->value(), tr("the budget"));
}

void MemoryPanel::refresh()
{
    if (!m_vram)
        return; // still building the panel
    m_contextValue->setText(tokensText(contextLength()));
    const Model *model = m_doc->model();
    if (!model) {
        m_vram->clear();
        return;
    }
    const Device device = currentDevice();
    WeightBytes weights;
    auto options = estimateInputs(&weights);
    if (!options) {
        m_vram->clear(QString::fromStdString(options.error().message));
        return;
    }
    auto fit = fitOnDevice(model->architecture(), weights, *options, device);
    if (!fit) {
        m_vram->clear(QString::fromStdString(fit.error().message));
        return;
    }
    m_vram->setEstimate(fit->memory, fit->limit, QString::fromStdString(device.name));
}

Result<EstimateOptions> MemoryPanel::estimateInputs(WeightBytes *weights) const
{
    const Model *model = m_doc->model();
    const Plan &plan = m_doc->plan();
    EstimateOptions options;
    options.context = contextLength();
    auto runtime = parseRuntime(m_runtime->currentData().toString().toStdString());
    if (!runtime)
        return runtime.error();
    options.runtime = *runtime;
    const WeightBytes planned = plannedWeightBytes(m_doc->resolved(), model->architecture(), plan.label() + " plan");
    if (isLlamaCpp(options.runtime)) {
        if (plan.hasGroupQuant())
            return makeError(tr("A GPTQ/AWQ plan runs on transformers or vLLM: pick one of them").toStdString());
        *weights = planned;
        return options;
    }
    // transformers and vLLM load a Hugging Face checkpoint: as stored, or packed as the plan's GPTQ/AWQ choice
    if (model->format() == ModelFormat::Gguf)
        return makeError(tr("%1 loads Hugging Face checkpoints, not GGUF files").arg(m_runtime->currentText()).toStdString());
    options.kvType = KvCacheType::BF16;
    *weights = plan.hasGroupQuant() ? planned : modelWeightBytes(*model);
    return options;
}

DeviceBudget MemoryPanel::deviceBudget() const
{
    DeviceBudget d;
    d.device = currentDevice();
    d.context = contextLength();
    // a GGUF plan: llama.cpp (its CUDA, Metal or CPU backend, as the device is) or vLLM; transformers is refused by the
    // allocation with its reason
    if (auto r = parseRuntime(m_runtime->currentData().toString().toStdString())) {
        d.runtime = *r;
        d.runtimeGiven = true;
    }
    d.kvType = isLlamaCpp(d.runtime) ? KvCacheType::F16 : KvCacheType::BF16;
    return d;
}

QString MemoryPanel::deviceBudgetText() const
{
    return tr("%1 at %2 tokens, %3").arg(QString::fromStdString(currentDevice().name), integerText(contextLength()), m_runtime->currentText());
}

Result<FitReport> MemoryPanel::hardwareReport() const
{
    const Model *model = m_doc->model();
    if (!model)
        return makeError(tr("Open a model first").toStdString());
    FitSubject subject;
    subject.label = QFileInfo(QString::fromStdString(model->path())).fileName().toStdString();
    subject.arch = model->architecture();
    auto tensors = planTensorsFor(*model);
    if (!tensors)
        return tensors.error();
    subject.tensors = *tensors;
    auto options = estimateInputs(&subject.weights);
    if (!options)
        return options.error();
    std::vector<Device> devices;
    devices.push_back(currentDevice());
    for (const char *id : {"rtx-3060-12gb", "rtx-4060-ti-16gb", "rtx-4090", "rtx-5090", "a100-80gb", "h100-sxm"})
        if (auto d = findDevice(m_devices, id); d && d->id != devices.front().id)
            devices.push_back(*d);
    return buildFitReport(subject, *options, devices);
}

void MemoryPanel::retranslate()
{
    m_deviceLabel->setText(tr("Device:"));
    m_device->setItemText(0, tr("Custom budget"));
    m_device->setAccessibleName(tr("Device"));
    m_runtime->setAccessibleName(tr("Runtime"));
    m_runtime->setToolTip(tr("What runs the model: llama.cpp the GGUF plan; transformers or vLLM the checkpoint as stored, "
                             "or the plan's GPTQ/AWQ choice"));
    m_device->setToolTip(tr("The device the plan must fit: memory, context and speed are estimated for it"));
    m_budgetLabel->setText(tr("Budget:"));
    m_budget->setSuffix(tr(" MiB"));
    m_budget->setAccessibleName(tr("Memory budget"));
    m_budget->setToolTip(tr("The memory of a device not in the list"));
    m_contextLabel->setText(tr("Context:"));
    m_context->setAccessibleName(tr("Context length"));
    m_context->setToolTip(tr("Tokens the KV cache holds (llama.cpp, f16 cache)"));
    refresh();
}

} // namespace qs
