#include "job_status.h"

#include "job_runner.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QToolButton>

#include <algorithm>

namespace qs {

JobStatus::JobStatus(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(260);
    m_cancel = new QToolButton(this);
    connect(m_cancel, &QToolButton::clicked, this, &JobStatus::cancelAll);
    layout->addWidget(m_progress);
    layout->addWidget(m_cancel);
    retranslate();
    hide();
}

void JobStatus::watch(JobRunner *job, std::function<QString(const QString &item)> doing)
{
    m_jobs.push_back(job);
    connect(job, &JobRunner::started, this, [this] {
        m_progress->setValue(0);
        show();
    });
    connect(job, &JobRunner::progress, this, [this, job, doing](const JobProgress &p) {
        m_progress->setValue(p.total ? static_cast<int>(1000 * p.done / p.total) : 0);
        Q_EMIT message(doing(QString::fromStdString(p.item)) + progressDetail(p, job->startedMs()));
    });
    connect(job, &JobRunner::finished, this, &JobStatus::update);
}

void JobStatus::update() { setVisible(std::any_of(m_jobs.begin(), m_jobs.end(), [](JobRunner *j) { return j->isRunning(); })); }

void JobStatus::cancelAll()
{
    for (JobRunner *j : m_jobs)
        j->cancel();
}

void JobStatus::retranslate()
{
    m_progress->setAccessibleName(tr("Progress"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the running job (Esc)"));
}

} // namespace qs
