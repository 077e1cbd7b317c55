#include "heatmap_widget.h"

#include "common/axis_ticks.h"
#include "colormap.h"
#include "number_text.h"

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

QString HeatmapWidget::measureTitle() const
{
    // what a colour means, with its unit: every measure is in the units of the weights themselves
    switch (m_measure) {
    case Measure::MeanAbs:
        return tr("mean |error| (weight units)");
    case Measure::MaxAbs:
        return tr("max |error| (weight units)");
    case Measure::Step:
        return tr("quantization step (weight units)");
    case Measure::Signed:
        break;
    }
    return tr("signed error Q(W) − W (weight units)");
}

QString HeatmapWidget::rowAxisTitle() const { return tr("row"); }

QString HeatmapWidget::blockAxisTitle() const
{
    return tr("block along the row (%1 weights each)").arg(integerText(m_grid ? m_grid->blockLength : 0));
}

QStringList HeatmapWidget::colourBarLabels() const
{
    if (m_measure == Measure::Signed)
        return {signedText(m_max, 2), QStringLiteral("0"), signedText(-m_max, 2)};
    return {significantText(m_max, 2), QStringLiteral("0")};
}

namespace {
constexpr int kGap = 4, kTick = 3, kBar = 14;
} // namespace

QRect HeatmapWidget::imageRect() const
{
    // left: the rotated row title and the row numbers; below: the block numbers and their title; right: the colour
    // bar, its labels and its rotated title with the unit
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    const int rowLabels = fm.horizontalAdvance(integerText(m_grid ? std::max<int64_t>(m_grid->rows - 1, 0) : 0));
    int barLabels = 0;
    for (const QString &l : colourBarLabels())
        barLabels = std::max(barLabels, fm.horizontalAdvance(l));
    const int left = kGap + line + kGap + rowLabels + kTick + 2;
    const int top = line + 2 * kGap;
    const int bottom = kTick + 2 + 2 * line + 2 * kGap;
    const int right = 10 + kBar + kGap + barLabels + kGap + unitTitleLines(height() - top - bottom) * line + kGap;
    return QRect(left, top, std::max(1, width() - left - right), std::max(1, height() - top - bottom));
}

int HeatmapWidget::unitTitleLines(int barHeight) const
{
    // the measure and its unit run along the bar, on a second line where the bar is shorter than the title
    return fontMetrics().horizontalAdvance(measureTitle()) > barHeight ? 2 : 1;
}

void HeatmapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    p.setPen(palette().text().color());
    p.drawText(QRect(kGap, kGap / 2, width() - 2 * kGap, line + kGap), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(m_title.isEmpty() ? tr("Run an analysis to see where the error lies") : m_title, Qt::ElideRight, width() - 2 * kGap));
    if (m_image.isNull() || !m_grid)
        return;
    const QRect r = imageRect();
    p.drawImage(QRectF(r), m_image, m_view);

    // text along a vertical strip, read from the bottom up; wrapped when the strip is two lines wide
    auto drawVertical = [&p, &fm](const QRect &strip, const QString &text) {
        p.save();
        p.translate(strip.left(), strip.bottom());
        p.rotate(-90);
        const bool wrap = strip.width() >= 2 * fm.height();
        const int flags = wrap ? int(Qt::AlignCenter) | int(Qt::TextWordWrap) : int(Qt::AlignCenter);
        p.drawText(QRect(0, 0, strip.height(), strip.width()), flags, wrap ? text : fm.elidedText(text, Qt::ElideRight, strip.height()));
        p.restore();
    };
    // Axes: round tensor row and block numbers, each label centred on the row or block it names; zoom and pan move
    // them with the picture.
    const double rowsPerCell = static_cast<double>(m_grid->rows) / static_cast<double>(m_grid->pooledRows);
    const double blocksPerCell = static_cast<double>(m_grid->blocks) / static_cast<double>(m_grid->pooledBlocks);
    {
        const double first = m_view.top() * rowsPerCell, last = m_view.bottom() * rowsPerCell;
        const qint64 step = niceIntegerStep((last - first) / std::max(1, r.height() / (3 * line)));
        for (qint64 v = static_cast<qint64>(std::ceil(first / static_cast<double>(step))) * step; v < last; v += step) {
            const double y = r.top() + ((static_cast<double>(v) + 0.5) / rowsPerCell - m_view.top()) * r.height() / m_view.height();
            if (y < r.top() || y > r.bottom() + 1)
                continue;
            p.drawLine(QPointF(r.left() - kTick, y), QPointF(r.left() - 1, y));
            // centred on its row, but kept beside the picture at either end
            const double labelTop = std::clamp(y - line / 2.0, r.top() - 2.0, r.bottom() + 2.0 - line);
            p.drawText(QRectF(0, labelTop, r.left() - kTick - 2, line), Qt::AlignRight | Qt::AlignVCenter, integerText(v));
        }
        drawVertical(QRect(kGap, r.top(), line, r.height()), rowAxisTitle());
    }
    {
        const double first = m_view.left() * blocksPerCell, last = m_view.right() * blocksPerCell;
        const int labelWidth = fm.horizontalAdvance(integerText(std::max<int64_t>(m_grid->blocks - 1, 0))) + 3 * line;
        const qint64 step = niceIntegerStep((last - first) / std::max(1, r.width() / labelWidth));
        for (qint64 v = static_cast<qint64>(std::ceil(first / static_cast<double>(step))) * step; v < last; v += step) {
            const double x = r.left() + ((static_cast<double>(v) + 0.5) / blocksPerCell - m_view.left()) * r.width() / m_view.width();
            if (x < r.left() || x > r.right() + 1)
                continue;
            p.drawLine(QPointF(x, r.bottom() + 1), QPointF(x, r.bottom() + kTick));
            p.drawText(QRectF(x - labelWidth / 2.0, r.bottom() + kTick + 1, labelWidth, line), Qt::AlignHCenter | Qt::AlignTop, integerText(v));
        }
        p.drawText(QRect(r.left(), r.bottom() + kTick + 1 + line + kGap / 2, r.width(), line), Qt::AlignCenter,
                   fm.elidedText(blockAxisTitle(), Qt::ElideRight, r.width()));
    }

    // colour bar: 0 at the bottom and the largest cell at the top; signed: -max, 0 in the middle, +max
    const QRect bar(r.right() + 10, r.top(), kBar, r.height());
    const bool isSigned = m_measure == Measure::Signed;
    for (int y = 0; y < bar.height(); ++y) {
        const double t = 1.0 - static_cast<double>(y) / std::max(1, bar.height() - 1);
        p.setPen(QColor(isSigned ? diverging(2 * t - 1) : viridis(t)));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().text().color());
    const QStringList labels = colourBarLabels();
    int labelsWidth = 0;
    for (const QString &l : labels)
        labelsWidth = std::max(labelsWidth, fm.horizontalAdvance(l));
    const int lx = bar.right() + kGap;
    p.drawText(QRect(lx, bar.top(), labelsWidth, line), Qt::AlignLeft | Qt::AlignTop, labels.front());
    if (isSigned)
        p.drawText(QRect(lx, bar.center().y() - line / 2, labelsWidth, line), Qt::AlignLeft | Qt::AlignVCenter, labels[1]);
    p.drawText(QRect(lx, bar.bottom() - line, labelsWidth, line), Qt::AlignLeft | Qt::AlignBottom, labels.back());
    drawVertical(QRect(lx + labelsWidth + kGap, bar.top(), unitTitleLines(bar.height()) * line, bar.height()), measureTitle());
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
    const double v = static_cast<double>(values(*m_grid, m_measure)[static_cast<size_t>(cy * m_grid->pooledBlocks + cx)]);
    return tr("rows %1-%2, blocks %3-%4: %5")
        .arg(integerText(row0), integerText(row1 - 1), integerText(b0), integerText(b1 - 1),
             m_measure == Measure::Signed ? signedText(v, 4) : significantText(v, 4));
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
