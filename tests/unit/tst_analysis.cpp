// The analysis engine against naive double-precision computations: statistics, percentiles, per-row/column norms,
// every error metric against quantize-dequantize-compare, the heatmap's pooling, thread-count independence, and
// quantscope-cli analyze.
#include "analysis/analysis_report.h"
#include "analysis/model_grid.h"
#include "plan/resolve.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

using namespace qs;

namespace {

std::shared_ptr<const Model> demo()
{
    auto m = Model::open(qs::test::demoModelDir().toStdString());
    return m ? *m : nullptr;
}

std::vector<float> readAll(const Model &m, size_t i)
{
    const ModelTensor &t = m.tensors()[i];
    std::vector<float> v(static_cast<size_t>(t.elements));
    if (auto st = m.readRows(i, 0, t.rows(), v.data()); !st)
        qFatal("reading %s: %s", t.name.c_str(), st.error().describe().c_str());
    return v;
}

bool close(double a, double b, double rel) { return std::fabs(a - b) <= rel * std::max({std::fabs(a), std::fabs(b), 1e-30}); }

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void momentsMergeExactly()
    {
        // a large mean and a small spread: raw power sums would cancel catastrophically
        std::mt19937 rng(7);
        std::normal_distribution<float> g(5.0f, 0.01f);
        std::vector<float> x(100003);
        for (auto &v : x)
            v = g(rng);
        Moments whole, parts;
        whole.addChunk(x.data(), static_cast<int64_t>(x.size()));
        for (size_t s = 0; s < x.size(); s += 777)
            parts.addChunk(x.data() + s, static_cast<int64_t>(std::min<size_t>(777, x.size() - s)));
        double mean = 0;
        for (float v : x)
            mean += v;
        mean /= static_cast<double>(x.size());
        double m2 = 0, m3 = 0, m4 = 0;
        for (float v : x) {
            const double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        const double n = static_cast<double>(x.size());
        for (const Moments *m : {&whole, &parts}) {
            QVERIFY(close(m->mean, mean, 1e-12));
            QVERIFY(close(m->variance(), m2 / n, 1e-9));
            QVERIFY(std::fabs(m->skewness() - std::sqrt(n) * m3 / std::pow(m2, 1.5)) < 1e-6);
            QVERIFY(close(m->kurtosis(), n * m4 / (m2 * m2), 1e-6));
        }
        QVERIFY(std::fabs(whole.kurtosis() - 3.0) < 0.1); // gaussian
    }

    void statisticsMatchNaive()
    {
        auto m = demo();
        QVERIFY(m);
        AnalysisOptions opt;
        opt.candidates = {*QuantFormat::parse("q4_k")};
        opt.tensors = {"model.layers.1.mlp.down_proj.weight"};
        auto r = analyzeModel(*m, opt);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->tensors.size(), size_t(1));
        const TensorAnalysis &a = r->tensors[0];
        const TensorStatistics &s = a.stats;
        std::vector<float> x = readAll(*m, a.index);
        const double n = static_cast<double>(x.size());
        double sum = 0, amax = 0;
        float mn = x[0], mx = x[0];
        int64_t zeros = 0;
        for (float v : x) {
            sum += v;
            mn = std::min(mn, v);
            mx = std::max(mx, v);
            amax = std::max(amax, static_cast<double>(std::fabs(v)));
            zeros += v == 0.f;
        }
        const double mean = sum / n;
        double m2 = 0, m3 = 0, m4 = 0;
        for (float v : x) {
            const double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        const double sd = std::sqrt(m2 / n);
        int64_t outliers = 0;
        for (float v : x)
            outliers += std::fabs(v - mean) > 6 * sd;
        QCOMPARE(s.count, static_cast<int64_t>(x.size()));
        QVERIFY(close(s.mean, mean, 1e-9));
        QVERIFY(close(s.stddev, sd, 1e-9));
        QVERIFY(close(s.skewness, std::sqrt(n) * m3 / std::pow(m2, 1.5), 1e-6));
        QVERIFY(close(s.kurtosis, n * m4 / (m2 * m2), 1e-6));
        QCOMPARE(s.min, static_cast<double>(mn));
        QCOMPARE(s.max, static_cast<double>(mx));
        QCOMPARE(s.absMax, amax);
        QCOMPARE(s.zeroFraction, static_cast<double>(zeros) / n);
        QCOMPARE(s.outlierFraction, static_cast<double>(outliers) / n);
        // percentiles: within one fine bin of the exact order statistic
        std::vector<float> sorted = x;
        std::sort(sorted.begin(), sorted.end());
        const double bin = (s.max - s.min) / kFineBins;
        for (const auto &[q, got] : {std::pair{0.001, s.p001}, {0.01, s.p01}, {0.5, s.p50}, {0.99, s.p99}, {0.999, s.p999}}) {
            const double exact = sorted[static_cast<size_t>(q * n)];
            QVERIFY2(std::fabs(got - exact) <= 2 * bin, qPrintable(QStringLiteral("p%1: %2 vs %3").arg(q).arg(got).arg(exact)));
        }
        QCOMPARE(s.histogram.total(), static_cast<uint64_t>(x.size()));
        QCOMPARE(s.symlogHistogram.total(), static_cast<uint64_t>(x.size()));
        // rows and columns
        const int64_t rows = a.rows, cols = a.cols;
        for (int64_t rr : {int64_t(0), rows / 2, rows - 1}) {
            double l2 = 0, ra = 0;
            for (int64_t c = 0; c < cols; ++c) {
                l2 += static_cast<double>(x[static_cast<size_t>(rr * cols + c)]) * x[static_cast<size_t>(rr * cols + c)];
                ra = std::max(ra, static_cast<double>(std::fabs(x[static_cast<size_t>(rr * cols + c)])));
            }
            QVERIFY(close(s.rowL2[static_cast<size_t>(rr)], std::sqrt(l2), 1e-6));
            QCOMPARE(static_cast<double>(s.rowAbsMax[static_cast<size_t>(rr)]), ra);
        }
        double c7 = 0;
        for (int64_t rr = 0; rr < rows; ++rr)
            c7 += static_cast<double>(x[static_cast<size_t>(rr * cols + 7)]) * x[static_cast<size_t>(rr * cols + 7)];
        QVERIFY(close(s.colL2[7], std::sqrt(c7), 1e-6));
    }

    void errorsMatchDequantizeAndCompare_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *f : {"q4_0", "q5_1", "q8_0", "q2_k", "q3_k", "q4_k", "q5_k", "q6_k", "iq4_nl", "iq4_xs"})
            QTest::newRow(f) << f;
    }

    void errorsMatchDequantizeAndCompare()
    {
        QFETCH(QString, format);
        auto m = demo();
        AnalysisOptions opt;
        opt.candidates = {*QuantFormat::parse(format.toStdString())};
        opt.tensors = {"blk.0.ffn_up.weight"};
        auto r = analyzeModel(*m, opt);
        QVERIFY(r.ok());
        const TensorAnalysis &a = r->tensors[0];
        const CandidateResult &cr = a.candidates[0];
        const std::vector<float> x = readAll(*m, a.index);
        const TypeTraits &t = typeTraits(opt.candidates[0].type);
        std::vector<uint8_t> q(static_cast<size_t>(a.rows * rowBytes(t, a.cols)));
        t.quantize(x.data(), q.data(), a.rows, a.cols, nullptr);
        std::vector<float> y(x.size());
        t.toFloat(q.data(), y.data(), static_cast<int64_t>(x.size()));
        double se = 0, sw = 0, maxe = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const double e = static_cast<double>(x[i]) - y[i];
            se += e * e;
            sw += static_cast<double>(x[i]) * x[i];
            maxe = std::max(maxe, std::fabs(e));
        }
        double steps = 0;
        const int64_t nblocks = static_cast<int64_t>(x.size()) / t.blockSize;
        for (int64_t b = 0; b < nblocks; ++b)
            steps += t.step(q.data() + b * t.typeSize);
        QVERIFY(close(cr.errors.mse(), se / static_cast<double>(x.size()), 1e-9));
        QVERIFY(close(cr.errors.relativeError(), std::sqrt(se / sw), 1e-9));
        QVERIFY(close(cr.errors.sqnrDb(), 10 * std::log10(sw / se), 1e-9));
        QCOMPARE(cr.errors.maxAbsErr, maxe);
        QVERIFY(close(cr.errors.meanStep(), steps / static_cast<double>(nblocks), 1e-9));
        QCOMPARE(cr.bytes, static_cast<uint64_t>(q.size()));
        QCOMPARE(cr.errors.absErrorLog.total() + static_cast<uint64_t>(cr.errors.exactZeros), static_cast<uint64_t>(x.size()));
        // healthy rounding: the RMS error sits near a third of the step (0.289 for ideal uniform rounding)
        QVERIFY2(cr.errors.rmseOverStep() > 0.15 && cr.errors.rmseOverStep() < 0.45, qPrintable(QString::number(cr.errors.rmseOverStep())));
        // the heatmap conserves the error: sum of cell means x elements = sum |error|
        const ErrorGrid &g = cr.grid;
        QVERIFY(g.pooledRows <= 1024 && g.pooledBlocks <= 1024);
        double cells = 0;
        float gridMax = 0;
        for (size_t i = 0; i < g.meanAbs.size(); ++i) {
            cells += static_cast<double>(g.meanAbs[i]) * g.elements[i];
            gridMax = std::max(gridMax, g.maxAbs[i]);
        }
        QVERIFY(close(cells, cr.errors.sumAbsErr, 1e-5));
        QCOMPARE(static_cast<double>(gridMax), maxe);
        // and the signed map conserves the bias: sum of cell means x elements = sum (Q(W) - W)
        double signedCells = 0, signedSum = 0, absSum = 0;
        for (size_t i = 0; i < g.meanSigned.size(); ++i)
            signedCells += static_cast<double>(g.meanSigned[i]) * g.elements[i];
        for (size_t i = 0; i < x.size(); ++i) {
            signedSum += static_cast<double>(y[i]) - x[i];
            absSum += std::fabs(static_cast<double>(y[i]) - x[i]);
        }
        QCOMPARE(g.meanSigned.size(), g.meanAbs.size());
        QVERIFY2(std::fabs(signedCells - signedSum) <= 1e-5 * absSum, qPrintable(QStringLiteral("%1 vs %2").arg(signedCells).arg(signedSum)));
        for (size_t i = 0; i < g.meanSigned.size(); ++i)
            QVERIFY(std::fabs(g.meanSigned[i]) <= g.meanAbs[i] * (1 + 1e-5f));
    }

    void integerFormats()
    {
        // exactly representable rows lose nothing; an outlier costs the rest of its group
        float x[8] = {0, 1, 2, 3, 0, 1, 2, 3}, y[8], steps[2];
        rtnQuantizeRow(x, 8, 2, 4, false, y, steps);
        for (int i = 0; i < 8; ++i)
            QCOMPARE(y[i], x[i]);
        QCOMPARE(steps[0], 1.0f);
        float z[4] = {-7, 0, 3.5f, 7}, w[4], st[1];
        rtnQuantizeRow(z, 4, 4, 0, true, w, st); // int4 symmetric, whole row: scale 1
        QCOMPARE(st[0], 1.0f);
        QCOMPARE(w[2], 4.0f); // 3.5 rounds half to even
        auto c = QuantFormat::parse("INT4-G128-ASYM");
        QVERIFY(c.ok());
        QCOMPARE(c->id(), std::string("int4-g128-asym"));
        // RTN is stored as a GPTQ checkpoint: a Llama-2-7B q_proj is the published 4-bit g128 layer's 8,732,672 bytes
        // (qweight 8 MiB, qzeros 32 x 512 words, fp16 scales 32 x 4096, g_idx 4096 words)
        QCOMPARE(c->bytes(4096, 4096), uint64_t(8732672));
        QCOMPARE(c->bitsPerWeight(4096, 4096), 8.0 * 8732672 / (4096.0 * 4096.0));
        // the same spellings as a plan's: rtn:4:128:asym is this format, gptq:4:128 is symmetric by default
        QCOMPARE(QuantFormat::parse("rtn:4:128")->id(), std::string("int4-g128-asym"));
        QVERIFY(QuantFormat::parse("gptq:4:128")->group.symmetric);
        QCOMPARE(QuantFormat::parse("gptq:4:128:asym")->id(), std::string("gptq:4:128:asym"));
        QCOMPARE(QuantFormat::parse("keep")->kind, QuantFormat::Kind::Keep);
        QVERIFY(!QuantFormat::parseList("q4_k,keep").ok());
        for (const char *bad : {"int5-g128-asym", "int4-g100-sym", "int4-g128", "q7_k", "f16", "gptq:4:100", "xyz:4:128"})
            QVERIFY2(!QuantFormat::parse(bad).ok(), bad);
    }

    void notApplicableAndThreads()
    {
        auto m = demo();
        AnalysisOptions opt;
        opt.candidates = {*QuantFormat::parse("int4-g128-sym"), *QuantFormat::parse("q6_k"), *QuantFormat::parse("int8-row-asym")};
        opt.tensors = {"blk.1.ffn_down.weight", "blk.0.attn_k.weight"};
        opt.threads = 1;
        auto one = analyzeModel(*m, opt);
        opt.threads = 3;
        auto three = analyzeModel(*m, opt);
        QVERIFY(one.ok() && three.ok());
        for (size_t t = 0; t < one->tensors.size(); ++t) {
            const TensorAnalysis &a = one->tensors[t], &b = three->tensors[t];
            QVERIFY(close(a.stats.mean, b.stats.mean, 1e-12));
            QVERIFY(close(a.stats.kurtosis, b.stats.kurtosis, 1e-9));
            QCOMPARE(a.stats.histogram.counts, b.stats.histogram.counts);
            for (size_t c = 0; c < a.candidates.size(); ++c) {
                QVERIFY(close(a.candidates[c].errors.sumSqErr, b.candidates[c].errors.sumSqErr, 1e-12));
                QCOMPARE(a.candidates[c].grid.maxAbs, b.candidates[c].grid.maxAbs);
            }
        }
        // more bits, less error
        const TensorAnalysis &down = one->tensors[0];
        QVERIFY(down.candidates[2].errors.relativeError() < down.candidates[0].errors.relativeError());
    }

    void uniformImportanceChangesNothingButTheQuantizerPath()
    {
        auto m = demo();
        ImportanceMatrix im;
        im.weights["blk.0.ffn_gate.weight"] = std::vector<float>(256, 1.0f);
        AnalysisOptions opt;
        opt.candidates = {*QuantFormat::parse("q4_k")};
        opt.tensors = {"blk.0.ffn_gate.weight"};
        opt.imatrix = &im;
        auto r = analyzeModel(*m, opt);
        QVERIFY(r.ok());
        QVERIFY(r->tensors[0].weighted);
        const ErrorStats &e = r->tensors[0].candidates[0].errors;
        QVERIFY(close(e.weightedRelativeError(), e.relativeError(), 1e-9));
    }

    void modelGridFollowsThePlan()
    {
        auto m = demo();
        AnalysisOptions opt;
        opt.candidates = *QuantFormat::parseList("q4_k,q6_k,q8_0");
        auto r = analyzeModel(*m, opt);
        QVERIFY(r.ok());
        Plan plan;
        plan.preset = "Q4_K_M";
        auto planned = resolveForModel(*m, plan, false);
        QVERIFY(planned.ok());
        auto g = std::optional(modelErrorGridForPlan(*r, m->architecture().layers, *planned));
        QCOMPARE(g->layers, int64_t(2));
        auto relOf = [&](const char *name, const char *format) {
            for (const auto &t : r->tensors)
                if (t.ggufName == name)
                    for (const auto &c : t.candidates)
                        if (c.candidate.id() == format)
                            return c.errors.relativeError();
            return -1.0;
        };
        const auto &k = ModelErrorGrid::kinds();
        const size_t q = static_cast<size_t>(std::find(k.begin(), k.end(), TensorRole::AttnQ) - k.begin());
        const size_t down = static_cast<size_t>(std::find(k.begin(), k.end(), TensorRole::FfnDown) - k.begin());
        QCOMPARE(g->at(0, q), relOf("blk.0.attn_q.weight", "Q4_K"));
        // Q4_K_M gives the last layer's ffn_down Q6_K (use_more_bits), and the tied embedding the output's Q6_K
        QCOMPARE(g->at(1, down), relOf("blk.1.ffn_down.weight", "Q6_K"));
        QCOMPARE(g->tokenEmbedding, relOf("token_embd.weight", "Q6_K"));
        // a plan asking for a format the analysis did not measure leaves the cell empty
        plan.rules = {{"attn_q", GgmlType::Q2_K}};
        auto g2 = std::optional(modelErrorGridForPlan(*r, m->architecture().layers, *resolveForModel(*m, plan, false)));
        QVERIFY(std::isnan(g2->at(0, q)));
        // a plan of RTN group formats finds its measurement too (the same format type on both sides)
        AnalysisOptions rtnOpt;
        rtnOpt.candidates = *QuantFormat::parseList("q4_k,int4-g128-asym");
        auto rr = analyzeModel(*m, rtnOpt);
        QVERIFY(rr.ok());
        Plan rtn;
        rtn.groupQuant = *IntGroupFormat::parse("rtn:4:128");
        const auto planned3 = resolveForModel(*m, rtn, false);
        QVERIFY(planned3.ok());
        const ModelErrorGrid g3 = modelErrorGridForPlan(*rr, m->architecture().layers, *planned3);
        double rtnErr = -1;
        for (const auto &t : rr->tensors)
            if (t.ggufName == "blk.0.attn_q.weight")
                rtnErr = t.candidates[1].errors.relativeError();
        QVERIFY(rtnErr > 0);
        QCOMPARE(g3.at(0, q), rtnErr);
    }

    void cancelStopsTheAnalysis()
    {
        auto m = demo();
        AnalysisOptions opt;
        opt.candidates = *QuantFormat::parseList("q4_k");
        JobControl job;
        job.onProgress([&](const JobProgress &) { job.cancel(); });
        auto r = analyzeModel(*m, opt, &job);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error().describe()).contains("cancelled"));
    }

    void cli()
    {
        QProcess p;
        p.start(qs::test::cliPath(), {QStringLiteral("analyze"), qs::test::demoModelDir(), QStringLiteral("--formats"),
                                      QStringLiteral("q3_k,int8-g32-sym"), QStringLiteral("--json")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(o.value(QLatin1String("schema")).toString(), QStringLiteral("quantscope.analysis/1"));
        const QJsonArray tensors = o.value(QLatin1String("tensors")).toArray();
        QCOMPARE(tensors.size(), 15); // 2 layers x 7 weights, and the token embedding (tied: it is the output too)
        double previous = 1e9;
        for (const QJsonValue t : tensors) { // worst first
            const double e = t.toObject().value(QLatin1String("formats")).toArray().first().toObject().value(QLatin1String("relative_error")).toDouble();
            QVERIFY(e <= previous);
            previous = e;
        }
        QProcess bad;
        bad.start(qs::test::cliPath(), {QStringLiteral("analyze"), qs::test::demoModelDir(), QStringLiteral("--formats"), QStringLiteral("q9_z")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("q9_z"));
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
