// A rows x blocks error map: the image is rendered from the grid in a worker thread and painted here between a row
// axis, a block axis and a colour bar titled with the measure and its unit; hovering shows the rows, blocks and value
// under the cursor.
#pragma once

#include "analysis/quant_error.h"

#include <QFutureWatcher>
#include <QImage>
#include <QStringList>
#include <QWidget>

#include <memory>

namespace qs {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    // Signed is mean(Q(W) - W) per cell on a diverging scale, symmetric about 0; the others are magnitudes on viridis.
    enum class Measure { MeanAbs, MaxAbs, Step, Signed };

    explicit HeatmapWidget(QWidget *parent = nullptr);
    ~HeatmapWidget() override;

    void setGrid(std::shared_ptr<const ErrorGrid> grid, const QString &title, Measure measure = Measure::MeanAbs);
    const QImage &image() const { return m_image; }
    float maxValue() const { return m_max; } // the colour bar's end: the largest value, or the largest |value| when signed
    bool isSigned() const { return m_measure == Measure::Signed; }
    QString describeCell(int x, int y) const; // widget coordinates -> "rows 0-3, blocks 8-9: 0.0012"
    // What the picture says besides its colours: the measure with its unit (along the colour bar), the bar's end
    // labels (top first) and the two axes' titles.
    QString measureTitle() const;
    QStringList colourBarLabels() const;
    QString rowAxisTitle() const;
    QString blockAxisTitle() const;
    QRect imageRect() const; // where the map itself is drawn, inside the axes and the colour bar
    int unitTitleLines(int barHeight) const; // 1, or 2 when the colour bar's title is longer than the bar
    // Zoom (1 = the whole map) about a point in widget coordinates, and pan by a widget-space delta.
    void zoomAt(const QPointF &at, double factor);
    void panBy(const QPointF &delta);
    void resetView();
    double zoom() const { return m_zoom; }
    QRectF visibleCells() const { return m_view; } // the part of the image shown, in cells

Q_SIGNALS:
    void imageReady();

protected:
    void paintEvent(QPaintEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseDoubleClickEvent(QMouseEvent *) override;
    void wheelEvent(QWheelEvent *) override;

private:
    QPointF toCell(const QPointF &widgetPos) const;
    void clampView();
    double m_zoom = 1;
    QRectF m_view;           // visible part of the image, in cell units
    QPointF m_dragFrom;
    bool m_dragging = false;
    std::shared_ptr<const ErrorGrid> m_grid;
    Measure m_measure = Measure::MeanAbs;
    QString m_title;
    QImage m_image;
    float m_max = 0;
    QFutureWatcher<QPair<QImage, float>> m_render;
};

} // namespace qs
