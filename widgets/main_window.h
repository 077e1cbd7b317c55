// The studio's main window: open a model (folder, .gguf, drag and drop, recent files, the built-in demo), see its
// card and every tensor. Opening runs in a worker thread so the window never freezes on a slow disk.
#pragma once

#include "analysis/analysis_engine.h"
#include "jobs/job_control.h"
#include "model/model.h"
#include "plan/plan.h"
#include "vram/hardware_fit.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QSortFilterProxyModel;
class QTableView;
class QTreeView;
class QStackedWidget;
class QDockWidget;
class QPlainTextEdit;
class QTabWidget;
class QToolButton;
class QUndoStack;

namespace qs {

class AnalysisRunner;
class HeatmapWidget;
class ModelMapWidget;
class HistogramView;
class ModelCard;
class TensorTableModel;
class RuleTableModel;
class LayerGroupModel;
class VramBar;
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
    QComboBox *heatmapMeasure() const { return m_heatMeasure; }
    RuleTableModel *ruleTable() const { return m_ruleModel; }
    QTreeView *layerTree() const { return m_tree; }
    LayerGroupModel *layerGroups() const { return m_groupModel; }
    QTableView *ruleView() const { return m_rules; }
    ModelMapWidget *modelMap() const { return m_modelMap; }
    const AnalysisResults *analysis() const { return m_analysis.get(); }
    bool isAnalysing() const;
    const Plan &plan() const { return m_plan; }
    QUndoStack *undoStack() const { return m_undo; }
    QString totalsText() const;
    uint64_t plannedBytes() const { return m_plannedBytes; }
    bool isExporting() const;
    QString logText() const;
    VramBar *vramBar() const { return m_vram; }
    int contextLength() const;

public Q_SLOTS:
    void openModel(const QString &path);
    // A project (.qsproj) or a model, as the command line, a drop and the recent files name them.
    void openFile(const QString &path);
    void openDemoModel();
    // Measures every quantizable tensor against `formats` (comma-separated; empty: the default set).
    void startAnalysis(const QString &formats = {});
    void cancelAnalysis();
    void selectTensor(int modelRow);
    void showDetailsTab(int index); // 0 histogram, 1 error map, 2 model map
    void setHeatmapMeasure(int measure); // HeatmapWidget::Measure
    // Plan edits, each one undoable.
    void setPreset(const QString &preset);
    void setTensorFormat(const QString &ggufName, const QString &type);
    void addRule(const QString &pattern, const QString &type);
    void removeRule(int index);
    void editRule(int index, const QString &pattern, const QString &type);
    void moveRule(int from, int to); // first match wins, so order matters
    // Writes the model under the current plan as GGUF, in a worker; cancelJob() stops it and leaves no file.
    void exportGguf(const QString &path);
    // Quantscope projects: the model's path and fingerprint, the plan and every measurement (HDF5).
    void saveProjectAs(const QString &path);
    // The plan alone as JSON (what quantscope-cli quantize --plan reads); loading is one undoable step and refuses
    // a plan that does not apply to the open model.
    bool savePlan(const QString &path);
    bool loadPlan(const QString &path);
    // The plan as a llama-quantize command line (Plan > Copy llama-quantize Arguments).
    QString llamaQuantizeCommand() const;
    void openProject(const QString &path);
    // The device the memory bar measures against: an id from the hardware database, or empty for the custom budget.
    void setDevice(const QString &id);
    void setRuntime(const QString &name); // "llama.cpp", "transformers", "vllm"
    void setMemoryBudgetMiB(int mib); // selects the custom budget
    void setContextLength(int tokens); // rounded to a power of two, 512..131072
    // The hardware-fit report for the current plan (.html, .md or .json): the chosen device and common GPUs.
    bool exportHardwareReport(const QString &path);
    // Settings, remembered across runs.
    void setThreads(int threads); // 0: every hardware thread
    int threads() const;
    void setDarkTheme(bool on);
    void setOutputFolder(const QString &folder);
    QString outputFolder() const;
    void setGroupByLayer(bool on);
    void cancelJob();

Q_SIGNALS:
    void previewReady();
    void modelOpened(const QString &path);
    void modelOpenFailed(const QString &message);
    void analysisFinished(bool completed);
    void planChanged();
    void exportFinished(bool completed, const QString &path);
    void projectSaved(bool ok, const QString &path);
    void projectOpened(bool ok, const QString &path);

protected:
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    // Every user-visible text of the window, set again when the language changes.
    void retranslateUi();
    void onLoadFinished();
    void onAnalysisFinished(const qs::AnalysisOutcome &outcome);
    void showTensor(int modelRow);
    void showHeatmap();
    void startPreview();

public: // used by the undo commands
    void applyPlan(const Plan &plan);

private:
    void pushPlan(const Plan &next, const QString &what);
    void refreshPlan();
    void refreshVram();
    Device currentDevice() const; // the picked device, or the custom budget as one
    void showError(const QString &message);
    void log(const QString &line);
    void addRecent(const QString &path);
    void rebuildRecentMenu();

