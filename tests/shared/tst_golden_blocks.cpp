// Every format against llama.cpp's own ggml_quantize_chunk output (../shared/golden/blocks): 12 formats x 12 input
// cases, with and without importance weights. Quantized bytes must be identical and dequantized floats equal bit
// for bit.
#include "formats/ggml_type.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cstring>

using namespace qs;

class TestGoldenBlocks : public QObject {
    Q_OBJECT
    QByteArray m_data;
    QJsonArray m_cases;

private Q_SLOTS:
    void initTestCase()
    {
        QFile data(qs::test::sharedPath(QStringLiteral("golden/blocks/data.bin")));
        QFile manifest(qs::test::sharedPath(QStringLiteral("golden/blocks/manifest.json")));
        QVERIFY(data.open(QIODevice::ReadOnly) && manifest.open(QIODevice::ReadOnly));
        m_data = data.readAll();
        m_cases = QJsonDocument::fromJson(manifest.readAll()).object().value(QLatin1String("cases")).toArray();
        QCOMPARE(m_cases.size(), 288);
    }

    void matchesLlamaCpp_data()
    {
        QTest::addColumn<int>("index");
        // initTestCase has not run when _data() is called for the first function: read the manifest here too
        QFile manifest(qs::test::sharedPath(QStringLiteral("golden/blocks/manifest.json")));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QJsonArray cases = QJsonDocument::fromJson(manifest.readAll()).object().value(QLatin1String("cases")).toArray();
        for (int i = 0; i < cases.size(); ++i) {
            const QJsonObject c = cases.at(i).toObject();
            QTest::newRow(qPrintable(QStringLiteral("%1/%2/%3").arg(c.value(QLatin1String("type")).toString(),
                                                                    c.value(QLatin1String("case")).toString(),
                                                                    c.value(QLatin1String("imatrix")).toBool() ? QStringLiteral("imatrix") : QStringLiteral("plain"))))
                << i;
        }
    }

    void matchesLlamaCpp()
    {
        QFETCH(int, index);
        const QJsonObject c = m_cases.at(index).toObject();
        const auto type = typeFromName(c.value(QLatin1String("type")).toString().toStdString());
        QVERIFY(type);
        const TypeTraits &t = typeTraits(*type);
        QVERIFY(t.quantize && t.toFloat);
        const int64_t rows = c.value(QLatin1String("rows")).toInteger();
        const int64_t nPerRow = c.value(QLatin1String("n_per_row")).toInteger();
        const int64_t n = rows * nPerRow;
        const char *base = m_data.constData();
        std::vector<float> input(static_cast<size_t>(n));
        std::memcpy(input.data(), base + c.value(QLatin1String("input")).toInteger(), static_cast<size_t>(n) * 4);
        std::vector<float> imatrix;
        if (c.value(QLatin1String("imatrix")).toBool()) {
            imatrix.resize(static_cast<size_t>(nPerRow));
            std::memcpy(imatrix.data(), base + c.value(QLatin1String("imatrix_offset")).toInteger(), static_cast<size_t>(nPerRow) * 4);
        }
        const int64_t qbytes = c.value(QLatin1String("quantized_bytes")).toInteger();
        QCOMPARE(qbytes, rows * rowBytes(t, nPerRow));
        std::vector<uint8_t> out(static_cast<size_t>(qbytes), 0xAB);
        t.quantize(input.data(), out.data(), rows, nPerRow, imatrix.empty() ? nullptr : imatrix.data());
        const auto *golden = reinterpret_cast<const uint8_t *>(base + c.value(QLatin1String("quantized")).toInteger());
        int diffBlocks = 0, firstDiff = -1;
        for (int64_t b = 0; b < qbytes / t.typeSize; ++b)
            if (std::memcmp(out.data() + b * t.typeSize, golden + b * t.typeSize, static_cast<size_t>(t.typeSize)) != 0) {
                if (firstDiff < 0)
                    firstDiff = static_cast<int>(b);
                ++diffBlocks;
            }
        QVERIFY2(diffBlocks == 0, qPrintable(QStringLiteral("%1 of %2 blocks differ, first at block %3")
                                                 .arg(diffBlocks).arg(qbytes / t.typeSize).arg(firstDiff)));
        // dequantizing llama.cpp's bytes gives its floats exactly
        std::vector<float> deq(static_cast<size_t>(n));
        t.toFloat(golden, deq.data(), n);
        QVERIFY(std::memcmp(deq.data(), base + c.value(QLatin1String("dequantized")).toInteger(), static_cast<size_t>(n) * 4) == 0);
    }
};

QS_TEST_MAIN_SHARED(TestGoldenBlocks)
#include "tst_golden_blocks.moc"
