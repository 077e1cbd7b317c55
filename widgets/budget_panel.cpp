#include "budget_panel.h"

#include "number_text.h"
#include "pareto_view.h"
#include "plan/resolve.h"
#include "plan_document.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>

namespace qs {

namespace {

constexpr double kMinBpw = 2.0, kMaxBpw = 8.5, kBpwStep = 0.05;
constexpr double kMiB = 1048576.0;

// The base preset's own figures: its bytes and bits per weight, and the sum of the measured KLDs of the formats it
// chooses (NaN when it chooses one that was not measured for some weight: then there is nothing to compare).
void measureBase(const Model &model, const Plan &base, const SensitivityResults &sens, BudgetSolution &s)
{
    auto planned = resolveForModel(model, base, false);
    if (!planned) {
        s.baseKld = std::numeric_limits<double>::quiet_NaN();
        return;
    }
    std::map<std::string, size_t> measured;
    for (size_t i = 0; i < sens.tensors.size(); ++i)
        measured[sens.tensors[i]] = i;
    int64_t elements = 0;
    double kld = 0;
    for (const PlannedTensor &pt : *planned) {
        s.baseBytes += pt.bytes;
        elements += pt.elements;
        const auto m = measured.find(pt.ggufName);
        if (m == measured.end() || !pt.decision.quantized)
            continue; // kept in its source type: no damage
        double k = std::numeric_limits<double>::quiet_NaN();
        for (size_t f = 0; f < sens.formats.size(); ++f)
            if (sens.formats[f] == pt.decision.format())
                k = static_cast<double>(sens.kld[sens.index(m->second, f)]);
        kld = std::isfinite(k) ? kld + std::max(0.0, k) : std::numeric_limits<double>::quiet_NaN(); // NaN stays NaN
    }
    s.baseKld = kld;
    s.baseBitsPerWeight = elements > 0 ? 8.0 * static_cast<double>(s.baseBytes) / static_cast<double>(elements) : 0;
}

} // namespace

QStringList BudgetPanel::budgetPresets()
{
    return {QStringLiteral("Q2_K"), QStringLiteral("Q3_K_M"), QStringLiteral("Q4_K_M"),
            QStringLiteral("IQ4_XS"), QStringLiteral("Q5_K_M"), QStringLiteral("Q6_K")};
}

BudgetPanel::BudgetPanel(PlanDocument *doc, QWidget *parent)
    : QWidget(parent), m_doc(doc)
{
    // the controls on the left, what each size buys on the right: the dock is wide and short at the window's bottom
    auto *outer = new QHBoxLayout(this);
    auto *layout = new QVBoxLayout;
    outer->addLayout(layout, 0);
    m_pareto = new ParetoView(this);
    m_pareto->setObjectName(QStringLiteral("pareto"));
    outer->addWidget(m_pareto, 1);
    auto *row = new QHBoxLayout;
    m_budgetLabel = new QLabel(this);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("budgetMode"));
    m_value = new QDoubleSpinBox(this);
    m_value->setObjectName(QStringLiteral("budgetValue"));
    m_value->setKeyboardTracking(false); // typing "4.75" re-solves once, not for "4", "4." and "4.7"
    m_budgetLabel->setBuddy(m_mode);
    row->addWidget(m_budgetLabel);
    row->addWidget(m_mode, 1);
    row->addWidget(m_value);
    layout->addLayout(row);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("budgetSlider"));
    m_slider->setRange(static_cast<int>(std::lround(kMinBpw * 100)), static_cast<int>(std::lround(kMaxBpw * 100)));
    m_slider->setSingleStep(static_cast<int>(std::lround(kBpwStep * 100)));
    m_slider->setPageStep(25);
    layout->addWidget(m_slider);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setMinimumWidth(220);
    m_result->setMaximumWidth(280);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    m_base = new QLabel(this);
    m_base->setWordWrap(true);
    m_base->setMaximumWidth(280);
    m_base->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_base);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_apply = new QPushButton(this);
    m_apply->setObjectName(QStringLiteral("budgetApply"));
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);
    layout->addStretch(1);

    for (int i = 0; i < AsLargeAsPreset + budgetPresets().size(); ++i)
        m_mode->addItem(QString());
    m_value->setDecimals(2);
    onModeChanged();
    connect(m_mode, &QComboBox::currentIndexChanged, this, &BudgetPanel::onModeChanged);
    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        if (m_mode->currentIndex() == BitsPerWeight)
            m_value->setValue(v / 100.0);
    });
    connect(m_value, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (m_mode->currentIndex() == BitsPerWeight) {
            m_bpw = v;
            const QSignalBlocker block(m_slider);
            m_slider->setValue(static_cast<int>(std::lround(v * 100)));
        } else if (m_mode->currentIndex() == MiB) {
            m_mib = v;
        } else {
            return; // shows the preset's size; not an input
        }
        resolveLater();
    });
    connect(m_apply, &QPushButton::clicked, this, &BudgetPanel::apply);
    connect(m_doc, &PlanDocument::planChanged, this, &BudgetPanel::onPlanChanged);
    connect(&m_watcher, &QFutureWatcher<BudgetSolution>::finished, this, &BudgetPanel::onSolved);
    connect(m_pareto, &ParetoView::budgetPicked, this, &BudgetPanel::setBudgetBytes);
    retranslate();
    refreshState();
}

