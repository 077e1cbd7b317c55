// GPTQ-compensated GGUF blocks on a synthetic layer (correlated inputs, so GPTQ has something to compensate): for
// each of the 12 formats, with and without importance weights, the bytes are ordinary blocks that the reference
// dequantizer reads as exactly the values the sweep used, and the layer loss is below plain quantization's. With
// H = I nothing propagates: every block header is the exporter's, byte for byte, and every value is at least as
// near to its weight as the exporter's. For Q2_K..Q6_K, which requantize against their stored grid as the sweep
// does, the bytes are the exporter's; elsewhere llama.cpp's quants are not always the nearest level of the stored
// grid (Q4_0/Q5_0/Q8_0 round with the fp32 scale before its fp16 rounding, the legacy importance paths and IQ4 keep
// their search's levels), so a few values (< 1%) differ, each nearer its weight. Bad input is a clear error. The plan's "compensate" and the pipeline on the demo model: the file has the plain file's types
// and size, names its compensated tensors, and the CLI writes it.
#include "formats/blocks.h"
#include "formats/ggml_type.h"
#include "pipeline/compensated_gguf.h"
#include "solvers/gptq_gguf.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace qs;

namespace {

constexpr int64_t kRows = 24, kCols = 512;

std::vector<float> syntheticWeights(int64_t rows, int64_t cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.f, 1.f);
    std::vector<float> w(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r) {
        const float rowScale = 0.02f * (1.f + static_cast<float>(r % 5));
        for (int64_t c = 0; c < cols; ++c)
            w[static_cast<size_t>(r * cols + c)] = rowScale * n(rng) * (c % 97 == 3 ? 6.f : 1.f); // a few outlier columns
    }
    return w;
}

// 2/N X^T X of inputs correlated along the columns (AR(1), coefficient 0.9) with uneven column scales
std::vector<float> correlatedHessian(int64_t cols, int64_t samples, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0., 1.);
    std::vector<double> h(static_cast<size_t>(cols * cols), 0.0), x(static_cast<size_t>(cols));
    for (int64_t s = 0; s < samples; ++s) {
        double prev = n(rng);
        for (int64_t c = 0; c < cols; ++c) {
            prev = 0.9 * prev + 0.44 * n(rng);
            x[static_cast<size_t>(c)] = prev * (1.0 + 0.5 * static_cast<double>(c % 7));
        }
        for (int64_t i = 0; i < cols; ++i)
            for (int64_t j = 0; j <= i; ++j)
                h[static_cast<size_t>(i * cols + j)] += x[static_cast<size_t>(i)] * x[static_cast<size_t>(j)];
    }
    std::vector<float> H(h.size());
    for (int64_t i = 0; i < cols; ++i)
        for (int64_t j = 0; j <= i; ++j)
            H[static_cast<size_t>(i * cols + j)] = H[static_cast<size_t>(j * cols + i)] =
                static_cast<float>(2.0 * h[static_cast<size_t>(i * cols + j)] / static_cast<double>(samples));
    return H;
}

std::vector<float> identity(int64_t cols)
{
    std::vector<float> H(static_cast<size_t>(cols * cols), 0.f);
    for (int64_t i = 0; i < cols; ++i)
        H[static_cast<size_t>(i * cols + i)] = 1.f;
    return H;
}

std::vector<float> importance(int64_t cols)
{
    std::vector<float> im(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c)
        im[static_cast<size_t>(c)] = 0.2f + static_cast<float>((c * 37) % 11);
    return im;
}

