// safetensors: valid files parse exactly; every malformed file ends in a message naming what is wrong.
#include "file_builders.h"
#include "io/safetensors.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;

static std::span<const uint8_t> span(const QByteArray &b)
{
    return {reinterpret_cast<const uint8_t *>(b.constData()), static_cast<size_t>(b.size())};
}

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesValidFile()
    {
        const QByteArray file = makeSafetensors(
            {{"b.weight", "BF16", {2, 3}, bf16Bytes({1, 2, 3, 4, 5, 6})},
             {"a.bias", "F32", {3}, f32Bytes({0.5f, -1.0f, 2.0f})},
             {"c.scalar", "F16", {}, QByteArray(2, '\0')},
             {"d.empty", "F32", {0, 4}, QByteArray()}},
            R"({"format":"pt"})");
        auto r = parseSafetensors(span(file), "x.safetensors");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->tensors.size(), size_t(4));
        QCOMPARE(r->metadata.at("format"), std::string("pt"));
        // sorted by data offset: b, a, c, d
        QCOMPARE(r->tensors[0].name, std::string("b.weight"));
        QCOMPARE(r->tensors[0].dtype, StDtype::BF16);
        QCOMPARE(r->tensors[0].shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(r->tensors[0].end - r->tensors[0].begin, uint64_t(12));
        QCOMPARE(r->tensors[0].begin, 8 + r->headerLength);
        QCOMPARE(r->tensors[1].name, std::string("a.bias"));
        QCOMPARE(r->tensors[2].elements(), int64_t(1));
        QCOMPARE(r->tensors[3].elements(), int64_t(0));
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("expected"); // a fragment the message must contain

        const QByteArray good = makeSafetensors({{"w", "F32", {2}, f32Bytes({1, 2})}});
        QTest::newRow("empty file") << QByteArray() << "too short";
        QTest::newRow("7 bytes") << QByteArray(7, 'x') << "too short";
        QTest::newRow("header longer than file") << rawSafetensors("{}", {}, 1000) << "runs past the end";
        QTest::newRow("absurd header length") << rawSafetensors("{}", {}, int64_t(1) << 40) << "exceeds the 100,000,000-byte limit";
        QTest::newRow("truncated data") << good.left(good.size() - 3) << "run past the end of the data";
        QTest::newRow("not json") << rawSafetensors("{nope", {}) << "header JSON is invalid";
        QTest::newRow("not an object") << rawSafetensors("[1,2]", {}) << "does not start with '{'";
        QTest::newRow("entry not object") << rawSafetensors(R"({"w":5})", {}) << "entry is not an object";
        QTest::newRow("unknown dtype") << rawSafetensors(R"({"w":{"dtype":"F12","shape":[1],"data_offsets":[0,2]}})", QByteArray(2, 0)) << "unknown dtype \"F12\"";
        QTest::newRow("missing dtype") << rawSafetensors(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", QByteArray(4, 0)) << "dtype";
        QTest::newRow("negative dim") << rawSafetensors(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", QByteArray(4, 0)) << "non-negative integers";
        QTest::newRow("fractional dim") << rawSafetensors(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", QByteArray(4, 0)) << "non-negative integers";
        QTest::newRow("shape disagrees with bytes") << rawSafetensors(R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", QByteArray(20, 0)) << "needs 24 bytes but data_offsets span 20";
        QTest::newRow("overflowing shape") << rawSafetensors(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})", QByteArray(4, 0)) << "overflows";
        QTest::newRow("end before begin") << rawSafetensors(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", QByteArray(8, 0)) << "end before they begin";
        QTest::newRow("offsets past file") << rawSafetensors(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", QByteArray(2, 0)) << "run past the end of the data";
        QTest::newRow("overlap") << rawSafetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", QByteArray(12, 0)) << "overlaps";
        QTest::newRow("hole") << rawSafetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", QByteArray(12, 0)) << "hole";
        QTest::newRow("trailing bytes") << rawSafetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", QByteArray(9, 0)) << "belong to no tensor";
        QTest::newRow("bad offsets array") << rawSafetensors(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", QByteArray(4, 0)) << "two integers";
        QTest::newRow("metadata not strings") << rawSafetensors(R"({"__metadata__":{"a":1}})", {}) << "not a string";
    }

    void rejectsBadInput()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, expected);
        auto r = parseSafetensors(span(file), "bad.safetensors");
        QVERIFY(!r.ok());
        const QString msg = QString::fromStdString(r.error().describe());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.startsWith(QLatin1String("bad.safetensors")), qPrintable(msg)); // always names the file
    }

    void errorNamesTensorAndOffset()
    {
        const QByteArray f = rawSafetensors(R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", QByteArray(20, 0));
        auto r = parseSafetensors(span(f), "m.safetensors");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().tensor, std::string("w"));
        QVERIFY(r.error().offset >= 8);
    }

    void dtypeTable()
    {
        QCOMPARE(dtypeSize(*dtypeFromName("BF16")), 2);
        QCOMPARE(dtypeSize(*dtypeFromName("F8_E4M3")), 1);
        QCOMPARE(dtypeSize(*dtypeFromName("I64")), 8);
        QVERIFY(dtypeIsFloat(StDtype::F8_E5M2));
        QVERIFY(!dtypeIsFloat(StDtype::I32));
        QVERIFY(!dtypeFromName("bf16")); // names are case-sensitive in the format
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
