// quantscope-cli optimize MODEL --project P --budget 4.5bpw|13MiB|PRESET|rtx-4090@8k -o plan.json: reads the
// sensitivity measured into the project (and its analysis, the proxy where nothing was measured), allocates formats
// to the budget and writes an ordinary plan (base preset + per-tensor overrides).
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
        "keeps what the base preset gives it. Where the project holds no measurement for a tensor or format, the analysis' "
        "squared weight error stands in, scaled by a factor fitted on the measured ones (with none measured, a default: "
        "the output then says the plan rests on a proxy). A device budget (rtx-4090@8k) allows the most tensor bytes whose "
        "estimated memory at that context (weights, KV cache, compute buffers, runtime overhead; as quantscope-cli fit "
        "estimates it) fits the device. The result is an ordinary plan file."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("Hugging Face model folder or .gguf file"));
    const QCommandLineOption project(QStringLiteral("project"), QStringLiteral("Project holding the measured sensitivity (quantscope-cli sensitivity "
                                                                               "MODEL --project P --formats ...)"), QStringLiteral("FILE"));
    const QCommandLineOption budget(QStringLiteral("budget"),
                                    QStringLiteral("Bits per weight (4.5bpw), tensor bytes (13MiB, 13.5MB, 46297824), a preset's name (as many bytes "
                                                   "as that preset takes) or a device at a context, DEVICE@CONTEXT[:RUNTIME] (rtx-4090@8k, "
                                                   "rtx-4090@8k:llama.cpp, a100-80gb@32k:vllm; k = 1024 tokens; devices as quantscope-cli fit "
                                                   "--list-devices lists them; the runtime defaults to --runtime)"),
                                    QStringLiteral("B"));
    const QCommandLineOption runtime(QStringLiteral("runtime"),
                                     QStringLiteral("What will run the plan: llama.cpp (default; on Apple devices Metal, on CPUs its CPU backend) or "
                                                    "vllm. llama.cpp loads q/k/v and gate/up as tensors of their own, so any mix of formats "
                                                    "runs; vLLM fuses each layer's q/k/v and gate/up, which must then be all quantized or all "
                                                    "unquantized (their quantized types may differ)"),
                                     QStringLiteral("R"));
    const QCommandLineOption kvType(QStringLiteral("kv-type"),
                                    QStringLiteral("KV cache type for a device budget: f16, q8_0, q4_0 (llama.cpp), bf16, fp8 (vLLM); default f16 "
                                                   "(llama.cpp), bf16 (vLLM)"),
                                    QStringLiteral("T"));
    const QCommandLineOption imatrix(QStringLiteral("imatrix"), QStringLiteral("The importance matrix the plan will be quantized with (the base "
                                                                               "preset and a preset budget are sized as llama-quantize sizes them with it)"),
                                     QStringLiteral("FILE"));
    const QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("Base preset for what is not allocated (default Q4_K_M)"), QStringLiteral("NAME"),
                                    QStringLiteral("Q4_K_M"));
    const QCommandLineOption pin(QStringLiteral("pin"), QStringLiteral("Keep a tensor in a type: NAME=TYPE (repeatable)"), QStringLiteral("NAME=TYPE"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Plan file to write (JSON)"),
                                    QStringLiteral("FILE"));
    for (const auto &o : {project, budget, runtime, kvType, preset, pin, imatrix, output})
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
    // the runtime: --runtime, else the device budget's, else llama.cpp; the two must agree where both are given
    qs::Runtime planRuntime = qs::Runtime::LlamaCppCuda;
    if (p.isSet(runtime)) {
        auto r = qs::parseRuntime(p.value(runtime).toStdString());
        if (!r || *r == qs::Runtime::Transformers) {
            printErr("--runtime: " + (r ? std::string("transformers runs Hugging Face checkpoints, not GGUF plans") : r.error().message) +
                     "; optimize plans for llama.cpp or vllm");
            return kExitUsage;
        }
        planRuntime = *r;
    }
    if (b->device) {
        if (b->device->runtimeGiven && p.isSet(runtime) && qs::isLlamaCpp(b->device->runtime) != qs::isLlamaCpp(planRuntime)) {
            printErr("--budget names the runtime " + std::string(qs::runtimeName(b->device->runtime)) + " but --runtime says " +
                     qs::runtimeName(planRuntime) + "; give one");
            return kExitUsage;
        }
        if (b->device->runtimeGiven)
            planRuntime = b->device->runtime;
        else
            b->device->runtime = planRuntime;
        if (planRuntime == qs::Runtime::Vllm && b->device->device.kind != "gpu") {
            printErr("--budget: vLLM runs on GPUs with CUDA or ROCm, which " + b->device->device.name + " is not");
            return kExitUsage;
        }
        b->device->kvType = qs::isLlamaCpp(planRuntime) ? qs::KvCacheType::F16 : qs::KvCacheType::BF16;
        if (p.isSet(kvType)) {
            auto kv = qs::parseKvCacheType(p.value(kvType).toStdString());
            if (!kv || !qs::runtimeSupports(planRuntime, *kv)) {
                printErr("--kv-type: " + (kv ? std::string(qs::runtimeName(planRuntime)) + " has no " + p.value(kvType).toStdString() + " KV cache"
                                             : kv.error().message));
                return kExitUsage;
            }
            b->device->kvType = *kv;
        }
    } else if (p.isSet(kvType)) {
        printErr("--kv-type sizes the KV cache of a device budget (--budget DEVICE@CONTEXT)");
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
    auto model = openModelReporting(p.positionalArguments().first().toStdString());
    if (!model)
        return kExitFailure;
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
    qs::AllocateOptions allocation;
    allocation.pinned = pins;
    allocation.hasImatrix = hasImatrix;
    allocation.runtime = planRuntime;
    allocation.analysis = &proj->analysis;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = qs::allocatePlan(**model, basePlan, proj->sensitivity, *b, allocation);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
        printErr("error: " + r.error().describe());
        return kExitFailure;
    }
    if (auto st = qs::writeFileAtomically(out, r->plan.toJson()); !st) {
        printErr("error: " + st.error().describe());
        return kExitFailure;
    }
    // a device budget names its runtime already
    const std::string target = b->device ? b->text() : b->text() + " for " + qs::runtimeName(planRuntime);
    std::printf("wrote %s: %d weights allocated to %s in %.1f ms; tensors %llu bytes (%.4f bpw) of %llu allowed, predicted KLD "
                "(sum of %s) %.6f\n",
                out.c_str(), r->allocated, target.c_str(), ms, static_cast<unsigned long long>(r->bytes),
                r->bitsPerWeight(), static_cast<unsigned long long>(r->budgetBytes), r->restsOnProxy() ? "measured and proxy" : "measured",
                r->predictedKld);
    for (const std::string &note : r->notes)
        std::printf("note: %s\n", note.c_str());
    if (auto cmd = r->plan.llamaQuantizeCommand("MODEL-BF16.gguf", "OUT.gguf")) // GGUF overrides only: always expressible
        std::printf("llama-quantize: %s\n", cmd->c_str());
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace cli
