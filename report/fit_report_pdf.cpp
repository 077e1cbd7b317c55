#include "fit_report_pdf.h"

#include <QBuffer>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

// the same colours as the HTML report: weights, KV cache, compute, overhead
const QColor kPartColours[] = {QColor(0x3b, 0x6f, 0xb6), QColor(0xe3, 0x9b, 0x2d), QColor(0x5a, 0xa4, 0x69), QColor(0x9a, 0x9a, 0x9a)};
const char *const kPartNames[] = {"weights", "KV cache", "compute", "overhead"};
const QColor kRed(0xbb, 0x22, 0x22);

QString qstr(const std::string &s) { return QString::fromStdString(s); }

// table cells: GiB without the unit (the heading names it), signed where asked
QString gibNumber(double bytes, bool withSign = false)
{
    const QString n = QString::number(bytes / (1024.0 * 1024.0 * 1024.0), 'f', 2);
    return withSign && bytes >= 0 ? QLatin1Char('+') + n : n;
}

// Lays the report out top to bottom in points (the writer runs at 72 dpi), starting a page when one is full.
class PdfLayout {
public:
    PdfLayout(QPdfWriter &writer, QPainter &painter, QString footer)
        : m_writer(writer), m_p(painter), m_footer(std::move(footer))
    {
        // no ligatures: "fi" stays two letters, so text copied or searched in the PDF finds "fits"
        QFont base = m_p.font();
        base.setStyleStrategy(QFont::PreferNoShaping);
        m_p.setFont(base);
        m_width = writer.width();
        m_height = writer.height() - 18; // the footer's line
        drawFooter();
    }

    QPainter &painter() { return m_p; }
    double width() const { return m_width; }
    double y() const { return m_y; }
    void advance(double h) { m_y += h; }

    // Room for h points, or a new page.
    void ensure(double h)
    {
        if (m_y + h <= m_height || m_y == 0)
            return;
        m_writer.newPage();
        ++m_page;
        m_y = 0;
        drawFooter();
    }

    // keepWithNext: room for that much below as well, so a heading never ends a page alone
    void text(const QString &s, double pointSize, bool bold = false, const QColor &colour = Qt::black, double spaceAfter = 4,
              double keepWithNext = 0)
    {
        setFont(pointSize, bold);
        const QRectF box = m_p.boundingRect(QRectF(0, 0, m_width, 10000), Qt::TextWordWrap, s);
        ensure(box.height() + keepWithNext);
        m_p.setPen(colour);
        m_p.drawText(QRectF(0, m_y, m_width, box.height()), Qt::TextWordWrap, s);
        m_y += box.height() + spaceAfter;
    }

