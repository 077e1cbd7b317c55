#include "main_window.h"

#include "analysis_runner.h"
#include "common/paths.h"
#include "heatmap_widget.h"
#include "histogram_view.h"
#include "model_card.h"
#include "tensor_table_model.h"

#include <QAction>
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
#include <QHeaderView>
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
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

namespace {
constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("recentModels");
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Quantscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/quantscope.svg")));
    setAcceptDrops(true);
    resize(1280, 800);

    m_table = new TensorTableModel(this);
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
    m_errorBanner->setAccessibleName(tr("Error message"));
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
    m_filter->setPlaceholderText(tr("Filter tensors by name (e.g. ffn_down or blk.3.)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Tensor filter"));
    m_filter->setToolTip(tr("Show only tensors whose name contains this text"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_view = new QTableView(right);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TensorTableModel::Index, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAccessibleName(tr("Tensor table"));
    rightLayout->addWidget(m_filter);
    auto *vsplit = new QSplitter(Qt::Vertical, right);
    vsplit->addWidget(m_view);

    // details of the selected tensor: its distribution and where its error lies
    auto *tabs = new QTabWidget(vsplit);
    auto *histPage = new QWidget(tabs);
    auto *histLayout = new QVBoxLayout(histPage);
    m_histogram = new HistogramView(histPage);
    m_logScale = new QCheckBox(tr("&Logarithmic counts"), histPage);
    m_logScale->setToolTip(tr("Show the histogram's counts on a log scale, to see the tails"));
    connect(m_logScale, &QCheckBox::toggled, m_histogram, &HistogramView::setLogScale);
    histLayout->addWidget(m_histogram);
    histLayout->addWidget(m_logScale);
    tabs->addTab(histPage, tr("Histogram"));
    auto *heatPage = new QWidget(tabs);
    auto *heatLayout = new QVBoxLayout(heatPage);
    auto *heatBar = new QHBoxLayout;
    m_heatFormat = new QComboBox(heatPage);
    m_heatFormat->setAccessibleName(tr("Heatmap format"));
    m_heatFormat->setToolTip(tr("The format whose error the map shows"));
    m_heatMeasure = new QComboBox(heatPage);
    m_heatMeasure->addItems({tr("Mean |error|"), tr("Max |error|"), tr("Quantization step")});
    m_heatMeasure->setAccessibleName(tr("Heatmap measure"));
    heatBar->addWidget(m_heatFormat);
    heatBar->addWidget(m_heatMeasure);
    heatBar->addStretch();
    m_heatmap = new HeatmapWidget(heatPage);
    heatLayout->addLayout(heatBar);
    heatLayout->addWidget(m_heatmap, 1);
    tabs->addTab(heatPage, tr("Error map"));
    connect(m_heatFormat, &QComboBox::currentIndexChanged, this, [this] { showHeatmap(); });
    connect(m_heatMeasure, &QComboBox::currentIndexChanged, this, [this] { showHeatmap(); });
    vsplit->addWidget(tabs);
    vsplit->setStretchFactor(0, 3);
    vsplit->setStretchFactor(1, 2);
    rightLayout->addWidget(vsplit, 1);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (current.isValid())
            showTensor(m_proxy->mapToSource(current).row());
    });
    splitter->addWidget(cardScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Analysis progress"));
    m_progress->setMaximumWidth(260);
    m_progress->hide();
    m_cancel = new QToolButton(this);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the analysis (Esc)"));
    m_cancel->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    m_runner = new AnalysisRunner(this);
    connect(m_cancel, &QToolButton::clicked, this, &MainWindow::cancelAnalysis);
    connect(m_runner, &AnalysisRunner::progress, this, [this](qint64 done, qint64 total, const QString &item) {
        m_progress->setValue(total > 0 ? static_cast<int>(1000 * done / total) : 0);
        const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_analysisStarted) / 1000.0;
        const double eta = done > 0 ? secs * static_cast<double>(total - done) / static_cast<double>(done) : 0;
        statusBar()->showMessage(tr("Analysing %1 - about %2 s left").arg(item).arg(eta, 0, 'f', 0));
    });
    connect(m_runner, &AnalysisRunner::finished, this, &MainWindow::onAnalysisFinished);

    buildMenus();
    connect(&m_loader, &QFutureWatcher<ModelLoadOutcome>::finished, this, &MainWindow::onLoadFinished);
    statusBar()->showMessage(tr("Open a model to begin: File ▸ Open Model Folder, or File ▸ Open Demo Model."));
}

