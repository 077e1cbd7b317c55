// GGUF reading: every value type round-trips; every malformed file is refused with a message and, where it
// matters, the byte offset, before anything its header claims is allocated.
#include "file_builders.h"
#include "io/gguf.h"

#include <QtTest>

using namespace qs;
using namespace qs::test;

static std::span<const uint8_t> span(const QByteArray &b)
{
    return {reinterpret_cast<const uint8_t *>(b.constData()), static_cast<size_t>(b.size())};
}

static GgufBuilder minimalModel()
{
    GgufBuilder b;
    b.kvString("general.architecture", "llama")
        .tensor("token_embd.weight", {4, 2}, 0, f32Bytes({1, 2, 3, 4, 5, 6, 7, 8}))
        .tensor("output_norm.weight", {4}, 0, f32Bytes({1, 1, 1, 1}));
    return b;
}

class TestGgufReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyValueType()
    {
        GgufBuilder b;
        b.kvU8("u8", 200).kvI8("i8", -100).kvU16("u16", 60000).kvI16("i16", -30000).kvU32("u32", 4000000000u)
            .kvI32("i32", -2000000000).kvF32("f32", 1.5f).kvBool("bool", true).kvString("str", "héllo")
            .kvU64("u64", 18000000000000000000ull).kvI64("i64", -9000000000000000000ll).kvF64("f64", 2.25)
            .kvArrayI32("arr_i32", {1, -2, 3}).kvArrayF32("arr_f32", {0.5f, 1.5f})
            .kvArrayString("arr_str", {"a", "", "ccc"}).kvArrayString("arr_empty", {});
        const QByteArray file = b.build();
        auto r = parseGguf(span(file), "v.gguf");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->metadata.size(), size_t(16));
        QCOMPARE(r->metadata[0].key, std::string("u8")); // file order kept
        QCOMPARE(*r->find("u8")->toUInt(), uint64_t(200));
        QCOMPARE(*r->find("i8")->toInt(), int64_t(-100));
        QCOMPARE(*r->find("u16")->toUInt(), uint64_t(60000));
        QCOMPARE(*r->find("i16")->toInt(), int64_t(-30000));
        QCOMPARE(*r->find("u32")->toUInt(), uint64_t(4000000000u));
        QCOMPARE(*r->find("i32")->toInt(), int64_t(-2000000000));
        QCOMPARE(*r->find("f32")->toDouble(), 1.5);
        QCOMPARE(*r->find("bool")->toBool(), true);
        QCOMPARE(*r->find("str")->toString(), std::string("héllo"));
        QCOMPARE(*r->find("u64")->toUInt(), uint64_t(18000000000000000000ull));
        QVERIFY(!r->find("u64")->toInt()); // does not fit int64
        QCOMPARE(*r->find("i64")->toInt(), int64_t(-9000000000000000000ll));
        QCOMPARE(*r->find("f64")->toDouble(), 2.25);
        const GgufValue *a = r->find("arr_i32");
        QVERIFY(a->isArray());
        QCOMPARE(a->elemType, GgufType::Int32);
        QCOMPARE(a->count, uint64_t(3));
        QCOMPARE(a->arrayInt(1), int64_t(-2));
        QCOMPARE(r->find("arr_f32")->arrayDouble(1), 1.5);
        QCOMPARE(r->find("arr_str")->strings, (std::vector<std::string>{"a", "", "ccc"}));
        QCOMPARE(r->find("arr_empty")->count, uint64_t(0));
        QVERIFY(!r->find("missing"));
    }

    void tensorsAndLayout()
    {
        GgufBuilder b = minimalModel();
        b.kvU32("general.alignment", 64);
        b.alignment(64);
        b.tensor("blk.0.attn_q.weight", {32, 2}, 8, QByteArray(2 * 34, '\x01')); // two Q8_0 rows
        const QByteArray file = b.build();
        auto r = parseGguf(span(file), "t.gguf");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->alignment, 64u);
        QCOMPARE(r->dataOffset % 64, uint64_t(0));
        QCOMPARE(r->tensors.size(), size_t(3));
        const GgufTensorInfo &q = r->tensors[2];
        QCOMPARE(q.traits->type, GgmlType::Q8_0);
        QCOMPARE(q.bytes, uint64_t(68));
        QCOMPARE(q.elements, int64_t(64));
        QCOMPARE(q.offset, uint64_t(128)); // 32 bytes padded to 64, then 16 padded to 64
        QCOMPARE(r->tensors[0].fileOffset, r->dataOffset);
    }

    void versionTwoAccepted()
    {
        GgufBuilder b = minimalModel();
        b.version(2);
        const QByteArray file = b.build();
        QVERIFY(parseGguf(span(file), "v2.gguf").ok());
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("expected");

        const QByteArray good = minimalModel().build();
        QTest::newRow("empty") << QByteArray() << "too short";
        QTest::newRow("bad magic") << QByteArray("GGML") + good.mid(4) << "not a GGUF file";
        QTest::newRow("version 1") << GgufBuilder(minimalModel()).version(1).build() << "version 1 is obsolete";
        QTest::newRow("version 4") << GgufBuilder(minimalModel()).version(4).build() << "unsupported GGUF version 4";
        QTest::newRow("big-endian") << GgufBuilder(minimalModel()).version(0x03000000).build() << "big-endian";
        QTest::newRow("truncated header") << good.left(12) << "truncated";
        QTest::newRow("few bytes for the tensor count") << good.left(40) << "more than the file can hold";
        QTest::newRow("truncated in a string") << GgufBuilder().kvString("general.name", std::string(200, 'x')).build().left(100) << "remain in the file";
        QTest::newRow("truncated in a value") << GgufBuilder().kvU64("a", 1).kvU64("b", 2).build().left(50) << "truncated";
        QTest::newRow("truncated in tensor data") << good.left(good.size() - 40) << "runs past the end of the file";
        QTest::newRow("absurd kv count") << GgufBuilder(minimalModel()).claimKvCount(int64_t(1) << 40).build() << "more than the file can hold";
        QTest::newRow("absurd tensor count") << GgufBuilder(minimalModel()).claimTensorCount(int64_t(1) << 40).build() << "more than the file can hold";
        QTest::newRow("negative count") << GgufBuilder(minimalModel()).claimTensorCount(-1).build() << "negative";
        QTest::newRow("duplicate key") << GgufBuilder(minimalModel()).kvU32("general.architecture", 1).build() << "duplicate metadata key 'general.architecture'";
        QTest::newRow("empty key") << GgufBuilder().kvU32("", 1).build() << "is empty";
        QTest::newRow("unknown value type") << GgufBuilder().kvRaw("k", 13, QByteArray(4, 0)).build() << "unknown value type 13";
        {
            QByteArray huge; // a string claiming 2^40 bytes
            const uint64_t n = uint64_t(1) << 40;
            huge.append(reinterpret_cast<const char *>(&n), 8);
            QTest::newRow("huge string") << GgufBuilder().kvRaw("k", 8, huge).build() << "the limit is 2^30";
            const uint64_t m = 1000;
            QByteArray longer;
            longer.append(reinterpret_cast<const char *>(&m), 8);
            longer.append("short");
            QTest::newRow("string past end") << GgufBuilder().kvRaw("k", 8, longer).build() << "remain in the file";
        }
        {
            QByteArray arr; // array of 2^31 u32
            const int32_t t = 4;
            const uint64_t n = uint64_t(1) << 31;
            arr.append(reinterpret_cast<const char *>(&t), 4);
            arr.append(reinterpret_cast<const char *>(&n), 8);
            QTest::newRow("huge array") << GgufBuilder().kvRaw("k", 9, arr).build() << "the limit is 2^30";
            QByteArray arr2;
            const uint64_t n2 = 1000000;
            arr2.append(reinterpret_cast<const char *>(&t), 4);
            arr2.append(reinterpret_cast<const char *>(&n2), 8);
            QTest::newRow("array past end") << GgufBuilder().kvRaw("k", 9, arr2).build() << "bytes remain";
            QByteArray nested;
            const int32_t at = 9;
            const uint64_t one = 1;
            nested.append(reinterpret_cast<const char *>(&at), 4);
            nested.append(reinterpret_cast<const char *>(&one), 8);
            QTest::newRow("nested array") << GgufBuilder().kvRaw("k", 9, nested).build() << "nested arrays";
            QByteArray strs;
            const int32_t st = 8;
            const uint64_t many = 1u << 20;
            strs.append(reinterpret_cast<const char *>(&st), 4);
            strs.append(reinterpret_cast<const char *>(&many), 8);
            QTest::newRow("string array past end") << GgufBuilder().kvRaw("k", 9, strs).build() << "can hold";
        }
        QTest::newRow("alignment not u32") << GgufBuilder(minimalModel()).kvI32("general.alignment", 32).build() << "must be UINT32";
        QTest::newRow("alignment zero") << GgufBuilder(minimalModel()).kvU32("general.alignment", 0).build() << "not a power of two";
        QTest::newRow("alignment 48") << GgufBuilder(minimalModel()).kvU32("general.alignment", 48).build() << "not a power of two";
        QTest::newRow("long tensor name") << GgufBuilder().tensor(std::string(64, 'x'), {4}, 0, f32Bytes({1, 2, 3, 4})).build() << "at most 63";
        QTest::newRow("duplicate tensor") << GgufBuilder(minimalModel()).tensor("token_embd.weight", {4}, 0, f32Bytes({1, 2, 3, 4})).build() << "duplicate tensor name";
        QTest::newRow("5 dims") << GgufBuilder().tensor("t", {1, 1, 1, 1, 4}, 0, f32Bytes({1, 2, 3, 4})).build() << "at most 4";
        QTest::newRow("zero dim") << GgufBuilder().tensor("t", {4, 0}, 0, QByteArray()).build() << "must be positive";
        QTest::newRow("negative dim") << GgufBuilder().tensor("t", {-4}, 0, QByteArray()).build() << "must be positive";
        QTest::newRow("overflowing shape") << GgufBuilder().tensor("t", {int64_t(1) << 40, int64_t(1) << 40}, 0, QByteArray()).build() << "overflows";
        QTest::newRow("unknown type") << GgufBuilder().tensor("t", {4}, 43, QByteArray(16, 0)).build() << "unknown or removed ggml type id 43";
        QTest::newRow("removed type") << GgufBuilder().tensor("t", {32}, 4, QByteArray(20, 0)).build() << "unknown or removed ggml type id 4";
        QTest::newRow("row not multiple of block") << GgufBuilder().tensor("t", {48}, 12, QByteArray(144, 0)).build() << "not a multiple of the Q4_K block size 256";
        QTest::newRow("offset with gap") << GgufBuilder(minimalModel()).overrideOffset(1, 64).build() << "must be packed in order";
        QTest::newRow("offset overlapping") << GgufBuilder(minimalModel()).overrideOffset(1, 0).build() << "must be packed in order";
        QTest::newRow("offset beyond file") << GgufBuilder().tensor("t", {4}, 0, f32Bytes({1, 2, 3, 4})).overrideOffset(0, uint64_t(1) << 50).build() << "packed in order";
    }

    void rejectsBadInput()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, expected);
        auto r = parseGguf(span(file), "bad.gguf");
        QVERIFY2(!r.ok(), "a malformed file was accepted");
        const QString msg = QString::fromStdString(r.error().describe());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.startsWith(QLatin1String("bad.gguf")), qPrintable(msg));
    }

    void errorCarriesTensorAndOffset()
    {
        const QByteArray file = GgufBuilder().tensor("blk.0.ffn_up.weight", {48}, 12, QByteArray(144, 0)).build();
        auto r = parseGguf(span(file), "x.gguf");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().tensor, std::string("blk.0.ffn_up.weight"));
        QVERIFY(r.error().offset > 24);
    }

    void everyTruncationIsRefused()
    {
        // Cutting a valid file anywhere must give an error, never a crash or a half-read model.
        const QByteArray good = minimalModel().kvArrayString("tokenizer.ggml.tokens", {"a", "b"}).build();
        QVERIFY(parseGguf(span(good), "g.gguf").ok());
        for (qsizetype n = 0; n < good.size() - 1; ++n) {
            // the last tensor's trailing padding is not data: a file cut inside it still holds every byte
            const QByteArray cut = good.left(n);
            auto r = parseGguf(span(cut), "cut.gguf");
            if (r.ok()) {
                QVERIFY2(n >= good.size() - 16, qPrintable(QString::number(n)));
                continue;
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestGgufReader)
#include "tst_gguf_reader.moc"
