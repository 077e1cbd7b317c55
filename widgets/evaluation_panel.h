// The evaluation history as a panel: buttons to evaluate the plan or the unquantized model, the text they are
// scored on, and the table of every run of the session. A view over an EvaluationSession: it asks for
// evaluations through signals and shows the rows the session keeps.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace qs {

class EvaluationSession;

class EvaluationPanel : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationPanel(EvaluationSession *session, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    void retranslate();

Q_SIGNALS:
    void evaluatePlanRequested();
    void evaluateOriginalRequested();

private:
    void updateState();

    EvaluationSession *m_session;
    QPushButton *m_evaluatePlan = nullptr, *m_evaluateOriginal = nullptr, *m_chooseText = nullptr, *m_builtinText = nullptr,
                *m_clear = nullptr;
    QLabel *m_text = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace qs
