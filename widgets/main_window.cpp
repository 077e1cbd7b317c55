#include "main_window.h"

#include "common/paths.h"
#include "export/quantize_job.h"
#include "fit_report_file.h"
#include "format_delegate.h"
#include "header_fit.h"
#include "heatmap_widget.h"
#include "io/atomic_file.h"
#include "io/small_file.h"
#include "job_runner.h"
#include "language.h"
#include "layer_group_model.h"
#include "memory_panel.h"
#include "model_card.h"
#include "number_text.h"
#include "plan_document.h"
#include "plan_panel.h"
#include "project/project_file.h"
#include "tensor_details.h"
#include "tensor_table_model.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPalette>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTableView>
#include <QTime>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

struct MainWindow::PendingProject {
    Project project;
    QString path;
};

namespace {

constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("recentModels");

// The flat table and the layer tree show the same columns and are edited the same way.
template <class View>
void setUpTensorView(View *view, const QString &objectName, QAbstractItemModel *model, int sortColumn)
{
    view->setObjectName(objectName);
    view->setModel(model);
    view->setSortingEnabled(true);
    view->sortByColumn(sortColumn, Qt::AscendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setItemDelegateForColumn(TensorTableModel::Format, new FormatDelegate(view));
    // the name on the other side of the mapping is the Name column's tooltip: room for the plan and error columns
    view->setColumnHidden(TensorTableModel::OtherName, true);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked | QAbstractItemView::EditKeyPressed);
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Quantscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/quantscope.svg")));
    setAcceptDrops(true);
    resize(1280, 800);

    m_doc = new PlanDocument(this);
    m_table = new TensorTableModel(this);
    // the table first: the panels created below read the decisions it holds when the plan changes
    connect(m_doc, &PlanDocument::planChanged, this, &MainWindow::onPlanChanged);
    // grouped by layer: a tree over the same table, filtered so that a layer shows while any of its tensors match
    m_groupModel = new LayerGroupModel(m_table, this);
    m_groupProxy = new QSortFilterProxyModel(this);
    m_groupProxy->setSourceModel(m_groupModel);
    m_groupProxy->setSortRole(TensorTableModel::SortRole);
    m_groupProxy->setFilterKeyColumn(TensorTableModel::Name);
    m_groupProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_groupProxy->setRecursiveFilteringEnabled(true);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_table);
    m_proxy->setSortRole(TensorTableModel::SortRole);
    m_proxy->setFilterKeyColumn(TensorTableModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_errorBanner = new QLabel(central);
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setStyleSheet(QStringLiteral("QLabel { background: #fde8e8; color: #7a1010; border: 1px solid #e0a0a0; padding: 6px; }"));
    m_errorBanner->hide();
    layout->addWidget(m_errorBanner);

    auto *splitter = new QSplitter(Qt::Horizontal, central);
    m_card = new ModelCard(splitter);
    auto *cardScroll = new QScrollArea(splitter);
    cardScroll->setWidget(m_card);
    cardScroll->setWidgetResizable(true);
    cardScroll->setMinimumWidth(280);

    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(right);
    m_filter->setClearButtonEnabled(true);
    m_regex = new QCheckBox(this);
    auto applyFilter = [this] {
        for (QSortFilterProxyModel *proxy : {m_proxy, m_groupProxy}) {
            if (m_regex->isChecked())
                proxy->setFilterRegularExpression(QRegularExpression(m_filter->text(), QRegularExpression::CaseInsensitiveOption));
            else
                proxy->setFilterFixedString(m_filter->text());
        }
    };
    connect(m_filter, &QLineEdit::textChanged, this, applyFilter);
    connect(m_regex, &QCheckBox::toggled, this, applyFilter);
    m_view = new QTableView(right);
    setUpTensorView(m_view, QStringLiteral("tensorView"), m_proxy, TensorTableModel::Index);
    keepHeaderTitlesWhole(m_view->horizontalHeader());
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_tree = new QTreeView(right);
    setUpTensorView(m_tree, QStringLiteral("layerTree"), m_groupProxy, TensorTableModel::Layer);
    keepHeaderTitlesWhole(m_tree->header());
    m_tree->setUniformRowHeights(true);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        const int row = m_groupModel->tensorRow(m_groupProxy->mapToSource(current));
        if (row >= 0 && !m_selecting)
            showTensor(row);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && !m_selecting)
            showTensor(m_proxy->mapToSource(current).row());
    });
    m_tableStack = new QStackedWidget(right);
    m_tableStack->addWidget(m_view);
    m_tableStack->addWidget(m_tree);
    connect(m_table, &TensorTableModel::formatEdited, this,
            [this](int, const QString &name, const QString &type) { setTensorFormat(name, type); });
    auto *filterBar = new QHBoxLayout;
    filterBar->addWidget(m_filter, 1);
    filterBar->addWidget(m_regex);
    m_group = new QCheckBox(this);
    connect(m_group, &QCheckBox::toggled, this, &MainWindow::setGroupByLayer);
    filterBar->addWidget(m_group);
    rightLayout->addLayout(filterBar);

    // the plan (preset, rules, totals), then what it needs on a device, then the table and the selected tensor
    m_planPanel = new PlanPanel(m_doc, right);
    connect(m_planPanel, &PlanPanel::error, this, &MainWindow::showError);
    rightLayout->addWidget(m_planPanel);
    m_memory = new MemoryPanel(m_doc, right);
    connect(m_memory, &MemoryPanel::message, this, &MainWindow::log);
    rightLayout->addWidget(m_memory);
    auto *vsplit = new QSplitter(Qt::Vertical, right);
    vsplit->addWidget(m_tableStack);
    m_details = new TensorDetails(m_doc, m_table, vsplit);
    connect(m_details, &TensorDetails::previewReady, this, &MainWindow::previewReady);
    connect(m_details, &TensorDetails::tensorClicked, this, &MainWindow::selectTensor);
    vsplit->addWidget(m_details);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    rightLayout->addWidget(vsplit, 1);
    splitter->addWidget(cardScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    // every background job: a progress bar, a cancel button, and an outcome that says done, failed or cancelled
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(260);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelJob);
    m_analysisJob = new JobRunner(this);
    m_exportJob = new JobRunner(this);
    for (JobRunner *job : {m_analysisJob, m_exportJob})
        connect(job, &JobRunner::progress, this, [this, job](const JobProgress &p) {
            m_progress->setValue(p.total ? static_cast<int>(1000 * p.done / p.total) : 0);
            const QString what = job == m_exportJob ? tr("Writing %1") : tr("Analysing %1");
            statusBar()->showMessage(what.arg(QString::fromStdString(p.item)) + progressDetail(p, job->startedMs()));
        });

    // a log of what happened: opens, analyses, exports and errors, with times
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_logDock = new QDockWidget(this);
    m_logDock->setObjectName(QStringLiteral("log"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logDock->hide();

    buildMenus();
    retranslateUi();
    if (QSettings().value(QStringLiteral("darkTheme")).toBool())
        setDarkTheme(true);
    connect(&m_loader, &QFutureWatcher<ModelLoadOutcome>::finished, this, &MainWindow::onLoadFinished);
    statusBar()->showMessage(tr("Open a model to begin: File ▸ Open Model Folder, or File ▸ Open Demo Model."));
}

MainWindow::~MainWindow()
{
    cancelJob();
    m_loader.waitForFinished();
}

// What the views ask for, from the panels that own it.
HistogramView *MainWindow::histogramView() const { return m_details->histogramView(); }
HeatmapWidget *MainWindow::heatmapWidget() const { return m_details->heatmapWidget(); }
QComboBox *MainWindow::heatmapMeasure() const { return m_details->heatmapMeasure(); }
ModelMapWidget *MainWindow::modelMap() const { return m_details->modelMap(); }
RuleTableModel *MainWindow::ruleTable() const { return m_planPanel->ruleModel(); }
QTableView *MainWindow::ruleView() const { return m_planPanel->ruleView(); }
const Plan &MainWindow::plan() const { return m_doc->plan(); }
QUndoStack *MainWindow::undoStack() const { return m_doc->undoStack(); }
QString MainWindow::totalsText() const { return m_planPanel->totalsText(); }
QString MainWindow::planWarningsText() const { return m_planPanel->warningsText(); }
uint64_t MainWindow::plannedBytes() const { return m_doc->totals().bytes; }
VramBar *MainWindow::vramBar() const { return m_memory->vramBar(); }
int MainWindow::contextLength() const { return m_memory->contextLength(); }
void MainWindow::setMemoryBudgetMiB(int mib) { m_memory->setMemoryBudgetMiB(mib); }
void MainWindow::setRuntime(const QString &name) { m_memory->setRuntime(name); }
void MainWindow::setDevice(const QString &id) { m_memory->setDevice(id); }
void MainWindow::setContextLength(int tokens) { m_memory->setContextLength(tokens); }
void MainWindow::showDetailsTab(int index) { m_details->setCurrentIndex(index); }
void MainWindow::setHeatmapMeasure(int measure) { heatmapMeasure()->setCurrentIndex(std::clamp(measure, 0, heatmapMeasure()->count() - 1)); }

// Plan edits: the document validates and records each as one undoable step.
void MainWindow::report(const Status &status)
{
    if (!status)
        showError(QString::fromStdString(status.error().describe()));
}
void MainWindow::setPreset(const QString &preset) { report(m_doc->setPreset(preset)); }
void MainWindow::setTensorFormat(const QString &name, const QString &type) { report(m_doc->setTensorFormat(name, type)); }
void MainWindow::addRule(const QString &pattern, const QString &type) { report(m_doc->addRule(pattern, type)); }
void MainWindow::removeRule(int index) { report(m_doc->removeRule(index)); }
void MainWindow::editRule(int index, const QString &pattern, const QString &type) { report(m_doc->editRule(index, pattern, type)); }
void MainWindow::moveRule(int from, int to) { report(m_planPanel->moveRule(from, to)); }

void MainWindow::onPlanChanged()
{
    if (!m_model)
        return;
    if (!m_doc->resolveError().isEmpty()) {
        showError(m_doc->resolveError());
        return;
    }
    m_errorBanner->hide();
    m_table->setPlan(m_doc->resolved());
    // what in the plan does nothing goes to the log once per plan (the plan panel shows it all the time)
    for (const std::string &w : m_doc->warnings())
        log(tr("Plan: %1").arg(QString::fromStdString(w)));
    Q_EMIT planChanged();
}

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
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
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
    QAction *cancel = analysisMenu->addAction(tr("&Cancel"), this, &MainWindow::cancelJob);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *logAction = m_logDock->toggleViewAction();
    logAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    view->addAction(logAction);

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

void MainWindow::openFile(const QString &path)
{
    if (path.endsWith(QLatin1String(".qsproj"), Qt::CaseInsensitive))
        openProject(path);
    else
        openModel(path);
}

void MainWindow::openDemoModel()
{
    const std::string path = demoModelPath();
    if (path.empty()) {
        showError(tr("The built-in demo model is not installed. Set QUANTSCOPE_DEMO_MODEL to its folder."));
        return;
    }
    openModel(QString::fromStdString(path));
}

void MainWindow::openModel(const QString &path)
{
    if (m_loader.isRunning())
        m_loader.waitForFinished(); // opening reads headers only: the previous open is nearly done
    statusBar()->showMessage(tr("Opening %1…").arg(path));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    m_loader.setFuture(QtConcurrent::run([path] {
        ModelLoadOutcome out;
        out.path = path;
        auto res = Model::open(path.toStdString());
        if (res)
            out.model = *res;
        else
            out.error = QString::fromStdString(res.error().describe());
        return out;
    }));
}

void MainWindow::onLoadFinished()
{
    QApplication::restoreOverrideCursor();
    const ModelLoadOutcome out = m_loader.result();
    if (!out.model) {
        // The model that was open stays open: a bad file loses nothing.
        showError(tr("Could not open %1:\n%2").arg(out.path, out.error));
        if (m_pendingProject) {
            Q_EMIT projectOpened(false, m_pendingProject->path);
            m_pendingProject.reset();
        }
        statusBar()->showMessage(tr("Open failed"));
        Q_EMIT modelOpenFailed(out.error);
        return;
    }
    m_errorBanner->hide();
    cancelAnalysis();
    m_analysisJob->waitForFinished();
    m_model = out.model;
    m_analysis.reset();
    m_table->setModel(m_model);
    m_details->setModel(m_model);
    m_card->setModel(m_model.get());
    Plan fresh; // a new model starts from the preset the window shows, with no rules or overrides
    fresh.preset = plan().preset.empty() ? std::string("Q4_K_M") : plan().preset;
    m_doc->setModel(m_model);
    m_doc->reset(fresh);
    m_view->resizeColumnsToContents();
    for (int c = 0; c < TensorTableModel::ColumnCount; ++c) { // the tensors' widths, or the bold layer totals' where wider
        m_tree->resizeColumnToContents(c);
        m_tree->setColumnWidth(c, std::max(m_tree->columnWidth(c), m_view->columnWidth(c) + (c == TensorTableModel::Index ? 40 : 0)));
    }
    // a layer's row lists its formats: "Q4_K ×7, Q6_K ×2, F32 ×2"
    QFont bold = m_tree->font();
    bold.setBold(true);
    m_tree->setColumnWidth(TensorTableModel::Format, std::max(m_tree->columnWidth(TensorTableModel::Format),
                                                              QFontMetrics(bold).horizontalAdvance(QStringLiteral("Q4_K ×7, Q6_K ×2, F32 ×2")) + 16));
    setWindowTitle(tr("%1 — Quantscope").arg(QFileInfo(out.path).fileName()));
    statusBar()->showMessage(tr("%1: %2 tensors, %3 parameters")
                                 .arg(out.path, integerText(static_cast<qint64>(m_model->tensors().size())),
                                      integerText(static_cast<qint64>(m_model->parameterCount()))));
    addRecent(out.path);
    log(tr("Opened %1: %2 tensors").arg(out.path, integerText(static_cast<qint64>(m_model->tensors().size()))));
    if (m_pendingProject) {
        auto pending = std::move(m_pendingProject);
        m_pendingProject.reset();
        const std::string change = describeModelChange(pending->project, *m_model);
        if (!change.empty()) {
            showError(tr("The model changed since %1 was saved (%2): its measurements were not loaded; analyse again.")
                          .arg(pending->path, QString::fromStdString(change)));
        } else {
            m_analysis = std::make_shared<const AnalysisResults>(std::move(pending->project.analysis));
            m_table->setAnalysis(m_analysis);
            m_details->setAnalysis(m_analysis);
            m_doc->setAnalysis(m_analysis);
        }
        if (!pending->project.planJson.empty())
            if (auto saved = Plan::fromJson(pending->project.planJson))
                m_doc->reset(*saved);
        statusBar()->showMessage(tr("Opened the project %1").arg(pending->path));
        Q_EMIT projectOpened(change.empty(), pending->path);
    }
    // the details views start with something to show: the first tensor the plan may quantize, as the table lists it
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        if (const int row = m_proxy->mapToSource(m_proxy->index(r, 0)).row(); m_table->quantizable(row)) {
            selectTensor(row);
            break;
        }
    Q_EMIT modelOpened(out.path);
}

bool MainWindow::isAnalysing() const { return m_analysisJob->isRunning(); }

void MainWindow::startJob(const QString &what)
{
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    statusBar()->showMessage(what);
}

void MainWindow::endJob(JobOutcome outcome, const QString &error, const QString &doneMessage, const QString &failedWhat)
{
    m_progress->hide();
    m_cancel->hide();
    if (outcome == JobOutcome::Failed) {
        statusBar()->showMessage(tr("%1 failed").arg(failedWhat));
        showError(tr("%1 failed:\n%2").arg(failedWhat, error));
        return;
    }
    statusBar()->showMessage(outcome == JobOutcome::Done ? doneMessage : tr("%1 cancelled").arg(failedWhat));
    log(statusBar()->currentMessage());
}

void MainWindow::startAnalysis(const QString &formats)
{
    if (!m_model || m_analysisJob->isRunning())
        return;
    auto candidates = QuantFormat::parseList((formats.isEmpty() ? QStringLiteral("q4_k,q6_k,q8_0,int4-g128-asym") : formats).toStdString());
    if (!candidates) {
        showError(QString::fromStdString(candidates.error().describe()));
        return;
    }
    AnalysisOptions opt;
    opt.candidates = *candidates;
    opt.heatmaps = true;
    opt.threads = threads();
    auto results = std::make_shared<AnalysisResults>();
    auto model = m_model;
    // the job keeps its results in what it captured; the finished handler takes them from there
    auto finished = std::make_shared<QMetaObject::Connection>();
    *finished = connect(m_analysisJob, &JobRunner::finished, this, [this, results, finished](JobOutcome outcome, const QString &error) {
        disconnect(*finished);
        const bool done = outcome == JobOutcome::Done;
        if (done) {
            m_analysis = results;
            m_table->setAnalysis(m_analysis);
            m_details->setAnalysis(m_analysis);
            m_doc->setAnalysis(m_analysis); // planned errors and the weighted total now have measurements
        }
        const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_analysisJob->startedMs()) / 1000.0;
        endJob(outcome, error, done ? tr("Analysed %1 tensors in %2 s").arg(integerText(static_cast<qint64>(results->tensors.size())), fixedText(secs, 1)) : QString(),
               tr("The analysis"));
        Q_EMIT analysisFinished(done);
    });
    startJob(tr("Analysing…"));
    m_analysisJob->start([model, opt, results](JobControl &job) -> Status {
        auto r = analyzeModel(*model, opt, &job);
        if (!r)
            return r.error();
        *results = std::move(*r);
        return okStatus();
    });
}

