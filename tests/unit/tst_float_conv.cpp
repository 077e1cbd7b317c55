// fp16/bf16/fp8 conversions: exhaustive where the domain is small, known values where it is not.
#include "formats/float_conv.h"

#include <QtTest>

#include <cmath>

using namespace qs;

class TestFloatConv : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fp16RoundTripsEveryHalf()
    {
        // Every finite half converts to a float and back to the same bits; NaNs come back as NaNs.
        for (uint32_t h = 0; h < 65536; ++h) {
            const float f = fp16ToFloat(static_cast<uint16_t>(h));
            const uint16_t back = floatToFp16(f);
            if (std::isnan(f))
                QVERIFY2(std::isnan(fp16ToFloat(back)), qPrintable(QString::number(h, 16)));
            else
                QCOMPARE(back, static_cast<uint16_t>(h));
        }
    }

    void fp16KnownValues_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<int>("bits");
        QTest::newRow("one") << 1.0f << 0x3c00;
        QTest::newRow("minus two") << -2.0f << 0xc000;
        QTest::newRow("max") << 65504.0f << 0x7bff;
        QTest::newRow("overflow to inf") << 65520.0f << 0x7c00;
        QTest::newRow("just below overflow rounds to max") << 65519.0f << 0x7bff;
        QTest::newRow("smallest subnormal") << 5.9604645e-8f << 0x0001;
        QTest::newRow("half of smallest subnormal ties to even (0)") << 2.9802322e-8f << 0x0000;
        QTest::newRow("1.5 x smallest subnormal ties to even (2)") << 8.940697e-8f << 0x0002;
        // 1 + 2^-11 is exactly halfway between 1 and 1 + 2^-10: ties to even keeps 1.
        QTest::newRow("tie to even down") << 1.00048828125f << 0x3c00;
        // 1 + 3*2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9 (even): rounds up.
        QTest::newRow("tie to even up") << 1.00146484375f << 0x3c02;
        QTest::newRow("negative zero") << -0.0f << 0x8000;
        QTest::newRow("nan") << std::nanf("") << 0x7e00;
    }

    void fp16KnownValues()
    {
        QFETCH(float, value);
        QFETCH(int, bits);
        QCOMPARE(static_cast<int>(floatToFp16(value)), bits);
    }

    void bf16()
    {
        QCOMPARE(bf16ToFloat(0x3f80), 1.0f);
        QCOMPARE(bf16ToFloat(0xc040), -3.0f);
        QCOMPARE(floatToBf16(1.0f), uint16_t(0x3f80));
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even -> 1
        QCOMPARE(floatToBf16(1.00390625f), uint16_t(0x3f80));
        QCOMPARE(floatToBf16(1.01171875f), uint16_t(0x3f82)); // 1 + 3*2^-8 -> up to even
        QVERIFY(std::isnan(bf16ToFloat(floatToBf16(std::nanf("")))));
        for (uint32_t h = 0; h < 65536; ++h) {
            const float f = bf16ToFloat(static_cast<uint16_t>(h));
            if (!std::isnan(f))
                QCOMPARE(floatToBf16(f), static_cast<uint16_t>(h));
        }
    }

    void fp8e4m3()
    {
        QCOMPARE(fp8e4m3ToFloat(0x38), 1.0f);        // exp 7 = bias
        QCOMPARE(fp8e4m3ToFloat(0x7e), 448.0f);      // the largest finite
        QCOMPARE(fp8e4m3ToFloat(0xfe), -448.0f);
        QCOMPARE(fp8e4m3ToFloat(0x01), 0.001953125f); // smallest subnormal 2^-9
        QCOMPARE(fp8e4m3ToFloat(0x08), 0.015625f);    // smallest normal 2^-6
        QVERIFY(std::isnan(fp8e4m3ToFloat(0x7f)));
        QVERIFY(std::isnan(fp8e4m3ToFloat(0xff)));
        QCOMPARE(fp8e4m3ToFloat(0x80), -0.0f);
    }

    void fp8e5m2()
    {
        QCOMPARE(fp8e5m2ToFloat(0x3c), 1.0f);
        QCOMPARE(fp8e5m2ToFloat(0x7b), 57344.0f);
        QVERIFY(std::isinf(fp8e5m2ToFloat(0x7c)));
    }
};

QTEST_GUILESS_MAIN(TestFloatConv)
#include "tst_float_conv.moc"
