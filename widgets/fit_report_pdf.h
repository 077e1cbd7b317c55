// The hardware-fit report as a PDF (A4, vector): the summary, a stacked memory bar per device against its usable
// memory, memory against context length with each device's limit, the details table, the layer split and the
// recommendation. Drawn with QPainter on a QPdfWriter, so it needs a QGuiApplication (the offscreen platform is
// enough); written to a temporary file and renamed, so a failed or interrupted write leaves nothing behind.
#pragma once

#include "common/result.h"
#include "vram/fit_report.h"

#include <QString>

namespace qs {

Status writeFitReportPdf(const FitReport &report, const QString &path);

} // namespace qs