    std::shared_ptr<const Model> m_model;
    TensorTableModel *m_table = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QTreeView *m_tree = nullptr;          // the same tensors grouped by layer
    LayerGroupModel *m_groupModel = nullptr;
    QSortFilterProxyModel *m_groupProxy = nullptr;
    QStackedWidget *m_tableStack = nullptr;
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
    QComboBox *m_histShow = nullptr;
    QSpinBox *m_block = nullptr;
    QFutureWatcher<QVariant> m_preview;
    int m_previewFor = -1;
    HeatmapWidget *m_heatmap = nullptr;
    QComboBox *m_heatFormat = nullptr;
    QComboBox *m_heatMeasure = nullptr;
    ModelMapWidget *m_modelMap = nullptr;
    int m_shownRow = -1;
    bool m_selecting = false; // selectTensor is moving both views: their handlers leave the showing to it
    qint64 m_analysisStarted = 0;
    qint64 m_exportStarted = 0;
    Plan m_plan;
    QUndoStack *m_undo = nullptr;
    QComboBox *m_preset = nullptr;
    RuleTableModel *m_ruleModel = nullptr;
    std::vector<int> m_ruleDecides; // tensors each rule decided when the plan was last resolved
    QTableView *m_rules = nullptr;
    QLabel *m_totals = nullptr;
    uint64_t m_plannedBytes = 0;
    WeightBytes m_plannedWeights; // the plan's bytes by layer, for the memory estimate
    QFutureWatcher<QString> m_export;   // the error message, empty on success
    std::shared_ptr<JobControl> m_exportJob;
    QString m_exportPath;
    QAction *m_openFolder = nullptr;
    VramBar *m_vram = nullptr;
    QComboBox *m_device = nullptr;
    QComboBox *m_runtime = nullptr;
    QSlider *m_context = nullptr;
    QLabel *m_contextValue = nullptr;
    std::vector<Device> m_devices;
    QSpinBox *m_budget = nullptr;
    QCheckBox *m_regex = nullptr;
    QCheckBox *m_group = nullptr;
    QLabel *m_presetLabel = nullptr, *m_budgetLabel = nullptr, *m_showLabel = nullptr, *m_deviceLabel = nullptr,
           *m_contextLabel = nullptr;
    QPushButton *m_addRule = nullptr, *m_removeRule = nullptr, *m_ruleUp = nullptr, *m_ruleDown = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QDockWidget *m_logDock = nullptr;
    void fitRuleViewHeight();
    QString progressDetail(qint64 done, qint64 total, qint64 startedMs) const; // bytes so far and time left
    // The runtime picked and the weights it loads, for the memory bar and the hardware report; an error says why
    // the pair makes no sense (a GPTQ plan on llama.cpp, a GGUF file on vLLM).
    Result<EstimateOptions> estimateInputs(WeightBytes *weights) const;
    std::optional<PlanRule> ruleFrom(const QString &pattern, const QString &type); // nullopt: error shown
    struct PendingProject;
    std::shared_ptr<PendingProject> m_pendingProject; // applied once its model has opened
};

} // namespace qs
