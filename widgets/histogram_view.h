// The selected tensor's weight distribution (Qt Charts): its 256-bin histogram, on a linear or logarithmic count
// axis.
#pragma once

#include "analysis/statistics.h"

#include <QChartView>

class QLineSeries;

namespace qs {

class HistogramView : public QChartView {
    Q_OBJECT
public:
    explicit HistogramView(QWidget *parent = nullptr);
    void setHistogram(const Histogram *h, const QString &title);
    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    int pointCount() const;

private:
    void rebuild();
    Histogram m_hist;
    QString m_title;
    bool m_log = false;
    QLineSeries *m_series = nullptr;
};

} // namespace qs
