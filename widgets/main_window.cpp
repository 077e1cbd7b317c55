#include "main_window.h"

#include "budget_panel.h"
#include "common/paths.h"
#include "eval_history_model.h"
#include "evaluation_panel.h"
#include "evaluation_session.h"
#include "export/quantize_job.h"
#include "fit_report_file.h"
#include "heatmap_widget.h"
#include "io/atomic_file.h"
#include "job_runner.h"
#include "job_status.h"
#include "language.h"
#include "memory_panel.h"
#include "model_card.h"
#include "next_token_view.h"
#include "number_text.h"
#include "plan_document.h"
#include "plan_panel.h"
#include "project/project_file.h"
#include "quantize_dialog.h"
#include "quantize_session.h"
#include "recent_files.h"
#include "sensitivity_session.h"
#include "tensor_browser.h"
#include "theme.h"
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
#include <QDir>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTime>
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

// The horizontal layout holding `anchor` among `layout`'s nested layouts (nullptr: none).
QBoxLayout *layoutHolding(QLayout *layout, QWidget *anchor)
{
    if (!layout)
        return nullptr;
    if (auto *box = qobject_cast<QBoxLayout *>(layout); box && box->indexOf(anchor) >= 0)
        return box;
    for (int i = 0; i < layout->count(); ++i)
        if (QBoxLayout *found = layoutHolding(layout->itemAt(i)->layout(), anchor))
            return found;
    return nullptr;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Quantscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/quantscope.svg")));
    setAcceptDrops(true);
    resize(1280, 800);

    m_doc = new PlanDocument(this);
    m_recent = new RecentFiles(this);
    connect(m_recent, &RecentFiles::chosen, this, &MainWindow::openFile);
    m_table = new TensorTableModel(this);
    // the table first: the panels created below read the decisions it holds when the plan changes
    connect(m_doc, &PlanDocument::planChanged, this, &MainWindow::onPlanChanged);
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
    m_browser = new TensorBrowser(m_table, right);
    rightLayout->addWidget(m_browser->filterBar());
    connect(m_browser, &TensorBrowser::tensorSelected, this, &MainWindow::showTensor);
    connect(m_table, &TensorTableModel::formatEdited, this,
            [this](int, const QString &name, const QString &type) { setTensorFormat(name, type); });

    // the plan (preset, rules, totals), then what it needs on a device, then the table and the selected tensor
    m_planPanel = new PlanPanel(m_doc, right);
    connect(m_planPanel, &PlanPanel::error, this, &MainWindow::showError);
    connect(m_planPanel, &PlanPanel::evaluateRequested, this, &MainWindow::evaluatePlan);
    rightLayout->addWidget(m_planPanel);
    m_memory = new MemoryPanel(m_doc, right);
    connect(m_memory, &MemoryPanel::message, this, &MainWindow::log);
    rightLayout->addWidget(m_memory);
    auto *vsplit = new QSplitter(Qt::Vertical, right);
    vsplit->addWidget(m_browser);
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
    m_analysisJob = new JobRunner(this);
    m_exportJob = new JobRunner(this);
    m_jobStatus = new JobStatus(this);
    m_jobStatus->watch(m_analysisJob, [](const QString &item) { return tr("Analysing %1").arg(item); });
    m_jobStatus->watch(m_exportJob, [](const QString &item) { return tr("Writing %1").arg(item); });
    // what a plan does to the predictions: evaluations kept for the session, and the next tokens of a prompt
    m_evaluation = new EvaluationSession(this);
    m_jobStatus->watch(m_evaluation->job(), [](const QString &item) { return tr("Evaluating %1").arg(item); });
    m_nextTokenJob = new JobRunner(this);
    m_jobStatus->watch(m_nextTokenJob, [](const QString &item) { return tr("Predicting with %1").arg(item); });
    // measured sensitivity: kept for the open model, saved with the project, shown by the model map
    m_sensitivity = new SensitivitySession(this);
    m_jobStatus->watch(m_sensitivity->job(), [](const QString &item) { return tr("Measuring %1").arg(item); });
    connect(m_sensitivity, &SensitivitySession::changed, this, [this] { m_details->setSensitivity(m_sensitivity->results()); });
    connect(m_sensitivity->job(), &JobRunner::started, this, [this] { m_details->setMeasuring(true); });
    connect(m_sensitivity->job(), &JobRunner::finished, this, [this] { m_details->setMeasuring(false); });
    connect(m_details, &TensorDetails::measureSensitivityRequested, this, [this] { measureSensitivity(); });
    // GPTQ/AWQ: calibrate, solve and write; the solved result stays the window's until another model opens
    m_quantize = new QuantizeSession(this);
    m_jobStatus->watch(m_quantize->job(), [](const QString &item) { return tr("Quantizing %1").arg(item); });
    connect(m_quantize, &QuantizeSession::changed, this, &MainWindow::showSolved);
    connect(m_quantize->job(), &JobRunner::started, this, &MainWindow::updateQuantizeAction);
    connect(m_quantize->job(), &JobRunner::finished, this, &MainWindow::updateQuantizeAction);
    m_quantizeAction = new QAction(this);
    m_quantizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q));
    connect(m_quantizeAction, &QAction::triggered, this, &MainWindow::showQuantizeDialog);
    m_evaluateSolvedAction = new QAction(this);
    connect(m_evaluateSolvedAction, &QAction::triggered, this, &MainWindow::evaluateSolved);
    // beside the plan panel's Evaluate button: quantizing is what a plan of GPTQ/AWQ formats leads to
    m_quantizeButton = new QPushButton(m_planPanel);
    m_quantizeButton->setObjectName(QStringLiteral("quantizePlan"));
    connect(m_quantizeButton, &QPushButton::clicked, this, &MainWindow::showQuantizeDialog);
    if (auto *evaluate = m_planPanel->findChild<QPushButton *>(QStringLiteral("evaluatePlan")))
        if (QBoxLayout *bar = layoutHolding(m_planPanel->layout(), evaluate))
            bar->insertWidget(bar->indexOf(evaluate) + 1, m_quantizeButton, 0, Qt::AlignTop);
    connect(m_jobStatus, &JobStatus::message, this, [this](const QString &line) { statusBar()->showMessage(line); });
    statusBar()->addPermanentWidget(m_jobStatus);

    // a log of what happened: opens, analyses, exports and errors, with times
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_logDock = new QDockWidget(this);
    m_logDock->setObjectName(QStringLiteral("log"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    m_logDock->hide();
    m_evalPanel = new EvaluationPanel(m_evaluation, this);
    connect(m_evalPanel, &EvaluationPanel::evaluatePlanRequested, this, &MainWindow::evaluatePlan);
    connect(m_evalPanel, &EvaluationPanel::evaluateOriginalRequested, this, &MainWindow::evaluateOriginal);
    connect(m_evalPanel, &EvaluationPanel::evaluateSolvedRequested, this, &MainWindow::evaluateSolved);
    m_evalDock = new QDockWidget(this);
    m_evalDock->setObjectName(QStringLiteral("evaluation"));
    m_evalDock->setWidget(m_evalPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_evalDock);
    m_nextToken = new NextTokenView(m_nextTokenJob, this);
    connect(m_nextToken, &NextTokenView::predicted, this, [this](bool ok) {
        statusBar()->clearMessage(); // the job's last progress line would otherwise stay
        Q_EMIT nextTokenShown(ok);
    });
    m_nextTokenDock = new QDockWidget(this);
    m_nextTokenDock->setObjectName(QStringLiteral("nextToken"));
    m_nextTokenDock->setWidget(m_nextToken);
    splitDockWidget(m_evalDock, m_nextTokenDock, Qt::Horizontal);
    resizeDocks({m_evalDock, m_nextTokenDock}, {3, 2}, Qt::Horizontal);
    // fit to a budget from the measured sensitivity: a tab beside the evaluation (a dock on the right would squeeze the
    // tensor table; beside the next tokens its Pareto chart would have no room), brought to the front once there is a
    // measurement to fit from
    m_budget = new BudgetPanel(m_doc, this);
    m_budgetDock = new QDockWidget(this);
    m_budgetDock->setObjectName(QStringLiteral("budget"));
    m_budgetDock->setWidget(m_budget);
    tabifyDockWidget(m_evalDock, m_budgetDock);
    m_budgetDock->hide();
    // "fit this device": the device, context and runtime the memory bar shows
    connect(m_memory, &MemoryPanel::targetChanged, this, &MainWindow::followDevice);
    followDevice();
    connect(m_sensitivity, &SensitivitySession::changed, this, [this] {
        m_budget->setInputs(m_model, m_sensitivity->results());
        if (m_sensitivity->results()) {
            m_budgetDock->show();
            m_budgetDock->raise();
        }
    });

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
QTreeView *MainWindow::layerTree() const { return m_browser->layerTree(); }
LayerGroupModel *MainWindow::layerGroups() const { return m_browser->layerGroups(); }
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
    m_nextToken->setPlan(EvaluationSession::rtnStandIn(plan())); // GPTQ/AWQ formats predict as round-to-nearest until solved
    m_quantize->setCurrentPlan(plan()); // a solved result of another plan is kept, marked stale
    updateQuantizeAction();
    // what in the plan does nothing goes to the log when it first appears (the plan panel shows it all the time)
    QStringList warnings;
    for (const PlanWarning &w : m_doc->warnings())
        warnings << PlanPanel::warningText(w);
    for (const QString &w : warnings)
        if (!m_loggedWarnings.contains(w))
            log(tr("Plan: %1").arg(w));
    m_loggedWarnings = warnings;
    Q_EMIT planChanged();
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
    m_sensitivity->cancel(); // a measurement of the previous model finishes as cancelled and keeps nothing
    m_sensitivity->clear();
    m_quantize->clear(); // a solved result belongs to the model it was solved from
    m_card->setModel(m_model.get());
    Plan fresh; // a new model starts from the preset the window shows, with no rules or overrides
    fresh.preset = plan().preset; // the preset the window shows, or none
    m_doc->setModel(m_model);
    m_doc->reset(fresh);
    m_browser->fitColumns();
    m_nextToken->setThreads(threads());
    m_nextToken->setModel(m_model);
    setWindowTitle(tr("%1 — Quantscope").arg(QFileInfo(out.path).fileName()));
    statusBar()->showMessage(tr("%1: %2 tensors, %3 parameters")
                                 .arg(out.path, integerText(static_cast<qint64>(m_model->tensors().size())),
                                      integerText(static_cast<qint64>(m_model->parameterCount()))));
    m_recent->add(out.path);
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
            // measured once, restored without measuring again
            if (!pending->project.sensitivity.empty())
                m_sensitivity->setResults(std::make_shared<const SensitivityResults>(std::move(pending->project.sensitivity)));
        }
        if (!pending->project.planJson.empty())
            if (auto saved = Plan::fromJson(pending->project.planJson))
                m_doc->reset(*saved);
        statusBar()->showMessage(tr("Opened the project %1").arg(pending->path));
        Q_EMIT projectOpened(change.empty(), pending->path);
    }
    // the details views start with something to show: the first tensor the plan may quantize, as the table lists it
    if (const int first = m_browser->firstQuantizableRow(); first >= 0)
        selectTensor(first);
    Q_EMIT modelOpened(out.path);
}

