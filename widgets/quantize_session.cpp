#include "quantize_session.h"

#include "calibration/calibration_set.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "io/small_file.h"
#include "model/model.h"
#include "pipeline/plan_evaluation.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStorageInfo>

namespace qs {

namespace {

// The calibration windows, as quantscope-cli quantize --calib reads them: random windows of a text, or the windows
// of a .json file over the ids of its text.
Result<CalibrationSet> readCalibration(const Model &model, const QuantizeSettings &s)
{
    const bool windowsFile = s.windowsFile;
    const std::string calibPath = s.calibPath.isEmpty() ? defaultEvalTextPath() : s.calibPath.toStdString();
    const std::string textPath = windowsFile ? s.calibTextPath.toStdString() : calibPath;
    if (windowsFile && textPath.empty())
        return makeError("a windows file needs the text its offsets index (tokenized with the model's tokenizer)").inFile(calibPath);
    auto tokenizer = tokenizerForModel(model);
    if (!tokenizer)
        return tokenizer.error();
    auto text = readEvalText(textPath);
    if (!text)
        return text.error();
    auto ids = tokenizer->encodeChecked(*text);
    if (!ids)
        return Error(ids.error()).inFile(textPath);
    if (windowsFile) {
        auto json = readSmallFile(calibPath, 64u << 20);
        if (!json)
            return json.error();
        return calibrationFromJson(std::string(json->begin(), json->end()), *ids, calibPath);
    }
    return randomCalibration(*ids, s.samples, s.seqlen, s.seed);
}

} // namespace

const GroupQuantizedTensor *SolvedResult::tensor(const std::string &hfName) const
{
    const auto it = solved.tensors.find(hfName);
    return it == solved.tensors.end() ? nullptr : &it->second;
}

const std::vector<float> *SolvedResult::inputScales(const std::string &hfName) const
{
    const auto it = solved.inputScales.find(hfName);
    return it == solved.inputScales.end() ? nullptr : &it->second;
}

double SolvedResult::bitsPerWeight() const
{
    double bits = 0, weights = 0;
    for (const auto &[name, t] : solved.tensors) {
        bits += 8.0 * static_cast<double>(t.format.packedBytes(t.cols, t.rows));
        weights += static_cast<double>(t.rows) * static_cast<double>(t.cols);
    }
    return weights > 0 ? bits / weights : 0;
}

QuantizeSession::QuantizeSession(QObject *parent) : QObject(parent)
{
    m_job = new JobRunner(this);
    if (const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation); !cache.isEmpty())
        m_resumeFolder = cache + QStringLiteral("/quantize-resume");
}

void QuantizeSession::setCurrentPlan(const Plan &plan)
{
    if (!m_result)
        return;
    const bool stale = plan.toJson() != m_result->plan.toJson();
    if (stale != m_stale) {
        m_stale = stale;
        Q_EMIT changed();
    }
}

void QuantizeSession::clear()
{
    ++m_generation;
    m_job->cancel();
    if (!m_result)
        return;
    m_result.reset();
    m_stale = false;
    Q_EMIT changed();
}

QString QuantizeSession::planProblem(const Plan &plan)
{
    if (!plan.hasGroupQuant())
        return tr("The plan names no GPTQ, AWQ or RTN formats: choose a group format for the block Linears first "
                  "(GGUF plans are written with File ▸ Export GGUF).");
    if (auto solver = planSolver(plan); !solver)
        return QString::fromStdString(solver.error().describe());
    return {};
}

