// The studio's views on their own, offscreen, over made-up data: numbers written as the locale writes them, round
// histogram ticks, the error map's axes and colour bar with its unit, the model map's measure and its rows for the
// embedding and the output.
#include "common/axis_ticks.h"
#include "heatmap_widget.h"
#include "histogram_view.h"
#include "model_map_widget.h"
#include "number_text.h"

#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QLogValueAxis>
#include <QSignalSpy>
#include <QValueAxis>
#include <QtTest>

#include <cmath>

using namespace qs;

namespace {

// Sets the default locale for one test and puts English back afterwards, whatever happens in between.
struct DefaultLocale {
    explicit DefaultLocale(const QLocale &l) { QLocale::setDefault(l); }
    ~DefaultLocale() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
};

QLocale german() { return QLocale(QLocale::German, QLocale::Germany); }

} // namespace

class TestStudioViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numbersFollowTheLocale_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("bits");      // fixedText(4.5, 3)
        QTest::addColumn<QString>("percent");   // percentText(0.06277, 3)
        QTest::addColumn<QString>("integer");   // integerText(2622720)
        QTest::addColumn<QString>("small");     // significantText(0.0123, 3)
        QTest::addColumn<QString>("positive");  // signedText(0.0012, 2)
        QTest::addColumn<QString>("negative");  // signedText(-0.0012, 2)
        const QString nbsp(QChar(0x00A0));
        QTest::newRow("English") << QLocale(QLocale::English, QLocale::UnitedStates) << "4.500" << "6.277%" << "2,622,720"
                                 << "0.0123" << "+0.0012" << "-0.0012";
        // German: a decimal comma, a point between thousands, a no-break space before the percent sign
        QTest::newRow("German") << german() << "4,500" << "6,277" + nbsp + "%" << "2.622.720" << "0,0123" << "+0,0012" << "-0,0012";
        QTest::newRow("Chinese") << QLocale(QLocale::Chinese, QLocale::China) << "4.500" << "6.277%" << "2,622,720" << "0.0123"
                                 << "+0.0012" << "-0.0012";
    }

    void numbersFollowTheLocale()
    {
        QFETCH(QLocale, locale);
        DefaultLocale scope(locale);
        QTEST(fixedText(4.5, 3), "bits");
        QTEST(percentText(0.06277, 3), "percent");
        QTEST(integerText(2622720), "integer");
        QTEST(significantText(0.0123, 3), "small");
        QTEST(signedText(0.0012, 2), "positive");
        QTEST(signedText(-0.0012, 2), "negative");
        // a figure that cannot be computed is never written as 0
        QCOMPARE(fixedText(NAN, 3), notAvailableText());
        QCOMPARE(percentText(NAN, 3), notAvailableText());
    }

    void roundSteps_data()
    {
        QTest::addColumn<double>("rough");
        QTest::addColumn<double>("step");
        QTest::addColumn<qint64>("integerStep");
        QTest::newRow("0.04") << 0.04 << 0.05 << qint64(1);
        QTest::newRow("0.064") << 0.064 << 0.1 << qint64(1);
        QTest::newRow("1") << 1.0 << 1.0 << qint64(1);
        QTest::newRow("3") << 3.0 << 5.0 << qint64(5);
        QTest::newRow("189") << 189.0 << 200.0 << qint64(200);
        QTest::newRow("1001") << 1001.0 << 2000.0 << qint64(2000);
    }

    void roundSteps()
    {
        QFETCH(double, rough);
        QFETCH(double, step);
        QFETCH(qint64, integerStep);
        QCOMPARE(niceStep(rough), step);
        QCOMPARE(static_cast<qint64>(niceIntegerStep(rough)), integerStep);
    }

    void histogramCountsOnRoundIntegerTicks()
    {
        DefaultLocale scope(german());
        Histogram h(-0.164, 0.159, 64);
        for (size_t i = 0; i < h.counts.size(); ++i) // a bell whose peak, 945, is no round number
            h.counts[i] = static_cast<uint64_t>(945 * std::exp(-std::pow((static_cast<double>(i) - 32) / 10, 2)));
        HistogramView view;
        view.resize(600, 300);
        view.setHistogram(&h, QStringLiteral("made up"));
        QChart *chart = view.chart();
        QVERIFY(chart->localizeNumbers());
        QCOMPARE(chart->locale(), german());
        auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
        QVERIFY(y);
        QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(y->tickAnchor(), 0.0);
        QCOMPARE(y->tickInterval(), 200.0);               // 945 counts: 0, 200, … 1000
        QCOMPARE(y->min(), 0.0);
        QCOMPARE(y->max(), 1000.0);
        QCOMPARE(y->labelFormat(), QStringLiteral("%.0f")); // whole numbers, grouped as the locale groups them
        // the weight axis: labels at whole multiples of a round step, in the locale's own digits
        auto *x = qobject_cast<QCategoryAxis *>(chart->axes(Qt::Horizontal).value(0));
        QVERIFY(x);
        const QStringList labels = x->categoriesLabels();
        QCOMPARE(labels, (QStringList{"-0,15", "-0,10", "-0,05", "0", "0,05", "0,10", "0,15"}));
        for (const QString &l : labels)
            QCOMPARE(x->endValue(l), german().toDouble(l));
        // log counts: ticks at powers of ten, also whole numbers
        view.setLogScale(true);
        auto *ly = qobject_cast<QLogValueAxis *>(view.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(ly);
        QCOMPARE(ly->base(), 10.0);
        QCOMPARE(ly->labelFormat(), QStringLiteral("%.0f"));
    }

    void errorMapHasAxesAndAUnit_data()
    {
        QTest::addColumn<int>("measure");
        QTest::addColumn<QString>("title");
        QTest::newRow("mean") << int(HeatmapWidget::Measure::MeanAbs) << "mean |error| (weight units)";
        QTest::newRow("max") << int(HeatmapWidget::Measure::MaxAbs) << "max |error| (weight units)";
        QTest::newRow("step") << int(HeatmapWidget::Measure::Step) << "quantization step (weight units)";
        QTest::newRow("signed") << int(HeatmapWidget::Measure::Signed) << "signed error Q(W) − W (weight units)";
    }

    void errorMapHasAxesAndAUnit()
    {
        QFETCH(int, measure);
        DefaultLocale scope(german());
        // 4096 rows pooled four to a cell, 4 blocks of 256
        auto grid = std::make_shared<ErrorGrid>();
        grid->init(4096, 1024, 256);
        for (size_t i = 0; i < grid->meanAbs.size(); ++i) {
            const float v = 0.0001f * static_cast<float>(i % 97);
            grid->meanAbs[i] = v;
            grid->maxAbs[i] = 3 * v;
            grid->step[i] = 0.004f;
            grid->meanSigned[i] = (i % 2 ? v : -v) * 0.25f;
        }
        HeatmapWidget map;
        map.resize(500, 400);
        QSignalSpy ready(&map, &HeatmapWidget::imageReady);
        map.setGrid(grid, QStringLiteral("made up"), static_cast<HeatmapWidget::Measure>(measure));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 5000);
        QTEST(map.measureTitle(), "title");
        QCOMPARE(map.rowAxisTitle(), QStringLiteral("row"));
        QCOMPARE(map.blockAxisTitle(), QStringLiteral("block along the row (256 weights each)"));
        // the colour bar's ends in the locale's digits; signed: +max, 0, −max
        const QStringList labels = map.colourBarLabels();
        QVERIFY(map.maxValue() > 0);
        if (measure == int(HeatmapWidget::Measure::Signed)) {
            QCOMPARE(labels, (QStringList{signedText(map.maxValue(), 2), QStringLiteral("0"), signedText(-map.maxValue(), 2)}));
            QVERIFY2(labels.front().startsWith(QLatin1Char('+')) && labels.back().startsWith(QLatin1Char('-')), qPrintable(labels.join(' ')));
        } else {
            QCOMPARE(labels, (QStringList{significantText(map.maxValue(), 2), QStringLiteral("0")}));
        }
        QVERIFY2(labels.front().contains(QLatin1Char(',')), qPrintable(labels.front()));
        // the axes and the bar take room beside and below the map; the map itself fills the rest
        const QRect r = map.imageRect();
        QVERIFY(r.left() > map.fontMetrics().height() + map.fontMetrics().horizontalAdvance(QStringLiteral("4.095")));
        QVERIFY(map.height() - r.bottom() > 2 * map.fontMetrics().height());
        QVERIFY(map.width() - r.right() > 14 + map.fontMetrics().height());
        QVERIFY(r.width() > map.width() / 2 && r.height() > map.height() / 2);
        // rows past a thousand are written as the locale writes them
        const QString bottom = map.describeCell(r.center().x(), r.bottom() - 1);
        QVERIFY2(bottom.startsWith(QLatin1String("rows 4.0")), qPrintable(bottom));
    }

    void modelMapNamesItsMeasureAndGivesEmbeddingAndOutputTheirRows()
    {
        DefaultLocale scope(QLocale(QLocale::English, QLocale::UnitedStates));
        ModelErrorGrid g;
        g.layers = 3;
        const size_t nk = ModelErrorGrid::kinds().size();
        g.values.assign(3 * nk, 0.02);
        g.formats.assign(3 * nk, "q4_k");
        g.tensorIndex.resize(3 * nk);
        for (size_t i = 0; i < g.tensorIndex.size(); ++i)
            g.tensorIndex[i] = static_cast<int>(i) + 1; // 0 is the embedding, the last the output
        g.tokenEmbedding = 0.03;
        g.tokenEmbeddingIndex = 0;
        g.output = 0.01;
        g.outputIndex = static_cast<int>(3 * nk) + 1;
        ModelMapWidget map;
        map.resize(700, 400);
        map.setGrid(g);
        QVERIFY(map.measureTitle().contains(QLatin1String("Relative error")));
        QVERIFY(map.colourBarTitle().contains(QLatin1String("%")));
        // the embedding above layer 0 and the output below the last layer, each a row across every kind
        const QRect embd = map.embeddingRect(), out = map.outputRect();
        QVERIFY(!embd.isEmpty() && !out.isEmpty());
        QVERIFY(embd.bottom() < map.cellRect(0, 0).top());
        QVERIFY(out.top() > map.cellRect(2, 0).bottom());
        QCOMPARE(embd.left(), map.cellRect(0, 0).left());
        QCOMPARE(embd.right(), map.cellRect(0, static_cast<int>(nk) - 1).right());
        QCOMPARE(map.tensorAt(embd.center()), 0);
        QCOMPARE(map.tensorAt(out.center()), g.outputIndex);
        QCOMPARE(map.tensorAt(map.cellRect(1, 2).center()), 1 + static_cast<int>(nk) + 2);
        QCOMPARE(map.describe(embd.center()), QStringLiteral("token_embd: 3.000% relative error"));
        QCOMPARE(map.describe(map.cellRect(0, 0).center()), QStringLiteral("layer 0 attn_q as q4_k: 2.000% relative error"));
        // a source already quantized has no original weights: n/a, whatever the analysis measured
        std::vector<bool> already(static_cast<size_t>(g.outputIndex) + 1, false);
        already[0] = true;
        map.setGrid(g, already);
        QVERIFY(map.describe(map.embeddingRect().center()).contains(QLatin1String("n/a")));
        // no output tensor (tied to the embedding): no output row
        g.outputIndex = -1;
        g.output = NAN;
        map.setGrid(g);
        QVERIFY(map.outputRect().isEmpty());
        QCOMPARE(map.tensorAt(map.cellRect(2, 0).center()), 1 + 2 * static_cast<int>(nk));
    }
};

QTEST_MAIN(TestStudioViews)
#include "tst_studio_views.moc"
