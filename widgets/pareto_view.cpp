#include "pareto_view.h"

#include "number_text.h"
#include "pipeline/allocate_plan.h"

#include <QChart>
#include <QCursor>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace qs {

namespace {

constexpr double kMiB = 1048576.0;
constexpr double kShownBitsPerWeight = 8.5; // the budget panel's slider ends there

double mib(uint64_t bytes) { return static_cast<double>(bytes) / kMiB; }

} // namespace

PlanPrediction predictPlan(const std::vector<PlannedTensor> &planned, const SensitivityResults &sens)
{
    std::map<std::string, size_t> measured;
    for (size_t i = 0; i < sens.tensors.size(); ++i)
        measured[sens.tensors[i]] = i;
    PlanPrediction p;
    std::set<std::string> missing;
    for (const PlannedTensor &pt : planned) {
        p.bytes += pt.bytes;
        p.elements += pt.elements;
        const auto m = measured.find(pt.ggufName);
        if (m == measured.end() || !pt.decision.quantized)
            continue; // not measured (norms): no damage counted, as the allocation counts none; kept: no damage
        const QuantFormat f = pt.decision.format();
        double k = std::numeric_limits<double>::quiet_NaN();
        for (size_t i = 0; i < sens.formats.size(); ++i)
            if (sens.formats[i] == f)
                k = static_cast<double>(sens.kld[sens.index(m->second, i)]);
        if (std::isfinite(k))
            p.kld += std::max(0.0, k); // the allocation clamps a (noise) negative KLD to 0 too
        else
            missing.insert(f.name());
    }
    p.unmeasured.assign(missing.begin(), missing.end());
    if (!p.unmeasured.empty())
        p.kld = std::numeric_limits<double>::quiet_NaN();
    return p;
}

const std::vector<std::string> &paretoPresets()
{
    static const std::vector<std::string> names = {"Q2_K", "Q3_K_M", "Q4_K_M", "IQ4_XS", "Q5_K_M", "Q6_K", "Q8_0"};
    return names;
}

ParetoCurve computeParetoCurve(const Model &model, const Plan &base, const SensitivityResults &sens, int budgets)
{
    ParetoCurve c;
    auto tensors = planTensorsFor(model);
    if (!tensors) {
        c.error = QString::fromStdString(tensors.error().describe());
        return c;
    }
    auto planned = resolveForModel(model, base, false);
    if (!planned) {
        c.error = QString::fromStdString(planned.error().describe());
        return c;
    }
    // the range the allocation can reach: every measured weight at its smallest, then at its largest candidate (its
    // source type or a measured GGUF format its rows split into, as allocatePlan offers them); the rest as the base has it
    std::map<std::string, size_t> measured;
    for (size_t i = 0; i < sens.tensors.size(); ++i)
        measured[sens.tensors[i]] = i;
    for (size_t i = 0; i < tensors->size(); ++i) {
        const PlanTensor &t = (*tensors)[i];
        const PlannedTensor &pt = (*planned)[i];
        c.elements += pt.elements;
        const auto m = measured.find(t.name);
        if (m == measured.end() || t.ne.size() != 2) {
            c.smallestBytes += pt.bytes;
            c.largestBytes += pt.bytes;
            continue;
        }
        uint64_t lo = std::numeric_limits<uint64_t>::max(), hi = 0;
        auto consider = [&](GgmlType type) {
            TensorDecision d;
            d.type = type;
            d.quantized = type != t.sourceType;
            if (auto bytes = decidedBytes(t.name, t.ne, d)) {
                lo = std::min(lo, *bytes);
                hi = std::max(hi, *bytes);
            }
        };
        consider(t.sourceType);
        for (size_t f = 0; f < sens.formats.size(); ++f)
            if (sens.formats[f].kind == QuantFormat::Kind::Gguf && std::isfinite(sens.kld[sens.index(m->second, f)]))
                consider(sens.formats[f].type);
        c.smallestBytes += lo;
        c.largestBytes += hi;
    }

    // budgets spread geometrically: as many solves between 2 and 4 bpw as between 8 and 16, where plans differ most
    std::vector<ParetoPoint> solved;
    const int n = std::max(2, budgets);
    const double ratio = static_cast<double>(c.largestBytes) / static_cast<double>(std::max<uint64_t>(1, c.smallestBytes));
    for (int k = 0; k < n; ++k) {
        const uint64_t budget = k == 0       ? c.smallestBytes
                                : k == n - 1 ? c.largestBytes
                                             : static_cast<uint64_t>(static_cast<double>(c.smallestBytes) * std::pow(ratio, double(k) / (n - 1)));
        auto r = allocatePlan(model, base, sens, Budget{Budget::Kind::Bytes, static_cast<double>(budget)}, {}, false);
        if (!r) {
            if (c.error.isEmpty())
                c.error = QString::fromStdString(r.error().describe());
            continue;
        }
        solved.push_back({budget, r->bytes, r->predictedKld});
    }
    if (!solved.empty())
        c.error.clear(); // a few budgets below what fits are no reason to show no curve
    // the front: a solve that takes more bytes than another for no less damage is not on it
    std::stable_sort(solved.begin(), solved.end(), [](const ParetoPoint &a, const ParetoPoint &b) {
        return a.bytes != b.bytes ? a.bytes < b.bytes : a.kld < b.kld;
    });
    for (const ParetoPoint &p : solved)
        if (c.points.empty() || p.kld < c.points.back().kld)
            c.points.push_back(p);
    c.dominated = static_cast<int>(solved.size() - c.points.size());

    for (const std::string &name : paretoPresets()) {
        Plan p;
        p.preset = name;
        auto r = resolveForModel(model, p, false);
        if (r)
            c.presets.push_back({name, predictPlan(*r, sens)});
    }
    std::stable_sort(c.presets.begin(), c.presets.end(),
                     [](const ParetoPreset &a, const ParetoPreset &b) { return a.prediction.bytes < b.prediction.bytes; });
    return c;
}

