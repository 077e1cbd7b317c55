// The studio's Pareto view and "where the bits went", on the built-in demo model with a small measured sensitivity:
// the allocator's curve only falls as bytes rise and every point is a plan within its budget; llama.cpp's presets sit
// at planTensorBytes and at the sum of the measured KLDs of the formats they choose (and those choosing unmeasured
// formats are named, not drawn); a click on the curve moves the budget; the current plan's point follows Apply; the
// model map coloured by bits per weight shows the plan's bits tensor by tensor.
#include "budget_panel.h"
#include "colormap.h"
#include "engine/evaluation.h"
#include "engine/sensitivity.h"
#include "engine/weight_source.h"
#include "main_window.h"
#include "model_map_widget.h"
#include "number_text.h"
#include "pareto_view.h"
#include "pipeline/allocate_plan.h"
#include "plan_document.h"
#include "sensitivity_session.h"
#include "tensor_details.h"
#include "test_support.h"

#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QUndoStack>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <set>

using namespace qs;

#define WAIT_SOLVED(panel) \
    [&] { QTRY_VERIFY_WITH_TIMEOUT((panel)->solution() != nullptr, 10000); }(); \
    if (QTest::currentTestFailed()) \
    return

#define WAIT_CURVE(view) \
    [&] { QTRY_VERIFY_WITH_TIMEOUT((view)->curve() != nullptr, 20000); }(); \
    if (QTest::currentTestFailed()) \
    return

namespace {
constexpr double kMiB = 1048576.0;

// The measured KLD a plan predicts, summed here straight from the measurement (the oracle for the view's points).
double summedKld(const Model &model, const Plan &plan, const SensitivityResults &sens, bool *measured)
{
    auto planned = resolveForModel(model, plan, false);
    *measured = planned.ok();
    double sum = 0;
    for (const PlannedTensor &pt : *planned) {
        if (std::find(sens.tensors.begin(), sens.tensors.end(), pt.ggufName) == sens.tensors.end() || !pt.decision.quantized)
            continue;
        const float k = sens.kldOf(pt.ggufName, pt.decision.format());
        if (!std::isfinite(k))
            *measured = false;
        sum += std::max(0.0, static_cast<double>(k));
    }
    return sum;
}
} // namespace

class TestParetoView : public QObject {
    Q_OBJECT
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const SensitivityResults> m_sens;

    // The window on the demo model with the measurement handed over; the panel solved and the curve drawn.
    bool openWithSensitivity(MainWindow &w)
    {
        w.resize(1400, 900);
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        if (!opened.wait(10000) && opened.isEmpty())
            return false;
        w.show();
        if (!QTest::qWaitForWindowExposed(&w))
            return false;
        w.sensitivitySession()->setResults(m_sens);
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
        qputenv("QUANTSCOPE_DEMO_MODEL", test::demoModelDir().toUtf8());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        m_model = *m;
        // Q5_K left out on purpose: the presets that choose it have no prediction
        auto sens = test::demoSensitivity({QuantFormat::gguf(GgmlType::Q2_K), QuantFormat::gguf(GgmlType::Q3_K), QuantFormat::gguf(GgmlType::Q4_K),
                                           QuantFormat::gguf(GgmlType::Q6_K), QuantFormat::gguf(GgmlType::Q8_0)});
        QVERIFY(sens);
        m_sens = std::make_shared<const SensitivityResults>(std::move(*sens));
    }

