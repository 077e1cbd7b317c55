#include "window_ppl_chart.h"

#include "common/axis_ticks.h"
#include "eval_history_model.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace qs {

WindowPplChart::WindowPplChart(EvalHistoryModel *history, QWidget *parent) : QChartView(parent), m_history(history)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(240, 160);
    connect(m_history, &QAbstractItemModel::modelReset, this, [this] { showRows({}); });
    // labels are composed from the rows: a retranslated history redraws too
    connect(m_history, &QAbstractItemModel::dataChanged, this, [this] { rebuild(); });
    retranslate();
}

void WindowPplChart::showRows(const QList<int> &rows)
{
    m_rows = rows;
    rebuild();
}

int WindowPplChart::seriesCount() const { return static_cast<int>(chart()->series().size()); }

int WindowPplChart::pointCount(int series) const
{
    const auto all = chart()->series();
    if (series < 0 || series >= all.size())
        return 0;
    return static_cast<int>(static_cast<QLineSeries *>(all[series])->count());
}

void WindowPplChart::retranslate()
{
    setAccessibleName(tr("Perplexity per window"));
    setToolTip(tr("The perplexity of each evaluation window along the text, for the selected rows: where a plan hurts"));
    rebuild();
}

void WindowPplChart::rebuild()
{
    auto *chart = new QChart;
    chart->setTitle(tr("Perplexity per window"));
    chart->setLocalizeNumbers(true);
    chart->setLocale(QLocale());
    chart->legend()->setAlignment(Qt::AlignBottom);
    double lo = INFINITY, hi = -INFINITY;
    qsizetype windows = 0;
    for (int row : m_rows) {
        if (row < 0 || row >= m_history->rowCount())
            continue;
        const std::vector<double> &ppl = m_history->record(row).outcome.result.windowPpl;
        if (ppl.empty())
            continue;
        auto *series = new QLineSeries;
        series->setName(m_history->index(row, EvalHistoryModel::Plan).data().toString());
        series->setPointsVisible(true);
        for (size_t w = 0; w < ppl.size(); ++w) {
            series->append(static_cast<double>(w + 1), ppl[w]); // windows counted from 1, as a person reads them
            if (std::isfinite(ppl[w])) {
                lo = std::min(lo, ppl[w]);
                hi = std::max(hi, ppl[w]);
            }
        }
        windows = std::max(windows, static_cast<qsizetype>(ppl.size()));
        chart->addSeries(series);
    }
    chart->legend()->setVisible(chart->series().size() > 0);
    if (!chart->series().isEmpty()) {
        auto *x = new QValueAxis;
        x->setTitleText(tr("window"));
        x->setLabelFormat(QStringLiteral("%d"));
        x->setRange(1, std::max<double>(2, static_cast<double>(windows)));
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(1);
        x->setTickInterval(static_cast<double>(niceIntegerStep(static_cast<double>(windows) / 8.0)));
        auto *y = new QValueAxis;
        y->setTitleText(tr("perplexity"));
        if (std::isfinite(lo)) {
            const double pad = std::max(0.05 * (hi - lo), 0.01 * hi);
            y->setRange(std::max(0.0, lo - pad), hi + pad);
            y->applyNiceNumbers();
        }
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        for (QAbstractSeries *s : chart->series()) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
    }
    QChart *old = this->chart();
    setChart(chart);
    delete old;
}

} // namespace qs
