#include "heatmap_widget.h"

#include "colormap.h"

#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>
#include <QPainter>
#include <QToolTip>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace qs {

namespace {

const std::vector<float> &values(const ErrorGrid &g, HeatmapWidget::Measure m)
{
    switch (m) {
    case HeatmapWidget::Measure::MaxAbs:
        return g.maxAbs;
    case HeatmapWidget::Measure::Step:
        return g.step;
    case HeatmapWidget::Measure::Signed:
        return g.meanSigned;
    case HeatmapWidget::Measure::MeanAbs:
        break;
    }
    return g.meanAbs;
}

} // namespace

HeatmapWidget::HeatmapWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 160);
    setAccessibleName(tr("Error heatmap"));
    setToolTip(tr("Quantization error over rows (down) and blocks (across): hover for values, wheel to zoom, drag to pan, "
                  "double-click to see it all"));
    connect(&m_render, &QFutureWatcher<QPair<QImage, float>>::finished, this, [this] {
        m_image = m_render.result().first;
        m_max = m_render.result().second;
        update();
        Q_EMIT imageReady();
    });
}

HeatmapWidget::~HeatmapWidget() { m_render.waitForFinished(); }

void HeatmapWidget::setGrid(std::shared_ptr<const ErrorGrid> grid, const QString &title, Measure measure)
{
    m_grid = std::move(grid);
    m_title = title;
    m_measure = measure;
    m_image = QImage();
    update();
    if (!m_grid || m_grid->pooledRows == 0 || m_grid->pooledBlocks == 0)
        return;
    if (values(*m_grid, measure).size() != static_cast<size_t>(m_grid->pooledRows * m_grid->pooledBlocks)) {
        m_title = tr("%1 — this project was saved without the signed error; analyse again to see it").arg(title);
        return;
    }
    m_render.waitForFinished();
    auto g = m_grid;
    resetView();
    m_render.setFuture(QtConcurrent::run([g, measure] {
        const std::vector<float> &v = values(*g, measure);
        const bool isSigned = measure == Measure::Signed;
        float mx = 0;
        for (float x : v)
            mx = std::max(mx, isSigned ? std::fabs(x) : x);
        QImage img(static_cast<int>(g->pooledBlocks), static_cast<int>(g->pooledRows), QImage::Format_RGB32);
        for (int y = 0; y < img.height(); ++y) {
            auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
            for (int x = 0; x < img.width(); ++x) {
                const double t = mx > 0 ? v[static_cast<size_t>(y) * static_cast<size_t>(img.width()) + static_cast<size_t>(x)] / mx : 0.0;
                line[x] = isSigned ? diverging(t) : viridis(t);
            }
        }
        return qMakePair(img, mx);
    }));
}

QRect HeatmapWidget::imageRect() const
{
    // room on the right for the colour bar (14 px after a 10 px gap) and its widest label
    const QString widest = (m_measure == Measure::Signed ? QStringLiteral("−") : QString()) + QString::number(m_max, 'g', 2);
    const int bar = 10 + 14 + 4 + std::max(fontMetrics().horizontalAdvance(widest), fontMetrics().horizontalAdvance(QStringLiteral("0.00"))) + 6;
    const int top = 22;
    return QRect(4, top, std::max(1, width() - bar - 8), std::max(1, height() - top - 4));
}

void HeatmapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    p.drawText(QRect(4, 2, width() - 8, 18), Qt::AlignLeft | Qt::AlignVCenter,
               m_title.isEmpty() ? tr("Run an analysis to see where the error lies") : m_title);
    if (m_image.isNull())
        return;
    const QRect r = imageRect();
    p.drawImage(QRectF(r), m_image, m_view);
    // colour bar: 0 at the bottom and the largest cell at the top; signed: -max, 0 in the middle, +max
    const QRect bar(r.right() + 10, r.top(), 14, r.height());
    const bool isSigned = m_measure == Measure::Signed;
    for (int y = 0; y < bar.height(); ++y) {
        const double t = 1.0 - static_cast<double>(y) / std::max(1, bar.height() - 1);
        p.setPen(QColor(isSigned ? diverging(2 * t - 1) : viridis(t)));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().text().color());
    if (isSigned) {
        p.drawText(bar.right() + 4, bar.top() + 10, QStringLiteral("+") + QString::number(m_max, 'g', 2));
        p.drawText(bar.right() + 4, bar.center().y() + 5, QStringLiteral("0"));
        p.drawText(bar.right() + 4, bar.bottom(), QStringLiteral("−") + QString::number(m_max, 'g', 2));
    } else {
        p.drawText(bar.right() + 4, bar.top() + 10, QString::number(m_max, 'g', 2));
        p.drawText(bar.right() + 4, bar.bottom(), QStringLiteral("0"));
    }
}

