// The AWQ kernels on synthetic data: AutoAWQ's pseudo-quantizer by hand, the grid's normalisation, the scale search's
// choice (first strict minimum; the identity only when strictly better), that scaling protects a salient input
// channel, and that the clip search never increases its own error.
#include "solvers/awq.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace qs;

namespace {

// mean over tokens and outputs of (X (Q(W s)/s - W)^T)^2: the loss of a lone Linear
double linearError(const std::vector<float> &x, int64_t tokens, const std::vector<float> &w, int64_t rows, int64_t cols,
                   const std::vector<float> &s, int bits)
{
    std::vector<float> q(w.size());
    awqScaledFakeQuant(w.data(), rows, cols, s.data(), bits, 32, true, q.data());
    double sum = 0;
    for (int64_t t = 0; t < tokens; ++t)
        for (int64_t r = 0; r < rows; ++r) {
            double d = 0;
            for (int64_t c = 0; c < cols; ++c)
                d += static_cast<double>(x[t * cols + c]) * (q[r * cols + c] - w[r * cols + c]);
            sum += d * d;
        }
    return sum / static_cast<double>(tokens * rows);
}

} // namespace

class TestAwq : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pseudoQuantizeByHand()
    {
        // one group of 8: min -1, max 2.5 at 2 bits: scale 3.5/3, zero = clamp(-round(-1/1.1667)) = 1
        std::vector<float> w = {-1.f, -0.4f, 0.f, 0.5833333f, 1.f, 1.75f, 2.5f, 0.2f};
        GroupQuantizedTensor t;
        awqPseudoQuantize(w.data(), 1, 8, 2, 8, true, &t);
        const float scale = 3.5f / 3.f;
        QCOMPARE(t.scales[0], scale);
        QCOMPARE(t.zeros[0], 1);
        // codes clamp(round(w/scale) + 1, 0, 3); 0.5833333/1.1666666 = 0.5 exactly rounds to even (0)
        const std::vector<uint8_t> codes = {0, 1, 1, 1, 2, 3, 3, 1};
        QCOMPARE(t.codes, codes);
        std::vector<float> deq(8);
        t.dequantize(deq.data());
        for (int i = 0; i < 8; ++i)
            QCOMPARE(deq[static_cast<size_t>(i)], w[static_cast<size_t>(i)]); // in place == what the tensor stores
        QVERIFY(t.consistent());
    }

    void gridIsNormalised()
    {
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> u(0.01f, 3.f);
        std::vector<float> xm(64), wm(64);
        for (auto &v : xm)
            v = u(rng);
        for (auto &v : wm)
            v = u(rng) / 3.f;
        for (int k = 0; k < 20; ++k) {
            const auto s = awqGridScales(xm, wm, k);
            const float mx = *std::max_element(s.begin(), s.end()), mn = *std::min_element(s.begin(), s.end());
            QVERIFY(std::fabs(mx * mn - 1.f) < 1e-5f);
        }
        // uniform activations and weights: every grid point is the identity
        const auto s = awqGridScales(std::vector<float>(16, 0.7f), std::vector<float>(16, 0.3f), 5);
        for (float v : s)
            QVERIFY(std::fabs(v - 1.f) < 1e-6f);
    }

    void searchTakesFirstStrictMinimum()
    {
        const std::vector<float> xm = {1.f, 2.f, 4.f, 8.f}, wm = {0.5f, 0.2f, 0.7f, 0.4f};
        std::vector<std::vector<float>> grid;
        for (int k = 0; k < 20; ++k)
            grid.push_back(awqGridScales(xm, wm, k));
        auto kOf = [&](const std::vector<float> &s) {
            for (int k = 0; k < 20; ++k)
                if (s == grid[static_cast<size_t>(k)])
                    return k;
            return -1; // the identity
        };
        auto c = awqSearchScale(xm, wm, [&](const std::vector<float> &s) { return std::abs(kOf(s) - 7) + 1.0; });
        QCOMPARE(c.grid, 7);
        QCOMPARE(c.scales, grid[7]);
        QCOMPARE(c.losses.size(), size_t(20));
        // a flat loss keeps k = 0, and the identity only wins when strictly better
        QCOMPARE(awqSearchScale(xm, wm, [](const std::vector<float> &) { return 1.0; }, true).grid, 0);
        auto id = awqSearchScale(xm, wm, [&](const std::vector<float> &s) { return kOf(s) < 0 ? 0.5 : 1.0; }, true);
        QCOMPARE(id.grid, AwqScaleChoice::kIdentity);
        QCOMPARE(id.losses.size(), size_t(21));
        for (float v : id.scales)
            QCOMPARE(v, 1.f);
    }

    void scalingProtectsSalientChannel()
    {
        // 64 inputs, channel 5 and 40 carry activations 30x larger than the rest: AWQ must beat plain RTN on them
        const int64_t tokens = 256, rows = 32, cols = 64;
        std::mt19937 rng(7);
        std::normal_distribution<float> n(0.f, 1.f);
        std::vector<float> x(static_cast<size_t>(tokens * cols)), w(static_cast<size_t>(rows * cols));
        for (int64_t t = 0; t < tokens; ++t)
            for (int64_t c = 0; c < cols; ++c)
                x[static_cast<size_t>(t * cols + c)] = n(rng) * (c == 5 || c == 40 ? 30.f : 1.f);
        for (auto &v : w)
            v = n(rng);
        const auto xm = awqActivationMean(x.data(), tokens, cols);
        const auto wm = awqWeightMean({w.data()}, {rows}, cols, 32);
        auto loss = [&](const std::vector<float> &s) { return linearError(x, tokens, w, rows, cols, s, 3); };
        const auto c = awqSearchScale(xm, wm, loss, true);
        const double rtn = loss(std::vector<float>(cols, 1.f));
        QCOMPARE(c.losses.back(), rtn);
        QVERIFY(c.grid > 0);
        QVERIFY2(c.losses[static_cast<size_t>(c.grid)] < 0.8 * rtn, qPrintable(QStringLiteral("AWQ %1 vs RTN %2").arg(c.losses[static_cast<size_t>(c.grid)]).arg(rtn)));
    }

    void clipNeverIncreasesError()
    {
        // heavy-tailed weights (a few outliers per group) and 2048 tokens (sampled with step 4)
        const int64_t tokens = 2048, rows = 48, cols = 256;
        std::mt19937 rng(3);
        std::normal_distribution<float> n(0.f, 1.f);
        std::student_t_distribution<float> heavy(2.f);
        std::vector<float> x(static_cast<size_t>(tokens * cols)), w(static_cast<size_t>(rows * cols));
        for (auto &v : x)
            v = n(rng);
        for (auto &v : w)
            v = heavy(rng);
        for (int bits : {3, 4}) {
            std::vector<double> best, unclipped;
            const auto maxVal = awqSearchClip(w.data(), rows, cols, x.data(), tokens, bits, 128, true, 20, 0.5, 512, 0, &best, &unclipped);
            QCOMPARE(maxVal.size(), size_t(rows * 2));
            int clipped = 0;
            for (size_t i = 0; i < maxVal.size(); ++i) {
                QVERIFY(best[i] <= unclipped[i]);
                const int64_t r = static_cast<int64_t>(i) / 2, g = static_cast<int64_t>(i) % 2;
                float amax = 0;
                for (int64_t c = g * 128; c < (g + 1) * 128; ++c)
                    amax = std::max(amax, std::fabs(w[static_cast<size_t>(r * cols + c)]));
                QVERIFY(maxVal[i] <= amax && maxVal[i] >= 0.5f * amax);
                clipped += maxVal[i] < amax;
            }
            QVERIFY(clipped > 0); // outliers: some group must prefer a clipped range
            // the clipped weights really have the lower error on the sampled tokens
            std::vector<float> wc = w;
            awqApplyClip(wc.data(), rows, cols, 128, maxVal.data());
            for (size_t i = 0; i < wc.size(); ++i)
                QVERIFY(std::fabs(wc[i]) <= maxVal[i / 128 / 2 * 2 + (i % 256) / 128]);
        }
    }
};

QTEST_GUILESS_MAIN(TestAwq)
#include "tst_awq.moc"
