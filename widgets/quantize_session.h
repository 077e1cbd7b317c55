// The studio's GPTQ/AWQ quantization: tokenizes the calibration text, calibrates and solves the plan's integer-group
// formats (solvePlan), and writes the checkpoint folder (writeSolvedCheckpoint: atomic, read back) through one
// JobRunner. Keeps the last solved result for the window: the table's solver column, the tensor details' solved
// weights and the evaluation of the result read it. Not a view: the dialog builds the settings, the status bar shows
// the progress, the window hands over the model and the plan.
#pragma once

#include "job_runner.h"
#include "pipeline/solve_plan.h"
#include "plan/plan.h"

#include <QObject>
#include <QString>

#include <memory>

namespace qs {

class Model;

// What a run needs besides the model and the plan: the Quantize dialog's fields.
struct QuantizeSettings {
    // Calibration: random windows of a UTF-8 text (empty: the built-in sample), or the exact windows of a windows
    // file (.json, as quantscope-cli quantize --calib reads it) over `calibTextPath`.
    QString calibPath;
    bool windowsFile = false;
    QString calibTextPath;
    qint64 samples = 128;
    qint64 seqlen = 512;
    quint64 seed = 1;
    SolveOptions options; // GPTQ: act-order, static groups, damping; AWQ: the s = 1 variant
    GroupCheckpointFormat format = GroupCheckpointFormat::Gptq;
    QString folder; // the checkpoint folder to write
};

// A finished run: what was solved, from which model and plan, and where it was written.
struct SolvedResult {
    std::shared_ptr<const Model> model;   // the model it was solved from
    std::shared_ptr<const Model> written; // the checkpoint folder as read back (every tensor checked)
    SolvedPlan solved;
    Plan plan;
    GroupCheckpointFormat format = GroupCheckpointFormat::Gptq;
    QString folder;

    // What the plan is called: "GPTQ 4-bit g128", "AWQ 4-bit g128", a preset or "custom".
    QString planLabel() const { return QString::fromStdString(plan.label()); }
    const GroupQuantizedTensor *tensor(const std::string &hfName) const;
    // AWQ's input-channel scales of a Linear (nullptr: none applied); the stored weight is W·diag(s).
    const std::vector<float> *inputScales(const std::string &hfName) const;
    // Bits per weight of the quantized tensors in their packed layout (the same measure as a plan's row).
    double bitsPerWeight() const;
};

class QuantizeSession : public QObject {
    Q_OBJECT
public:
    explicit QuantizeSession(QObject *parent = nullptr);

    JobRunner *job() const { return m_job; }
    bool isRunning() const { return m_job->isRunning(); }
    // The last solved result (nullptr: none); the same pointer until another run or clear() replaces it.
    std::shared_ptr<const SolvedResult> result() const { return m_result; }
    // The plan changed since the result was solved (the result is kept, but no longer the plan's).
    bool isStale() const { return m_stale; }
    // The window's plan now: marks the result stale when it differs from the solved plan (and fresh again when an
    // undo brings that plan back); announced through changed().
    void setCurrentPlan(const Plan &plan);
    // Another model: the result is dropped, and a run still going keeps nothing.
    void clear();

    // Why this plan cannot be quantized in one run (empty: it can): no group formats, or a mix solvePlan refuses.
    static QString planProblem(const Plan &plan);

    // Starts solving `plan` on `model` and writing the checkpoint; false, with the reason in `error`, when it cannot
    // start (a run is going, the model is not a Hugging Face folder, the plan or the folder is refused).
    bool quantize(std::shared_ptr<const Model> model, const Plan &plan, const QuantizeSettings &settings, int threads,
                  QString *error = nullptr);
    void cancel() { m_job->cancel(); }

    // Where a run saves each finished layer, so that after a crash or a cancel the same run (model, plan, calibration,
    // settings) continues after the last saved layer. Default: the user's cache folder ("quantize-resume"); removed
    // after a run that wrote its checkpoint. Empty: no saving. Saving is skipped when the folder's disk has less free
    // space than twice the layer inputs a run keeps.
    void setResumeFolder(const QString &folder) { m_resumeFolder = folder; }
    const QString &resumeFolder() const { return m_resumeFolder; }

Q_SIGNALS:
    void changed();
    // After a Done outcome result() already holds the new result; a cancelled or failed run changes nothing.
    void finished(qs::JobOutcome outcome, const QString &error);

private:
    JobRunner *m_job = nullptr;
    std::shared_ptr<const SolvedResult> m_result;
    bool m_stale = false;
    quint64 m_generation = 0; // bumped by clear(): a run of a model no longer open keeps nothing
    QString m_resumeFolder;
};

} // namespace qs
