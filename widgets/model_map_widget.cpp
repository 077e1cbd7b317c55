#include "model_map_widget.h"

#include "colormap.h"
#include "model/tensor_names.h"
#include "number_text.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace qs {

namespace {
constexpr int kGap = 4, kBar = 12;
const QColor kNotAvailable(200, 200, 200);

// The cells by GGUF name, as the analysis lays them out (model_grid.cpp): kinds across, layers down; values NaN,
// tensorIndex the position in `names`.
ModelErrorGrid gridByName(const std::vector<std::string> &names, int64_t layers)
{
    ModelErrorGrid g;
    const size_t nk = ModelErrorGrid::kinds().size();
    g.layers = layers;
    g.values.assign(static_cast<size_t>(layers) * nk, NAN);
    g.tensorIndex.assign(g.values.size(), -1);
    g.formats.assign(g.values.size(), std::string());
    for (size_t i = 0; i < names.size(); ++i) {
        const TensorNameInfo info = describeGgufName(names[i]);
        if (info.role == TensorRole::TokenEmbedding) {
            g.tokenEmbeddingIndex = static_cast<int>(i);
            continue;
        }
        if (info.role == TensorRole::Output) {
            g.outputIndex = static_cast<int>(i);
            continue;
        }
        const auto k = std::find(ModelErrorGrid::kinds().begin(), ModelErrorGrid::kinds().end(), info.role);
        if (k != ModelErrorGrid::kinds().end() && info.layer >= 0 && info.layer < layers)
            g.tensorIndex[static_cast<size_t>(info.layer) * nk + static_cast<size_t>(k - ModelErrorGrid::kinds().begin())] = static_cast<int>(i);
    }
    return g;
}
} // namespace

ModelMapWidget::ModelMapWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(300, 160);
    retranslate();
}

void ModelMapWidget::retranslate()
{
    if (m_colouring == Colouring::BitsPerWeight) {
        setAccessibleName(tr("Model bits map"));
        setToolTip(tr("Bits per weight each tensor gets under the plan: the embedding, the layers down with tensor kinds across, "
                      "the output; click to select"));
    } else if (m_colouring == Colouring::MeasuredKld) {
        setAccessibleName(tr("Model sensitivity map"));
        setToolTip(tr("Measured KL-divergence when only that tensor is quantized: the embedding, the layers down with tensor "
                      "kinds across, the output; click to select"));
    } else {
        setAccessibleName(tr("Model error map"));
        setToolTip(tr("Relative error of each tensor under the plan: the embedding, the layers down with tensor kinds across, "
                      "the output; click to select"));
    }
    update();
}

void ModelMapWidget::setGrid(const ModelErrorGrid &grid, const std::vector<bool> &alreadyQuantized)
{
    m_grid = grid;
    m_alreadyQuantized = alreadyQuantized;
    m_max = 0;
    for (size_t i = 0; i < m_grid.values.size(); ++i)
        m_max = std::max(m_max, std::isfinite(valueOf(m_grid.tensorIndex[i], m_grid.values[i])) ? m_grid.values[i] : 0.0);
    m_max = std::max(m_max, std::isfinite(valueOf(m_grid.tokenEmbeddingIndex, m_grid.tokenEmbedding)) ? m_grid.tokenEmbedding : 0.0);
    m_max = std::max(m_max, std::isfinite(valueOf(m_grid.outputIndex, m_grid.output)) ? m_grid.output : 0.0);
    update();
}

void ModelMapWidget::setSensitivity(std::shared_ptr<const SensitivityResults> sensitivity, int64_t layers)
{
    m_sensitivity = std::move(sensitivity);
    m_kld = ModelErrorGrid();
    m_kldMin = m_kldMax = 0;
    if (m_sensitivity && layers > 0) {
        m_kld = gridByName(m_sensitivity->tensors, layers);
        for (float v : m_sensitivity->kld)
            if (std::isfinite(v) && v > 0) {
                m_kldMin = m_kldMin > 0 ? std::min(m_kldMin, static_cast<double>(v)) : static_cast<double>(v);
                m_kldMax = std::max(m_kldMax, static_cast<double>(v));
            }
    }
    setSensitivityFormat(m_format);
}

