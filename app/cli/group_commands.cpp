// quantscope-cli quantize with GPTQ, AWQ or RTN: calibration, the solver, and a checkpoint folder that transformers
// and vLLM load (GPTQ as GPTQModel writes it, AWQ as AutoAWQ does).
#include "group_commands.h"

#include "calibration/calibration_set.h"
#include "cli_common.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "export/group_checkpoint.h"
#include "io/small_file.h"
#include "pipeline/plan_evaluation.h"
#include "pipeline/solve_plan.h"
#include "solvers/awq.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>

namespace cli {

void CalibrationOptions::addTo(QCommandLineParser &p) const
{
    for (const auto &o : {calib, calibText, samples, seqlen, seed, damp, spill})
        p.addOption(o);
}

int CalibrationOptions::readDamp(const QCommandLineParser &p, double planDamp, qs::GroupQuantizeOptions *out) const
{
    bool ok = true;
    out->damp = p.isSet(damp) ? p.value(damp).toDouble(&ok) : planDamp;
    if (!ok || !(out->damp > 0) || out->damp >= 1) {
        printErr("--damp must be a fraction between 0 and 1");
        return kExitUsage;
    }
    return 0;
}

int CalibrationOptions::readSpill(const QCommandLineParser &p, qs::GroupQuantizeOptions *out) const
{
    out->spillDir = p.value(spill).toStdString();
    if (p.isSet(spill) && !QFileInfo(p.value(spill)).isDir()) {
        printErr("error: --spill " + out->spillDir + " is not a folder");
        return kExitFailure;
    }
    return 0;
}

qs::Result<qs::CalibrationSet> CalibrationOptions::read(const QCommandLineParser &p, const qs::Model &model) const
{
    auto tokenizer = qs::tokenizerForModel(model);
    if (!tokenizer)
        return tokenizer.error();
    const std::string calibPath = p.isSet(calib) ? p.value(calib).toStdString() : qs::defaultEvalTextPath();
    const bool windowsFile = QString::fromStdString(calibPath).endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    const std::string textPath = windowsFile ? p.value(calibText).toStdString() : calibPath;
    if (windowsFile && textPath.empty())
        return qs::makeError("a windows file needs --calib-text: the text its offsets index (tokenized with the model's tokenizer)").inFile(calibPath);
    auto text = qs::readEvalText(textPath);
    if (!text)
        return text.error();
    auto ids = tokenizer->encodeChecked(*text);
    if (!ids)
        return ids.error();
    if (windowsFile) {
        auto json = qs::readSmallFile(calibPath, 64u << 20);
        if (!json)
            return json.error();
        return qs::calibrationFromJson(std::string(json->begin(), json->end()), *ids, calibPath);
    }
    bool ok1 = false, ok2 = false, ok3 = false;
    const qlonglong n = p.value(samples).toLongLong(&ok1), len = p.value(seqlen).toLongLong(&ok2);
    const qulonglong s = p.value(seed).toULongLong(&ok3);
    if (!ok1 || !ok2 || !ok3 || n < 1 || n > 100000 || len < 2 || len > (1 << 20))
        return qs::makeError("--samples, --seqlen and --seed must be whole numbers (samples 1..100000, seqlen 2..1048576)");
    return qs::randomCalibration(*ids, n, len, s);
}

std::optional<qs::Plan> planNamedIn(const QStringList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString plan;
        if (args[i] == QLatin1String("--plan") && i + 1 < args.size())
            plan = args[i + 1];
        else if (args[i].startsWith(QLatin1String("--plan=")))
            plan = args[i].mid(7);
        if (plan.isEmpty())
            continue;
        auto bytes = qs::readSmallFile(plan.toStdString(), 16u << 20);
        if (!bytes)
            return std::nullopt; // the command reports the unreadable file
        auto parsed = qs::Plan::fromJson(std::string(bytes->begin(), bytes->end()));
        return parsed ? std::optional<qs::Plan>(*parsed) : std::nullopt;
    }
    return std::nullopt;
}

bool wantsGroupQuantize(const QStringList &args)
{
    for (const QString &a : args)
        if (a == QLatin1String("--method") || a.startsWith(QLatin1String("--method=")))
            return true;
    const auto plan = planNamedIn(args);
    return plan && plan->hasGroupQuant();
}

