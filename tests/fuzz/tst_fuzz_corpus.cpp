// Replays the fuzz seed corpus through every parser's fuzz entry point: nothing may crash, and each seed gets the
// verdict its name promises ("ok-*" accepted, "bad-*" refused). Crashes found by fuzzing are added as seeds.
#include "fuzz_targets.h"
#include "test_support.h"

#include <QDir>
#include <QtTest>

class TestFuzzCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replay_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        const QString root = qs::test::sourcePath(QStringLiteral("tests/fuzz/corpus"));
        int n = 0;
        for (const QString target : {QStringLiteral("gguf"), QStringLiteral("safetensors"), QStringLiteral("hf_config"),
                                     QStringLiteral("sentencepiece"), QStringLiteral("tokenizer_json"),
                                     QStringLiteral("group_checkpoint")}) {
            const QDir dir(root + QLatin1Char('/') + target);
            for (const QString &f : dir.entryList(QDir::Files, QDir::Name)) {
                QTest::newRow(qPrintable(target + QLatin1Char('/') + f)) << target << dir.filePath(f);
                ++n;
            }
        }
        QVERIFY2(n >= 50, "the seed corpus is missing");
    }

    void replay()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        const auto *p = reinterpret_cast<const uint8_t *>(data.constData());
        const size_t n = static_cast<size_t>(data.size());
        bool accepted = false;
        if (target == QLatin1String("gguf"))
            accepted = qs::fuzz::gguf(p, n);
        else if (target == QLatin1String("safetensors"))
            accepted = qs::fuzz::safetensors(p, n);
        else if (target == QLatin1String("hf_config"))
            accepted = qs::fuzz::hfConfig(p, n);
        else if (target == QLatin1String("sentencepiece"))
            accepted = qs::fuzz::sentencePiece(p, n);
        else if (target == QLatin1String("group_checkpoint"))
            accepted = qs::fuzz::groupCheckpoint(p, n);
        else
            accepted = qs::fuzz::tokenizerJson(p, n);
        const QString name = QFileInfo(file).fileName();
        if (name.startsWith(QLatin1String("ok-")))
            QVERIFY2(accepted, "a valid seed was refused");
        else if (name.startsWith(QLatin1String("bad-")))
            QVERIFY2(!accepted, "a malformed seed was accepted");
        // seeds named otherwise (crash reproducers) only need to not crash
    }
};

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzz_corpus.moc"
