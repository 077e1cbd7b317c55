#include "model_map_widget.h"

#include "colormap.h"
#include "number_text.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace qs {

namespace {
constexpr int kGap = 4, kBar = 12;
const QColor kNotAvailable(200, 200, 200);
} // namespace

ModelMapWidget::ModelMapWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(300, 160);
    setAccessibleName(tr("Model error map"));
    setToolTip(tr("Relative error of each tensor under the plan: the embedding, the layers down with tensor kinds across, "
                  "the output; click to select"));
}

void ModelMapWidget::setGrid(const ModelErrorGrid &grid, const std::vector<bool> &alreadyQuantized)
{
    m_grid = grid;
    m_alreadyQuantized = alreadyQuantized;
    m_max = 0;
    for (size_t i = 0; i < m_grid.values.size(); ++i)
        m_max = std::max(m_max, std::isfinite(valueOf(m_grid.tensorIndex[i], m_grid.values[i])) ? m_grid.values[i] : 0.0);
    m_max = std::max(m_max, std::isfinite(valueOf(m_grid.tokenEmbeddingIndex, m_grid.tokenEmbedding)) ? m_grid.tokenEmbedding : 0.0);
    m_max = std::max(m_max, std::isfinite(valueOf(m_grid.outputIndex, m_grid.output)) ? m_grid.output : 0.0);
    update();
}

double ModelMapWidget::valueOf(int analysisIndex, double measured) const
{
    const bool masked = analysisIndex >= 0 && static_cast<size_t>(analysisIndex) < m_alreadyQuantized.size() &&
                        m_alreadyQuantized[static_cast<size_t>(analysisIndex)];
    return masked ? NAN : measured;
}

QString ModelMapWidget::measureTitle() const
{
    return tr("Relative error ‖Q(W) − W‖ / ‖W‖ of each tensor in the format the plan gives it");
}

QString ModelMapWidget::colourBarTitle() const { return tr("relative error (%)"); }

int ModelMapWidget::labelWidth() const
{
    const QFontMetrics fm = fontMetrics();
    int w = std::max(fm.horizontalAdvance(QStringLiteral("token_embd")), fm.horizontalAdvance(QStringLiteral("output")));
    w = std::max(w, fm.horizontalAdvance(tr("layer %1").arg(integerText(std::max<int64_t>(m_grid.layers - 1, 0)))));
    return w + 2 * kGap;
}

int ModelMapWidget::barWidth() const
{
    const QFontMetrics fm = fontMetrics();
    const int labels = std::max({fm.horizontalAdvance(percentText(m_max, 1)), fm.horizontalAdvance(notAvailableText()),
                                 fm.horizontalAdvance(percentText(0, 0))});
    return 2 * kGap + kBar + kGap + labels + kGap + fm.height() + kGap;
}

int ModelMapWidget::rowCount() const
{
    return static_cast<int>(m_grid.layers) + (m_grid.tokenEmbeddingIndex >= 0) + (m_grid.outputIndex >= 0);
}

QRect ModelMapWidget::rowRect(int row) const
{
    // the title line and the kind names above; the rows share what is left, one layer's height each
    const int line = fontMetrics().height();
    const int top = 2 * line + 2 * kGap;
    const int h = std::max(1, (height() - top - kGap) / std::max(rowCount(), 2));
    return QRect(labelWidth(), top + row * h, std::max(1, width() - labelWidth() - barWidth()), h);
}

QRect ModelMapWidget::cellRect(int layer, int kind) const
{
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size());
    const QRect row = rowRect(layer + (m_grid.tokenEmbeddingIndex >= 0));
    const int w = std::max(1, row.width() / kinds);
    return QRect(row.left() + kind * w, row.top(), w - 1, row.height() - 1);
}

QRect ModelMapWidget::embeddingRect() const
{
    if (m_grid.tokenEmbeddingIndex < 0)
        return {};
    const QRect row = rowRect(0);
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size());
    return QRect(row.left(), row.top(), std::max(1, row.width() / kinds) * kinds - 1, row.height() - 1);
}

QRect ModelMapWidget::outputRect() const
{
    if (m_grid.outputIndex < 0)
        return {};
    const QRect row = rowRect(rowCount() - 1);
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size());
    return QRect(row.left(), row.top(), std::max(1, row.width() / kinds) * kinds - 1, row.height() - 1);
}

int ModelMapWidget::tensorAt(const QPoint &p) const
{
    const int nk = static_cast<int>(ModelErrorGrid::kinds().size());
    for (int l = 0; l < m_grid.layers; ++l)
        for (int k = 0; k < nk; ++k)
            if (cellRect(l, k).contains(p))
                return m_grid.tensorIndex[static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k)];
    if (embeddingRect().contains(p))
        return m_grid.tokenEmbeddingIndex;
    if (outputRect().contains(p))
        return m_grid.outputIndex;
    return -1;
}

void ModelMapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    p.setPen(palette().text().color());
    if (m_grid.layers == 0) {
        p.drawText(rect(), Qt::AlignCenter, tr("Run an analysis to see the model's error map under the plan"));
        return;
    }
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    p.drawText(QRect(kGap, kGap / 2, width() - 2 * kGap, line + kGap), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(measureTitle(), Qt::ElideRight, width() - 2 * kGap));
    const auto &kinds = ModelErrorGrid::kinds();
    const int nk = static_cast<int>(kinds.size());
    auto colour = [&](int analysisIndex, double v) {
        v = valueOf(analysisIndex, v);
        return std::isfinite(v) && m_max > 0 ? QColor(viridis(v / m_max)) : kNotAvailable;
    };
    for (int k = 0; k < nk; ++k) {
        const QRect r = cellRect(0, k);
        p.drawText(QRect(r.left(), line + kGap, r.width(), line + kGap), Qt::AlignCenter,
                   fm.elidedText(QString::fromLatin1(roleId(kinds[static_cast<size_t>(k)]).data()), Qt::ElideRight, r.width()));
    }
    auto rowLabel = [&](const QRect &cell, const QString &text) {
        p.setPen(palette().text().color());
        p.drawText(QRect(0, cell.top(), labelWidth() - kGap, cell.height()), Qt::AlignRight | Qt::AlignVCenter, text);
    };
    if (const QRect e = embeddingRect(); !e.isEmpty()) {
        rowLabel(e, QStringLiteral("token_embd"));
        p.fillRect(e, colour(m_grid.tokenEmbeddingIndex, m_grid.tokenEmbedding));
    }
    for (int l = 0; l < m_grid.layers; ++l) {
        rowLabel(cellRect(l, 0), tr("layer %1").arg(integerText(l)));
        for (int k = 0; k < nk; ++k) {
            const size_t i = static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k);
            p.fillRect(cellRect(l, k), colour(m_grid.tensorIndex[i], m_grid.values[i]));
        }
    }
    if (const QRect o = outputRect(); !o.isEmpty()) {
        rowLabel(o, QStringLiteral("output"));
        p.fillRect(o, colour(m_grid.outputIndex, m_grid.output));
    }

    // colour bar in percent, titled along its side; a grey swatch below it for n/a
    const int top = rowRect(0).top();
    const QRect bar(width() - barWidth() + 2 * kGap, top, kBar, std::max(1, height() - top - 2 * line - 2 * kGap));
    for (int y = 0; y < bar.height(); ++y) {
        p.setPen(QColor(viridis(1.0 - static_cast<double>(y) / std::max(1, bar.height() - 1))));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().text().color());
    const int lx = bar.right() + kGap;
    const int labels = barWidth() - (lx - (width() - barWidth())) - fm.height() - 2 * kGap;
    if (m_max > 0) // nothing measured: no top to the scale
        p.drawText(QRect(lx, bar.top(), labels, line), Qt::AlignLeft | Qt::AlignTop, percentText(m_max, 1));
    p.drawText(QRect(lx, bar.bottom() - line, labels, line), Qt::AlignLeft | Qt::AlignBottom, percentText(0, 0));
    const QRect swatch(bar.left(), bar.bottom() + kGap + 2, kBar, line - 2);
    p.fillRect(swatch, kNotAvailable);
    p.drawText(QRect(lx, swatch.top() - 1, labels + fm.height(), line), Qt::AlignLeft | Qt::AlignVCenter, notAvailableText());
    p.save();
    p.translate(lx + labels + kGap, bar.bottom());
    p.rotate(-90);
    p.drawText(QRect(0, 0, bar.height(), line), Qt::AlignCenter, fm.elidedText(colourBarTitle(), Qt::ElideRight, bar.height()));
    p.restore();
}

void ModelMapWidget::mousePressEvent(QMouseEvent *e)
{
    const int t = tensorAt(e->position().toPoint());
    if (t >= 0)
        Q_EMIT tensorClicked(t);
}

QString ModelMapWidget::describe(const QPoint &pos) const
{
    auto text = [this](const QString &what, int analysisIndex, double measured, const std::string &format) {
        if (analysisIndex >= 0 && static_cast<size_t>(analysisIndex) < m_alreadyQuantized.size() &&
            m_alreadyQuantized[static_cast<size_t>(analysisIndex)])
            return tr("%1: n/a — the source is already quantized, so there are no original weights to compare with").arg(what);
        if (!std::isfinite(measured))
            return tr("%1: n/a — not measured in the planned format").arg(what);
        if (format.empty())
            return tr("%1: %2 relative error").arg(what, percentText(measured, 3));
        return tr("%1 as %2: %3 relative error").arg(what, QString::fromStdString(format), percentText(measured, 3));
    };
    const int nk = static_cast<int>(ModelErrorGrid::kinds().size());
    for (int l = 0; l < m_grid.layers; ++l)
        for (int k = 0; k < nk; ++k)
            if (cellRect(l, k).contains(pos)) {
                const size_t i = static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k);
                const QString what = tr("layer %1 %2").arg(integerText(l), QString::fromLatin1(roleId(ModelErrorGrid::kinds()[static_cast<size_t>(k)]).data()));
                return text(what, m_grid.tensorIndex[i], m_grid.values[i], m_grid.formats[i]);
            }
    // the embedding and output rows: ModelErrorGrid keeps no format for them
    if (embeddingRect().contains(pos))
        return text(QStringLiteral("token_embd"), m_grid.tokenEmbeddingIndex, m_grid.tokenEmbedding, {});
    if (outputRect().contains(pos))
        return text(QStringLiteral("output"), m_grid.outputIndex, m_grid.output, {});
    return {};
}

void ModelMapWidget::mouseMoveEvent(QMouseEvent *e)
{
    const QString text = describe(e->position().toPoint());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(e->globalPosition().toPoint(), text, this);
}

} // namespace qs
