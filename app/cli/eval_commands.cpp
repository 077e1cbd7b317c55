// quantscope-cli eval: perplexity and KL-divergence of a model, a GGUF file or a plan not yet exported.
#include "eval_commands.h"

#include "cli_common.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "engine/importance.h"
#include "engine/sensitivity.h"
#include "project/project_file.h"
#include "model/model_report.h"
#include "pipeline/plan_evaluation.h"
#include "plan/imatrix.h"
#include "plan/resolve.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <csignal>
#include <cstdio>

namespace cli {

namespace {

// A text file's ids under the model's tokenizer, the text taken as the protocol takes it (llama.cpp drops one
// trailing newline); invalid UTF-8, an empty text or a tokenizer that does not fit the model are errors.
qs::Result<std::vector<int32_t>> textIds(const qs::Model &model, const std::string &path, qs::PplProtocol protocol)
{
    auto text = qs::readEvalText(path);
    if (!text)
        return text.error();
    auto tokenizer = qs::tokenizerForModel(model);
    if (!tokenizer)
        return tokenizer.error();
    return tokenizer->encodeChecked(protocol == qs::PplProtocol::LlamaCpp ? qs::llamaCppText(*text) : *text);
}

qs::Result<std::shared_ptr<const qs::Model>> openModel(const std::string &path)
{
    auto m = qs::Model::open(path);
    if (!m)
        return m.error();
    return std::shared_ptr<const qs::Model>(*m);
}

} // namespace

int runEval(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Perplexity of a model on a text and, against a base, the KL-divergence of its predictions. With --preset or "
        "--plan the model is evaluated as that plan would export it, and compared with the unquantized model."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("Evaluate the model quantized with this llama-quantize preset"), QStringLiteral("NAME"));
    const QCommandLineOption plan(QStringLiteral("plan"), QStringLiteral("Evaluate the model quantized with this plan (JSON)"), QStringLiteral("FILE"));
    const QCommandLineOption rule(QStringLiteral("rule"), QStringLiteral("REGEX=TYPE on top of the preset or plan"), QStringLiteral("RULE"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("Importance matrix the plan's quantizers use"), QStringLiteral("FILE"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("UTF-8 text to evaluate on (default: the built-in held-out sample)"), QStringLiteral("FILE"));
    const QCommandLineOption protocol(QStringLiteral("protocol"),
                                      QStringLiteral("hf (non-overlapping windows, every position scored) or llama.cpp (llama-perplexity: "
                                                     "BOS as the vocabulary says, the second half of each chunk scored). Default: "
                                                     "llama.cpp for a GGUF file, hf otherwise"),
                                      QStringLiteral("P"));
    const QCommandLineOption base(QStringLiteral("base"), QStringLiteral("Model to compare predictions with (KL-divergence); default with "
                                                                         "--preset/--plan: the same model unquantized"), QStringLiteral("MODEL"));
    const QCommandLineOption noBase(QStringLiteral("no-base"), QStringLiteral("Perplexity only: no comparison"));
    const QCommandLineOption windows(QStringLiteral("windows"), QStringLiteral("Evaluate only the first N windows"), QStringLiteral("N"));
    const QCommandLineOption context(QStringLiteral("context"), QStringLiteral("Tokens per window (default 512)"), QStringLiteral("N"), QStringLiteral("512"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON"));
    const PlanTypeOptions types;
    for (const auto &o : {preset, plan, rule, imatrix, text, protocol, base, noBase, windows, context, threads, json})
        p.addOption(o);
    types.addTo(p);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || (p.isSet(preset) && p.isSet(plan))) {
        printErr("eval needs one MODEL and at most one of --preset or --plan");
        return kExitUsage;
    }
    const bool withPlan = p.isSet(preset) || p.isSet(plan);
    if (!withPlan && (p.isSet(rule) || p.isSet(imatrix) || types.anySet(p))) {
        printErr("--rule, --imatrix and the type options change a plan: give --preset or --plan too");
        return kExitUsage;
    }
    if (p.isSet(base) && p.isSet(noBase)) {
        printErr("--base and --no-base contradict each other");
        return kExitUsage;
    }
    int nThreads = 0;
    if (const int rc = readThreads(p, threads, &nThreads); rc != 0)
        return rc;
    auto positive = [&](const QCommandLineOption &o, int64_t fallback, int64_t *out) {
        *out = fallback;
        if (!p.isSet(o) && o.defaultValues().isEmpty())
            return true;
        bool ok = false;
        const qlonglong v = p.value(o).toLongLong(&ok);
        if (!ok || v < 1) {
            printErr("--" + o.names().first().toStdString() + " must be a whole number, 1 or more (not '" + p.value(o).toStdString() + "')");
            return false;
        }
        *out = v;
        return true;
    };
    int64_t nWindows = 0, nContext = 512;
    if (!positive(windows, 0, &nWindows) || !positive(context, 512, &nContext))
        return kExitUsage;
    if (nContext < 4 || nContext > (int64_t(1) << 20)) {
        printErr("--context must be between 4 and 1048576 tokens");
        return kExitUsage;
    }
    qs::QuantizeOptions qopt;
    if (withPlan) {
        if (const int rc = readPlanOptions(p, preset, plan, rule, &qopt.plan, &types); rc != 0)
            return rc;
        qopt.imatrixPath = p.value(imatrix).toStdString();
        qopt.threads = nThreads;
    }
    // GPTQ/AWQ need their solver's result: until then the plan is judged on the grid they start from
    bool standIn = false;
    const std::string solvedLabel = qopt.plan.label();
    if (withPlan)
        qopt.plan = qopt.plan.rtnStandIn(&standIn);
    if (standIn)
        std::fprintf(stderr, "note: GPTQ/AWQ formats are evaluated as round-to-nearest of the same bits and groups (not solved); "
                             "for the solved result run quantscope-cli quantize with this plan and eval the written folder\n");

    const std::string modelPath = p.positionalArguments().first().toStdString();
    auto model = openModel(modelPath);
    if (!model) {
        printErr("error: " + model.error().describe());
        return kExitFailure;
    }
    qs::PplProtocol proto = (*model)->format() == qs::ModelFormat::Gguf ? qs::PplProtocol::LlamaCpp : qs::PplProtocol::HuggingFace;
    if (p.isSet(protocol)) {
        const auto pr = qs::parseProtocol(p.value(protocol).toStdString());
        if (!pr) {
            printErr("--protocol must be hf or llama.cpp (not '" + p.value(protocol).toStdString() + "')");
            return kExitUsage;
        }
        proto = *pr;
    }
    auto textBytes = qs::readEvalText(p.isSet(text) ? p.value(text).toStdString() : qs::defaultEvalTextPath());
    if (!textBytes) {
        printErr("error: " + textBytes.error().describe());
        return kExitFailure;
    }
    qs::PlanEvalRequest request;
    request.model = *model;
    if (withPlan) {
        if (auto tensors = qs::planTensorsFor(**model))
            warnAboutPlan(qopt.plan, *tensors, (*model)->architecture());
        request.plan = qopt;
    }
    request.text = std::move(*textBytes);
    request.protocol = proto;
    request.context = nContext;
    request.maxWindows = nWindows;
    request.threads = nThreads;
    request.compare = !p.isSet(noBase);
    std::string basePath;
    if (p.isSet(base)) {
        basePath = p.value(base).toStdString();
        auto b = openModel(basePath);
        if (!b) {
            printErr("error: --base: " + b.error().describe());
            return kExitFailure;
        }
        request.base = *b;
    } else if (withPlan && request.compare) {
        basePath = modelPath + " (unquantized)";
    }

    qs::JobControl job;
    cancelOnInterrupt(job);
    job.onProgress(progressPrinter("evaluating"));
    auto outcome = qs::evaluatePlan(request, &job);
    g_job = nullptr;
    endProgress();
    if (!outcome) {
        printErr("error: " + outcome.error().describe());
        return kExitFailure;
    }
    const double secs = outcome->seconds;
    const qs::EvalResult &r = outcome->result;
    const std::string label = !withPlan ? std::string() : standIn ? solvedLabel + " (RTN stand-in, not solved)" : qopt.plan.label();
    const uint64_t planBytes = outcome->bytes;
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("model")] = QString::fromStdString(modelPath);
        if (withPlan) {
            o[QStringLiteral("plan")] = QString::fromStdString(label);
            o[QStringLiteral("rtn_stand_in")] = standIn;
            o[QStringLiteral("plan_bytes")] = static_cast<qint64>(planBytes);
            o[QStringLiteral("bits_per_weight")] = outcome->bitsPerWeight;
        }
        o[QStringLiteral("protocol")] = QString::fromLatin1(qs::protocolId(outcome->protocol));
        o[QStringLiteral("context")] = static_cast<qint64>(outcome->context);
        o[QStringLiteral("windows")] = static_cast<qint64>(r.windows);
        o[QStringLiteral("tokens")] = static_cast<qint64>(r.tokens);
        o[QStringLiteral("ppl")] = r.ppl;
        o[QStringLiteral("ppl_error")] = r.pplError;
        o[QStringLiteral("seconds")] = secs;
        o[QStringLiteral("tokens_per_second")] = static_cast<double>(r.windows * outcome->context) * (r.hasBase ? 2 : 1) / secs;
        if (r.hasBase) {
            o[QStringLiteral("base")] = QString::fromStdString(basePath);
            o[QStringLiteral("ppl_base")] = r.pplBase;
            o[QStringLiteral("delta_ppl")] = r.ppl - r.pplBase;
            o[QStringLiteral("ln_ppl_ratio")] = r.lnPplRatio;
            o[QStringLiteral("kld_mean")] = r.kldMean;
            o[QStringLiteral("kld_mean_error")] = r.kldMeanError;
            o[QStringLiteral("kld_median")] = r.kldMedian;
            o[QStringLiteral("kld_p90")] = r.kldP90;
            o[QStringLiteral("kld_p95")] = r.kldP95;
            o[QStringLiteral("kld_p99")] = r.kldP99;
            o[QStringLiteral("kld_max")] = r.kldMax;
            o[QStringLiteral("top1_agree")] = r.top1Agree;
            o[QStringLiteral("delta_p_rms")] = r.deltaPRms;
        }
        QJsonArray wp;
        for (double v : r.windowPpl)
            wp.append(v);
        o[QStringLiteral("window_ppl")] = wp;
        std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        std::printf("%s%s%s: protocol %s, %lld windows of %lld tokens, %lld positions scored, %.1f s\n", modelPath.c_str(),
                    withPlan ? " as " : "", label.c_str(), qs::protocolId(outcome->protocol), static_cast<long long>(r.windows),
                    static_cast<long long>(outcome->context), static_cast<long long>(r.tokens), secs);
        if (withPlan)
            std::printf("plan size                %s, %.3f bits per quantized weight\n", qs::humanBytes(planBytes).c_str(),
                        outcome->bitsPerWeight);
        std::printf("PPL                      %.4f +/- %.5f\n", r.ppl, r.pplError);
        if (r.hasBase) {
            std::printf("PPL(base)                %.4f   (%s)\n", r.pplBase, basePath.c_str());
            std::printf("PPL - PPL(base)          %+.4f   ln ratio %+.6f\n", r.ppl - r.pplBase, r.lnPplRatio);
            std::printf("KLD mean                 %.6f +/- %.6f\n", r.kldMean, r.kldMeanError);
            std::printf("KLD median / p90 / p99   %.6f / %.6f / %.6f\n", r.kldMedian, r.kldP90, r.kldP99);
            std::printf("KLD max                  %.6f\n", r.kldMax);
            std::printf("same top token           %.3f%%\n", 100 * r.top1Agree);
            std::printf("RMS delta p              %.3f%%\n", 100 * r.deltaPRms);
        }
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

int runImatrix(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "An importance matrix from text, as llama-imatrix -c N computes it: the sum of x^2 per input column of every "
        "Linear weight of the blocks, over chunks of the text. Written as GGUF (llama-imatrix's default) or legacy .dat "
        "by the output's extension; llama-quantize and quantscope-cli quantize --imatrix read either."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("UTF-8 calibration text (default: the built-in held-out sample)"), QStringLiteral("FILE"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output: .gguf or .dat"), QStringLiteral("OUT"));
    const QCommandLineOption context(QStringList{QStringLiteral("c"), QStringLiteral("context")}, QStringLiteral("Tokens per chunk (default 512)"),
                                     QStringLiteral("N"), QStringLiteral("512"));
    const QCommandLineOption chunks(QStringLiteral("chunks"), QStringLiteral("Use only the first N chunks"), QStringLiteral("N"));
    const QCommandLineOption dataset(QStringLiteral("dataset"), QStringLiteral("Name recorded as the dataset (default: the text's path)"), QStringLiteral("NAME"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    for (const auto &o : {text, output, context, chunks, dataset, threads})
        p.addOption(o);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || !p.isSet(output)) {
        printErr("imatrix needs one MODEL and -o OUT.gguf (or OUT.dat)");
        return kExitUsage;
    }
    const std::string out = p.value(output).toStdString();
    const bool dat = QString::fromStdString(out).endsWith(QLatin1String(".dat"), Qt::CaseInsensitive);
    if (!dat && !QString::fromStdString(out).endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive)) {
        printErr("-o must end in .gguf (llama-imatrix's format) or .dat (the legacy one)");
        return kExitUsage;
    }
    int nThreads = 0;
    if (const int rc = readThreads(p, threads, &nThreads); rc != 0)
        return rc;
    bool ok = false;
    const qlonglong ctx = p.value(context).toLongLong(&ok);
    if (!ok || ctx < 4 || ctx > (1 << 20)) {
        printErr("-c must be a number of tokens between 4 and 1048576");
        return kExitUsage;
    }
    qlonglong maxChunks = 0;
    if (p.isSet(chunks)) {
        maxChunks = p.value(chunks).toLongLong(&ok);
        if (!ok || maxChunks < 1) {
            printErr("--chunks must be a whole number, 1 or more");
            return kExitUsage;
        }
    }
    if (const int rc = checkOutput(out, "-o"); rc != 0)
        return rc;
    const std::string textPath = p.isSet(text) ? p.value(text).toStdString() : qs::defaultEvalTextPath();
    auto model = openModel(p.positionalArguments().first().toStdString());
    if (!model) {
        printErr("error: " + model.error().describe());
        return kExitFailure;
    }
    auto ids = textIds(**model, textPath, qs::PplProtocol::LlamaCpp);
    if (!ids) {
        printErr("error: " + ids.error().describe());
        return kExitFailure;
    }
    auto win = qs::makeEvalWindows(*ids, qs::PplProtocol::LlamaCpp, ctx, qs::llamaCppBosToken(**model), maxChunks);
    if (!win) {
        printErr("error: " + win.error().describe());
        return kExitFailure;
    }
    auto tr = qs::Transformer::create(std::make_shared<qs::WeightSource>(*model), nThreads);
    if (!tr) {
        printErr("error: " + tr.error().describe());
        return kExitFailure;
    }
    qs::JobControl job;
    cancelOnInterrupt(job);
    job.onProgress(progressPrinter("collecting"));
    qs::ImportanceOptions opt;
    opt.threads = nThreads;
    auto sums = qs::collectImportance(*tr, *win, opt, &job);
    g_job = nullptr;
    endProgress();
    if (!sums) {
        printErr("error: " + sums.error().describe());
        return kExitFailure;
    }
    sums->datasets = {p.isSet(dataset) ? p.value(dataset).toStdString() : textPath};
    const qs::Status st = dat ? qs::writeImportanceDat(*sums, out) : qs::writeImportanceGguf(*sums, out);
    if (!st) {
        printErr("error: " + st.error().describe());
        return kExitFailure;
    }
    std::printf("wrote %s: %zu weights, %lld chunks of %lld tokens\n", out.c_str(), sums->sums.size(),
                static_cast<long long>(sums->chunks), static_cast<long long>(sums->chunkSize));
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

int runSensitivity(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Measured sensitivity: for every weight and candidate format, the KL-divergence from the unquantized model, the "
        "top-1 agreement and the change in mean NLL when only that weight is quantized. Saved in a project, the studio's "
        "model map and the planners reuse it without measuring again."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption formats(QStringLiteral("formats"), QStringLiteral("Comma-separated candidate formats (default q2_k,q4_k,q6_k)"),
                                     QStringLiteral("LIST"), QStringLiteral("q2_k,q4_k,q6_k"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("UTF-8 text to measure on (default: the built-in held-out sample)"), QStringLiteral("FILE"));
    const QCommandLineOption windows(QStringLiteral("windows"), QStringLiteral("Windows of the text to measure on (default 4)"), QStringLiteral("N"),
                                     QStringLiteral("4"));
    const QCommandLineOption context(QStringLiteral("context"), QStringLiteral("Tokens per window (default 512)"), QStringLiteral("N"), QStringLiteral("512"));
    const QCommandLineOption tensor(QStringLiteral("tensor"), QStringLiteral("Only this weight (repeatable; either name)"), QStringLiteral("NAME"));
    const QCommandLineOption project(QStringLiteral("project"), QStringLiteral("Quantscope project (HDF5) to store the measurement in (created, "
                                                                               "or updated keeping its analysis and plan)"), QStringLiteral("FILE"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("Importance matrix the GGUF quantizers use, as quantize --imatrix will"),
                                     QStringLiteral("FILE"));
    for (const auto &o : {formats, text, windows, context, tensor, project, threads, json, imatrix})
        p.addOption(o);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1) {
        printErr("sensitivity needs exactly one MODEL");
        return kExitUsage;
    }
    auto fl = qs::QuantFormat::parseList(p.value(formats).toStdString());
    if (!fl || fl->empty()) {
        printErr("--formats: " + (fl ? std::string("no formats given") : fl.error().message));
        return kExitUsage;
    }
    int nThreads = 0;
    if (const int rc = readThreads(p, threads, &nThreads); rc != 0)
        return rc;
    bool okW = false, okC = false;
    const qlonglong nWindows = p.value(windows).toLongLong(&okW), nContext = p.value(context).toLongLong(&okC);
    if (!okW || nWindows < 1 || nWindows > 4096) {
        printErr("--windows must be a whole number from 1 to 4096");
        return kExitUsage;
    }
    if (!okC || nContext < 4 || nContext > (1 << 20)) {
        printErr("--context must be a number of tokens between 4 and 1048576");
        return kExitUsage;
    }
    const std::string projectPath = p.value(project).toStdString();
    if (!projectPath.empty())
        if (const int rc = checkOutput(projectPath, "--project"); rc != 0)
            return rc;
    auto model = openModel(p.positionalArguments().first().toStdString());
    if (!model) {
        printErr("error: " + model.error().describe());
        return kExitFailure;
    }
    // an existing project is updated, never replaced: what cannot be read is not overwritten
    qs::Project proj;
    proj.modelPath = (*model)->path();
    proj.fingerprint = qs::fingerprintModel(**model);
    if (!projectPath.empty() && QFileInfo(QString::fromStdString(projectPath)).isFile()) {
        auto saved = qs::loadProject(projectPath);
        if (!saved) {
            printErr("error: " + saved.error().describe());
            return kExitFailure;
        }
        if (const std::string change = qs::describeModelChange(*saved, **model); !change.empty()) {
            printErr("error: " + projectPath + " was made for another model (" + change + "); choose another --project");
            return kExitFailure;
        }
        proj = std::move(*saved);
    }
    const std::string textPath = p.isSet(text) ? p.value(text).toStdString() : qs::defaultEvalTextPath();
    auto ids = textIds(**model, textPath, qs::PplProtocol::HuggingFace);
    if (!ids) {
        printErr("error: " + ids.error().describe());
        return kExitFailure;
    }
    auto win = qs::makeEvalWindows(*ids, qs::PplProtocol::HuggingFace, nContext, -1, nWindows);
    if (!win) {
        printErr("error: " + win.error().describe());
        return kExitFailure;
    }
    auto tr = qs::Transformer::create(std::make_shared<qs::WeightSource>(*model), nThreads);
    if (!tr) {
        printErr("error: " + tr.error().describe());
        return kExitFailure;
    }
    qs::SensitivityOptions opt;
    opt.formats = *fl;
    opt.threads = nThreads;
    for (const QString &t : p.values(tensor))
        opt.only.push_back(t.toStdString());
    if (p.isSet(imatrix)) {
        auto im = qs::loadImportanceMatrix(p.value(imatrix).toStdString());
        if (!im) {
            printErr("error: " + im.error().describe());
            return kExitFailure;
        }
        // by GGUF name; an importance matrix may name tensors the Hugging Face way
        for (const auto &t : (*model)->tensors()) {
            auto w = im->weights.find(t.name);
            if (w == im->weights.end() && !t.otherName.empty())
                w = im->weights.find(t.otherName);
            const std::string &gguf = (*model)->format() == qs::ModelFormat::Gguf ? t.name : t.otherName;
            if (w != im->weights.end() && !gguf.empty())
                opt.importance[gguf] = w->second;
        }
    }
    qs::JobControl job;
    cancelOnInterrupt(job);
    job.onProgress(progressPrinter("measuring"));
    auto res = qs::measureSensitivity(*tr, *win, opt, &job);
    g_job = nullptr;
    endProgress();
    if (!res) {
        printErr("error: " + res.error().describe());
        return kExitFailure;
    }
    res->text = p.isSet(text) ? textPath : std::string("built-in");
    if (!projectPath.empty()) {
        proj.sensitivity = *res;
        if (const qs::Status st = qs::saveProject(projectPath, proj); !st) {
            printErr("error: " + st.error().describe());
            return kExitFailure;
        }
        std::fprintf(stderr, "saved %s\n", projectPath.c_str());
    }
    const qs::SensitivityResults &r = *res;
    // most sensitive first, by the first format's KLD
    std::vector<size_t> order(r.tensors.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const float ka = r.kld[r.index(a, 0)], kb = r.kld[r.index(b, 0)];
        return (std::isnan(kb) && !std::isnan(ka)) || ka > kb;
    });
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("windows")] = static_cast<qint64>(r.windows);
        o[QStringLiteral("context")] = static_cast<qint64>(r.context);
        o[QStringLiteral("tokens")] = static_cast<qint64>(r.tokens);
        QJsonArray fs;
        for (const auto &f : r.formats)
            fs.append(QString::fromStdString(f.id()));
        o[QStringLiteral("formats")] = fs;
        QJsonArray ts;
        auto num = [](float v) { return std::isnan(v) ? QJsonValue() : QJsonValue(static_cast<double>(v)); };
        for (size_t i : order) {
            QJsonObject t;
            t[QStringLiteral("tensor")] = QString::fromStdString(r.tensors[i]);
            QJsonObject k, a, d;
            for (size_t f = 0; f < r.formats.size(); ++f) {
                const QString id = QString::fromStdString(r.formats[f].id());
                k[id] = num(r.kld[r.index(i, f)]);
                a[id] = num(r.top1[r.index(i, f)]);
                d[id] = num(r.deltaNll[r.index(i, f)]);
            }
            t[QStringLiteral("kld_mean")] = k;
            t[QStringLiteral("top1_agree")] = a;
            t[QStringLiteral("delta_nll")] = d;
            ts.append(t);
        }
        o[QStringLiteral("tensors")] = ts;
        std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        std::printf("mean KL-divergence from the unquantized model when only that weight is quantized\n(%lld windows of %lld tokens, "
                    "%lld positions; most sensitive first)\n\n%-28s",
                    static_cast<long long>(r.windows), static_cast<long long>(r.context), static_cast<long long>(r.tokens), "tensor");
        for (const auto &f : r.formats)
            std::printf(" %14s", f.id().c_str());
        std::printf("\n");
        for (size_t i : order) {
            std::printf("%-28s", r.tensors[i].c_str());
            for (size_t f = 0; f < r.formats.size(); ++f) {
                const float v = r.kld[r.index(i, f)];
                if (std::isnan(v))
                    std::printf(" %14s", "-");
                else
                    std::printf(" %14.6f", static_cast<double>(v));
            }
            std::printf("\n");
        }
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace cli
