// The hardware-fit report as a PDF (A4, vector): the summary, a stacked memory bar per device against its usable
// memory, memory against context length with each device's limit, the details table, the layer split and the
// recommendation. Drawn with QPainter on a QPdfWriter, so it needs a QGuiApplication (the offscreen platform is
// enough). Drawn into memory (a few hundred kilobytes); fit_report_file.h writes it to a file atomically.
#pragma once

#include "common/result.h"
#include "vram/fit_report.h"

#include <QByteArray>

namespace qs {

Result<QByteArray> fitReportPdf(const FitReport &report);

} // namespace qs
