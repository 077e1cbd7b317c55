// The GPTQ solver against the reference's own results (../shared/golden/gptq: layer 2's q_proj and down_proj of
// sotu-llama, their Hessians from the calibration set, and the codes, scales, zeros and g_idx that the reference
// fasterquant computes for seven settings): codes identical for >= 99.9% of weights, scales within 1e-5 relative
// (where the codes agree), zeros and g_idx identical, loss within 0.1%. And GPTQ-compensated GGUF blocks on the same
// layers: for every format, a layer loss tr((W-Q)H(W-Q)^T) below plain quantization's.
#include "io/safetensors.h"
#include "solvers/gptq.h"
#include "solvers/gptq_gguf.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace qs;

namespace {

template <class T>
std::vector<T> tensorOf(const QString &file, const std::string &name, std::vector<int64_t> *shape = nullptr)
{
    auto st = openSafetensors(test::sharedPath(QStringLiteral("golden/gptq/") + file).toStdString());
    if (!st)
        return {};
    for (const auto &t : st->tensors)
        if (t.name == name) {
            const auto b = st->tensorBytes(t);
            std::vector<T> v(b.size() / sizeof(T));
            std::memcpy(v.data(), b.data(), b.size());
            if (shape)
                *shape = t.shape;
            return v;
        }
    return {};
}

QJsonArray configs()
{
    QFile f(test::sharedPath(QStringLiteral("golden/gptq/manifest.json")));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("configs")).toArray() : QJsonArray();
}

} // namespace

class TestGptqGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<int>("index");
        const QJsonArray cs = configs();
        QCOMPARE(cs.size(), 14);
        for (int i = 0; i < cs.size(); ++i) {
            const QJsonObject c = cs[i].toObject();
            QTest::newRow(qPrintable(c.value(QStringLiteral("tensor")).toString() + QLatin1Char(' ') + c.value(QStringLiteral("config")).toString())) << i;
        }
    }
    void matchesReference()
    {
        QFETCH(int, index);
        const QJsonObject c = configs()[index].toObject();
        const std::string tensor = c.value(QStringLiteral("tensor")).toString().toStdString();
        const std::string config = c.value(QStringLiteral("config")).toString().toStdString();
        const QString file = tensor == "blk.2.attn_q" ? QStringLiteral("gptq_q.safetensors") : QStringLiteral("gptq_down.safetensors");
        const QString hfile = tensor == "blk.2.attn_q" ? file : QStringLiteral("gptq_down_H.safetensors");
        std::vector<int64_t> wshape;
        const auto W = tensorOf<float>(file, tensor + ".W", &wshape);
        const auto H = tensorOf<float>(hfile, tensor + ".H");
        QCOMPARE(wshape.size(), size_t(2));
        const int64_t rows = wshape[0], cols = wshape[1];
        QCOMPARE(int64_t(H.size()), cols * cols);

        GptqOptions o;
        o.format = IntGroupFormat{IntGroupMethod::Gptq, c.value(QStringLiteral("bits")).toInt(), c.value(QStringLiteral("group_size")).toInt(),
                                  c.value(QStringLiteral("sym")).toBool()};
        o.actOrder = c.value(QStringLiteral("act_order")).toBool();
        o.staticGroups = c.value(QStringLiteral("static_groups")).toBool();
        o.damp = c.value(QStringLiteral("damp")).toDouble();
        o.blockSize = c.value(QStringLiteral("block")).toInt();
        auto r = gptqQuantize(W.data(), rows, cols, H, o);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const GroupQuantizedTensor &q = r->tensor;
        QVERIFY(q.consistent());

        const auto codes = tensorOf<uint8_t>(file, tensor + "." + config + ".codes");
        const auto scales = tensorOf<float>(file, tensor + "." + config + ".scales");
        const auto zeros = tensorOf<int32_t>(file, tensor + "." + config + ".zeros");
        const auto gIdx = tensorOf<int32_t>(file, tensor + "." + config + ".g_idx");
        QCOMPARE(codes.size(), q.codes.size());
        QCOMPARE(scales.size(), q.scales.size());
        int64_t same = 0;
        for (size_t i = 0; i < codes.size(); ++i)
            same += codes[i] == q.codes[i];
        const double agree = static_cast<double>(same) / static_cast<double>(codes.size());
        double worstScale = 0;
        int64_t zeroMismatch = 0, scalesApart = 0;
        for (size_t i = 0; i < scales.size(); ++i) {
            const double apart = std::fabs(static_cast<double>(q.scales[i]) - scales[i]) / std::max(1e-30, std::fabs(static_cast<double>(scales[i])));
            worstScale = std::max(worstScale, apart);
            scalesApart += apart > 1e-5;
            zeroMismatch += q.zeros[i] != zeros[i];
        }
        const double refLoss = c.value(QStringLiteral("loss")).toDouble();
        qInfo("%s %s: codes %.5f%% identical, worst scale %.2g relative (%lld of %zu groups > 1e-5), %lld zeros differ, loss %.6f "
              "(reference %.6f, %+.4f%%), damp %.4f",
              tensor.c_str(), config.c_str(), 100 * agree, worstScale, static_cast<long long>(scalesApart), scales.size(),
              static_cast<long long>(zeroMismatch), q.loss, refLoss,
              100 * (q.loss / refLoss - 1), r->damp);
        QVERIFY(agree >= 0.999);
        QCOMPARE(q.gIdx, gIdx);
        // The grid is the reference's to float precision. Where a code rounds the other way (a value within an ulp of
        // a level: the BLAS kernels of another CPU sum in another order; OpenBLAS's Zen kernels against the reference's
        // run), the error it feeds forward moves an act-order group's grid found later by a fraction of a percent: a
        // handful of groups, never more than 0.1% of them.
        QVERIFY(worstScale <= (o.actOrder ? 1e-2 : 1e-5));
        QVERIFY(static_cast<double>(scalesApart) <= 0.001 * static_cast<double>(scales.size()));
        QCOMPARE(zeroMismatch, int64_t(0));
        QVERIFY(std::fabs(q.loss / refLoss - 1) <= 0.001);
    }

    // Row slices are independent: any thread count gives the same bytes.
    void threadsDoNotChangeTheResult()
    {
        const auto W = tensorOf<float>(QStringLiteral("gptq_q.safetensors"), "blk.2.attn_q.W");
        const auto H = tensorOf<float>(QStringLiteral("gptq_q.safetensors"), "blk.2.attn_q.H");
        GptqOptions o;
        o.actOrder = true;
        o.threads = 1;
        auto a = gptqQuantize(W.data(), 512, 512, H, o);
        o.threads = 2;
        auto b = gptqQuantize(W.data(), 512, 512, H, o);
        QVERIFY(a && b);
        QCOMPARE(a->tensor.codes, b->tensor.codes);
        QCOMPARE(a->tensor.scales, b->tensor.scales);
    }

    // A Hessian that is not positive definite gets GPTQModel's raised damping; a hopeless one a clear error.
    void dampingIsRaisedThenGivesUp()
    {
        const int64_t n = 64;
        std::vector<float> W(static_cast<size_t>(4 * n), 0.5f), H(static_cast<size_t>(n * n), 0.0f);
        for (int64_t i = 0; i < n; ++i)
            H[static_cast<size_t>(i * n + i)] = i == 0 ? -0.015f : 1.0f; // indefinite until the damping passes 1.5%
        GptqOptions o;
        o.format.groupSize = 32;
        auto r = gptqQuantize(W.data(), 4, n, H, o);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QVERIFY(r->damp > 0.01);
        std::vector<float> neg(static_cast<size_t>(n * n), 0.0f);
        for (int64_t i = 0; i < n; ++i)
            neg[static_cast<size_t>(i * n + i)] = i == 0 ? -1000.0f : 1.0f; // indefinite beyond any damping
        auto bad = gptqQuantize(W.data(), 4, n, neg, o);
        QVERIFY(!bad);
        QVERIFY(QString::fromStdString(bad.error().message).contains(QLatin1String("does not factorise")));
    }

    void compensatedGgufBlocksLoseLess_data()
    {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("hessianFile");
        QTest::newRow("blk.2.attn_q") << "blk.2.attn_q" << "gptq_q.safetensors" << "gptq_q.safetensors";
        QTest::newRow("blk.2.ffn_down") << "blk.2.ffn_down" << "gptq_down.safetensors" << "gptq_down_H.safetensors";
    }
    void compensatedGgufBlocksLoseLess()
    {
        QFETCH(QString, tensor);
        QFETCH(QString, file);
        QFETCH(QString, hessianFile);
        std::vector<int64_t> shape;
        const auto W = tensorOf<float>(file, tensor.toStdString() + ".W", &shape);
        const auto H = tensorOf<float>(hessianFile, tensor.toStdString() + ".H");
        QCOMPARE(shape.size(), size_t(2));
        const int64_t rows = shape[0], cols = shape[1];
        for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K,
                           GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_NL, GgmlType::IQ4_XS}) {
            GgufGptqOptions o;
            o.type = t;
            auto r = gptqGgufQuantize(W.data(), rows, cols, H, o);
            QVERIFY2(r, r ? "" : r.error().describe().c_str());
            qInfo("%s %-6s: layer loss %.5g compensated, %.5g plain (%.1f%%)", qPrintable(tensor), typeTraits(t).name.data(), r->loss,
                  r->plainLoss, 100 * r->loss / r->plainLoss);
            QVERIFY(r->loss < r->plainLoss);
        }
    }
};

QS_TEST_MAIN_SHARED(TestGptqGolden)
#include "tst_gptq_golden.moc"
