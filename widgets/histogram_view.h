// The selected tensor's weight distribution (Qt Charts): the original weights, the same weights after the planned
// format's round trip (a second series, or alone: an A/B switch), the levels one block of the format can take as
// markers along the axis, or the error's histogram. Linear or logarithmic counts.
#pragma once

#include "analysis/statistics.h"
#include "analysis/tensor_preview.h"

#include <QChartView>

#include <optional>

class QCategoryAxis;
class QLineSeries;
class QScatterSeries;

namespace qs {

class HistogramView : public QChartView {
    Q_OBJECT
public:
    enum class Show { Original, Quantized, Both, Error };

    explicit HistogramView(QWidget *parent = nullptr);
    // The original weights' histogram (from the analysis); the preview, when given, supplies everything.
    void setHistogram(const Histogram *h, const QString &title);
    // `label` names the quantized weights ("GPTQ result"); empty: the preview's GGUF format.
    void setPreview(std::optional<TensorPreview> preview, const QString &label = {});
    const std::optional<TensorPreview> &preview() const { return m_preview; }
    QString previewLabel() const { return m_label; }
    void setShow(Show show);
    Show show() const { return m_show; }
    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    int pointCount() const;          // points of the first series drawn
    int seriesCount() const;         // line series drawn
    int levelCount() const;          // reconstruction-level markers drawn

private:
    void rebuild();
    static QCategoryAxis *weightAxis(const Histogram &range);
    QLineSeries *addSteps(const Histogram &h, const QString &name, double &top);
    Histogram m_hist;
    std::optional<TensorPreview> m_preview;
    QString m_title, m_label;
    Show m_show = Show::Both;
    bool m_log = false;
    QLineSeries *m_first = nullptr;
    QScatterSeries *m_levels = nullptr;
    int m_series = 0;
};

} // namespace qs

Q_DECLARE_METATYPE(qs::TensorPreview)
