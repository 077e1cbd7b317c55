// The memory a plan needs on a device, as one stacked bar: weights, KV cache, compute buffers and runtime
// overhead, against the device's usable memory. Its frame is green, amber from 85% and red past the device.
#pragma once

#include "vram/memory_estimate.h"

#include <QWidget>

namespace qs {

class VramBar : public QWidget {
    Q_OBJECT
public:
    enum class Level { Fits, Tight, Over };
    explicit VramBar(QWidget *parent = nullptr);

    void setEstimate(const MemoryEstimate &estimate, uint64_t capacityBytes, const QString &deviceName);
    void clear(const QString &why = {}); // why: shown in the bar and its tooltip ("a GPTQ plan runs on ...")
    QString message() const { return m_message; }
    Level level() const { return m_level; }
    uint64_t capacity() const { return m_capacity; }
    const MemoryEstimate &estimate() const { return m_estimate; }

    QSize sizeHint() const override { return {320, 22}; }
    QSize minimumSizeHint() const override { return {120, 18}; }

protected:
    void paintEvent(QPaintEvent *) override;
    void changeEvent(QEvent *e) override;

private:
    void updateText();
    MemoryEstimate m_estimate;
    uint64_t m_capacity = 0;
    QString m_device;
    QString m_message;
    bool m_valid = false;
    Level m_level = Level::Fits;
};

} // namespace qs