bool MainWindow::isAnalysing() const { return m_analysisJob->isRunning(); }

void MainWindow::endJob(JobOutcome outcome, const QString &error, const QString &doneMessage, const QString &failedWhat)
{
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
    *finished = connect(m_analysisJob, &JobRunner::finished, this, [this, model, results, finished](JobOutcome outcome, const QString &error) {
        disconnect(*finished);
        // measurements of a model that is no longer open are dropped: another model was opened meanwhile
        if (outcome == JobOutcome::Done && model != m_model)
            outcome = JobOutcome::Cancelled;
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
    statusBar()->showMessage(tr("Analysing…"));
    m_analysisJob->start([model, opt, results](JobControl &job) -> Status {
        auto r = analyzeModel(*model, opt, &job);
        if (!r)
            return r.error();
        *results = std::move(*r);
        return okStatus();
    });
}

void MainWindow::cancelAnalysis() { m_analysisJob->cancel(); }

void MainWindow::cancelJob() { m_jobStatus->cancelAll(); }

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
    statusBar()->showMessage(tr("Writing %1…").arg(path));
    m_exportJob->start([model, opt, out](JobControl &job) -> Status {
        auto r = quantizeModel(*model, opt, out, &job);
        return r ? okStatus() : Status(r.error());
    });
}

EvalHistoryModel *MainWindow::evaluationHistory() const { return m_evaluation->history(); }

void MainWindow::evaluatePlan() { startEvaluation(true); }
void MainWindow::evaluateOriginal() { startEvaluation(false); }

void MainWindow::predictNextTokens()
{
    m_nextTokenDock->show();
    m_nextToken->predict();
}

void MainWindow::setEvaluationText(const QString &path) { m_evaluation->setTextPath(path); }

// The evaluation about to start, once it ends: in the log and the status bar, the history shown.
void MainWindow::reportEvaluation(const QString &what)
{
    statusBar()->showMessage(tr("Evaluating %1 on %2…").arg(what, m_evaluation->textName()));
    auto finished = std::make_shared<QMetaObject::Connection>();
    *finished = connect(m_evaluation, &EvaluationSession::finished, this, [this, finished, what](JobOutcome outcome, const QString &error) {
        disconnect(*finished);
        const bool done = outcome == JobOutcome::Done;
        QString message;
        if (done) {
            const EvalRecord &r = m_evaluation->history()->record(m_evaluation->history()->rowCount() - 1);
            message = tr("Evaluated %1: perplexity %2").arg(what, fixedText(r.outcome.result.ppl, 3));
        }
        endJob(outcome, error, message, tr("The evaluation"));
        m_evalDock->show();
        m_evalDock->raise(); // it shares its place with Fit to Budget
        Q_EMIT evaluationFinished(done);
    });
}

void MainWindow::startEvaluation(bool withPlan)
{
    if (!m_model || m_evaluation->isRunning())
        return;
    if (withPlan && !m_doc->resolveError().isEmpty()) {
        showError(m_doc->resolveError());
        return;
    }
    const QString what = withPlan ? QString::fromStdString(plan().label()) : tr("the original model");
    reportEvaluation(what);
    m_evaluation->evaluate(m_model, withPlan ? std::optional<Plan>(plan()) : std::nullopt, threads());
}

void MainWindow::measureSensitivity(const QString &formats, int windows)
{
    if (!m_model || m_sensitivity->isRunning())
        return;
    auto finished = std::make_shared<QMetaObject::Connection>();
    *finished = connect(m_sensitivity, &SensitivitySession::finished, this, [this, finished](JobOutcome outcome, const QString &error) {
        disconnect(*finished);
        const bool done = outcome == JobOutcome::Done;
        QString message;
        if (done) {
            const auto r = m_sensitivity->results();
            const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_sensitivity->job()->startedMs()) / 1000.0;
            message = tr("Measured the sensitivity of %1 weights in %2 formats in %3 s")
                          .arg(integerText(static_cast<qint64>(r->tensors.size())), integerText(static_cast<qint64>(r->formats.size())),
                               fixedText(secs, 1));
            m_details->showSensitivityMap();
        }
        endJob(outcome, error, message, tr("The sensitivity measurement"));
        Q_EMIT sensitivityFinished(done);
    });
    statusBar()->showMessage(tr("Measuring the sensitivity on the built-in text…"));
    QString why;
    if (!m_sensitivity->measure(m_model, formats, windows, threads(), &why)) {
        disconnect(*finished);
        showError(why);
        Q_EMIT sensitivityFinished(false);
    }
}