BudgetPanel::~BudgetPanel() { m_watcher.waitForFinished(); }

void BudgetPanel::setDevice(const DeviceBudget &device, const QString &label)
{
    m_device = device;
    m_deviceLabel = label;
    if (m_mode->currentIndex() == ThisDevice)
        resolveLater();
}

void BudgetPanel::setInputs(std::shared_ptr<const Model> model, std::shared_ptr<const SensitivityResults> sensitivity)
{
    m_model = std::move(model);
    m_sensitivity = std::move(sensitivity);
    m_solution.reset();
    refreshState();
}

void BudgetPanel::setMode(Mode mode)
{
    m_mode->setCurrentIndex(mode); // announces itself to onModeChanged when it changes
}

void BudgetPanel::setBitsPerWeight(double bpw)
{
    setMode(BitsPerWeight);
    m_value->setValue(bpw);
}

void BudgetPanel::setMiB(double mib)
{
    setMode(MiB);
    m_value->setValue(mib);
}

void BudgetPanel::setBudgetBytes(quint64 bytes)
{
    // rounded up to what the spin box shows, so that the plan of that size fits the budget it sets
    const int64_t elements = m_pareto->curve() ? m_pareto->curve()->elements : 0;
    if (m_mode->currentIndex() == BitsPerWeight && elements > 0) {
        const double bpw = std::ceil(800.0 * static_cast<double>(bytes) / static_cast<double>(elements) + 1e-6) / 100.0;
        if (bpw <= kMaxBpw) {
            setBitsPerWeight(std::max(bpw, kMinBpw));
            return;
        }
    }
    setMiB(std::ceil(100.0 * static_cast<double>(bytes) / kMiB + 1e-6) / 100.0);
}

void BudgetPanel::onModeChanged()
{
    const int mode = m_mode->currentIndex();
    {
        const QSignalBlocker block(m_value);
        if (mode == BitsPerWeight) {
            m_value->setRange(kMinBpw, kMaxBpw);
            m_value->setSingleStep(kBpwStep);
            m_value->setValue(m_bpw);
            const QSignalBlocker blockSlider(m_slider);
            m_slider->setValue(static_cast<int>(std::lround(m_bpw * 100)));
        } else {
            m_value->setRange(0.01, 1.0e7);
            m_value->setSingleStep(0.1);
            // switching to a size starts from the size of what is shown, so the plan does not jump
            if (m_solution && m_solution->allocated)
                m_mib = static_cast<double>(m_solution->allocated->budgetBytes) / kMiB;
            if (mode == MiB && m_mib <= 0)
                m_mib = 1;
            m_value->setValue(m_mib);
        }
    }
    retranslate(); // the suffix
    refreshState();
}

void BudgetPanel::onPlanChanged()
{
    m_pareto->setCurrentPlan(m_doc->resolved());
    const Plan &p = m_doc->plan();
    const std::string preset = p.preset.empty() ? std::string("Q4_K_M") : p.preset;
    const bool group = p.hasGroupQuant() || p.output != PlanOutput::Gguf;
    if (preset == m_basePreset && group == m_groupPlan)
        return; // an override or a rule: the base is the same, and so is the fit (Apply lands here too)
    refreshState();
}

