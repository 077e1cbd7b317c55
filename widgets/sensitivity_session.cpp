#include "sensitivity_session.h"

#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/weight_source.h"
#include "model/model.h"
#include "pipeline/plan_evaluation.h"

namespace qs {

SensitivitySession::SensitivitySession(QObject *parent) : QObject(parent) { m_job = new JobRunner(this); }

void SensitivitySession::setResults(std::shared_ptr<const SensitivityResults> results)
{
    m_results = results && !results->empty() ? std::move(results) : nullptr;
    ++m_generation;
    Q_EMIT changed();
}

bool SensitivitySession::measure(std::shared_ptr<const Model> model, const QString &formats, int windows, int threads, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!model)
        return fail(tr("Open a model first."));
    if (m_job->isRunning())
        return fail(tr("A sensitivity measurement is already running."));
    auto list = QuantFormat::parseList((formats.isEmpty() ? defaultFormats() : formats).toStdString());
    if (!list)
        return fail(QString::fromStdString(list.error().describe()));
    SensitivityOptions options;
    options.formats = *list;
    options.threads = threads;
    const int64_t nWindows = std::max(1, windows);
    auto results = std::make_shared<SensitivityResults>();
    auto done = std::make_shared<QMetaObject::Connection>();
    *done = connect(m_job, &JobRunner::finished, this, [this, done, results, generation = m_generation](JobOutcome outcome, const QString &message) {
        disconnect(*done);
        if (outcome == JobOutcome::Done && generation != m_generation)
            outcome = JobOutcome::Cancelled; // measured on a model that is no longer open
        if (outcome == JobOutcome::Done)
            setResults(results);
        Q_EMIT finished(outcome, message);
    });
    // everything from reading the text on runs in the worker: tokenizing and caching the layers' inputs take a while
    return m_job->start([model, options, nWindows, results](JobControl &job) -> Status {
        auto text = readEvalText(defaultEvalTextPath());
        if (!text)
            return text.error();
        auto tokenizer = tokenizerForModel(*model);
        if (!tokenizer)
            return tokenizer.error();
        auto ids = tokenizer->encodeChecked(*text);
        if (!ids)
            return ids.error();
        // the CLI's windows (quantscope-cli sensitivity): Hugging Face protocol, 512 tokens, no BOS
        auto windows = makeEvalWindows(*ids, PplProtocol::HuggingFace, 512, -1, nWindows);
        if (!windows)
            return windows.error();
        auto transformer = Transformer::create(std::make_shared<WeightSource>(model), options.threads);
        if (!transformer)
            return transformer.error();
        auto r = measureSensitivity(*transformer, *windows, options, &job);
        if (!r)
            return r.error();
        *results = std::move(*r);
        results->text = "built-in";
        return okStatus();
    });
}

} // namespace qs