ParetoView::ParetoView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view = new QChartView(this);
    m_view->setObjectName(QStringLiteral("paretoChart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(260, 180);
    layout->addWidget(m_view, 1);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);
    connect(&m_watcher, &QFutureWatcher<ParetoCurve>::finished, this, &ParetoView::onComputed);
    rebuild();
    retranslate();
}

ParetoView::~ParetoView() { m_watcher.waitForFinished(); }

void ParetoView::clearInputs(const QString &why)
{
    m_unavailable = why;
    setInputs(nullptr, nullptr, Plan());
}

void ParetoView::setInputs(std::shared_ptr<const Model> model, std::shared_ptr<const SensitivityResults> sensitivity, const Plan &base)
{
    if (model && sensitivity)
        m_unavailable.clear();
    if (model == m_model && sensitivity == m_sensitivity && base.toJson() == m_base.toJson() && (m_curve || m_computing))
        return; // the same curve
    m_model = std::move(model);
    m_sensitivity = std::move(sensitivity);
    m_base = base;
    m_curve.reset();
    if (!m_model || !m_sensitivity || m_sensitivity->empty()) {
        ++m_request; // what is running belongs to inputs that are gone
        m_computing = false;
        m_again = false;
        m_current.reset();
        m_candidate.reset();
        rebuild();
        return;
    }
    m_computing = true;
    if (m_watcher.isRunning())
        m_again = true;
    else
        start();
    rebuild();
}

void ParetoView::start()
{
    m_again = false;
    const quint64 request = ++m_request;
    m_watcher.setFuture(QtConcurrent::run([model = m_model, sens = m_sensitivity, base = m_base, request] {
        ParetoCurve c = computeParetoCurve(*model, base, *sens);
        c.request = request;
        return c;
    }));
}

void ParetoView::onComputed()
{
    ParetoCurve c = m_watcher.result();
    if (m_again) {
        start();
        return;
    }
    if (c.request != m_request)
        return;
    m_computing = false;
    m_curve = std::make_unique<ParetoCurve>(std::move(c));
    rebuild();
    Q_EMIT curveReady();
}

void ParetoView::setCurrentPlan(const std::vector<PlannedTensor> &resolved)
{
    if (resolved.empty() || !m_sensitivity || m_sensitivity->empty())
        m_current.reset();
    else
        m_current = predictPlan(resolved, *m_sensitivity);
    updateMarkers();
}

void ParetoView::setCandidate(std::optional<std::pair<uint64_t, double>> candidate)
{
    m_candidate = candidate;
    updateMarkers();
}

QScatterSeries *ParetoView::presetSeries(const QString &name) const
{
    for (QScatterSeries *s : m_presetSeries)
        if (s->property("preset").toString() == name)
            return s;
    return nullptr;
}

QString ParetoView::noteText() const { return m_note->text(); }

