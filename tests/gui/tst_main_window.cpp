// The studio window, offscreen: it opens the demo model in a worker and shows its card and every tensor; a bad
// path shows an error and keeps the model that was open.
#include "colormap.h"
#include "heatmap_widget.h"
#include "histogram_view.h"
#include "formats/ggml_type.h"
#include "language.h"
#include "main_window.h"
#include "vram_bar.h"
#include "vram/fit_report.h"
#include "model_map_widget.h"
#include "tensor_table_model.h"
#include "rule_table_model.h"
#include "layer_group_model.h"
#include "model/model.h"
#include "number_text.h"
#include "analysis/statistics.h"
#include "test_support.h"

#include <QApplication>
#include <QMenuBar>
#include <QCheckBox>
#include <QComboBox>
#include <QProgressBar>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QStatusBar>
#include <QTimer>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTreeView>
#include <QtTest>

using namespace qs;

namespace {

// The format quantscope-cli quantize --dry-run gives each tensor of the demo model under `planArgs` (empty on failure).
std::map<QString, QString> dryRunFormats(const QStringList &planArgs)
{
    QProcess cli;
    cli.start(qs::test::cliPath(), QStringList{QStringLiteral("quantize"), qs::test::demoModelDir()} + planArgs + QStringList{QStringLiteral("--dry-run")});
    std::map<QString, QString> formats;
    if (!cli.waitForFinished(60000) || cli.exitCode() != 0)
        return formats;
    for (const QByteArray &line : cli.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() >= 2 && (f[0].startsWith("blk.") || f[0].startsWith("token_embd") || f[0].startsWith("output")))
            formats[QString::fromUtf8(f[0])] = QString::fromUtf8(f[1]);
    }
    return formats;
}

// The studio executable beside quantscope-cli, run with `args` in the environment `env`.
struct StudioRun {
    int exitCode = -1;
    QString out, err;
};
StudioRun runStudio(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess studio;
    studio.setProcessEnvironment(env);
    studio.start(QFileInfo(qs::test::cliPath()).absolutePath() + QStringLiteral("/quantscope"), args);
    StudioRun r;
    if (studio.waitForFinished(60000) && studio.exitStatus() == QProcess::NormalExit)
        r.exitCode = studio.exitCode();
    r.out = QString::fromUtf8(studio.readAllStandardOutput());
    r.err = QString::fromUtf8(studio.readAllStandardError());
    return r;
}