void ModelMapWidget::setSensitivityFormat(int format)
{
    const int formats = m_sensitivity ? static_cast<int>(m_sensitivity->formats.size()) : 0;
    m_format = std::clamp(format, 0, std::max(0, formats - 1));
    auto kldOf = [this, formats](int tensor) {
        return tensor >= 0 && formats > 0 ? static_cast<double>(m_sensitivity->kld[m_sensitivity->index(static_cast<size_t>(tensor), static_cast<size_t>(m_format))])
                                          : NAN;
    };
    const std::string id = formats > 0 ? m_sensitivity->formats[static_cast<size_t>(m_format)].id() : std::string();
    for (size_t c = 0; c < m_kld.values.size(); ++c) {
        m_kld.values[c] = kldOf(m_kld.tensorIndex[c]);
        m_kld.formats[c] = m_kld.tensorIndex[c] >= 0 ? id : std::string();
    }
    m_kld.tokenEmbedding = kldOf(m_kld.tokenEmbeddingIndex);
    m_kld.output = kldOf(m_kld.outputIndex);
    update();
}

void ModelMapWidget::setPlanned(const std::vector<PlannedTensor> &planned, int64_t layers)
{
    std::vector<std::string> names;
    m_bitsBytes.clear();
    m_bitsFormats.clear();
    for (const PlannedTensor &pt : planned) {
        names.push_back(pt.ggufName);
        m_bitsBytes.push_back(pt.bytes);
        m_bitsFormats.push_back(pt.decision.format().name());
    }
    m_bits = gridByName(names, planned.empty() ? 0 : layers);
    auto bitsOf = [&](int i) {
        if (i < 0)
            return static_cast<double>(NAN);
        const PlannedTensor &pt = planned[static_cast<size_t>(i)];
        return pt.elements > 0 ? 8.0 * static_cast<double>(pt.bytes) / static_cast<double>(pt.elements) : NAN;
    };
    // what the plan's marks on the bar say: each bits per weight it uses, with the formats that take it
    std::map<double, std::set<std::string>> used;
    auto note = [&](int i, double bits) {
        if (i >= 0 && std::isfinite(bits))
            used[std::round(bits * 100) / 100].insert(planned[static_cast<size_t>(i)].decision.format().name());
    };
    for (size_t c = 0; c < m_bits.values.size(); ++c) {
        const int i = m_bits.tensorIndex[c];
        m_bits.values[c] = bitsOf(i);
        m_bits.formats[c] = i >= 0 ? planned[static_cast<size_t>(i)].decision.format().name() : std::string();
        note(i, m_bits.values[c]);
    }
    m_bits.tokenEmbedding = bitsOf(m_bits.tokenEmbeddingIndex);
    m_bits.output = bitsOf(m_bits.outputIndex);
    note(m_bits.tokenEmbeddingIndex, m_bits.tokenEmbedding);
    note(m_bits.outputIndex, m_bits.output);
    // a fixed scale (2 to 8.5 bits, the budget slider's range), so that colours compare across plans; wider only for
    // what falls outside it (a tensor kept in 16 or 32 bits)
    m_bitsMin = 2;
    m_bitsMax = 8.5;
    m_bitsMarks.clear();
    for (const auto &[bits, formats] : used) {
        m_bitsMin = std::min(m_bitsMin, bits);
        m_bitsMax = std::max(m_bitsMax, bits);
        QStringList names;
        for (const std::string &f : formats)
            names << QString::fromStdString(f);
        m_bitsMarks.emplace_back(bits, names.join(QLatin1Char('/')));
    }
    update();
}

QStringList ModelMapWidget::bitsLegend() const
{
    QStringList marks;
    for (const auto &[bits, formats] : m_bitsMarks)
        marks << fixedText(bits, 2) + QLatin1Char(' ') + formats;
    return marks;
}

