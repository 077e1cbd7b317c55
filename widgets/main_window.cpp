#include "main_window.h"

#include "analysis_runner.h"
#include "export/quantize_job.h"
#include "plan/resolve.h"
#include "format_delegate.h"
#include "common/paths.h"
#include "analysis/model_grid.h"
#include "analysis/tensor_preview.h"
#include "header_fit.h"
#include "heatmap_widget.h"
#include "language.h"
#include "model_map_widget.h"
#include "project/project_file.h"
#include "histogram_view.h"
#include "model_card.h"
#include "number_text.h"
#include "plan_totals.h"
#include "vram_bar.h"
#include "io/atomic_file.h"
#include "io/small_file.h"
#include "vram/fit_report.h"
#include "tensor_table_model.h"
#include "rule_table_model.h"
#include "layer_group_model.h"
#include "fit_report_pdf.h"

#include <QAction>
#include <QPalette>
#include <QStyleFactory>
#include <QDockWidget>
#include <QPlainTextEdit>
#include <QTime>
#include <QActionGroup>
#include <QEvent>
#include <QDesktopServices>
#include <QInputDialog>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QJsonDocument>
#include <QSettings>
#include <QFontMetrics>
#include <QUndoCommand>
#include <QUndoStack>
#include <QUrl>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QItemSelectionModel>
#include <QProgressBar>
#include <QTabWidget>
#include <QToolButton>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QScopedValueRollback>
#include <QStackedWidget>
#include <QTreeView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <cmath>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

struct MainWindow::PendingProject {
    Project project;
    QString path;
};

namespace {
constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("recentModels");
} // namespace

namespace {

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

    m_table = new TensorTableModel(this);
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

    // the plan: a preset, ordered rules, per-tensor choices in the table's Format column, and what it all costs
    auto *planBar = new QHBoxLayout;
    m_presetLabel = new QLabel(right);
    planBar->addWidget(m_presetLabel);
    m_preset = new QComboBox(right);
    for (const auto &p : presets())
        m_preset->addItem(QString::fromStdString(p.name));
    m_preset->setCurrentText(QStringLiteral("Q4_K_M"));