    // The curve, computed as the view's worker computes it: more bytes never buy more damage, every point is the
    // plan allocatePlan gives for its budget and fits it, and the range starts at the smallest plan that exists.
    void curveIsMonotoneAndSpansTheReachableSizes()
    {
        Plan base; // Q4_K_M
        const ParetoCurve c = computeParetoCurve(*m_model, base, *m_sens, 40);
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        QVERIFY2(c.points.size() >= 12, qPrintable(QString::number(c.points.size())));
        QVERIFY(c.smallestBytes < c.largestBytes);
        for (size_t i = 0; i < c.points.size(); ++i) {
            const ParetoPoint &p = c.points[i];
            QVERIFY(p.bytes <= p.budget);
            QVERIFY(p.budget >= c.smallestBytes && p.budget <= c.largestBytes);
            if (i > 0) {
                QVERIFY2(p.bytes > c.points[i - 1].bytes, qPrintable(QStringLiteral("point %1").arg(i)));
                QVERIFY2(p.kld < c.points[i - 1].kld, qPrintable(QStringLiteral("point %1: %2 after %3").arg(i).arg(p.kld).arg(c.points[i - 1].kld)));
            }
        }
        // the points are the allocator's own answers
        for (size_t i : {size_t(0), c.points.size() / 2, c.points.size() - 1}) {
            auto r = allocatePlan(*m_model, base, *m_sens, Budget{Budget::Kind::Bytes, static_cast<double>(c.points[i].budget)});
            QVERIFY(r);
            QCOMPARE(r->bytes, c.points[i].bytes);
            QCOMPARE(r->predictedKld, c.points[i].kld);
        }
        // the smallest reachable really is: one byte less cannot be met; the largest keeps every measured tensor
        QCOMPARE(c.points.front().budget, c.smallestBytes);
        QVERIFY(allocatePlan(*m_model, base, *m_sens, Budget{Budget::Kind::Bytes, static_cast<double>(c.smallestBytes)}));
        QVERIFY(!allocatePlan(*m_model, base, *m_sens, Budget{Budget::Kind::Bytes, static_cast<double>(c.smallestBytes - 1)}));
        auto most = allocatePlan(*m_model, base, *m_sens, Budget{Budget::Kind::Bytes, static_cast<double>(c.largestBytes)});
        QVERIFY(most);
        QCOMPARE(most->bytes, c.largestBytes);
        QCOMPARE(most->predictedKld, 0.0);
        QCOMPARE(c.elements, most->elements);
    }

