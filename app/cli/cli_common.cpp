#include "cli_common.h"

#include <csignal>

#include "io/atomic_file.h"
#include "io/small_file.h"
#include "jobs/thread_pool.h"
#include "plan/resolve.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <unistd.h>
#include <cctype>
#include <cstdio>
#include <limits>

namespace cli {

void printErr(const std::string &s) { std::fprintf(stderr, "quantscope-cli: %s\n", s.c_str()); }

// Parses a sub-command's arguments: the exit status when the command is already done (a usage error, or --help
// printed), nothing when it should go on.
std::optional<int> parseOrStop(QCommandLineParser &p, const QStringList &args)
{
    if (!p.parse(args)) {
        printErr(p.errorText().toStdString());
        return kExitUsage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(p.helpText().toLocal8Bit().constData(), stdout);
        return 0;
    }
    return std::nullopt;
}

// --threads N: nothing when absent (every hardware thread), else a count of at least 1. Every job runs on core's
// shared pool, one thread per hardware thread, so a job never gets more than that: a larger count is clamped to
// what will really run, with a note, rather than refused, so that a script written for a bigger machine still runs
// (--threads 99999 used to start 99999 threads, and std::thread's exception aborted the job). Returns 0, or the
// exit status to stop with.
int readThreads(const QCommandLineParser &p, const QCommandLineOption &threads, int *out)
{
    *out = 0;
    if (!p.isSet(threads))
        return 0;
    bool ok = false;
    const QString text = p.value(threads);
    const qlonglong n = text.toLongLong(&ok);
    if (!ok || n < 1) {
        printErr("--threads must be a whole number of threads, 1 or more (not '" + text.toStdString() +
                 "'); leave it out to use every hardware thread");
        return kExitUsage;
    }
    const int requested = static_cast<int>(std::min<qlonglong>(n, std::numeric_limits<int>::max()));
    *out = qs::ThreadPool::effectiveThreads(requested);
    if (*out < n)
        std::fprintf(stderr, "quantscope-cli: note: --threads %lld is more than the %d threads this machine runs at once; using %d\n",
                     n, *out, *out);
    return 0;
}

// An output file is checked before the work starts, not found unwritable after it. Returns 0 or the exit status.
int checkOutput(const std::string &path, const char *option)
{
    if (const qs::Status st = qs::checkOutputPath(path); !st) {
        printErr(std::string("error: ") + option + ": " + st.error().describe());
        return kExitFailure;
    }
    return 0;
}

std::string lowercase(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// The types this build can write, in ggml's order: what a rule or a type option may name.
std::string writableTypeNames()
{
    std::string names;
    for (uint32_t id = 0; id < qs::kGgmlTypeCount; ++id)
        if (const qs::TypeTraits *t = qs::typeTraits(id); t && t->quantize)
            names += (names.empty() ? "" : ", ") + lowercase(t->name);
    return names;
}

// A type named on the command line, which must be one this build writes; the message says which it can.
std::optional<qs::GgmlType> parseWritableType(const std::string &name, const std::string &where)
{
    const auto type = qs::typeFromName(name);
    if (!type) {
        printErr(where + ": '" + name + "' is not a GGUF type; Quantscope can quantize to: " + writableTypeNames());
        return std::nullopt;
    }
    if (!qs::typeTraits(*type).quantize) {
        printErr(where + ": " + lowercase(name) + " is not a format Quantscope can quantize to; it can: " + writableTypeNames());
        return std::nullopt;
    }
    return type;
}

qs::JobControl *g_job = nullptr;

void onInterrupt(int)
{
    if (g_job)
        g_job->cancel(); // the writer notices within one chunk and removes its temporary file
}

void cancelOnInterrupt(qs::JobControl &job)
{
    g_job = &job;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

qs::Result<std::shared_ptr<const qs::Model>> openModelReporting(const std::string &path)
{
    auto model = qs::Model::open(path);
    if (!model)
        printErr("error: " + model.error().describe());
    return model;
}

// --preset NAME | --plan FILE, then --rule REGEX=TYPE... and the type options: into `out`. Returns 0, or the exit
// status to stop with.
int readPlanOptions(const QCommandLineParser &p, const QCommandLineOption &preset, const QCommandLineOption &plan,
                    const QCommandLineOption &rule, qs::Plan *out, const PlanTypeOptions *types)
{
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
        *out = *parsed;
    } else {
        out->preset = p.value(preset).toStdString();
        if (!qs::findPreset(out->preset)) {
            std::string names;
            for (const auto &pr : qs::presets())
                names += (names.empty() ? "" : ", ") + pr.name;
            printErr("unknown preset '" + out->preset + "'; choose one of " + names);
            return kExitUsage;
        }
    }
    for (const QString &r : p.values(rule)) {
        const qsizetype eq = r.lastIndexOf(QLatin1Char('='));
        if (eq <= 0 || eq + 1 == r.size()) {
            printErr("--rule '" + r.toStdString() + "' must be REGEX=TYPE with a type such as q6_k, q8_0, iq4_xs, bf16");
            return kExitUsage;
        }
        const auto type = parseWritableType(r.mid(eq + 1).toStdString(), "--rule '" + r.toStdString() + "'");
        if (!type)
            return kExitUsage;
        const qs::PlanRule parsed{r.left(eq).toStdString(), *type};
        if (const qs::Status ok = qs::checkRule(parsed); !ok) {
            printErr("--rule: " + ok.error().message);
            return kExitUsage;
        }
        out->rules.push_back(parsed);
    }
    return types ? types->apply(p, out) : 0;
}

// What in a plan does nothing on these tensors (a rule that matches nothing, an override naming no tensor), on
// stderr: the work goes on, but a person should know that part of the plan was silently ignored.
void warnAboutPlan(const qs::Plan &plan, const std::vector<qs::PlanTensor> &tensors, const qs::Architecture &arch)
{
    auto decisions = qs::resolvePlan(plan, tensors, arch, false);
    if (!decisions)
        return; // the work itself reports it
    for (const qs::PlanWarning &w : qs::planWarnings(plan, tensors, *decisions))
        std::fprintf(stderr, "quantscope-cli: warning: %s\n", w.text().c_str());
}

qs::JobControl::ProgressFn progressPrinter(const std::string &verb)
{
    const bool tty = ::isatty(STDERR_FILENO);
    const auto start = std::chrono::steady_clock::now();
    auto lastItem = std::make_shared<std::string>();
    return [=](const qs::JobProgress &pr) {
        if (tty) {
            const double f = pr.total ? std::min(1.0, static_cast<double>(pr.done) / static_cast<double>(pr.total)) : 0.0;
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double eta = f > 0 ? secs * (1 - f) / f : 0;
            const int width = 30, fill = static_cast<int>(f * width);
            std::fprintf(stderr, "\r[%s%s] %5.1f%%  ETA %4.0fs  %-32.32s", std::string(static_cast<size_t>(fill), '#').c_str(),
                         std::string(static_cast<size_t>(width - fill), ' ').c_str(), 100 * f, eta, pr.item.c_str());
        } else if (pr.item != *lastItem) {
            std::fprintf(stderr, "%s %s\n", verb.c_str(), pr.item.c_str());
        }
        *lastItem = pr.item;
    };
}

void endProgress()
{
    if (::isatty(STDERR_FILENO))
        std::fputc('\n', stderr);
}

} // namespace cli
