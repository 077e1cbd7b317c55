#include "next_token_view.h"

#include "job_runner.h"
#include "number_text.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace qs {

// Five rows of token, bar and percentage, painted: a chart axis would want unique category names, and two tokens
// may read the same.
class ProbabilityBars : public QWidget {
public:
    explicit ProbabilityBars(QColor colour, QWidget *parent = nullptr) : QWidget(parent), m_colour(colour)
    {
        setMinimumHeight(5 * (fontMetrics().height() + 8));
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    }
    void setTokens(std::vector<PredictedToken> tokens)
    {
        m_tokens = std::move(tokens);
        QStringList lines;
        for (const auto &t : m_tokens)
            lines << QStringLiteral("%1 %2").arg(QString::fromStdString(t.text), percentText(t.probability, 1));
        setAccessibleDescription(lines.join(QLatin1Char('\n')));
        update();
    }
    // The probability a full-width bar stands for: both columns share it, so their bars compare.
    void setScale(double scale)
    {
        m_scale = scale > 0 ? scale : 1.0;
        update();
    }
    void setStale(bool stale)
    {
        m_stale = stale;
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        const QFontMetrics fm = fontMetrics();
        const int rowH = fm.height() + 8;
        int textW = fm.horizontalAdvance(QStringLiteral("M")) * 8;
        for (const auto &t : m_tokens)
            textW = std::max(textW, fm.horizontalAdvance(QString::fromStdString(t.text)) + 8);
        textW = std::min(textW, width() / 2);
        const int pctW = fm.horizontalAdvance(percentText(1.0, 1)) + 8;
        const int barW = std::max(10, width() - textW - pctW - 4);
        const QColor bar = m_stale ? palette().color(QPalette::Mid) : m_colour;
        for (size_t i = 0; i < m_tokens.size(); ++i) {
            const PredictedToken &t = m_tokens[i];
            const int length = std::max(1, static_cast<int>(barW * t.probability / m_scale));
            const int y = static_cast<int>(i) * rowH;
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(0, y, textW - 6, rowH), Qt::AlignRight | Qt::AlignVCenter,
                       fm.elidedText(QString::fromStdString(t.text), Qt::ElideRight, textW - 6));
            p.fillRect(QRect(textW, y + 3, length, rowH - 6), bar);
            p.drawText(QRect(textW + length + 4, y, pctW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                       percentText(t.probability, 1));
        }
    }

private:
    QColor m_colour;
    std::vector<PredictedToken> m_tokens;
    double m_scale = 1.0;
    bool m_stale = false;
};

NextTokenView::NextTokenView(JobRunner *job, QWidget *parent) : QWidget(parent), m_job(job)
{
    auto *layout = new QVBoxLayout(this);
    auto *promptRow = new QHBoxLayout;
    m_promptLabel = new QLabel(this);
    m_prompt = new QLineEdit(this);
    m_prompt->setObjectName(QStringLiteral("nextTokenPrompt"));
    m_prompt->setText(QStringLiteral("The state of our Union is"));
    m_promptLabel->setBuddy(m_prompt);
    connect(m_prompt, &QLineEdit::returnPressed, this, &NextTokenView::predict);
    m_predict = new QPushButton(this);
    connect(m_predict, &QPushButton::clicked, this, &NextTokenView::predict);
    promptRow->addWidget(m_promptLabel);
    promptRow->addWidget(m_prompt, 1);
    promptRow->addWidget(m_predict);
    layout->addLayout(promptRow);
    auto *columns = new QGridLayout;
    m_originalTitle = new QLabel(this);
    m_planTitle = new QLabel(this);
    m_originalBars = new ProbabilityBars(QColor(0x3b, 0x75, 0xaf), this);
    m_planBars = new ProbabilityBars(QColor(0xef, 0x8a, 0x36), this);
    columns->addWidget(m_originalTitle, 0, 0);
    columns->addWidget(m_planTitle, 0, 1);
    columns->addWidget(m_originalBars, 1, 0);
    columns->addWidget(m_planBars, 1, 1);
    layout->addLayout(columns);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addStretch(1);
    connect(m_job, &JobRunner::finished, this, &NextTokenView::onFinished);
    retranslate();
}

void NextTokenView::setModel(std::shared_ptr<const Model> model)
{
    m_model = std::move(model);
    m_predictor.reset();
    m_comparison = {};
    m_originalBars->setTokens({});
    m_planBars->setTokens({});
    m_status->clear();
}

void NextTokenView::setPlan(const Plan &plan)
{
    m_plan = plan;
    m_planBars->setStale(!m_comparison.planned.empty());
    retranslate();
}

void NextTokenView::predict()
{
    if (!m_model)
        return;
    if (m_job->isRunning()) {
        m_again = true;
        m_job->cancel();
        return;
    }
    QuantizeOptions options;
    options.plan = m_plan;
    options.threads = m_threads;
    auto predictor = m_predictor;
    auto model = m_model;
    const int threads = m_threads;
    const std::string prompt = m_prompt->text().toStdString();
    // the worker prepares the predictor the first time and hands it back with the comparison
    struct Out {
        std::shared_ptr<const NextTokenPredictor> predictor;
        NextTokenComparison comparison;
    };
    auto out = std::make_shared<Out>();
    m_pending = [this, out, model] {
        if (model == m_model) {
            m_predictor = out->predictor;
            m_comparison = std::move(out->comparison);
        }
    };
    m_job->start([predictor, model, threads, prompt, options, out](JobControl &job) -> Status {
        auto p = predictor;
        if (!p) {
            auto created = NextTokenPredictor::create(model, threads);
            if (!created)
                return created.error();
            p = *created;
        }
        out->predictor = p;
        auto c = p->compare(prompt, options, 5, &job);
        if (!c)
            return c.error();
        out->comparison = std::move(*c);
        return okStatus();
    });
}

void NextTokenView::onFinished(JobOutcome outcome, const QString &error)
{
    auto pending = std::exchange(m_pending, {});
    if (outcome == JobOutcome::Done && pending) {
        pending();
        m_originalBars->setTokens(m_comparison.original);
        m_planBars->setTokens(m_comparison.planned);
        m_planBars->setStale(false);
        double top = 0;
        for (const auto *column : {&m_comparison.original, &m_comparison.planned})
            if (!column->empty())
                top = std::max(top, column->front().probability);
        m_originalBars->setScale(top);
        m_planBars->setScale(top);
        m_status->setText(tr("The prompt is %n token(s).", nullptr, static_cast<int>(m_comparison.promptIds.size())));
    } else if (outcome == JobOutcome::Failed) {
        m_status->setText(error);
    }
    if (outcome != JobOutcome::Cancelled || !m_again)
        Q_EMIT predicted(outcome == JobOutcome::Done);
    if (std::exchange(m_again, false))
        predict();
}

void NextTokenView::retranslate()
{
    m_promptLabel->setText(tr("&Prompt:"));
    m_prompt->setToolTip(tr("Text the model continues; Enter predicts"));
    m_predict->setText(tr("Predict"));
    m_predict->setToolTip(tr("The five most likely next tokens under the original model and under the plan"));
    m_originalTitle->setText(tr("<b>Original</b>"));
    m_planTitle->setText(tr("<b>Plan: %1</b>").arg(QString::fromStdString(m_plan.label()).toHtmlEscaped()));
}

} // namespace qs