// The header fields of a block (scales, mins, sub-scales: everything but the quants), from blocks.h's layouts.
std::vector<uint8_t> header(GgmlType t, const uint8_t *b)
{
    std::vector<uint8_t> h;
    auto add = [&](const void *p, size_t n) { h.insert(h.end(), static_cast<const uint8_t *>(p), static_cast<const uint8_t *>(p) + n); };
    switch (t) {
    case GgmlType::Q4_0: { auto x = reinterpret_cast<const BlockQ4_0 *>(b); add(&x->d, 2); break; }
    case GgmlType::Q4_1: { auto x = reinterpret_cast<const BlockQ4_1 *>(b); add(&x->d, 2); add(&x->m, 2); break; }
    case GgmlType::Q5_0: { auto x = reinterpret_cast<const BlockQ5_0 *>(b); add(&x->d, 2); break; }
    case GgmlType::Q5_1: { auto x = reinterpret_cast<const BlockQ5_1 *>(b); add(&x->d, 2); add(&x->m, 2); break; }
    case GgmlType::Q8_0: { auto x = reinterpret_cast<const BlockQ8_0 *>(b); add(&x->d, 2); break; }
    case GgmlType::Q2_K: { auto x = reinterpret_cast<const BlockQ2_K *>(b); add(x->scales, 16); add(&x->d, 2); add(&x->dmin, 2); break; }
    case GgmlType::Q3_K: { auto x = reinterpret_cast<const BlockQ3_K *>(b); add(x->scales, 12); add(&x->d, 2); break; }
    case GgmlType::Q4_K: { auto x = reinterpret_cast<const BlockQ4_K *>(b); add(&x->d, 2); add(&x->dmin, 2); add(x->scales, 12); break; }
    case GgmlType::Q5_K: { auto x = reinterpret_cast<const BlockQ5_K *>(b); add(&x->d, 2); add(&x->dmin, 2); add(x->scales, 12); break; }
    case GgmlType::Q6_K: { auto x = reinterpret_cast<const BlockQ6_K *>(b); add(x->scales, 16); add(&x->d, 2); break; }
    case GgmlType::IQ4_NL: { auto x = reinterpret_cast<const BlockIQ4_NL *>(b); add(&x->d, 2); break; }
    case GgmlType::IQ4_XS: { auto x = reinterpret_cast<const BlockIQ4_XS *>(b); add(&x->d, 2); add(&x->scales_h, 2); add(x->scales_l, 4); break; }
    default: break;
    }
    return h;
}

const GgmlType kTypes[] = {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K,
                           GgmlType::Q3_K, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_NL, GgmlType::IQ4_XS};

void formatRows()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("withImatrix");
    for (GgmlType t : kTypes)
        for (bool im : {false, true})
            QTest::newRow(qPrintable(QString::fromLatin1(typeTraits(t).name.data(), static_cast<qsizetype>(typeTraits(t).name.size())) +
                                     (im ? QStringLiteral(" imatrix") : QString())))
                << static_cast<int>(t) << im;
}

} // namespace

class TestGptqGguf : public QObject {
    Q_OBJECT
    std::vector<float> m_w, m_h;

private Q_SLOTS:
    void initTestCase()
    {
        m_w = syntheticWeights(kRows, kCols, 11);
        m_h = correlatedHessian(kCols, 1024, 5);
    }

    void bytesDequantizeToTheSweptValuesAndBeatPlain_data() { formatRows(); }
    void bytesDequantizeToTheSweptValuesAndBeatPlain()
    {
        QFETCH(int, type);
        QFETCH(bool, withImatrix);
        const GgmlType t = static_cast<GgmlType>(type);
        GgufGptqOptions o;
        o.type = t;
        if (withImatrix)
            o.importance = importance(kCols);
        auto r = gptqGgufQuantize(m_w.data(), kRows, kCols, m_h, o);
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        const TypeTraits &tr = typeTraits(t);
        QCOMPARE(static_cast<int64_t>(r->bytes.size()), kRows * rowBytes(tr, kCols));
        QCOMPARE(static_cast<int64_t>(r->values.size()), kRows * kCols);
        std::vector<float> decoded(static_cast<size_t>(kRows * kCols));
        tr.toFloat(r->bytes.data(), decoded.data(), kRows * kCols);
        // bit for bit: what llama.cpp reads is what the sweep propagated
        QVERIFY(std::memcmp(decoded.data(), r->values.data(), decoded.size() * sizeof(float)) == 0);
        QCOMPARE(r->loss, hessianLoss(m_w.data(), decoded.data(), kRows, kCols, m_h.data()));
        // the baseline is what the exporter writes
        std::vector<uint8_t> plain(r->bytes.size());
        std::vector<float> plainValues(decoded.size());
        tr.quantize(m_w.data(), plain.data(), kRows, kCols, withImatrix && tr.usesImatrix ? o.importance.data() : nullptr);
        tr.toFloat(plain.data(), plainValues.data(), kRows * kCols);
        QCOMPARE(r->plainLoss, hessianLoss(m_w.data(), plainValues.data(), kRows, kCols, m_h.data()));
        qInfo("%s%s: loss %.6g compensated, %.6g plain (%.1f%%)", tr.name.data(), withImatrix ? " imatrix" : "", r->loss, r->plainLoss,
              100.0 * r->loss / r->plainLoss);
        QVERIFY(r->loss < 0.95 * r->plainLoss);
    }

