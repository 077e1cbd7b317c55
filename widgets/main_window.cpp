#include "main_window.h"

#include "common/paths.h"
#include "model_card.h"
#include "tensor_table_model.h"

#include <QAction>
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
    rightLayout->addWidget(m_view);
    splitter->addWidget(cardScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

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
    m_model = out.model;
    m_table->setModel(m_model);
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
