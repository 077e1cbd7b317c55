// The one way a fit report reaches a file, for the CLI (`fit --report`) and the studio alike: the format is the
// one the file name's extension asks for, and the file appears complete or not at all (io/atomic_file.h).
#pragma once

#include "common/result.h"
#include "vram/fit_report.h"

#include <QString>

namespace qs {

enum class ReportFormat { Text, Json, Markdown, Html, Pdf };

// The extensions known, for messages and file dialogs: ".html, .htm, .pdf, .md, .markdown, .json, .txt".
const char *reportExtensions();

// The format `path` asks for by its extension, in any case: .html/.htm, .pdf, .md/.markdown, .json, .txt. Any other
// (or none) is an error naming the path and the extensions known.
Result<ReportFormat> reportFormatForPath(const QString &path);

// Writes `report` to `path` in the format of its extension, atomically. A PDF is drawn with QtGui's painter and so
// needs a QGuiApplication (the offscreen platform is enough).
Status writeFitReport(const FitReport &report, const QString &path);

} // namespace qs
