// The studio's evaluation on the built-in demo model: Evaluate Original and Evaluate Plan each add a history row
// with the figures evaluate() gives, a cancelled evaluation adds none, and the next-token view shows each model's top
// five tokens, which a 2-bit plan changes.
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "eval_history_model.h"
#include "evaluation_panel.h"
#include "evaluation_session.h"
#include "main_window.h"
#include "next_token_view.h"
#include "number_text.h"
#include "test_support.h"
#include "window_ppl_chart.h"

#include <QApplication>
#include <QChart>
#include <QLineSeries>
#include <QTableView>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include <cmath>

using namespace qs;

namespace {

double cell(const EvalHistoryModel *m, int row, int column)
{
    const QVariant v = m->data(m->index(row, column), EvalHistoryModel::ValueRole);
    return v.isValid() ? v.toDouble() : NAN;
}

// The demo model's perplexity as quantscope-cli eval computes it: evaluate() on the built-in text, HF windows of 512.
double directPerplexity()
{
    auto model = Model::open(test::demoModelDir().toStdString());
    if (!model)
        return NAN;
    auto tokenizer = tokenizerForModel(**model);
    auto text = readEvalText(defaultEvalTextPath());
    if (!tokenizer || !text)
        return NAN;
    auto windows = makeEvalWindows(tokenizer->encode(*text), PplProtocol::HuggingFace, 512, llamaCppBosToken(**model));
    auto transformer = Transformer::create(std::make_shared<WeightSource>(*model));
    if (!windows || !transformer)
        return NAN;
    auto r = evaluate(*transformer, nullptr, *windows);
    return r ? r->ppl : NAN;
}

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
        qputenv("QUANTSCOPE_DEMO_MODEL", test::demoModelDir().toUtf8());
        qputenv("QUANTSCOPE_EVAL_TEXT", test::sourcePath(QStringLiteral("resources/eval/sotu-2011-sample.txt")).toUtf8());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void originalAndPresetRows()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy evaluated(&w, &MainWindow::evaluationFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        EvalHistoryModel *history = w.evaluationHistory();
        QCOMPARE(history->rowCount(), 0);

        w.evaluateOriginal();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 120000);
        QCOMPARE(evaluated.at(0).at(0).toBool(), true);
        w.setPreset(QStringLiteral("Q4_K_M"));
        // the plan panel's button starts it, as a person would
        auto *button = w.findChild<QPushButton *>(QStringLiteral("evaluatePlan"));
        QVERIFY(button);
        button->click();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 2, 120000);
        QCOMPARE(evaluated.at(1).at(0).toBool(), true);
        QCOMPARE(history->rowCount(), 2);

        // the original: the perplexity evaluate() gives directly, nothing to compare with
        QCOMPARE(history->data(history->index(0, EvalHistoryModel::Plan), Qt::DisplayRole).toString(), QStringLiteral("Original"));
        const double ppl0 = cell(history, 0, EvalHistoryModel::Ppl);
        QVERIFY(std::isfinite(ppl0) && ppl0 > 1);
        const double direct = directPerplexity();
        QVERIFY2(std::abs(ppl0 - direct) <= 1e-9 * direct, qPrintable(QStringLiteral("%1 vs %2").arg(ppl0, 0, 'g', 12).arg(direct, 0, 'g', 12)));
        QVERIFY(std::isnan(cell(history, 0, EvalHistoryModel::KldMean)));
        QCOMPARE(history->data(history->index(0, EvalHistoryModel::KldMean), Qt::DisplayRole).toString(), notAvailableText());

        // Q4_K_M: smaller, its predictions moved, against the same windows' unquantized perplexity
        QCOMPARE(history->data(history->index(1, EvalHistoryModel::Plan), Qt::DisplayRole).toString(), QStringLiteral("Q4_K_M"));
        const double ppl1 = cell(history, 1, EvalHistoryModel::Ppl);
        QVERIFY(std::isfinite(ppl1) && ppl1 > 1);
        QVERIFY(cell(history, 1, EvalHistoryModel::KldMean) > 0);
        QVERIFY(cell(history, 1, EvalHistoryModel::KldP99) >= cell(history, 1, EvalHistoryModel::KldMean));
        const double top1 = cell(history, 1, EvalHistoryModel::Top1);
        QVERIFY(top1 > 0.5 && top1 < 1.0);
        QVERIFY(std::abs(history->record(1).outcome.result.pplBase - ppl0) <= 1e-9 * ppl0);
        QVERIFY(std::abs(cell(history, 1, EvalHistoryModel::DeltaPpl) - (ppl1 - ppl0)) < 1e-9 * ppl0);
        QVERIFY(cell(history, 1, EvalHistoryModel::Size) < 0.5 * cell(history, 0, EvalHistoryModel::Size));
        const double bpw = cell(history, 1, EvalHistoryModel::BitsPerWeight);
        QVERIFY2(bpw > 4 && bpw < 6, qPrintable(QString::number(bpw)));
        // numbers in the reader's locale
        QCOMPARE(history->data(history->index(1, EvalHistoryModel::Ppl), Qt::DisplayRole).toString(), fixedText(ppl1, 3));
    }

    void windowChartShowsEachWindow()
    {
        // the perplexity of every window along the text: the newest row when none is selected, else the selection
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy evaluated(&w, &MainWindow::evaluationFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        WindowPplChart *chart = w.evaluationPanel()->windowChart();
        QCOMPARE(chart->seriesCount(), 0);
        w.evaluateOriginal();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 120000);
        const EvalResult &original = w.evaluationHistory()->record(0).outcome.result;
        QVERIFY(original.windows > 1);
        QCOMPARE(original.windowPpl.size(), static_cast<size_t>(original.windows));
        QCOMPARE(chart->seriesCount(), 1);
        QCOMPARE(chart->pointCount(0), static_cast<int>(original.windows));
        auto *line = static_cast<QLineSeries *>(chart->chart()->series().first());
        QCOMPARE(line->name(), QStringLiteral("Original"));
        for (int k = 0; k < line->count(); ++k) {
            QCOMPARE(line->at(k).x(), static_cast<double>(k + 1));
            QCOMPARE(line->at(k).y(), original.windowPpl[static_cast<size_t>(k)]);
        }
        // the windows' perplexities are those of one evaluation: their geometric mean is its perplexity when every
        // window scores the same number of positions (the HF protocol)
        double logSum = 0;
        for (double p : original.windowPpl)
            logSum += std::log(p);
        QVERIFY(std::abs(std::exp(logSum / static_cast<double>(original.windows)) - original.ppl) < 1e-6 * original.ppl);

        w.setPreset(QStringLiteral("Q4_K_M"));
        w.evaluatePlan();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 2, 120000);
        QCOMPARE(chart->seriesCount(), 1); // the newest run
        QCOMPARE(static_cast<QLineSeries *>(chart->chart()->series().first())->name(), QStringLiteral("Q4_K_M"));
        w.evaluationPanel()->table()->selectAll();
        QCOMPARE(chart->seriesCount(), 2);
        QCOMPARE(chart->pointCount(1), static_cast<int>(w.evaluationHistory()->record(1).outcome.result.windows));
        w.evaluationHistory()->clear();
        QCOMPARE(chart->seriesCount(), 0);
    }

    void cancelLeavesNoRow()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        QSignalSpy evaluated(&w, &MainWindow::evaluationFinished);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.setPreset(QStringLiteral("Q4_K_M"));
        w.evaluatePlan();
        QVERIFY(w.evaluationSession()->isRunning());
        w.cancelJob();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 60000);
        QCOMPARE(evaluated.at(0).at(0).toBool(), false);
        QCOMPARE(w.evaluationHistory()->rowCount(), 0);
        QVERIFY(w.lastError().isEmpty()); // cancelled is not failed
        // and the next one runs
        w.evaluateOriginal();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 2, 120000);
        QCOMPARE(w.evaluationHistory()->rowCount(), 1);
    }

    void nextTokensUnderQ2K()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.setPreset(QStringLiteral("Q2_K"));
        NextTokenView *view = w.nextTokenView();
        QSignalSpy predicted(view, &NextTokenView::predicted);
        view->promptEdit()->setText(QStringLiteral("The state of our Union is"));
        QTest::keyClick(view->promptEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(predicted.count(), 1, 60000);
        QCOMPARE(predicted.at(0).at(0).toBool(), true);
        const NextTokenComparison &c = view->comparison();
        QVERIFY(c.promptIds.size() > 3);
        QCOMPARE(c.original.size(), size_t(5));
        QCOMPARE(c.planned.size(), size_t(5));
        bool differ = false;
        for (const auto *column : {&c.original, &c.planned}) {
            double sum = 0;
            for (size_t i = 0; i < column->size(); ++i) {
                const PredictedToken &t = (*column)[i];
                QVERIFY(t.probability > 0 && t.probability <= 1);
                QVERIFY(!t.text.empty());
                if (i > 0)
                    QVERIFY((*column)[i - 1].probability >= t.probability);
                sum += t.probability;
            }
            QVERIFY(sum <= 1 + 1e-9);
        }
        for (size_t i = 0; i < 5; ++i)
            differ = differ || c.original[i].id != c.planned[i].id || std::abs(c.original[i].probability - c.planned[i].probability) > 1e-3;
        QVERIFY2(differ, "Q2_K should move the demo model's next-token probabilities");
    }
};

QTEST_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
