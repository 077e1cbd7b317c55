// quantscope: the studio window. Argument parsing and wiring only; the window lives in quantscope-widgets.
#include "language.h"
#include "main_window.h"
#include "quantize_session.h"
#include "tensor_table_model.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <memory>
#include <utility>

namespace {

const QStringList kTabs = {QStringLiteral("histogram"), QStringLiteral("errormap"), QStringLiteral("modelmap")};
const QStringList kMeasures = {QStringLiteral("mean"), QStringLiteral("max"), QStringLiteral("step"), QStringLiteral("signed")};

// Exit statuses, as quantscope-cli's: 0 done, 1 the model or project did not open, 2 a wrong command line.
constexpr int kWrongCommandLine = 2;

struct StudioOptions {
    QCommandLineParser parser;
    QCommandLineOption help = parser.addHelpOption();
    QCommandLineOption version = parser.addVersionOption();
    QCommandLineOption demo{QStringLiteral("demo"), QApplication::translate("main", "Open the built-in demo model")};
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QApplication::translate("main", "Save a PNG of the window once the model is open, then quit"),
                                  QStringLiteral("file")};
    QCommandLineOption analyze{QStringLiteral("analyze"), QApplication::translate("main", "Analyse the model as soon as it is open")};
    QCommandLineOption tab{QStringLiteral("tab"), QApplication::translate("main", "Details view to show: histogram, errormap or modelmap"),
                           QStringLiteral("view")};
    QCommandLineOption measure{QStringLiteral("measure"), QApplication::translate("main", "Error map measure: mean, max, step or signed"),
                               QStringLiteral("measure")};
    QCommandLineOption rule{QStringLiteral("rule"), QApplication::translate("main", "Add a plan rule REGEX=FORMAT (repeatable)"),
                            QStringLiteral("rule")};
    QCommandLineOption group{QStringLiteral("group"), QApplication::translate("main", "Show the tensors grouped by layer")};
    QCommandLineOption evaluate{QStringLiteral("evaluate"),
                                QApplication::translate("main", "Evaluate the original model and the plan as soon as the model is open")};
    QCommandLineOption plan{QStringLiteral("plan"), QApplication::translate("main", "Load a plan (JSON) as soon as the model is open"),
                            QStringLiteral("file")};
    QCommandLineOption quantize{QStringLiteral("quantize"),
                                QApplication::translate("main", "Quantize the plan's GPTQ/AWQ formats into this folder as soon as the model is "
                                                                "open (built-in calibration); with --evaluate, the solved result is evaluated too"),
                                QStringLiteral("folder")};
    QCommandLineOption sensitivity{QStringLiteral("sensitivity"),
                                   QApplication::translate("main", "Measure the sensitivity as soon as the model is open and show it on the model map")};

    StudioOptions()
    {
        parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions); // -stylesheet is not -s -t -y… -h
        parser.setApplicationDescription(QApplication::translate("main", "Quantization studio for large language models"));
        parser.addPositionalArgument(QStringLiteral("file"),
                                     QApplication::translate("main", "Model folder, .gguf file or .qsproj project to open"));
        parser.addOptions({demo, screenshot, analyze, tab, measure, rule, group, evaluate, sensitivity, plan, quantize});
    }
};

[[noreturn]] void wrongCommandLine(const QString &message)
{
    std::fputs(qPrintable(QStringLiteral("quantscope: ") + message + QLatin1Char('\n')), stderr);
    std::exit(kWrongCommandLine);
}

// The index of `option`'s value in `valid`; anything else ends the program with the list of what is valid.
int choice(const StudioOptions &o, const QCommandLineOption &option, const QStringList &valid)
{
    if (!o.parser.isSet(option))
        return -1;
    const QString value = o.parser.value(option);
    const auto i = static_cast<int>(valid.indexOf(value));
    if (i < 0)
        wrongCommandLine(QApplication::translate("main", "--%1 must be one of %2; '%3' is not")
                             .arg(option.names().first(), valid.join(QStringLiteral(", ")), value));
    return i;
}