void BudgetPanel::refreshState()
{
    const Plan &p = m_doc->plan();
    m_basePreset = p.preset.empty() ? std::string("Q4_K_M") : p.preset;
    m_groupPlan = p.hasGroupQuant() || p.output != PlanOutput::Gguf;
    if (!m_model || !m_sensitivity || m_sensitivity->empty())
        m_disabledReason = tr("Measure Sensitivity first (Analysis ▸ Measure Sensitivity): the fit chooses formats from the measured "
                              "KL-divergences.");
    else if (m_groupPlan)
        m_disabledReason = tr("The plan holds GPTQ/AWQ formats; fitting to a budget chooses GGUF formats. Choose a GGUF preset "
                              "and no group format first.");
    else
        m_disabledReason.clear();
    const bool on = m_disabledReason.isEmpty();
    const int mode = m_mode->currentIndex();
    m_mode->setEnabled(on);
    m_value->setEnabled(on && (mode == BitsPerWeight || mode == MiB));
    m_slider->setEnabled(on && mode == BitsPerWeight);
    setToolTip(m_disabledReason);
    for (QWidget *w : {static_cast<QWidget *>(m_mode), static_cast<QWidget *>(m_value), static_cast<QWidget *>(m_slider)})
        w->setToolTip(m_disabledReason);
    if (on) {
        Plan base;
        base.preset = m_basePreset;
        m_pareto->setInputs(m_model, m_sensitivity, base);
    } else {
        m_pareto->clearInputs(m_disabledReason);
    }
    m_pareto->setCurrentPlan(m_doc->resolved());
    if (!on) {
        ++m_request; // a solve still running belongs to inputs that are gone
        m_pending = false;
        m_again = false;
        m_solution.reset();
        showSolution();
        return;
    }
    resolveLater();
}

std::optional<Budget> BudgetPanel::currentBudget() const
{
    switch (m_mode->currentIndex()) {
    case BitsPerWeight:
        return Budget{Budget::Kind::BitsPerWeight, m_bpw};
    case MiB:
        return Budget{Budget::Kind::Bytes, m_mib * kMiB};
    case ThisDevice:
        if (m_device)
            return Budget{Budget::Kind::Device, 0, m_device};
        return std::nullopt;
    default:
        return std::nullopt; // the preset's bytes, which the worker sizes
    }
}

void BudgetPanel::resolveLater()
{
    if (!m_disabledReason.isEmpty())
        return;
    m_pending = true;
    showSolution();
    if (m_watcher.isRunning())
        m_again = true; // the latest budget wins: solved as soon as the running one ends
    else
        startSolve();
}

void BudgetPanel::startSolve()
{
    m_again = false;
    const quint64 request = ++m_request;
    const auto budget = currentBudget();
    const std::string sizeOf =
        budget ? std::string() : budgetPresets().value(m_mode->currentIndex() - AsLargeAsPreset).toStdString();
    if (!budget && m_mode->currentIndex() == ThisDevice) { // no device known yet
        m_pending = false;
        m_solution = std::make_unique<BudgetSolution>();
        m_solution->request = request;
        m_solution->error = tr("no device is chosen in the memory bar");
        showSolution();
        return;
    }
    Plan base;
    base.preset = m_basePreset;
    m_watcher.setFuture(QtConcurrent::run([model = m_model, sens = m_sensitivity, base, budget, sizeOf, request] {
        BudgetSolution s;
        s.request = request;
        s.basePreset = base.preset;
        measureBase(*model, base, *sens, s);
        Budget b = budget.value_or(Budget{});
        if (!budget) {
            Plan sized;
            sized.preset = sizeOf;
            auto bytes = planTensorBytes(*model, sized, false);
            if (!bytes) {
                s.error = QString::fromStdString(bytes.error().describe());
                return s;
            }
            b = Budget{Budget::Kind::Bytes, static_cast<double>(*bytes)};
        }
        const auto t0 = std::chrono::steady_clock::now();
        AllocateOptions options;
        if (b.kind == Budget::Kind::Device && b.device)
            options.runtime = b.device->runtime; // whose fused layers constrain the formats, as the device runs it
        auto r = allocatePlan(*model, base, *sens, b, options);
        s.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (r)
            s.allocated = std::move(*r);
        else
            s.error = QString::fromStdString(r.error().describe());
        return s;
    }));
}

void BudgetPanel::onSolved()
{
    BudgetSolution s = m_watcher.result();
    if (m_again) {
        startSolve();
        return;
    }
    if (s.request != m_request)
        return; // the inputs changed since it started
    m_pending = false;
    m_solution = std::make_unique<BudgetSolution>(std::move(s));
    if (m_mode->currentIndex() >= ThisDevice && m_solution->allocated) {
        const QSignalBlocker block(m_value);
        m_value->setValue(static_cast<double>(m_solution->allocated->budgetBytes) / kMiB);
    }
    showSolution();
    Q_EMIT solved();
}

QString BudgetPanel::resultText() const { return m_result->text(); }
QString BudgetPanel::baseText() const { return m_base->text(); }

QString BudgetPanel::stepName() const
{
    const int mode = m_mode->currentIndex();
    if (mode == BitsPerWeight)
        return tr("fit to %1 bpw").arg(fixedText(m_bpw, 2));
    if (mode == MiB)
        return tr("fit to %1 MiB").arg(fixedText(m_mib, 2));
    if (mode == ThisDevice)
        return tr("fit to %1").arg(m_deviceLabel);
    return tr("fit to the size of %1").arg(budgetPresets().value(mode - AsLargeAsPreset));
}

