// The model at a glance: the token embedding in a row of its own at the top, then the layers down and the tensor
// kinds across, then the output in a row of its own; each cell coloured by the relative error ‖Q(W) − W‖ / ‖W‖ of the
// format the plan gives that tensor, with a colour bar in percent. Grey cells are n/a: not measured in the planned
// format, or stored already quantized (no original weights to compare with). Click a cell to select its tensor.
// The other colouring is the measured sensitivity: the KL-divergence from the unquantized model when only that tensor
// is quantized in one chosen format, on a log scale (the spread is orders of magnitude), with decades on the bar.
// The third is where the bits went: the bits per weight each tensor gets under the plan (its planned bytes over its
// weights), on a log2 scale from 2 to 8.5 bits (wider when a tensor keeps 16 or 32), each bits-per-weight the plan uses
// marked on the bar with its format, so that after fitting to a budget a person sees which layers got more bits.
#pragma once

#include "analysis/model_grid.h"
#include "engine/sensitivity.h"
#include "plan/resolve.h"

#include <QWidget>

#include <memory>
#include <vector>

namespace qs {

class ModelMapWidget : public QWidget {
    Q_OBJECT
public:
    enum class Colouring { WeightError, MeasuredKld, BitsPerWeight };

    explicit ModelMapWidget(QWidget *parent = nullptr);
    // `alreadyQuantized`, by analysed tensor: the source stores it quantized, so its cell is n/a whatever was measured.
    void setGrid(const ModelErrorGrid &grid, const std::vector<bool> &alreadyQuantized = {});
    const ModelErrorGrid &grid() const { return m_grid; }
    // A measured sensitivity laid out on the same rows and kinds (`layers`: the model's), or none.
    void setSensitivity(std::shared_ptr<const SensitivityResults> sensitivity, int64_t layers);
    const SensitivityResults *sensitivity() const { return m_sensitivity.get(); }
    // The format (index into SensitivityResults::formats) whose KLD the cells show.
    void setSensitivityFormat(int format);
    int sensitivityFormat() const { return m_format; }
    // The measured KLD of that format by cell; tensorIndex into SensitivityResults::tensors.
    const ModelErrorGrid &kldGrid() const { return m_kld; }
    // The plan resolved over the model (PlanDocument::resolved()), laid out by name on the model's `layers`.
    void setPlanned(const std::vector<PlannedTensor> &planned, int64_t layers);
    // Bits per weight by cell; tensorIndex into the resolved plan given to setPlanned.
    const ModelErrorGrid &bitsGrid() const { return m_bits; }
    double bitsScaleMin() const { return m_bitsMin; }
    double bitsScaleMax() const { return m_bitsMax; }
    // The marks on the colour bar: each bits per weight the plan uses, with the formats that take it ("6.56 Q6_K").
    QStringList bitsLegend() const;
    void setColouring(Colouring colouring);
    Colouring colouring() const { return m_colouring; }
    // The log scale's ends: the smallest positive and the largest KLD over every format, so that switching formats
    // compares them on one scale.
    double kldScaleMin() const { return m_kldMin; }
    double kldScaleMax() const { return m_kldMax; }
    // The tensor under a widget position, or -1: an index into AnalysisResults::tensors when colouring by weight
    // error, into SensitivityResults::tensors when colouring by measured KLD, into the resolved plan when by bits.
    int tensorAt(const QPoint &p) const;
    QRect cellRect(int layer, int kind) const;
    // The rows of their own; empty when the analysis has no such tensor (a model whose output is its embedding).
    QRect embeddingRect() const;
    QRect outputRect() const;
    QString measureTitle() const;  // the line above the map: what a colour measures
    QString colourBarTitle() const; // along the colour bar, with its unit
    QString describe(const QPoint &p) const; // the tooltip at a widget position
    void retranslate();

Q_SIGNALS:
    void tensorClicked(int index); // as tensorAt() counts

protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;

private:
    const ModelErrorGrid &shown() const
    {
        return m_colouring == Colouring::MeasuredKld ? m_kld : m_colouring == Colouring::BitsPerWeight ? m_bits : m_grid;
    }
    double scalePosition(int index, double value) const; // 0..1 along the colour bar, NaN for n/a
    QString describeSensitivity(const QString &what, int index) const;
    int labelWidth() const;
    int barWidth() const;
    QStringList barLabels() const;
    int rowCount() const; // layers plus the embedding and output rows
    QRect rowRect(int row) const;
    double valueOf(int analysisIndex, double measured) const;
    ModelErrorGrid m_grid;
    std::vector<bool> m_alreadyQuantized;
    double m_max = 0;
    std::shared_ptr<const SensitivityResults> m_sensitivity;
    ModelErrorGrid m_kld;
    int m_format = 0;
    double m_kldMin = 0, m_kldMax = 0;
    Colouring m_colouring = Colouring::WeightError;
    ModelErrorGrid m_bits;
    double m_bitsMin = 2, m_bitsMax = 8.5;
    std::vector<std::pair<double, QString>> m_bitsMarks; // bits per weight used, with its formats
    std::vector<uint64_t> m_bitsBytes;                   // by resolved tensor, for the tooltip
    std::vector<std::string> m_bitsFormats;
};

} // namespace qs