    connect(m_preset, &QComboBox::textActivated, this, &MainWindow::setPreset);
    planBar->addWidget(m_preset);
    // rules, first match wins: an editable table (pattern and format cells) with the tensors each one decides
    m_ruleModel = new RuleTableModel(this);
    m_rules = new QTableView(right);
    m_rules->setObjectName(QStringLiteral("ruleView"));
    m_rules->setModel(m_ruleModel);
    m_rules->setItemDelegateForColumn(RuleTableModel::Format, new FormatDelegate(m_rules));
    m_rules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rules->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rules->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked | QAbstractItemView::EditKeyPressed);
    m_rules->horizontalHeader()->setSectionResizeMode(RuleTableModel::Pattern, QHeaderView::Stretch);
    m_rules->verticalHeader()->setDefaultSectionSize(m_rules->fontMetrics().height() + 6);
    fitRuleViewHeight();
    connect(m_ruleModel, &RuleTableModel::ruleEdited, this, &MainWindow::editRule, Qt::QueuedConnection);
    planBar->addWidget(m_rules, 1);
    auto *ruleButtons = new QGridLayout;
    m_addRule = new QPushButton(right);
    connect(m_addRule, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Add a rule"), tr("REGEX=FORMAT (for example ffn_down=Q6_K):"), QLineEdit::Normal, {}, &ok);
        const qsizetype eq = text.lastIndexOf(QLatin1Char('='));
        if (ok && eq > 0)
            addRule(text.left(eq), text.mid(eq + 1));
        else if (ok)
            showError(tr("A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0 or IQ4_XS; '%1' is not.").arg(text));
    });
    auto selectedRule = [this] { return m_rules->currentIndex().isValid() ? m_rules->currentIndex().row() : -1; };
    m_removeRule = new QPushButton(right);
    connect(m_removeRule, &QPushButton::clicked, this, [this, selectedRule] { removeRule(selectedRule()); });
    m_ruleUp = new QPushButton(right);
    connect(m_ruleUp, &QPushButton::clicked, this, [this, selectedRule] { moveRule(selectedRule(), selectedRule() - 1); });
    m_ruleDown = new QPushButton(right);
    connect(m_ruleDown, &QPushButton::clicked, this, [this, selectedRule] { moveRule(selectedRule(), selectedRule() + 1); });
    ruleButtons->addWidget(m_addRule, 0, 0);
    ruleButtons->addWidget(m_removeRule, 1, 0);
    ruleButtons->addWidget(m_ruleUp, 0, 1);
    ruleButtons->addWidget(m_ruleDown, 1, 1);
    planBar->addLayout(ruleButtons);
    rightLayout->addLayout(planBar);
    m_totals = new QLabel(right);

    rightLayout->addWidget(m_totals);
    auto *memoryBar = new QHBoxLayout;
    m_deviceLabel = new QLabel(right);
    memoryBar->addWidget(m_deviceLabel);
    m_device = new QComboBox(right);
    m_device->addItem(QString(), QString()); // the custom budget; its text is set in retranslateUi
    if (auto devices = loadHardware()) {
        m_devices = std::move(*devices);
        for (const Device &d : m_devices)
            m_device->addItem(QString::fromStdString(d.name), QString::fromStdString(d.id));
    } else {
        log(QString::fromStdString(devices.error().describe()));
    }
    memoryBar->addWidget(m_device);
    // what runs it: llama.cpp runs the GGUF plan; transformers and vLLM the checkpoint as stored or a GPTQ/AWQ plan
    m_runtime = new QComboBox(right);
    m_runtime->addItem(QStringLiteral("llama.cpp"), QStringLiteral("llama.cpp"));
    m_runtime->addItem(QStringLiteral("transformers"), QStringLiteral("transformers"));
    m_runtime->addItem(QStringLiteral("vLLM"), QStringLiteral("vllm"));
    connect(m_runtime, &QComboBox::currentIndexChanged, this, [this] { refreshVram(); });
    memoryBar->addWidget(m_runtime);
    m_budgetLabel = new QLabel(right);
    memoryBar->addWidget(m_budgetLabel);
    m_budget = new QSpinBox(right);
    m_budget->setRange(1, 1 << 20);
    m_budget->setValue(8192);
    connect(m_budget, &QSpinBox::valueChanged, this, [this] { refreshVram(); });
    m_contextLabel = new QLabel(right);
    m_context = new QSlider(Qt::Horizontal, right);
    m_context->setRange(9, 17); // 2^9 = 512 .. 2^17 = 131072 tokens
    m_context->setPageStep(1);
    m_context->setValue(QSettings().value(QStringLiteral("context"), 12).toInt());
    m_context->setMaximumWidth(140);
    m_contextValue = new QLabel(right);
    m_contextValue->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("128k")) + 4);
    connect(m_context, &QSlider::valueChanged, this, [this](int v) {
        QSettings().setValue(QStringLiteral("context"), v);
        refreshVram();
    });
    connect(m_device, &QComboBox::currentIndexChanged, this, [this](int) {
        const QString id = m_device->currentData().toString();
        m_budget->setEnabled(id.isEmpty());
        QSettings().setValue(QStringLiteral("device"), id);
        refreshVram();
    });
    const int remembered = m_device->findData(QSettings().value(QStringLiteral("device"), QStringLiteral("rtx-4090")).toString());
    m_device->setCurrentIndex(std::max(0, remembered));
    m_budget->setEnabled(m_device->currentData().toString().isEmpty());
    m_vram = new VramBar(right);
    refreshVram();
    memoryBar->addWidget(m_budget);
    memoryBar->addWidget(m_contextLabel);
    memoryBar->addWidget(m_context);
    memoryBar->addWidget(m_contextValue);
    memoryBar->addWidget(m_vram, 1);
    rightLayout->addLayout(memoryBar);
    m_undo = new QUndoStack(this);

    auto *vsplit = new QSplitter(Qt::Vertical, right);
    vsplit->addWidget(m_tableStack);

    // details of the selected tensor: its distribution and where its error lies
    auto *tabs = m_tabs = new QTabWidget(vsplit);
    auto *histPage = new QWidget(tabs);
    auto *histLayout = new QVBoxLayout(histPage);
    m_histogram = new HistogramView(histPage);
    m_logScale = new QCheckBox(histPage);
    connect(m_logScale, &QCheckBox::toggled, m_histogram, &HistogramView::setLogScale);
    m_histShow = new QComboBox(histPage);
    m_histShow->addItems({QString(), QString(), QString(), QString()});
    m_histShow->setCurrentIndex(2);
    connect(m_histShow, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_histogram->setShow(static_cast<HistogramView::Show>(i)); });
    m_block = new QSpinBox(histPage);
    m_block->setRange(0, 1 << 30);

    connect(m_block, &QSpinBox::valueChanged, this, [this] { startPreview(); });
    auto *histBar = new QHBoxLayout;
    m_showLabel = new QLabel(histPage);
    histBar->addWidget(m_showLabel);
    histBar->addWidget(m_histShow);
    histBar->addWidget(m_block);
    histBar->addWidget(m_logScale);
    histBar->addStretch();
    histLayout->addWidget(m_histogram);
    histLayout->addLayout(histBar);
    connect(&m_preview, &QFutureWatcher<QVariant>::finished, this, [this] {
        const QVariant v = m_preview.result();
        if (m_previewFor == m_shownRow && v.canConvert<TensorPreview>())
            m_histogram->setPreview(v.value<TensorPreview>());
        Q_EMIT previewReady();
    });
    tabs->addTab(histPage, QString());
    auto *heatPage = new QWidget(tabs);
    auto *heatLayout = new QVBoxLayout(heatPage);
    auto *heatBar = new QHBoxLayout;
    m_heatFormat = new QComboBox(heatPage);

    m_heatMeasure = new QComboBox(heatPage);
    m_heatMeasure->addItems({QString(), QString(), QString(), QString()}); // the order of HeatmapWidget::Measure
    heatBar->addWidget(m_heatFormat);
    heatBar->addWidget(m_heatMeasure);
    heatBar->addStretch();
    m_heatmap = new HeatmapWidget(heatPage);
    heatLayout->addLayout(heatBar);
    heatLayout->addWidget(m_heatmap, 1);
    tabs->addTab(heatPage, QString());
    m_modelMap = new ModelMapWidget(tabs);
    tabs->addTab(m_modelMap, QString());
    connect(m_modelMap, &ModelMapWidget::tensorClicked, this, [this](int analysisIndex) {
        if (m_analysis && analysisIndex >= 0 && analysisIndex < static_cast<int>(m_analysis->tensors.size()))
            selectTensor(static_cast<int>(m_analysis->tensors[static_cast<size_t>(analysisIndex)].index));
    });
    connect(m_heatFormat, &QComboBox::currentIndexChanged, this, [this] { showHeatmap(); });
    connect(m_heatMeasure, &QComboBox::currentIndexChanged, this, [this] { showHeatmap(); });
    vsplit->addWidget(tabs);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    rightLayout->addWidget(vsplit, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid() && !m_selecting)
            showTensor(m_proxy->mapToSource(current).row());
    });
    splitter->addWidget(cardScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_progress = new QProgressBar(this);

    m_progress->setMaximumWidth(260);
    m_progress->hide();
    m_cancel = new QToolButton(this);

    m_cancel->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    m_runner = new AnalysisRunner(this);
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelJob);
    connect(m_runner, &AnalysisRunner::progress, this, [this](qint64 done, qint64 total, const QString &item) {
        m_progress->setValue(total > 0 ? static_cast<int>(1000 * done / total) : 0);
        statusBar()->showMessage(tr("Analysing %1").arg(item) + progressDetail(done, total, m_analysisStarted));
    });
    connect(m_runner, &AnalysisRunner::finished, this, &MainWindow::onAnalysisFinished);

    connect(&m_export, &QFutureWatcher<QString>::finished, this, [this] {
        m_progress->hide();
        m_cancel->hide();
        const QString err = m_export.result();
        const bool ok = err.isEmpty();
        if (ok) {
            statusBar()->showMessage(tr("Wrote %1 (%2)").arg(m_exportPath, bytesText(static_cast<quint64>(QFileInfo(m_exportPath).size()))));
            log(statusBar()->currentMessage());
            m_openFolder->setEnabled(true);
        } else if (!m_exportJob->cancelled()) {
            showError(tr("The export failed:\n%1").arg(err));
        } else {
            statusBar()->showMessage(tr("Export cancelled; nothing was written"));
            log(statusBar()->currentMessage());
        }
        Q_EMIT exportFinished(ok, m_exportPath);
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
    m_preview.waitForFinished();
    m_loader.waitForFinished();
    m_export.waitForFinished();
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
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
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
        if (m_plan.hasGroupQuant()) {
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
    m_model = out.model;
    m_analysis.reset();
    m_shownRow = -1;
    m_table->setModel(m_model);
    m_histogram->setHistogram(nullptr, QString());
    m_heatmap->setGrid(nullptr, QString());
    m_heatFormat->clear();
    m_card->setModel(m_model.get());
    m_undo->clear();
    m_plan = Plan();
    m_plan.preset = m_preset->currentText().toStdString();
    applyPlan(m_plan);
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
            m_heatFormat->clear();
            for (const auto &c : m_analysis->candidates)
                m_heatFormat->addItem(QString::fromStdString(c.id()));
        }
        if (!pending->project.planJson.empty())
            if (auto plan = Plan::fromJson(pending->project.planJson))
                applyPlan(*plan);
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

bool MainWindow::isAnalysing() const { return m_runner->isRunning(); }

void MainWindow::startAnalysis(const QString &formats)
{
    if (!m_model || m_runner->isRunning())
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
    m_analysisStarted = QDateTime::currentMSecsSinceEpoch();
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    statusBar()->showMessage(tr("Analysing…"));
    m_runner->start(m_model, opt);
}

void MainWindow::cancelAnalysis() { m_runner->cancel(); }

void MainWindow::onAnalysisFinished(const qs::AnalysisOutcome &outcome)
{
    m_progress->hide();
    m_cancel->hide();
    if (!outcome.results) {
        statusBar()->showMessage(outcome.cancelled ? tr("Analysis cancelled") : tr("Analysis failed"));
        log(statusBar()->currentMessage());
        if (!outcome.cancelled)
            showError(tr("The analysis failed:\n%1").arg(outcome.error));
        Q_EMIT analysisFinished(false);
        return;
    }
    m_analysis = outcome.results;
    m_table->setAnalysis(m_analysis);
    refreshPlan(); // planned errors and the weighted total now have measurements
    m_heatFormat->blockSignals(true);
    m_heatFormat->clear();
    for (const auto &c : m_analysis->candidates)
        m_heatFormat->addItem(QString::fromStdString(c.id()));
    m_heatFormat->blockSignals(false);
    const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_analysisStarted) / 1000.0;
    statusBar()->showMessage(tr("Analysed %1 tensors in %2 s").arg(integerText(static_cast<qint64>(m_analysis->tensors.size())), fixedText(secs, 1)));
    log(statusBar()->currentMessage());
    if (m_shownRow >= 0)
        showTensor(m_shownRow);
    Q_EMIT analysisFinished(true);
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

void MainWindow::setHeatmapMeasure(int measure) { m_heatMeasure->setCurrentIndex(std::clamp(measure, 0, m_heatMeasure->count() - 1)); }

void MainWindow::showDetailsTab(int index) { m_tabs->setCurrentIndex(index); }

void MainWindow::showTensor(int modelRow)
{
    m_shownRow = modelRow;
    const TensorAnalysis *a = m_table->analysisFor(modelRow);
    if (a)
        m_histogram->setHistogram(&a->stats.histogram, tr("%1: mean %2, std %3, kurtosis %4")
                                                            .arg(QString::fromStdString(a->ggufName), significantText(a->stats.mean, 3),
                                                                 significantText(a->stats.stddev, 3), fixedText(a->stats.kurtosis, 2)));
    else if (m_model && modelRow >= 0)
        m_histogram->setHistogram(nullptr, QString::fromStdString(m_model->tensors()[static_cast<size_t>(modelRow)].name));
    startPreview();
    showHeatmap();
}

void MainWindow::startPreview()
{
    const PlannedTensor *p = m_table->plannedFor(m_shownRow);
    if (!m_model || !p || !p->decision.quantized || typeTraits(p->decision.type).blockSize == 1) {
        m_histogram->setPreview(std::nullopt);
        return;
    }
    // quantize a sample of the tensor in the planned format, off the event loop
    m_preview.waitForFinished();
    m_previewFor = m_shownRow;
    auto model = m_model;
    const size_t index = static_cast<size_t>(m_shownRow);
    const GgmlType type = p->decision.type;
    const int64_t block = m_block->value();
    m_preview.setFuture(QtConcurrent::run([model, index, type, block] {
        auto r = previewTensor(*model, index, type, block);
        return r ? QVariant::fromValue(*r) : QVariant();
    }));
}

void MainWindow::showHeatmap()
{
    const TensorAnalysis *a = m_table->analysisFor(m_shownRow);
    const int f = m_heatFormat->currentIndex();
    if (!a || f < 0 || f >= static_cast<int>(a->candidates.size()) || !a->candidates[static_cast<size_t>(f)].applicable) {
        m_heatmap->setGrid(nullptr, QString());
        return;
    }
    const CandidateResult &cr = a->candidates[static_cast<size_t>(f)];
    // keep the whole analysis alive for as long as the widget shows one of its grids
    std::shared_ptr<const ErrorGrid> grid(m_analysis, &cr.grid);
    const auto measure = static_cast<HeatmapWidget::Measure>(std::max(0, m_heatMeasure->currentIndex()));
    // a source stored quantized is compared with its quantized weights, not with originals it no longer has
    const QString title = storedQuantized(m_model->tensors()[a->index])
                              ? tr("%1 under %2, against the weights as stored (%3, already quantized)")
                                    .arg(QString::fromStdString(a->ggufName), QString::fromStdString(cr.candidate.id()),
                                         QString::fromStdString(m_model->tensors()[a->index].dtype))
                              : tr("%1 under %2").arg(QString::fromStdString(a->ggufName), QString::fromStdString(cr.candidate.id()));
    m_heatmap->setGrid(grid, title, measure);
}

namespace {

// Plans are plain data: an undo step keeps the whole plan before and after.
class PlanCommand : public QUndoCommand {
public:
    PlanCommand(MainWindow *w, Plan before, Plan after, const QString &text)
        : QUndoCommand(text), m_w(w), m_before(std::move(before)), m_after(std::move(after)) {}
    void undo() override { m_w->applyPlan(m_before); }
    void redo() override { m_w->applyPlan(m_after); }

private:
    MainWindow *m_w;
    Plan m_before, m_after;
};

} // namespace

void MainWindow::pushPlan(const Plan &next, const QString &what)
{
    m_undo->push(new PlanCommand(this, m_plan, next, what));
}

void MainWindow::applyPlan(const Plan &plan)
{
    m_plan = plan;
    m_preset->setCurrentText(QString::fromStdString(m_plan.preset));
    refreshPlan(); // also hands the rules, with what each decides, to the rule table
}

bool MainWindow::savePlan(const QString &path)
{
    // a failed write leaves the old file, never half a plan
    if (Status st = writeFileAtomically(path.toStdString(), m_plan.toJson()); !st) {
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
    pushPlan(*plan, tr("load plan %1").arg(QFileInfo(path).fileName()));
    log(tr("Loaded the plan %1").arg(path));
    return true;
}

QString MainWindow::llamaQuantizeCommand() const
{
    QStringList args{QStringLiteral("llama-quantize")};
    for (const std::string &a : m_plan.llamaQuantizeArgs()) {
        QString arg = QString::fromStdString(a);
        if (a.find_first_of(" \\'\"$*?[]()|&;<>{}") != std::string::npos) // quoted for a POSIX shell
            arg = QLatin1Char('\'') + arg.replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
        args << arg;
    }
    args << QStringLiteral("MODEL-BF16.gguf") << QStringLiteral("OUT.gguf") << QString::fromStdString(m_plan.preset);
    return args.join(QLatin1Char(' '));
}

void MainWindow::setPreset(const QString &preset)
{
    if (!findPreset(preset.toStdString()) || preset.toStdString() == m_plan.preset)
        return;
    Plan next = m_plan;
    next.preset = preset.toStdString();
    pushPlan(next, tr("preset %1").arg(preset));
}

void MainWindow::setTensorFormat(const QString &ggufName, const QString &type)
{
    const auto t = typeFromName(type.toStdString());
    if (!t || !typeTraits(*t).quantize)
        return;
    Plan next = m_plan;
    next.overrides[ggufName.toStdString()] = *t;
    pushPlan(next, tr("%1 as %2").arg(ggufName, type));
}

void MainWindow::fitRuleViewHeight()
{
    // as tall as its rules, from one empty row up to four (then it scrolls): the details views keep their room
    const int rows = std::clamp(m_ruleModel->rowCount(), 1, 4);
    m_rules->setFixedHeight(m_rules->horizontalHeader()->sizeHint().height() + rows * m_rules->verticalHeader()->defaultSectionSize() +
                            2 * m_rules->frameWidth() + 2);
}

std::optional<PlanRule> MainWindow::ruleFrom(const QString &pattern, const QString &type)
{
    const auto t = typeFromName(type.trimmed().toStdString());
    if (!t || !typeTraits(*t).quantize) {
        showError(tr("A rule is REGEX=FORMAT with a format such as Q6_K, Q8_0 or IQ4_XS; '%1=%2' is not.").arg(pattern, type));
        return std::nullopt;
    }
    PlanRule rule{pattern.trimmed().toStdString(), *t};
    if (auto ok = checkRule(rule); !ok) {
        showError(QString::fromStdString(ok.error().describe()));
        return std::nullopt;
    }
    return rule;
}

void MainWindow::addRule(const QString &pattern, const QString &type)
{
    const auto rule = ruleFrom(pattern, type);
    if (!rule)
        return;
    Plan next = m_plan;
    next.rules.push_back(*rule);
    pushPlan(next, tr("rule %1 → %2").arg(pattern, type));
}

void MainWindow::removeRule(int index)
{
    if (index < 0 || index >= static_cast<int>(m_plan.rules.size()))
        return;
    Plan next = m_plan;
    next.rules.erase(next.rules.begin() + index);
    pushPlan(next, tr("remove rule %1").arg(index + 1));
}

void MainWindow::editRule(int index, const QString &pattern, const QString &type)
{
    const auto rule = ruleFrom(pattern, type);
    if (index < 0 || index >= static_cast<int>(m_plan.rules.size()) || !rule) {
        m_ruleModel->setRules(m_plan.rules, m_ruleDecides); // the cell goes back to what the plan says
        return;
    }
    const PlanRule &old = m_plan.rules[static_cast<size_t>(index)];
    if (old.pattern == rule->pattern && old.type == rule->type)
        return;
    Plan next = m_plan;
    next.rules[static_cast<size_t>(index)] = *rule;
    pushPlan(next, tr("rule %1: %2 → %3").arg(index + 1).arg(pattern, type));
}

void MainWindow::moveRule(int from, int to)
{
    const int n = static_cast<int>(m_plan.rules.size());
    if (from < 0 || from >= n || to < 0 || to >= n || from == to)
        return;
    Plan next = m_plan;
    const PlanRule moved = next.rules[static_cast<size_t>(from)];
    next.rules.erase(next.rules.begin() + from);
    next.rules.insert(next.rules.begin() + to, moved);
    pushPlan(next, tr("move rule %1 to %2").arg(from + 1).arg(to + 1));
    m_rules->setCurrentIndex(m_ruleModel->index(to, RuleTableModel::Pattern)); // the rule stays selected as it moves
}

void MainWindow::refreshPlan()
{
    if (!m_model) {
        m_totals->clear();
        return;
    }
    // resolving a plan is bookkeeping over tensor names and shapes: microseconds, fine on the event loop
    auto planned = resolveForModel(*m_model, m_plan, false);
    if (!planned) {
        showError(QString::fromStdString(planned.error().describe()));
        return;
    }
    m_errorBanner->hide();
    m_table->setPlan(*planned);
    m_ruleDecides.assign(m_plan.rules.size(), 0);
    for (const auto &p : *planned)
        if (p.decision.rule >= 0 && p.decision.rule < static_cast<int>(m_ruleDecides.size()))
            ++m_ruleDecides[static_cast<size_t>(p.decision.rule)];
    m_ruleModel->setRules(m_plan.rules, m_ruleDecides);
    fitRuleViewHeight();
    m_plannedWeights = plannedWeightBytes(*planned, m_model->architecture(), m_plan.preset + " plan");
    const PlanTotals totals = PlanTotals::of(*m_model, *planned, m_analysis.get());
    m_plannedBytes = totals.bytes;
    m_totals->setText(totals.text(QString::fromStdString(m_plan.preset)));
    if (m_shownRow >= 0)
        startPreview(); // the planned format may have changed
    refreshVram();
    if (m_analysis) {
        std::vector<bool> alreadyQuantized; // by analysed tensor: no error against the original weights exists
        for (const auto &a : m_analysis->tensors)
            alreadyQuantized.push_back(storedQuantized(m_model->tensors()[a.index]));
        m_modelMap->setGrid(modelErrorGridForPlan(*m_analysis, m_model->architecture().layers, *planned), alreadyQuantized);
    } else {
        m_modelMap->setGrid(ModelErrorGrid());
    }
    Q_EMIT planChanged();
}

void MainWindow::setMemoryBudgetMiB(int mib)
{
    m_device->setCurrentIndex(0);
    m_budget->setValue(mib);
}

void MainWindow::setRuntime(const QString &name) { m_runtime->setCurrentIndex(std::max(0, m_runtime->findData(name))); }

void MainWindow::setDevice(const QString &id) { m_device->setCurrentIndex(std::max(0, m_device->findData(id))); }

int MainWindow::contextLength() const { return 1 << m_context->value(); }

void MainWindow::setContextLength(int tokens)
{
    int log2 = 9;
    while (log2 < 17 && (1 << log2) < tokens)
        ++log2;
    m_context->setValue(log2);
}

namespace {

Device customBudget(int mib, const QString &name)
{
    Device d;
    d.id = "custom";
    d.name = name.toStdString();
    d.kind = "gpu";
    d.memoryGiB = mib / 1024.0;
    d.bandwidthGBs = 1;
    return d;
}

QString tokensText(int n) { return n >= 1024 ? QStringLiteral("%1k").arg(integerText(n / 1024)) : integerText(n); }

} // namespace

Device MainWindow::currentDevice() const
{
    const int index = m_device->currentIndex();
    return index > 0 && index - 1 < static_cast<int>(m_devices.size()) ? m_devices[static_cast<size_t>(index - 1)]
                                                                        : customBudget(m_budget->value(), tr("the budget"));
}

void MainWindow::refreshVram()
{
    if (!m_vram)
        return; // still building the window
    m_contextValue->setText(tokensText(contextLength()));
    if (!m_model) {
        m_vram->clear();
        return;
    }
    const Device device = currentDevice();
    WeightBytes weights;
    auto options = estimateInputs(&weights);
    if (!options) {
        m_vram->clear(QString::fromStdString(options.error().message));
        return;
    }
    auto fit = fitOnDevice(m_model->architecture(), weights, *options, device);
    if (!fit) {
        m_vram->clear(QString::fromStdString(fit.error().message));
        return;
    }
    m_vram->setEstimate(fit->memory, fit->limit, QString::fromStdString(device.name));
}

Result<EstimateOptions> MainWindow::estimateInputs(WeightBytes *weights) const
{
    EstimateOptions options;
    options.context = contextLength();
    auto runtime = parseRuntime(m_runtime->currentData().toString().toStdString());
    if (!runtime)
        return runtime.error();
    options.runtime = *runtime;
    if (isLlamaCpp(options.runtime)) {
        if (m_plan.hasGroupQuant())
            return makeError(tr("A GPTQ/AWQ plan runs on transformers or vLLM: pick one of them").toStdString());
        *weights = m_plannedWeights;
        return options;
    }
    // transformers and vLLM load a Hugging Face checkpoint: as stored, or packed as the plan's GPTQ/AWQ choice
    if (m_model->format() == ModelFormat::Gguf)
        return makeError(tr("%1 loads Hugging Face checkpoints, not GGUF files").arg(m_runtime->currentText()).toStdString());
    options.kvType = KvCacheType::BF16;
    *weights = m_plan.hasGroupQuant() ? m_plannedWeights : modelWeightBytes(*m_model);
    return options;
}

bool MainWindow::exportHardwareReport(const QString &path)
{
    if (!m_model)
        return false;
    FitSubject subject;
    subject.label = QFileInfo(QString::fromStdString(m_model->path())).fileName().toStdString();
    subject.arch = m_model->architecture();
    auto tensors = planTensorsFor(*m_model);
    if (!tensors) {
        showError(QString::fromStdString(tensors.error().describe()));
        return false;
    }
    subject.tensors = *tensors;
    auto options = estimateInputs(&subject.weights);
    if (!options) {
        showError(QString::fromStdString(options.error().message));
        return false;
    }
    std::vector<Device> devices;
    devices.push_back(currentDevice());
    for (const char *id : {"rtx-3060-12gb", "rtx-4060-ti-16gb", "rtx-4090", "rtx-5090", "a100-80gb", "h100-sxm"})
        if (auto d = findDevice(m_devices, id); d && d->id != devices.front().id)
            devices.push_back(*d);
    auto report = buildFitReport(subject, *options, devices);
    if (!report) {
        showError(QString::fromStdString(report.error().describe()));
        return false;
    }
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("pdf")) {
        // drawn in a few milliseconds; written to a temporary file and renamed
        if (Status st = writeFitReportPdf(*report, path); !st) {
            showError(QString::fromStdString(st.error().describe()));
            return false;
        }
        log(tr("Wrote the hardware report %1").arg(path));
        return true;
    }
    std::string text;
    if (ext == QLatin1String("md"))
        text = fitReportMarkdown(*report);
    else if (ext == QLatin1String("json"))
        text = QJsonDocument(fitReportJson(*report)).toJson(QJsonDocument::Indented).toStdString();
    else
        text = fitReportHtml(*report);
    if (Status st = writeFileAtomically(path.toStdString(), text); !st) {
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
    if (m_shownRow >= 0)
        selectTensor(m_shownRow); // the same tensor stays selected, its layer open
}

void MainWindow::saveProjectAs(const QString &path)
{
    if (!m_model)
        return;
    Project p;
    p.modelPath = m_model->path();
    p.fingerprint = fingerprintModel(*m_model);
    p.planJson = m_plan.toJson();
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

QString MainWindow::totalsText() const { return m_totals->text(); }

bool MainWindow::isExporting() const { return m_export.isRunning(); }

QString MainWindow::progressDetail(qint64 done, qint64 total, qint64 startedMs) const
{
    // " — 12.5 MiB of 44.0 MiB, about 3 s left": bytes of the input so far, and the time left at the pace so far
    QString text = tr(" — %1 of %2").arg(bytesText(static_cast<quint64>(done)), bytesText(static_cast<quint64>(total)));
    const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - startedMs) / 1000.0;
    if (done > 0 && total > done && secs > 0.5)
        text += tr(", about %1 s left").arg(fixedText(secs * static_cast<double>(total - done) / static_cast<double>(done), 0));
    return text;
}

void MainWindow::cancelJob()
{
    cancelAnalysis();
    if (m_exportJob)
        m_exportJob->cancel();
}

void MainWindow::exportGguf(const QString &path)
{
    if (!m_model || m_export.isRunning())
        return;
    m_exportPath = path;
    m_exportStarted = QDateTime::currentMSecsSinceEpoch();
    m_exportJob = std::make_shared<JobControl>();
    m_exportJob->onProgress([this](const JobProgress &p) {
        QMetaObject::invokeMethod(this, [this, p] {
            m_progress->setValue(p.total ? static_cast<int>(1000 * p.done / p.total) : 0);
            statusBar()->showMessage(tr("Writing %1").arg(QString::fromStdString(p.item)) +
                                     progressDetail(static_cast<qint64>(p.done), static_cast<qint64>(p.total), m_exportStarted));
        }, Qt::QueuedConnection);
    });
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    QuantizeOptions opt;
    opt.plan = m_plan;
    opt.threads = threads();
    auto model = m_model;
    auto job = m_exportJob;
    const std::string out = path.toStdString();
    m_export.setFuture(QtConcurrent::run([model, opt, job, out] {
        auto r = quantizeModel(*model, opt, out, job.get());
        return r ? QString() : QString::fromStdString(r.error().describe());
    }));
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
    m_group->setText(tr("Group by &layer"));
    m_group->setToolTip(tr("Show the tensors as a tree of layers, each with its size, bits per weight, formats and error under the plan"));
    m_tree->setAccessibleName(tr("Tensors by layer"));
    m_regex->setToolTip(tr("Treat the filter as a regular expression, e.g. blk\\.[0-3]\\.ffn_down"));
    m_view->setAccessibleName(tr("Tensor table"));
    m_presetLabel->setText(tr("Preset:"));
    m_preset->setAccessibleName(tr("Preset"));
    m_preset->setToolTip(tr("llama-quantize preset: chooses each tensor's format exactly as llama-quantize would"));
    m_rules->setAccessibleName(tr("Rules"));
    m_rules->setToolTip(tr("Rules, first match wins: a regular expression on the GGUF tensor name and the format it gives. "
                           "Double-click a pattern or a format to change it."));
    m_ruleModel->retranslate();
    m_ruleUp->setText(tr("Move &Up"));
    m_ruleUp->setToolTip(tr("Move the selected rule up: earlier rules win (Alt+U)"));
    m_ruleDown->setText(tr("Move &Down"));
    m_ruleDown->setToolTip(tr("Move the selected rule down (Alt+D)"));
    m_addRule->setText(tr("Add &Rule…"));
    m_addRule->setToolTip(tr("Add a rule such as  ffn_down=Q6_K"));
    m_removeRule->setText(tr("Remove"));
    m_removeRule->setToolTip(tr("Remove the selected rule"));
    m_totals->setAccessibleName(tr("Plan totals"));
    m_deviceLabel->setText(tr("Device:"));
    m_device->setItemText(0, tr("Custom budget"));
    m_device->setAccessibleName(tr("Device"));
    m_runtime->setAccessibleName(tr("Runtime"));
    m_runtime->setToolTip(tr("What runs the model: llama.cpp the GGUF plan; transformers or vLLM the checkpoint as stored, "
                             "or the plan's GPTQ/AWQ choice"));
    m_device->setToolTip(tr("The device the plan must fit: memory, context and speed are estimated for it"));
    m_budgetLabel->setText(tr("Budget:"));
    m_budget->setSuffix(tr(" MiB"));
    m_budget->setAccessibleName(tr("Memory budget"));
    m_budget->setToolTip(tr("The memory of a device not in the list"));
    m_contextLabel->setText(tr("Context:"));
    m_context->setAccessibleName(tr("Context length"));
    m_context->setToolTip(tr("Tokens the KV cache holds (llama.cpp, f16 cache)"));
    m_tabs->setTabText(0, tr("Histogram"));
    m_tabs->setTabText(1, tr("Error map"));
    m_tabs->setTabText(2, tr("Model map"));
    m_logScale->setText(tr("&Logarithmic counts"));
    m_logScale->setToolTip(tr("Show the histogram's counts on a log scale, to see the tails"));
    const QStringList shows = {tr("Original"), tr("Quantized"), tr("Both"), tr("Error")};
    for (int i = 0; i < shows.size(); ++i)
        m_histShow->setItemText(i, shows[i]);
    m_histShow->setAccessibleName(tr("Histogram shows"));
    m_histShow->setToolTip(tr("Original weights, the weights after the planned format (A/B), both, or the error"));
    m_showLabel->setText(tr("Show:"));
    m_block->setPrefix(tr("block "));
    m_block->setAccessibleName(tr("Block whose levels are shown"));
    m_block->setToolTip(tr("The block whose reconstruction levels are marked along the axis"));
    m_heatFormat->setAccessibleName(tr("Heatmap format"));
    m_heatFormat->setToolTip(tr("The format whose error the map shows"));
    const QStringList measures = {tr("Mean |error|"), tr("Max |error|"), tr("Quantization step"), tr("Signed error (bias)")};
    for (int i = 0; i < measures.size(); ++i)
        m_heatMeasure->setItemText(i, measures[i]);
    m_heatMeasure->setAccessibleName(tr("Heatmap measure"));
    m_heatMeasure->setToolTip(tr("Magnitudes use viridis; the signed error mean(Q(W) − W) uses a blue–grey–red scale centred on 0"));
    m_progress->setAccessibleName(tr("Analysis progress"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the analysis (Esc)"));
    m_logDock->setWindowTitle(tr("Log"));
    m_log->setAccessibleName(tr("Log"));
    // views that compose their texts from data
    m_card->setModel(m_model.get());
    m_table->retranslate();
    m_histogram->setShow(m_histogram->show());
    m_modelMap->update();
    m_heatmap->update();
    if (m_model)
        refreshPlan();
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