void MainWindow::updateQuantizeAction()
{
    QString why;
    if (!m_model)
        why = tr("Open a Hugging Face model folder to quantize it with GPTQ or AWQ");
    else if (m_model->format() != ModelFormat::HuggingFace)
        why = tr("GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file");
    else if (!plan().hasGroupQuant())
        why = tr("The plan names no GPTQ, AWQ or RTN formats: load a plan with group formats (Plan ▸ Load Plan…)");
    else if (m_quantize->isRunning())
        why = tr("A quantization is running");
    const bool enabled = why.isEmpty();
    const QString tip = enabled ? tr("Calibrate, solve the plan's GPTQ/AWQ formats and write the checkpoint folder transformers "
                                     "and vLLM load")
                                : why;
    m_quantizeAction->setEnabled(enabled);
    m_quantizeAction->setToolTip(tip);
    m_quantizeButton->setEnabled(enabled);
    m_quantizeButton->setToolTip(tip);
    const auto solved = m_quantize->result();
    m_evaluateSolvedAction->setEnabled(solved != nullptr);
    m_evaluateSolvedAction->setToolTip(solved ? tr("Evaluate the checkpoint written to %1 against the unquantized model").arg(solved->folder)
                                              : tr("Quantize the plan first: there is no solved result to evaluate"));
    m_evalPanel->setSolved(solved ? tr("%1 (solved)").arg(solved->planLabel()) : QString());
}