QString ParetoView::describe(uint64_t bytes, double kld) const
{
    const int64_t elements = m_curve ? m_curve->elements : m_current ? m_current->elements : 0;
    const double bpw = elements > 0 ? 8.0 * static_cast<double>(bytes) / static_cast<double>(elements) : 0;
    QString text = tr("%1 (%2 bytes) · %3 bpw · predicted KLD %4")
                       .arg(bytesText(bytes), integerText(static_cast<qint64>(bytes)), fixedText(bpw, 2), significantText(kld, 3));
    if (m_besidesWeights)
        text += QStringLiteral(" · ") + tr("about %1 on %2").arg(bytesText(static_cast<uint64_t>(std::max<int64_t>(
                                                                    0, static_cast<int64_t>(bytes) + *m_besidesWeights))),
                                                                m_memoryWhere);
    return text;
}

QPoint ParetoView::curvePointPosition(int index) const
{
    if (!m_curveSeries || index < 0 || index >= m_curveSeries->count())
        return {};
    const QPointF scene = m_view->chart()->mapToScene(m_view->chart()->mapToPosition(m_curveSeries->at(index), m_curveSeries));
    return m_view->mapFromScene(scene);
}

void ParetoView::pickNear(const QPointF &value)
{
    // the curve point nearest on screen to where the line was clicked
    if (!m_curveSeries || m_curveSeries->count() == 0)
        return;
    QChart *chart = m_view->chart();
    const QPointF at = chart->mapToPosition(value, m_curveSeries);
    int best = 0;
    double bestDistance = INFINITY;
    for (int i = 0; i < m_curveSeries->count(); ++i) {
        const QPointF d = chart->mapToPosition(m_curveSeries->at(i), m_curveSeries) - at;
        if (const double dist = d.x() * d.x() + d.y() * d.y(); dist < bestDistance) {
            bestDistance = dist;
            best = i;
        }
    }
    const QVariantList bytes = m_curveSeries->property("bytes").toList();
    if (best < bytes.size())
        Q_EMIT budgetPicked(bytes[best].toULongLong());
}

uint64_t ParetoView::shownBytes() const
{
    // the curve as far as the budget's slider reaches (8.5 bpw) or the largest preset that can be drawn, not to where
    // every tensor keeps its 16-bit source: past that the curve only creeps towards 0 and would take half the chart
    if (!m_curve)
        return 0;
    uint64_t end = static_cast<uint64_t>(std::ceil(kShownBitsPerWeight * static_cast<double>(m_curve->elements) / 8.0));
    for (const ParetoPreset &p : m_curve->presets)
        if (std::isfinite(p.prediction.kld))
            end = std::max(end, p.prediction.bytes);
    return std::min(end, m_curve->largestBytes);
}