bool QuantizeSession::quantize(std::shared_ptr<const Model> model, const Plan &plan, const QuantizeSettings &settings, int threads,
                               QString *error)
{
    auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (m_job->isRunning())
        return refuse(tr("A quantization is already running."));
    if (!model)
        return refuse(tr("Open a model first."));
    if (model->format() != ModelFormat::HuggingFace)
        return refuse(tr("GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file."));
    if (const QString why = planProblem(plan); !why.isEmpty())
        return refuse(why);
    // the folder is checked before calibrating: a refusal after minutes of solving would lose them
    if (settings.folder.isEmpty())
        return refuse(tr("Choose the folder to write the checkpoint to."));
    const QFileInfo target(settings.folder);
    if (!QFileInfo(target.absolutePath()).isDir())
        return refuse(tr("%1: the folder it goes in does not exist.").arg(settings.folder));
    if (target.exists() && !target.isDir())
        return refuse(tr("%1 exists and is not a folder.").arg(settings.folder));
    if (target.isDir() && !QDir(settings.folder).isEmpty() && !QDir(settings.folder).exists(QStringLiteral("config.json")))
        return refuse(tr("%1 is not empty and holds no model (no config.json); choose an empty or new folder.").arg(settings.folder));
    if (auto st = checkCheckpointTarget(*model, settings.folder.toStdString()); !st)
        return refuse(tr("%1 cannot take the checkpoint: %2").arg(settings.folder, QString::fromStdString(st.error().message)));
    if (auto st = checkLayoutFor(settings.format, plan.groupFormats(), settings.options.gptq.actOrder); !st)
        return refuse(QString::fromStdString(st.error().message));
    if (auto st = GptqSettings{settings.options.gptq.actOrder, settings.options.gptq.staticGroups, settings.options.gptq.damp}.check(); !st)
        return refuse(QString::fromStdString(st.error().message));

    auto out = std::make_shared<SolvedResult>();
    out->model = model;
    out->plan = plan;
    out->format = settings.format;
    out->folder = target.absoluteFilePath();
    const quint64 generation = m_generation;
    auto done = std::make_shared<QMetaObject::Connection>();
    *done = connect(m_job, &JobRunner::finished, this, [this, done, out, generation](JobOutcome outcome, const QString &why) {
        disconnect(*done);
        // a result of a model that is no longer open is dropped (its folder was written, and says so in the log)
        if (outcome == JobOutcome::Done && generation == m_generation) {
            m_result = out;
            m_stale = false;
            Q_EMIT changed();
        }
        Q_EMIT finished(outcome, why);
    });
    QuantizeSettings s = settings;
    s.options.gptq.threads = threads;
    s.options.gptq.resumeDir.clear();
    // saving each finished layer costs the kept inputs once more on disk: only where they fit twice over
    if (!m_resumeFolder.isEmpty() && QDir().mkpath(m_resumeFolder)) {
        const qint64 inputs = s.samples * s.seqlen * model->architecture().hiddenSize * static_cast<qint64>(sizeof(float));
        // the layer records: about a byte a weight plus scales and zeros (AWQ's s = 1 variant twice); the source's
        // size on disk (2 bytes a weight for BF16) covers them
        const qint64 records = static_cast<qint64>(model->sizeOnDisk()) * (s.options.awqIdentity ? 2 : 1);
        const QStorageInfo disk(m_resumeFolder);
        if (disk.isValid() && disk.bytesAvailable() > 2 * inputs + records + (64ll << 20))
            s.options.gptq.resumeDir = QDir(m_resumeFolder).absolutePath().toStdString();
    }
    const std::string folder = out->folder.toStdString();
    m_job->start([out, s, folder](JobControl &job) -> Status {
        job.beginStage("tokenizing", 1, ProgressUnit::Steps);
        job.advance(0, "the calibration text");
        auto calibration = readCalibration(*out->model, s);
        if (!calibration)
            return calibration.error();
        if (job.cancelled())
            return cancelledError("nothing was written");
        auto solved = solvePlan(out->model, out->plan, *calibration, s.options, &job);
        if (!solved)
            return solved.error();
        auto written = writeSolvedCheckpoint(*out->model, *solved, s.format, folder, &job);
        if (!written)
            return written.error();
        out->solved = std::move(*solved);
        out->written = *written;
        if (!s.options.gptq.resumeDir.empty()) { // the checkpoint is written: the saved layers are of no more use
            QDir saved(QString::fromStdString(s.options.gptq.resumeDir));
            for (const QString &f : saved.entryList({QStringLiteral("inputs.bin"), QStringLiteral("layer-*.bin")}, QDir::Files))
                saved.remove(f);
        }
        return okStatus();
    });
    return true;
}

} // namespace qs