int runQuantizeGroup(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Quantize a model with GPTQ, AWQ or round-to-nearest into a checkpoint folder that transformers and vLLM load. "
        "GPTQ and AWQ calibrate on text: random windows of a text file, or the exact windows of a windows file."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder"));
    const QCommandLineOption plan(QStringLiteral("plan"), QStringLiteral("A Quantscope plan with group formats (JSON)"), QStringLiteral("FILE"));
    const QCommandLineOption method(QStringLiteral("method"), QStringLiteral("gptq, awq or rtn (every Linear of the blocks)"), QStringLiteral("M"));
    const QCommandLineOption bits(QStringLiteral("bits"), QStringLiteral("2, 3, 4 or 8 (default 4)"), QStringLiteral("N"), QStringLiteral("4"));
    const QCommandLineOption group(QStringLiteral("group"), QStringLiteral("Group size: 32, 64, 128 or -1 per channel (default 128)"), QStringLiteral("N"),
                                   QStringLiteral("128"));
    const QCommandLineOption sym(QStringLiteral("sym"), QStringLiteral("Symmetric grid (no zero point)"));
    const QCommandLineOption actOrder(QStringLiteral("act-order"), QStringLiteral("GPTQ: columns by descending Hessian diagonal (desc_act)"));
    const QCommandLineOption noActOrder(QStringLiteral("no-act-order"), QStringLiteral("GPTQ: columns in their order even where the plan asks for act-order"));
    const QCommandLineOption staticGroups(QStringLiteral("static-groups"), QStringLiteral("GPTQ with act-order: group grids from the original weights"));
    const CalibrationOptions calibration;
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("Checkpoint layout: gptq (GPTQModel), awq (AutoAWQ GEMM) or "
                                                                             "compressed-tensors (llm-compressor pack-quantized); default by method"),
                                    QStringLiteral("F"));
    const QCommandLineOption awqIdentity(QStringLiteral("awq-identity"),
                                         QStringLiteral("AWQ: Quantscope's variant, whose scale grid also holds s = 1 (plain round-to-nearest), "
                                                        "so no scaling group ends worse than without AWQ (default: AutoAWQ's grid exactly)"));
    const QCommandLineOption resume(QStringLiteral("resume"), QStringLiteral("Folder where finished layers are saved; a rerun continues from there"),
                                    QStringLiteral("DIR"));
    const QCommandLineOption evaluateAfter(QStringLiteral("eval"), QStringLiteral("Evaluate the result on the built-in text against the original"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output folder"), QStringLiteral("DIR"));
    for (const auto &o : {plan, method, bits, group, sym, actOrder, noActOrder, staticGroups, format, awqIdentity, resume,
                          evaluateAfter, threads, output})
        p.addOption(o);
    calibration.addTo(p);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || p.isSet(plan) == p.isSet(method) || !p.isSet(output)) {
        printErr("quantize with group formats needs one MODEL, exactly one of --plan or --method gptq|awq|rtn, and -o DIR");
        return kExitUsage;
    }
    int nThreads = 0;
    if (const int rc = readThreads(p, threads, &nThreads); rc != 0)
        return rc;
    qs::Plan qplan;
    if (p.isSet(plan)) {
        auto bytes = qs::readSmallFile(p.value(plan).toStdString(), 16u << 20);
        if (!bytes) {
            printErr("error: " + bytes.error().describe());
            return kExitFailure;
        }
        auto parsed = qs::Plan::fromJson(std::string(bytes->begin(), bytes->end()));
        if (!parsed) {
            printErr("error: " + p.value(plan).toStdString() + ": " + parsed.error().describe());
            return kExitFailure;
        }
        qplan = *parsed;
        if (!qplan.hasGroupQuant()) {
            printErr("the plan names no GPTQ/AWQ/RTN formats: quantize it to GGUF with -o OUT.gguf");
            return kExitUsage;
        }
    } else {
        const QString m = p.value(method).toLower();
        const std::string spec = m.toStdString() + ":" + p.value(bits).toStdString() + ":" + p.value(group).toStdString() +
                                 (p.isSet(sym) ? ":sym" : ":asym");
        if (m != QLatin1String("gptq") && m != QLatin1String("awq") && m != QLatin1String("rtn")) {
            printErr("--method must be gptq, awq or rtn (not '" + m.toStdString() + "')");
            return kExitUsage;
        }
        auto f = qs::IntGroupFormat::parse(spec);
        if (!f) {
            printErr("--bits/--group: " + f.error().message);
            return kExitUsage;
        }
        qplan.preset.clear();
        qplan.output = qs::PlanOutput::HfCheckpoint;
        qplan.groupQuant = *f;
    }
    // the plan's GPTQ settings unless the command line says otherwise
    qs::SolveOptions sopt;
    if (const int rc = calibration.readDamp(p, qplan.gptq.damp, &sopt.gptq); rc != 0)
        return rc;
    const std::string out = p.value(output).toStdString();
    if (QFileInfo::exists(QString::fromStdString(out)) && !QFileInfo(QString::fromStdString(out)).isDir()) {
        printErr("error: -o " + out + " exists and is not a folder");
        return kExitFailure;
    }
    auto model = openModelReporting(p.positionalArguments().first().toStdString());
    if (!model)
        return kExitFailure;
    if ((*model)->format() != qs::ModelFormat::HuggingFace) {
        printErr("error: GPTQ/AWQ checkpoints are made from a Hugging Face model folder (16- or 32-bit weights), not a GGUF file");
        return kExitFailure;
    }
    auto cal = calibration.read(p, **model);
    if (!cal) {
        printErr("error: " + cal.error().describe());
        return kExitFailure;
    }
    // one run solves GPTQ/RTN choices or AWQ for every block Linear: say so before calibrating
    if (auto solver = qs::planSolver(qplan); !solver) {
        printErr("error: " + solver.error().describe());
        return kExitFailure;
    }
    // the layout follows the method unless --format says otherwise: AWQ as AutoAWQ writes it, the rest as GPTQModel
    qs::GroupCheckpointFormat checkpointFormat = qs::defaultCheckpointFormat(qplan);
    if (p.isSet(format)) {
        auto f = qs::parseGroupCheckpointFormat(p.value(format).toStdString());
        if (!f) {
            printErr("--format: " + f.error().message);
            return kExitUsage;
        }
        checkpointFormat = *f;
    }
    if (p.isSet(actOrder) && p.isSet(noActOrder)) {
        printErr("--act-order and --no-act-order contradict each other");
        return kExitUsage;
    }
    sopt.gptq.actOrder = !p.isSet(noActOrder) && (p.isSet(actOrder) || qplan.gptq.actOrder);
    sopt.gptq.staticGroups = p.isSet(staticGroups) || (qplan.gptq.staticGroups && sopt.gptq.actOrder);
    if (sopt.gptq.staticGroups && !sopt.gptq.actOrder) {
        printErr("--static-groups needs --act-order: static groups only differ from ordinary ones when the columns are reordered");
        return kExitUsage;
    }
    sopt.gptq.threads = nThreads;
    sopt.gptq.resumeDir = p.value(resume).toStdString();
    sopt.awqIdentity = p.isSet(awqIdentity);
    if (const int rc = calibration.readSpill(p, &sopt.gptq); rc != 0)
        return rc;

    // what would refuse the result is refused now, before minutes of calibration
    if (auto st = qs::checkCheckpointTarget(**model, out); !st) {
        printErr("error: " + st.error().describe());
        return kExitFailure;
    }
    if (auto st = qs::checkLayoutFor(checkpointFormat, qplan.groupFormats(), sopt.gptq.actOrder); !st) {
        printErr("error: " + st.error().describe());
        return kExitFailure;
    }

    qs::JobControl job;
    cancelOnInterrupt(job);
    job.onProgress(progressPrinter("quantizing"));
    auto result = qs::solvePlan(*model, qplan, *cal, sopt, &job);
    if (!result) {
        g_job = nullptr;
        endProgress();
        printErr("error: " + result.error().describe());
        return kExitFailure;
    }
    if (result->resumedLayers > 0)
        std::fprintf(stderr, "resumed: %d layers came from %s\n", result->resumedLayers, sopt.gptq.resumeDir.c_str());
    // written, then read back: every tensor must re-dequantize to what was solved
    auto back = qs::writeSolvedCheckpoint(**model, *result, checkpointFormat, out, &job);
    g_job = nullptr;
    endProgress();
    if (!back) {
        printErr("error: " + back.error().describe());
        return kExitFailure;
    }
    double loss = 0;
    for (const auto &[name, t] : result->tensors)
        loss += t.loss;
    std::printf("wrote %s (%s): %zu quantized weights in %.1f s", out.c_str(), qs::groupCheckpointFormatName(checkpointFormat),
                result->tensors.size(), result->seconds);
    if (loss > 0)
        std::printf(", total GPTQ loss %.4g", loss);
    if (result->solver == qs::IntGroupMethod::Awq) {
        int groups = 0, identity = 0;
        double worst = 1;
        for (const auto &c : result->awqChoices)
            for (int k : {c.qkv, c.vo, c.gateUp, c.down})
                if (k != qs::AwqLayerChoice::kSkipped) {
                    ++groups;
                    identity += k == qs::AwqScaleChoice::kIdentity;
                }
        for (const auto &[name, s] : result->inputScales)
            worst = std::max(worst, qs::scaleRatio(s));
        std::printf(", AWQ scaled %d of %d groups (largest channel scale ratio %.3g)", groups - identity, groups, worst);
    }
    std::printf("; every tensor reads back as solved\n");
    if (p.isSet(evaluateAfter)) {
        auto text = qs::readEvalText(qs::defaultEvalTextPath());
        if (!text) {
            printErr("error: " + text.error().describe());
            return kExitFailure;
        }
        qs::PlanEvalRequest er;
        er.model = *back;
        er.base = *model;
        er.text = std::move(*text);
        er.protocol = qs::PplProtocol::HuggingFace;
        er.threads = nThreads;
        auto e = qs::evaluatePlan(er);
        if (!e) {
            printErr("error: " + e.error().describe());
            return kExitFailure;
        }
        std::printf("the written checkpoint on the built-in text: PPL %.4f (original %.4f), mean KLD %.6f, same top token %.2f%%\n",
                    e->result.ppl, e->result.pplBase, e->result.kldMean, 100 * e->result.top1Agree);
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace cli
