// The studio's Quantize on the built-in demo model with a small calibration (4 windows of 128 tokens): GPTQ and AWQ
// plans are calibrated, solved and written into a folder that reads back; the tensor table's solver column shows
// each weight's GPTQ loss or AWQ scale ratio; the tensor details show the solved weights instead of a preview; the
// solved checkpoint's evaluation sits in the history beside the plan's round-to-nearest stand-in on the same windows;
// a cancelled run leaves no folder and keeps the earlier result; a plan one run cannot produce is refused with the
// reason before anything runs.
#include "eval_history_model.h"
#include "evaluation_session.h"
#include "heatmap_widget.h"
#include "histogram_view.h"
#include "main_window.h"
#include "number_text.h"
#include "plan_document.h"
#include "quantize_dialog.h"
#include "quantize_session.h"
#include "tensor_details.h"
#include "tensor_table_model.h"
#include "test_support.h"

#include "calibration/calibration_set.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "pipeline/plan_evaluation.h"
#include "pipeline/solve_plan.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>

using namespace qs;

namespace {

Plan groupPlan(IntGroupMethod method)
{
    Plan p;
    p.preset.clear();
    p.output = PlanOutput::HfCheckpoint;
    p.groupQuant = IntGroupFormat::make(method, 4, 128);
    return p;
}

QuantizeSettings smallCalibration(const QString &folder, GroupCheckpointFormat format)
{
    QuantizeSettings s;
    s.samples = 4;
    s.seqlen = 128;
    s.seed = 1;
    s.format = format;
    s.folder = folder;
    return s;
}

int rowOf(const MainWindow &w, const std::string &name)
{
    const auto &tensors = w.currentModel()->tensors();
    for (size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].name == name)
            return static_cast<int>(i);
    return -1;
}

QString cell(const MainWindow &w, int row, int column, int role = Qt::DisplayRole)
{
    return w.tensorTable()->data(w.tensorTable()->index(row, column), role).toString();
}

const char *kQ = "model.layers.1.self_attn.q_proj.weight";
const char *kO = "model.layers.0.self_attn.o_proj.weight";

} // namespace

