// The model at a glance: the token embedding in a row of its own at the top, then the layers down and the tensor
// kinds across, then the output in a row of its own; each cell coloured by the relative error ‖Q(W) − W‖ / ‖W‖ of the
// format the plan gives that tensor, with a colour bar in percent. Grey cells are n/a: not measured in the planned
// format, or stored already quantized (no original weights to compare with). Click a cell to select its tensor.
#pragma once

#include "analysis/model_grid.h"

#include <QWidget>

#include <vector>

namespace qs {

class ModelMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit ModelMapWidget(QWidget *parent = nullptr);
    // `alreadyQuantized`, by analysed tensor: the source stores it quantized, so its cell is n/a whatever was measured.
    void setGrid(const ModelErrorGrid &grid, const std::vector<bool> &alreadyQuantized = {});
    const ModelErrorGrid &grid() const { return m_grid; }
    // The analysed tensor (index into AnalysisResults::tensors) under a widget position, or -1.
    int tensorAt(const QPoint &p) const;
    QRect cellRect(int layer, int kind) const;
    // The rows of their own; empty when the analysis has no such tensor (a model whose output is its embedding).
    QRect embeddingRect() const;
    QRect outputRect() const;
    QString measureTitle() const;  // the line above the map: what a colour measures
    QString colourBarTitle() const; // along the colour bar, with its unit
    QString describe(const QPoint &p) const; // the tooltip at a widget position

Q_SIGNALS:
    void tensorClicked(int analysisIndex);

protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;

private:
    int labelWidth() const;
    int barWidth() const;
    int rowCount() const; // layers plus the embedding and output rows
    QRect rowRect(int row) const;
    double valueOf(int analysisIndex, double measured) const;
    ModelErrorGrid m_grid;
    std::vector<bool> m_alreadyQuantized;
    double m_max = 0;
};

} // namespace qs