    // Each preset where planTensorBytes and the measured KLDs put it, in the data and on the chart; presets choosing a
    // format that was not measured (Q5_K here) are named under the chart instead.
    void presetsSitWhereTheMeasurementsPutThem()
    {
        MainWindow w;
        QVERIFY(openWithSensitivity(w));
        ParetoView *view = w.budgetPanel()->paretoView();
        QVERIFY(view->isVisible());
        WAIT_CURVE(view);
        const ParetoCurve *c = view->curve();
        QCOMPARE(c->presets.size(), paretoPresets().size());
        int drawn = 0, undrawn = 0;
        for (const ParetoPreset &p : c->presets) {
            const QString name = QString::fromStdString(p.name);
            Plan plan;
            plan.preset = p.name;
            auto bytes = planTensorBytes(*m_model, plan, false);
            QVERIFY(bytes);
            QCOMPARE(p.prediction.bytes, *bytes);
            bool measured = false;
            const double kld = summedKld(*m_model, plan, *m_sens, &measured);
            QScatterSeries *s = view->presetSeries(name);
            if (measured) {
                ++drawn;
                QVERIFY2(std::abs(p.prediction.kld - kld) <= 1e-12 * kld, qPrintable(name));
                QVERIFY2(s && s->count() == 1, qPrintable(name));
                QCOMPARE(s->at(0).x(), static_cast<double>(*bytes) / kMiB);
                QCOMPARE(s->at(0).y(), p.prediction.kld);
                QCOMPARE(s->pointLabelsFormat(), name);
                QVERIFY(!view->noteText().contains(name + QLatin1Char(',')) && !view->noteText().contains(name + QLatin1Char(' ')));
            } else {
                ++undrawn;
                QVERIFY2(!s, qPrintable(name));
                QVERIFY(std::isnan(p.prediction.kld));
                QVERIFY(!p.prediction.unmeasured.empty());
                QVERIFY2(view->noteText().contains(name), qPrintable(view->noteText()));
            }
        }
        QCOMPARE(drawn, 4);   // Q2_K, Q4_K_M, Q6_K and Q8_0 choose measured formats
        QCOMPARE(undrawn, 3); // Q3_K_M and Q5_K_M choose Q5_K, IQ4_XS itself
        QVERIFY2(view->noteText().contains(QStringLiteral("Q5_K_M")) && view->noteText().contains(QStringLiteral("Q5_K, not measured")),
                 qPrintable(view->noteText()));
        QVERIFY2(view->findChild<QLabel *>()->toolTip().contains(QStringLiteral("Q5_K_M chooses Q5_K")),
                 qPrintable(view->findChild<QLabel *>()->toolTip()));
        // Q4_K_M, the base, agrees with the budget panel's own figures for it
        WAIT_SOLVED(w.budgetPanel());
        QScatterSeries *q4 = view->presetSeries(QStringLiteral("Q4_K_M"));
        QVERIFY(q4);
        QCOMPARE(static_cast<uint64_t>(std::llround(q4->at(0).x() * kMiB)), w.budgetPanel()->solution()->baseBytes);
        QVERIFY(std::abs(q4->at(0).y() - w.budgetPanel()->solution()->baseKld) <= 1e-12 * q4->at(0).y());
        // the drawn curve is the computed one, in MiB, as far as 8.5 bpw (or the largest preset drawn) reaches
        QLineSeries *curve = view->curveSeries();
        const uint64_t end = std::max<uint64_t>(view->presetSeries(QStringLiteral("Q8_0")) ? static_cast<uint64_t>(std::llround(view->presetSeries(QStringLiteral("Q8_0"))->at(0).x() * kMiB)) : 0,
                                                static_cast<uint64_t>(std::ceil(8.5 * static_cast<double>(c->elements) / 8.0)));
        QCOMPARE(view->shownBytes(), end);
        const auto shown = std::count_if(c->points.begin(), c->points.end(), [&](const ParetoPoint &p) { return p.bytes <= end && p.kld > 0; });
        QVERIFY(shown >= 10 && shown < static_cast<long>(c->points.size()));
        QCOMPARE(curve->count(), static_cast<int>(shown));
        for (int i = 0; i < curve->count(); ++i) {
            QCOMPARE(curve->at(i).x(), static_cast<double>(c->points[static_cast<size_t>(i)].bytes) / kMiB);
            QCOMPARE(curve->at(i).y(), c->points[static_cast<size_t>(i)].kld);
        }
        QVERIFY(view->describe(c->points[3].bytes, c->points[3].kld).contains(significantText(c->points[3].kld, 3)));
    }