    void setFont(double pointSize, bool bold = false)
    {
        QFont f = m_p.font();
        f.setPointSizeF(pointSize);
        f.setBold(bold);
        m_p.setFont(f);
    }

private:
    void drawFooter()
    {
        m_p.save();
        setFont(7);
        m_p.setPen(Qt::darkGray);
        m_p.drawText(QRectF(0, m_height + 6, m_width, 12), Qt::AlignLeft | Qt::AlignVCenter, m_footer);
        m_p.drawText(QRectF(0, m_height + 6, m_width, 12), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page %1").arg(m_page));
        m_p.restore();
    }

    QPdfWriter &m_writer;
    QPainter &m_p;
    QString m_footer;
    double m_width = 0, m_height = 0, m_y = 0;
    int m_page = 1;
};

void memoryBars(PdfLayout &l, const FitReport &r)
{
    l.text(QStringLiteral("Memory by device"), 12, true, Qt::black, 4, 60);
    double scale = 0;
    for (const DeviceFit &f : r.fits)
        scale = std::max({scale, static_cast<double>(f.memory.total()), static_cast<double>(f.limit)});
    const double nameW = 150, figuresW = 96, rowH = 15, barW = l.width() - nameW - figuresW - 8;
    QPainter &p = l.painter();
    for (const DeviceFit &f : r.fits) {
        l.ensure(rowH);
        const double y = l.y();
        l.setFont(8);
        p.setPen(Qt::black);
        p.drawText(QRectF(0, y, nameW - 6, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(qstr(f.device.name), Qt::ElideRight, static_cast<int>(nameW - 6)));
        const uint64_t parts[] = {f.memory.weights, f.memory.kv.bytes, f.memory.compute, f.memory.overhead + f.memory.allocatorSlack};
        double x = nameW;
        for (int i = 0; i < 4; ++i) {
            const double w = scale > 0 ? static_cast<double>(parts[i]) / scale * barW : 0;
            p.fillRect(QRectF(x, y + 2, w, rowH - 4), kPartColours[i]);
            x += w;
        }
        // the device's usable memory: black where the model fits, red where it does not
        const double limit = nameW + (scale > 0 ? static_cast<double>(f.limit) / scale * barW : 0);
        p.setPen(QPen(f.fits ? QColor(Qt::black) : kRed, 1.5));
        p.drawLine(QPointF(limit, y), QPointF(limit, y + rowH));
        p.setPen(f.fits ? QColor(Qt::black) : kRed);
        p.drawText(QRectF(nameW + barW + 8, y, figuresW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1 / %2").arg(qstr(formatGiB(f.memory.total())), qstr(formatGiB(f.limit))));
        l.advance(rowH);
    }
    l.ensure(16);
    const double y = l.y() + 4;
    l.setFont(8);
    for (int i = 0; i < 4; ++i) {
        const double x = nameW + i * 90;
        p.fillRect(QRectF(x, y, 9, 9), kPartColours[i]);
        p.setPen(Qt::black);
        p.drawText(QRectF(x + 12, y - 2, 76, 13), Qt::AlignLeft | Qt::AlignVCenter, QString::fromLatin1(kPartNames[i]));
    }
    l.advance(18);
    l.text(QStringLiteral("Bars: the estimate. Vertical line: the device's usable memory (red where the model does not fit)."), 8, false,
           Qt::darkGray, 10);
}

void drawContextChart(PdfLayout &l, const FitReport &r)
{
    const ContextChart chart = qs::contextChart(r);
    if (chart.memoryTicks.empty())
        return;
    const double H = 230;
    l.ensure(H + 40);
    l.text(QStringLiteral("Memory against context length (%1 KV cache)").arg(QString::fromLatin1(kvCacheTypeName(r.options.kvType))), 12, true);
    QPainter &p = l.painter();
    const double top = l.y(), left = 52, labelsW = 120, bottom = top + H - 24, right = l.width() - labelsW;
    const double maxY = chart.memoryTop();
    const double lx0 = std::log2(static_cast<double>(chart.contextFrom));
    const double lx1 = std::log2(static_cast<double>(chart.contextTo));
    auto px = [&](int64_t ctx) { return left + (std::log2(static_cast<double>(ctx)) - lx0) / (lx1 - lx0) * (right - left); };
    auto py = [&](double bytes) { return bottom - bytes / maxY * (bottom - top - 6); };
    l.setFont(7);
    p.setPen(QPen(QColor(0xdd, 0xdd, 0xdd), 0.5));
    for (double v : chart.memoryTicks)
        p.drawLine(QPointF(left, py(v)), QPointF(right, py(v)));
    p.setPen(QPen(Qt::black, 0.8));
    p.drawLine(QPointF(left, bottom), QPointF(right, bottom));
    p.drawLine(QPointF(left, top), QPointF(left, bottom));
    for (double v : chart.memoryTicks)
        p.drawText(QRectF(0, py(v) - 6, left - 4, 12), Qt::AlignRight | Qt::AlignVCenter, qstr(formatAxisGiB(v, chart.memoryDecimals)));
    for (int64_t t : chart.contextTicks) {
        p.drawLine(QPointF(px(t), bottom), QPointF(px(t), bottom + 2));
        p.drawText(QRectF(px(t) - 20, bottom + 2, 40, 12), Qt::AlignCenter, qstr(formatTokens(t)));
    }
    p.drawText(QRectF(left, bottom + 13, right - left, 12), Qt::AlignCenter, QStringLiteral("context length (tokens, log scale)"));
    // the requested context: a dotted line, labelled at the top on the side with room
    const double rx = px(r.options.context);
    p.setPen(QPen(QColor(0x88, 0x88, 0x88), 0.8, Qt::DotLine));
    p.drawLine(QPointF(rx, top), QPointF(rx, bottom));
    p.setPen(QColor(0x55, 0x55, 0x55));
    const bool labelLeft = rx > (left + right) / 2;
    p.drawText(QRectF(labelLeft ? rx - 124 : rx + 4, top, 120, 10), (labelLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
               QStringLiteral("requested %1").arg(qstr(formatTokens(r.options.context))));
    // device limits, dashed, labelled on the right (a label that would overlap the one before is left out)
    std::vector<std::pair<double, QString>> limits;
    for (const DeviceFit &f : r.fits)
        if (static_cast<double>(f.limit) <= maxY)
            limits.emplace_back(py(static_cast<double>(f.limit)), qstr(f.device.name));
    std::sort(limits.begin(), limits.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    double lastLabel = -100;
    for (const auto &[yy, name] : limits) {
        p.setPen(QPen(QColor(0xcc, 0x66, 0x66), 0.8, Qt::DashLine));
        p.drawLine(QPointF(left, yy), QPointF(right, yy));
        if (yy - lastLabel >= 9) {
            p.setPen(QColor(0x99, 0x33, 0x33));
            p.drawText(QRectF(right + 4, yy - 5, labelsW - 4, 10), Qt::AlignLeft | Qt::AlignVCenter,
                       p.fontMetrics().elidedText(name, Qt::ElideRight, static_cast<int>(labelsW - 4)));
            lastLabel = yy;
        }
    }
    QPainterPath curve;
    for (size_t i = 0; i < r.curve.size(); ++i) {
        const QPointF pt(px(r.curve[i].context), py(static_cast<double>(r.curve[i].total)));
        if (i == 0)
            curve.moveTo(pt);
        else
            curve.lineTo(pt);
    }
    p.setPen(QPen(kPartColours[0], 1.8));
    p.drawPath(curve);
    p.setBrush(kPartColours[0]);
    for (const ContextPoint &c : r.curve)
        p.drawEllipse(QPointF(px(c.context), py(static_cast<double>(c.total))), 1.8, 1.8);
    p.setBrush(Qt::NoBrush);
    l.advance(H + 8);
}

// A table with a header that is repeated on each new page; the first column is left-aligned, the others right.
void table(PdfLayout &l, const QStringList &header, const std::vector<double> &widths, const std::vector<QStringList> &rows,
           const std::vector<bool> &redRows = {})
{
    QPainter &p = l.painter();
    const double rowH = 13;
    double total = 0;
    for (double w : widths)
        total += w;
    auto drawRow = [&](const QStringList &cells, bool bold, const QColor &colour) {
        l.setFont(7, bold);
        p.setPen(colour);
        double x = 0;
        for (int c = 0; c < cells.size() && c < static_cast<int>(widths.size()); ++c) {
            const double w = widths[static_cast<size_t>(c)] / total * l.width();
            p.drawText(QRectF(x + 2, l.y(), w - 4, rowH), (c == 0 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                       p.fontMetrics().elidedText(cells[c], Qt::ElideRight, static_cast<int>(w - 4)));
            x += w;
        }
        p.setPen(QPen(QColor(0xcc, 0xcc, 0xcc), 0.5));
        p.drawLine(QPointF(0, l.y() + rowH), QPointF(l.width(), l.y() + rowH));
        l.advance(rowH);
    };
    l.ensure(2 * rowH);
    drawRow(header, true, Qt::black);
    for (size_t i = 0; i < rows.size(); ++i) {
        const double before = l.y();
        l.ensure(rowH);
        if (l.y() < before) // a new page: the header again
            drawRow(header, true, Qt::black);
        drawRow(rows[i], false, i < redRows.size() && redRows[i] ? kRed : QColor(Qt::black));
    }
    l.advance(8);
}

void details(PdfLayout &l, const FitReport &r)
{
    l.text(QStringLiteral("Details (memory in GiB)"), 12, true, Qt::black, 4, 60);
    // one column per KV cache type: the longest context each allows
    std::vector<KvCacheType> kvTypes;
    for (const DeviceFit &f : r.fits)
        for (const ContextLimit &c : f.contexts)
            if (std::find(kvTypes.begin(), kvTypes.end(), c.kvType) == kvTypes.end())
                kvTypes.push_back(c.kvType);
    QStringList header = {QStringLiteral("device"), QStringLiteral("usable"), QStringLiteral("total"), QStringLiteral("fits"),
                          QStringLiteral("room")};
    std::vector<double> widths = {26, 8, 8, 5, 8};
    for (KvCacheType t : kvTypes) {
        header << QString::fromLatin1(kvCacheTypeName(t));
        widths.push_back(8);
    }
    header << QStringLiteral("layers") << QStringLiteral("decode") << QStringLiteral("prefill");
    widths.insert(widths.end(), {7, 8, 8});
    std::vector<QStringList> rows;
    std::vector<bool> red;
    for (const DeviceFit &f : r.fits) {
        QStringList row = {qstr(f.device.name), gibNumber(static_cast<double>(f.limit)),
                           gibNumber(static_cast<double>(f.memory.total())), f.fits ? QStringLiteral("yes") : QStringLiteral("no"),
                           gibNumber(static_cast<double>(f.headroom), true)};
        for (KvCacheType t : kvTypes) {
            const auto c = std::find_if(f.contexts.begin(), f.contexts.end(), [t](const ContextLimit &x) { return x.kvType == t; });
            row << (c == f.contexts.end() ? QStringLiteral("n/a") : qstr(formatTokens(c->maxContext)));
        }
        row << QStringLiteral("%1/%2").arg(f.layersOnDevice).arg(r.subject.arch.layers) << qstr(formatRate(f.speed.decodeTokensPerSecond))
            << qstr(formatRate(f.speed.prefillTokensPerSecond));
        rows.push_back(row);
        red.push_back(!f.fits);
    }
    table(l, header, widths, rows, red);
    l.text(QStringLiteral("Room: usable memory left (negative: short by). %1: the longest context that fits with that KV cache type "
                          "(tokens; k = 1024). Layers: on the device when the model does not fit whole. Decode and prefill: "
                          "tokens per second.")
               .arg(QStringList([&] {
                        QStringList names;
                        for (KvCacheType t : kvTypes)
                            names << QString::fromLatin1(kvCacheTypeName(t));
                        return names;
                    }()).join(QStringLiteral(", "))),
           7.5, false, Qt::darkGray, 10);
    if (r.split) {
        l.text(QStringLiteral("Layer split over %1 devices: %2%3")
                   .arg(r.split->shares.size())
                   .arg(r.split->fits ? QStringLiteral("fits") : QStringLiteral("does not fit"))
                   .arg(r.split->hostWeights ? QStringLiteral(" (+%1 in host memory)").arg(qstr(formatGiB(r.split->hostWeights))) : QString()),
               12, true, Qt::black, 4, 60);
        l.text(QStringLiteral("Decode ~%1 tokens/s, prefill ~%2 tokens/s: the devices take their layers in turn.")
                   .arg(qstr(formatRate(r.split->speed.decodeTokensPerSecond)), qstr(formatRate(r.split->speed.prefillTokensPerSecond))),
               8.5, false, Qt::black, 6);
        std::vector<QStringList> splitRows;
        std::vector<bool> splitRed;
        for (const SplitShare &s : r.split->shares) {
            splitRows.push_back({qstr(s.device.name), QStringLiteral("%1-%2").arg(s.firstLayer).arg(s.firstLayer + s.layers - 1),
                                 gibNumber(static_cast<double>(s.weights)), gibNumber(static_cast<double>(s.kv)),
                                 gibNumber(static_cast<double>(s.compute)), gibNumber(static_cast<double>(s.overhead)),
                                 gibNumber(static_cast<double>(s.total())), gibNumber(static_cast<double>(s.headroom()), true)});
            splitRed.push_back(s.headroom() < 0);
        }
        table(l, {QStringLiteral("device"), QStringLiteral("layers"), QStringLiteral("weights"), QStringLiteral("KV cache"), QStringLiteral("compute"),
                  QStringLiteral("overhead"), QStringLiteral("total"), QStringLiteral("headroom")},
              {26, 9, 10, 10, 10, 10, 10, 10}, splitRows, splitRed);
    }
}

} // namespace

Result<QByteArray> fitReportPdf(const FitReport &r)
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return makeError("drawing a PDF needs a QGuiApplication (fonts); none is running");
    if (r.fits.empty())
        return makeError("the report has no device to show");
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 12), QPageLayout::Millimeter);
        writer.setResolution(72); // one unit is one point
        writer.setTitle(QStringLiteral("Hardware fit: ") + qstr(r.subject.label));
        writer.setCreator(QStringLiteral("Quantscope ") + QCoreApplication::applicationVersion());
        QPainter painter;
        if (!painter.begin(&writer))
            return makeError("the PDF could not be started");
        painter.setRenderHint(QPainter::Antialiasing);
        PdfLayout l(writer, painter, QStringLiteral("Quantscope %1 — hardware-fit report (quantscope.fit/1)").arg(QCoreApplication::applicationVersion()));

        const Architecture &a = r.subject.arch;
        l.text(QStringLiteral("Hardware fit: ") + qstr(r.subject.label), 18, true, Qt::black, 6);
        l.text(QStringLiteral("%1%2: %3 layers, %4/%5 attention heads of %6, vocabulary %7")
                   .arg(QString::fromStdString(a.name), r.subject.fromConfigOnly ? QStringLiteral(" (from config.json alone)") : QString())
                   .arg(a.layers)
                   .arg(a.heads)
                   .arg(a.kvHeads)
                   .arg(a.headDim)
                   .arg(a.vocabSize),
               9.5);
        l.text(QStringLiteral("Weights: %1, %2 (%3 parameters). Runtime %4, context %5 tokens, KV cache %6, batch %7.")
                   .arg(qstr(r.subject.weights.description), qstr(formatGiB(r.subject.weights.total)))
                   .arg(r.subject.weights.parameters)
                   .arg(QString::fromLatin1(runtimeName(r.options.runtime)))
                   .arg(r.options.context)
                   .arg(QString::fromLatin1(kvCacheTypeName(r.options.kvType)))
                   .arg(r.options.batch),
               9.5);
        for (const std::string &w : r.warnings)
            l.text(QStringLiteral("Warning: ") + qstr(w), 9.5, true, kRed);
        l.text(qstr(fitRecommendation(r)), 10.5, true, Qt::black, 12);

        memoryBars(l, r);
        drawContextChart(l, r);
        details(l, r);
        if (!r.plansForFirst.empty()) {
            QString presets;
            for (const PlanChoice &pc : r.plansForFirst)
                presets += (presets.isEmpty() ? QString() : QStringLiteral(", ")) + qstr(pc.preset) + QLatin1Char(' ') + qstr(formatGiB(pc.total)) +
                           (pc.fits ? QString() : QStringLiteral(" (no)"));
            l.text(QStringLiteral("Presets on %1 at this context: %2.").arg(qstr(r.fits.front().device.name), presets), 8.5, false, Qt::black, 8);
        }
        const MemoryEstimate &m = r.fits.front().memory;
        l.text(QStringLiteral("Basis: %1%2. Device figures and their public sources: resources/hardware/hardware.json. Speeds are "
                              "estimates from bandwidth and compute peaks with the efficiencies stated in core/vram/memory_estimate.cpp.")
                   .arg(qstr(m.basis), m.validated ? QString() : QStringLiteral(" [not validated against measurements]")),
               7.5, false, Qt::darkGray);
        painter.end();
    }
    buffer.close();
    return bytes;
}

} // namespace qs