QString MainWindow::suggestedQuantizeFolder() const
{
    if (!m_model)
        return {};
    const QFileInfo source(QString::fromStdString(m_model->path()));
    const QString dir = outputFolder().isEmpty() ? source.absolutePath() : outputFolder();
    // "sotu-mini-gptq-4-bit-g128": the model and the plan's label, as a folder name
    QString label = QString::fromStdString(plan().label()).toLower();
    label.replace(QRegularExpression(QStringLiteral("[^a-z0-9_.]+")), QStringLiteral("-"));
    const QString base = QDir(dir).filePath(source.fileName() + QLatin1Char('-') + label);
    QString path = base;
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = base + QLatin1Char('-') + QString::number(n);
    return path;
}

void MainWindow::showQuantizeDialog()
{
    updateQuantizeAction();
    if (!m_quantizeAction->isEnabled()) {
        showError(m_quantizeAction->toolTip());
        return;
    }
    QuantizeDialog dialog(plan(), suggestedQuantizeFolder(), this);
    if (dialog.exec() == QDialog::Accepted)
        quantize(dialog.settings());
}

void MainWindow::followDevice()
{
    m_budget->setDevice(m_memory->deviceBudget(), m_memory->deviceBudgetText());
}

bool MainWindow::quantize(const QuantizeSettings &settings)
{
    auto finished = std::make_shared<QMetaObject::Connection>();
    const QString folder = QFileInfo(settings.folder).absoluteFilePath();
    *finished = connect(m_quantize, &QuantizeSession::finished, this, [this, finished, folder](JobOutcome outcome, const QString &error) {
        disconnect(*finished);
        const bool done = outcome == JobOutcome::Done && m_quantize->result();
        QString message;
        if (done) {
            const auto r = m_quantize->result();
            message = tr("Wrote %1 (%2): %3 quantized weights in %4 s; every tensor reads back as solved")
                          .arg(r->folder, QString::fromLatin1(groupCheckpointFormatName(r->format)),
                               integerText(static_cast<qint64>(r->solved.tensors.size())), fixedText(r->solved.seconds, 1));
            if (r->solved.resumedLayers > 0)
                message += tr(" (the first %n layer(s) came from an earlier run that did not finish)", nullptr, r->solved.resumedLayers);
        }
        endJob(outcome, error, message, tr("The quantization"));
        if (outcome == JobOutcome::Cancelled)
            statusBar()->showMessage(tr("Quantization cancelled; nothing was written to %1").arg(folder));
        Q_EMIT quantizeFinished(done);
    });
    QString why;
    if (!m_quantize->quantize(m_model, plan(), settings, threads(), &why)) {
        disconnect(*finished);
        showError(why);
        Q_EMIT quantizeFinished(false);
        return false;
    }
    statusBar()->showMessage(tr("Quantizing %1 into %2…").arg(QString::fromStdString(plan().label()), folder));
    return true;
}

