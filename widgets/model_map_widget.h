// The model at a glance: layers down, tensor kinds across (plus the embedding and the output), each cell coloured by
// the relative error of the format the plan gives that tensor. Click a cell to select its tensor.
#pragma once

#include "analysis/model_grid.h"

#include <QWidget>

namespace qs {

class ModelMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit ModelMapWidget(QWidget *parent = nullptr);
    void setGrid(const ModelErrorGrid &grid);
    const ModelErrorGrid &grid() const { return m_grid; }
    // The analysed tensor (index into AnalysisResults::tensors) under a widget position, or -1.
    int tensorAt(const QPoint &p) const;
    QRect cellRect(int layer, int kind) const; // kind == kinds().size(): the embedding/output column

Q_SIGNALS:
    void tensorClicked(int analysisIndex);

protected:
    void paintEvent(QPaintEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;

private:
    ModelErrorGrid m_grid;
    double m_max = 0;
};

} // namespace qs