void MainWindow::cancelAnalysis() { m_analysisJob->cancel(); }

void MainWindow::cancelJob()
{
    m_analysisJob->cancel();
    m_exportJob->cancel();
}

bool MainWindow::isExporting() const { return m_exportJob->isRunning(); }

void MainWindow::exportGguf(const QString &path)
{
    if (!m_model || m_exportJob->isRunning())
        return;
    m_exportPath = path;
    QuantizeOptions opt;
    opt.plan = plan();
    opt.threads = threads();
    auto model = m_model;
    const std::string out = path.toStdString();
    auto finished = std::make_shared<QMetaObject::Connection>();
    *finished = connect(m_exportJob, &JobRunner::finished, this, [this, finished](JobOutcome outcome, const QString &error) {
        disconnect(*finished);
        const bool done = outcome == JobOutcome::Done;
        endJob(outcome, error, tr("Wrote %1 (%2)").arg(m_exportPath, bytesText(static_cast<quint64>(QFileInfo(m_exportPath).size()))),
               tr("The export"));
        if (outcome == JobOutcome::Cancelled)
            statusBar()->showMessage(tr("Export cancelled; nothing was written"));
        m_openFolder->setEnabled(done || m_openFolder->isEnabled());
        Q_EMIT exportFinished(done, m_exportPath);
    });
    startJob(tr("Writing %1…").arg(path));
    m_exportJob->start([model, opt, out](JobControl &job) -> Status {
        auto r = quantizeModel(*model, opt, out, &job);
        return r ? okStatus() : Status(r.error());
    });
}

