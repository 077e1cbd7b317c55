#include "model_map_widget.h"

#include "colormap.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace qs {

namespace {
constexpr int kLabelWidth = 70, kHeader = 22, kBar = 60;
} // namespace

ModelMapWidget::ModelMapWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(300, 160);
    setAccessibleName(tr("Model error map"));
    setToolTip(tr("Relative error of each tensor under the plan: layers down, tensor kinds across; click to select"));
}

void ModelMapWidget::setGrid(const ModelErrorGrid &grid)
{
    m_grid = grid;
    m_max = 0;
    for (double v : m_grid.values)
        if (std::isfinite(v))
            m_max = std::max(m_max, v);
    for (double v : {m_grid.tokenEmbedding, m_grid.output})
        if (std::isfinite(v))
            m_max = std::max(m_max, v);
    update();
}

QRect ModelMapWidget::cellRect(int layer, int kind) const
{
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size()) + 1; // the last column: embedding and output
    const int rows = std::max<int>(1, static_cast<int>(m_grid.layers));
    const int w = std::max(1, (width() - kLabelWidth - kBar) / kinds), h = std::max(1, (height() - kHeader - 4) / std::max(rows, 2));
    return QRect(kLabelWidth + kind * w, kHeader + layer * h, w - 1, h - 1);
}

int ModelMapWidget::tensorAt(const QPoint &p) const
{
    const int nk = static_cast<int>(ModelErrorGrid::kinds().size());
    for (int l = 0; l < m_grid.layers; ++l)
        for (int k = 0; k < nk; ++k)
            if (cellRect(l, k).contains(p))
                return m_grid.tensorIndex[static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k)];
    if (cellRect(0, nk).contains(p))
        return m_grid.tokenEmbeddingIndex;
    if (cellRect(1, nk).contains(p))
        return m_grid.outputIndex;
    return -1;
}

void ModelMapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    if (m_grid.layers == 0) {
        p.drawText(rect(), Qt::AlignCenter, tr("Run an analysis to see the model's error map under the plan"));
        return;
    }
    const auto &kinds = ModelErrorGrid::kinds();
    const int nk = static_cast<int>(kinds.size());
    auto colour = [&](double v) { return std::isfinite(v) && m_max > 0 ? QColor(viridis(v / m_max)) : QColor(200, 200, 200); };
    p.setPen(palette().text().color());
    for (int k = 0; k <= nk; ++k) {
        const QRect r = cellRect(0, k);
        p.drawText(QRect(r.left(), 2, r.width(), kHeader - 4), Qt::AlignCenter,
                   k < nk ? QString::fromLatin1(roleId(kinds[static_cast<size_t>(k)]).data()) : tr("embd/out"));
    }
    for (int l = 0; l < m_grid.layers; ++l) {
        const QRect r0 = cellRect(l, 0);
        p.setPen(palette().text().color());
        p.drawText(QRect(2, r0.top(), kLabelWidth - 6, r0.height()), Qt::AlignRight | Qt::AlignVCenter, tr("layer %1").arg(l));
        for (int k = 0; k < nk; ++k)
            p.fillRect(cellRect(l, k), colour(m_grid.at(l, static_cast<size_t>(k))));
    }
    p.fillRect(cellRect(0, nk), colour(m_grid.tokenEmbedding));
    if (m_grid.layers > 1)
        p.fillRect(cellRect(1, nk), colour(m_grid.output));
    // colour bar
    const QRect bar(width() - kBar + 8, kHeader, 12, height() - kHeader - 8);
    for (int y = 0; y < bar.height(); ++y) {
        p.setPen(QColor(viridis(1.0 - static_cast<double>(y) / std::max(1, bar.height() - 1))));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().text().color());
    p.drawText(bar.right() + 3, bar.top() + 10, QStringLiteral("%1%").arg(100 * m_max, 0, 'f', 1));
    p.drawText(bar.right() + 3, bar.bottom(), QStringLiteral("0"));
}

void ModelMapWidget::mousePressEvent(QMouseEvent *e)
{
    const int t = tensorAt(e->position().toPoint());
    if (t >= 0)
        Q_EMIT tensorClicked(t);
}

void ModelMapWidget::mouseMoveEvent(QMouseEvent *e)
{
    const QPoint pos = e->position().toPoint();
    const int nk = static_cast<int>(ModelErrorGrid::kinds().size());
    for (int l = 0; l < m_grid.layers; ++l)
        for (int k = 0; k < nk; ++k)
            if (cellRect(l, k).contains(pos)) {
                const size_t i = static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k);
                const double v = m_grid.values[i];
                QToolTip::showText(e->globalPosition().toPoint(),
                                   std::isfinite(v) ? tr("layer %1 %2 as %3: %4% error")
                                                          .arg(l)
                                                          .arg(QString::fromLatin1(roleId(ModelErrorGrid::kinds()[static_cast<size_t>(k)]).data()))
                                                          .arg(QString::fromStdString(m_grid.formats[i]))
                                                          .arg(100 * v, 0, 'f', 3)
                                                    : tr("not measured in the planned format"),
                                   this);
                return;
            }
    QToolTip::hideText();
}

} // namespace qs