// --help, --version and wrong values need no window, so they are answered before QApplication exists: it needs a
// display, which a terminal on a server does not have. Options Qt's GUI takes (-platform, -style…) are unknown to
// this first pass and pass through to QApplication, which removes them before the second pass parses strictly.
void answerWithoutDisplay(int argc, char **argv)
{
    QCoreApplication console(argc, argv);
    qs::setAppLanguage(qs::preferredLanguage()); // the help in the interface's language
    StudioOptions o;
    const bool parsed = o.parser.parse(console.arguments());
    if (o.parser.isSet(QStringLiteral("help-all")))
        o.parser.process(QStringList{console.arguments().first(), QStringLiteral("--help-all")}); // prints and exits
    if (o.parser.isSet(o.help))
        o.parser.showHelp(0);
    if (o.parser.isSet(o.version))
        o.parser.showVersion();
    if (!parsed && o.parser.unknownOptionNames().isEmpty()) // a missing value, say; unknown names may be Qt's
        wrongCommandLine(o.parser.errorText());
    choice(o, o.tab, kTabs);
    choice(o, o.measure, kMeasures);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    QApplication::setOrganizationDomain(QStringLiteral("quantscope.org"));
    QApplication::setApplicationName(QStringLiteral("Quantscope"));
    QApplication::setApplicationVersion(QStringLiteral(QUANTSCOPE_VERSION));
    answerWithoutDisplay(argc, argv);

    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("org.quantscope.Quantscope"));
    qs::setAppLanguage(qs::preferredLanguage());
    StudioOptions o;
    if (!o.parser.parse(app.arguments()))
        wrongCommandLine(o.parser.errorText());
    if (o.parser.positionalArguments().size() > 1)
        wrongCommandLine(QApplication::translate("main", "open one model or project at a time; got %1")
                             .arg(o.parser.positionalArguments().join(QStringLiteral(", "))));
    const int tab = choice(o, o.tab, kTabs);
    const int measure = choice(o, o.measure, kMeasures);

    qs::MainWindow window;
    window.show();
    if (tab >= 0)
        window.showDetailsTab(tab);
    if (measure >= 0)
        window.setHeatmapMeasure(measure);
    if (o.parser.isSet(o.group))
        window.setGroupByLayer(true);
    if (o.parser.isSet(o.rule))
        QObject::connect(&window, &qs::MainWindow::modelOpened, &window, [&window, rules = o.parser.values(o.rule)] {
            for (const QString &r : rules) {
                const qsizetype eq = r.lastIndexOf(QLatin1Char('='));
                window.addRule(r.left(eq), eq > 0 ? r.mid(eq + 1) : QString());
            }
        });
    if (o.parser.isSet(o.plan))
        QObject::connect(
            &window, &qs::MainWindow::modelOpened, &window, [&window, file = o.parser.value(o.plan)] { window.loadPlan(file); },
            Qt::SingleShotConnection); // for the model of the command line, not every model opened later
    const bool quantizing = o.parser.isSet(o.quantize);
    if (quantizing)
        QObject::connect(
            &window, &qs::MainWindow::modelOpened, &window,
            [&window, folder = o.parser.value(o.quantize)] {
                qs::QuantizeSettings settings;
                settings.folder = folder;
                settings.format = qs::defaultCheckpointFormat(window.plan());
                window.quantize(settings);
            },
            Qt::SingleShotConnection); // once: a model opened later must not replace this folder
    if (quantizing) // show the weight the solver measured worst
        QObject::connect(&window, &qs::MainWindow::quantizeFinished, &window, [&window](bool ok) {
            int worst = -1;
            for (int r = 0; ok && r < window.tensorTable()->rowCount(); ++r)
                if (std::isfinite(window.tensorTable()->solverValue(r)) &&
                    (worst < 0 || window.tensorTable()->solverValue(r) > window.tensorTable()->solverValue(worst)))
                    worst = r;
            if (worst >= 0)
                window.selectTensor(worst);
        });
    if (o.parser.isSet(o.screenshot)) {
        window.resize(1400, 900); // the same picture whatever the screen, with room for the charts
        const QString file = o.parser.value(o.screenshot);
        // a failed open is pictured too (the banner says why), and the exit status says so
        auto grab = [&window, file, grabbing = std::make_shared<bool>(false)](bool opened) {
            if (std::exchange(*grabbing, true))
                return; // a failed project open also fails its model's open: one picture, the first outcome
            // let layouts settle and the table paint before grabbing
            QTimer::singleShot(300, &window, [&window, file, opened] {
                const bool saved = window.grab().save(file);
                if (!opened)
                    std::fputs(qPrintable(window.lastError() + QLatin1Char('\n')), stderr);
                QApplication::exit(saved && opened ? 0 : 1);
            });
        };
        if (o.parser.isSet(o.sensitivity))
            QObject::connect(&window, &qs::MainWindow::sensitivityFinished, &window, grab);
        else if (o.parser.isSet(o.evaluate))
            QObject::connect(&window, &qs::MainWindow::nextTokenShown, &window, grab);
        else if (quantizing)
            QObject::connect(&window, &qs::MainWindow::quantizeFinished, &window, grab);
        else if (o.parser.isSet(o.analyze))
            QObject::connect(&window, &qs::MainWindow::analysisFinished, &window, grab);
        else
            QObject::connect(&window, &qs::MainWindow::modelOpened, &window, [grab] { grab(true); });
        QObject::connect(&window, &qs::MainWindow::modelOpenFailed, &window, [grab] { grab(false); });
        QObject::connect(&window, &qs::MainWindow::projectOpened, &window, [grab](bool ok) {
            if (!ok)
                grab(false);
        });
    }
    if (o.parser.isSet(o.analyze)) {
        QObject::connect(&window, &qs::MainWindow::modelOpened, &window, [&window] { window.startAnalysis(); });
        // show the tensor that suffers most
        QObject::connect(&window, &qs::MainWindow::analysisFinished, &window, [&window](bool ok) {
            if (!ok || !window.analysis() || window.analysis()->tensors.empty())
                return;
            const qs::TensorAnalysis *worst = &window.analysis()->tensors.front();
            for (const auto &t : window.analysis()->tensors)
                if (t.candidates.front().errors.relativeError() > worst->candidates.front().errors.relativeError())
                    worst = &t;
            window.selectTensor(static_cast<int>(worst->index));
        });
    }
    if (o.parser.isSet(o.evaluate)) {
        // the original's row, then the plan's, then the next tokens of the default prompt
        // (with --quantize: once it has finished, and the solved result after the plan's stand-in)
        if (quantizing)
            QObject::connect(&window, &qs::MainWindow::quantizeFinished, &window, [&window](bool ok) {
                if (ok)
                    window.evaluateOriginal();
            });
        else
            QObject::connect(&window, &qs::MainWindow::modelOpened, &window, [&window] { window.evaluateOriginal(); });
        QObject::connect(&window, &qs::MainWindow::evaluationFinished, &window, [&window, quantizing, runs = std::make_shared<int>(0)](bool ok) {
            ++*runs;
            if (*runs == 1 && ok)
                window.evaluatePlan();
            else if (*runs == 2 && ok && quantizing)
                window.evaluateSolved();
            else
                window.predictNextTokens();
        });
    }
    if (o.parser.isSet(o.sensitivity))
        QObject::connect(&window, &qs::MainWindow::modelOpened, &window, [&window] { window.measureSensitivity(); });
    if (o.parser.isSet(o.demo))
        window.openDemoModel();
    else if (!o.parser.positionalArguments().isEmpty())
        window.openFile(o.parser.positionalArguments().first());
    return app.exec();
}