void ModelMapWidget::setColouring(Colouring colouring)
{
    m_colouring = colouring;
    retranslate();
}

double ModelMapWidget::scalePosition(int index, double value) const
{
    if (m_colouring == Colouring::WeightError) {
        value = valueOf(index, value);
        return std::isfinite(value) && m_max > 0 ? value / m_max : NAN;
    }
    if (m_colouring == Colouring::BitsPerWeight) {
        if (!std::isfinite(value) || value <= 0)
            return NAN;
        return std::clamp(std::log2(value / m_bitsMin) / std::log2(m_bitsMax / m_bitsMin), 0.0, 1.0);
    }
    if (!std::isfinite(value) || m_kldMax <= 0)
        return NAN;
    // log scale; a KLD of 0 (the format changed nothing) sits at the bottom with the smallest measured
    const double lo = std::log10(m_kldMin), hi = std::log10(m_kldMax);
    if (hi - lo < 1e-12)
        return 1.0;
    return std::clamp((std::log10(std::max(value, m_kldMin)) - lo) / (hi - lo), 0.0, 1.0);
}

double ModelMapWidget::valueOf(int analysisIndex, double measured) const
{
    const bool masked = analysisIndex >= 0 && static_cast<size_t>(analysisIndex) < m_alreadyQuantized.size() &&
                        m_alreadyQuantized[static_cast<size_t>(analysisIndex)];
    return masked ? NAN : measured;
}

QString ModelMapWidget::measureTitle() const
{
    if (m_colouring == Colouring::BitsPerWeight)
        return tr("Bits per weight each tensor gets under the plan (its planned bytes over its weights)");
    if (m_colouring == Colouring::MeasuredKld) {
        if (!m_sensitivity)
            return tr("Measured sensitivity: not measured yet");
        return tr("KL-divergence from the unquantized model when only that tensor is quantized as %1 (%2 windows of %3 tokens)")
            .arg(QString::fromStdString(m_sensitivity->formats[static_cast<size_t>(m_format)].name()), integerText(m_sensitivity->windows),
                 integerText(m_sensitivity->context));
    }
    return tr("Relative error ‖Q(W) − W‖ / ‖W‖ of each tensor in the format the plan gives it");
}

QString ModelMapWidget::colourBarTitle() const
{
    if (m_colouring == Colouring::BitsPerWeight)
        return tr("bits per weight (log scale)");
    return m_colouring == Colouring::MeasuredKld ? tr("measured KLD (log scale)") : tr("relative error (%)");
}

QStringList ModelMapWidget::barLabels() const
{
    if (m_colouring == Colouring::WeightError)
        return {percentText(m_max, 1), percentText(0, 0)};
    if (m_colouring == Colouring::BitsPerWeight)
        return bitsLegend() << fixedText(m_bitsMin, 0) << fixedText(m_bitsMax, 1);
    if (m_kldMax <= 0)
        return {};
    QStringList labels{significantText(m_kldMax, 2), significantText(m_kldMin, 2)};
    for (int d = static_cast<int>(std::ceil(std::log10(m_kldMin))); d <= static_cast<int>(std::floor(std::log10(m_kldMax))); ++d)
        labels << significantText(std::pow(10.0, d), 1);
    return labels;
}

int ModelMapWidget::labelWidth() const
{
    const QFontMetrics fm = fontMetrics();
    int w = std::max(fm.horizontalAdvance(QStringLiteral("token_embd")), fm.horizontalAdvance(QStringLiteral("output")));
    w = std::max(w, fm.horizontalAdvance(tr("layer %1").arg(integerText(std::max<int64_t>(shown().layers - 1, 0)))));
    return w + 2 * kGap;
}

int ModelMapWidget::barWidth() const
{
    const QFontMetrics fm = fontMetrics();
    int labels = fm.horizontalAdvance(notAvailableText());
    for (const QString &l : barLabels())
        labels = std::max(labels, fm.horizontalAdvance(l));
    return 2 * kGap + kBar + kGap + labels + kGap + fm.height() + kGap;
}

