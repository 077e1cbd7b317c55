// Where on the text a plan hurts: the perplexity of each evaluation window for chosen rows of the evaluation
// history, one line per row, windows along the text. A view over EvalHistoryModel's rows (EvalResult::windowPpl);
// it forgets what it shows when the history is cleared.
#pragma once

#include <QChartView>
#include <QList>

namespace qs {

class EvalHistoryModel;

class WindowPplChart : public QChartView {
    Q_OBJECT
public:
    explicit WindowPplChart(EvalHistoryModel *history, QWidget *parent = nullptr);

    // The rows (of the history) to draw; rows without per-window figures are skipped.
    void showRows(const QList<int> &rows);
    const QList<int> &rows() const { return m_rows; }
    int seriesCount() const;
    int pointCount(int series) const; // the windows of one drawn line
    void retranslate();

private:
    void rebuild();

    EvalHistoryModel *m_history;
    QList<int> m_rows;
};

} // namespace qs