void MainWindow::selectTensor(int modelRow)
{
    {
        // both views follow; their selection handlers stay quiet so the tensor is shown (and previewed) once
        const QScopedValueRollback<bool> quiet(m_selecting, true);
        const QModelIndex idx = m_proxy->mapFromSource(m_table->index(modelRow, 0));
        if (idx.isValid())
            m_view->setCurrentIndex(idx);
        const QModelIndex inTree = m_groupProxy->mapFromSource(m_groupModel->indexForTensor(modelRow));
        if (inTree.isValid()) {
            m_tree->expand(inTree.parent());
            m_tree->setCurrentIndex(inTree);
        }
    }
    showTensor(modelRow);
}

void MainWindow::showTensor(int modelRow) { m_details->showTensor(modelRow); }

bool MainWindow::savePlan(const QString &path)
{
    // a failed write leaves the old file, never half a plan
    if (Status st = writeFileAtomically(path.toStdString(), plan().toJson()); !st) {
        showError(QString::fromStdString(st.error().describe()));
        return false;
    }
    log(tr("Saved the plan to %1").arg(path));
    return true;
}

bool MainWindow::loadPlan(const QString &path)
{
    auto bytes = readSmallFile(path.toStdString(), 16u << 20);
    if (!bytes) {
        showError(QString::fromStdString(bytes.error().describe()));
        return false;
    }
    auto plan = Plan::fromJson(std::string(bytes->begin(), bytes->end()));
    if (!plan) {
        showError(tr("%1 is not a plan Quantscope can use: %2").arg(path, QString::fromStdString(plan.error().describe())));
        return false;
    }
    if (m_model) { // refuse a plan whose rules or overrides cannot apply to this model before it replaces the current one
        auto resolved = resolveForModel(*m_model, *plan, false);
        if (!resolved) {
            showError(tr("%1 does not fit this model: %2").arg(path, QString::fromStdString(resolved.error().describe())));
            return false;
        }
    }
    m_doc->push(*plan, tr("load plan %1").arg(QFileInfo(path).fileName()));
    log(tr("Loaded the plan %1").arg(path));
    return true;
}

