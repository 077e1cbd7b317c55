// quantscope-cli quantize MODEL (--preset P | --plan F) (--compensate | --awq-scales) [--calib TEXT] -o OUT.gguf: the
// plain GGUF path's plan, importance matrix and type options, plus calibration: AWQ-style scales folded before
// quantizing and/or GPTQ-compensated blocks written in place of the plain ones (core/pipeline/compensated_gguf.h).
#include "compensate_command.h"

#include "cli_common.h"
#include "group_commands.h"
#include "io/small_file.h"
#include "model/model_report.h"
#include "pipeline/compensated_gguf.h"
#include "plan/resolve.h"

#include <QCommandLineParser>

#include <csignal>
#include <cstdio>

namespace cli {

bool wantsCompensatedGguf(const QStringList &args)
{
    if (args.contains(QLatin1String("--method")))
        return false; // GPTQ/AWQ checkpoints: their own command, which names what it does not take
    if (args.contains(QLatin1String("--compensate")) || args.contains(QLatin1String("--awq-scales")))
        return true;
    const auto plan = planNamedIn(args);
    return plan && plan->compensate;
}

int runQuantizeCompensated(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Quantize a model into a GGUF file calibrated on text. --compensate: the block Linear weights are GPTQ-compensated: GPTQ's "
        "column sweep, with the GGUF format's own quantizer choosing every block's scales, spreads each column's rounding error over "
        "the columns after it. --awq-scales: AWQ's per-channel scales are searched for the planned types, layer by layer, and folded "
        "into the norms and Linears before quantizing, wherever they lower the block's output error. Same types and size as the "
        "plain file; llama.cpp reads it unchanged."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder"));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("llama-quantize preset: Q4_K_M, Q3_K_M, IQ4_XS, ..."), QStringLiteral("NAME"));
    const QCommandLineOption plan(QStringLiteral("plan"), QStringLiteral("A Quantscope plan (JSON); its \"compensate\" picks the tensors"), QStringLiteral("FILE"));
    const QCommandLineOption rule(QStringLiteral("rule"), QStringLiteral("REGEX=TYPE: tensors whose GGUF name matches get TYPE (first match wins)"), QStringLiteral("RULE"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("Importance matrix from llama-imatrix (.gguf or .dat)"), QStringLiteral("FILE"));
    const QCommandLineOption compensate(QStringLiteral("compensate"),
                                        QStringLiteral("Compensate every block Linear weight in a GGUF block format (unless the plan's "
                                                       "\"compensate\" names fewer)"));
    const QCommandLineOption scales(QStringLiteral("awq-scales"),
                                    QStringLiteral("Search AWQ's per-channel scales in the planned GGUF types and fold them into the "
                                                   "norms before quantizing (with --compensate: before compensating)"));
    const CalibrationOptions calibration;
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output GGUF file"), QStringLiteral("OUT"));
    const QCommandLineOption allowRequantize(QStringLiteral("allow-requantize"), QStringLiteral("Quantize tensors that are already quantized"));
    const PlanTypeOptions types;
    for (const auto &o : {preset, plan, rule, imatrix, compensate, scales, threads, output, allowRequantize})
        p.addOption(o);
    calibration.addTo(p);
    types.addTo(p);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || p.isSet(preset) == p.isSet(plan) || !p.isSet(output)) {
        printErr("quantize --compensate or --awq-scales needs one MODEL, exactly one of --preset or --plan, and -o OUT.gguf");
        return kExitUsage;
    }
    qs::QuantizeOptions opt;
    if (const int rc = readThreads(p, threads, &opt.threads); rc != 0)
        return rc;
    if (const int rc = readPlanOptions(p, preset, plan, rule, &opt.plan, &types); rc != 0)
        return rc;
    if (p.isSet(compensate) && !opt.plan.compensate)
        opt.plan.compensate = std::string();
    qs::CalibratedGgufOptions copt;
    copt.compensate = opt.plan.compensate.has_value();
    copt.scales = p.isSet(scales);
    qs::GroupQuantizeOptions &gopt = copt.calibration;
    opt.imatrixPath = p.value(imatrix).toStdString();
    opt.allowRequantize = p.isSet(allowRequantize);
    gopt.threads = opt.threads;
    if (const int rc = calibration.readDamp(p, opt.plan.gptq.damp, &gopt); rc != 0)
        return rc;
    if (const int rc = calibration.readSpill(p, &gopt); rc != 0)
        return rc;
    const std::string out = p.value(output).toStdString();
    if (const int rc = checkOutput(out, "-o"); rc != 0)
        return rc;

    auto model = openModelReporting(p.positionalArguments().first().toStdString());
    if (!model)
        return kExitFailure;
    if (auto tensors = qs::planTensorsFor(**model))
        warnAboutPlan(opt.plan, *tensors, (*model)->architecture());
    auto cal = calibration.read(p, **model);
    if (!cal) {
        printErr("error: " + cal.error().describe());
        return kExitFailure;
    }

    qs::JobControl job;
    cancelOnInterrupt(job);
    job.onProgress(progressPrinter("quantizing"));
    auto result = qs::quantizeCompensatedModel(*model, opt, *cal, copt, out, &job);
    g_job = nullptr;
    endProgress();
    if (!result) {
        printErr("error: " + result.error().describe());
        return kExitFailure;
    }
    double loss = 0, plainLoss = 0;
    for (const auto &t : result->compensated) {
        std::printf("%-28s %-7s layer loss %.5g (plain %.5g, %.1f%%)\n", t.name.c_str(), std::string(qs::typeTraits(t.type).name).c_str(), t.loss,
                    t.plainLoss, t.plainLoss > 0 ? 100 * t.loss / t.plainLoss : 0.0);
        loss += t.loss;
        plainLoss += t.plainLoss;
    }
    if (copt.scales)
        std::printf("scales: %d of %d scaling groups chose scales (the rest kept their weights), %zu tensors scaled, %.1f s searching\n",
                    result->scaledGroups, result->searchedGroups, result->scaled.size(), result->scaleSeconds);
    std::printf("wrote %s: %s, %zu tensors", out.c_str(), qs::humanBytes(qs::fileSize(out)).c_str(), result->summary.tensors.size());
    if (copt.compensate)
        std::printf(" (%zu GPTQ-compensated, layer loss %.1f%% of plain quantization's)", result->compensated.size(),
                    plainLoss > 0 ? 100 * loss / plainLoss : 0.0);
    std::printf(", %.3f bits per quantized weight, %.1f s calibrating and solving%s\n", result->summary.bitsPerWeight, result->solveSeconds,
                copt.compensate ? "; the compensated blocks read back as solved" : "");
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace cli
