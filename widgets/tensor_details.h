// The details of the selected tensor, as tabs: its histogram before and after its planned format (with one block's
// levels), its error map, and the model map of error per layer and tensor kind under the plan. A view over the
// tensor table and the PlanDocument; the quantized preview is computed in a worker, off the event loop.
#pragma once

#include "analysis/analysis_engine.h"
#include "model/model.h"

#include <QFutureWatcher>
#include <QTabWidget>
#include <QVariant>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
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
    int shownRow() const { return m_shownRow; }

    // A new model (or none): every view empties.
    void setModel(std::shared_ptr<const Model> model);
    // New measurements: the error map offers their formats, the model map shows them under the plan.
    void setAnalysis(std::shared_ptr<const AnalysisResults> analysis);
    void showTensor(int modelRow);
    void retranslate();

Q_SIGNALS:
    void previewReady();
    void tensorClicked(int modelRow); // a cell of the model map

private:
    void startPreview();
    void showHeatmap();
    void refreshModelMap();

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
};

} // namespace qs
