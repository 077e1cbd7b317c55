// quantscope-cli optimize MODEL --project P --budget 4.5bpw|13MiB -o plan.json: reads the sensitivity measured into
// the project, allocates formats to the budget and writes an ordinary plan (base preset + per-tensor overrides).
#include "optimize_command.h"

#include "cli_common.h"
#include "io/atomic_file.h"
#include "pipeline/allocate_plan.h"
#include "plan/imatrix.h"
#include "project/project_file.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <chrono>
#include <cstdio>

namespace cli {

int runOptimize(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The plan of least measured damage within a budget: every weight whose sensitivity the project holds gets the GGUF "
        "format that, over the whole model, keeps the sum of the measured KL-divergences least within the bytes; the rest "
        "keeps what the base preset gives it. The result is an ordinary plan file."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption project(QStringLiteral("project"), QStringLiteral("Project holding the measured sensitivity (quantscope-cli sensitivity "
                                                                               "MODEL --project P --formats ...)"), QStringLiteral("FILE"));
    const QCommandLineOption budget(QStringLiteral("budget"), QStringLiteral("Bits per weight (4.5bpw), tensor bytes (13MiB, 13.5MB, 46297824) or a "
                                                                             "preset's name: as many bytes as that preset takes"),
                                    QStringLiteral("B"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("The importance matrix the plan will be quantized with (the base "
                                                                               "preset and a preset budget are sized as llama-quantize sizes them with it)"),
                                     QStringLiteral("FILE"));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("Base preset for what is not allocated (default Q4_K_M)"), QStringLiteral("NAME"),
                                    QStringLiteral("Q4_K_M"));
    const QCommandLineOption pin(QStringLiteral("pin"), QStringLiteral("Keep a tensor in a type: NAME=TYPE (repeatable)"), QStringLiteral("NAME=TYPE"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Plan file to write (JSON)"),
                                    QStringLiteral("FILE"));
    for (const auto &o : {project, budget, preset, pin, imatrix, output})
        p.addOption(o);
    if (const auto stop = parseOrStop(p, args))
        return *stop;
    if (p.positionalArguments().size() != 1 || !p.isSet(project) || !p.isSet(budget) || !p.isSet(output)) {
        printErr("optimize needs one MODEL, --project P, --budget B and -o plan.json");
        return kExitUsage;
    }
    const qs::Preset *budgetPreset = qs::findPreset(p.value(budget).toStdString());
    auto b = budgetPreset ? qs::Result<qs::Budget>(qs::Budget{}) : qs::Budget::parse(p.value(budget).toStdString());
    if (!b) {
        printErr("--budget: " + b.error().message);
        return kExitUsage;
    }
    const qs::Preset *base = qs::findPreset(p.value(preset).toStdString());
    if (!base) {
        printErr("--preset: unknown preset '" + p.value(preset).toStdString() + "'");
        return kExitUsage;
    }
    const std::string out = p.value(output).toStdString();
    if (const int rc = checkOutput(out, "-o"); rc != 0)
        return rc;
    auto model = qs::Model::open(p.positionalArguments().first().toStdString());
    if (!model) {
        printErr("error: " + model.error().describe());
        return kExitFailure;
    }
    auto proj = qs::loadProject(p.value(project).toStdString());
    if (!proj) {
        printErr("error: " + proj.error().describe());
        return kExitFailure;
    }
    if (const std::string change = qs::describeModelChange(*proj, **model); !change.empty()) {
        printErr("error: " + p.value(project).toStdString() + " was made for another model (" + change + ")");
        return kExitFailure;
    }
    const bool hasImatrix = p.isSet(imatrix);
    if (hasImatrix)
        if (auto im = qs::loadImportanceMatrix(p.value(imatrix).toStdString()); !im) {
            printErr("error: " + im.error().describe());
            return kExitFailure;
        }
    if (budgetPreset) {
        qs::Plan presetPlan;
        presetPlan.preset = budgetPreset->name;
        auto bytes = qs::planTensorBytes(**model, presetPlan, hasImatrix);
        if (!bytes) {
            printErr("error: " + bytes.error().describe());
            return kExitFailure;
        }
        *b = qs::Budget{qs::Budget::Kind::Bytes, static_cast<double>(*bytes)};
        std::fprintf(stderr, "budget: %s takes %llu tensor bytes on this model\n", budgetPreset->name.c_str(), static_cast<unsigned long long>(*bytes));
    }
    qs::Plan basePlan;
    basePlan.preset = base->name;
    std::vector<std::string> pins;
    for (const QString &v : p.values(pin))
        pins.push_back(v.toStdString());
    const auto t0 = std::chrono::steady_clock::now();
    auto r = qs::allocatePlan(**model, basePlan, proj->sensitivity, *b, pins, hasImatrix);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
        printErr("error: " + r.error().describe());
        return kExitFailure;
    }
    if (auto st = qs::writeFileAtomically(out, r->plan.toJson()); !st) {
        printErr("error: " + st.error().describe());
        return kExitFailure;
    }
    std::printf("wrote %s: %d weights allocated to %s in %.1f ms; tensors %llu bytes (%.4f bpw) of %llu allowed, predicted KLD "
                "(sum of measured) %.6f\n",
                out.c_str(), r->allocated, b->text().c_str(), ms, static_cast<unsigned long long>(r->bytes), r->bitsPerWeight(),
                static_cast<unsigned long long>(r->budgetBytes), r->predictedKld);
    if (auto cmd = r->plan.llamaQuantizeCommand("MODEL-BF16.gguf", "OUT.gguf")) // GGUF overrides only: always expressible
        std::printf("llama-quantize: %s\n", cmd->c_str());
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace cli