void BudgetPanel::showSolution()
{
    const BudgetSolution *s = m_pending ? nullptr : m_solution.get();
    const bool fits = m_disabledReason.isEmpty() && s && s->allocated;
    m_apply->setEnabled(fits);
    if (fits)
        m_pareto->setCandidate(std::make_pair(s->allocated->bytes, s->allocated->predictedKld));
    else if (!m_pending) // while a re-solve runs the last candidate stays, as the figures do
        m_pareto->setCandidate(std::nullopt);
    // fitting a device: the chart's sizes are the device memory the estimate gives each plan at its context
    if (m_mode->currentIndex() != ThisDevice || !m_disabledReason.isEmpty())
        m_pareto->setMemoryAxis(std::nullopt);
    else if (fits && s->allocated->deviceLimit > 0)
        m_pareto->setMemoryAxis(static_cast<int64_t>(s->allocated->deviceLimit) - static_cast<int64_t>(s->allocated->budgetBytes), m_deviceLabel);
    else if (!m_pending) // no estimate for this device (too small): the sizes it was drawn with no longer hold
        m_pareto->setMemoryAxis(std::nullopt);
    if (!m_disabledReason.isEmpty()) {
        m_result->setText(m_disabledReason);
        m_base->clear();
        m_apply->setToolTip(m_disabledReason);
        return;
    }
    if (!s) {
        if (!m_solution) // the first solve: later ones keep the last figures until the new ones come
            m_result->setText(tr("Fitting…"));
        m_apply->setToolTip(tr("Fitting…"));
        return;
    }
    if (!fits) {
        m_result->setText(tr("This budget cannot be met: %1").arg(s->error));
        m_apply->setToolTip(m_result->text());
    } else {
        const AllocatedPlan &a = *s->allocated;
        m_result->setText(tr("%1 of %2 allowed · %3 bpw · predicted KLD %4 (sum of measured)")
                              .arg(bytesText(a.bytes), bytesText(a.budgetBytes), fixedText(a.bitsPerWeight(), 2),
                                   significantText(a.predictedKld, 3)));
        if (m_mode->currentIndex() == ThisDevice)
            m_result->setText(tr("Fits %1 with the weights at %2 of the %3 left after the KV cache, buffers and overhead.")
                                  .arg(m_deviceLabel, bytesText(a.bytes), bytesText(a.budgetBytes)) +
                              QLatin1Char('\n') + m_result->text());
        m_apply->setToolTip(tr("Replace the plan by %1 with a format for each of its %2 measured weights (undoable)")
                                .arg(QString::fromStdString(s->basePreset), integerText(a.allocated)));
    }
    const QString baseKld = std::isfinite(s->baseKld) ? significantText(s->baseKld, 3) : notAvailableText();
    m_base->setText(tr("%1 as it is: %2 · %3 bpw · predicted KLD %4")
                        .arg(QString::fromStdString(s->basePreset), bytesText(s->baseBytes), fixedText(s->baseBitsPerWeight, 2), baseKld));
}

void BudgetPanel::apply()
{
    const BudgetSolution *s = solution();
    if (!m_disabledReason.isEmpty() || !s || !s->allocated)
        return;
    m_doc->push(s->allocated->plan, stepName());
}

void BudgetPanel::retranslate()
{
    m_budgetLabel->setText(tr("&Budget:"));
    m_mode->setItemText(BitsPerWeight, tr("Bits per weight"));
    m_mode->setItemText(MiB, tr("Size in MiB"));
    m_mode->setItemText(ThisDevice, tr("Fit this device"));
    m_mode->setItemData(ThisDevice, tr("The device, context and runtime of the memory bar: the largest plan whose estimated memory "
                                       "(weights, KV cache, compute buffers, runtime overhead) fits it"),
                        Qt::ToolTipRole);
    const QStringList presets = budgetPresets();
    for (int i = 0; i < presets.size(); ++i)
        m_mode->setItemText(AsLargeAsPreset + i, tr("As large as %1").arg(presets[i]));
    m_mode->setToolTip(m_disabledReason);
    m_value->setSuffix(m_mode->currentIndex() == BitsPerWeight ? tr(" bpw") : tr(" MiB"));
    m_apply->setText(tr("&Apply"));
    m_pareto->retranslate();
    m_base->setToolTip(tr("The base preset decides what was not measured (norms, anything left out); its own predicted KLD is shown "
                          "when every format it chooses was measured"));
    showSolution();
}

} // namespace qs