QString MainWindow::llamaQuantizeCommand() const
{
    QStringList args{QStringLiteral("llama-quantize")};
    for (const std::string &a : plan().llamaQuantizeArgs()) {
        QString arg = QString::fromStdString(a);
        if (a.find_first_of(" \\'\"$*?[]()|&;<>{}") != std::string::npos) // quoted for a POSIX shell
            arg = QLatin1Char('\'') + arg.replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
        args << arg;
    }
    args << QStringLiteral("MODEL-BF16.gguf") << QStringLiteral("OUT.gguf") << QString::fromStdString(plan().preset);
    return args.join(QLatin1Char(' '));
}

bool MainWindow::exportHardwareReport(const QString &path)
{
    auto report = m_memory->hardwareReport();
    if (!report) {
        showError(QString::fromStdString(report.error().describe()));
        return false;
    }
    // the format its extension names, written atomically (a PDF is drawn in a few milliseconds)
    if (Status st = writeFitReport(*report, path); !st) {
        showError(QString::fromStdString(st.error().describe()));
        return false;
    }
    log(tr("Wrote the hardware report %1").arg(path));
    return true;
}

void MainWindow::setThreads(int n) { QSettings().setValue(QStringLiteral("threads"), std::max(0, n)); }
int MainWindow::threads() const { return QSettings().value(QStringLiteral("threads"), 0).toInt(); }
void MainWindow::setOutputFolder(const QString &folder) { QSettings().setValue(QStringLiteral("outputFolder"), folder); }
QString MainWindow::outputFolder() const { return QSettings().value(QStringLiteral("outputFolder")).toString(); }