    // A click on a curve point makes its size the budget (in bits per weight, or in MiB in that mode), rounded up so
    // that the point's plan fits: the budget's plan is then at least as good.
    void clickingTheCurveMovesTheBudget()
    {
        MainWindow w;
        QVERIFY(openWithSensitivity(w));
        BudgetPanel *panel = w.budgetPanel();
        ParetoView *view = panel->paretoView();
        WAIT_CURVE(view);
        WAIT_SOLVED(panel);
        const ParetoCurve c = *view->curve();
        QCOMPARE(panel->valueBox()->value(), 4.5);
        // a point below 8.5 bpw, in bits-per-weight mode
        int pick = -1;
        for (int i = 0; i < view->curveSeries()->count(); ++i)
            if (8.0 * static_cast<double>(c.points[static_cast<size_t>(i)].bytes) / static_cast<double>(c.elements) < 3.4)
                pick = i;
        QVERIFY(pick > 0);
        QSignalSpy picked(view, &ParetoView::budgetPicked);
        QTest::mouseClick(view->chartView()->viewport(), Qt::LeftButton, {}, view->curvePointPosition(pick));
        QCOMPARE(picked.count(), 1);
        const ParetoPoint p = c.points[static_cast<size_t>(pick)];
        QCOMPARE(picked.first().first().toULongLong(), p.bytes);
        const double bpw = 8.0 * static_cast<double>(p.bytes) / static_cast<double>(c.elements);
        QCOMPARE(panel->modeBox()->currentIndex(), int(BudgetPanel::BitsPerWeight));
        QVERIFY2(panel->valueBox()->value() >= bpw && panel->valueBox()->value() < bpw + 0.011,
                 qPrintable(QStringLiteral("%1 for %2").arg(panel->valueBox()->value()).arg(bpw)));
        WAIT_SOLVED(panel);
        const AllocatedPlan *a = &*panel->solution()->allocated;
        QVERIFY(a->budgetBytes >= p.bytes);
        QVERIFY(a->predictedKld <= p.kld * (1 + 1e-12));

        // in MiB: the size itself, rounded up to the spin box's hundredths
        panel->setMode(BudgetPanel::MiB);
        WAIT_SOLVED(panel);
        const int other = static_cast<int>(c.points.size()) / 2 + 2;
        QVERIFY(other != pick && other < view->curveSeries()->count());
        QTest::mouseClick(view->chartView()->viewport(), Qt::LeftButton, {}, view->curvePointPosition(other));
        QCOMPARE(picked.count(), 2);
        const ParetoPoint q = c.points[static_cast<size_t>(other)];
        QCOMPARE(panel->modeBox()->currentIndex(), int(BudgetPanel::MiB));
        QCOMPARE(panel->valueBox()->value(), std::ceil(static_cast<double>(q.bytes) / kMiB * 100) / 100);
        WAIT_SOLVED(panel);
        a = &*panel->solution()->allocated;
        QVERIFY(a->budgetBytes >= q.bytes);
        QVERIFY(a->predictedKld <= q.kld * (1 + 1e-12));
        // the candidate ring is on the budget's plan
        QCOMPARE(view->candidateSeries()->at(0), QPointF(static_cast<double>(a->bytes) / kMiB, a->predictedKld));
    }

    // The current plan's star moves to the budget's plan on Apply, and back on undo.
    void currentPlanFollowsApply()
    {
        MainWindow w;
        QVERIFY(openWithSensitivity(w));
        BudgetPanel *panel = w.budgetPanel();
        ParetoView *view = panel->paretoView();
        WAIT_CURVE(view);
        WAIT_SOLVED(panel);
        // before: the Q4_K_M plan, where its preset point is
        QScatterSeries *star = view->currentSeries();
        QCOMPARE(star->count(), 1);
        const QPointF before = star->at(0);
        QScatterSeries *q4 = view->presetSeries(QStringLiteral("Q4_K_M"));
        QVERIFY(q4);
        QCOMPARE(before, q4->at(0));
        // a budget: its plan is the candidate ring
        panel->setBitsPerWeight(3.5);
        WAIT_SOLVED(panel);
        const AllocatedPlan a = *panel->solution()->allocated;
        QCOMPARE(view->candidateSeries()->count(), 1);
        QCOMPARE(view->candidateSeries()->at(0), QPointF(static_cast<double>(a.bytes) / kMiB, a.predictedKld));
        QCOMPARE(star->at(0), before); // not applied yet
        panel->applyButton()->click();
        QCOMPARE(view->currentSeries()->count(), 1);
        QCOMPARE(view->currentSeries()->at(0), QPointF(static_cast<double>(a.bytes) / kMiB, a.predictedKld));
        QVERIFY(view->currentSeries()->at(0) != before);
        QCOMPARE(view->currentPlan()->bytes, w.planDocument()->totals().bytes);
        w.undoStack()->undo();
        QCOMPARE(view->currentSeries()->at(0), before);
        // a plan choosing a format that was not measured: no star, and the line says why
        QVERIFY(w.planDocument()->setTensorFormat(QStringLiteral("blk.0.ffn_down.weight"), QStringLiteral("Q5_K")).ok());
        QCOMPARE(view->currentSeries()->count(), 0);
        QVERIFY2(view->noteText().contains(QStringLiteral("current plan is not drawn")), qPrintable(view->noteText()));
    }

