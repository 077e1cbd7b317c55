#include "fit_report_file.h"

#include "fit_report_pdf.h"
#include "io/atomic_file.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <span>

namespace qs {

const char *reportExtensions() { return ".html, .htm, .pdf, .md, .markdown, .json, .txt"; }

Result<ReportFormat> reportFormatForPath(const QString &path)
{
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("html") || ext == QLatin1String("htm"))
        return ReportFormat::Html;
    if (ext == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    if (ext == QLatin1String("md") || ext == QLatin1String("markdown"))
        return ReportFormat::Markdown;
    if (ext == QLatin1String("json"))
        return ReportFormat::Json;
    if (ext == QLatin1String("txt"))
        return ReportFormat::Text;
    return makeError(path.toStdString() + ": a report's name must end in one of " + reportExtensions() +
                     (ext.isEmpty() ? std::string(" (it has no extension)") : ", not ." + ext.toStdString()));
}

Status writeFitReport(const FitReport &report, const QString &path)
{
    auto format = reportFormatForPath(path);
    if (!format)
        return format.error();
    const std::string file = path.toStdString();
    switch (*format) {
    case ReportFormat::Pdf: {
        auto pdf = fitReportPdf(report);
        if (!pdf)
            return pdf.error().inFile(file);
        return writeFileAtomically(file, std::span(reinterpret_cast<const uint8_t *>(pdf->constData()), static_cast<size_t>(pdf->size())));
    }
    case ReportFormat::Json:
        return writeFileAtomically(file, QJsonDocument(fitReportJson(report)).toJson(QJsonDocument::Indented).toStdString());
    case ReportFormat::Markdown:
        return writeFileAtomically(file, fitReportMarkdown(report));
    case ReportFormat::Html:
        return writeFileAtomically(file, fitReportHtml(report));
    case ReportFormat::Text:
        return writeFileAtomically(file, fitReportText(report));
    }
    return makeError("unreachable report format").inFile(file);
}

} // namespace qs
