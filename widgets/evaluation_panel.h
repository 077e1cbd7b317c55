// The evaluation history as a panel: buttons to evaluate the plan or the unquantized model, the text they are
// scored on, and the table of every run of the session. A view over an EvaluationSession: it asks for
// evaluations through signals and shows the rows the session keeps, with the perplexity of each window of the
// selected rows (the newest row when none is selected) beside the table.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace qs {

class EvaluationSession;
class WindowPplChart;

class EvaluationPanel : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationPanel(EvaluationSession *session, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    WindowPplChart *windowChart() const { return m_chart; }
    void retranslate();
    // The solved result Evaluate Solved evaluates ("GPTQ 4-bit g128 (solved)"); empty: none, the button is disabled.
    void setSolved(const QString &label);

Q_SIGNALS:
    void evaluatePlanRequested();
    void evaluateOriginalRequested();
    void evaluateSolvedRequested();

private:
    void updateState();
    void showSelectedWindows();

    EvaluationSession *m_session;
    QString m_solved;
    QPushButton *m_evaluatePlan = nullptr, *m_evaluateOriginal = nullptr, *m_evaluateSolved = nullptr, *m_chooseText = nullptr, *m_builtinText = nullptr,
                *m_clear = nullptr;
    QLabel *m_text = nullptr;
    QTableView *m_table = nullptr;
    WindowPplChart *m_chart = nullptr;
};

} // namespace qs
