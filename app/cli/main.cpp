// quantscope-cli: every studio action as a command. Argument parsing and wiring only; the work is in core.
#include "common/paths.h"
#include "model/model.h"
#include "model/model_report.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>
#include <string>

namespace {

// Exit statuses: 0 success, 1 the input was bad or the work failed, 2 the command line was wrong.
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void printErr(const std::string &s) { std::fprintf(stderr, "quantscope-cli: %s\n", s.c_str()); }

const char *kUsage =
    "Usage: quantscope-cli <command> [options]\n"
    "\n"
    "Commands:\n"
    "  inspect MODEL [--json]   Describe a Hugging Face model folder or a GGUF file: architecture,\n"
    "                           parameters and every tensor. MODEL may be --demo for the built-in model.\n"
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
    if (!p.parse(args)) {
        printErr(p.errorText().toStdString());
        return kExitUsage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(p.helpText().toLocal8Bit().constData(), stdout);
        return 0;
    }
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

    auto model = qs::Model::open(path);
    if (!model) {
        printErr("error: " + model.error().describe());
        return kExitFailure;
    }
    if (p.isSet(json)) {
        const QByteArray out = QJsonDocument(qs::inspectJson(**model)).toJson(QJsonDocument::Indented);
        std::fwrite(out.constData(), 1, static_cast<size_t>(out.size()), stdout);
    } else {
        const std::string out = qs::inspectText(**model);
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return std::fflush(stdout) == 0 ? 0 : kExitFailure;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
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
    if (command == QLatin1String("inspect"))
        return runInspect(args);
    printErr("unknown command '" + command.toStdString() + "'\n" + kUsage);
    return kExitUsage;
}
