// BPE against the Hugging Face tokenizers library, for sotu's byte-level tokenizer and the two SentencePiece-style
// layouts (Metaspace; Prepend + Replace): every tricky string, and whole corpus files (count, sha256 of the int32
// ids, first and last ids), from ../shared/golden/engine/tokenizers.json.
#include "engine/bpe_tokenizer.h"
#include "model/model.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <map>

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

// The three tokenizers of the goldens: sotu's byte-level BPE and two SentencePiece-style BPE layouts.
const char *const kTokenizers[] = {"sotu", "spm-bpe-mistral", "spm-bpe-llama2"};

QString tokenizerPath(const QString &key)
{
    return test::sharedPath(key == QLatin1String("sotu") ? QStringLiteral("models/sotu-llama/tokenizer.json")
                                                         : QStringLiteral("golden/engine/%1/tokenizer.json").arg(key));
}

class TestBpeTokenizer : public QObject {
    Q_OBJECT
    std::map<QString, BpeTokenizer> m_tokenizers;
    QJsonObject m_golden;

private Q_SLOTS:
    void initTestCase()
    {
        m_golden = golden();
        QVERIFY(!m_golden.isEmpty());
        for (const char *key : kTokenizers) {
            auto t = BpeTokenizer::fromTokenizerJson(tokenizerPath(QLatin1String(key)).toStdString());
            QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
            m_tokenizers.emplace(QLatin1String(key), std::move(*t));
        }
        QCOMPARE(m_tokenizers.at(QStringLiteral("sotu")).vocabSize(), size_t(4096));
    }

    void trickyStrings_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QJsonArray>("ids");
        const QJsonObject all = golden();
        for (const char *key : kTokenizers)
            for (const QJsonValue v : all.value(QLatin1String(key)).toObject().value(QStringLiteral("strings")).toArray()) {
                const QJsonObject o = v.toObject();
                const QString text = o.value(QStringLiteral("text")).toString();
                QString name = text.left(24);
                name.replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
                QTest::newRow(qPrintable(QLatin1String(key) + QStringLiteral(": ") + (name.isEmpty() ? QStringLiteral("(empty)") : name)))
                    << QString::fromLatin1(key) << text << o.value(QStringLiteral("ids")).toArray();
            }
    }

    void trickyStrings()
    {
        QFETCH(QString, tokenizer);
        QFETCH(QString, text);
        QFETCH(QJsonArray, ids);
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(m_tokenizers.at(tokenizer).encode(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))), idsOf(ids));
    }

    void wholeCorpus_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QString>("file");
        const QJsonObject all = golden();
        for (const char *key : kTokenizers)
            for (const char *file : {"sotu_2011_2021", "moby_dick", "sotu_1790_2010"})
                if (all.value(QLatin1String(key)).toObject().contains(QLatin1String(file)))
                    QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(key), QLatin1String(file))))
                        << QString::fromLatin1(key) << QString::fromLatin1(file);
    }

    void wholeCorpus()
    {
        QFETCH(QString, tokenizer);
        QFETCH(QString, file);
        const QByteArray text = unzstd(test::sharedPath(QStringLiteral("data/corpus/%1.txt.zst").arg(file)));
        QVERIFY2(!text.isEmpty(), "zstd could not read the corpus (installer/dev.sh installs zstd)");
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<int32_t> ids = m_tokenizers.at(tokenizer).encode(std::string_view(text.constData(), static_cast<size_t>(text.size())));
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        qInfo("%s on %s: %zu tokens from %lld bytes in %.2f s", qPrintable(tokenizer), qPrintable(file), ids.size(),
              static_cast<long long>(text.size()), secs);
        const QJsonObject g = m_golden.value(tokenizer).toObject().value(file).toObject();
        QCOMPARE(static_cast<qint64>(ids.size()), static_cast<qint64>(g.value(QStringLiteral("count")).toInteger()));
        const std::vector<int32_t> first = idsOf(g.value(QStringLiteral("first")).toArray()), last = idsOf(g.value(QStringLiteral("last")).toArray());
        QCOMPARE(std::vector<int32_t>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(first.size())), first);
        QCOMPARE(std::vector<int32_t>(ids.end() - static_cast<std::ptrdiff_t>(last.size()), ids.end()), last);
        // little-endian int32, as the golden hashes them (x86-64 is little-endian)
        const QByteArray raw(reinterpret_cast<const char *>(ids.data()), static_cast<qsizetype>(ids.size() * sizeof(int32_t)));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex()),
                 g.value(QStringLiteral("sha256_int32le")).toString());
    }

    void ggufVocabularyEncodesTheSame()
    {
        // the vocabulary llama.cpp's own converter embedded in the demo model's GGUF encodes every string exactly as
        // the tokenizer.json it came from (special tokens included: they are control tokens there)
        auto m = Model::open(test::sharedPath(QStringLiteral("golden/sotu-mini/sotu-mini-bf16.gguf")).toStdString());
        QVERIFY(m.ok());
        auto t = BpeTokenizer::fromGgufMetadata((*m)->gguf()->metadata, (*m)->path());
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().describe().c_str());
        int checked = 0;
        for (const QJsonValue v : m_golden.value(QStringLiteral("sotu")).toObject().value(QStringLiteral("strings")).toArray()) {
            const QByteArray utf8 = v.toObject().value(QStringLiteral("text")).toString().toUtf8();
            QCOMPARE(t->encode(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))),
                     idsOf(v.toObject().value(QStringLiteral("ids")).toArray()));
            ++checked;
        }
        QCOMPARE(checked, 18);
        // a vocabulary of SentencePiece scores is not read yet, and says so
        std::vector<GgufKeyValue> spm = (*m)->gguf()->metadata;
        for (auto &kv : spm)
            if (kv.key == "tokenizer.ggml.model")
                kv.value = GgufValue::makeString("llama");
        auto refused = BpeTokenizer::fromGgufMetadata(spm, "x.gguf");
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("'llama' is not supported yet") != std::string::npos, refused.error().message.c_str());
    }

    void unsupportedLayoutsAreRefused()
    {
        // a tokenizer.json this reader would encode wrongly is refused with the part it cannot follow
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("tokenizer.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"normalizer":{"type":"NFKC"},"pre_tokenizer":null,"added_tokens":[]})");
        f.close();
        auto t = BpeTokenizer::fromTokenizerJson(f.fileName().toStdString());
        QVERIFY(!t.ok());
        QVERIFY2(t.error().message.find("NFKC") != std::string::npos, t.error().message.c_str());
        QVERIFY(!BpeTokenizer::fromTokenizerJson(dir.filePath(QStringLiteral("missing.json")).toStdString()).ok());
    }
};

QS_TEST_MAIN_SHARED(TestBpeTokenizer)
#include "tst_bpe_tokenizer.moc"
