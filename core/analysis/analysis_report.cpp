#include "analysis/analysis_report.h"

#include "model/model_report.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace qs {

FormatTotals totalsFor(const AnalysisResults &r, size_t c)
{
    FormatTotals t;
    double err = 0, w = 0;
    for (const auto &a : r.tensors) {
        const CandidateResult &cr = a.candidates[c];
        if (!cr.applicable) {
            ++t.notApplicable;
            continue;
        }
        t.bytes += cr.bytes;
        t.elements += a.rows * a.cols;
        err += cr.errors.sumSqErr;
        w += cr.errors.sumSqW;
    }
    t.relativeError = w > 0 ? std::sqrt(err / w) : 0;
    t.sqnrDb = err > 0 ? 10 * std::log10(w / err) : INFINITY;
    return t;
}

std::vector<size_t> rankWorstFirst(const AnalysisResults &r)
{
    std::vector<size_t> order(r.tensors.size());
    std::iota(order.begin(), order.end(), 0);
    auto key = [&](size_t i) {
        const CandidateResult &c = r.tensors[i].candidates[0];
        return c.applicable ? c.errors.relativeError() : -1.0;
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) > key(b); });
    return order;
}

namespace {

std::string fmt(const char *f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string pad(const std::string &s, size_t w) { return s + std::string(w > s.size() ? w - s.size() : 0, ' '); }
std::string padLeft(const std::string &s, size_t w) { return std::string(w > s.size() ? w - s.size() : 0, ' ') + s; }

QJsonObject histogramJson(const Histogram &h)
{
    QJsonArray counts;
    for (uint64_t c : h.counts)
        counts.append(static_cast<qint64>(c));
    return QJsonObject{{QStringLiteral("lo"), h.lo}, {QStringLiteral("hi"), h.hi}, {QStringLiteral("counts"), counts}};
}

QJsonValue number(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

} // namespace

std::string analysisText(const Model &model, const AnalysisResults &r, bool weighted)
{
    std::ostringstream out;
    std::string ids;
    for (const auto &c : r.candidates)
        ids += (ids.empty() ? "" : ", ") + c.id();
    out << "Analysis of " << model.path() << ": " << r.tensors.size() << " tensors, formats " << ids
        << (weighted ? "; errors weighted by the importance matrix" : "") << "\n\n";

    size_t wName = 6;
    for (const auto &a : r.tensors)
        wName = std::max(wName, a.ggufName.size());
    out << "Worst tensors first, by relative error under " << r.candidates[0].id() << "\n";
    out << pad("tensor", wName) << "  " << padLeft("std", 9) << "  " << padLeft("kurt", 7) << "  " << padLeft(">6sd", 7);
    for (const auto &c : r.candidates)
        out << "  " << padLeft(c.id() + " rel%", 16) << "  " << padLeft("SQNR dB", 7) << "  " << padLeft("rmse/step", 9);
    out << "\n";
    for (size_t i : rankWorstFirst(r)) {
        const TensorAnalysis &a = r.tensors[i];
        out << pad(a.ggufName, wName) << "  " << padLeft(fmt("%.3g", a.stats.stddev), 9) << "  " << padLeft(fmt("%.2f", a.stats.kurtosis), 7)
            << "  " << padLeft(fmt("%.4f%%", 100 * a.stats.outlierFraction), 7);
        for (const auto &cr : a.candidates) {
            if (!cr.applicable) {
                out << "  " << padLeft("n/a", 16) << "  " << padLeft("", 7) << "  " << padLeft("", 9);
                continue;
            }
            out << "  " << padLeft(fmt("%.3f", 100 * cr.errors.relativeError()), 16) << "  " << padLeft(fmt("%.2f", cr.errors.sqnrDb()), 7)
                << "  " << padLeft(fmt("%.3f", cr.errors.rmseOverStep()), 9);
        }
        out << "\n";
    }
    out << "\nTotals over these tensors\n";
    for (size_t c = 0; c < r.candidates.size(); ++c) {
        const FormatTotals t = totalsFor(r, c);
        out << "  " << pad(r.candidates[c].id(), 16) << humanBytes(t.bytes) << ", "
            << fmt("%.3f", t.elements ? 8.0 * static_cast<double>(t.bytes) / static_cast<double>(t.elements) : 0) << " bits per weight, relative error "
            << fmt("%.3f%%", 100 * t.relativeError) << ", SQNR " << fmt("%.2f dB", t.sqnrDb)
            << (t.notApplicable ? ", not applicable to " + std::to_string(t.notApplicable) + " tensors" : "") << "\n";
    }
    out << "\nrmse/step: the error's RMS over the mean quantization step; ideal uniform rounding gives 1/sqrt(12) = 0.289.\n";
    return out.str();
}

QJsonObject analysisJson(const Model &model, const AnalysisResults &r)
{
    QJsonObject root;
    root[QStringLiteral("schema")] = QStringLiteral("quantscope.analysis/1");
    root[QStringLiteral("model")] = QString::fromStdString(model.path());
    QJsonArray cands;
    for (size_t c = 0; c < r.candidates.size(); ++c) {
        const FormatTotals t = totalsFor(r, c);
        cands.append(QJsonObject{{QStringLiteral("id"), QString::fromStdString(r.candidates[c].id())},
                                 {QStringLiteral("bytes"), static_cast<qint64>(t.bytes)},
                                 {QStringLiteral("relative_error"), t.relativeError},
                                 {QStringLiteral("sqnr_db"), number(t.sqnrDb)},
                                 {QStringLiteral("not_applicable"), t.notApplicable}});
    }
    root[QStringLiteral("formats")] = cands;
    QJsonArray tensors;
    for (size_t i : rankWorstFirst(r)) {
        const TensorAnalysis &a = r.tensors[i];
        const TensorStatistics &s = a.stats;
        QJsonArray shape;
        for (int64_t d : a.shape)
            shape.append(static_cast<qint64>(d));
        QJsonObject stats{{QStringLiteral("count"), static_cast<qint64>(s.count)}, {QStringLiteral("min"), s.min},
                          {QStringLiteral("max"), s.max}, {QStringLiteral("mean"), s.mean},
                          {QStringLiteral("std"), s.stddev}, {QStringLiteral("skewness"), s.skewness},
                          {QStringLiteral("kurtosis"), s.kurtosis}, {QStringLiteral("abs_max"), s.absMax},
                          {QStringLiteral("p0_1"), s.p001}, {QStringLiteral("p1"), s.p01}, {QStringLiteral("p50"), s.p50},
                          {QStringLiteral("p99"), s.p99}, {QStringLiteral("p99_9"), s.p999},
                          {QStringLiteral("outlier_fraction"), s.outlierFraction},
                          {QStringLiteral("zero_fraction"), s.zeroFraction},
                          {QStringLiteral("histogram"), histogramJson(s.histogram)},
                          {QStringLiteral("symlog_histogram"), histogramJson(s.symlogHistogram)},
                          {QStringLiteral("symlog_linear"), s.symlogLinear}};
        QJsonArray results;
        for (const auto &cr : a.candidates) {
            QJsonObject o{{QStringLiteral("format"), QString::fromStdString(cr.candidate.id())},
                          {QStringLiteral("applicable"), cr.applicable}};
            if (!cr.applicable) {
                o[QStringLiteral("note")] = QString::fromStdString(cr.note);
            } else {
                const ErrorStats &e = cr.errors;
                o[QStringLiteral("mse")] = e.mse();
                o[QStringLiteral("rmse")] = e.rmse();
                o[QStringLiteral("relative_error")] = e.relativeError();
                o[QStringLiteral("sqnr_db")] = number(e.sqnrDb());
                o[QStringLiteral("max_abs_error")] = e.maxAbsErr;
                o[QStringLiteral("mean_step")] = e.meanStep();
                o[QStringLiteral("rmse_over_step")] = e.rmseOverStep();
                if (a.weighted)
                    o[QStringLiteral("weighted_relative_error")] = e.weightedRelativeError();
                o[QStringLiteral("bytes")] = static_cast<qint64>(cr.bytes);
                o[QStringLiteral("bits_per_weight")] = cr.bitsPerWeight;
                o[QStringLiteral("abs_error_log10_histogram")] = histogramJson(e.absErrorLog);
            }
            results.append(o);
        }
        tensors.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(a.name)},
                                   {QStringLiteral("gguf_name"), QString::fromStdString(a.ggufName)},
                                   {QStringLiteral("role"), QLatin1String(roleId(a.role).data())},
                                   {QStringLiteral("layer"), a.layer},
                                   {QStringLiteral("shape"), shape},
                                   {QStringLiteral("statistics"), stats},
                                   {QStringLiteral("formats"), results}});
    }
    root[QStringLiteral("tensors")] = tensors;
    return root;
}

} // namespace qs
