#include "vram_bar.h"

#include "number_text.h"

#include <QEvent>
#include <QPainter>

#include <algorithm>

namespace qs {

namespace {

const QColor kPart[] = {QColor(0x3b, 0x6f, 0xb6), QColor(0xe3, 0x9b, 0x2d), QColor(0x5a, 0xa4, 0x69), QColor(0x9a, 0x9a, 0x9a)};
const QColor kLevel[] = {QColor(0x2e, 0x8b, 0x57), QColor(0xe6, 0x9b, 0x00), QColor(0xc0, 0x39, 0x2b)};

} // namespace

VramBar::VramBar(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    updateText();
}

void VramBar::setEstimate(const MemoryEstimate &estimate, uint64_t capacityBytes, const QString &deviceName)
{
    m_estimate = estimate;
    m_capacity = capacityBytes;
    m_device = deviceName;
    m_message.clear();
    m_valid = true;
    const double fraction = capacityBytes ? static_cast<double>(estimate.total()) / static_cast<double>(capacityBytes) : 2.0;
    m_level = fraction > 1.0 ? Level::Over : fraction > 0.85 ? Level::Tight : Level::Fits;
    updateText();
    update();
}

void VramBar::clear(const QString &why)
{
    m_message = why;
    m_valid = false;
    m_level = Level::Fits;
    updateText();
    update();
}

void VramBar::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::LanguageChange)
        updateText();
    QWidget::changeEvent(e);
}

void VramBar::updateText()
{
    setAccessibleName(tr("Memory against the device"));
    if (!m_valid) {
        setToolTip(m_message.isEmpty() ? tr("Open a model to see the memory it needs") : m_message);
        setAccessibleDescription(m_message);
        return;
    }
    const MemoryEstimate &m = m_estimate;
    const int64_t headroom = static_cast<int64_t>(m_capacity) - static_cast<int64_t>(m.total());
    QString tip = tr("%1 of %2 on %3").arg(bytesText(m.total()), bytesText(m_capacity), m_device) + QLatin1Char('\n') +
                  tr("weights %1, KV cache %2, compute %3, overhead %4")
                      .arg(bytesText(m.weights), bytesText(m.kv.bytes), bytesText(m.compute), bytesText(m.overhead + m.allocatorSlack));
    if (m.hostWeights)
        tip += QLatin1Char('\n') + tr("%1 of weights stay in host memory").arg(bytesText(m.hostWeights));
    tip += QLatin1Char('\n') + (headroom >= 0 ? tr("%1 to spare").arg(bytesText(static_cast<uint64_t>(headroom)))
                                              : tr("short by %1").arg(bytesText(static_cast<uint64_t>(-headroom))));
    if (!m.validated)
        tip += QLatin1Char('\n') + tr("Compute and overhead for this runtime are published estimates, not yet measured");
    setToolTip(tip);
    setAccessibleDescription(tip);
}

void VramBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QRect r = rect().adjusted(1, 1, -2, -2);
    p.fillRect(r, palette().base());
    if (m_valid) {
        const MemoryEstimate &m = m_estimate;
        const uint64_t parts[] = {m.weights, m.kv.bytes, m.compute, m.overhead + m.allocatorSlack};
        // the scale holds both the estimate and the device, so an overflow shows how far past the limit it goes
        const double scale = static_cast<double>(std::max<uint64_t>({m.total(), m_capacity, 1}));
        double x = r.left();
        for (int i = 0; i < 4; ++i) {
            const double w = static_cast<double>(parts[i]) / scale * r.width();
            p.fillRect(QRectF(x, r.top(), w, r.height()), kPart[i]);
            x += w;
        }
        const double limit = r.left() + static_cast<double>(m_capacity) / scale * r.width();
        p.setPen(QPen(palette().text().color(), 2));
        p.drawLine(QPointF(limit, r.top()), QPointF(limit, r.bottom()));
        p.setPen(palette().text().color());
        const QString label = QStringLiteral("%1 / %2").arg(bytesText(m.total()), bytesText(m_capacity));
        p.drawText(r, Qt::AlignCenter, label);
    } else if (!m_message.isEmpty()) {
        p.setPen(palette().text().color());
        p.drawText(r.adjusted(4, 0, -4, 0), Qt::AlignCenter, fontMetrics().elidedText(m_message, Qt::ElideRight, r.width() - 8));
    }
    p.setPen(QPen(m_valid ? kLevel[static_cast<int>(m_level)] : palette().mid().color(), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(r);
}

} // namespace qs
