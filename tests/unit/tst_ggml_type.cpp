// The ggml type table: ids, block sizes and bytes per block as ggml-common.h defines them.
#include "formats/ggml_type.h"

#include <QtTest>

using namespace qs;

class TestGgmlType : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void table_data()
    {
        QTest::addColumn<int>("id");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("bytes");
        QTest::addColumn<double>("bpw");
        QTest::newRow("F32") << 0 << "F32" << 1 << 4 << 32.0;
        QTest::newRow("F16") << 1 << "F16" << 1 << 2 << 16.0;
        QTest::newRow("Q4_0") << 2 << "Q4_0" << 32 << 18 << 4.5;
        QTest::newRow("Q4_1") << 3 << "Q4_1" << 32 << 20 << 5.0;
        QTest::newRow("Q5_0") << 6 << "Q5_0" << 32 << 22 << 5.5;
        QTest::newRow("Q5_1") << 7 << "Q5_1" << 32 << 24 << 6.0;
        QTest::newRow("Q8_0") << 8 << "Q8_0" << 32 << 34 << 8.5;
        QTest::newRow("Q2_K") << 10 << "Q2_K" << 256 << 84 << 2.625;
        QTest::newRow("Q3_K") << 11 << "Q3_K" << 256 << 110 << 3.4375;
        QTest::newRow("Q4_K") << 12 << "Q4_K" << 256 << 144 << 4.5;
        QTest::newRow("Q5_K") << 13 << "Q5_K" << 256 << 176 << 5.5;
        QTest::newRow("Q6_K") << 14 << "Q6_K" << 256 << 210 << 6.5625;
        QTest::newRow("IQ4_NL") << 20 << "IQ4_NL" << 32 << 18 << 4.5;
        QTest::newRow("IQ4_XS") << 23 << "IQ4_XS" << 256 << 136 << 4.25;
        QTest::newRow("BF16") << 30 << "BF16" << 1 << 2 << 16.0;
        QTest::newRow("TQ1_0") << 34 << "TQ1_0" << 256 << 54 << 1.6875;
        QTest::newRow("MXFP4") << 39 << "MXFP4" << 32 << 17 << 4.25;
        QTest::newRow("NVFP4") << 40 << "NVFP4" << 64 << 36 << 4.5;
        QTest::newRow("Q1_0") << 41 << "Q1_0" << 128 << 18 << 1.125;
        QTest::newRow("Q2_0") << 42 << "Q2_0" << 64 << 18 << 2.25;
    }

    void table()
    {
        QFETCH(int, id);
        QFETCH(QString, name);
        QFETCH(int, block);
        QFETCH(int, bytes);
        QFETCH(double, bpw);
        const TypeTraits *t = typeTraits(static_cast<uint32_t>(id));
        QVERIFY(t);
        QCOMPARE(QString::fromLatin1(t->name.data(), static_cast<qsizetype>(t->name.size())), name);
        QCOMPARE(t->blockSize, block);
        QCOMPARE(t->typeSize, bytes);
        QCOMPARE(t->bitsPerWeight(), bpw);
        QCOMPARE(static_cast<int>(*typeFromName(name.toLower().toStdString())), id);
    }

    void removedAndUnknownIds()
    {
        for (uint32_t id : {4u, 5u, 31u, 32u, 33u, 36u, 37u, 38u, 43u, 1000u})
            QVERIFY2(!typeTraits(id), qPrintable(QString::number(id)));
        QVERIFY(!typeFromName("Q4_2"));
    }

    void rowBytes()
    {
        QCOMPARE(qs::rowBytes(typeTraits(GgmlType::Q4_K), 4096), int64_t(16 * 144));
        QCOMPARE(qs::rowBytes(typeTraits(GgmlType::Q4_K), 4000), int64_t(-1));
        QCOMPARE(qs::rowBytes(typeTraits(GgmlType::BF16), 3), int64_t(6));
    }
};

QTEST_GUILESS_MAIN(TestGgmlType)
#include "tst_ggml_type.moc"
