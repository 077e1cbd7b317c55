#include "evaluation_panel.h"

#include "evaluation_session.h"
#include "job_runner.h"
#include "window_ppl_chart.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace qs {

EvaluationPanel::EvaluationPanel(EvaluationSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_evaluatePlan = new QPushButton(this);
    connect(m_evaluatePlan, &QPushButton::clicked, this, &EvaluationPanel::evaluatePlanRequested);
    m_evaluateOriginal = new QPushButton(this);
    connect(m_evaluateOriginal, &QPushButton::clicked, this, &EvaluationPanel::evaluateOriginalRequested);
    m_evaluateSolved = new QPushButton(this);
    m_evaluateSolved->setObjectName(QStringLiteral("evaluateSolved"));
    connect(m_evaluateSolved, &QPushButton::clicked, this, &EvaluationPanel::evaluateSolvedRequested);
    m_text = new QLabel(this);
    m_chooseText = new QPushButton(this);
    connect(m_chooseText, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Evaluate on a text"), {}, tr("UTF-8 text (*.txt);;All files (*)"));
        if (!f.isEmpty())
            m_session->setTextPath(f);
    });
    m_builtinText = new QPushButton(this);
    connect(m_builtinText, &QPushButton::clicked, this, [this] { m_session->setTextPath({}); });
    m_clear = new QPushButton(this);
    connect(m_clear, &QPushButton::clicked, m_session->history(), &EvalHistoryModel::clear);
    bar->addWidget(m_evaluatePlan);
    bar->addWidget(m_evaluateOriginal);
    bar->addWidget(m_evaluateSolved);
    bar->addSpacing(12);
    bar->addWidget(m_text);
    bar->addWidget(m_chooseText);
    bar->addWidget(m_builtinText);
    bar->addStretch(1);
    bar->addWidget(m_clear);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("evalHistory"));
    m_table->setModel(m_session->history());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_chart = new WindowPplChart(m_session->history(), split);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EvaluationPanel::showSelectedWindows);

    connect(m_session, &EvaluationSession::textChanged, this, &EvaluationPanel::retranslate);
    connect(m_session->job(), &JobRunner::started, this, &EvaluationPanel::updateState);
    connect(m_session->job(), &JobRunner::finished, this, &EvaluationPanel::updateState);
    connect(m_session->history(), &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int, int last) {
        m_table->resizeColumnsToContents(); // a few rows: measuring them all is cheap, and no figure is elided
        m_table->scrollTo(m_session->history()->index(last, 0));
        updateState();
        showSelectedWindows();
    });
    connect(m_session->history(), &QAbstractItemModel::modelReset, this, &EvaluationPanel::updateState);
    retranslate();
}

void EvaluationPanel::showSelectedWindows()
{
    QList<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && m_session->history()->rowCount() > 0)
        rows << m_session->history()->rowCount() - 1; // nothing chosen: the newest run
    m_chart->showRows(rows);
}

void EvaluationPanel::setSolved(const QString &label)
{
    m_solved = label;
    retranslate();
}

void EvaluationPanel::updateState()
{
    const bool idle = !m_session->isRunning();
    m_evaluatePlan->setEnabled(idle);
    m_evaluateOriginal->setEnabled(idle);
    m_evaluateSolved->setEnabled(idle && !m_solved.isEmpty());
    m_clear->setEnabled(m_session->history()->rowCount() > 0);
}

void EvaluationPanel::retranslate()
{
    m_evaluatePlan->setText(tr("Evaluate Plan"));
    m_evaluatePlan->setToolTip(tr("Perplexity and KL-divergence of the model under the current plan, against the unquantized model"));
    m_evaluateOriginal->setText(tr("Evaluate Original"));
    m_evaluateOriginal->setToolTip(tr("Perplexity of the unquantized model: the reference row"));
    m_evaluateSolved->setText(tr("Evaluate Solved"));
    m_evaluateSolved->setToolTip(m_solved.isEmpty() ? tr("Quantize the plan (GPTQ/AWQ) first: its solved result is then evaluated here, "
                                                         "on the same windows as the plan and the original")
                                                    : tr("Evaluate %1: the written checkpoint, on the same windows as the plan and the original")
                                                          .arg(m_solved));
    m_text->setText(tr("Text: %1").arg(m_session->textName()));
    m_text->setToolTip(m_session->textPath().isEmpty() ? tr("A held-out sample: the 2011 State of the Union address") : m_session->textPath());
    m_chooseText->setText(tr("Choose Text…"));
    m_builtinText->setText(tr("Built-in Text"));
    m_builtinText->setEnabled(!m_session->textPath().isEmpty());
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Forget the rows of this session"));
    m_table->setAccessibleName(tr("Evaluation history"));
    m_session->history()->retranslate();
    m_chart->retranslate();
    updateState();
}

} // namespace qs
