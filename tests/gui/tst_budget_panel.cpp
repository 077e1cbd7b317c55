// Fit to budget in the studio, on the built-in demo model: a small sensitivity measured through the core is handed to
// the window; the panel re-solves as the budget moves (bits per weight, MiB, as large as a preset) and shows figures
// that stay within it; Apply is one undoable step; without a measurement, for a GPTQ plan and below the smallest
// formats it is off and says why.
#include "budget_panel.h"
#include "engine/evaluation.h"
#include "engine/sensitivity.h"
#include "engine/weight_source.h"
#include "main_window.h"
#include "memory_panel.h"
#include "number_text.h"
#include "pareto_view.h"
#include "plan_document.h"
#include "sensitivity_session.h"
#include "test_support.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QUndoStack>
#include <QtTest>

#include <cmath>

using namespace qs;

// The finished re-solve after the last budget change.
#define WAIT_SOLVED(panel) \
    [&] { \
        QTRY_VERIFY_WITH_TIMEOUT((panel)->solution() != nullptr, 10000); \
    }(); \
    if (QTest::currentTestFailed()) \
        return


class TestBudgetPanel : public QObject {
    Q_OBJECT
    std::shared_ptr<const SensitivityResults> m_sens;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
        qputenv("QUANTSCOPE_DEMO_MODEL", test::demoModelDir().toUtf8());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // measured once, small: 2 windows of 128 tokens, four formats
        auto sens = test::demoSensitivity({QuantFormat::gguf(GgmlType::Q2_K), QuantFormat::gguf(GgmlType::Q4_K),
                                           QuantFormat::gguf(GgmlType::Q6_K), QuantFormat::gguf(GgmlType::Q8_0)});
        QVERIFY(sens);
        m_sens = std::make_shared<const SensitivityResults>(std::move(*sens));
    }

    void fitsLiveAndApplies()
    {
        MainWindow w;
        w.resize(1280, 800);
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        BudgetPanel *panel = w.budgetPanel();
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // nothing measured: a hidden tab beside the evaluation, off, and it says what to do
        QVERIFY(!panel->isVisible());
        QVERIFY(panel->disabledReason().contains(QStringLiteral("Measure Sensitivity first")));
        QVERIFY(!panel->applyButton()->isEnabled());
        QVERIFY(!panel->slider()->isEnabled());
        QCOMPARE(panel->slider()->toolTip(), panel->disabledReason());

        // a measurement arrives (as from a project): the panel shows itself and fits the default 4.5 bpw
        w.sensitivitySession()->setResults(m_sens);
        QVERIFY(panel->isVisible()); // brought to the front
        QVERIFY(panel->disabledReason().isEmpty());
        WAIT_SOLVED(panel);
        const BudgetSolution *s = panel->solution();
        QVERIFY2(s->allocated, qPrintable(s->error));
        const AllocatedPlan at45 = *s->allocated;
        QCOMPARE(panel->valueBox()->value(), 4.5);
        QCOMPARE(at45.budgetBytes, uint64_t(4.5 * static_cast<double>(at45.elements) / 8.0));
        QVERIFY(at45.bytes <= at45.budgetBytes);
        QCOMPARE(at45.allocated, int(m_sens->tensors.size()));
        QVERIFY(panel->applyButton()->isEnabled());
        QVERIFY2(panel->resultText().contains(bytesText(at45.bytes)) && panel->resultText().contains(fixedText(at45.bitsPerWeight(), 2)) &&
                     panel->resultText().contains(significantText(at45.predictedKld, 3)),
                 qPrintable(panel->resultText()));
        // the base preset for comparison: Q4_K_M chooses only measured formats on this model
        QCOMPARE(s->basePreset, std::string("Q4_K_M"));
        QVERIFY(std::isfinite(s->baseKld) && s->baseKld > 0);
        QVERIFY2(panel->baseText().startsWith(QStringLiteral("Q4_K_M as it is: ")) && panel->baseText().contains(significantText(s->baseKld, 3)),
                 qPrintable(panel->baseText()));

        // fewer bits: the slider moves the spin box, the plan shrinks within the new budget and the damage grows
        const QString text45 = panel->resultText();
        panel->slider()->setValue(300);
        QCOMPARE(panel->valueBox()->value(), 3.0);
        WAIT_SOLVED(panel);
        s = panel->solution();
        QVERIFY2(s->allocated, qPrintable(s->error));
        QVERIFY(s->allocated->bytes <= s->allocated->budgetBytes);
        QVERIFY(s->allocated->bitsPerWeight() <= 3.0);
        QVERIFY(s->allocated->bytes < at45.bytes);
        QVERIFY(s->allocated->predictedKld > at45.predictedKld);
        QVERIFY(panel->resultText() != text45);

        // a size in MiB: switching keeps the size shown, a smaller one is respected to the byte
        panel->setMiB(static_cast<double>(at45.bytes) * 0.9 / 1048576.0);
        WAIT_SOLVED(panel);
        s = panel->solution();
        QVERIFY2(s->allocated, qPrintable(s->error));
        QCOMPARE(s->allocated->budgetBytes, uint64_t(panel->valueBox()->value() * 1048576.0));
        QVERIFY(s->allocated->bytes <= s->allocated->budgetBytes);
        QVERIFY(!panel->slider()->isEnabled()); // the slider is in bits per weight

        // as large as Q4_K_M: the preset's own bytes, and no more damage than the preset's choices
        panel->setMode(BudgetPanel::Mode(BudgetPanel::AsLargeAsPreset + int(BudgetPanel::budgetPresets().indexOf(QStringLiteral("Q4_K_M")))));
        QVERIFY(!panel->valueBox()->isEnabled());
        WAIT_SOLVED(panel);
        s = panel->solution();
        QVERIFY2(s->allocated, qPrintable(s->error));
        QCOMPARE(s->allocated->budgetBytes, s->baseBytes);
        QVERIFY(s->allocated->bytes <= s->baseBytes);
        QVERIFY(s->allocated->predictedKld <= s->baseKld);
        QCOMPARE(panel->stepName(), QStringLiteral("fit to the size of Q4_K_M"));

        // below the smallest formats: allocatePlan's reason, Apply off with it as its tooltip
        panel->setBitsPerWeight(2.0);
        WAIT_SOLVED(panel);
        s = panel->solution();
        QVERIFY(!s->allocated);
        QVERIFY(!s->error.isEmpty());
        QVERIFY2(panel->resultText().contains(s->error), qPrintable(panel->resultText()));
        QVERIFY(!panel->applyButton()->isEnabled());
        QCOMPARE(panel->applyButton()->toolTip(), panel->resultText());

        // Apply: one undoable step named after the budget; undo brings the plan back
        panel->setBitsPerWeight(4.5);
        WAIT_SOLVED(panel);
        s = panel->solution();
        QVERIFY(s->allocated);
        const std::string before = w.planDocument()->plan().toJson();
        QVERIFY(w.planDocument()->plan().overrides.empty());
        QVERIFY(panel->applyButton()->isEnabled());
        panel->applyButton()->click();
        const Plan &fitted = w.planDocument()->plan();
        QCOMPARE(fitted.overrides.size(), m_sens->tensors.size());
        QCOMPARE(fitted.toJson(), s->allocated->plan.toJson());
        QCOMPARE(w.planDocument()->totals().bytes, s->allocated->bytes);
        QCOMPARE(w.undoStack()->undoText(), QStringLiteral("fit to 4.50 bpw"));
        QVERIFY(panel->solution()); // the same base: nothing to re-solve
        w.undoStack()->undo();
        QCOMPARE(w.planDocument()->plan().toJson(), before);

        // a GPTQ plan: off, with the reason; back to GGUF: on again
        QVERIFY(w.planDocument()->setGroupQuant(IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128)).ok());
        QVERIFY(w.planDocument()->plan().hasGroupQuant());
        QVERIFY(panel->disabledReason().contains(QStringLiteral("GPTQ/AWQ")));
        QVERIFY(!panel->applyButton()->isEnabled());
        QVERIFY(!panel->modeBox()->isEnabled());
        QCOMPARE(panel->resultText(), panel->disabledReason());
        w.undoStack()->undo();
        QVERIFY(panel->disabledReason().isEmpty());
        WAIT_SOLVED(panel);
        QVERIFY(panel->solution()->allocated);

        // another base preset re-solves from it
        w.setPreset(QStringLiteral("Q6_K"));
        WAIT_SOLVED(panel);
        s = panel->solution();
        QCOMPARE(s->basePreset, std::string("Q6_K"));
        QVERIFY(panel->baseText().startsWith(QStringLiteral("Q6_K as it is")));

        // the measurement gone: off again
        w.sensitivitySession()->clear();
        QVERIFY(panel->disabledReason().contains(QStringLiteral("Measure Sensitivity first")));
        QVERIFY(!panel->applyButton()->isEnabled());
    }

    // Numbers in the interface's locale: the figures and the undo step in German.
    // "fit this device": the memory bar's device, context and runtime are the budget; the plan's weights get what the
    // estimate leaves after the KV cache, buffers and overhead, and a device too small says so
    void fitsThisDevice()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        BudgetPanel *panel = w.budgetPanel();
        MemoryPanel *memory = w.memoryPanel();
        w.sensitivitySession()->setResults(m_sens);
        memory->setDevice(QStringLiteral("rtx-4090"));
        memory->setRuntime(QStringLiteral("llama.cpp"));
        memory->setContextLength(4096);
        panel->setMode(BudgetPanel::ThisDevice);
        QVERIFY(!panel->valueBox()->isEnabled());
        WAIT_SOLVED(panel);
        const BudgetSolution *s = panel->solution();
        QVERIFY2(s->allocated, qPrintable(s->error));
        // the same budget the allocation computes for that device at that context
        Plan base;
        base.preset = "Q4_K_M";
        const DeviceBudget device = memory->deviceBudget();
        QCOMPARE(device.context, 4096);
        AllocateOptions o;
        o.runtime = device.runtime;
        auto direct = allocatePlan(*w.currentModel(), base, *m_sens, Budget{Budget::Kind::Device, 0, device}, o);
        QVERIFY2(direct, direct ? "" : direct.error().message.c_str());
        QCOMPARE(s->allocated->budgetBytes, direct->budgetBytes);
        QCOMPARE(s->allocated->bytes, direct->bytes);
        QVERIFY(s->allocated->memory && s->allocated->memory->total() <= s->allocated->deviceLimit);
        QVERIFY2(panel->resultText().contains(memory->deviceBudgetText()), qPrintable(panel->resultText()));
        QCOMPARE(panel->stepName(), QStringLiteral("fit to ") + memory->deviceBudgetText());
        QVERIFY(std::fabs(panel->valueBox()->value() - static_cast<double>(s->allocated->budgetBytes) / 1048576.0) <= 0.005);
        // the chart's sizes are the estimated device memory at that context
        ParetoView *pareto = panel->paretoView();
        QVERIFY(pareto->showsMemory());
        QVERIFY2(pareto->xAxisTitle().contains(memory->deviceBudgetText()), qPrintable(pareto->xAxisTitle()));
        // a device small enough that the weights are quantized (on the 4090 they all stay 16-bit: a predicted KLD of 0
        // has no place on the log scale): the budget's plan is drawn at its estimate
        const int64_t besides = static_cast<int64_t>(s->allocated->deviceLimit) - static_cast<int64_t>(s->allocated->budgetBytes);
        memory->setMemoryBudgetMiB(static_cast<int>(std::ceil(static_cast<double>(besides) / 1048576.0)) + 2);
        WAIT_SOLVED(panel);
        s = panel->solution();
        QVERIFY2(s->allocated && s->allocated->predictedKld > 0, qPrintable(s->error));
        QVERIFY(pareto->showsMemory());
        QTRY_COMPARE_WITH_TIMEOUT(pareto->candidateSeries()->count(), 1, 20000);
        const double estimated = static_cast<double>(s->allocated->memory->total()) / 1048576.0;
        QVERIFY2(std::fabs(pareto->candidateSeries()->at(0).x() - estimated) <= 0.01 * estimated,
                 qPrintable(QStringLiteral("drawn at %1 MiB, estimated %2 MiB").arg(pareto->candidateSeries()->at(0).x()).arg(estimated)));
        QVERIFY(pareto->candidateSeries()->at(0).x() > static_cast<double>(s->allocated->bytes) / 1048576.0);
        // another kind of budget: tensor bytes again
        panel->setMode(BudgetPanel::BitsPerWeight);
        WAIT_SOLVED(panel);
        QVERIFY(!pareto->showsMemory());
        QCOMPARE(pareto->xAxisTitle(), QStringLiteral("tensor bytes (MiB)"));
        panel->setMode(BudgetPanel::ThisDevice);
        WAIT_SOLVED(panel);
        QVERIFY(pareto->showsMemory());

        // a custom budget of 1 MiB: the KV cache and buffers alone do not fit, and the panel says so
        memory->setMemoryBudgetMiB(1);
        WAIT_SOLVED(panel);
        QVERIFY(!panel->solution()->allocated);
        QVERIFY(!panel->applyButton()->isEnabled());
        QVERIFY2(panel->resultText().contains(QLatin1String("too small")), qPrintable(panel->resultText()));
    }

    void germanNumbers()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.sensitivitySession()->setResults(m_sens);
        BudgetPanel *panel = w.budgetPanel();
        panel->setBitsPerWeight(4.25);
        WAIT_SOLVED(panel);
        const BudgetSolution *s = panel->solution();
        QVERIFY(s->allocated);
        QCOMPARE(panel->stepName(), QStringLiteral("fit to 4,25 bpw"));
        QVERIFY2(panel->resultText().contains(fixedText(s->allocated->bitsPerWeight(), 2)) &&
                     fixedText(s->allocated->bitsPerWeight(), 2).contains(QLatin1Char(',')),
                 qPrintable(panel->resultText()));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
};

QTEST_MAIN(TestBudgetPanel)
#include "tst_budget_panel.moc"
