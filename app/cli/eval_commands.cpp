// quantscope-cli eval: perplexity and KL-divergence of a model, a GGUF file or a plan not yet exported.
#include "eval_commands.h"

#include "cli_common.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "io/small_file.h"
#include "model/model_report.h"
#include "pipeline/plan_weights.h"
#include "plan/resolve.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <chrono>
#include <csignal>
#include <cstdio>

namespace cli {

namespace {

// The evaluation text: --text FILE, or the built-in held-out sample. Valid UTF-8 and not empty, or an error.
qs::Result<std::string> readEvalText(const QCommandLineParser &p, const QCommandLineOption &text)
{
    const std::string path = p.isSet(text) ? p.value(text).toStdString() : qs::defaultEvalTextPath();
    if (path.empty())
        return qs::makeError("no --text given and the built-in evaluation text is not installed (set QUANTSCOPE_EVAL_TEXT)");
    auto bytes = qs::readSmallFile(path, 1ull << 30);
    if (!bytes)
        return bytes.error();
    std::string s(bytes->begin(), bytes->end());
    if (s.empty())
        return qs::makeError("the text is empty: there is nothing to evaluate on").inFile(path);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)utf8.decode(QByteArrayView(s.data(), static_cast<qsizetype>(s.size())));
    if (utf8.hasError())
        return qs::makeError("the text is not valid UTF-8").inFile(path);
    return s;
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
    auto textBytes = readEvalText(p, text);
    if (!textBytes) {
        printErr("error: " + textBytes.error().describe());
        return kExitFailure;
    }
    auto tokenizer = qs::tokenizerForModel(**model);
    if (!tokenizer) {
        printErr("error: " + tokenizer.error().describe());
        return kExitFailure;
    }
    const std::string evalText = proto == qs::PplProtocol::LlamaCpp ? qs::llamaCppText(*textBytes) : *textBytes;
    auto encoded = tokenizer->encodeChecked(evalText);
    if (!encoded) {
        printErr("error: " + encoded.error().describe());
        return kExitFailure;
    }
    const std::vector<int32_t> &ids = *encoded;
    auto win = qs::makeEvalWindows(ids, proto, nContext, qs::llamaCppBosToken(**model), nWindows);
    if (!win) {
        printErr("error: " + win.error().describe());
        return kExitFailure;
    }

    // the weights: the model's own, or the plan's
    std::shared_ptr<qs::WeightSource> weights;
    qs::QuantizeResult planSummary;
    if (withPlan) {
        if (auto tensors = qs::planTensorsFor(**model))
            warnAboutPlan(qopt.plan, *tensors, (*model)->architecture());
        auto w = qs::planWeights(*model, qopt, &planSummary);
        if (!w) {
            printErr("error: " + w.error().describe());
            return kExitFailure;
        }
        weights = *w;
    } else {
        weights = std::make_shared<qs::WeightSource>(*model);
    }
    auto evaluated = qs::Transformer::create(weights, nThreads);
    if (!evaluated) {
        printErr("error: " + evaluated.error().describe());
        return kExitFailure;
    }
    std::optional<qs::Transformer> baseModel;
    std::string basePath;
    if (p.isSet(base) || (withPlan && !p.isSet(noBase))) {
        std::shared_ptr<const qs::Model> bm = *model;
        basePath = modelPath;
        if (p.isSet(base)) {
            basePath = p.value(base).toStdString();
            auto b = openModel(basePath);
            if (!b) {
                printErr("error: --base: " + b.error().describe());
                return kExitFailure;
            }
            bm = *b;
            auto bt = qs::tokenizerForModel(*bm);
            if (!bt || bt->encode(evalText.substr(0, 4096)) != tokenizer->encode(evalText.substr(0, 4096))) {
                printErr("error: --base " + basePath + " tokenizes the text differently from " + modelPath +
                         ": their predictions cannot be compared token by token");
                return kExitFailure;
            }
        }
        auto b = qs::Transformer::create(std::make_shared<qs::WeightSource>(bm), nThreads);
        if (!b) {
            printErr("error: --base: " + b.error().describe());
            return kExitFailure;
        }
        baseModel = std::move(*b);
    }

    qs::JobControl job;
    g_job = &job;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    job.onProgress(progressPrinter("evaluating"));
    const auto start = std::chrono::steady_clock::now();
    qs::EvalOptions eopt;
    eopt.threads = nThreads;
    auto result = qs::evaluate(*evaluated, baseModel ? &*baseModel : nullptr, *win, eopt, &job);
    g_job = nullptr;
    endProgress();
    if (!result) {
        printErr("error: " + result.error().describe());
        return kExitFailure;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const qs::EvalResult &r = *result;
    const std::string label = withPlan ? qopt.plan.label() : std::string();
    uint64_t planBytes = 0;
    for (const auto &t : planSummary.tensors)
        planBytes += t.bytes;
    if (p.isSet(json)) {
        QJsonObject o;
        o[QStringLiteral("model")] = QString::fromStdString(modelPath);
        if (withPlan) {
            o[QStringLiteral("plan")] = QString::fromStdString(label);
            o[QStringLiteral("plan_bytes")] = static_cast<qint64>(planBytes);
            o[QStringLiteral("bits_per_weight")] = planSummary.bitsPerWeight;
        }
        o[QStringLiteral("protocol")] = QString::fromLatin1(qs::protocolId(proto));
        o[QStringLiteral("context")] = static_cast<qint64>(win->context);
        o[QStringLiteral("windows")] = static_cast<qint64>(r.windows);
        o[QStringLiteral("tokens")] = static_cast<qint64>(r.tokens);
        o[QStringLiteral("ppl")] = r.ppl;
        o[QStringLiteral("ppl_error")] = r.pplError;
        o[QStringLiteral("seconds")] = secs;
        o[QStringLiteral("tokens_per_second")] = static_cast<double>(r.windows * win->context) * (baseModel ? 2 : 1) / secs;
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
                    withPlan ? " as " : "", label.c_str(), qs::protocolId(proto), static_cast<long long>(r.windows),
                    static_cast<long long>(win->context), static_cast<long long>(r.tokens), secs);
        if (withPlan)
            std::printf("plan size                %s, %.3f bits per quantized weight\n", qs::humanBytes(planBytes).c_str(),
                        planSummary.bitsPerWeight);
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

} // namespace cli