void MainWindow::setDarkTheme(bool on)
{
    QSettings().setValue(QStringLiteral("darkTheme"), on);
    if (!on) {
        qApp->setPalette(qApp->style()->standardPalette());
        return;
    }
    // Fusion with a dark palette: the same on every desktop
    qApp->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(230, 230, 230), highlight(42, 130, 218);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(128, 128, 128));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(128, 128, 128));
    qApp->setPalette(p);
}

void MainWindow::setGroupByLayer(bool on)
{
    if (m_group->isChecked() != on)
        m_group->setChecked(on);
    m_tableStack->setCurrentWidget(on ? static_cast<QWidget *>(m_tree) : m_view);
    if (m_details->shownRow() >= 0)
        selectTensor(m_details->shownRow()); // the same tensor stays selected, its layer open
}

void MainWindow::saveProjectAs(const QString &path)
{
    if (!m_model)
        return;
    Project p;
    p.modelPath = m_model->path();
    p.fingerprint = fingerprintModel(*m_model);
    p.planJson = plan().toJson();
    if (m_analysis)
        p.analysis = *m_analysis;
    auto st = saveProject(path.toStdString(), p);
    if (!st) {
        showError(tr("Could not save the project:\n%1").arg(QString::fromStdString(st.error().describe())));
        Q_EMIT projectSaved(false, path);
        return;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path));
    addRecent(path);
    Q_EMIT projectSaved(true, path);
}

