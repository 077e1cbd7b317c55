// The report library's one entry point: the format a file name asks for (every extension, in any case; an unknown
// one is an error naming the file and the extensions known), and each format written whole, atomically, with
// nothing else left in the folder.
#include "fit_report_file.h"
#include "test_support.h"
#include "vram/fit_report.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs;

Q_DECLARE_METATYPE(qs::ReportFormat)

namespace {

FitReport sampleReport()
{
    const std::string config = test::sourcePath(QStringLiteral("tests/data/vram/configs/llama-3.2-1b.json")).toStdString();
    auto subject = fitSubject(config, nullptr, Runtime::LlamaCppCuda);
    if (!subject)
        qFatal("%s", subject.error().describe().c_str());
    auto devices = loadHardware();
    if (!devices)
        qFatal("%s", devices.error().describe().c_str());
    auto device = findDevice(*devices, "rtx-4090");
    if (!device)
        qFatal("%s", device.error().describe().c_str());
    auto report = buildFitReport(*subject, EstimateOptions{}, {*device});
    if (!report)
        qFatal("%s", report.error().describe().c_str());
    return *report;
}

} // namespace

class TestFitReportFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatForPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<ReportFormat>("format");
        QTest::newRow("html") << "out/fit.html" << ReportFormat::Html;
        QTest::newRow("htm upper case") << "FIT.HTM" << ReportFormat::Html;
        QTest::newRow("pdf") << "/tmp/a.b/fit.pdf" << ReportFormat::Pdf;
        QTest::newRow("md") << "fit.md" << ReportFormat::Markdown;
        QTest::newRow("markdown") << "fit.Markdown" << ReportFormat::Markdown;
        QTest::newRow("json") << "fit.json" << ReportFormat::Json;
        QTest::newRow("txt") << "fit.txt" << ReportFormat::Text;
    }
    void formatForPath()
    {
        QFETCH(QString, path);
        QFETCH(ReportFormat, format);
        const auto got = reportFormatForPath(path);
        QVERIFY2(got.ok(), got ? "" : got.error().message.c_str());
        QCOMPARE(*got, format);
    }

    void unknownExtension_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("says");
        QTest::newRow("docx") << "fit.docx" << "not .docx";
        QTest::newRow("none") << "fit" << "no extension";
        QTest::newRow("backup of a pdf") << "fit.pdf.bak" << "not .bak";
        QTest::newRow("folder with a dot") << "reports.pdf/fit" << "no extension";
    }
    void unknownExtension()
    {
        QFETCH(QString, path);
        QFETCH(QString, says);
        const auto got = reportFormatForPath(path);
        QVERIFY(!got.ok());
        const QString message = QString::fromStdString(got.error().describe());
        QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
        QVERIFY2(message.contains(says), qPrintable(message));
        QVERIFY2(message.contains(".html, .htm, .pdf, .md, .markdown, .json, .txt"), qPrintable(message));
        // and nothing is written
        QTemporaryDir dir;
        QVERIFY(!writeFitReport(sampleReport(), dir.path() + "/" + QFileInfo(path).fileName()).ok());
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void writesEachFormat_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("begins");
        QTest::newRow("html") << "fit.html" << QByteArray("<!DOCTYPE html>");
        QTest::newRow("htm") << "fit.htm" << QByteArray("<!DOCTYPE html>");
        QTest::newRow("pdf") << "fit.pdf" << QByteArray("%PDF-");
        QTest::newRow("md") << "fit.md" << QByteArray("## Hardware fit: configs/llama-3.2-1b.json");
        QTest::newRow("markdown") << "fit.markdown" << QByteArray("## Hardware fit: configs/llama-3.2-1b.json");
        QTest::newRow("json") << "fit.json" << QByteArray("{");
        QTest::newRow("txt") << "fit.txt" << QByteArray("configs/llama-3.2-1b.json (from config.json): llama");
    }
    void writesEachFormat()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, begins);
        const FitReport report = sampleReport();
        QTemporaryDir dir;
        const QString path = dir.path() + "/" + name;
        const Status st = writeFitReport(report, path);
        QVERIFY2(st.ok(), st ? "" : st.error().describe().c_str());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(bytes.startsWith(begins), bytes.left(80).constData());
        if (name.endsWith(".json"))
            QCOMPARE(QJsonDocument::fromJson(bytes).object().value("schema").toString(), QString("quantscope.fit/1"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{name}); // no temporary left
    }

    void unwritablePlace()
    {
        for (const char *name : {"/no/such/dir/fit.pdf", "/no/such/dir/fit.json"}) {
            const Status st = writeFitReport(sampleReport(), QString::fromLatin1(name));
            QVERIFY(!st.ok());
            QVERIFY2(QString::fromStdString(st.error().describe()).contains(name), st.error().describe().c_str());
        }
    }
};

QTEST_MAIN(TestFitReportFile)
#include "tst_fit_report_file.moc"