class TestQuantizeStudio : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // Opens the demo model with `plan` and quantizes it into `folder`; the window keeps the result.
    bool quantized(MainWindow &w, const Plan &plan, const QString &folder, GroupCheckpointFormat format)
    {
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        if (!QTest::qWaitFor([&] { return opened.count() == 1; }, 10000))
            return false;
        w.planDocument()->push(plan, QStringLiteral("group plan"));
        QSignalSpy done(&w, &MainWindow::quantizeFinished);
        if (!w.quantize(smallCalibration(folder, format)))
            return false;
        return QTest::qWaitFor([&] { return done.count() == 1; }, 60000) && done.at(0).at(0).toBool();
    }

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

    void actionNeedsGroupFormats()
    {
        MainWindow w;
        QVERIFY(!w.quantizeAction()->isEnabled());
        QVERIFY(w.quantizeAction()->toolTip().contains(QLatin1String("Hugging Face")));
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        // a GGUF preset: nothing to solve, and the tooltip says why
        QVERIFY(!w.quantizeAction()->isEnabled());
        QVERIFY(!w.quantizeButton()->isEnabled());
        QVERIFY(w.quantizeButton()->toolTip().contains(QLatin1String("GPTQ, AWQ or RTN")));
        w.planDocument()->push(groupPlan(IntGroupMethod::Gptq), QStringLiteral("gptq"));
        QVERIFY(w.quantizeAction()->isEnabled());
        QVERIFY(w.quantizeButton()->isEnabled());
        // the button sits beside the plan panel's Evaluate
        QVERIFY(w.findChild<QPushButton *>(QStringLiteral("quantizePlan")));
        QCOMPARE(w.quantizeButton()->parentWidget(), w.findChild<QPushButton *>(QStringLiteral("evaluatePlan"))->parentWidget());
    }

    void dialogShowsTheSolversSettings()
    {
        QuantizeDialog gptq(groupPlan(IntGroupMethod::Gptq), m_dir.filePath(QStringLiteral("x")));
        QVERIFY(!gptq.gptqBox()->isHidden());
        QVERIFY(gptq.awqBox()->isHidden());
        QVERIFY(gptq.quantizeButton()->isEnabled());
        QuantizeSettings s = gptq.settings();
        QCOMPARE(s.samples, 128);
        QCOMPARE(s.seqlen, 512);
        QCOMPARE(s.seed, 1u);
        QCOMPARE(s.options.gptq.damp, 0.01);
        QVERIFY(!s.options.gptq.actOrder);
        QCOMPARE(s.format, GroupCheckpointFormat::Gptq);
        QVERIFY(s.calibPath.isEmpty()); // the built-in sample

        QuantizeDialog awq(groupPlan(IntGroupMethod::Awq), m_dir.filePath(QStringLiteral("y")));
        QVERIFY(awq.gptqBox()->isHidden());
        QVERIFY(!awq.awqBox()->isHidden());
        QCOMPARE(awq.settings().format, GroupCheckpointFormat::AwqGemm);
        // no folder: nothing to run
        awq.findChild<QLineEdit *>(QStringLiteral("outputFolder"))->clear();
        QVERIFY(!awq.quantizeButton()->isEnabled());
    }

    void mixedPlanRefused()
    {
        Plan mixed = groupPlan(IntGroupMethod::Gptq);
        mixed.groupOverrides["model.layers.0.mlp.down_proj.weight"] = IntGroupFormat::make(IntGroupMethod::Awq, 4, 128);
        const QString why = QuantizeSession::planProblem(mixed);
        QVERIFY(!why.isEmpty());
        QVERIFY2(why.contains(QLatin1String("AWQ")), qPrintable(why));
        QuantizeDialog dialog(mixed, m_dir.filePath(QStringLiteral("mixed")));
        QCOMPARE(dialog.problem(), why);
        QVERIFY(!dialog.quantizeButton()->isEnabled());
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("quantizeProblem"))->text(), why);

        // the window refuses it the same way, before calibrating, and writes nothing
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        w.planDocument()->push(mixed, QStringLiteral("mixed"));
        const QString folder = m_dir.filePath(QStringLiteral("mixed"));
        QVERIFY(!w.quantize(smallCalibration(folder, GroupCheckpointFormat::Gptq)));
        QCOMPARE(w.lastError(), why);
        QVERIFY(!QFileInfo::exists(folder));
    }

    void gptqEndToEnd()
    {
        MainWindow w;
        const QString folder = m_dir.filePath(QStringLiteral("gptq"));
        QVERIFY(quantized(w, groupPlan(IntGroupMethod::Gptq), folder, GroupCheckpointFormat::Gptq));
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/config.json")));
        const auto result = w.quantizeSession()->result();
        QVERIFY(result);
        QCOMPARE(result->solved.tensors.size(), size_t(14)); // 7 Linears in each of 2 layers
        QVERIFY(w.logText().contains(QLatin1String("reads back as solved")));
        QVERIFY(w.logText().contains(folder));

        // the solver column: GPTQ's own loss for every quantized weight, sortable, "" for the rest
        TensorTableModel *t = w.tensorTable();
        QCOMPARE(t->headerData(TensorTableModel::Solver, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("GPTQ loss"));
        const int q = rowOf(w, kQ);
        QVERIFY(q >= 0);
        const double loss = result->solved.tensors.at(kQ).loss;
        QVERIFY(loss > 0);
        QCOMPARE(cell(w, q, TensorTableModel::Solver), significantText(loss, 4));
        QCOMPARE(t->data(t->index(q, TensorTableModel::Solver), TensorTableModel::SortRole).toDouble(), loss);
        QVERIFY(cell(w, q, TensorTableModel::Solver, Qt::ToolTipRole).contains(QLatin1String("GPTQ")));
        const int norm = rowOf(w, "model.norm.weight");
        QVERIFY(cell(w, norm, TensorTableModel::Solver).isEmpty());
        QCOMPARE(t->data(t->index(norm, TensorTableModel::Solver), TensorTableModel::SortRole).toDouble(), -1.0);

        // the details show the solved weights against the original: a preview where group formats had none
        QSignalSpy preview(&w, &MainWindow::previewReady);
        w.selectTensor(q);
        QTRY_VERIFY_WITH_TIMEOUT(w.tensorDetails()->solvedGrid() != nullptr, 10000);
        QCOMPARE(w.histogramView()->previewLabel(), QStringLiteral("GPTQ result"));
        const TensorPreview &p = *w.histogramView()->preview();
        QCOMPARE(p.quantized.total(), static_cast<uint64_t>(p.rowsSampled * p.cols));
        QCOMPARE(p.levels.size(), size_t(16)); // a 4-bit group's grid
        QVERIFY(p.error.hi > 0);               // the solved weights differ from the original
        QVERIFY(w.heatmapWidget()->measureTitle().size() > 0);
        QCOMPARE(w.tensorDetails()->heatmapFormat()->currentText(), QStringLiteral("GPTQ result"));
        QCOMPARE(w.tensorDetails()->solvedGrid()->rows, 256);
        // a tensor outside the result (the embedding) has no solved view
        w.selectTensor(rowOf(w, "model.embed_tokens.weight"));
        QVERIFY(w.tensorDetails()->solvedLabel().isEmpty());
        w.selectTensor(q);

        // the plan's round-to-nearest stand-in and the solved checkpoint on the same windows
        w.evaluationSession()->setMaxWindows(2);
        QSignalSpy evaluated(&w, &MainWindow::evaluationFinished);
        w.evaluatePlan();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 60000);
        QVERIFY(evaluated.at(0).at(0).toBool());
        w.evaluateSolved();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 2, 60000);
        QVERIFY(evaluated.at(1).at(0).toBool());
        EvalHistoryModel *h = w.evaluationHistory();
        QCOMPARE(h->rowCount(), 2);
        QCOMPARE(h->data(h->index(0, EvalHistoryModel::Plan), Qt::DisplayRole).toString(),
                 QStringLiteral("GPTQ 4-bit g128 (RTN stand-in, not solved)"));
        QCOMPARE(h->data(h->index(1, EvalHistoryModel::Plan), Qt::DisplayRole).toString(), QStringLiteral("GPTQ 4-bit g128 (solved)"));
        QVERIFY(h->data(h->index(1, EvalHistoryModel::Plan), Qt::ToolTipRole).toString().contains(folder));
        const EvalResult &rtn = h->record(0).outcome.result, &solved = h->record(1).outcome.result;
        QCOMPARE(solved.windows, rtn.windows);
        QCOMPARE(solved.tokens, rtn.tokens);
        QCOMPARE(solved.pplBase, rtn.pplBase); // the same windows of the same unquantized model
        QVERIFY(solved.kldMean > 0 && rtn.kldMean > 0);
        QVERIFY(solved.ppl != rtn.ppl);
        const double bpw = h->data(h->index(1, EvalHistoryModel::BitsPerWeight), EvalHistoryModel::ValueRole).toDouble();
        QVERIFY2(bpw > 4 && bpw < 5, qPrintable(QString::number(bpw)));

        // another plan: the result stays, marked stale; undo brings the solved plan back
        w.setTensorFormat(QString::fromLatin1(kQ), QStringLiteral("Q8_0"));
        QVERIFY(w.quantizeSession()->isStale());
        QCOMPARE(cell(w, q, TensorTableModel::Solver), significantText(loss, 4));
        QVERIFY(cell(w, q, TensorTableModel::Solver, Qt::ToolTipRole).contains(QLatin1String("earlier plan")));
        w.undoStack()->undo();
        QVERIFY(!w.quantizeSession()->isStale());

        // a cancelled run writes nothing and loses nothing: the earlier result stays
        const QString cancelled = m_dir.filePath(QStringLiteral("cancelled"));
        QSignalSpy done(&w, &MainWindow::quantizeFinished);
        QuantizeSettings big = smallCalibration(cancelled, GroupCheckpointFormat::Gptq);
        big.samples = 64;
        big.seqlen = 512;
        QVERIFY(w.quantize(big));
        w.cancelJob();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        QCOMPARE(done.at(0).at(0).toBool(), false);
        QVERIFY(!QFileInfo::exists(cancelled));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("*partial*")}, QDir::AllEntries | QDir::Hidden).isEmpty());
        QCOMPARE(w.quantizeSession()->result(), result);

        // another model: the result belongs to the one it was solved from
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QVERIFY(!w.quantizeSession()->result());
        QCOMPARE(t->headerData(TensorTableModel::Solver, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Solver"));
    }

    // a run that stopped after its first layer (a crash, a cancel) is picked up by the next run of the same plan and
    // settings: the studio saves finished layers in its resume folder, says so when it used them, and empties the
    // folder once the checkpoint is written
    void resumesAnUnfinishedRun()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openDemoModel();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        const Plan plan = groupPlan(IntGroupMethod::Awq);
        w.planDocument()->push(plan, QStringLiteral("awq"));
        QTemporaryDir resume;
        w.quantizeSession()->setResumeFolder(resume.path());
        const QuantizeSettings s = smallCalibration(m_dir.filePath(QStringLiteral("resumed")), GroupCheckpointFormat::AwqGemm);

        // the earlier run: the same windows the studio takes from its calibration text, stopped in the second layer
        auto tok = tokenizerForModel(*w.currentModel());
        auto text = readEvalText(defaultEvalTextPath());
        QVERIFY(tok && text);
        auto ids = tok->encodeChecked(*text);
        QVERIFY(ids);
        auto cal = randomCalibration(*ids, s.samples, s.seqlen, s.seed);
        QVERIFY(cal);
        SolveOptions earlier = s.options;
        earlier.gptq.resumeDir = resume.path().toStdString();
        JobControl job;
        job.onProgress([&](const JobProgress &p) {
            if (p.item.rfind("layer 2 of", 0) == 0)
                job.cancel();
        });
        auto model = Model::open(test::demoModelDir().toStdString()); // the same folder the window opened
        QVERIFY(model);
        QVERIFY(!solvePlan(*model, w.planDocument()->plan(), *cal, earlier, &job));
        QVERIFY(QFile::exists(resume.filePath(QStringLiteral("layer-0.bin"))));

        QSignalSpy done(&w, &MainWindow::quantizeFinished);
        QVERIFY(w.quantize(s));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
        QVERIFY(done.at(0).at(0).toBool());
        QCOMPARE(w.quantizeSession()->result()->solved.resumedLayers, 1);
        QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("earlier run")), qPrintable(w.statusBar()->currentMessage()));
        QVERIFY(QDir(resume.path()).isEmpty());
    }

    void awqEndToEnd()
    {
        MainWindow w;
        const QString folder = m_dir.filePath(QStringLiteral("awq"));
        QVERIFY(quantized(w, groupPlan(IntGroupMethod::Awq), folder, GroupCheckpointFormat::AwqGemm));
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/config.json")));
        const auto result = w.quantizeSession()->result();
        QVERIFY(result);
        QCOMPARE(result->solved.solver, IntGroupMethod::Awq);

        TensorTableModel *t = w.tensorTable();
        QCOMPARE(t->headerData(TensorTableModel::Solver, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("AWQ scale ratio"));
        const int q = rowOf(w, kQ);
        const double ratio = scaleRatio(result->solved.inputScales.at(kQ));
        QVERIFY(ratio >= 1);
        QCOMPARE(cell(w, q, TensorTableModel::Solver), significantText(ratio, 4));
        QCOMPARE(t->data(t->index(q, TensorTableModel::Solver), TensorTableModel::SortRole).toDouble(), ratio);
        // o_proj under grouped-query attention: AWQ applied no scaling
        const int o = rowOf(w, kO);
        QVERIFY(!result->solved.inputScales.count(kO));
        QCOMPARE(cell(w, o, TensorTableModel::Solver), QStringLiteral("—"));
        QVERIFY(cell(w, o, TensorTableModel::Solver, Qt::ToolTipRole).contains(QLatin1String("no input scaling")));

        w.selectTensor(q);
        QTRY_VERIFY_WITH_TIMEOUT(w.tensorDetails()->solvedGrid() != nullptr, 10000);
        QCOMPARE(w.histogramView()->previewLabel(), QStringLiteral("AWQ result"));
        // with the scales undone the solved weights are close to the original: the error is a fraction of the range
        const TensorPreview &p = *w.histogramView()->preview();
        QVERIFY2(p.error.hi < 0.5 * (p.original.hi - p.original.lo), qPrintable(QString::number(p.error.hi)));

        w.evaluationSession()->setMaxWindows(2);
        QSignalSpy evaluated(&w, &MainWindow::evaluationFinished);
        w.evaluateSolved();
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 60000);
        QVERIFY(evaluated.at(0).at(0).toBool());
        EvalHistoryModel *h = w.evaluationHistory();
        QCOMPARE(h->data(h->index(0, EvalHistoryModel::Plan), Qt::DisplayRole).toString(), QStringLiteral("AWQ 4-bit g128 (solved)"));
        QVERIFY(h->record(0).outcome.result.kldMean > 0);
    }
};

QTEST_MAIN(TestQuantizeStudio)
#include "tst_quantize_studio.moc"