int ModelMapWidget::rowCount() const
{
    const ModelErrorGrid &g = shown();
    return static_cast<int>(g.layers) + (g.tokenEmbeddingIndex >= 0) + (g.outputIndex >= 0);
}

QRect ModelMapWidget::rowRect(int row) const
{
    // the title line and the kind names above; the rows share what is left, one layer's height each
    const int line = fontMetrics().height();
    const int top = 2 * line + 2 * kGap;
    const int h = std::max(1, (height() - top - kGap) / std::max(rowCount(), 2));
    return QRect(labelWidth(), top + row * h, std::max(1, width() - labelWidth() - barWidth()), h);
}

QRect ModelMapWidget::cellRect(int layer, int kind) const
{
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size());
    const QRect row = rowRect(layer + (shown().tokenEmbeddingIndex >= 0));
    const int w = std::max(1, row.width() / kinds);
    return QRect(row.left() + kind * w, row.top(), w - 1, row.height() - 1);
}

QRect ModelMapWidget::embeddingRect() const
{
    if (shown().tokenEmbeddingIndex < 0)
        return {};
    const QRect row = rowRect(0);
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size());
    return QRect(row.left(), row.top(), std::max(1, row.width() / kinds) * kinds - 1, row.height() - 1);
}

QRect ModelMapWidget::outputRect() const
{
    if (shown().outputIndex < 0)
        return {};
    const QRect row = rowRect(rowCount() - 1);
    const int kinds = static_cast<int>(ModelErrorGrid::kinds().size());
    return QRect(row.left(), row.top(), std::max(1, row.width() / kinds) * kinds - 1, row.height() - 1);
}

int ModelMapWidget::tensorAt(const QPoint &p) const
{
    const ModelErrorGrid &g = shown();
    const int nk = static_cast<int>(ModelErrorGrid::kinds().size());
    for (int l = 0; l < g.layers; ++l)
        for (int k = 0; k < nk; ++k)
            if (cellRect(l, k).contains(p))
                return g.tensorIndex[static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k)];
    if (embeddingRect().contains(p))
        return g.tokenEmbeddingIndex;
    if (outputRect().contains(p))
        return g.outputIndex;
    return -1;
}

void ModelMapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    p.setPen(palette().text().color());
    const ModelErrorGrid &g = shown();
    if (g.layers == 0) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   m_colouring == Colouring::BitsPerWeight ? tr("Open a model to see where the plan puts its bits")
                   : m_colouring == Colouring::MeasuredKld
                       ? tr("Measure the sensitivity (Analysis ▸ Measure Sensitivity) to see how much each tensor matters")
                       : tr("Run an analysis to see the model's error map under the plan"));
        return;
    }
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    p.drawText(QRect(kGap, kGap / 2, width() - 2 * kGap, line + kGap), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(measureTitle(), Qt::ElideRight, width() - 2 * kGap));
    const auto &kinds = ModelErrorGrid::kinds();
    const int nk = static_cast<int>(kinds.size());
    auto colour = [&](int index, double v) {
        const double t = scalePosition(index, v);
        return std::isfinite(t) ? QColor(viridis(t)) : kNotAvailable;
    };
    for (int k = 0; k < nk; ++k) {
        const QRect r = cellRect(0, k);
        p.drawText(QRect(r.left(), line + kGap, r.width(), line + kGap), Qt::AlignCenter,
                   fm.elidedText(QString::fromLatin1(roleId(kinds[static_cast<size_t>(k)]).data()), Qt::ElideRight, r.width()));
    }
    auto rowLabel = [&](const QRect &cell, const QString &text) {
        p.setPen(palette().text().color());
        p.drawText(QRect(0, cell.top(), labelWidth() - kGap, cell.height()), Qt::AlignRight | Qt::AlignVCenter, text);
    };
    if (const QRect e = embeddingRect(); !e.isEmpty()) {
        rowLabel(e, QStringLiteral("token_embd"));
        p.fillRect(e, colour(g.tokenEmbeddingIndex, g.tokenEmbedding));
    }
    for (int l = 0; l < g.layers; ++l) {
        rowLabel(cellRect(l, 0), tr("layer %1").arg(integerText(l)));
        for (int k = 0; k < nk; ++k) {
            const size_t i = static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k);
            p.fillRect(cellRect(l, k), colour(g.tensorIndex[i], g.values[i]));
        }
    }
    if (const QRect o = outputRect(); !o.isEmpty()) {
        rowLabel(o, QStringLiteral("output"));
        p.fillRect(o, colour(g.outputIndex, g.output));
    }

    // the colour bar, titled along its side; a grey swatch below it for n/a
    const int top = rowRect(0).top();
    const QRect bar(width() - barWidth() + 2 * kGap, top, kBar, std::max(1, height() - top - 2 * line - 2 * kGap));
    for (int y = 0; y < bar.height(); ++y) {
        p.setPen(QColor(viridis(1.0 - static_cast<double>(y) / std::max(1, bar.height() - 1))));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().text().color());
    const int lx = bar.right() + kGap;
    const int labels = barWidth() - (lx - (width() - barWidth())) - fm.height() - 2 * kGap;
    if (m_colouring == Colouring::WeightError) {
        if (m_max > 0) // nothing measured: no top to the scale
            p.drawText(QRect(lx, bar.top(), labels, line), Qt::AlignLeft | Qt::AlignTop, percentText(m_max, 1));
        p.drawText(QRect(lx, bar.bottom() - line, labels, line), Qt::AlignLeft | Qt::AlignBottom, percentText(0, 0));
    } else {
        // marks where values sit on the log scale, each with a tick, as many as have room (the first ones first)
        auto yOf = [&](double v) {
            const double t = scalePosition(-1, v);
            return bar.bottom() - static_cast<int>(std::lround(t * (bar.height() - 1)));
        };
        std::vector<int> taken;
        auto label = [&](double v, const QString &text) {
            const int y = yOf(v);
            for (int t : taken)
                if (std::abs(t - y) < line)
                    return;
            taken.push_back(y);
            p.drawLine(bar.right() + 1, y, bar.right() + kGap - 1, y);
            const int ty = std::clamp(y - line / 2, bar.top(), bar.bottom() - line + 1);
            p.drawText(QRect(lx + 1, ty, labels, line), Qt::AlignLeft | Qt::AlignVCenter, text);
        };
        if (m_colouring == Colouring::BitsPerWeight) {
            // the plan's own bits (what matters), then the scale's ends
            const QStringList marks = bitsLegend();
            for (size_t i = 0; i < m_bitsMarks.size(); ++i)
                label(m_bitsMarks[i].first, marks[static_cast<qsizetype>(i)]);
            label(m_bitsMax, fixedText(m_bitsMax, 1));
            label(m_bitsMin, fixedText(m_bitsMin, 0));
        } else if (m_kldMax > 0) {
            // the ends, then every decade between them
            label(m_kldMax, significantText(m_kldMax, 2));
            label(m_kldMin, significantText(m_kldMin, 2));
            for (int d = static_cast<int>(std::ceil(std::log10(m_kldMin))); d <= static_cast<int>(std::floor(std::log10(m_kldMax))); ++d)
                label(std::pow(10.0, d), significantText(std::pow(10.0, d), 1));
        }
    }
    const QRect swatch(bar.left(), bar.bottom() + kGap + 2, kBar, line - 2);
    p.fillRect(swatch, kNotAvailable);
    p.drawText(QRect(lx, swatch.top() - 1, labels + fm.height(), line), Qt::AlignLeft | Qt::AlignVCenter, notAvailableText());
    p.save();
    p.translate(lx + labels + kGap, bar.bottom());
    p.rotate(-90);
    p.drawText(QRect(0, 0, bar.height(), line), Qt::AlignCenter, fm.elidedText(colourBarTitle(), Qt::ElideRight, bar.height()));
    p.restore();
}