void ParetoView::rebuild()
{
    auto *chart = new QChart;
    chart->setLocalizeNumbers(true);
    chart->setLocale(QLocale());
    // the dock is wide and short: the legend at the side, the margins thin, every pixel of height for the curve
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    m_presetSeries.clear();
    m_curveSeries = new QLineSeries;
    m_curveSeries->setName(tr("Fitted plans"));
    m_curveSeries->setPointsVisible(true);
    QVariantList bytes; // by drawn point: the plan's exact bytes (the axis is in MiB)
    if (m_curve)
        for (const ParetoPoint &p : m_curve->points)
            if (p.kld > 0 && p.bytes <= shownBytes()) { // a plan that quantizes nothing measured has no place on a log scale
                m_curveSeries->append(xOf(p.bytes), p.kld);
                bytes << QVariant::fromValue<qulonglong>(p.bytes);
            }
    m_curveSeries->setProperty("bytes", bytes);
    chart->addSeries(m_curveSeries);
    connect(m_curveSeries, &QXYSeries::clicked, this, &ParetoView::pickNear);
    connect(m_curveSeries, &QXYSeries::hovered, this, [this](const QPointF &value, bool on) {
        if (!on) {
            QToolTip::hideText();
            return;
        }
        QChart *c = m_view->chart();
        const QPointF at = c->mapToPosition(value, m_curveSeries);
        int best = -1;
        double bestDistance = INFINITY;
        for (int i = 0; i < m_curveSeries->count(); ++i) {
            const QPointF d = c->mapToPosition(m_curveSeries->at(i), m_curveSeries) - at;
            if (const double dist = d.x() * d.x() + d.y() * d.y(); dist < bestDistance) {
                bestDistance = dist;
                best = i;
            }
        }
        const QVariantList b = m_curveSeries->property("bytes").toList();
        if (best < 0 || best >= b.size())
            return;
        QToolTip::showText(QCursor::pos(), tr("Fitted plan: %1\nClick to make this size the budget")
                                               .arg(describe(b[best].toULongLong(), m_curveSeries->at(best).y())),
                           m_view);
    });

    if (m_curve) {
        bool first = true;
        for (const ParetoPreset &p : m_curve->presets) {
            if (!std::isfinite(p.prediction.kld) || p.prediction.kld <= 0)
                continue; // named under the chart
            if (p.prediction.bytes > shownBytes())
                continue; // a conversion-sized preset (Q8_0 on a model whose curve is cut before it)
            auto *s = new QScatterSeries;
            const QString name = QString::fromStdString(p.name);
            s->setProperty("preset", name);
            s->setName(first ? tr("llama.cpp presets") : name);
            s->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            s->setMarkerSize(8);
            s->setColor(QColor(0x80, 0x80, 0x80));
            s->setBorderColor(QColor(0x40, 0x40, 0x40));
            s->append(xOf(p.prediction.bytes), p.prediction.kld);
            s->setPointLabelsVisible(true);
            s->setPointLabelsFormat(name); // no @ tags: the preset's name as it is
            s->setPointLabelsClipping(false);
            chart->addSeries(s);
            if (!first)
                for (QLegendMarker *m : chart->legend()->markers(s))
                    m->setVisible(false);
            first = false;
            connect(s, &QXYSeries::hovered, this, [this, name, bytes = p.prediction.bytes, kld = p.prediction.kld](const QPointF &, bool on) {
                if (on)
                    QToolTip::showText(QCursor::pos(), tr("%1 (llama.cpp preset): %2").arg(name, describe(bytes, kld)), m_view);
                else
                    QToolTip::hideText();
            });
            m_presetSeries.push_back(s);
        }
    }

    m_candidateSeries = new QScatterSeries;
    m_candidateSeries->setName(tr("Budget's plan"));
    m_candidateSeries->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_candidateSeries->setMarkerSize(13);
    m_candidateSeries->setColor(QColor(0, 0, 0, 0));
    m_candidateSeries->setBorderColor(QColor(0xe6, 0x55, 0x0d));
    m_candidateSeries->setPen(QPen(QColor(0xe6, 0x55, 0x0d), 2.5));
    chart->addSeries(m_candidateSeries);
    connect(m_candidateSeries, &QXYSeries::hovered, this, [this](const QPointF &, bool on) {
        if (on && m_candidate)
            QToolTip::showText(QCursor::pos(), tr("The budget's plan (Apply makes it the plan): %1").arg(describe(m_candidate->first, m_candidate->second)), m_view);
        else
            QToolTip::hideText();
    });
    m_currentSeries = new QScatterSeries;
    m_currentSeries->setName(tr("Current plan"));
    m_currentSeries->setMarkerShape(QScatterSeries::MarkerShapeStar);
    m_currentSeries->setMarkerSize(16);
    m_currentSeries->setColor(QColor(0xd6, 0x27, 0x28));
    m_currentSeries->setBorderColor(QColor(0x80, 0x10, 0x10));
    chart->addSeries(m_currentSeries);
    connect(m_currentSeries, &QXYSeries::hovered, this, [this](const QPointF &, bool on) {
        if (on && m_current)
            QToolTip::showText(QCursor::pos(), tr("The current plan: %1").arg(describe(m_current->bytes, m_current->kld)), m_view);
        else
            QToolTip::hideText();
    });

    m_x = new QValueAxis;
    m_x->setTitleText(xAxisTitle());
    m_y = new QLogValueAxis;
    m_y->setBase(10);
    m_y->setLabelFormat(QStringLiteral("%.2g")); // localized labels need a precision: Qt Charts 6.4 draws none for "%g"
    m_y->setTitleText(tr("KLD (log)"));
    m_y->setMinorTickCount(-1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    QChart *old = m_view->chart();
    m_view->setChart(chart);
    delete old;
    updateMarkers();
}

double ParetoView::xOf(uint64_t bytes) const
{
    const int64_t at = static_cast<int64_t>(bytes) + m_besidesWeights.value_or(0);
    return mib(static_cast<uint64_t>(std::max<int64_t>(0, at)));
}

QString ParetoView::xAxisTitle() const
{
    return m_besidesWeights ? tr("estimated memory on %1 (MiB)").arg(m_memoryWhere) : tr("tensor bytes (MiB)");
}

void ParetoView::setMemoryAxis(std::optional<int64_t> besidesWeights, const QString &where)
{
    if (besidesWeights == m_besidesWeights && (!besidesWeights || where == m_memoryWhere))
        return;
    m_besidesWeights = besidesWeights;
    m_memoryWhere = where;
    rebuild();
}

void ParetoView::updateMarkers()
{
    if (!m_currentSeries)
        return;
    // a marker has a place only where the chart has a curve to compare it with
    auto drawable = [this](double kld) { return m_curve && std::isfinite(kld) && kld > 0; };
    m_currentSeries->clear();
    if (m_current && drawable(m_current->kld))
        m_currentSeries->append(xOf(m_current->bytes), m_current->kld);
    m_candidateSeries->clear();
    if (m_candidate && drawable(m_candidate->second))
        m_candidateSeries->append(xOf(m_candidate->first), m_candidate->second);

    // the axes hold every point drawn, with a little room around them
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (QAbstractSeries *a : m_view->chart()->series()) {
        const auto *s = static_cast<QXYSeries *>(a);
        for (int i = 0; i < s->count(); ++i) {
            xlo = std::min(xlo, s->at(i).x());
            xhi = std::max(xhi, s->at(i).x());
            ylo = std::min(ylo, s->at(i).y());
            yhi = std::max(yhi, s->at(i).y());
        }
    }
    if (std::isfinite(xlo)) {
        // in device memory the sizes sit on the estimate's KV cache and buffers, which can dwarf the weights: pad by
        // the spread alone, or every point would crowd into one column
        const double pad = m_besidesWeights && xhi > xlo ? 0.04 * (xhi - xlo) : std::max(0.04 * (xhi - xlo), 0.01 * xhi);
        m_x->setRange(std::max(0.0, xlo - pad), xhi + pad);
        const double span = xhi - xlo + 2 * pad;
        m_x->setLabelFormat(span >= 100 ? QStringLiteral("%.0f") : span >= 10 ? QStringLiteral("%.1f") : QStringLiteral("%.2f"));
        m_x->setTickCount(6);
        m_y->setRange(ylo / 1.5, yhi * 1.5);
    } else {
        m_x->setRange(0, 1);
        m_y->setRange(1e-4, 1);
    }
    updateNote();
}

void ParetoView::updateNote()
{
    QStringList lines;
    QString tip;
    if (!m_model || !m_sensitivity || m_sensitivity->empty()) {
        lines << (m_unavailable.isEmpty() ? tr("Measure the sensitivity to see what each size buys.") : m_unavailable);
    } else if (m_computing) {
        lines << tr("Solving the curve…");
    } else if (m_curve && m_curve->points.empty()) {
        lines << tr("No curve: %1").arg(m_curve->error);
    } else if (m_curve) {
        // the presets that choose formats the sensitivity did not measure: no prediction, so no point; one line for
        // all of them, the formats each one misses in the tooltip
        QStringList names, details;
        std::set<std::string> formats;
        for (const ParetoPreset &p : m_curve->presets)
            if (!p.prediction.unmeasured.empty()) {
                QStringList missing;
                for (const std::string &f : p.prediction.unmeasured) {
                    missing << QString::fromStdString(f);
                    formats.insert(f);
                }
                names << QString::fromStdString(p.name);
                details << tr("%1 chooses %2").arg(QString::fromStdString(p.name), missing.join(QStringLiteral(", ")));
            }
        if (!names.isEmpty()) {
            QStringList all;
            for (const std::string &f : formats)
                all << QString::fromStdString(f);
            lines << tr("Not drawn: %1 (they choose %2, not measured)").arg(names.join(QStringLiteral(", ")), all.join(QStringLiteral(", ")));
        }
        tip = details.join(QLatin1Char('\n'));
        if (m_current && !m_current->unmeasured.empty()) {
            QStringList formats;
            for (const std::string &f : m_current->unmeasured)
                formats << QString::fromStdString(f);
            lines << tr("The current plan is not drawn: it chooses %1, which the sensitivity did not measure").arg(formats.join(QStringLiteral(", ")));
        } else if (m_current && m_current->kld <= 0) {
            lines << tr("The current plan is not drawn: it quantizes no measured tensor (predicted KLD 0)");
        }
    }
    m_note->setText(lines.join(QLatin1Char('\n')));
    m_note->setToolTip(tip);
    m_note->setVisible(!lines.isEmpty());
}

void ParetoView::retranslate()
{
    m_view->setAccessibleDescription(tr("Tensor bytes against the predicted KLD (the sum of the measured per-tensor KL-divergences): the fitted plans "
                  "from the smallest size to the largest, llama.cpp's presets, the current plan and the budget's plan. Click the "
                  "curve to make a size the budget."));
    m_view->setAccessibleName(tr("Size against predicted KLD"));
    rebuild();
}

} // namespace qs
