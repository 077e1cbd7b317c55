// Chart axes at round numbers: 1-2-5 × 10^n steps from zero on a linear axis, powers of two on a log2 context axis.
#include "common/axis_ticks.h"

#include <QtTest>

#include <cmath>

using namespace qs;

class TestAxisTicks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linear_data()
    {
        QTest::addColumn<double>("maximum");
        QTest::addColumn<int>("maxIntervals");
        QTest::addColumn<double>("step");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("decimals");
        QTest::newRow("7.3 in 5") << 7.3 << 5 << 2.0 << 5 << 0;         // 0 2 4 6 8
        QTest::newRow("10 exactly") << 10.0 << 5 << 2.0 << 6 << 0;      // 0 … 10, no step beyond
        QTest::newRow("10.01") << 10.01 << 5 << 5.0 << 4 << 0;          // 0 5 10 15
        QTest::newRow("0.35") << 0.35 << 5 << 0.1 << 5 << 1;            // 0 0.1 … 0.4
        QTest::newRow("1") << 1.0 << 5 << 0.2 << 6 << 1;
        QTest::newRow("23.7 GiB") << 23.7 << 5 << 5.0 << 6 << 0;        // 0 … 25
        QTest::newRow("81 GiB") << 81.0 << 5 << 20.0 << 6 << 0;         // 0 … 100
        QTest::newRow("0.012") << 0.012 << 5 << 0.005 << 4 << 3;        // 0 … 0.015
        QTest::newRow("640 in 4") << 640.0 << 4 << 200.0 << 5 << 0;
        QTest::newRow("one interval") << 3.0 << 1 << 5.0 << 2 << 0;
        QTest::newRow("zero") << 0.0 << 5 << 1.0 << 2 << 0;
        QTest::newRow("negative") << -4.0 << 5 << 1.0 << 2 << 0;
        QTest::newRow("nan") << std::nan("") << 5 << 1.0 << 2 << 0;
    }
    void linear()
    {
        QFETCH(double, maximum);
        QFETCH(int, maxIntervals);
        QFETCH(double, step);
        QFETCH(int, count);
        QFETCH(int, decimals);
        const LinearTicks t = linearTicks(maximum, maxIntervals);
        QCOMPARE(t.step, step);
        QCOMPARE(static_cast<int>(t.values.size()), count);
        QCOMPARE(t.decimals, decimals);
        QCOMPARE(t.values.front(), 0.0);
        QVERIFY(static_cast<int>(t.values.size()) - 1 <= std::max(maxIntervals, 1));
        if (maximum > 0)
            QVERIFY(t.values.back() >= maximum && t.values[t.values.size() - 2] < maximum); // covers it, no tick to spare
        for (size_t i = 0; i < t.values.size(); ++i) {
            // each value is i steps, and written with `decimals` digits it is exactly that (no 0.30000000000000004)
            QCOMPARE(t.values[i], QString::number(static_cast<double>(i) * step, 'f', decimals).toDouble());
        }
    }

    void linearStepsAreOneTwoFive()
    {
        for (double m = 0.001; m < 1e6; m *= 1.37) {
            const LinearTicks t = linearTicks(m);
            const double mantissa = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-9));
            QVERIFY2(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9,
                     qPrintable(QString::number(t.step)));
            QVERIFY(t.values.size() >= 2 && t.values.size() <= 6);
            QVERIFY(t.values.back() >= m);
        }
    }

    void powersOfTwo_data()
    {
        QTest::addColumn<qint64>("lo");
        QTest::addColumn<qint64>("hi");
        QTest::addColumn<int>("maxTicks");
        QTest::addColumn<QList<qint64>>("ticks");
        QTest::newRow("512 to 8k") << qint64(512) << qint64(8192) << 8 << QList<qint64>{512, 1024, 2048, 4096, 8192};
        QTest::newRow("not powers at the ends") << qint64(300) << qint64(5000) << 8 << QList<qint64>{512, 1024, 2048, 4096};
        // nine powers (512 … 128k) are too many for eight: every other one, the highest kept
        QTest::newRow("512 to 128k") << qint64(512) << qint64(131072) << 8
                                     << QList<qint64>{512, 2048, 8192, 32768, 131072};
        QTest::newRow("512 to 200000") << qint64(512) << qint64(200000) << 8
                                       << QList<qint64>{512, 2048, 8192, 32768, 131072};
        QTest::newRow("hi below lo") << qint64(512) << qint64(1) << 5 << QList<qint64>{};
        QTest::newRow("512 to 16M") << qint64(512) << qint64(16777216) << 5
                                    << QList<qint64>{4096, 65536, 1048576, 16777216};
        QTest::newRow("none inside") << qint64(3000) << qint64(4000) << 8 << QList<qint64>{};
        QTest::newRow("one") << qint64(4096) << qint64(4096) << 8 << QList<qint64>{4096};
    }
    void powersOfTwo()
    {
        QFETCH(qint64, lo);
        QFETCH(qint64, hi);
        QFETCH(int, maxTicks);
        QFETCH(QList<qint64>, ticks);
        const std::vector<int64_t> got = powerOfTwoTicks(lo, hi, maxTicks);
        QCOMPARE(QList<qint64>(got.begin(), got.end()), ticks);
    }
};

QTEST_APPLESS_MAIN(TestAxisTicks)
#include "tst_axis_ticks.moc"
