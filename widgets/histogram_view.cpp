#include "histogram_view.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>

namespace qs {

HistogramView::HistogramView(QWidget *parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(tr("Weight histogram"));
    setToolTip(tr("How the selected tensor's weights are distributed"));
    setMinimumHeight(180);
    rebuild();
}

void HistogramView::setHistogram(const Histogram *h, const QString &title)
{
    m_hist = h ? *h : Histogram();
    m_title = title;
    rebuild();
}

void HistogramView::setLogScale(bool on)
{
    m_log = on;
    rebuild();
}

int HistogramView::pointCount() const { return m_series ? static_cast<int>(m_series->count()) : 0; }

void HistogramView::rebuild()
{
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setTitle(m_title.isEmpty() ? tr("Run an analysis and select a tensor to see its weights") : m_title);
    m_series = new QLineSeries;
    const int n = static_cast<int>(m_hist.counts.size());
    const double width = n ? (m_hist.hi - m_hist.lo) / n : 0;
    double top = 1;
    for (int i = 0; i < n; ++i) {
        // a step outline: each bin drawn flat across its width; zero counts sit at 0.5 on the log axis
        const double c = static_cast<double>(m_hist.counts[static_cast<size_t>(i)]);
        const double y = m_log ? std::max(c, 0.5) : c;
        m_series->append(m_hist.lo + width * i, y);
        m_series->append(m_hist.lo + width * (i + 1), y);
        top = std::max(top, c);
    }
    chart->addSeries(m_series);
    auto *x = new QValueAxis;
    x->setTitleText(tr("weight value"));
    x->setLabelFormat(QStringLiteral("%.3g"));
    if (n)
        x->setRange(m_hist.lo, m_hist.hi);
    chart->addAxis(x, Qt::AlignBottom);
    m_series->attachAxis(x);
    if (m_log) {
        auto *y = new QLogValueAxis;
        y->setTitleText(tr("count (log)"));
        y->setRange(0.5, top * 2);
        chart->addAxis(y, Qt::AlignLeft);
        m_series->attachAxis(y);
    } else {
        auto *y = new QValueAxis;
        y->setTitleText(tr("count"));
        y->setRange(0, top * 1.05);
        chart->addAxis(y, Qt::AlignLeft);
        m_series->attachAxis(y);
    }
    QChart *old = this->chart();
    setChart(chart);
    delete old;
}

} // namespace qs
