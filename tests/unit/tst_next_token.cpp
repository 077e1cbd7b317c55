// next_token: the top tokens of a softmax, and tokens written as a person reads them — GPT-2 byte-level spellings
// and SentencePiece ones decoded to their bytes, and those bytes made visible on one line.
#include "engine/bpe_tokenizer.h"
#include "engine/next_token.h"
#include "model/model.h"
#include "test_support.h"

#include <QtTest>

#include <cmath>

using namespace qs;

class TestNextToken : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topTokensAreTheSoftmaxLargest()
    {
        // softmax of ln(1), ln(2), ln(3), ln(4) is 0.1, 0.2, 0.3, 0.4
        const float logits[] = {0.f, std::log(2.f), std::log(3.f), std::log(4.f)};
        const auto top = topTokens(logits, 4, 3);
        QCOMPARE(top.size(), size_t(3));
        const int32_t ids[] = {3, 2, 1};
        const double probs[] = {0.4, 0.3, 0.2};
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(top[size_t(i)].id, ids[i]);
            QVERIFY2(std::abs(top[size_t(i)].probability - probs[i]) < 1e-6, qPrintable(QString::number(top[size_t(i)].probability)));
        }
        // large logits stay finite; equal ones go lower id first
        const float big[] = {1000.f, 1000.f, -1000.f};
        const auto two = topTokens(big, 3, 5);
        QCOMPARE(two.size(), size_t(3));
        QCOMPARE(two[0].id, 0);
        QCOMPARE(two[1].id, 1);
        QVERIFY(std::abs(two[0].probability - 0.5) < 1e-12);
        QCOMPARE(two[2].probability, 0.0);
    }

    void decodesSpellings_data()
    {
        QTest::addColumn<QByteArray>("spelled");
        QTest::addColumn<bool>("sentencePiece");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("readable");
        const QString space(QChar(0x2423));
        // byte-level: 'Ġ' is the space (0x20 moved to U+0120), 'Ċ' the newline, "âĢĻ" the bytes E2 80 99 (’)
        QTest::newRow("gpt2 space") << QByteArray("\xC4\xA0the") << false << QByteArray(" the") << space + "the";
        QTest::newRow("gpt2 newline") << QByteArray("\xC4\x8A") << false << QByteArray("\n") << QStringLiteral("\\n");
        QTest::newRow("gpt2 quote") << QByteArray("\xC3\xA2\xC4\xA2\xC4\xBB") << false << QByteArray("\xE2\x80\x99") << QString(QChar(0x2019));
        QTest::newRow("gpt2 half char") << QByteArray("\xC3\xA4") << false << QByteArray("\xE4") << QStringLiteral("\\xE4");
        QTest::newRow("gpt2 special") << QByteArray("<|endoftext|>") << false << QByteArray("<|endoftext|>") << QStringLiteral("<|endoftext|>");
        QTest::newRow("gpt2 tab+nul") << QByteArray("\xC4\x89\xC4\x80") << false << QByteArray("\t\0", 2) << QStringLiteral("\\t\\x00");
        // SentencePiece: '▁' is the space, <0xNN> one byte
        QTest::newRow("spm space") << QByteArray("\xE2\x96\x81the") << true << QByteArray(" the") << space + "the";
        QTest::newRow("spm byte") << QByteArray("<0x0A>") << true << QByteArray("\n") << QStringLiteral("\\n");
        QTest::newRow("spm high byte") << QByteArray("<0xE4>") << true << QByteArray("\xE4") << QStringLiteral("\\xE4");
        QTest::newRow("spm word") << QByteArray("\xC3\xA9t\xC3\xA9") << true << QByteArray("\xC3\xA9t\xC3\xA9") << QStringLiteral("été");
        QTest::newRow("spm not a byte") << QByteArray("<0xZZ>") << true << QByteArray("<0xZZ>") << QStringLiteral("<0xZZ>");
    }

    void decodesSpellings()
    {
        QFETCH(QByteArray, spelled);
        QFETCH(bool, sentencePiece);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, readable);
        const std::string decoded = tokenBytes(spelled.toStdString(), sentencePiece ? TokenSpelling::SentencePiece : TokenSpelling::ByteLevel);
        QCOMPARE(QByteArray::fromStdString(decoded), bytes);
        QCOMPARE(QString::fromStdString(readableTokenText(decoded)), readable);
    }

    void demoVocabularyMatchesItsTokenizer()
    {
        auto model = Model::open(test::demoModelDir().toStdString());
        QVERIFY2(model, model ? "" : model.error().describe().c_str());
        auto vocab = tokenVocabulary(**model);
        QVERIFY2(vocab, vocab ? "" : vocab.error().describe().c_str());
        QCOMPARE(vocab->spelling, TokenSpelling::ByteLevel);
        QCOMPARE(int64_t(vocab->size()), (*model)->architecture().vocabSize);
        auto tokenizer = tokenizerForModel(**model);
        QVERIFY(tokenizer);
        // every token of a sentence reads back as the sentence, spaces shown
        const std::string text = "The Union is strong.\n";
        std::string joined;
        for (int32_t id : tokenizer->encode(text))
            joined += tokenBytes(vocab->tokens[size_t(id)], vocab->spelling);
        QCOMPARE(QString::fromStdString(joined), QString::fromStdString(text));
        const std::vector<int32_t> the = tokenizer->encode(" Union");
        QCOMPARE(the.size(), size_t(1));
        QCOMPARE(QString::fromStdString(tokenDisplayText(*vocab, the[0])), QString(QChar(0x2423)) + "Union");
        QCOMPARE(QString::fromStdString(tokenDisplayText(*vocab, -1)), QStringLiteral("[-1]"));
    }
};

QTEST_GUILESS_MAIN(TestNextToken)
#include "tst_next_token.moc"
