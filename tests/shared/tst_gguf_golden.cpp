// Our GGUF reader against real llama.cpp-written files (../shared/golden/sotu-mini) and their dumps: every
// metadata key in order with its type and value, every array's full contents (by the sha256 of its JSON), every
// tensor's name, type, shape, size and the sha256 of its bytes.
#include "golden_gguf.h"
#include "io/gguf.h"
#include "test_support.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace qs;


class TestGgufGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLlamaCppDump_data()
    {
        QTest::addColumn<QString>("gguf");
        QTest::addColumn<QString>("dump");
        const QDir dir(qs::test::sharedPath(QStringLiteral("golden/sotu-mini")));
        const QStringList files = dir.entryList({QStringLiteral("*.gguf")}, QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 3, "expected the BF16, Q8_0 and Q4_K_M golden files");
        for (const QString &f : files) {
            const QString base = f.chopped(5);
            QTest::newRow(qPrintable(base)) << dir.filePath(f) << dir.filePath(base + QStringLiteral(".json"));
        }
    }

    void matchesLlamaCppDump()
    {
        QFETCH(QString, gguf);
        QFETCH(QString, dump);
        QFile df(dump);
        QVERIFY(df.open(QIODevice::ReadOnly));
        const QByteArray dumpText = df.readAll();
        const QJsonObject d = QJsonDocument::fromJson(dumpText).object();
        auto r = openGguf(gguf.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        const GgufFile &g = *r;
        QCOMPARE(static_cast<qint64>(g.fileSize), d.value(QLatin1String("file_bytes")).toInteger());

        // keys in order with types and values, arrays by the sha256 of their JSON, every tensor's name, type, shape
        // and the sha256 of its bytes: the comparison the exporter tests use, here with no key ignored
        const QStringList diffs = qs::test::compareWithGoldenDump(gguf, dump, {});
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join(QLatin1Char('\n'))));

        // and what the reader must get right beyond the hashes: array elements and each tensor's size
        const QJsonObject meta = d.value(QLatin1String("metadata")).toObject();
        QCOMPARE(static_cast<qsizetype>(g.metadata.size()), meta.size());
        for (const GgufKeyValue &kv : g.metadata) {
            if (!kv.value.isArray())
                continue;
            const QJsonArray first = meta.value(QString::fromStdString(kv.key)).toObject().value(QLatin1String("first")).toArray();
            for (qsizetype i = 0; i < first.size(); ++i) {
                if (kv.value.elemType == GgufType::String)
                    QCOMPARE(QString::fromStdString(kv.value.strings[static_cast<size_t>(i)]), first.at(i).toString());
                else
                    QCOMPARE(kv.value.arrayDouble(static_cast<uint64_t>(i)), first.at(i).toDouble());
            }
        }
        const QJsonArray tensors = d.value(QLatin1String("tensors")).toArray();
        QCOMPARE(static_cast<qsizetype>(g.tensors.size()), tensors.size());
        for (size_t i = 0; i < g.tensors.size(); ++i)
            QCOMPARE(static_cast<qint64>(g.tensors[i].bytes),
                     tensors.at(static_cast<qsizetype>(i)).toObject().value(QLatin1String("bytes")).toInteger());
    }
};

QS_TEST_MAIN_SHARED(TestGgufGolden)
#include "tst_gguf_golden.moc"