    void identityHessianKeepsTheExportersGrid_data() { formatRows(); }
    void identityHessianKeepsTheExportersGrid()
    {
        QFETCH(int, type);
        QFETCH(bool, withImatrix);
        const GgmlType t = static_cast<GgmlType>(type);
        const TypeTraits &tr = typeTraits(t);
        GgufGptqOptions o;
        o.type = t;
        if (withImatrix)
            o.importance = importance(kCols);
        auto r = gptqGgufQuantize(m_w.data(), kRows, kCols, identity(kCols), o);
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        std::vector<uint8_t> plain(r->bytes.size());
        tr.quantize(m_w.data(), plain.data(), kRows, kCols, withImatrix && tr.usesImatrix ? o.importance.data() : nullptr);
        const int64_t blocks = static_cast<int64_t>(plain.size()) / tr.typeSize;
        for (int64_t b = 0; b < blocks; ++b)
            QVERIFY2(header(t, r->bytes.data() + b * tr.typeSize) == header(t, plain.data() + b * tr.typeSize),
                     qPrintable(QStringLiteral("block %1's header differs from the exporter's").arg(b)));
        std::vector<float> ours(static_cast<size_t>(kRows * kCols)), theirs(ours.size());
        tr.toFloat(r->bytes.data(), ours.data(), kRows * kCols);
        tr.toFloat(plain.data(), theirs.data(), kRows * kCols);
        int64_t same = 0;
        for (size_t i = 0; i < ours.size(); ++i) {
            QVERIFY2(std::fabs(m_w[i] - ours[i]) <= std::fabs(m_w[i] - theirs[i]), qPrintable(QStringLiteral("element %1").arg(i)));
            same += ours[i] == theirs[i];
        }
        qInfo("%s%s: %.3f%% of the values are the exporter's", tr.name.data(), withImatrix ? " imatrix" : "",
              100.0 * static_cast<double>(same) / static_cast<double>(ours.size()));
        // the K-quants requantize against their stored grid, as the sweep does: there the bytes are the exporter's
        if (tr.blockSize == 256 && t != GgmlType::IQ4_XS)
            QVERIFY(r->bytes == plain);
        // the rest are nearer the weight than the exporter's quant: a minority
        QVERIFY(same >= static_cast<int64_t>(0.9 * static_cast<double>(ours.size())));
    }

