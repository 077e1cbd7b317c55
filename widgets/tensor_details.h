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

class TensorDetails : public QTabWidget {
    Q_OBJECT
public:
    TensorDetails(PlanDocument *doc, TensorTableModel *table, QWidget *parent = nullptr);
    ~TensorDetails() override;

    HistogramView *histogramView() const { return m_histogram; }
    HeatmapWidget *heatmapWidget() const { return m_heatmap; }
    QComboBox *heatmapMeasure() const { return m_heatMeasure; }
    ModelMapWidget *modelMap() const { return m_modelMap; }
    // The model map's colouring (0 weight error, 1 measured KLD) and the measured format it shows.
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
    HeatmapWidget *m_heatmap = nullptr;
    QComboBox *m_heatFormat = nullptr;
    QComboBox *m_heatMeasure = nullptr;
    ModelMapWidget *m_modelMap = nullptr;
    std::shared_ptr<const SensitivityResults> m_sensitivity;
    QLabel *m_sensitivityLine = nullptr, *m_colourLabel = nullptr;
    QComboBox *m_mapColouring = nullptr, *m_mapFormat = nullptr;
    QPushButton *m_measure = nullptr;
};

} // namespace qs
