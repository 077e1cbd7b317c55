// The details of the selected tensor, as tabs: its histogram before and after its planned format (with one block's
// levels) and its measured sensitivity, its error map, and the model map per layer and tensor kind, coloured by the
// plan's weight error or by the measured sensitivity. A view over the tensor table and the PlanDocument; the
// quantized preview is computed in a worker, off the event loop.
#pragma once

#include "analysis/analysis_engine.h"
#include "engine/sensitivity.h"
#include "model/model.h"

#include <QFutureWatcher>
#include <QTabWidget>
#include <QVariant>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace qs {

class HeatmapWidget;
class HistogramView;
class ModelMapWidget;
class PlanDocument;
class TensorTableModel;
struct SolvedResult;

class TensorDetails : public QTabWidget {
    Q_OBJECT
public:
    TensorDetails(PlanDocument *doc, TensorTableModel *table, QWidget *parent = nullptr);
    ~TensorDetails() override;

    HistogramView *histogramView() const { return m_histogram; }
    HeatmapWidget *heatmapWidget() const { return m_heatmap; }
    QComboBox *heatmapMeasure() const { return m_heatMeasure; }
    QComboBox *heatmapFormat() const { return m_heatFormat; }
    ModelMapWidget *modelMap() const { return m_modelMap; }
    // The model map's colouring (0 weight error, 1 measured KLD, 2 bits per weight) and the measured format it shows.
    QComboBox *mapColouring() const { return m_mapColouring; }
    QComboBox *mapFormat() const { return m_mapFormat; }
    QPushButton *measureButton() const { return m_measure; }
    // The shown tensor's measured KLD per format, as the histogram page says it (empty: not measured).
    QString sensitivityText() const;
    int shownRow() const { return m_shownRow; }

    // A new model (or none): every view empties.
    void setModel(std::shared_ptr<const Model> model);
    // New measurements: the error map offers their formats, the model map shows them under the plan.
    void setAnalysis(std::shared_ptr<const AnalysisResults> analysis);
    // A measured sensitivity (nullptr: none): the model map's KLD colouring and the histogram page's line.
    void setSensitivity(std::shared_ptr<const SensitivityResults> sensitivity);
    // Brings the model map forward coloured by the measured KLD.
    void showSensitivityMap();
    // While a measurement runs the button is disabled.
    void setMeasuring(bool running);
    // The window's solved GPTQ/AWQ result (nullptr: none): its tensors' histogram and error map show the solved weights.
    void setSolved(std::shared_ptr<const SolvedResult> solved, bool stale = false);
    // What the histogram and the error map call the solved weights of the shown tensor ("GPTQ result"); empty when
    // the shown tensor is not in the solved result.
    QString solvedLabel() const;
    // The solved error map of the shown tensor, once its worker has finished (nullptr: none).
    std::shared_ptr<const ErrorGrid> solvedGrid() const { return m_solvedGrid; }
    void showTensor(int modelRow);
    void retranslate();

Q_SIGNALS:
    void previewReady();
    void tensorClicked(int modelRow); // a cell of the model map
    void measureSensitivityRequested();

private:
    void startPreview();
    void showHeatmap();
    void refreshModelMap();
    void showSensitivityLine();
    int modelRowOf(const std::string &ggufName) const;
    bool showsSolved() const; // the shown tensor is in the solved result
    void updateHeatFormats();

    PlanDocument *m_doc;
    TensorTableModel *m_table;
    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const AnalysisResults> m_analysis;
    int m_shownRow = -1;
    HistogramView *m_histogram = nullptr;
    QCheckBox *m_logScale = nullptr;
    QComboBox *m_histShow = nullptr;
    QSpinBox *m_block = nullptr;
    QLabel *m_showLabel = nullptr;
    QFutureWatcher<QVariant> m_preview;
    int m_previewFor = -1;
    bool m_previewPending = false; // another preview was asked for while one ran: started when it ends
    HeatmapWidget *m_heatmap = nullptr;
    QComboBox *m_heatFormat = nullptr;
    QComboBox *m_heatMeasure = nullptr;
    ModelMapWidget *m_modelMap = nullptr;
    std::shared_ptr<const SensitivityResults> m_sensitivity;
    QLabel *m_sensitivityLine = nullptr, *m_colourLabel = nullptr;
    QComboBox *m_mapColouring = nullptr, *m_mapFormat = nullptr;
    QPushButton *m_measure = nullptr;
    std::shared_ptr<const SolvedResult> m_solved;
    bool m_solvedStale = false;
    bool m_solvedItem = false; // the error map's first format is the solved result
    std::shared_ptr<const ErrorGrid> m_solvedGrid;
};

} // namespace qs
