// The studio's measured sensitivity on the built-in demo model: Measure Sensitivity fills the model map's KLD
// colouring for all 15 weights (on a log scale whose ends are the smallest and largest KLD measured), tooltips and
// the tensor details say each format's figures; a cancelled measurement leaves nothing; a saved project brings the
// measurement back without measuring again.
#include "colormap.h"
#include "main_window.h"
#include "model_map_widget.h"
#include "number_text.h"
#include "sensitivity_session.h"
#include "tensor_details.h"
#include "test_support.h"

#include <QApplication>
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace qs;

namespace {

// Every cell of the map that names a tensor: its KLD in the shown format (NaN where none was measured).
std::vector<double> mappedValues(const ModelErrorGrid &g)
{
    std::vector<double> v;
    for (size_t i = 0; i < g.values.size(); ++i)
        if (g.tensorIndex[i] >= 0)
            v.push_back(g.values[i]);
    if (g.tokenEmbeddingIndex >= 0)
        v.push_back(g.tokenEmbedding);
    if (g.outputIndex >= 0)
        v.push_back(g.output);
    return v;
}

int finiteCount(const std::vector<double> &v)
{
    return static_cast<int>(std::count_if(v.begin(), v.end(), [](double x) { return std::isfinite(x) && x > 0; }));
}

// The colour painted at the middle of a cell; `rect` is asked for after grabbing, which lays the widget out.
template<typename RectFn>
QRgb pixelAt(QWidget *w, RectFn rect)
{
    const QImage image = w->grab().toImage();
    return image.pixel(rect().center());
}

} // namespace