QString HeatmapWidget::describeCell(int x, int y) const
{
    if (!m_grid || m_image.isNull())
        return {};
    if (!imageRect().contains(x, y))
        return {};
    const QPointF cell = toCell(QPointF(x, y));
    const int64_t cx = std::clamp<int64_t>(static_cast<int64_t>(cell.x()), 0, m_grid->pooledBlocks - 1);
    const int64_t cy = std::clamp<int64_t>(static_cast<int64_t>(cell.y()), 0, m_grid->pooledRows - 1);
    const int64_t row0 = m_grid->firstRowOf(cy), row1 = cy + 1 >= m_grid->pooledRows ? m_grid->rows : m_grid->firstRowOf(cy + 1);
    const int64_t b0 = (cx * m_grid->blocks + m_grid->pooledBlocks - 1) / m_grid->pooledBlocks;
    const int64_t b1 = cx + 1 >= m_grid->pooledBlocks ? m_grid->blocks : ((cx + 1) * m_grid->blocks + m_grid->pooledBlocks - 1) / m_grid->pooledBlocks;
    const float v = values(*m_grid, m_measure)[static_cast<size_t>(cy * m_grid->pooledBlocks + cx)];
    return tr("rows %1-%2, blocks %3-%4: %5").arg(row0).arg(row1 - 1).arg(b0).arg(b1 - 1).arg(static_cast<double>(v), 0, 'g', 4);
}

QPointF HeatmapWidget::toCell(const QPointF &pos) const
{
    const QRect r = imageRect();
    return QPointF(m_view.left() + (pos.x() - r.left()) * m_view.width() / r.width(),
                   m_view.top() + (pos.y() - r.top()) * m_view.height() / r.height());
}

void HeatmapWidget::resetView()
{
    m_zoom = 1;
    m_view = m_grid ? QRectF(0, 0, static_cast<double>(m_grid->pooledBlocks), static_cast<double>(m_grid->pooledRows)) : QRectF();
    update();
}

void HeatmapWidget::clampView()
{
    if (!m_grid)
        return;
    const double W = static_cast<double>(m_grid->pooledBlocks), H = static_cast<double>(m_grid->pooledRows);
    const double w = W / m_zoom, h = H / m_zoom;
    const double x = std::clamp(m_view.left(), 0.0, W - w), y = std::clamp(m_view.top(), 0.0, H - h);
    m_view = QRectF(x, y, w, h);
}

void HeatmapWidget::zoomAt(const QPointF &at, double factor)
{
    if (!m_grid)
        return;
    const QPointF anchor = toCell(at); // the cell under the cursor stays under it
    const double newZoom = std::clamp(m_zoom * factor, 1.0, 256.0);
    const double fx = (anchor.x() - m_view.left()) / m_view.width(), fy = (anchor.y() - m_view.top()) / m_view.height();
    m_zoom = newZoom;
    const double w = static_cast<double>(m_grid->pooledBlocks) / m_zoom, h = static_cast<double>(m_grid->pooledRows) / m_zoom;
    m_view = QRectF(anchor.x() - fx * w, anchor.y() - fy * h, w, h);
    clampView();
    update();
}

void HeatmapWidget::panBy(const QPointF &delta)
{
    const QRect r = imageRect();
    m_view.translate(-delta.x() * m_view.width() / r.width(), -delta.y() * m_view.height() / r.height());
    clampView();
    update();
}

void HeatmapWidget::wheelEvent(QWheelEvent *e)
{
    zoomAt(e->position(), std::pow(1.0015, e->angleDelta().y()));
    e->accept();
}

void HeatmapWidget::mousePressEvent(QMouseEvent *e)
{
    m_dragging = e->button() == Qt::LeftButton;
    m_dragFrom = e->position();
}

void HeatmapWidget::mouseDoubleClickEvent(QMouseEvent *) { resetView(); }

void HeatmapWidget::mouseMoveEvent(QMouseEvent *e)
{
    if (m_dragging && (e->buttons() & Qt::LeftButton)) {
        panBy(e->position() - m_dragFrom);
        m_dragFrom = e->position();
        return;
    }
    m_dragging = false;
    const QString text = describeCell(static_cast<int>(e->position().x()), static_cast<int>(e->position().y()));
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(e->globalPosition().toPoint(), text, this);
}

} // namespace qs