    void badInputIsAClearError()
    {
        GgufGptqOptions o;
        o.type = GgmlType::Q4_K;
        // 384 columns are not whole super-blocks of 256
        const auto w = syntheticWeights(4, 384, 1);
        auto r = gptqGgufQuantize(w.data(), 4, 384, identity(384), o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("do not split into Q4_K blocks of 256") != std::string::npos, r.error().message.c_str());
        // a Hessian that no damping makes positive definite
        std::vector<float> neg = identity(kCols);
        for (float &v : neg)
            v = -v;
        r = gptqGgufQuantize(m_w.data(), kRows, kCols, neg, o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("does not factorise") != std::string::npos, r.error().message.c_str());
        std::vector<float> nan = m_h;
        nan[5] = std::nanf("");
        r = gptqGgufQuantize(m_w.data(), kRows, kCols, nan, o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("not finite") != std::string::npos && r.error().message.find("row 0, column 5") != std::string::npos,
                 r.error().message.c_str());
        // a Hessian of the wrong size, importance weights of the wrong length, a type without a block quantizer
        r = gptqGgufQuantize(m_w.data(), kRows, kCols, identity(kCols - 1), o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("511 x 511") == std::string::npos && r.error().message.find("512 x 512") != std::string::npos,
                 r.error().message.c_str());
        o.importance.assign(100, 1.f);
        r = gptqGgufQuantize(m_w.data(), kRows, kCols, m_h, o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("importance") != std::string::npos, r.error().message.c_str());
        o.importance.clear();
        o.type = GgmlType::IQ2_XS;
        r = gptqGgufQuantize(m_w.data(), kRows, kCols, m_h, o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("IQ2_XS") != std::string::npos, r.error().message.c_str());
        // a lazy block that would split a super-block's header choice from its weights' updates
        o.type = GgmlType::Q4_K;
        o.blockSize = 96;
        r = gptqGgufQuantize(m_w.data(), kRows, kCols, m_h, o);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("lazy block") != std::string::npos, r.error().message.c_str());
    }

    void planSaysWhichTensorsToCompensate()
    {
        auto all = Plan::fromJson("{\"format\": \"quantscope.plan/2\", \"preset\": \"Q4_K_M\", \"compensate\": true}");
        QVERIFY(all);
        QVERIFY(all->compensate && all->compensate->empty());
        QVERIFY(all->compensates("blk.0.attn_q.weight", ""));
        auto some = Plan::fromJson("{\"format\": \"quantscope.plan/2\", \"preset\": \"Q4_K_M\", \"compensate\": \"MLP\\\\.down\"}");
        QVERIFY2(some, some ? "" : some.error().message.c_str());
        QVERIFY(some->compensates("blk.0.ffn_down.weight", "model.layers.0.mlp.down_proj.weight"));
        QVERIFY(!some->compensates("blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight"));
        auto back = Plan::fromJson(some->toJson());
        QVERIFY(back);
        QCOMPARE(*back->compensate, std::string("MLP\\.down"));
        QVERIFY(!Plan::fromJson(Plan{}.toJson())->compensate);
        auto none = Plan::fromJson("{\"format\": \"quantscope.plan/2\", \"compensate\": false}");
        QVERIFY(none && !none->compensate);
        auto bad = Plan::fromJson("{\"format\": \"quantscope.plan/2\", \"compensate\": 3}");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.rfind("compensate:", 0) == 0, bad.error().message.c_str());
        bad = Plan::fromJson("{\"format\": \"quantscope.plan/2\", \"compensate\": \"(\"}");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("not a regular expression") != std::string::npos, bad.error().message.c_str());
    }

    void demoModelFileKeepsThePlainTypesAndSize()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        std::shared_ptr<const Model> model = *m;
        auto cal = randomCalibration(test::demoTokens(), 8, 256, 1);
        QVERIFY(cal);
        QTemporaryDir dir;
        const std::string plainPath = dir.filePath(QStringLiteral("plain.gguf")).toStdString();
        const std::string compPath = dir.filePath(QStringLiteral("comp.gguf")).toStdString();
        QuantizeOptions qo;
        qo.plan.preset = "Q4_K_M";
        QVERIFY(quantizeModel(*model, qo, plainPath));
        qo.plan.compensate = "ffn_down|attn_v"; // a pattern: only those
        auto r = quantizeCompensatedModel(model, qo, *cal, {}, compPath);
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        QCOMPARE(r->compensated.size(), size_t(4)); // 2 layers x (ffn_down, attn_v)
        for (const auto &t : r->compensated) {
            QVERIFY2(t.name.find("ffn_down") != std::string::npos || t.name.find("attn_v") != std::string::npos, t.name.c_str());
            QVERIFY2(t.loss < t.plainLoss, t.name.c_str());
        }
        auto a = Model::open(plainPath), b = Model::open(compPath);
        QVERIFY(a && b);
        QCOMPARE(QFileInfo(QString::fromStdString(compPath)).size() > 0, true);
        QCOMPARE((*b)->tensors().size(), (*a)->tensors().size());
        int differ = 0;
        for (size_t i = 0; i < (*a)->tensors().size(); ++i) {
            const ModelTensor &x = (*a)->tensors()[i], &y = (*b)->tensors()[i];
            QCOMPARE(y.name, x.name);
            QCOMPARE(y.ggml->type, x.ggml->type);
            QCOMPARE(y.bytes, x.bytes);
            std::vector<uint8_t> bx(static_cast<size_t>(x.bytes)), by(bx.size());
            QVERIFY((*a)->readRawRows(i, 0, x.rows(), bx.data()));
            QVERIFY((*b)->readRawRows(i, 0, y.rows(), by.data()));
            const bool compensated = std::any_of(r->compensated.begin(), r->compensated.end(), [&](const CompensatedTensor &t) { return t.name == x.name; });
            // the compensated tensors change, nothing else does
            QVERIFY2((bx != by) == compensated, x.name.c_str());
            differ += bx != by;
        }
        QCOMPARE(differ, 4);
        const auto &meta = (*b)->gguf()->metadata;
        const auto listed = std::find_if(meta.begin(), meta.end(), [](const GgufKeyValue &kv) { return kv.key == "quantscope.compensated.tensors"; });
        QVERIFY(listed != meta.end());
        QCOMPARE(listed->value.strings.size(), size_t(4));
        // a GGUF source is refused: its rows are not in the layout the solver works in
        auto g = quantizeCompensatedModel(*b, qo, *cal, {}, dir.filePath(QStringLiteral("again.gguf")).toStdString());
        QVERIFY(!g);
        QVERIFY2(g.error().message.find("Hugging Face model folder") != std::string::npos, g.error().message.c_str());
    }

    void cliWritesACompensatedFile()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.gguf"));
        auto run = test::runCli({QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q4_K_M"),
                                 QStringLiteral("--compensate"), QStringLiteral("--samples"), QStringLiteral("4"), QStringLiteral("--seqlen"),
                                 QStringLiteral("128"), QStringLiteral("-o"), out});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("14 GPTQ-compensated"), run.out.constData());
        QVERIFY(QFileInfo::exists(out));
        // no output: a wrong command line
        run = test::runCli({QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q4_K_M"),
                            QStringLiteral("--compensate")});
        QCOMPARE(run.exitCode, 2);
        // a plan that compensates nothing it can: bad input
        run = test::runCli({QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("BF16"),
                            QStringLiteral("--compensate"), QStringLiteral("-o"), dir.filePath(QStringLiteral("bf16.gguf"))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("compensates no tensor"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestGptqGguf)
#include "tst_gptq_gguf.moc"
