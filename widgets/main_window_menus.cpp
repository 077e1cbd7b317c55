// The studio's menus: every action the window offers, wired to MainWindow's slots. Rebuilt when the language
// changes.
#include "main_window.h"

#include "language.h"
#include "plan_document.h"
#include "recent_files.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QUndoStack>
#include <QUrl>

namespace qs {

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *openFolder = file->addAction(tr("Open Model &Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a Hugging Face model folder"));
        if (!dir.isEmpty())
            openModel(dir);
    });
    openFolder->setShortcut(QKeySequence::Open);
    openFolder->setToolTip(tr("Open a folder with config.json and safetensors files"));
    QAction *openGguf = file->addAction(tr("Open &GGUF File…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open a GGUF file"), {}, tr("GGUF models (*.gguf);;All files (*)"));
        if (!f.isEmpty())
            openModel(f);
    });
    openGguf->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction *demo = file->addAction(tr("Open &Demo Model"), this, &MainWindow::openDemoModel);
    demo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    demo->setToolTip(tr("Open the built-in 2.6M-parameter demo model (sotu-mini)"));
    m_recent->setMenu(file->addMenu(tr("Open &Recent")));
    file->addSeparator();
    QAction *openProj = file->addAction(tr("Open &Project…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open a Quantscope project"), {}, tr("Quantscope projects (*.qsproj);;All files (*)"));
        if (!f.isEmpty())
            openProject(f);
    });
    openProj->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    QAction *saveProj = file->addAction(tr("&Save Project…"), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Save the project"), {}, tr("Quantscope projects (*.qsproj)"));
        if (!f.isEmpty())
            saveProjectAs(f.endsWith(QLatin1String(".qsproj")) ? f : f + QStringLiteral(".qsproj"));
    });
    saveProj->setShortcut(QKeySequence::Save);
    saveProj->setToolTip(tr("Save the plan and every measurement, to reopen without recomputing"));
    file->addSeparator();
    QAction *exportAction = file->addAction(tr("&Export GGUF…"), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export GGUF"), outputFolder(), tr("GGUF models (*.gguf)"));
        if (!f.isEmpty())
            exportGguf(f.endsWith(QLatin1String(".gguf")) ? f : f + QStringLiteral(".gguf"));
    });
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setToolTip(tr("Write the model under the current plan as a GGUF file llama.cpp loads"));
    file->addAction(m_quantizeAction);
    QAction *reportAction = file->addAction(tr("Export &Hardware Report…"), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export Hardware Report"), outputFolder(),
                                                       tr("Reports (*.html *.pdf *.md *.json)"));
        if (!f.isEmpty())
            exportHardwareReport(QFileInfo(f).suffix().isEmpty() ? f + QStringLiteral(".html") : f);
    });
    reportAction->setToolTip(tr("Memory, longest context and speed of the current plan on the chosen device and common GPUs"));
    m_openFolder = file->addAction(tr("Open &Containing Folder"), this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_exportPath).absolutePath()));
    });
    m_openFolder->setEnabled(false);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    // the plan as a file the CLI takes (quantscope-cli quantize --plan), and as llama-quantize's own arguments
    QMenu *planMenu = menuBar()->addMenu(tr("&Plan"));
    QAction *loadPlanAction = planMenu->addAction(tr("&Load Plan…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Load a plan"), outputFolder(), tr("Quantscope plans (*.json)"));
        if (!f.isEmpty())
            loadPlan(f);
    });
    loadPlanAction->setToolTip(tr("Replace the plan with one saved as JSON (undoable)"));
    QAction *savePlanAction = planMenu->addAction(tr("&Save Plan…"), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Save the plan"), outputFolder(), tr("Quantscope plans (*.json)"));
        if (!f.isEmpty())
            savePlan(QFileInfo(f).suffix().isEmpty() ? f + QStringLiteral(".json") : f);
    });
    savePlanAction->setToolTip(tr("Write the plan as JSON: quantscope-cli quantize --plan FILE applies it"));
    QAction *copyArgs = planMenu->addAction(tr("&Copy llama-quantize Arguments"), this, [this] {
        if (plan().hasGroupQuant()) {
            showError(tr("This plan holds GPTQ/AWQ choices, which llama-quantize cannot express."));
            return;
        }
        QGuiApplication::clipboard()->setText(llamaQuantizeCommand());
        log(tr("Copied: %1").arg(llamaQuantizeCommand()));
    });
    copyArgs->setToolTip(tr("The same plan as llama-quantize arguments (--tensor-type rules for the choices made here)"));

    QMenu *analysisMenu = menuBar()->addMenu(tr("&Analysis"));
    QAction *analyse = analysisMenu->addAction(tr("&Analyze Tensors"), this, [this] { startAnalysis(); });
    analyse->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    analyse->setToolTip(tr("Measure every tensor's statistics and the error of Q4_K, Q6_K, Q8_0 and int4-g128-asym"));
    QAction *sensitivity = analysisMenu->addAction(tr("Measure &Sensitivity"), this, [this] { measureSensitivity(); });
    sensitivity->setToolTip(tr("For every weight and Q2_K, Q4_K, Q6_K: the KL-divergence when only that weight is quantized, on the "
                               "built-in text; saved with the project"));
    QAction *fit = m_budgetDock->toggleViewAction();
    fit->setToolTip(tr("The plan of least measured damage within a size, from the measured sensitivity, re-solved as the budget moves"));
    analysisMenu->addAction(fit);
    analysisMenu->addSeparator();
    QAction *evaluate = analysisMenu->addAction(tr("&Evaluate Plan"), this, &MainWindow::evaluatePlan);
    evaluate->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    evaluate->setToolTip(tr("Perplexity and KL-divergence of the model under the current plan, against the unquantized model"));
    analysisMenu->addAction(m_evaluateSolvedAction);
    QAction *original = analysisMenu->addAction(tr("Evaluate &Original"), this, &MainWindow::evaluateOriginal);
    original->setToolTip(tr("Perplexity of the unquantized model: the reference row of the evaluation history"));
    analysisMenu->addAction(tr("Evaluation &Text…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Evaluate on a text"), {}, tr("UTF-8 text (*.txt);;All files (*)"));
        if (!f.isEmpty())
            setEvaluationText(f);
    });
    analysisMenu->addAction(tr("&Built-in Evaluation Text"), this, [this] { setEvaluationText({}); });
    QAction *predict = analysisMenu->addAction(tr("&Predict Next Token"), this, &MainWindow::predictNextTokens);
    predict->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    analysisMenu->addSeparator();
    QAction *cancel = analysisMenu->addAction(tr("&Cancel"), this, &MainWindow::cancelJob);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *logAction = m_logDock->toggleViewAction();
    logAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    view->addAction(logAction);
    view->addAction(m_evalDock->toggleViewAction());
    view->addAction(m_nextTokenDock->toggleViewAction());

    QMenu *settings = menuBar()->addMenu(tr("&Settings"));
    settings->addAction(tr("&Threads…"), this, [this] {
        bool ok = false;
        const int n = QInputDialog::getInt(this, tr("Threads"), tr("Worker threads (0: every hardware thread):"), threads(), 0, 1024, 1, &ok);
        if (ok)
            setThreads(n);
    });
    settings->addAction(tr("&Output Folder…"), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Where exports go by default"), outputFolder());
        if (!d.isEmpty())
            setOutputFolder(d);
    });
    QAction *dark = settings->addAction(tr("&Dark Theme"), this, &MainWindow::setDarkTheme);
    dark->setCheckable(true);
    dark->setChecked(QSettings().value(QStringLiteral("darkTheme")).toBool());
    QMenu *language = settings->addMenu(tr("&Language"));
    auto *languages = new QActionGroup(language);
    for (const QString &code : availableLanguages()) {
        QAction *a = language->addAction(languageName(code), this, [code] { setAppLanguage(code); });
        a->setCheckable(true);
        a->setChecked(code == appLanguage());
        a->setData(code);
        languages->addAction(a);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Quantscope"), this, [this] {
        QMessageBox::about(this, tr("About Quantscope"),
                           tr("<b>Quantscope %1</b><p>A quantization studio for large language models.</p>")
                               .arg(QStringLiteral(QUANTSCOPE_VERSION)));
    });
}

} // namespace qs
