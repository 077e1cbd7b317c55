#include "histogram_view.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>

namespace qs {

HistogramView::HistogramView(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(tr("Weight histogram"));
    setToolTip(tr("How the selected tensor's weights are distributed, before and after quantization"));
    setMinimumHeight(180);
    rebuild();
}

void HistogramView::setHistogram(const Histogram *h, const QString &title)
{
    m_hist = h ? *h : Histogram();
    m_title = title;
    if (!h)
        m_preview.reset();
    rebuild();
}

void HistogramView::setPreview(std::optional<TensorPreview> preview)
{
    m_preview = std::move(preview);
    rebuild();
}

void HistogramView::setShow(Show show)
{
    m_show = show;
    rebuild();
}

void HistogramView::setLogScale(bool on)
{
    m_log = on;
    rebuild();
}

int HistogramView::pointCount() const { return m_first ? static_cast<int>(m_first->count()) : 0; }
int HistogramView::seriesCount() const { return m_series; }
int HistogramView::levelCount() const { return m_levels ? static_cast<int>(m_levels->count()) : 0; }

QLineSeries *HistogramView::addSteps(const Histogram &h, const QString &name, double &top)
{
    auto *s = new QLineSeries;
    s->setName(name);
    const int n = static_cast<int>(h.counts.size());
    const double width = n ? (h.hi - h.lo) / n : 0;
    for (int i = 0; i < n; ++i) {
        // a step outline: each bin flat across its width; zero counts sit at 0.5 on the log axis
        const double c = static_cast<double>(h.counts[static_cast<size_t>(i)]);
        const double y = m_log ? std::max(c, 0.5) : c;
        s->append(h.lo + width * i, y);
        s->append(h.lo + width * (i + 1), y);
        top = std::max(top, c);
    }
    ++m_series;
    return s;
}

void HistogramView::rebuild()
{
    auto *chart = new QChart;
    m_first = nullptr;
    m_levels = nullptr;
    m_series = 0;
    double top = 1;
    std::vector<QAbstractSeries *> series;
    const Histogram &original = m_preview ? m_preview->original : m_hist;
    const QString format = m_preview ? QString::fromLatin1(typeTraits(m_preview->type).name.data()) : QString();
    if (m_show == Show::Error && m_preview) {
        series.push_back(addSteps(m_preview->error, tr("error under %1").arg(format), top));
    } else {
        if (m_show != Show::Quantized || !m_preview)
            series.push_back(addSteps(original, tr("original"), top));
        if (m_preview && m_show != Show::Original)
            series.push_back(addSteps(m_preview->quantized, tr("after %1").arg(format), top));
        if (m_preview && !m_preview->levels.empty()) {
            m_levels = new QScatterSeries;
            m_levels->setName(tr("levels of block %1").arg(m_preview->block));
            m_levels->setMarkerSize(6);
            for (float v : m_preview->levels)
                m_levels->append(v, m_log ? 0.5 : 0.0);
        }
    }
    if (!series.empty())
        m_first = static_cast<QLineSeries *>(series.front());
    const bool hasData = !original.counts.empty();
    chart->setTitle(hasData ? m_title : tr("Select a tensor to see its weights"));
    chart->legend()->setVisible(m_series > 1 || m_levels);
    auto *x = new QValueAxis;
    x->setTitleText(m_show == Show::Error && m_preview ? tr("error (original - quantized)") : tr("weight value"));
    x->setLabelFormat(QStringLiteral("%.3g"));
    const Histogram &range = m_show == Show::Error && m_preview ? m_preview->error : original;
    if (!range.counts.empty() && range.hi > range.lo)
        x->setRange(range.lo, range.hi);
    chart->addAxis(x, Qt::AlignBottom);
    QAbstractAxis *y;
    if (m_log) {
        auto *ly = new QLogValueAxis;
        ly->setTitleText(tr("count (log)"));
        ly->setRange(0.5, top * 2);
        y = ly;
    } else {
        auto *vy = new QValueAxis;
        vy->setTitleText(tr("count"));
        vy->setRange(0, top * 1.05);
        y = vy;
    }
    chart->addAxis(y, Qt::AlignLeft);
    if (m_levels)
        series.push_back(m_levels);
    for (QAbstractSeries *s : series) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    QChart *old = this->chart();
    setChart(chart);
    delete old;
}

} // namespace qs
