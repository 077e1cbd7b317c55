// The SIMD fast paths against the scalar oracle: for every format, with and without importance weights, thousands
// of super-blocks drawn from distributions chosen to hit the edge cases (constant and all-zero sub-blocks, single
// outliers, values tied by bf16 rounding, tiny and huge magnitudes, one-signed blocks) quantize to identical bytes.
#include "formats/ggml_type.h"
#include "formats/simd.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace qs;
namespace simd = qs::formats::simd;

namespace {

constexpr int kRow = 1024;   // 4 super-blocks of 256
constexpr int kRows = 96;

std::vector<float> makeData(const QString &kind, std::mt19937 &rng)
{
    std::vector<float> x(static_cast<size_t>(kRow * kRows));
    std::normal_distribution<float> g(0.f, 1.f);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    std::uniform_int_distribution<int> pick(0, 99);
    for (size_t i = 0; i < x.size(); ++i) {
        float v = g(rng) * 0.02f;
        if (kind == QLatin1String("laplace"))
            v = 0.02f * std::log(std::fabs(u(rng)) + 1e-7f) * (u(rng) > 0 ? 1.f : -1.f);
        else if (kind == QLatin1String("outliers"))
            v = pick(rng) == 0 ? g(rng) * 3.f : g(rng) * 0.01f;
        else if (kind == QLatin1String("bf16-ties"))
            v = std::round(g(rng) * 8.f) / 64.f; // few distinct values: many exact ties
        else if (kind == QLatin1String("tiny"))
            v = g(rng) * 1e-20f;
        else if (kind == QLatin1String("huge"))
            v = g(rng) * 1e20f;
        else if (kind == QLatin1String("positive"))
            v = std::fabs(g(rng)) + 0.5f;
        else if (kind == QLatin1String("negative"))
            v = -std::fabs(g(rng)) - 0.5f;
        x[i] = v;
    }
    if (kind == QLatin1String("patchy")) {
        // whole sub-blocks of zeros, of one negative or positive constant, and single-value spikes
        for (size_t b = 0; b < x.size() / 16; ++b) {
            const int r = pick(rng);
            for (size_t k = 0; k < 16; ++k) {
                float &v = x[16 * b + k];
                if (r < 15)
                    v = 0.f;
                else if (r < 25)
                    v = -0.75f;
                else if (r < 35)
                    v = 0.125f;
                else if (r < 40)
                    v = k == 3 ? 5.f : 0.f;
            }
        }
    }
    return x;
}

} // namespace

class TestSimdKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        simd::setEnabled(true);
        if (!simd::enabled())
            QSKIP("this processor has no AVX2: only the scalar path exists here");
    }
    void cleanupTestCase() { simd::setEnabled(true); }

    void sameBytesAsScalar_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("imatrix");
        const GgmlType types[] = {GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0,
                                  GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K,
                                  GgmlType::IQ4_NL, GgmlType::IQ4_XS};
        const char *kinds[] = {"gauss", "laplace", "outliers", "bf16-ties", "tiny", "huge", "positive", "negative", "patchy"};
        for (GgmlType t : types)
            for (const char *k : kinds)
                for (bool im : {false, true})
                    QTest::newRow(qPrintable(QStringLiteral("%1/%2/%3").arg(QLatin1String(typeTraits(t).name.data()), QLatin1String(k),
                                                                            im ? QStringLiteral("imatrix") : QStringLiteral("plain"))))
                        << static_cast<int>(t) << QString::fromLatin1(k) << im;
    }

    void sameBytesAsScalar()
    {
        QFETCH(int, type);
        QFETCH(QString, kind);
        QFETCH(bool, imatrix);
        const TypeTraits &t = typeTraits(static_cast<GgmlType>(type));
        std::mt19937 rng(static_cast<unsigned>(qHash(kind) ^ static_cast<unsigned>(type)));
        const std::vector<float> x = makeData(kind, rng);
        std::vector<float> im(kRow);
        std::uniform_real_distribution<float> u(0.f, 3.f);
        for (auto &v : im)
            v = u(rng) < 0.2f ? 0.f : u(rng); // zeros too: llama-imatrix leaves unseen columns at 0
        const size_t bytes = static_cast<size_t>(kRows * rowBytes(t, kRow));
        std::vector<uint8_t> fast(bytes, 0x11), slow(bytes, 0x22);
        simd::setEnabled(true);
        t.quantize(x.data(), fast.data(), kRows, kRow, imatrix ? im.data() : nullptr);
        simd::setEnabled(false);
        t.quantize(x.data(), slow.data(), kRows, kRow, imatrix ? im.data() : nullptr);
        simd::setEnabled(true);
        int differing = 0;
        for (size_t b = 0; b < bytes / static_cast<size_t>(t.typeSize); ++b)
            differing += std::memcmp(fast.data() + b * t.typeSize, slow.data() + b * t.typeSize, static_cast<size_t>(t.typeSize)) != 0;
        QVERIFY2(differing == 0, qPrintable(QStringLiteral("%1 blocks differ").arg(differing)));
    }
};

QTEST_GUILESS_MAIN(TestSimdKernels)
#include "tst_simd_kernels.moc"
