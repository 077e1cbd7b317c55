// The studio's main window: open a model (folder, .gguf, drag and drop, recent files, the built-in demo), see its
// card and every tensor. Opening runs in a worker thread so the window never freezes on a slow disk.
#pragma once

#include "analysis/analysis_engine.h"
#include "common/result.h"
#include "model/model.h"
#include "plan/plan.h"

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QCheckBox;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QProgressBar;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QToolButton;
class QTreeView;
class QUndoStack;

namespace qs {

class BudgetPanel;
class EvalHistoryModel;
class EvaluationPanel;
class EvaluationSession;
class HeatmapWidget;
class HistogramView;
class JobRunner;
class JobStatus;
class LayerGroupModel;
class MemoryPanel;
class ModelCard;
class ModelMapWidget;
class NextTokenView;
class PlanDocument;
class PlanPanel;
class QuantizeSession;
struct QuantizeSettings;
class RecentFiles;
class RuleTableModel;
class SensitivitySession;
class TensorBrowser;
class TensorDetails;
class TensorTableModel;
class VramBar;
enum class JobOutcome;

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
    HistogramView *histogramView() const;
    HeatmapWidget *heatmapWidget() const;
    QComboBox *heatmapMeasure() const;
    RuleTableModel *ruleTable() const;
    QTreeView *layerTree() const;
    LayerGroupModel *layerGroups() const;
    QTableView *ruleView() const;
    ModelMapWidget *modelMap() const;
    const AnalysisResults *analysis() const { return m_analysis.get(); }
    bool isAnalysing() const;
    PlanDocument *planDocument() const { return m_doc; }
    const Plan &plan() const;
    QUndoStack *undoStack() const;
    QString totalsText() const;
    QString planWarningsText() const;
    uint64_t plannedBytes() const;
    bool isExporting() const;
    QString logText() const;
    VramBar *vramBar() const;
    int contextLength() const;
    EvaluationSession *evaluationSession() const { return m_evaluation; }
    EvalHistoryModel *evaluationHistory() const;
    EvaluationPanel *evaluationPanel() const { return m_evalPanel; }
    NextTokenView *nextTokenView() const { return m_nextToken; }
    SensitivitySession *sensitivitySession() const { return m_sensitivity; }
    MemoryPanel *memoryPanel() const { return m_memory; }
    BudgetPanel *budgetPanel() const { return m_budget; }
    QDockWidget *budgetDock() const { return m_budgetDock; }
    TensorDetails *tensorDetails() const { return m_details; }
    QuantizeSession *quantizeSession() const { return m_quantize; }
    QAction *quantizeAction() const { return m_quantizeAction; }
    QPushButton *quantizeButton() const { return m_quantizeButton; }

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
    // Perplexity and KL-divergence of the current plan against the unquantized model, in a worker; a finished run
    // becomes a row of the evaluation history. evaluateOriginal() adds the unquantized model's own row.
    void evaluatePlan();
    void evaluateOriginal();
    // The text evaluations score (empty: the built-in held-out sample).
    void setEvaluationText(const QString &path);
    // The next-token view's prediction for its prompt, in a worker; nextTokenShown() when it is on screen.
    void predictNextTokens();
    // For every weight and format (comma-separated; empty: Q2_K, Q4_K, Q6_K), the KL-divergence when only that
    // weight is quantized, on `windows` windows of the built-in text, in a worker. Kept with the window's project
    // state and saved with it; the model map then colours by it.
    void measureSensitivity(const QString &formats = {}, int windows = 4);
    // GPTQ/AWQ: the Quantize dialog, then quantize() with what it says.
    void showQuantizeDialog();
    // Calibrates, solves the plan's group formats and writes the checkpoint folder, in a worker; the result stays
    // the window's solved result (the table's solver column, the tensor details, Evaluate Solved). False when it
    // cannot start (the reason is shown).
    bool quantize(const QuantizeSettings &settings);
    // The solved result's checkpoint against the unquantized model, on the evaluation's windows: a history row.
    void evaluateSolved();
    // The folder the Quantize dialog suggests: beside the model (or in the output folder), named after the plan.
    QString suggestedQuantizeFolder() const;

Q_SIGNALS:
    void previewReady();
    void modelOpened(const QString &path);
    void modelOpenFailed(const QString &message);
    void analysisFinished(bool completed);
    void planChanged();
    void exportFinished(bool completed, const QString &path);
    void projectSaved(bool ok, const QString &path);
    void projectOpened(bool ok, const QString &path);
    void evaluationFinished(bool completed);
    void nextTokenShown(bool ok);
    void sensitivityFinished(bool completed);
    void quantizeFinished(bool completed);

protected:
    void changeEvent(QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void reportEvaluation(const QString &what);
    void buildMenus();
    // Every user-visible text of the window, set again when the language changes.
    void retranslateUi();
    void onLoadFinished();
    void onPlanChanged();
    void showTensor(int modelRow);
    void followDevice(); // "fit this device": the memory bar's device, context and runtime for the budget panel
    void endJob(JobOutcome outcome, const QString &error, const QString &doneMessage, const QString &failedWhat);
    void report(const Status &status);   // an edit that could not apply: say why
    void showError(const QString &message);
    void log(const QString &line);
    void startEvaluation(bool withPlan);
    void updateQuantizeAction();
    void showSolved();

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const AnalysisResults> m_analysis;
    PlanDocument *m_doc = nullptr;
    TensorTableModel *m_table = nullptr;
    TensorBrowser *m_browser = nullptr;
    ModelCard *m_card = nullptr;
    PlanPanel *m_planPanel = nullptr;
    MemoryPanel *m_memory = nullptr;
    TensorDetails *m_details = nullptr;
    QLabel *m_errorBanner = nullptr;
    RecentFiles *m_recent = nullptr;
    QFutureWatcher<ModelLoadOutcome> m_loader;
    JobRunner *m_analysisJob = nullptr, *m_exportJob = nullptr;
    JobStatus *m_jobStatus = nullptr;
    QString m_exportPath;
    QStringList m_loggedWarnings; // the plan's warnings already in the log
    QAction *m_openFolder = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QDockWidget *m_logDock = nullptr;
    EvaluationSession *m_evaluation = nullptr;
    EvaluationPanel *m_evalPanel = nullptr;
    QDockWidget *m_evalDock = nullptr, *m_nextTokenDock = nullptr;
    JobRunner *m_nextTokenJob = nullptr;
    NextTokenView *m_nextToken = nullptr;
    SensitivitySession *m_sensitivity = nullptr;
    BudgetPanel *m_budget = nullptr;
    QDockWidget *m_budgetDock = nullptr;
    QuantizeSession *m_quantize = nullptr;
    QAction *m_quantizeAction = nullptr, *m_evaluateSolvedAction = nullptr;
    QPushButton *m_quantizeButton = nullptr;
    struct PendingProject;
    std::shared_ptr<PendingProject> m_pendingProject; // applied once its model has opened
};

} // namespace qs
