// The studio's main window: open a model (folder, .gguf, drag and drop, recent files, the built-in demo), see its
// card and every tensor. Opening runs in a worker thread so the window never freezes on a slow disk.
#pragma once

#include "analysis/analysis_engine.h"
#include "model/model.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace qs {

class AnalysisRunner;
class HeatmapWidget;
class HistogramView;
class ModelCard;
class TensorTableModel;
struct AnalysisOutcome;

// What the loader thread hands back: a model, or a message for a person.
struct ModelLoadOutcome {
    std::shared_ptr<const Model> model;
    QString error;
    QString path;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    const Model *currentModel() const { return m_model.get(); }
    TensorTableModel *tensorTable() const { return m_table; }
    QString lastError() const;
    HistogramView *histogramView() const { return m_histogram; }
    HeatmapWidget *heatmapWidget() const { return m_heatmap; }
    const AnalysisResults *analysis() const { return m_analysis.get(); }
    bool isAnalysing() const;

public Q_SLOTS:
    void openModel(const QString &path);
    void openDemoModel();
    // Measures every quantizable tensor against `formats` (comma-separated; empty: the default set).
    void startAnalysis(const QString &formats = {});
    void cancelAnalysis();
    void selectTensor(int modelRow);

Q_SIGNALS:
    void modelOpened(const QString &path);
    void modelOpenFailed(const QString &message);
    void analysisFinished(bool completed);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    void onLoadFinished();
    void onAnalysisFinished(const qs::AnalysisOutcome &outcome);
    void showTensor(int modelRow);
    void showHeatmap();
    void showError(const QString &message);
    void addRecent(const QString &path);
    void rebuildRecentMenu();

    std::shared_ptr<const Model> m_model;
    TensorTableModel *m_table = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    ModelCard *m_card = nullptr;
    QLabel *m_errorBanner = nullptr;
    QMenu *m_recentMenu = nullptr;
    QFutureWatcher<ModelLoadOutcome> m_loader;
    AnalysisRunner *m_runner = nullptr;
    std::shared_ptr<const AnalysisResults> m_analysis;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancel = nullptr;
    HistogramView *m_histogram = nullptr;
    QCheckBox *m_logScale = nullptr;
    HeatmapWidget *m_heatmap = nullptr;
    QComboBox *m_heatFormat = nullptr;
    QComboBox *m_heatMeasure = nullptr;
    int m_shownRow = -1;
    qint64 m_analysisStarted = 0;
};

} // namespace qs
