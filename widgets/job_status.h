// The status bar's part of every background job: a progress bar and a Cancel button that show while any job they
// watch runs, and the progress line ("Writing blk.3.ffn_up.weight — 12.0 MiB of 88.0 MiB, about 3 s left").
#pragma once

#include <QWidget>

#include <functional>
#include <vector>

class QProgressBar;
class QToolButton;

namespace qs {

class JobRunner;

class JobStatus : public QWidget {
    Q_OBJECT
public:
    explicit JobStatus(QWidget *parent = nullptr);

    // `doing(item)` says what the job does now, in the current language: "Writing %1".
    void watch(JobRunner *job, std::function<QString(const QString &item)> doing);
    void cancelAll();
    void retranslate();

Q_SIGNALS:
    void message(const QString &line);

private:
    void update();

    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancel = nullptr;
    std::vector<JobRunner *> m_jobs;
};

} // namespace qs