MainWindow::~MainWindow()
{
    m_loader.waitForFinished();
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
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *analysisMenu = menuBar()->addMenu(tr("&Analysis"));
    QAction *analyse = analysisMenu->addAction(tr("&Analyze Tensors"), this, [this] { startAnalysis(); });
    analyse->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    analyse->setToolTip(tr("Measure every tensor's statistics and the error of Q4_K, Q6_K, Q8_0 and int4-g128-asym"));
    QAction *cancel = analysisMenu->addAction(tr("&Cancel Analysis"), this, &MainWindow::cancelAnalysis);
    cancel->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Quantscope"), this, [this] {
        QMessageBox::about(this, tr("About Quantscope"),
                           tr("<b>Quantscope %1</b><p>A quantization studio for large language models.</p>")
                               .arg(QStringLiteral(QUANTSCOPE_VERSION)));
    });
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
    m_view->resizeColumnsToContents();
    setWindowTitle(tr("%1 — Quantscope").arg(QFileInfo(out.path).fileName()));
    statusBar()->showMessage(tr("%1: %2 tensors, %3 parameters")
                                 .arg(out.path)
                                 .arg(m_model->tensors().size())
                                 .arg(QLocale().toString(static_cast<qlonglong>(m_model->parameterCount()))));
    addRecent(out.path);
    Q_EMIT modelOpened(out.path);
}

bool MainWindow::isAnalysing() const { return m_runner->isRunning(); }

void MainWindow::startAnalysis(const QString &formats)
{
    if (!m_model || m_runner->isRunning())
        return;
    auto candidates = Candidate::parseList((formats.isEmpty() ? QStringLiteral("q4_k,q6_k,q8_0,int4-g128-asym") : formats).toStdString());
    if (!candidates) {
        showError(QString::fromStdString(candidates.error().describe()));
        return;
    }
    AnalysisOptions opt;
    opt.candidates = *candidates;
    opt.heatmaps = true;
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
        if (!outcome.cancelled)
            showError(tr("The analysis failed:\n%1").arg(outcome.error));
        Q_EMIT analysisFinished(false);
        return;
    }
    m_analysis = outcome.results;
    m_table->setAnalysis(m_analysis);
    m_heatFormat->blockSignals(true);
    m_heatFormat->clear();
    for (const auto &c : m_analysis->candidates)
        m_heatFormat->addItem(QString::fromStdString(c.id()));
    m_heatFormat->blockSignals(false);
    const double secs = static_cast<double>(QDateTime::currentMSecsSinceEpoch() - m_analysisStarted) / 1000.0;
    statusBar()->showMessage(tr("Analysed %1 tensors in %2 s").arg(m_analysis->tensors.size()).arg(secs, 0, 'f', 1));
    if (m_shownRow >= 0)
        showTensor(m_shownRow);
    Q_EMIT analysisFinished(true);
}

void MainWindow::selectTensor(int modelRow)
{
    const QModelIndex src = m_table->index(modelRow, 0);
    const QModelIndex idx = m_proxy->mapFromSource(src);
    if (idx.isValid())
        m_view->setCurrentIndex(idx);
    showTensor(modelRow);
}

void MainWindow::showTensor(int modelRow)
{
    m_shownRow = modelRow;
    const TensorAnalysis *a = m_table->analysisFor(modelRow);
    if (!a) {
        m_histogram->setHistogram(nullptr, QString());
        m_heatmap->setGrid(nullptr, QString());
        return;
    }
    m_histogram->setHistogram(&a->stats.histogram, tr("%1: mean %2, std %3, kurtosis %4")
                                                        .arg(QString::fromStdString(a->ggufName))
                                                        .arg(a->stats.mean, 0, 'g', 3)
                                                        .arg(a->stats.stddev, 0, 'g', 3)
                                                        .arg(a->stats.kurtosis, 0, 'f', 2));
    showHeatmap();
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
    m_heatmap->setGrid(grid, tr("%1 under %2: %3 x %4 cells (rows x blocks of %5)")
                                 .arg(QString::fromStdString(a->ggufName), QString::fromStdString(cr.candidate.id()))
                                 .arg(cr.grid.pooledRows)
                                 .arg(cr.grid.pooledBlocks)
                                 .arg(cr.grid.blockLength),
                       measure);
}

QString MainWindow::lastError() const
{
    return m_errorBanner->isHidden() ? QString() : m_errorBanner->text();
}

void MainWindow::showError(const QString &message)
{
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
        m_recentMenu->addAction(p, this, [this, p] { openModel(p); });
    m_recentMenu->setEnabled(!recent.isEmpty());
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
        openModel(urls.first().toLocalFile());
        event->acceptProposedAction();
    }
}

} // namespace qs