void MainWindow::openProject(const QString &path)
{
    auto p = loadProject(path.toStdString());
    if (!p) {
        showError(tr("Could not open the project:\n%1").arg(QString::fromStdString(p.error().describe())));
        Q_EMIT projectOpened(false, path);
        return;
    }
    m_pendingProject = std::make_shared<PendingProject>(PendingProject{std::move(*p), path});
    openModel(QString::fromStdString(m_pendingProject->project.modelPath));
}

QString MainWindow::lastError() const
{
    return m_errorBanner->isHidden() ? QString() : m_errorBanner->text();
}

void MainWindow::log(const QString &line)
{
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

QString MainWindow::logText() const { return m_log->toPlainText(); }

void MainWindow::showError(const QString &message)
{
    log(message);
    m_errorBanner->setText(message);
    m_errorBanner->show();
}

void MainWindow::addRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString &p : recent)
        m_recentMenu->addAction(p, this, [this, p] { openFile(p); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        setLocale(QLocale()); // setAppLanguage moved the default locale: spin boxes and delegates follow it
        menuBar()->clear();
        buildMenus();
        retranslateUi();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    if (!m_model)
        setWindowTitle(tr("Quantscope"));
    m_errorBanner->setAccessibleName(tr("Error message"));
    m_filter->setPlaceholderText(tr("Filter tensors by name (e.g. ffn_down or blk.3.)"));
    m_filter->setAccessibleName(tr("Tensor filter"));
    m_filter->setToolTip(tr("Show only tensors whose name contains this text"));
    m_regex->setText(tr("Re&gex"));
    m_regex->setToolTip(tr("Treat the filter as a regular expression, e.g. blk\\.[0-3]\\.ffn_down"));
    m_group->setText(tr("Group by &layer"));
    m_group->setToolTip(tr("Show the tensors as a tree of layers, each with its size, bits per weight, formats and error under the plan"));
    m_tree->setAccessibleName(tr("Tensors by layer"));
    m_view->setAccessibleName(tr("Tensor table"));
    m_progress->setAccessibleName(tr("Progress"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the running job (Esc)"));
    m_logDock->setWindowTitle(tr("Log"));
    m_log->setAccessibleName(tr("Log"));
    // the panels, and views that compose their texts from data
    m_planPanel->retranslate();
    m_memory->retranslate();
    m_details->retranslate();
    m_card->setModel(m_model.get());
    m_table->retranslate();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 && event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        openFile(urls.first().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace qs