void ModelMapWidget::mousePressEvent(QMouseEvent *e)
{
    const int t = tensorAt(e->position().toPoint());
    if (t >= 0)
        Q_EMIT tensorClicked(t);
}

QString ModelMapWidget::describeSensitivity(const QString &what, int index) const
{
    if (!m_sensitivity || index < 0)
        return tr("%1: n/a — not measured").arg(what);
    const SensitivityResults &s = *m_sensitivity;
    QStringList lines{tr("%1 (%2), the only tensor quantized:").arg(what, QString::fromStdString(s.tensors[static_cast<size_t>(index)]))};
    for (size_t f = 0; f < s.formats.size(); ++f) {
        const size_t i = s.index(static_cast<size_t>(index), f);
        const QString name = QString::fromStdString(s.formats[f].name());
        if (!std::isfinite(s.kld[i])) {
            lines << tr("%1: n/a — the format cannot hold this tensor").arg(name);
            continue;
        }
        lines << tr("%1: KLD %2, top-1 agreement %3, ΔNLL %4")
                     .arg(name, significantText(s.kld[i], 3), percentText(s.top1[i], 2), signedText(s.deltaNll[i], 3));
    }
    return lines.join(QLatin1Char('\n'));
}

QString ModelMapWidget::describe(const QPoint &pos) const
{
    auto text = [this](const QString &what, int analysisIndex, double measured, const std::string &format) {
        if (m_colouring == Colouring::BitsPerWeight) {
            if (analysisIndex < 0 || !std::isfinite(measured))
                return tr("%1: n/a — no such tensor in the plan").arg(what);
            return tr("%1 as %2: %3 bits per weight (%4)")
                .arg(what, QString::fromStdString(format), fixedText(measured, 3), bytesText(m_bitsBytes[static_cast<size_t>(analysisIndex)]));
        }
        if (m_colouring == Colouring::MeasuredKld)
            return describeSensitivity(what, analysisIndex);
        if (analysisIndex >= 0 && static_cast<size_t>(analysisIndex) < m_alreadyQuantized.size() &&
            m_alreadyQuantized[static_cast<size_t>(analysisIndex)])
            return tr("%1: n/a — the source is already quantized, so there are no original weights to compare with").arg(what);
        if (!std::isfinite(measured))
            return tr("%1: n/a — not measured in the planned format").arg(what);
        if (format.empty())
            return tr("%1: %2 relative error").arg(what, percentText(measured, 3));
        return tr("%1 as %2: %3 relative error").arg(what, QString::fromStdString(format), percentText(measured, 3));
    };
    const ModelErrorGrid &g = shown();
    const int nk = static_cast<int>(ModelErrorGrid::kinds().size());
    for (int l = 0; l < g.layers; ++l)
        for (int k = 0; k < nk; ++k)
            if (cellRect(l, k).contains(pos)) {
                const size_t i = static_cast<size_t>(l) * static_cast<size_t>(nk) + static_cast<size_t>(k);
                const QString what = tr("layer %1 %2").arg(integerText(l), QString::fromLatin1(roleId(ModelErrorGrid::kinds()[static_cast<size_t>(k)]).data()));
                return text(what, g.tensorIndex[i], g.values[i], g.formats[i]);
            }
    // the embedding and output rows: ModelErrorGrid keeps no format for them (the bits map knows it from the plan)
    auto formatOf = [&](int index) { return m_colouring == Colouring::BitsPerWeight && index >= 0 ? m_bitsFormats[static_cast<size_t>(index)] : std::string(); };
    if (embeddingRect().contains(pos))
        return text(QStringLiteral("token_embd"), g.tokenEmbeddingIndex, g.tokenEmbedding, formatOf(g.tokenEmbeddingIndex));
    if (outputRect().contains(pos))
        return text(QStringLiteral("output"), g.outputIndex, g.output, formatOf(g.outputIndex));
    return {};
}

void ModelMapWidget::mouseMoveEvent(QMouseEvent *e)
{
    const QString text = describe(e->position().toPoint());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(e->globalPosition().toPoint(), text, this);
}

} // namespace qs