class TestSensitivity : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString project() const { return m_dir.path() + QStringLiteral("/measured.qsproj"); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
        qputenv("QUANTSCOPE_DEMO_MODEL", test::demoModelDir().toUtf8());
        qputenv("QUANTSCOPE_EVAL_TEXT", test::sourcePath(QStringLiteral("resources/eval/sotu-2011-sample.txt")).toUtf8());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
    }

    void measureFillsTheMap()
    {
        MainWindow w;
        w.resize(1280, 800);
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy measured(&w, &MainWindow::sensitivityFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        ModelMapWidget *map = w.modelMap();
        QCOMPARE(map->kldGrid().layers, int64_t(0)); // nothing measured yet

        // the button beside the model map starts it, as a person would; it is disabled while the job runs
        QPushButton *button = w.tensorDetails()->measureButton();
        button->click();
        QVERIFY(w.sensitivitySession()->isRunning());
        QVERIFY(!button->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 300000);
        QCOMPARE(measured.first().first().toBool(), true);
        QVERIFY(button->isEnabled());
        const auto r = w.sensitivitySession()->results();
        QVERIFY(r);
        QCOMPARE(r->formats.size(), size_t(3)); // the CLI's defaults: Q2_K, Q4_K, Q6_K on 4 windows
        QCOMPARE(r->windows, int64_t(4));
        QCOMPARE(r->tensors.size(), size_t(15));

        // the map now colours by the measured KLD, Q4_K first, every weight a finite value
        QCOMPARE(map->colouring(), ModelMapWidget::Colouring::MeasuredKld);
        QCOMPARE(w.tensorDetails()->mapFormat()->currentText(), QStringLiteral("Q4_K"));
        map->resize(700, 400);
        const ModelErrorGrid &g = map->kldGrid();
        QCOMPARE(g.layers, int64_t(2));
        QVERIFY(g.tokenEmbeddingIndex >= 0);
        QCOMPARE(g.outputIndex, -1); // sotu-mini ties its output to the embedding
        QCOMPARE(finiteCount(mappedValues(g)), 15);
        for (size_t f = 0; f < r->formats.size(); ++f) {
            w.tensorDetails()->mapFormat()->setCurrentIndex(static_cast<int>(f));
            QCOMPARE(finiteCount(mappedValues(g)), 15);
            // each cell is the measurement of its own tensor (blk.L.<kind>.weight), in the chosen format
            for (int64_t l = 0; l < g.layers; ++l)
                for (size_t k = 0; k < ModelErrorGrid::kinds().size(); ++k) {
                    const std::string name = "blk." + std::to_string(l) + "." + std::string(roleId(ModelErrorGrid::kinds()[k])) + ".weight";
                    QCOMPARE(g.at(l, k), static_cast<double>(r->kldOf(name, r->formats[f])));
                }
            QCOMPARE(g.tokenEmbedding, static_cast<double>(r->kldOf("token_embd.weight", r->formats[f])));
        }
        // fewer bits move the predictions more, for every weight
        for (const std::string &t : r->tensors)
            QVERIFY2(r->kldOf(t, r->formats[0]) > r->kldOf(t, r->formats[1]) && r->kldOf(t, r->formats[1]) > r->kldOf(t, r->formats[2]), t.c_str());

        // one log scale over every format: the largest KLD (Q2_K) is the top of viridis, the smallest (Q6_K) its bottom
        double lo = INFINITY, hi = 0;
        size_t loT = 0, hiT = 0;
        for (size_t t = 0; t < r->tensors.size(); ++t) {
            if (r->kld[r->index(t, 0)] > hi)
                hi = r->kld[r->index(t, 0)], hiT = t;
            if (r->kld[r->index(t, 2)] < lo)
                lo = r->kld[r->index(t, 2)], loT = t;
        }
        QCOMPARE(map->kldScaleMax(), hi);
        QCOMPARE(map->kldScaleMin(), lo);
        auto rectOf = [&](size_t tensor) {
            if (static_cast<int>(tensor) == g.tokenEmbeddingIndex)
                return map->embeddingRect();
            for (int64_t l = 0; l < g.layers; ++l)
                for (size_t k = 0; k < ModelErrorGrid::kinds().size(); ++k)
                    if (g.tensorIndex[static_cast<size_t>(l) * ModelErrorGrid::kinds().size() + k] == static_cast<int>(tensor))
                        return map->cellRect(static_cast<int>(l), static_cast<int>(k));
            return QRect();
        };
        w.tensorDetails()->mapFormat()->setCurrentIndex(0);
        QCOMPARE(pixelAt(map, [&] { return rectOf(hiT); }), viridis(1.0));
        w.tensorDetails()->mapFormat()->setCurrentIndex(2);
        QCOMPARE(pixelAt(map, [&] { return rectOf(loT); }), viridis(0.0));
        // a cell between: its place on the log scale
        w.tensorDetails()->mapFormat()->setCurrentIndex(1);
        const double v = g.at(1, 6); // layer 1 ffn_down under Q4_K
        QCOMPARE(pixelAt(map, [&] { return map->cellRect(1, 6); }), viridis((std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))));
        QVERIFY(map->colourBarTitle().contains(QLatin1String("log")));
        const QRect mid = map->cellRect(1, 6);

        // the tooltip: the tensor's KLD, top-1 and ΔNLL in every format, numbers as the locale writes them
        const QString tip = map->describe(mid.center());
        QVERIFY2(tip.contains(QLatin1String("blk.1.ffn_down.weight")), qPrintable(tip));
        const size_t t = static_cast<size_t>(g.tensorIndex[6 + ModelErrorGrid::kinds().size()]);
        for (size_t f = 0; f < r->formats.size(); ++f) {
            QVERIFY2(tip.contains(significantText(r->kld[r->index(t, f)], 3)), qPrintable(tip));
            QVERIFY2(tip.contains(percentText(r->top1[r->index(t, f)], 2)), qPrintable(tip));
            QVERIFY2(tip.contains(signedText(r->deltaNll[r->index(t, f)], 3)), qPrintable(tip));
            QVERIFY(tip.contains(QString::fromStdString(r->formats[f].name())));
        }

        // a click selects the tensor; the details say its measured KLD per format
        QTest::mouseClick(map, Qt::LeftButton, {}, mid.center());
        const int row = w.tensorDetails()->shownRow();
        QVERIFY(row >= 0);
        QCOMPARE(QString::fromStdString(w.currentModel()->tensors()[static_cast<size_t>(row)].otherName), QStringLiteral("blk.1.ffn_down.weight"));
        const QString line = w.tensorDetails()->sensitivityText();
        QVERIFY2(line.contains(QLatin1String("Q2_K")) && line.contains(significantText(r->kld[r->index(t, 0)], 3)), qPrintable(line));

        // back to the weight error: no analysis, so nothing to colour, and clicks no longer select by sensitivity
        w.tensorDetails()->mapColouring()->setCurrentIndex(0);
        QCOMPARE(map->colouring(), ModelMapWidget::Colouring::WeightError);
        QCOMPARE(map->tensorAt(mid.center()), -1);

        // saved with the project
        QSignalSpy saved(&w, &MainWindow::projectSaved);
        w.saveProjectAs(project());
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.first().first().toBool(), true);
    }

    void reopenedProjectNeedsNoMeasuring()
    {
        QVERIFY(QFileInfo::exists(project()));
        MainWindow w;
        QSignalSpy started(w.sensitivitySession()->job(), &JobRunner::started);
        QSignalSpy reopened(&w, &MainWindow::projectOpened);
        w.openProject(project());
        QTRY_COMPARE_WITH_TIMEOUT(reopened.count(), 1, 10000);
        QCOMPARE(reopened.first().first().toBool(), true);
        const auto r = w.sensitivitySession()->results();
        QVERIFY(r);
        QCOMPARE(r->tensors.size(), size_t(15));
        QCOMPARE(r->formats.size(), size_t(3));
        w.tensorDetails()->mapColouring()->setCurrentIndex(1);
        QCOMPARE(finiteCount(mappedValues(w.modelMap()->kldGrid())), 15);
        QVERIFY(!w.tensorDetails()->sensitivityText().isEmpty()); // the first tensor shown is the embedding, measured
        QCOMPARE(started.count(), 0); // restored, never measured
        // another model (here the same one opened afresh) starts without the project's measurement
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QVERIFY(!w.sensitivitySession()->results());
        QCOMPARE(w.modelMap()->kldGrid().layers, int64_t(0));
    }

    void cancelLeavesNone()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy measured(&w, &MainWindow::sensitivityFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.measureSensitivity();
        QVERIFY(w.sensitivitySession()->isRunning());
        w.cancelJob();
        QTRY_COMPARE_WITH_TIMEOUT(measured.count(), 1, 60000);
        QCOMPARE(measured.first().first().toBool(), false);
        QVERIFY(!w.sensitivitySession()->results());
        QCOMPARE(w.modelMap()->kldGrid().layers, int64_t(0));
        QVERIFY(w.lastError().isEmpty()); // cancelled is not failed
        QVERIFY(w.tensorDetails()->measureButton()->isEnabled());
    }

    void wrongFormatsSayWhy()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy measured(&w, &MainWindow::sensitivityFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.measureSensitivity(QStringLiteral("q4_k,nonsense"));
        QCOMPARE(measured.count(), 1);
        QCOMPARE(measured.first().first().toBool(), false);
        QVERIFY2(w.lastError().contains(QLatin1String("nonsense")), qPrintable(w.lastError()));
        QVERIFY(!w.sensitivitySession()->isRunning());
    }
};

QTEST_MAIN(TestSensitivity)
#include "tst_sensitivity.moc"
