// What every quantscope-cli command shares: exit statuses, messages, --threads, output checks, and the plan options
// (--preset/--plan/--rule and llama-quantize's type options).
#pragma once

#include "jobs/job_control.h"
#include "model/architecture.h"
#include "model/model.h"
#include "plan/plan.h"

#include <QCommandLineParser>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

// Exit statuses: 0 success, 1 the input was bad or the work failed, 2 the command line was wrong.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void printErr(const std::string &s);
// Parses a sub-command's arguments: the exit status when the command is already done (a usage error, or --help
// printed), nothing when it should go on.
std::optional<int> parseOrStop(QCommandLineParser &p, const QStringList &args);
// --threads N: 0 when absent; returns 0, or the exit status to stop with.
int readThreads(const QCommandLineParser &p, const QCommandLineOption &threads, int *out);
// An output file is checked before the work starts. Returns 0 or the exit status.
int checkOutput(const std::string &path, const char *option);
std::string lowercase(std::string_view s);
std::string writableTypeNames();
std::optional<qs::GgmlType> parseWritableType(const std::string &name, const std::string &where);

// llama-quantize's type options, on top of a preset or plan (they override what a plan file says).
struct PlanTypeOptions {
    QCommandLineOption outputType{QStringLiteral("output-tensor-type"),
                                  QStringLiteral("Type for output.weight (llama-quantize --output-tensor-type)"), QStringLiteral("TYPE")};
    QCommandLineOption tokenEmbeddingType{QStringLiteral("token-embedding-type"),
                                          QStringLiteral("Type for token_embd.weight (llama-quantize --token-embedding-type)"),
                                          QStringLiteral("TYPE")};
    QCommandLineOption pure{QStringLiteral("pure"),
                            QStringLiteral("Every quantized tensor gets the preset's default type: none of its per-role and "
                                           "per-layer choices (rules, overrides and the type options still apply)")};

    void addTo(QCommandLineParser &p) const
    {
        for (const auto &o : {outputType, tokenEmbeddingType, pure})
            p.addOption(o);
    }
    bool anySet(const QCommandLineParser &p) const { return p.isSet(outputType) || p.isSet(tokenEmbeddingType) || p.isSet(pure); }
    // Returns 0, or the exit status to stop with.
    int apply(const QCommandLineParser &p, qs::Plan *plan) const
    {
        if (p.isSet(outputType)) {
            const auto t = parseWritableType(p.value(outputType).toStdString(), "--output-tensor-type");
            if (!t)
                return kExitUsage;
            plan->outputType = *t;
        }
        if (p.isSet(tokenEmbeddingType)) {
            const auto t = parseWritableType(p.value(tokenEmbeddingType).toStdString(), "--token-embedding-type");
            if (!t)
                return kExitUsage;
            plan->tokenEmbeddingType = *t;
        }
        if (p.isSet(pure))
            plan->pure = true;
        return 0;
    }
};

// Progress on stderr: a bar with ETA on a terminal, one line per new item otherwise ("<verb> <item>").
qs::JobControl::ProgressFn progressPrinter(const std::string &verb);
// Ends the bar's line on a terminal.
void endProgress();

// The job Ctrl-C cancels (SIGINT/SIGTERM call onInterrupt).
extern qs::JobControl *g_job;
void onInterrupt(int);
// Makes `job` the one SIGINT and SIGTERM cancel.
void cancelOnInterrupt(qs::JobControl &job);
// The model at `path` (a Hugging Face folder or a GGUF file); an error after saying why on stderr ("error: ...").
qs::Result<std::shared_ptr<const qs::Model>> openModelReporting(const std::string &path);
// --preset NAME | --plan FILE, then --rule REGEX=TYPE... and the type options: into `out`. Returns 0, or the exit
// status to stop with.
int readPlanOptions(const QCommandLineParser &p, const QCommandLineOption &preset, const QCommandLineOption &plan,
                    const QCommandLineOption &rule, qs::Plan *out, const PlanTypeOptions *types = nullptr);
void warnAboutPlan(const qs::Plan &plan, const std::vector<qs::PlanTensor> &tensors, const qs::Architecture &arch);

} // namespace cli
