// quantscope-cli: every studio action as a command. Argument parsing and wiring only; the work is in core.
#include "analysis/analysis_report.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "export/quantize_job.h"
#include "io/small_file.h"
#include "model/model.h"
#include "model/model_report.h"
#include "plan/resolve.h"
#include "project/project_file.h"
#include "io/atomic_file.h"
#include "jobs/thread_pool.h"
#include "vram/fit_report.h"
#include "fit_report_file.h"
#include "cli_common.h"
#include "eval_commands.h"
#include "compensate_command.h"
#include "group_commands.h"
#include "optimize_command.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonDocument>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace {

using namespace cli;
const char *kUsage =
    "Usage: quantscope-cli <command> [options]\n"
    "\n"
    "Commands:\n"
    "  inspect MODEL [--json]   Describe a Hugging Face model folder or a GGUF file: architecture,\n"
    "                           parameters and every tensor. MODEL may be --demo for the built-in model.\n"
    "  quantize MODEL (--preset NAME | --plan plan.json) [--rule 'REGEX=TYPE']... [--imatrix FILE]\n"
    "           [--output-tensor-type T] [--token-embedding-type T] [--pure] [--allow-requantize]\n"
    "           [--threads N] [--dry-run] -o OUT.gguf\n"
    "                           Write a GGUF file, byte for byte what llama-quantize writes for the preset.\n"
    "  quantize MODEL (--preset NAME | --plan plan.json) [--compensate] [--awq-scales] [--calib TEXT] [--samples 128]\n"
    "           [--seqlen 512] [--imatrix FILE] [--damp F] -o OUT.gguf\n"
    "                           The same GGUF types and size, calibrated on text: block Linear weights GPTQ-compensated,\n"
    "                           and/or AWQ scales for the planned types folded into the norms first.\n"
    "  quantize MODEL (--method gptq|awq|rtn | --plan F) [--bits 4] [--group 128] [--sym] [--act-order]\n"
    "           [--calib TEXT | --calib WINDOWS.json --calib-text TEXT] [--format gptq|awq|compressed-tensors]\n"
    "           [--awq-identity] [--spill DIR] [--resume DIR] [--eval] -o DIR\n"
    "                           Calibrate and solve GPTQ or AWQ (or round to nearest) into a checkpoint folder.\n"
    "  analyze MODEL [--formats q4_k,q8_0,int4-g128-asym,...] [--imatrix FILE] [--threads N] [--json]\n"
    "          [--project OUT.qsproj]\n"
    "                           Weight statistics and the error each format does, worst tensors first.\n"
    "  fit MODEL_OR_CONFIG [--preset P | --plan F] [--rule 'REGEX=TYPE']... [--output-tensor-type T]\n"
    "      [--token-embedding-type T] [--pure] [--device NAME]... [--budget 6GiB]... [--context N] [--kv-type T]\n"
    "      [--runtime llama.cpp|transformers|vllm] [--gpu-memory-utilization F] [--group-quant gptq:4:128] [--split] [--report OUT.{html,pdf,md,json,txt}] [--json] [--list-devices]\n"
    "                           Memory, headroom, longest context and speed on each device.\n"
    "  tokenize MODEL (--text FILE | --string S) [--json | --count]\n"
    "                           Token ids under the model's tokenizer (tokenizer.json or the GGUF vocabulary).\n"
    "  eval MODEL [--preset P | --plan F] [--text FILE] [--protocol hf|llama.cpp] [--base MODEL] [--windows N]\n"
    "       [--threads N] [--json]\n"
    "                           Perplexity on a text and, against a base, KL-divergence and top-1 agreement.\n"
    "  imatrix MODEL [--text FILE] -o OUT.gguf|OUT.dat [-c 512] [--chunks N] [--threads N]\n"
    "                           An importance matrix from text, as llama-imatrix computes it.\n"
    "  sensitivity MODEL [--formats q2_k,q4_k,q6_k] [--imatrix FILE] [--text FILE] [--windows N] [--project P] [--json]\n"
    "                           KL-divergence when only one tensor is quantized, for every tensor and format.\n"
    "  optimize MODEL --project P --budget 4.5bpw|13MiB|PRESET|DEVICE@CONTEXT[:RUNTIME] [--runtime llama.cpp|vllm]\n"
    "           [--kv-type T] [--preset BASE] [--imatrix F] [--pin NAME=TYPE]... -o plan.json\n"
    "                           The plan of least measured damage within the budget (from the project's sensitivity,\n"
    "                           its analysis as a proxy where nothing was measured); rtx-4090@8k: fits that device.\n"
    "\n"
    "Run 'quantscope-cli <command> --help' for a command's options.\n";