void MainWindow::showSolved()
{
    m_table->setSolved(m_quantize->result() ? std::shared_ptr<const SolvedPlan>(m_quantize->result(), &m_quantize->result()->solved) : nullptr,
                       m_quantize->isStale());
    m_details->setSolved(m_quantize->result(), m_quantize->isStale());
    updateQuantizeAction();
}

void MainWindow::evaluateSolved()
{
    const auto solved = m_quantize->result();
    if (!solved) {
        showError(tr("Quantize the plan first: there is no solved result to evaluate."));
        return;
    }
    if (m_evaluation->isRunning())
        return;
    const QString what = tr("%1 (solved)").arg(solved->planLabel());
    reportEvaluation(what);
    m_evaluation->evaluateSolved(solved, threads());
}

void MainWindow::selectTensor(int modelRow) { m_browser->selectTensor(modelRow); }

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
    if (Status st = m_doc->load(path); !st) {
        showError(QString::fromStdString(st.error().describe()));
        return false;
    }
    log(tr("Loaded the plan %1").arg(path));
    return true;
}

QString MainWindow::llamaQuantizeCommand() const
{
    auto cmd = plan().llamaQuantizeCommand("MODEL-BF16.gguf", "OUT.gguf", &m_doc->tensors()); // refused for GPTQ/AWQ plans
    return cmd ? QString::fromStdString(*cmd) : QString();
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
    applyDarkTheme(on);
}

void MainWindow::setGroupByLayer(bool on) { m_browser->setGroupByLayer(on); }

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
    if (const auto sensitivity = m_sensitivity->results())
        p.sensitivity = *sensitivity;
    auto st = saveProject(path.toStdString(), p);
    if (!st) {
        showError(tr("Could not save the project:\n%1").arg(QString::fromStdString(st.error().describe())));
        Q_EMIT projectSaved(false, path);
        return;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path));
    m_recent->add(path);
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
    m_jobStatus->retranslate();
    m_logDock->setWindowTitle(tr("Log"));
    m_evalDock->setWindowTitle(tr("Evaluation"));
    m_nextTokenDock->setWindowTitle(tr("Next Token"));
    m_budgetDock->setWindowTitle(tr("Fit to Budget"));
    m_budget->retranslate();
    followDevice(); // the device's name in the budget's words
    m_evalPanel->retranslate();
    m_nextToken->retranslate();
    m_quantizeAction->setText(tr("&Quantize (GPTQ/AWQ)…"));
    m_quantizeButton->setText(tr("Quantize…"));
    m_evaluateSolvedAction->setText(tr("Evaluate &Solved Result"));
    updateQuantizeAction();
    m_log->setAccessibleName(tr("Log"));
    // the panels, and views that compose their texts from data
    m_browser->retranslate();
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