    // The model map's bits colouring: each cell is its tensor's planned bytes over its weights, painted on the bar's
    // scale; after Apply the cells follow the fitted plan.
    void bitsMapShowsThePlan()
    {
        MainWindow w;
        QVERIFY(openWithSensitivity(w));
        BudgetPanel *panel = w.budgetPanel();
        panel->setBitsPerWeight(3.5);
        WAIT_SOLVED(panel);
        panel->applyButton()->click();
        TensorDetails *details = w.findChild<TensorDetails *>();
        QVERIFY(details);
        details->mapColouring()->setCurrentIndex(2);
        ModelMapWidget *map = w.modelMap();
        QCOMPARE(map->colouring(), ModelMapWidget::Colouring::BitsPerWeight);
        details->setCurrentIndex(details->indexOf(map->parentWidget()));
        QTRY_VERIFY(map->isVisible());
        const ModelErrorGrid &g = map->bitsGrid();
        const auto &planned = w.planDocument()->resolved();
        QCOMPARE(g.layers, w.planDocument()->model()->architecture().layers);
        const QImage shot = map->grab().toImage();
        const qreal dpr = shot.devicePixelRatio();
        int checked = 0;
        std::set<double> seen;
        for (int64_t l = 0; l < g.layers; ++l)
            for (size_t k = 0; k < ModelErrorGrid::kinds().size(); ++k) {
                const int i = g.tensorIndex[static_cast<size_t>(l) * ModelErrorGrid::kinds().size() + k];
                if (i < 0)
                    continue;
                const PlannedTensor &pt = planned[static_cast<size_t>(i)];
                // what Apply chose for this tensor
                const auto o = w.planDocument()->plan().overrides.find(pt.ggufName);
                QVERIFY2(o != w.planDocument()->plan().overrides.end(), pt.ggufName.c_str());
                QVERIFY(pt.decision.type == o->second);
                const double bits = 8.0 * static_cast<double>(pt.bytes) / static_cast<double>(pt.elements);
                QCOMPARE(g.at(l, k), bits);
                QCOMPARE(g.formats[static_cast<size_t>(l) * ModelErrorGrid::kinds().size() + k], pt.decision.format().name());
                seen.insert(std::round(bits * 100) / 100);
                // painted in its colour on the bar's log2 scale
                const double t = std::log2(bits / map->bitsScaleMin()) / std::log2(map->bitsScaleMax() / map->bitsScaleMin());
                const QPoint centre = map->cellRect(static_cast<int>(l), static_cast<int>(k)).center();
                QCOMPARE(QColor(shot.pixel(centre * dpr)), QColor(viridis(t)));
                QVERIFY(map->describe(centre).contains(fixedText(bits, 3)));
                ++checked;
            }
        QCOMPARE(checked, 14);
        QVERIFY2(seen.size() >= 2, "a fit to 3.5 bpw mixes formats");
        // the legend marks every bits-per-weight the plan uses, with its format
        const QStringList legend = map->bitsLegend();
        for (double b : seen)
            QVERIFY2(std::any_of(legend.begin(), legend.end(), [&](const QString &m) { return m.startsWith(fixedText(b, 2) + QLatin1Char(' ')); }),
                     qPrintable(legend.join(QStringLiteral(" | "))));
        QVERIFY(map->colourBarTitle().contains(QStringLiteral("bits per weight")));
        // undo: the map shows Q4_K_M's bits again
        w.undoStack()->undo();
        const int i = g.tensorIndex[0];
        QCOMPARE(map->bitsGrid().values[0],
                 8.0 * static_cast<double>(w.planDocument()->resolved()[static_cast<size_t>(i)].bytes) /
                     static_cast<double>(w.planDocument()->resolved()[static_cast<size_t>(i)].elements));
        QVERIFY(map->bitsLegend().join(QLatin1Char(' ')).contains(QStringLiteral("Q4_K")));
    }
};

QTEST_MAIN(TestParetoView)
#include "tst_pareto_view.moc"