int runInspect(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Describe a model: architecture card, then one row per tensor."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON (schema quantscope.inspect/1) instead of a table."));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Inspect the built-in demo model (sotu-mini)."));
    p.addOption(json);
    p.addOption(demo);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    std::string path;
    if (p.isSet(demo)) {
        path = qs::demoModelPath();
        if (path.empty()) {
            printErr("error: the built-in demo model is not installed (set QUANTSCOPE_DEMO_MODEL to its folder)");
            return kExitFailure;
        }
    } else if (p.positionalArguments().size() == 1) {
        path = p.positionalArguments().first().toStdString();
    } else {
        printErr("inspect needs exactly one MODEL (a model folder or .gguf file), or --demo");
        return kExitUsage;
    }

    auto model = openModelReporting(path);
    if (!model)
        return kExitFailure;
    if (p.isSet(json)) {
        const QByteArray out = QJsonDocument(qs::inspectJson(**model)).toJson(QJsonDocument::Indented);
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    } else {
        const std::string out = qs::inspectText(**model);
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

int runTokenize(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Token ids of a text under a model's tokenizer (its tokenizer.json, or the vocabulary "
                                               "its GGUF file embeds), as the Hugging Face tokenizers library gives them (no BOS)."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder, .gguf file, or a tokenizer.json alone"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("UTF-8 text file to tokenize"), QStringLiteral("FILE"));
    const QCommandLineOption string(QStringLiteral("string"), QStringLiteral("A string to tokenize"), QStringLiteral("S"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print {\"count\", \"ids\"} as JSON."));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Print only the number of tokens."));
    for (const auto &o : {text, string, json, count})
        p.addOption(o);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || p.isSet(text) == p.isSet(string)) {
        printErr("tokenize needs one MODEL and exactly one of --text FILE or --string S");
        return kExitUsage;
    }
    QByteArray input;
    if (p.isSet(text)) {
        auto bytes = qs::readSmallFile(p.value(text).toStdString(), 1ull << 30);
        if (!bytes) {
            printErr("error: " + bytes.error().describe());
            return kExitFailure;
        }
        input = QByteArray(reinterpret_cast<const char *>(bytes->data()), static_cast<qsizetype>(bytes->size()));
    } else {
        input = p.value(string).toUtf8();
    }
    const std::string source = p.isSet(text) ? p.value(text).toStdString() : std::string("--string");
    if (input.isEmpty()) {
        printErr("error: " + source + ": the text is empty: there is nothing to tokenize");
        return kExitFailure;
    }
    auto tokenizer = qs::tokenizerForPath(p.positionalArguments().first().toStdString());
    if (!tokenizer) {
        printErr("error: " + tokenizer.error().describe());
        return kExitFailure;
    }
    auto encoded = tokenizer->encodeChecked(std::string_view(input.constData(), static_cast<size_t>(input.size())));
    if (!encoded) {
        printErr("error: " + qs::Error(encoded.error()).inFile(source).describe());
        return kExitFailure;
    }
    const std::vector<int32_t> &ids = *encoded;
    if (p.isSet(count)) {
        std::printf("%zu\n", ids.size());
    } else if (p.isSet(json)) {
        std::printf("{\"count\": %zu, \"ids\": [", ids.size());
        for (size_t i = 0; i < ids.size(); ++i)
            std::printf(i ? ", %d" : "%d", ids[i]);
        std::printf("]}\n");
    } else {
        for (size_t i = 0; i < ids.size(); ++i)
            std::printf(i ? " %d" : "%d", ids[i]);
        std::printf("\n");
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

int runQuantize(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Quantize a model into a GGUF file."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("llama-quantize preset: Q4_K_M, Q8_0, IQ4_XS, BF16, ..."), QStringLiteral("NAME"));
    const QCommandLineOption plan(QStringLiteral("plan"), QStringLiteral("A Quantscope plan (JSON)"), QStringLiteral("FILE"));
    const QCommandLineOption rule(QStringLiteral("rule"), QStringLiteral("REGEX=TYPE: tensors whose GGUF name matches get TYPE (first match wins)"), QStringLiteral("RULE"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("Importance matrix from llama-imatrix (.gguf or .dat)"), QStringLiteral("FILE"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("Print each tensor's format and the size, write nothing"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Output GGUF file"), QStringLiteral("OUT"));
    const QCommandLineOption allowRequantize(QStringLiteral("allow-requantize"),
                                             QStringLiteral("Quantize tensors that are already quantized (a quantized GGUF "
                                                            "source); this loses more quality than quantizing the 16- or "
                                                            "32-bit original"));
    const PlanTypeOptions types;
    for (const auto &o : {preset, plan, rule, imatrix, threads, dryRun, output, allowRequantize})
        p.addOption(o);
    types.addTo(p);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || p.isSet(preset) == p.isSet(plan) || (!p.isSet(output) && !p.isSet(dryRun))) {
        printErr("quantize needs one MODEL, exactly one of --preset or --plan, and -o OUT.gguf (or --dry-run)");
        return kExitUsage;
    }
    qs::QuantizeOptions opt;
    if (const int rc = readThreads(p, threads, &opt.threads); rc != 0)
        return rc;
    if (const int rc = readPlanOptions(p, preset, plan, rule, &opt.plan, &types); rc != 0)
        return rc;
    opt.imatrixPath = p.value(imatrix).toStdString();
    opt.allowRequantize = p.isSet(allowRequantize);
    const std::string out = p.value(output).toStdString();
    if (!p.isSet(dryRun))
        if (const int rc = checkOutput(out, "-o"); rc != 0)
            return rc;

    auto model = openModelReporting(p.positionalArguments().first().toStdString());
    if (!model)
        return kExitFailure;
    if (auto tensors = qs::planTensorsFor(**model))
        warnAboutPlan(opt.plan, *tensors, (*model)->architecture());
    if (p.isSet(dryRun)) {
        qs::QuantizeResult summary;
        auto req = qs::planQuantization(**model, opt, &summary);
        if (!req) {
            printErr("error: " + req.error().describe());
            return kExitFailure;
        }
        uint64_t total = 0;
        for (const auto &t : summary.tensors) {
            std::printf("%-32s %-7s %12s  %s\n", t.name.c_str(), std::string(qs::typeTraits(t.type).name).c_str(),
                        qs::humanBytes(t.bytes).c_str(), t.reason.c_str());
            total += t.bytes;
        }
        std::printf("\n%zu tensors, %s of tensor data, %.3f bits per quantized weight\n", summary.tensors.size(),
                    qs::humanBytes(total).c_str(), summary.bitsPerWeight);
        if (!opt.allowRequantize)
            if (const qs::Status st = qs::checkRequantize(**model, *req); !st)
                std::fprintf(stderr, "quantscope-cli: note: writing this would be refused: %s\n", st.error().describe().c_str());
        return 0;
    }

    qs::JobControl job;
    cancelOnInterrupt(job);
    const bool tty = ::isatty(STDERR_FILENO);
    std::string lastItem;
    const auto start = std::chrono::steady_clock::now();
    job.onProgress([&](const qs::JobProgress &pr) {
        if (tty) {
            const double f = pr.total ? static_cast<double>(pr.done) / static_cast<double>(pr.total) : 0.0;
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double eta = f > 0 ? secs * (1 - f) / f : 0;
            const int width = 30, fill = static_cast<int>(f * width);
            std::fprintf(stderr, "\r[%s%s] %5.1f%%  ETA %4.0fs  %-32.32s", std::string(static_cast<size_t>(fill), '#').c_str(),
                         std::string(static_cast<size_t>(width - fill), ' ').c_str(), 100 * f, eta, pr.item.c_str());
        } else if (pr.item != lastItem) {
            std::fprintf(stderr, "quantizing %s\n", pr.item.c_str());
        }
        lastItem = pr.item;
    });
    auto result = qs::quantizeModel(**model, opt, out, &job);
    g_job = nullptr;
    if (tty)
        std::fputc('\n', stderr);
    if (!result) {
        printErr("error: " + result.error().describe());
        return kExitFailure;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("wrote %s: %s, %zu tensors, %.3f bits per quantized weight, %.1f s\n", out.c_str(),
                qs::humanBytes(qs::fileSize(out)).c_str(), result->tensors.size(), result->bitsPerWeight, secs);
    return 0;
}

int runAnalyze(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Measure how each candidate format damages each tensor."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption formats(QStringLiteral("formats"), QStringLiteral("Comma-separated formats (default q4_k,q8_0,int4-g128-asym)"),
                                     QStringLiteral("LIST"), QStringLiteral("q4_k,q8_0,int4-g128-asym"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("Importance matrix: weights the errors and the quantizers"), QStringLiteral("FILE"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default: all)"), QStringLiteral("N"));
    const QCommandLineOption tensor(QStringLiteral("tensor"), QStringLiteral("Only this tensor (repeatable; either name)"), QStringLiteral("NAME"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON (schema quantscope.analysis/1)"));
    const QCommandLineOption project(QStringLiteral("project"),
                                     QStringLiteral("Quantscope project (HDF5) to save the measurements and heatmaps in; reused "
                                                    "without recomputing when it already holds them for this model"),
                                     QStringLiteral("FILE"));
    for (const auto &o : {formats, imatrix, threads, tensor, json, project})
        p.addOption(o);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1) {
        printErr("analyze needs exactly one MODEL");
        return kExitUsage;
    }
    auto candidates = qs::QuantFormat::parseList(p.value(formats).toStdString());
    if (!candidates) {
        printErr(candidates.error().describe());
        return kExitUsage;
    }
    qs::AnalysisOptions opt;
    opt.candidates = *candidates;
    opt.heatmaps = p.isSet(project);
    if (const int rc = readThreads(p, threads, &opt.threads); rc != 0)
        return rc;
    const std::string projectPath = p.value(project).toStdString();
    // a project that exists may only be read (restored without recomputing): its folder is checked once we know
    const bool projectExists = !projectPath.empty() && QFileInfo(QString::fromStdString(projectPath)).isFile();
    if (!projectPath.empty() && !projectExists)
        if (const int rc = checkOutput(projectPath, "--project"); rc != 0)
            return rc;
    for (const QString &t : p.values(tensor))
        opt.tensors.push_back(t.toStdString());
    qs::ImportanceMatrix im;
    if (p.isSet(imatrix)) {
        auto loaded = qs::loadImportanceMatrix(p.value(imatrix).toStdString());
        if (!loaded) {
            printErr("error: " + loaded.error().describe());
            return kExitFailure;
        }
        im = std::move(*loaded);
        opt.imatrix = &im;
    }
    auto model = openModelReporting(p.positionalArguments().first().toStdString());
    if (!model)
        return kExitFailure;
    std::optional<qs::AnalysisResults> cached;
    qs::SensitivityResults keptSensitivity; // what else the project holds for this model stays in it
    std::string keptPlan;
    if (projectExists) {
        auto saved = qs::loadProject(projectPath);
        if (!saved) { // never overwrite what we cannot read: it may be someone's work, or not ours at all
            printErr("error: " + saved.error().describe());
            return kExitFailure;
        }
        std::string ids, wanted;
        for (const auto &c : saved->analysis.candidates)
            ids += c.id() + ",";
        for (const auto &c : opt.candidates)
            wanted += c.id() + ",";
        const std::string change = qs::describeModelChange(*saved, **model);
        if (change.empty()) {
            keptSensitivity = saved->sensitivity;
            keptPlan = saved->planJson;
        }
        if (!change.empty())
            std::fprintf(stderr, "the model changed since %s was saved (%s): measuring again\n", projectPath.c_str(), change.c_str());
        else if (ids == wanted && opt.tensors.empty() && !opt.imatrix) {
            std::fprintf(stderr, "restored from %s without recomputing\n", projectPath.c_str());
            cached = std::move(saved->analysis);
        }
        if (!cached)
            if (const int rc = checkOutput(projectPath, "--project"); rc != 0)
                return rc;
    }
    qs::JobControl job;
    cancelOnInterrupt(job);
    const bool tty = ::isatty(STDERR_FILENO);
    job.onProgress([&](const qs::JobProgress &pr) {
        if (tty)
            std::fprintf(stderr, "\ranalysing %5.1f%%  %-40.40s", pr.total ? 100.0 * static_cast<double>(pr.done) / static_cast<double>(pr.total) : 0.0,
                         pr.item.c_str());
    });
    auto results = cached ? qs::Result<qs::AnalysisResults>(std::move(*cached)) : qs::analyzeModel(**model, opt, &job);
    g_job = nullptr;
    if (tty)
        std::fputs("\r\033[K", stderr);
    if (!results) {
        printErr("error: " + results.error().describe());
        return kExitFailure;
    }
    if (!projectPath.empty() && !cached) {
        qs::Project proj;
        proj.modelPath = (*model)->path();
        proj.fingerprint = qs::fingerprintModel(**model);
        proj.analysis = *results;
        proj.sensitivity = std::move(keptSensitivity);
        proj.planJson = std::move(keptPlan);
        auto st = qs::saveProject(projectPath, proj);
        if (!st) {
            printErr("error: " + st.error().describe());
            return kExitFailure;
        }
        std::fprintf(stderr, "saved %s\n", projectPath.c_str());
    }
    if (p.isSet(json)) {
        const QByteArray out = QJsonDocument(qs::analysisJson(**model, *results)).toJson(QJsonDocument::Indented);
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    } else {
        const std::string out = qs::analysisText(**model, *results, opt.imatrix != nullptr);
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return 0;
}


int runFit(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Will this model, under this plan, run on these devices? Memory (weights, KV cache, compute, overhead), "
        "headroom, the longest context each KV cache type allows, layers on the device when it does not fit, and speed."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Model folder, .gguf file, or a config.json alone"));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Fit the built-in demo model."));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("GGUF preset the weights are quantized with (default: as stored)"), QStringLiteral("NAME"));
    const QCommandLineOption plan(QStringLiteral("plan"), QStringLiteral("A Quantscope plan (JSON)"), QStringLiteral("FILE"));
    const QCommandLineOption rule(QStringLiteral("rule"), QStringLiteral("REGEX=TYPE on top of the preset"), QStringLiteral("RULE"));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Device id or unique part of its name; repeat for several; 'all' for every device"), QStringLiteral("NAME"));
    const QCommandLineOption budget(QStringLiteral("budget"),
                                    QStringLiteral("A memory size to fit in, instead of or besides --device: e.g. 6GiB, 7.5GiB, 16GB "
                                                   "(B; KB, MB, GB, TB; KiB, MiB, GiB, TiB); repeat for several"),
                                    QStringLiteral("SIZE"));
    const QCommandLineOption context(QStringLiteral("context"), QStringLiteral("Context length in tokens (default 4096)"), QStringLiteral("N"), QStringLiteral("4096"));
    const QCommandLineOption kvType(QStringLiteral("kv-type"), QStringLiteral("KV cache type: f16, bf16, q8_0, q4_0, fp8 (default f16; bf16 for transformers)"), QStringLiteral("T"));
    const QCommandLineOption runtime(QStringLiteral("runtime"), QStringLiteral("llama.cpp (CUDA; Metal on Apple, CPU on CPUs), llama.cpp-metal, llama.cpp-cpu, transformers or vllm"), QStringLiteral("R"), QStringLiteral("llama.cpp"));
    const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Sequences at once (default 1)"), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Also write the report to FILE, in the format its extension names: .html, .pdf, .md, .json or .txt"), QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON (schema quantscope.fit/1) instead of text."));
    const QCommandLineOption list(QStringLiteral("list-devices"), QStringLiteral("List the hardware database and exit."));
    const QCommandLineOption split(QStringLiteral("split"), QStringLiteral("Also fit the --device GPUs together, as one host splitting the layers (llama.cpp -sm layer)."));
    const QCommandLineOption groupQuant(QStringLiteral("group-quant"),
                                        QStringLiteral("GPTQ/AWQ weights instead of GGUF, METHOD:BITS:GROUP (e.g. gptq:4:128, awq:4:128); with --runtime transformers"),
                                        QStringLiteral("CHOICE"));
    const QCommandLineOption utilization(QStringLiteral("gpu-memory-utilization"),
                                         QStringLiteral("vLLM: the share of each GPU it claims (default 0.9)"), QStringLiteral("F"), QStringLiteral("0.9"));
    for (const auto &o : {demo, preset, plan, rule, device, budget, context, kvType, runtime, batch, report, json, list, split, groupQuant, utilization})
        p.addOption(o);
    const PlanTypeOptions types;
    types.addTo(p);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    auto devices = qs::loadHardware();
    if (!devices) {
        printErr("error: " + devices.error().describe());
        return kExitFailure;
    }
    if (p.isSet(list)) {
        for (const qs::Device &d : *devices)
            std::printf("%-32s %-44s %7.1f GiB usable  %6.0f GB/s\n", d.id.c_str(), d.name.c_str(),
                        static_cast<double>(d.usableBytes()) / (1024.0 * 1024.0 * 1024.0), d.bandwidthGBs);
        return 0;
    }
    if (p.isSet(report)) {
        // where it goes first (a folder, a missing folder: rc 1), then what it is (an unknown extension: rc 2)
        if (const int rc = checkOutput(p.value(report).toStdString(), "--report"); rc != 0)
            return rc;
        if (auto format = qs::reportFormatForPath(p.value(report)); !format) {
            printErr("--report: " + format.error().message);
            return kExitUsage;
        }
    }
    std::string path;
    if (p.isSet(demo))
        path = qs::demoModelPath();
    else if (p.positionalArguments().size() == 1)
        path = p.positionalArguments().first().toStdString();
    if (path.empty()) {
        printErr("fit needs one MODEL (a model folder, .gguf file or config.json), or --demo");
        return kExitUsage;
    }
    qs::EstimateOptions options;
    auto rt = qs::parseRuntime(p.value(runtime).toStdString());
    if (!rt) {
        printErr(rt.error().message);
        return kExitUsage;
    }
    options.runtime = *rt;
    const std::string kvName = p.isSet(kvType) ? p.value(kvType).toStdString()
                                               : (qs::isLlamaCpp(options.runtime) ? "f16" : "bf16");
    auto kv = qs::parseKvCacheType(kvName);
    if (!kv) {
        printErr(kv.error().message);
        return kExitUsage;
    }
    options.kvType = *kv;
    bool okContext = false, okBatch = false;
    options.context = p.value(context).toLongLong(&okContext);
    options.batch = p.value(batch).toInt(&okBatch);
    if (!okContext || options.context <= 0 || options.context > (int64_t(1) << 24) || !okBatch || options.batch <= 0 ||
        options.batch > 4096) {
        printErr("--context must be 1..16777216 tokens and --batch 1..4096");
        return kExitUsage;
    }
    bool okUtilization = false;
    options.gpuMemoryUtilization = p.value(utilization).toDouble(&okUtilization);
    if (!okUtilization || options.gpuMemoryUtilization <= 0 || options.gpuMemoryUtilization > 1) {
        printErr("--gpu-memory-utilization must be a fraction in (0, 1]");
        return kExitUsage;
    }
    if (p.isSet(utilization) && options.runtime != qs::Runtime::Vllm) {
        printErr("--gpu-memory-utilization is vLLM's; add --runtime vllm");
        return kExitUsage;
    }
    std::optional<qs::Plan> chosen;
    if (p.isSet(preset) || p.isSet(plan)) {
        if (p.isSet(preset) && p.isSet(plan)) {
            printErr("give --preset or --plan, not both");
            return kExitUsage;
        }
        chosen.emplace();
        if (const int rc = readPlanOptions(p, preset, plan, rule, &*chosen, &types); rc != 0)
            return rc;
    } else if (p.isSet(rule) || types.anySet(p)) {
        printErr(p.isSet(rule) ? "--rule needs a --preset to refine" : "--output-tensor-type, --token-embedding-type and --pure need a --preset to refine");
        return kExitUsage;
    }
    if (p.isSet(groupQuant)) {
        auto g = qs::IntGroupFormat::parse(p.value(groupQuant).toStdString());
        if (!g) {
            printErr(g.error().message);
            return kExitUsage;
        }
        if (!chosen)
            chosen.emplace();
        chosen->groupQuant = *g;
    }
    std::vector<qs::Device> budgets;
    for (const QString &b : p.values(budget)) {
        auto d = qs::budgetDevice(b.toStdString());
        if (!d) {
            printErr("--budget: " + d.error().message);
            return kExitUsage;
        }
        budgets.push_back(*d);
    }
    std::vector<qs::Device> picked;
    QStringList wanted = p.values(device);
    if (wanted.isEmpty() && budgets.empty()) {
        wanted = QStringList{QStringLiteral("rtx-3060-12gb"), QStringLiteral("rtx-4060-ti-16gb"), QStringLiteral("rtx-4090"),
                             QStringLiteral("rtx-5090"), QStringLiteral("a100-80gb"), QStringLiteral("h100-sxm")};
        if (qs::isLlamaCpp(options.runtime))
            wanted << QStringLiteral("apple-m4-pro-48gb") << QStringLiteral("cpu-ddr5-6000-2ch-64gb");
    }
    for (const QString &w : wanted) {
        if (w == QLatin1String("all")) {
            for (const qs::Device &d : *devices)
                if (qs::isLlamaCpp(options.runtime) || (d.kind == "gpu" && d.vendor == "NVIDIA"))
                    picked.push_back(d);
            continue;
        }
        auto d = qs::findDevice(*devices, w.toStdString());
        if (!d) {
            printErr(d.error().message);
            return kExitUsage;
        }
        picked.push_back(*d);
    }
    picked.insert(picked.end(), budgets.begin(), budgets.end());
    auto subject = qs::fitSubject(path, chosen ? &*chosen : nullptr, options.runtime);
    if (!subject) {
        printErr("error: " + subject.error().describe());
        return kExitFailure;
    }
    if (p.isSet(split) && (picked.size() < 2 || !(p.isSet(device) || p.isSet(budget)))) {
        printErr("--split needs two or more --device GPUs or --budget sizes");
        return kExitUsage;
    }
    if (chosen && !subject->tensors.empty())
        warnAboutPlan(*chosen, subject->tensors, subject->arch);
    auto built = qs::buildFitReport(*subject, options, picked, p.isSet(split));
    if (!built) {
        printErr("error: " + built.error().describe());
        return kExitFailure;
    }
    for (const std::string &w : built->warnings)
        printErr("warning: " + w);
    // the format is checked above, before any work; a failed write leaves no partial report
    if (p.isSet(report)) {
        if (const qs::Status st = qs::writeFitReport(*built, p.value(report)); !st) {
            printErr("error: " + st.error().describe());
            return kExitFailure;
        }
    }
    if (p.isSet(json)) {
        const QByteArray out = QJsonDocument(qs::fitReportJson(*built)).toJson(QJsonDocument::Indented);
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    } else {
        const std::string out = qs::fitReportText(*built);
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace

// Whether the command line asks for a PDF report, which is drawn with QtGui's painter and so needs a
// QGuiApplication (on the offscreen platform: the CLI never opens a window or needs a display).
bool wantsPdf(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        const QByteArray value = a == "--report" && i + 1 < argc ? QByteArray(argv[i + 1]) : a.startsWith("--report=") ? a.mid(9) : QByteArray();
        if (const auto format = qs::reportFormatForPath(QString::fromLocal8Bit(value)); format && *format == qs::ReportFormat::Pdf)
            return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    std::unique_ptr<QCoreApplication> application;
    if (wantsPdf(argc, argv)) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        // the offscreen platform asks for a runtime folder it never uses; on servers without a login session Qt
        // would print a warning about it on every run
        static const QtMessageHandler previous = qInstallMessageHandler(nullptr);
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
            if (!message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
                previous(type, context, message);
        });
        application = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        application = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("quantscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUANTSCOPE_VERSION));

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h") ||
        args[1] == QLatin1String("help")) {
        std::fputs(kUsage, args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? kExitUsage : 0;
    }
    if (args[1] == QLatin1String("--version")) {
        std::printf("quantscope-cli %s\n", QUANTSCOPE_VERSION);
        return 0;
    }
    const QString command = args[1];
    args.removeAt(1); // the sub-parser sees "quantscope-cli [options] [positionals]"
    // core reports errors as values; this is the last line for what still throws (a thread the system refuses to
    // start, memory): the stack unwinds, so every temporary file is removed, and the exit is an error, not an abort
    try {
        if (command == QLatin1String("inspect"))
            return runInspect(args);
        if (command == QLatin1String("quantize"))
            return cli::wantsGroupQuantize(args)     ? cli::runQuantizeGroup(args)
                   : cli::wantsCompensatedGguf(args) ? cli::runQuantizeCompensated(args)
                                                     : runQuantize(args);
        if (command == QLatin1String("analyze") || command == QLatin1String("analyse"))
            return runAnalyze(args);
        if (command == QLatin1String("fit"))
            return runFit(args);
        if (command == QLatin1String("tokenize"))
            return runTokenize(args);
        if (command == QLatin1String("eval") || command == QLatin1String("evaluate"))
            return cli::runEval(args);
        if (command == QLatin1String("imatrix"))
            return cli::runImatrix(args);
        if (command == QLatin1String("sensitivity"))
            return cli::runSensitivity(args);
        if (command == QLatin1String("optimize") || command == QLatin1String("optimise"))
            return cli::runOptimize(args);
    } catch (const std::exception &e) {
        printErr(std::string("error: ") + e.what());
        return kExitFailure;
    }
    printErr("unknown command '" + command.toStdString() + "'\n" + kUsage);
    return kExitUsage;
}
