// The studio's plan document and background job runner, without the window: undoable edits that re-resolve and
// announce themselves, what each rule decides, warnings, totals; jobs that finish, fail or are cancelled, with
// progress in their own unit and the locale's numbers.
#include "job_runner.h"
#include "plan_document.h"
#include "plan_panel.h"
#include "test_support.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace qs;

class TestPlanDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void editsAreUndoableAndResolved()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m.ok());
        PlanDocument doc;
        QSignalSpy changed(&doc, &PlanDocument::planChanged);
        doc.setModel(*m);
        QCOMPARE(changed.count(), 1);
        QVERIFY(doc.resolveError().isEmpty());
        QCOMPARE(doc.resolvedFor("blk.0.attn_q.weight")->decision.type, GgmlType::Q4_K);
        const uint64_t q4kmBytes = doc.totals().bytes;
        QVERIFY(doc.totals().bitsPerQuantizedWeight().has_value());
        QVERIFY(!doc.totals().relativeError().has_value()); // nothing measured yet

        Plan next = doc.plan();
        next.rules = {{"attn_q", GgmlType::Q8_0}, {"attn_q", GgmlType::Q2_K}};
        doc.push(next, QStringLiteral("two rules"));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(doc.resolvedFor("blk.0.attn_q.weight")->decision.type, GgmlType::Q8_0);
        QCOMPARE(doc.ruleDecides(), (std::vector<int>{2, 0}));
        QCOMPARE(doc.warnings().size(), size_t(1)); // the second rule is shadowed by the first
        QCOMPARE(doc.warnings()[0].kind, PlanWarning::Kind::RuleDecidesNothing);
        QCOMPARE(doc.warnings()[0].matches, 2);
        QVERIFY2(PlanPanel::warningText(doc.warnings()[0]).startsWith(QStringLiteral("Rule 2 'attn_q' decides none of the 2 tensor")),
                 qPrintable(PlanPanel::warningText(doc.warnings()[0])));
        QVERIFY(doc.totals().bytes > q4kmBytes);

        doc.undoStack()->undo();
        QCOMPARE(changed.count(), 3);
        QVERIFY(doc.plan().rules.empty());
        QCOMPARE(doc.totals().bytes, q4kmBytes);
        doc.undoStack()->redo();
        QCOMPARE(doc.plan().rules.size(), size_t(2));

        // the error comes from the analysis, for the tensors measured in their planned format
        AnalysisOptions opt;
        opt.candidates = *QuantFormat::parseList("q4_k,q6_k,q8_0");
        auto r = analyzeModel(**m, opt);
        QVERIFY(r.ok());
        doc.setAnalysis(std::make_shared<const AnalysisResults>(std::move(*r)));
        QVERIFY(doc.totals().relativeError().has_value());
        QCOMPARE(doc.totals().measured, doc.totals().quantized);

        // presets by any spelling, stored in their own; none at all keeps what no rule decides
        QVERIFY(doc.setPreset(QStringLiteral("q8_0")).ok());
        QCOMPARE(doc.plan().preset, std::string("Q8_0"));
        QVERIFY(doc.setPreset(QString()).ok());
        QVERIFY(doc.plan().preset.empty());
        QVERIFY(!doc.resolvedFor("blk.1.ffn_up.weight")->decision.quantized);
        QVERIFY(!doc.setPreset(QStringLiteral("Q9_K")).ok());
        QVERIFY(doc.plan().preset.empty()); // a refused edit changes nothing

        // a plan that does not apply says why and resolves nothing
        Plan bad;
        bad.preset = "Q4_K_M";
        bad.rules = {{"(", GgmlType::Q8_0}};
        doc.apply(bad);
        QVERIFY(!doc.resolveError().isEmpty());
        QVERIFY(doc.resolved().empty());
    }

    void jobsFinishFailOrCancel()
    {
        JobRunner runner;
        QSignalSpy finished(&runner, &JobRunner::finished);
        QSignalSpy progress(&runner, &JobRunner::progress);
        QVERIFY(runner.start([](JobControl &job) {
            job.beginStage("counting", 3, ProgressUnit::Tokens);
            for (int i = 0; i < 3; ++i)
                job.advance(1, "token");
            return okStatus();
        }));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).value<JobOutcome>(), JobOutcome::Done);
        QTRY_COMPARE(progress.count(), 3);
        QCOMPARE(progress.at(2).at(0).value<JobProgress>().done, uint64_t(3));

        QVERIFY(runner.start([](JobControl &) { return Status(makeError("disk on fire")); }));
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(finished.at(1).at(0).value<JobOutcome>(), JobOutcome::Failed);
        QVERIFY(finished.at(1).at(1).toString().contains(QStringLiteral("disk on fire")));

        std::atomic<bool> started{false};
        QVERIFY(runner.start([&](JobControl &job) {
            started = true;
            while (!job.cancelled())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return Status(cancelledError("nothing was written"));
        }));
        QVERIFY(!runner.start([](JobControl &) { return okStatus(); })); // one job at a time
        QTRY_VERIFY(started.load());
        runner.cancel();
        QTRY_COMPARE(finished.count(), 3);
        QCOMPARE(finished.at(2).at(0).value<JobOutcome>(), JobOutcome::Cancelled);
    }

    void progressSpeaksTheLocale()
    {
        const QLocale before;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        JobProgress p{4096, 65536, ProgressUnit::Tokens, "evaluating", "window 8"};
        QCOMPARE(progressDetail(p, QDateTime::currentMSecsSinceEpoch()), QStringLiteral(" — token 4.096 of 65.536"));
        p.unit = ProgressUnit::Layers;
        p.done = 7;
        p.total = 32;
        QCOMPARE(progressDetail(p, QDateTime::currentMSecsSinceEpoch()), QStringLiteral(" — layer 7 of 32"));
        QLocale::setDefault(before);
    }
};

QTEST_MAIN(TestPlanDocument)
#include "tst_plan_document.moc"