// Puts the default locale and the interface language back to English when a test ends, however it ends.
struct EnglishAfterwards {
    ~EnglishAfterwards()
    {
        setAppLanguage(QStringLiteral("en"));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
};

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
        qputenv("QUANTSCOPE_DEMO_MODEL", qs::test::demoModelDir().toUtf8());
    }

    void opensDemoModel()
    {
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QVERIFY(w.currentModel());
        QCOMPARE(w.tensorTable()->rowCount(), 20);
        QCOMPARE(w.tensorTable()->data(w.tensorTable()->index(0, TensorTableModel::Name), Qt::DisplayRole).toString(),
                 QStringLiteral("model.embed_tokens.weight"));
        auto *view = w.findChild<QTableView *>(QStringLiteral("tensorView"));
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), 20);
        QVERIFY(w.windowTitle().contains(QLatin1String("sotu-mini")));
        // The card shows the numbers a person looks for.
        bool sawParams = false;
        for (QLabel *l : w.findChildren<QLabel *>())
            if (l->accessibleName() == QLatin1String("Parameters"))
                sawParams = l->text().remove(QLatin1Char(',')).remove(QChar(0x202F)).remove(QChar(0xA0)).remove(QLatin1Char('.')) == QLatin1String("2622720");
        QVERIFY(sawParams);
    }

    void filterNarrowsTable()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        auto *filter = w.findChild<QLineEdit *>(QStringLiteral("tensorFilter"));
        QVERIFY(filter);
        filter->setText(QStringLiteral("down_proj"));
        auto *view = w.findChild<QTableView *>(QStringLiteral("tensorView"));
        QCOMPARE(view->model()->rowCount(), 2);
        filter->clear();
        QCOMPARE(view->model()->rowCount(), 20);
    }

    void sortsByNumbersNotText()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        auto *view = w.findChild<QTableView *>(QStringLiteral("tensorView"));
        view->sortByColumn(TensorTableModel::Bytes, Qt::DescendingOrder);
        // the embedding (4096 x 256 BF16 = 2 MiB) is the largest tensor
        QCOMPARE(view->model()->index(0, TensorTableModel::Name).data().toString(), QStringLiteral("model.embed_tokens.weight"));
        view->sortByColumn(TensorTableModel::Bytes, Qt::AscendingOrder);
        QCOMPARE(view->model()->index(0, TensorTableModel::DType).data().toString(), QStringLiteral("BF16"));
        QVERIFY(view->model()->index(0, TensorTableModel::Name).data().toString().contains(QLatin1String("norm")));
    }

    void badPathKeepsModelAndShowsError()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy failed(&w, &MainWindow::modelOpenFailed);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        const Model *before = w.currentModel();
        w.openModel(QStringLiteral("/no/such/model.gguf"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(w.currentModel(), before);
        QCOMPARE(w.tensorTable()->rowCount(), 20);
        QVERIFY(w.lastError().contains(QLatin1String("/no/such/model.gguf")));
        // a good open clears the error
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 10000);
        QVERIFY(w.lastError().isEmpty());
    }

    void analysisFillsTableHistogramAndHeatmap()
    {
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy finished(&w, &MainWindow::analysisFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);

        // the event loop must keep running while the worker analyses: a 10 ms timer records how late it fires
        QElapsedTimer clock;
        qint64 last = 0, worstStall = 0;
        QTimer tick;
        tick.setInterval(10);
        QObject::connect(&tick, &QTimer::timeout, &w, [&] {
            const qint64 now = clock.elapsed();
            worstStall = std::max(worstStall, now - last - 10);
            last = now;
        });
        clock.start();
        tick.start();
        w.startAnalysis(QStringLiteral("q4_k,q8_0,int4-g128-asym"));
        QVERIFY(w.isAnalysing());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toBool(), true);
        // and an export, still watching the event loop
        QTemporaryDir exportDir;
        QSignalSpy exported(&w, &MainWindow::exportFinished);
        w.exportGguf(exportDir.path() + QStringLiteral("/stall.gguf"));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        tick.stop();
        QCOMPARE(exported.first().first().toBool(), true);
        QVERIFY(w.logText().contains(QLatin1String("Analysed 15 tensors")));
        QVERIFY(w.logText().contains(QLatin1String("stall.gguf")));
        qInfo("longest event-loop stall during the analysis and the export: %lld ms", static_cast<long long>(worstStall));
        QVERIFY2(worstStall < 1000, "the window froze during the analysis or the export");

        QVERIFY(w.analysis());
        QCOMPARE(w.analysis()->tensors.size(), size_t(15));
        // the table shows the first format's error for analysed tensors
        const int row = static_cast<int>(*w.currentModel()->findTensor("model.layers.1.mlp.down_proj.weight"));
        QVERIFY(w.tensorTable()->data(w.tensorTable()->index(row, TensorTableModel::RelError), Qt::DisplayRole).toString().endsWith(QLatin1Char('%')));
        QVERIFY(w.tensorTable()->headerData(TensorTableModel::RelError, Qt::Horizontal, Qt::DisplayRole).toString().contains(QLatin1String("Q4_K")));
        // selecting a tensor fills the histogram and renders the heatmap
        QSignalSpy rendered(w.heatmapWidget(), &HeatmapWidget::imageReady);
        w.selectTensor(row);
        QCOMPARE(w.histogramView()->pointCount(), 2 * kHistogramBins);
        QTRY_VERIFY_WITH_TIMEOUT(rendered.count() >= 1, 5000);
        const QImage img = w.heatmapWidget()->image();
        QCOMPARE(img.height(), 256); // 256 rows, fewer than 1024: one cell each
        QCOMPARE(img.width(), 3);    // 768 / 256-element Q4_K blocks
        QVERIFY(w.heatmapWidget()->maxValue() > 0);
        // zoom about a point keeps that cell under it; panning stays inside the map; double-click resets
        HeatmapWidget *hm = w.heatmapWidget();
        hm->resize(400, 300);
        const QString before = hm->describeCell(200, 150);
        QVERIFY(before.startsWith(QLatin1String("rows")));
        hm->zoomAt(QPointF(200, 150), 4.0);
        QCOMPARE(hm->zoom(), 4.0);
        QCOMPARE(hm->visibleCells().height(), 256.0 / 4);
        QCOMPARE(hm->describeCell(200, 150), before);
        hm->panBy(QPointF(-10000, -10000)); // far past the edge: clamped
        QVERIFY(hm->visibleCells().bottom() <= 256.0 && hm->visibleCells().top() >= 0.0);
        hm->resetView();
        QCOMPARE(hm->zoom(), 1.0);
        // the signed error (bias) on the diverging scale: both signs occur, and the scale is symmetric about 0
        rendered.clear();
        w.heatmapMeasure()->setCurrentIndex(static_cast<int>(HeatmapWidget::Measure::Signed));
        QTRY_VERIFY_WITH_TIMEOUT(rendered.count() >= 1, 5000);
        QVERIFY(hm->isSigned());
        QVERIFY(hm->maxValue() > 0);
        int bluish = 0, reddish = 0;
        const QImage signedImg = hm->image();
        for (int y = 0; y < signedImg.height(); ++y)
            for (int x = 0; x < signedImg.width(); ++x) {
                const QColor c = signedImg.pixelColor(x, y);
                bluish += c.blue() > c.red() + 8;
                reddish += c.red() > c.blue() + 8;
            }
        QVERIFY2(bluish > 0 && reddish > 0, qPrintable(QStringLiteral("%1 blue, %2 red").arg(bluish).arg(reddish)));
        w.heatmapMeasure()->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(!hm->isSigned() && !hm->image().isNull(), 5000);
        w.histogramView()->setLogScale(true);
        QCOMPARE(w.histogramView()->pointCount(), 2 * kHistogramBins);

        // the model map shows the plan's error per layer and kind; a click selects that tensor
        ModelMapWidget *map = w.modelMap();
        map->resize(600, 300);
        QCOMPARE(map->grid().layers, int64_t(2));
        QVERIFY(std::isfinite(map->grid().at(0, 6))); // layer 0 ffn_down: Q4_K under Q4_K_M, measured
        QVERIFY(std::isnan(map->grid().at(1, 6)));    // layer 1 ffn_down: bumped to Q6_K, which this analysis did not measure
        const int analysisIndex = map->tensorAt(map->cellRect(0, 0).center());
        QVERIFY(analysisIndex >= 0);
        QCOMPARE(QString::fromStdString(w.analysis()->tensors[static_cast<size_t>(analysisIndex)].ggufName), QStringLiteral("blk.0.attn_q.weight"));
        QSignalSpy clicked(map, &ModelMapWidget::tensorClicked);
        QTest::mouseClick(map, Qt::LeftButton, {}, map->cellRect(0, 0).center());
        QCOMPARE(clicked.count(), 1);
        QVERIFY(w.histogramView()->chart()->title().contains(QLatin1String("blk.0.attn_q.weight")));
    }

    void opensWithATensorShown()
    {
        // no empty chart at start: the first tensor the plan may quantize is selected and its histogram drawn
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy ready(&w, &MainWindow::previewReady);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        auto *view = w.findChild<QTableView *>(QStringLiteral("tensorView"));
        QCOMPARE(view->currentIndex().row(), 0);
        QCOMPARE(view->currentIndex().siblingAtColumn(TensorTableModel::Name).data().toString(), QStringLiteral("model.embed_tokens.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1 && w.histogramView()->preview().has_value(), 10000);
        QCOMPARE(w.histogramView()->pointCount(), 2 * kHistogramBins);
        QVERIFY(w.histogramView()->chart()->title().contains(QLatin1String("model.embed_tokens.weight")));
        // sorted by size, the first row is still a weight, not a norm
        view->sortByColumn(TensorTableModel::Bytes, Qt::AscendingOrder);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 10000);
        QVERIFY(w.tensorTable()->quantizable(static_cast<QSortFilterProxyModel *>(view->model())->mapToSource(view->currentIndex()).row()));
        QVERIFY(!view->currentIndex().siblingAtColumn(TensorTableModel::Name).data().toString().contains(QLatin1String("norm")));
    }

    void numbersFollowTheLocale()
    {
        // German numbers with English words: every figure the window writes uses the default locale
        EnglishAfterwards restore;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.startAnalysis(QStringLiteral("q4_k,q6_k"));
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 60000);
        const QString nbsp(QChar(0x00A0));
        const int down = static_cast<int>(*w.currentModel()->findTensor("model.layers.0.mlp.down_proj.weight"));
        auto cell = [&](int row, int column) { return w.tensorTable()->index(row, column).data().toString(); };
        QCOMPARE(cell(down, TensorTableModel::BitsPerWeight), QStringLiteral("4,500"));
        QCOMPARE(cell(down, TensorTableModel::Parameters), QStringLiteral("196.608"));
        const QRegularExpression germanPercent(QStringLiteral("^\\d+,\\d{3}") + nbsp + QStringLiteral("%$"));
        QVERIFY2(germanPercent.match(cell(down, TensorTableModel::PlannedError)).hasMatch(), qPrintable(cell(down, TensorTableModel::PlannedError)));
        QVERIFY2(germanPercent.match(cell(down, TensorTableModel::RelError)).hasMatch(), qPrintable(cell(down, TensorTableModel::RelError)));
        QVERIFY(cell(down, TensorTableModel::Sqnr).contains(QLatin1Char(',')));
        QVERIFY(cell(down, TensorTableModel::StdDev).startsWith(QLatin1String("0,0")));
        QVERIFY(w.tensorTable()->index(down, TensorTableModel::RelError).data(Qt::ToolTipRole).toString().contains(QLatin1String("(0,289 is ideal")));
        // the layer tree's totals
        QAbstractItemModel *layers = w.layerGroups();
        QVERIFY(layers->index(1, TensorTableModel::BitsPerWeight).data().toString().contains(QLatin1Char(',')));
        QVERIFY(germanPercent.match(layers->index(1, TensorTableModel::PlannedError).data().toString()).hasMatch());
        // the plan's totals: "5,505 bits per quantized weight, error 4,112 % …"
        QVERIFY2(QRegularExpression(QStringLiteral("\\d,\\d{3} bits per quantized weight, error \\d+,\\d{3}") + nbsp + QStringLiteral("% over"))
                     .match(w.totalsText()).hasMatch(),
                 qPrintable(w.totalsText()));
        // the card, the status bar, the memory bar
        bool sawParams = false;
        for (QLabel *l : w.findChildren<QLabel *>())
            sawParams |= l->accessibleName() == QLatin1String("Parameters") && l->text() == QLatin1String("2.622.720");
        QVERIFY(sawParams);
        QVERIFY2(QRegularExpression(QStringLiteral("in \\d+,\\d s$")).match(w.statusBar()->currentMessage()).hasMatch(),
                 qPrintable(w.statusBar()->currentMessage()));
        QVERIFY2(w.vramBar()->toolTip().contains(QRegularExpression(QStringLiteral("\\d,\\d+ [KMG]iB"))), qPrintable(w.vramBar()->toolTip()));
        // the views: histogram axes, the error map's colour bar and cells, the model map's tooltips
        w.selectTensor(down);
        QCOMPARE(w.histogramView()->chart()->locale(), QLocale(QLocale::German, QLocale::Germany));
        QVERIFY(w.histogramView()->chart()->title().contains(QLatin1String("kurtosis 3,") ) ||
                w.histogramView()->chart()->title().contains(QRegularExpression(QStringLiteral("kurtosis -?\\d+,\\d\\d$"))));
        QTRY_VERIFY_WITH_TIMEOUT(!w.heatmapWidget()->image().isNull(), 5000);
        QVERIFY(w.heatmapWidget()->colourBarLabels().front().contains(QLatin1Char(',')));
        ModelMapWidget *map = w.modelMap();
        map->resize(600, 300);
        QVERIFY2(map->describe(map->cellRect(0, 6).center()).contains(QRegularExpression(QStringLiteral("\\d+,\\d{3}") + nbsp + QStringLiteral("%"))),
                 qPrintable(map->describe(map->cellRect(0, 6).center())));
        // and choosing German for the interface chooses German numbers
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(setAppLanguage(QStringLiteral("de")));
        QCOMPARE(QLocale().language(), QLocale::German);
        QTRY_VERIFY(w.totalsText().contains(QLatin1String("Bit je quantisiertem Gewicht")));
        QVERIFY2(w.totalsText().contains(QRegularExpression(QStringLiteral("\\d,\\d{3} Bit je"))), qPrintable(w.totalsText()));
        QCOMPARE(cell(down, TensorTableModel::BitsPerWeight), QStringLiteral("4,500"));
        QVERIFY(setAppLanguage(QStringLiteral("zh_CN")));
        QCOMPARE(QLocale().language(), QLocale::Chinese);
        QCOMPARE(cell(down, TensorTableModel::BitsPerWeight), QStringLiteral("4.500"));
    }

    void chineseHeaderTitlesAreWhole()
    {
        // the error column is renamed "误差 Q4_K" by the analysis: its section grows to the title
        EnglishAfterwards restore;
        QVERIFY(setAppLanguage(QStringLiteral("zh_CN")));
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.startAnalysis(QStringLiteral("q4_k,q6_k"));
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 60000);
        QCOMPARE(w.tensorTable()->headerData(TensorTableModel::RelError, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("误差 Q4_K"));
        auto *view = w.findChild<QTableView *>(QStringLiteral("tensorView"));
        for (QHeaderView *header : {view->horizontalHeader(), w.layerTree()->header()}) {
            const QFontMetrics fm(header->font());
            for (int s = 0; s < header->count(); ++s) {
                if (header->isSectionHidden(s))
                    continue;
                const QString title = header->model()->headerData(s, Qt::Horizontal).toString();
                QVERIFY2(header->sectionSize(s) >= header->sectionSizeHint(s) && header->sectionSize(s) > fm.horizontalAdvance(title),
                         qPrintable(QStringLiteral("%1: %2 px for a title of %3 px").arg(title).arg(header->sectionSize(s)).arg(fm.horizontalAdvance(title))));
            }
        }
        // a language switch renames every column: they grow again where the new titles are longer
        QVERIFY(setAppLanguage(QStringLiteral("de")));
        const QHeaderView *header = view->horizontalHeader();
        QTRY_COMPARE(w.menuBar()->actions().first()->text(), QStringLiteral("&Datei")); // the window has retranslated
        for (int s = 0; s < header->count(); ++s)
            QVERIFY2(header->isSectionHidden(s) || header->sectionSize(s) >= header->sectionSizeHint(s),
                     qPrintable(header->model()->headerData(s, Qt::Horizontal).toString()));
    }

    void quantizedGgufShowsNotAvailable()
    {
        // a GGUF that is already Q4_K_M: no original weights, so no error can be measured and none is shown as 0
        QTemporaryDir dir;
        const QString gguf = dir.path() + QStringLiteral("/q4.gguf");
        const auto made = qs::test::runCli({QStringLiteral("quantize"), qs::test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q4_K_M"),
                                             QStringLiteral("-o"), gguf});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        w.openModel(gguf);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.startAnalysis(QStringLiteral("q4_k,q6_k"));
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 60000);
        const QString na = notAvailableText();
        // the totals: bits per weight as stored, the error n/a
        QVERIFY2(w.totalsText().contains(QLatin1String("5.505 bits per quantized weight")), qPrintable(w.totalsText()));
        QVERIFY2(w.totalsText().contains(QLatin1String("error n/a")), qPrintable(w.totalsText()));
        TensorTableModel *t = w.tensorTable();
        int quantized = 0;
        for (int row = 0; row < t->rowCount(); ++row) {
            for (int c = 0; c < TensorTableModel::ColumnCount; ++c) {
                const QString text = t->index(row, c).data().toString();
                QVERIFY2(text != QLatin1String("0.000%") && text != QLatin1String("0.000"), qPrintable(QStringLiteral("row %1 column %2").arg(row).arg(c)));
            }
            if (!t->sourceQuantized(row))
                continue;
            ++quantized;
            QCOMPARE(t->index(row, TensorTableModel::PlannedError).data().toString(), na);
            QCOMPARE(t->index(row, TensorTableModel::RelError).data().toString(), na);
            QCOMPARE(t->index(row, TensorTableModel::Sqnr).data().toString(), na);
            QVERIFY(t->index(row, TensorTableModel::PlannedError).data(Qt::ToolTipRole).toString().contains(QLatin1String("already quantized")));
        }
        QCOMPARE(quantized, 15);
        const int q = static_cast<int>(*w.currentModel()->findTensor("blk.0.ffn_up.weight"));
        QCOMPARE(t->index(q, TensorTableModel::BitsPerWeight).data().toString(), QStringLiteral("4.500")); // Q4_K as stored
        QCOMPARE(w.layerGroups()->index(1, TensorTableModel::PlannedError).data().toString(), na);
        ModelMapWidget *map = w.modelMap();
        map->resize(600, 300);
        QVERIFY(map->describe(map->cellRect(0, 0).center()).contains(QLatin1String("n/a")));
        QVERIFY(map->describe(map->embeddingRect().center()).contains(QLatin1String("already quantized")));
        // a plan that re-quantizes them changes nothing: the error is still measured against quantized weights
        w.setPreset(QStringLiteral("Q8_0"));
        QVERIFY2(w.totalsText().contains(QLatin1String("error n/a")), qPrintable(w.totalsText()));
        QCOMPARE(t->index(q, TensorTableModel::PlannedError).data().toString(), na);
    }

    void commandLine()
    {
        // --help and --version need no display; wrong values say what is valid and exit with 2
        QProcessEnvironment noDisplay = QProcessEnvironment::systemEnvironment();
        for (const char *v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            noDisplay.remove(QString::fromLatin1(v));
        QTemporaryDir config;
        noDisplay.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        StudioRun help = runStudio({QStringLiteral("--help")}, noDisplay);
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(QLatin1String("--tab <view>")) && help.out.contains(QLatin1String(".qsproj")), qPrintable(help.out + help.err));
        StudioRun version = runStudio({QStringLiteral("--version")}, noDisplay);
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QLatin1String("Quantscope ")));
        StudioRun badTab = runStudio({QStringLiteral("--tab"), QStringLiteral("errmap")}, noDisplay);
        QCOMPARE(badTab.exitCode, 2);
        QVERIFY2(badTab.err.contains(QLatin1String("histogram, errormap, modelmap")) && badTab.err.contains(QLatin1String("'errmap'")), qPrintable(badTab.err));
        StudioRun badMeasure = runStudio({QStringLiteral("--measure"), QStringLiteral("rmse"), QStringLiteral("--demo")}, noDisplay);
        QCOMPARE(badMeasure.exitCode, 2);
        QVERIFY2(badMeasure.err.contains(QLatin1String("mean, max, step, signed")), qPrintable(badMeasure.err));

        // a project opens from the command line as from File ▸ Open Project; one that does not open exits with 1
        QTemporaryDir dir;
        const QString project = dir.path() + QStringLiteral("/demo.qsproj");
        {
            MainWindow w;
            QSignalSpy opened(&w, &MainWindow::modelOpened);
            QSignalSpy saved(&w, &MainWindow::projectSaved);
            w.openDemoModel();
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
            w.saveProjectAs(project);
            QCOMPARE(saved.count(), 1);
        }
        QProcessEnvironment offscreen = noDisplay;
        offscreen.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const QString picture = dir.path() + QStringLiteral("/project.png");
        StudioRun fromProject = runStudio({project, QStringLiteral("--screenshot"), picture}, offscreen);
        QVERIFY2(fromProject.exitCode == 0, qPrintable(fromProject.err));
        QVERIFY(QImage(picture).width() > 0);
        StudioRun missing = runStudio({dir.path() + QStringLiteral("/none.qsproj"), QStringLiteral("--screenshot"), picture}, offscreen);
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QLatin1String("none.qsproj")), qPrintable(missing.err));
    }

    void divergingColourMap()
    {
        // Moreland's cool-warm ends, a neutral middle, lightness rising evenly to 0 and falling evenly after it
        QCOMPARE(QColor(diverging(-1)), QColor(59, 76, 192));
        QCOMPARE(QColor(diverging(1)), QColor(180, 4, 38));
        const QColor mid(diverging(0));
        QVERIFY(std::abs(mid.red() - mid.blue()) <= 3 && std::abs(mid.red() - mid.green()) <= 3 && mid.red() > 200);
        auto lightness = [](double t) { // CIE L* / 100
            const QColor c(diverging(t));
            auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
            const double y = 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
            return (y > 216.0 / 24389.0 ? 116 * std::cbrt(y) - 16 : 24389.0 / 27.0 * y) / 100;
        };
        for (double t = -1; t < -0.01; t += 0.05) {
            QVERIFY2(lightness(t + 0.05) > lightness(t) - 1e-3, qPrintable(QString::number(t)));
            QVERIFY2(lightness(-t - 0.05) > lightness(-t) - 1e-3, qPrintable(QString::number(t)));
            QVERIFY2(std::fabs(lightness(t) - lightness(-t)) < 0.04, qPrintable(QString::number(t)));
        }
        QCOMPARE(QColor(diverging(5)), QColor(diverging(1))); // clamped
        QCOMPARE(QColor(viridis(0)), QColor(68, 1, 84));
    }

    void cancelAnalysis()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy finished(&w, &MainWindow::analysisFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.startAnalysis(QStringLiteral("q2_k,q3_k,q4_k,q5_k,q6_k,iq4_xs,iq4_nl"));
        w.cancelAnalysis();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!w.analysis());
        QVERIFY(w.lastError().isEmpty()); // cancelling is not an error
    }

    void planFileRoundTripsThroughTheCli()
    {
        // a plan made in the window, saved, applied by quantscope-cli quantize --plan: the same format per tensor
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.setPreset(QStringLiteral("Q5_K_M"));
        w.addRule(QStringLiteral("ffn_up"), QStringLiteral("Q8_0"));
        w.setTensorFormat(QStringLiteral("blk.1.attn_q.weight"), QStringLiteral("IQ4_XS"));
        QTemporaryDir dir;
        const QString file = dir.path() + QStringLiteral("/plan.json");
        QVERIFY(w.savePlan(file));
        std::map<QString, QString> fromCli = dryRunFormats({QStringLiteral("--plan"), file});
        QCOMPARE(fromCli.size(), size_t(20));
        QCOMPARE(fromCli[QStringLiteral("blk.1.attn_q.weight")], QStringLiteral("IQ4_XS"));
        QCOMPARE(fromCli[QStringLiteral("blk.0.ffn_up.weight")], QStringLiteral("Q8_0"));
        for (int row = 0; row < w.tensorTable()->rowCount(); ++row)
            QCOMPARE(w.tensorTable()->data(w.tensorTable()->index(row, TensorTableModel::Format), Qt::DisplayRole).toString(),
                     fromCli[QString::fromStdString(w.tensorTable()->plannedFor(row)->ggufName)]);
        // and as llama-quantize's arguments, the override quoted for a shell
        const QString command = w.llamaQuantizeCommand();
        QVERIFY2(command.contains(QStringLiteral("--tensor-type '^blk\\.1\\.attn_q\\.weight$=iq4_xs' --tensor-type ffn_up=q8_0")), qPrintable(command));
        QVERIFY(command.endsWith(QLatin1String("OUT.gguf Q5_K_M")));
        // loading replaces the plan as one undoable step
        w.setPreset(QStringLiteral("Q2_K"));
        QVERIFY(w.loadPlan(file));
        QCOMPARE(QString::fromStdString(w.plan().preset), QStringLiteral("Q5_K_M"));
        QCOMPARE(w.plan().overrides.size(), size_t(1));
        w.undoStack()->undo();
        QCOMPARE(QString::fromStdString(w.plan().preset), QStringLiteral("Q2_K"));
        // a broken file or a plan that cannot apply changes nothing and says why
        QFile bad(dir.path() + QStringLiteral("/bad.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"format\":\"quantscope.plan/1\",\"rules\":[{\"pattern\":\"ffn_\\u0028\",\"type\":\"Q8_0\"}]}"); // ffn_( : no regex
        bad.close();
        const int steps = w.undoStack()->count();
        QVERIFY(!w.loadPlan(bad.fileName()));
        QVERIFY(w.lastError().contains(QLatin1String("not a valid regular expression")));
        QVERIFY(!w.loadPlan(dir.path() + QStringLiteral("/missing.json")));
        QCOMPARE(w.undoStack()->count(), steps);
        QVERIFY(!w.savePlan(QStringLiteral("/no/such/dir/plan.json")));
    }

    void runtimesInTheMemoryBar()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        VramBar *bar = w.vramBar();
        w.setDevice(QStringLiteral("h100-sxm"));
        QCOMPARE(bar->estimate().runtime, Runtime::LlamaCppCuda);
        const uint64_t usable = bar->capacity();
        // vLLM claims 90% of the card and loads the checkpoint as stored (bf16)
        w.setRuntime(QStringLiteral("vllm"));
        QCOMPARE(bar->estimate().runtime, Runtime::Vllm);
        QCOMPARE(bar->capacity(), static_cast<uint64_t>(static_cast<double>(usable) * 0.9));
        QCOMPARE(bar->estimate().weights, modelWeightBytes(*w.currentModel()).total);
        w.setRuntime(QStringLiteral("transformers"));
        QCOMPARE(bar->estimate().runtime, Runtime::Transformers);
        // a GPTQ plan: packed weights on transformers, and no llama.cpp estimate at all
        QTemporaryDir dir;
        QFile plan(dir.path() + QStringLiteral("/gptq.json"));
        QVERIFY(plan.open(QIODevice::WriteOnly));
        plan.write("{\"format\":\"quantscope.plan/1\",\"preset\":\"Q4_K_M\",\"group_quant\":\"gptq:4:128\"}");
        plan.close();
        QVERIFY(w.loadPlan(plan.fileName()));
        QCOMPARE(bar->estimate().weights, w.plannedBytes()); // the packed layers and the 16-bit rest
        QVERIFY(bar->estimate().weights < modelWeightBytes(*w.currentModel()).total);
        QCOMPARE(w.tensorTable()->index(static_cast<int>(*w.currentModel()->findTensor("model.layers.0.mlp.down_proj.weight")),
                                        TensorTableModel::Format).data().toString(), QStringLiteral("GPTQ 4-bit g128"));
        w.setRuntime(QStringLiteral("llama.cpp"));
        QVERIFY(bar->message().contains(QLatin1String("GPTQ/AWQ")));
        QVERIFY(bar->toolTip().contains(QLatin1String("transformers or vLLM")));
        // and the GGUF exporter says why it will not write it
        QSignalSpy exported(&w, &MainWindow::exportFinished);
        w.exportGguf(dir.path() + QStringLiteral("/x.gguf"));
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 10000);
        QVERIFY(!exported.first().first().toBool());
        QVERIFY(w.lastError().contains(QLatin1String("GPTQ/AWQ")));
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/x.gguf")));
    }

    void presetMatchesTheCli()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.setPreset(QStringLiteral("Q3_K_M"));
        std::map<QString, QString> fromCli = dryRunFormats({QStringLiteral("--preset"), QStringLiteral("Q3_K_M")});
        QCOMPARE(fromCli.size(), size_t(20));
        int compared = 0;
        for (int row = 0; row < w.tensorTable()->rowCount(); ++row) {
            const PlannedTensor *p = w.tensorTable()->plannedFor(row);
            QVERIFY(p);
            QCOMPARE(w.tensorTable()->data(w.tensorTable()->index(row, TensorTableModel::Format), Qt::DisplayRole).toString(),
                     fromCli[QString::fromStdString(p->ggufName)]);
            ++compared;
        }
        QCOMPARE(compared, 20);
        QVERIFY(w.totalsText().contains(QLatin1String("Plan Q3_K_M")));
    }

    void editUndoRedoAndRules()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        const int row = static_cast<int>(*w.currentModel()->findTensor("model.layers.0.mlp.down_proj.weight"));
        const QModelIndex fmt = w.tensorTable()->index(row, TensorTableModel::Format);
        QCOMPARE(fmt.data().toString(), QStringLiteral("Q4_K"));
        const uint64_t before = w.plannedBytes();
        // the way the delegate edits: setData on the Format column
        QVERIFY(w.tensorTable()->flags(fmt) & Qt::ItemIsEditable);
        QVERIFY(w.tensorTable()->setData(fmt, QStringLiteral("Q8_0"), Qt::EditRole));
        QCOMPARE(fmt.data().toString(), QStringLiteral("Q8_0"));
        QVERIFY(w.plannedBytes() > before);
        QVERIFY(fmt.data(Qt::ToolTipRole).toString().contains(QLatin1String("override")));
        w.undoStack()->undo();
        QCOMPARE(fmt.data().toString(), QStringLiteral("Q4_K"));
        QCOMPARE(w.plannedBytes(), before);
        w.undoStack()->redo();
        QCOMPARE(fmt.data().toString(), QStringLiteral("Q8_0"));
        // a rule; the per-tensor override still wins for its tensor
        w.addRule(QStringLiteral("ffn_"), QStringLiteral("Q5_K"));
        QCOMPARE(w.tensorTable()->index(row + 1, TensorTableModel::Format).data().toString(), QStringLiteral("Q5_K")); // blk.0 ffn_gate
        QCOMPARE(fmt.data().toString(), QStringLiteral("Q8_0"));
        RuleTableModel *rules = w.ruleTable();
        auto decides = [&](int r) { return rules->index(r, RuleTableModel::Decides).data(Qt::EditRole).toInt(); };
        QCOMPARE(rules->rowCount(), 1);
        QCOMPARE(decides(0), 5); // gate, up and down in two layers, less the overridden blk.0 ffn_down
        // a later, narrower rule is shadowed by the first; moving it up lets it win
        w.addRule(QStringLiteral("ffn_up"), QStringLiteral("Q8_0"));
        QCOMPARE(decides(1), 0);
        // the shadowed rule is said under the rules and, once, in the log (an undo/redo does not repeat it)
        QVERIFY2(w.planWarningsText().contains(QLatin1String("Rule 2 'ffn_up'")), qPrintable(w.planWarningsText()));
        QCOMPARE(w.logText().count(QLatin1String("Rule 2 'ffn_up'")), 1);
        w.undoStack()->undo();
        QVERIFY(w.planWarningsText().isEmpty());
        w.undoStack()->redo();
        QCOMPARE(w.logText().count(QLatin1String("Rule 2 'ffn_up'")), 2); // it went away and came back: said again
        QVERIFY(rules->index(1, RuleTableModel::Decides).data(Qt::ToolTipRole).toString().contains(QLatin1String("earlier rule")));
        w.ruleView()->setCurrentIndex(rules->index(1, RuleTableModel::Pattern));
        w.moveRule(1, 0);
        QCOMPARE(QString::fromStdString(w.plan().rules[0].pattern), QStringLiteral("ffn_up"));
        QCOMPARE(w.ruleView()->currentIndex().row(), 0); // the moved rule stays selected
        QCOMPARE(decides(0), 2);
        QCOMPARE(decides(1), 3);
        QCOMPARE(rules->headerData(0, Qt::Vertical, Qt::DisplayRole).toInt(), 1);
        // editing a cell the way the delegates do: the format of rule 2, then a pattern that is not a regex
        QVERIFY(rules->flags(rules->index(1, RuleTableModel::Format)) & Qt::ItemIsEditable);
        QVERIFY(!(rules->flags(rules->index(1, RuleTableModel::Decides)) & Qt::ItemIsEditable));
        QVERIFY(rules->setData(rules->index(1, RuleTableModel::Format), QStringLiteral("Q6_K"), Qt::EditRole));
        QTRY_COMPARE(w.plan().rules[1].type, GgmlType::Q6_K);
        QCOMPARE(w.tensorTable()->index(row + 1, TensorTableModel::Format).data().toString(), QStringLiteral("Q6_K"));
        const int steps = w.undoStack()->count();
        QVERIFY(rules->setData(rules->index(1, RuleTableModel::Pattern), QStringLiteral("ffn_("), Qt::EditRole));
        QTRY_VERIFY(w.lastError().contains(QLatin1String("not a valid regular expression")));
        QCOMPARE(w.undoStack()->count(), steps); // the plan did not change
        QCOMPARE(rules->index(1, RuleTableModel::Pattern).data().toString(), QStringLiteral("ffn_"));
        w.undoStack()->undo(); // the format edit
        QCOMPARE(w.plan().rules[1].type, GgmlType::Q5_K);
        w.undoStack()->undo(); // the move
        QCOMPARE(QString::fromStdString(w.plan().rules[0].pattern), QStringLiteral("ffn_"));
        w.removeRule(1);
        w.removeRule(0);
        QCOMPARE(w.plan().rules.size(), size_t(0));
        QCOMPARE(rules->rowCount(), 0);
        // norms are not quantized and cannot be edited
        const int norm = static_cast<int>(*w.currentModel()->findTensor("model.norm.weight"));
        QVERIFY(!(w.tensorTable()->flags(w.tensorTable()->index(norm, TensorTableModel::Format)) & Qt::ItemIsEditable));
        QCOMPARE(w.undoStack()->count(), 5); // format, rule, rule, and the two removals (undone steps were dropped)
    }

    void exportAndCancel()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy exported(&w, &MainWindow::exportFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QTemporaryDir dir;
        const QString out = dir.path() + QStringLiteral("/demo.gguf");
        w.setTensorFormat(QStringLiteral("blk.1.attn_q.weight"), QStringLiteral("Q8_0"));
        w.exportGguf(out);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QCOMPARE(exported.first().first().toBool(), true);
        auto m = Model::open(out.toStdString());
        QVERIFY(m.ok());
        QCOMPARE((*m)->tensors()[*(*m)->findTensor("blk.1.attn_q.weight")].dtype, std::string("Q8_0"));
        QCOMPARE((*m)->tensors()[*(*m)->findTensor("blk.0.attn_q.weight")].dtype, std::string("Q4_K"));

        const QString cancelled = dir.path() + QStringLiteral("/cancelled.gguf");
        w.exportGguf(cancelled);
        w.cancelJob();
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 60000);
        QCOMPARE(exported.last().first().toBool(), false);
        QVERIFY(!QFile::exists(cancelled));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // only the first export
    }

    void saveAndReopenProject()
    {
        QTemporaryDir dir;
        const QString project = dir.path() + QStringLiteral("/demo.qsproj");
        {
            MainWindow w;
            QSignalSpy opened(&w, &MainWindow::modelOpened);
            QSignalSpy analysed(&w, &MainWindow::analysisFinished);
            QSignalSpy saved(&w, &MainWindow::projectSaved);
            w.openDemoModel();
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
            w.setTensorFormat(QStringLiteral("blk.0.attn_k.weight"), QStringLiteral("Q6_K"));
            w.startAnalysis(QStringLiteral("q4_k,q6_k"));
            QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 60000);
            w.saveProjectAs(project);
            QCOMPARE(saved.count(), 1);
            QCOMPARE(saved.first().first().toBool(), true);
        }
        MainWindow w;
        QSignalSpy reopened(&w, &MainWindow::projectOpened);
        w.openProject(project);
        QTRY_COMPARE_WITH_TIMEOUT(reopened.count(), 1, 10000);
        QCOMPARE(reopened.first().first().toBool(), true);
        QVERIFY(w.analysis());
        QCOMPARE(w.analysis()->tensors.size(), size_t(15));
        QCOMPARE(w.analysis()->candidates.size(), size_t(2));
        QCOMPARE(w.plan().overrides.at("blk.0.attn_k.weight"), GgmlType::Q6_K);
        const int row = static_cast<int>(*w.currentModel()->findTensor("model.layers.0.self_attn.k_proj.weight"));
        QCOMPARE(w.tensorTable()->index(row, TensorTableModel::Format).data().toString(), QStringLiteral("Q6_K"));
        QVERIFY(w.tensorTable()->index(row, TensorTableModel::PlannedError).data().toString().endsWith(QLatin1Char('%')));
        // a file that is not a project: a clear error, nothing changes
        QSignalSpy failed(&w, &MainWindow::projectOpened);
        w.openProject(qs::test::demoModelDir() + QStringLiteral("/config.json"));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toBool(), false);
        QVERIFY(w.lastError().contains(QLatin1String("not an HDF5 file")));
        QVERIFY(w.analysis());
    }

    void previewShowsWhatTheFormatDoes()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy ready(&w, &MainWindow::previewReady);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        // no analysis needed: the preview quantizes a sample of the tensor in its planned format (Q4_K here)
        const int row = static_cast<int>(*w.currentModel()->findTensor("model.layers.0.mlp.up_proj.weight"));
        w.selectTensor(row);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, 10000);
        HistogramView *h = w.histogramView();
        QVERIFY(h->preview().has_value());
        const TensorPreview &p = *h->preview();
        QCOMPARE(p.type, GgmlType::Q4_K);
        QCOMPARE(p.original.total(), p.quantized.total());
        QCOMPARE(p.original.total(), static_cast<uint64_t>(768 * 256));
        QCOMPARE(p.error.total(), p.original.total());
        QVERIFY(p.levels.size() >= 2 && p.levels.size() <= 256); // one Q4_K block: at most 8 sub-blocks x 16 levels
        QCOMPARE(h->seriesCount(), 2);                           // original and after Q4_K
        QCOMPARE(h->levelCount(), static_cast<int>(p.levels.size()));
        h->setShow(HistogramView::Show::Quantized);
        QCOMPARE(h->seriesCount(), 1);
        h->setShow(HistogramView::Show::Error);
        QCOMPARE(h->seriesCount(), 1);
        QCOMPARE(h->levelCount(), 0);
        h->setShow(HistogramView::Show::Both);
        // a Q8_0 override changes the preview: finer levels, a narrower error
        const double q4Error = p.error.hi;
        w.setTensorFormat(QStringLiteral("blk.0.ffn_up.weight"), QStringLiteral("Q8_0"));
        QTRY_VERIFY_WITH_TIMEOUT(h->preview() && h->preview()->type == GgmlType::Q8_0, 10000);
        QVERIFY(h->preview()->error.hi < q4Error / 4);
    }

    void switchLanguage()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        auto menuTitle = [&] { return w.menuBar()->actions().first()->text(); };
        QCOMPARE(menuTitle(), QStringLiteral("&File"));
        QVERIFY(setAppLanguage(QStringLiteral("de")));
        QTRY_COMPARE(menuTitle(), QStringLiteral("&Datei"));
        QCOMPARE(w.tensorTable()->headerData(TensorTableModel::Parameters, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Parameter"));
        QVERIFY(w.totalsText().contains(QLatin1String("Bit je quantisiertem Gewicht")));
        QVERIFY(setAppLanguage(QStringLiteral("zh_CN")));
        QTRY_COMPARE(menuTitle(), QStringLiteral("文件(&F)"));
        QCOMPARE(w.tensorTable()->headerData(TensorTableModel::Layer, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("层"));
        QVERIFY(setAppLanguage(QStringLiteral("en")));
        QTRY_COMPARE(menuTitle(), QStringLiteral("&File"));
        QCOMPARE(w.tensorTable()->headerData(TensorTableModel::Parameters, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Parameters"));
        // English plurals come from their own small translation: "1 tensor", "9 tensors"
        QAbstractItemModel *layers = w.layerGroups();
        QCOMPARE(layers->index(1, TensorTableModel::Name).data().toString(), QStringLiteral("Layer 0 — 9 tensors"));
        w.addRule(QStringLiteral("blk\\.0\\.ffn_up"), QStringLiteral("Q8_0"));
        QCOMPARE(w.ruleTable()->index(0, RuleTableModel::Decides).data().toString(), QStringLiteral("1 tensor"));
        QVERIFY(setAppLanguage(QStringLiteral("de")));
        QCOMPARE(w.ruleTable()->index(0, RuleTableModel::Decides).data().toString(), QStringLiteral("1 Tensor"));
        QCOMPARE(layers->index(1, TensorTableModel::Name).data().toString(), QStringLiteral("Schicht 0 — 9 Tensoren"));
        QVERIFY(setAppLanguage(QStringLiteral("en")));
        QVERIFY(!setAppLanguage(QStringLiteral("xx")));
    }

    void settingsAndGrouping()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.setThreads(1);
        QCOMPARE(w.threads(), 1);
        QCOMPARE(MainWindow().threads(), 1); // remembered
        w.setThreads(0);
        w.setOutputFolder(QStringLiteral("/tmp/out"));
        QCOMPARE(w.outputFolder(), QStringLiteral("/tmp/out"));
        const QColor light = qApp->palette().color(QPalette::Window);
        w.setDarkTheme(true);
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 80);
        w.setDarkTheme(false);
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() > 80);
        Q_UNUSED(light);
        // grouped by layer: a tree, the model-wide tensors first, then layer 0 and layer 1, each with its totals
        const int down1 = static_cast<int>(*w.currentModel()->findTensor("model.layers.1.mlp.down_proj.weight"));
        w.selectTensor(down1);
        w.setGroupByLayer(true);
        QTreeView *tree = w.layerTree();
        QVERIFY(tree->isVisible() || !w.isVisible());
        QAbstractItemModel *m = tree->model();
        QCOMPARE(m->rowCount(), 3);
        QCOMPARE(m->index(0, TensorTableModel::Layer).data(TensorTableModel::SortRole).toInt(), -1);
        QCOMPARE(m->index(2, TensorTableModel::Layer).data().toInt(), 1);
        QVERIFY(m->index(1, TensorTableModel::Name).data().toString().startsWith(QLatin1String("Layer 0")));
        int children = 0;
        for (int g = 0; g < m->rowCount(); ++g) {
            const QModelIndex group = m->index(g, 0);
            double params = 0, planned = 0;
            for (int c = 0; c < m->rowCount(group); ++c) {
                params += m->index(c, TensorTableModel::Parameters, group).data(TensorTableModel::SortRole).toDouble();
                planned += m->index(c, TensorTableModel::PlannedBytes, group).data(TensorTableModel::SortRole).toDouble();
                ++children;
            }
            QCOMPARE(m->index(g, TensorTableModel::Parameters).data(TensorTableModel::SortRole).toDouble(), params);
            QCOMPARE(m->index(g, TensorTableModel::PlannedBytes).data(TensorTableModel::SortRole).toDouble(), planned);
            QVERIFY(std::abs(m->index(g, TensorTableModel::BitsPerWeight).data(TensorTableModel::SortRole).toDouble() - 8 * planned / params) < 1e-9);
        }
        QCOMPARE(children, static_cast<int>(w.currentModel()->tensors().size()));
        // the tensor shown stays selected, its layer opened; the layer's formats are counted
        QCOMPARE(w.layerGroups()->tensorRow(static_cast<QSortFilterProxyModel *>(m)->mapToSource(tree->currentIndex())), down1);
        QVERIFY(tree->isExpanded(m->index(2, 0)));
        QCOMPARE(m->index(2, TensorTableModel::Format).data().toString(), QStringLiteral("Q4_K ×5, Q6_K ×2, F32 ×2"));
        // a filter keeps the layers with a match and only the matching tensors
        auto *filterEdit = w.findChild<QLineEdit *>(QStringLiteral("tensorFilter"));
        filterEdit->setText(QStringLiteral("down_proj"));
        QCOMPARE(m->rowCount(), 2);
        QCOMPARE(m->rowCount(m->index(0, 0)), 1);
        filterEdit->clear();
        // editing a format in the tree changes the plan, and the layer's total follows
        const QModelIndex fmt = static_cast<QSortFilterProxyModel *>(m)->mapFromSource(w.layerGroups()->indexForTensor(down1, TensorTableModel::Format));
        const double before = m->index(2, TensorTableModel::PlannedBytes).data(TensorTableModel::SortRole).toDouble();
        QVERIFY(m->setData(fmt, QStringLiteral("Q8_0"), Qt::EditRole));
        QCOMPARE(w.plan().overrides.at("blk.1.ffn_down.weight"), GgmlType::Q8_0);
        QVERIFY(m->index(2, TensorTableModel::PlannedBytes).data(TensorTableModel::SortRole).toDouble() > before);
        QVERIFY(!(m->flags(m->index(2, TensorTableModel::Format)) & Qt::ItemIsEditable)); // a layer row is not a tensor
        w.setGroupByLayer(false);
        QCOMPARE(w.findChild<QTableView *>(QStringLiteral("tensorView"))->currentIndex().row() >= 0, true);
    }

    void memoryBudgetAndRegexFilter()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        VramBar *bar = w.vramBar();
        QVERIFY(bar);
        QCOMPARE(bar->accessibleName(), QStringLiteral("Memory against the device"));
        w.setDevice(QStringLiteral("rtx-3060-12gb"));
        w.setContextLength(4096);
        QCOMPARE(w.contextLength(), 4096);
        QCOMPARE(bar->level(), VramBar::Level::Fits);           // a 2.6M-parameter model on a 12 GiB card
        QCOMPARE(bar->capacity(), 12ull << 30);
        // the bar is the estimate: the plan's weights on the device (the token embedding stays on the host) and the
        // KV cache for the context, padded to 256 cells
        QCOMPARE(bar->estimate().kv.cells, 4096);
        QVERIFY(bar->estimate().weights > 0 && bar->estimate().weights <= w.plannedBytes());
        const uint64_t kv4k = bar->estimate().kv.bytes;
        w.setContextLength(131072);
        QCOMPARE(bar->estimate().kv.bytes, kv4k * 32);           // the cache grows with the context
        QVERIFY(bar->toolTip().contains(QLatin1String("KV cache")));
        w.setMemoryBudgetMiB(1);                                 // nothing fits in 1 MiB
        QCOMPARE(bar->level(), VramBar::Level::Over);
        QVERIFY(bar->toolTip().contains(QLatin1String("short by")));
        const uint64_t total = bar->estimate().total();
        w.setMemoryBudgetMiB(static_cast<int>(total / (1024 * 1024) * 100 / 90)); // ~90% full: amber
        QCOMPARE(bar->level(), VramBar::Level::Tight);
        // the hardware report from the window, for the plan and device on screen
        QTemporaryDir dir;
        QVERIFY(w.exportHardwareReport(dir.path() + QStringLiteral("/fit.html")));
        QFile report(dir.path() + QStringLiteral("/fit.html"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QByteArray html = report.readAll();
        QVERIFY(html.contains("<svg") && html.contains("GeForce RTX 4090"));
        QVERIFY(!w.exportHardwareReport(QStringLiteral("/no/such/dir/fit.html")));
        QVERIFY(w.exportHardwareReport(dir.path() + QStringLiteral("/fit.pdf")));
        QString pdfError;
        const QString pdf = qs::test::pdfText(dir.path() + QStringLiteral("/fit.pdf"), &pdfError);
        QVERIFY2(pdfError.isEmpty(), qPrintable(pdfError));
        QVERIFY(pdf.contains(QLatin1String("Hardware fit: sotu-mini")) && pdf.contains(QLatin1String("GeForce RTX 4090")));
        QVERIFY(!w.exportHardwareReport(QStringLiteral("/no/such/dir/fit.pdf")));
        QVERIFY(w.lastError().contains(QLatin1String("/no/such/dir/fit.pdf")));
        auto *filter = w.findChild<QLineEdit *>(QStringLiteral("tensorFilter"));
        QCheckBox *regex = nullptr;
        for (auto *c : w.findChildren<QCheckBox *>())
            if (c->text().contains(QLatin1String("gex")))
                regex = c;
        QVERIFY(filter && regex);
        regex->setChecked(true);
        filter->setText(QStringLiteral("layers\\.[01]\\.mlp\\.(up|down)"));
        auto *view = w.findChild<QTableView *>(QStringLiteral("tensorView"));
        QCOMPARE(view->model()->rowCount(), 4);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
