#include "histogram_view.h"

#include "common/axis_ticks.h"
#include "number_text.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLegend>
#include <QLocale>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

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

void HistogramView::setPreview(std::optional<TensorPreview> preview, const QString &label)
{
    m_preview = std::move(preview);
    m_label = m_preview ? label : QString();
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

QCategoryAxis *HistogramView::weightAxis(const Histogram &range)
{
    // Round ticks at whole multiples of a 1-2-5 step, labelled by number_text (Qt Charts would add the step up from
    // the first tick and print 1.39e-17 where 0 is meant)
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    const double lo = range.counts.empty() || !(range.hi > range.lo) ? 0.0 : range.lo;
    const double hi = range.counts.empty() || !(range.hi > range.lo) ? 1.0 : range.hi;
    const double step = niceStep((hi - lo) / 8);
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    const auto first = static_cast<qint64>(std::ceil(lo / step - 1e-9));
    x->setStartValue(std::min(lo, static_cast<double>(first) * step - step * 1e-6)); // each label ends a category
    for (qint64 k = first; static_cast<double>(k) * step <= hi + step * 1e-9; ++k)
        x->append(k == 0 ? QStringLiteral("0") : fixedText(static_cast<double>(k) * step, decimals), static_cast<double>(k) * step);
    x->setRange(lo, hi);
    return x;
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
        series.push_back(addSteps(m_preview->error, m_label.isEmpty() ? tr("error under %1").arg(format) : tr("error of the %1").arg(m_label), top));
    } else {
        if (m_show != Show::Quantized || !m_preview)
            series.push_back(addSteps(original, tr("original"), top));
        if (m_preview && m_show != Show::Original)
            series.push_back(addSteps(m_preview->quantized, m_label.isEmpty() ? tr("after %1").arg(format) : m_label, top));
        if (m_preview && !m_preview->levels.empty()) {
            m_levels = new QScatterSeries;
            m_levels->setName(tr("levels of block %1").arg(integerText(m_preview->block)));
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
    const Histogram &range = m_show == Show::Error && m_preview ? m_preview->error : original;
    auto *x = weightAxis(range);
    x->setTitleText(m_show == Show::Error && m_preview ? tr("error (original - quantized)") : tr("weight value"));
    chart->addAxis(x, Qt::AlignBottom);
    // counts are whole numbers: round integer ticks from 0, written as the locale writes integers (12.000 in German).
    // "%.0f", not "%d": Qt Charts 6.4 draws no labels at all for a localized "%d".
    chart->setLocalizeNumbers(true);
    chart->setLocale(QLocale());
    QAbstractAxis *y;
    if (m_log) {
        auto *ly = new QLogValueAxis;
        ly->setTitleText(tr("count (log)"));
        ly->setBase(10); // ticks at 1, 10, 100…
        ly->setLabelFormat(QStringLiteral("%.0f"));
        ly->setRange(0.5, top * 2);
        y = ly;
    } else {
        auto *vy = new QValueAxis;
        vy->setTitleText(tr("count"));
        const qint64 step = niceIntegerStep(top * 1.05 / 5);
        vy->setRange(0, static_cast<double>(step) * std::ceil(top * 1.05 / static_cast<double>(step)));
        vy->setTickType(QValueAxis::TicksDynamic);
        vy->setTickAnchor(0);
        vy->setTickInterval(static_cast<double>(step));
        vy->setLabelFormat(QStringLiteral("%.0f"));
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
