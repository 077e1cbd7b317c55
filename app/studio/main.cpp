// quantscope: the studio window. Argument parsing and wiring only; the window lives in quantscope-widgets.
#include "language.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    QApplication::setOrganizationDomain(QStringLiteral("quantscope.org"));
    QApplication::setApplicationName(QStringLiteral("Quantscope"));
    QApplication::setApplicationVersion(QStringLiteral(QUANTSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.quantscope.Quantscope"));

    qs::setAppLanguage(qs::preferredLanguage());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Quantization studio for large language models"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"), QApplication::translate("main", "Model folder or .gguf file to open"));
    const QCommandLineOption demo(QStringLiteral("demo"), QApplication::translate("main", "Open the built-in demo model"));
    parser.addOption(demo);
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QApplication::translate("main", "Save a PNG of the window once the model is open, then quit"),
                                        QStringLiteral("file"));
    parser.addOption(screenshot);
    const QCommandLineOption analyze(QStringLiteral("analyze"), QApplication::translate("main", "Analyse the model as soon as it is open"));
    parser.addOption(analyze);
    const QCommandLineOption tab(QStringLiteral("tab"), QApplication::translate("main", "Details view to show: histogram, errormap or modelmap"),
                                 QStringLiteral("view"));
    parser.addOption(tab);
    const QCommandLineOption measure(QStringLiteral("measure"),
                                     QApplication::translate("main", "Error map measure: mean, max, step or signed"), QStringLiteral("measure"));
    parser.addOption(measure);
    const QCommandLineOption rule(QStringLiteral("rule"), QApplication::translate("main", "Add a plan rule REGEX=FORMAT (repeatable)"),
                                  QStringLiteral("rule"));
    parser.addOption(rule);
    const QCommandLineOption group(QStringLiteral("group"), QApplication::translate("main", "Show the tensors grouped by layer"));
    parser.addOption(group);
    parser.process(app);

    qs::MainWindow window;
    window.show();
    if (parser.isSet(tab)) {
        const QStringList tabs = {QStringLiteral("histogram"), QStringLiteral("errormap"), QStringLiteral("modelmap")};
        window.showDetailsTab(std::max(0, static_cast<int>(tabs.indexOf(parser.value(tab)))));
    }
    if (parser.isSet(measure)) {
        const QStringList measures = {QStringLiteral("mean"), QStringLiteral("max"), QStringLiteral("step"), QStringLiteral("signed")};
        window.setHeatmapMeasure(std::max(0, static_cast<int>(measures.indexOf(parser.value(measure)))));
    }
    if (parser.isSet(group))
        window.setGroupByLayer(true);
    if (parser.isSet(rule))
        QObject::connect(&window, &qs::MainWindow::modelOpened, &window, [&window, rules = parser.values(rule)] {
            for (const QString &r : rules) {
                const qsizetype eq = r.lastIndexOf(QLatin1Char('='));
                window.addRule(r.left(eq), eq > 0 ? r.mid(eq + 1) : QString());
            }
        });
    if (parser.isSet(screenshot)) {
        window.resize(1400, 900); // the same picture whatever the screen, with room for the charts
        const QString file = parser.value(screenshot);
        auto grab = [&window, file](const QString &) {
            // let layouts settle and the table paint before grabbing
            QTimer::singleShot(300, &window, [&window, file] {
                const bool ok = window.grab().save(file);
                QApplication::exit(ok ? 0 : 1);
            });
        };
        if (parser.isSet(analyze))
            QObject::connect(&window, &qs::MainWindow::analysisFinished, &window, [grab] { grab(QString()); });
        else
            QObject::connect(&window, &qs::MainWindow::modelOpened, &window, grab);
        QObject::connect(&window, &qs::MainWindow::modelOpenFailed, &window, grab);
    }
    if (parser.isSet(analyze)) {
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
    if (parser.isSet(demo))
        window.openDemoModel();
    else if (!parser.positionalArguments().isEmpty())
        window.openModel(parser.positionalArguments().first());
    return app.exec();
}
