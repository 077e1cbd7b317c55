// Byte-level BPE against the Hugging Face tokenizers library: every tricky string, and whole corpus files (count,
// sha256 of the int32 ids, first and last ids), from ../shared/golden/engine/tokenizers.json.
#include "engine/bpe_tokenizer.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <chrono>

using namespace qs;

namespace {

QJsonObject golden()
{
    QFile f(test::sharedPath(QStringLiteral("golden/engine/tokenizers.json")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<int32_t> idsOf(const QJsonArray &a)
{
    std::vector<int32_t> v;
    for (const QJsonValue x : a)
        v.push_back(static_cast<int32_t>(x.toInt()));
    return v;
}

QByteArray unzstd(const QString &path)
{
    QProcess p;
    p.start(QStringLiteral("zstd"), {QStringLiteral("-dc"), path});
    p.waitForFinished(120000);
    return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
}

} // namespace

class TestBpeTokenizer : public QObject {
    Q_OBJECT
    std::optional<BpeTokenizer> m_sotu;
    QJsonObject m_golden;

private Q_SLOTS:
    void initTestCase()
    {
        m_golden = golden().value(QStringLiteral("sotu")).toObject();
        QVERIFY(!m_golden.isEmpty());
        auto t = BpeTokenizer::fromTokenizerJson(test::sharedPath(QStringLiteral("models/sotu-llama/tokenizer.json")).toStdString());
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        QCOMPARE(t->vocabSize(), size_t(4096));
        m_sotu.emplace(std::move(*t));
    }

    void trickyStrings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QJsonArray>("ids");
        for (const QJsonValue v : golden().value(QStringLiteral("sotu")).toObject().value(QStringLiteral("strings")).toArray()) {
            const QJsonObject o = v.toObject();
            const QString text = o.value(QStringLiteral("text")).toString();
            QString name = text.left(24);
            name.replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
            QTest::newRow(name.isEmpty() ? "(empty)" : name.toUtf8().constData()) << text << o.value(QStringLiteral("ids")).toArray();
        }
    }

    void trickyStrings()
    {
        QFETCH(QString, text);
        QFETCH(QJsonArray, ids);
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(m_sotu->encode(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))), idsOf(ids));
    }

    void wholeCorpus_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("held-out 2011-2021") << QStringLiteral("sotu_2011_2021");
        QTest::newRow("out of domain: Moby-Dick") << QStringLiteral("moby_dick");
        QTest::newRow("calibration 1790-2010") << QStringLiteral("sotu_1790_2010");
    }

    void wholeCorpus()
    {
        QFETCH(QString, file);
        const QByteArray text = unzstd(test::sharedPath(QStringLiteral("data/corpus/%1.txt.zst").arg(file)));
        QVERIFY2(!text.isEmpty(), "zstd could not read the corpus (installer/dev.sh installs zstd)");
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<int32_t> ids = m_sotu->encode(std::string_view(text.constData(), static_cast<size_t>(text.size())));
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        qInfo("%s: %zu tokens from %lld bytes in %.2f s", qPrintable(file), ids.size(), static_cast<long long>(text.size()), secs);
        const QJsonObject g = m_golden.value(file).toObject();
        QCOMPARE(static_cast<qint64>(ids.size()), static_cast<qint64>(g.value(QStringLiteral("count")).toInteger()));
        const std::vector<int32_t> first = idsOf(g.value(QStringLiteral("first")).toArray()), last = idsOf(g.value(QStringLiteral("last")).toArray());
        QCOMPARE(std::vector<int32_t>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(first.size())), first);
        QCOMPARE(std::vector<int32_t>(ids.end() - static_cast<std::ptrdiff_t>(last.size()), ids.end()), last);
        // little-endian int32, as the golden hashes them (x86-64 is little-endian)
        const QByteArray raw(reinterpret_cast<const char *>(ids.data()), static_cast<qsizetype>(ids.size() * sizeof(int32_t)));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex()),
                 g.value(QStringLiteral("sha256_int32le")).toString());
    }

    void notByteLevelBpeIsRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("Metaspace (Mistral v0.3 layout)") << QStringLiteral("golden/engine/spm-bpe-mistral/tokenizer.json");
        QTest::newRow("Prepend + Replace (Llama-2 layout)") << QStringLiteral("golden/engine/spm-bpe-llama2/tokenizer.json");
    }

    void notByteLevelBpeIsRefused()
    {
        // SentencePiece-style BPE with byte fallback: refused with a reason, never encoded wrongly
        QFETCH(QString, file);
        auto t = BpeTokenizer::fromTokenizerJson(test::sharedPath(file).toStdString());
        QVERIFY(!t.ok());
        QVERIFY2(t.error().message.find("not supported") != std::string::npos || t.error().message.find("not byte-level BPE") != std::string::npos,
                 t.error().message.c_str());
    }
};

QS_TEST_MAIN_SHARED(TestBpeTokenizer)
#include "tst_bpe_tokenizer.moc"
