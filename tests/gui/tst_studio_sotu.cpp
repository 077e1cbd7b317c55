// The studio on the real 23M-parameter model in ../shared (sotu-llama), offscreen: open it, analyse it, look at
// its worst tensor, group it by layer, export it under Q4_K_M and find llama-quantize's own bytes.
#include "golden_gguf.h"
#include "heatmap_widget.h"
#include "histogram_view.h"
#include "layer_group_model.h"
#include "main_window.h"
#include "model/model.h"
#include "analysis/statistics.h"
#include "test_support.h"
#include "vram_bar.h"

#include <QApplication>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace qs;

class TestStudioSotu : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void openAnalyseGroupAndExport()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openModel(qs::test::sharedPath(QStringLiteral("models/sotu-llama")));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        QCOMPARE(w.currentModel()->parameterCount(), int64_t(23075328));
        QCOMPARE(w.tensorTable()->rowCount(), 57);
        QVERIFY(w.vramBar()->estimate().total() > 0);

        // analysis of every tensor in two formats; then the tensor that suffers most under Q4_K
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        w.startAnalysis(QStringLiteral("q4_k,q6_k"));
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 120000);
        QVERIFY(analysed.first().first().toBool());
        const TensorAnalysis *worst = &w.analysis()->tensors.front();
        for (const auto &t : w.analysis()->tensors)
            if (t.candidates.front().errors.relativeError() > worst->candidates.front().errors.relativeError())
                worst = &t;
        QSignalSpy rendered(w.heatmapWidget(), &HeatmapWidget::imageReady);
        w.selectTensor(static_cast<int>(worst->index));
        QCOMPARE(w.histogramView()->pointCount(), 2 * kHistogramBins);
        QTRY_VERIFY_WITH_TIMEOUT(rendered.count() >= 1, 10000);
        QCOMPARE(static_cast<int64_t>(w.heatmapWidget()->image().height()), std::min<int64_t>(worst->rows, 1024));
        QVERIFY(w.totalsText().contains(QLatin1String("error")));

        // six layers and the model-wide tensors
        w.setGroupByLayer(true);
        QCOMPARE(w.layerTree()->model()->rowCount(), 7);
        QCOMPARE(w.layerGroups()->groupLayer(6), 5);
        w.setGroupByLayer(false);

        // the window's Q4_K_M export is llama-quantize's file, tensor for tensor (sha256) and key for key
        QTemporaryDir dir;
        const QString out = dir.path() + QStringLiteral("/sotu-Q4_K_M.gguf");
        QSignalSpy exported(&w, &MainWindow::exportFinished);
        QSignalSpy status(w.statusBar(), &QStatusBar::messageChanged);
        w.exportGguf(out);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 120000);
        // progress named the tensor and the bytes done of the whole input
        bool sawProgress = false;
        for (const QList<QVariant> &m : status)
            sawProgress |= QRegularExpression(QStringLiteral("^Writing blk\\.\\d+\\.\\w+\\.weight — .+ of \\d+\\.\\d+ MiB")).match(m.first().toString()).hasMatch();
        QStringList seen;
        for (const QList<QVariant> &m : status)
            seen << m.first().toString();
        QVERIFY2(sawProgress, qPrintable(seen.join(QLatin1Char('\n'))));
        QVERIFY2(exported.first().first().toBool(), qPrintable(w.lastError()));
        const QStringList diffs = qs::test::compareWithGoldenDump(out, qs::test::sharedPath(QStringLiteral("golden/sotu-llama/Q4_K_M.json")));
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (qs::test::sharedDir().isEmpty()) {
        fprintf(stderr, "SKIPPED: TestStudioSotu needs the ../shared test data (set QUANTSCOPE_SHARED_DIR); it is missing.\n");
        return qs::test::kSkipExitCode;
    }
    TestStudioSotu tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_studio_sotu.moc"
