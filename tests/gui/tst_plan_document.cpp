// The studio's plan document and background job runner, without the window: undoable edits that re-resolve and
// announce themselves, what each rule decides, warnings, totals; jobs that finish, fail or are cancelled, with
// progress in their own unit and the locale's numbers.
#include "format_delegate.h"
#include "group_format_dialog.h"
#include "job_runner.h"
#include "plan_document.h"
#include "plan_panel.h"
#include "tensor_table_model.h"
#include "test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSignalSpy>
#include <QStandardItemModel>
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

    void tensorFormatsAreGgufOrGroup_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<QString>("firstShown");  // the tensor table's Format cell
        QTest::addColumn<QString>("secondShown");
        QTest::newRow("group, then GGUF") << "GPTQ 4-bit g128" << "Q8_0" << "GPTQ 4-bit g128" << "Q8_0";
        QTest::newRow("GGUF, then group by id") << "Q6_K" << "awq:4:128" << "Q6_K" << "AWQ 4-bit g128";
        QTest::newRow("group, then another group") << "gptq:8:128" << "RTN 4-bit g128" << "GPTQ 8-bit g128" << "RTN 4-bit g128";
    }

    void tensorFormatsAreGgufOrGroup()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(QString, firstShown);
        QFETCH(QString, secondShown);
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m.ok());
        PlanDocument doc;
        doc.setModel(*m);
        TensorTableModel table;
        table.setModel(*m);
        QObject::connect(&doc, &PlanDocument::planChanged, &table, [&] { table.setPlan(doc.resolved()); });
        table.setPlan(doc.resolved());
        int row = -1;
        for (int r = 0; r < table.rowCount(); ++r)
            if (table.plannedFor(r) && table.plannedFor(r)->ggufName == "blk.0.attn_q.weight")
                row = r;
        QVERIFY(row >= 0);
        const QModelIndex cell = table.index(row, TensorTableModel::Format);
        const QString name = QStringLiteral("blk.0.attn_q.weight");

        QVERIFY(doc.setTensorFormat(name, first).ok());
        QCOMPARE(cell.data().toString(), firstShown);
        QCOMPARE(doc.plan().groupOverrides.size() + doc.plan().overrides.size(), size_t(1));
        QVERIFY(table.flags(cell) & Qt::ItemIsEditable); // group decisions are edited like GGUF ones
        // the same format in any spelling is no edit; another one is
        QSignalSpy edited(&table, &TensorTableModel::formatEdited);
        QVERIFY(!table.setData(cell, firstShown, Qt::EditRole));
        QVERIFY(!table.setData(cell, QString::fromStdString(parsePlanFormat(firstShown.toStdString())->id()), Qt::EditRole));
        QVERIFY(table.setData(cell, second, Qt::EditRole));
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.at(0).at(2).toString(), second);

        // a tensor holds one choice: the new one replaces the other kind, in one undo step
        QVERIFY(doc.setTensorFormat(name, second).ok());
        QCOMPARE(cell.data().toString(), secondShown);
        QCOMPARE(doc.plan().groupOverrides.size() + doc.plan().overrides.size(), size_t(1));
        doc.undoStack()->undo();
        QCOMPARE(cell.data().toString(), firstShown);
        QCOMPARE(doc.plan().groupOverrides.size() + doc.plan().overrides.size(), size_t(1));
        doc.undoStack()->redo();
        QCOMPARE(cell.data().toString(), secondShown);
        QVERIFY(!doc.setTensorFormat(name, QStringLiteral("gptq:5:128")).ok());
        QCOMPARE(doc.undoStack()->count(), 2);
    }

    void choicesUnderTheOtherNameAreReplaced()
    {
        // a plan file may name the tensor the Hugging Face way; the table edits it by its GGUF name
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m.ok());
        PlanDocument doc;
        doc.setModel(*m);
        Plan hf = doc.plan();
        hf.groupOverrides["model.layers.0.self_attn.q_proj.weight"] = IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128);
        doc.reset(hf);
        QVERIFY(doc.resolvedFor("blk.0.attn_q.weight")->decision.group.has_value());
        QVERIFY(doc.setTensorFormat(QStringLiteral("blk.0.attn_q.weight"), QStringLiteral("Q8_0")).ok());
        QVERIFY(doc.plan().groupOverrides.empty());
        QCOMPARE(doc.resolvedFor("blk.0.attn_q.weight")->decision.type, GgmlType::Q8_0);
        QCOMPARE(doc.plan().output, PlanOutput::Gguf); // no group format left: a GGUF plan again
    }

    void groupRulesAndPlanWideChoices()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m.ok());
        PlanDocument doc;
        doc.setModel(*m);
        QVERIFY(doc.addRule(QStringLiteral("ffn_down"), QStringLiteral("gptq:8:128")).ok());
        QVERIFY(doc.plan().rules[0].group == IntGroupFormat::make(IntGroupMethod::Gptq, 8, 128));
        QCOMPARE(doc.plan().output, PlanOutput::HfCheckpoint);
        QCOMPARE(doc.ruleDecides(), std::vector<int>{2});
        QVERIFY(doc.resolvedFor("blk.1.ffn_down.weight")->decision.group.has_value());
        // the rest stays Q4_K_M: the studio says the plan cannot be written to one file
        QVERIFY(std::any_of(doc.warnings().begin(), doc.warnings().end(),
                            [](const PlanWarning &w) { return w.kind == PlanWarning::Kind::MixedGgufAndGroup; }));
        QVERIFY(PlanPanel::warningText(doc.warnings().back()).contains(QStringLiteral("no one file holds")));
        QVERIFY(doc.editRule(0, QStringLiteral("ffn_down"), QStringLiteral("GPTQ 8-bit g128")).ok()); // the same: no step
        QCOMPARE(doc.undoStack()->count(), 1);
        QVERIFY(doc.editRule(0, QStringLiteral("ffn_down"), QStringLiteral("Q6_K")).ok());
        QVERIFY(!doc.plan().rules[0].group);
        QCOMPARE(doc.plan().output, PlanOutput::Gguf);
        doc.undoStack()->undo();
        QVERIFY(doc.plan().rules[0].group.has_value());
        QVERIFY(!doc.addRule(QStringLiteral("ffn_up"), QStringLiteral("gptq:5:128")).ok());
        QCOMPARE(doc.undoStack()->count(), 2);

        // the plan-wide format and the GPTQ settings, each one undoable step
        QVERIFY(doc.setGroupQuant(IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128)).ok());
        QCOMPARE(doc.plan().label(), std::string("GPTQ 4-bit g128"));
        QVERIFY(doc.resolvedFor("blk.0.attn_q.weight")->decision.group == IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128));
        QVERIFY(doc.resolvedFor("blk.0.ffn_down.weight")->decision.group == IntGroupFormat::make(IntGroupMethod::Gptq, 8, 128)); // the rule first
        QVERIFY(doc.setGptqSettings({true, true, 0.02}).ok());
        QCOMPARE(doc.plan().gptq.damp, 0.02);
        const Status noActOrder = doc.setGptqSettings({false, true, 0.01});
        QVERIFY(!noActOrder.ok());
        QVERIFY2(QString::fromStdString(noActOrder.error().message).contains(QStringLiteral("act_order")), noActOrder.error().message.c_str());
        QVERIFY(!doc.setGptqSettings({true, false, 0.0}).ok());
        QVERIFY(!doc.setGroupQuant(IntGroupFormat{IntGroupMethod::Awq, 4, 100, false}).ok());
        QCOMPARE(doc.undoStack()->count(), 3); // the rule, the format, the settings (the undone edit went)
        doc.undoStack()->undo();
        QVERIFY(doc.plan().gptq.isDefault());
        doc.undoStack()->undo();
        QVERIFY(!doc.plan().groupQuant);
        doc.undoStack()->redo();
        QVERIFY(doc.plan().groupQuant.has_value());
    }

    void formatEditorOffersGgufAndGroupFormats()
    {
        QStandardItemModel model(1, 1);
        model.setData(model.index(0, 0), QStringLiteral("GPTQ 4-bit g32")); // not among the common ones
        FormatDelegate delegate;
        QWidget parent;
        auto *box = qobject_cast<QComboBox *>(delegate.createEditor(&parent, {}, model.index(0, 0)));
        QVERIFY(box);
        QStringList texts;
        for (int i = 0; i < box->count(); ++i)
            texts << (box->itemData(i, Qt::AccessibleDescriptionRole).toString() == QLatin1String("separator") ? QStringLiteral("--")
                                                                                                                 : box->itemText(i));
        const QStringList expected = FormatDelegate::formats() + QStringList{QStringLiteral("--")} +
                                     QStringList{QStringLiteral("GPTQ 4-bit g128"), QStringLiteral("GPTQ 8-bit g128"), QStringLiteral("GPTQ 3-bit g128"),
                                                 QStringLiteral("GPTQ 2-bit g64"), QStringLiteral("AWQ 4-bit g128"), QStringLiteral("RTN 4-bit g128"),
                                                 QStringLiteral("RTN 8-bit per-channel"), QStringLiteral("Other…")};
        QCOMPARE(texts, expected);
        // the cell's own format is offered (above "Other…") and chosen
        delegate.setEditorData(box, model.index(0, 0));
        QCOMPARE(box->currentText(), QStringLiteral("GPTQ 4-bit g32"));
        QCOMPARE(box->itemText(box->count() - 1), QStringLiteral("Other…"));
        box->setCurrentIndex(box->findText(QStringLiteral("Q5_K")));
        delegate.setModelData(box, &model, model.index(0, 0));
        QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("Q5_K"));

        // "Other…" asks in a dialog and hands its choice to the cell
        QObject::connect(&delegate, &FormatDelegate::otherDialogOpened, &delegate, [](QDialog *d) {
            auto *dialog = qobject_cast<GroupFormatDialog *>(d);
            QVERIFY(dialog);
            dialog->setFormat(IntGroupFormat::make(IntGroupMethod::Awq, 4, -1));
            dialog->symmetricBox()->setChecked(true);
            dialog->accept();
        });
        const int other = box->count() - 1;
        box->setCurrentIndex(other);
        delegate.setModelData(box, &model, model.index(0, 0)); // "Other…" itself is never written
        QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("Q5_K"));
        Q_EMIT box->activated(other);
        QTRY_COMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("AWQ 4-bit per-channel symmetric"));
    }

    void planPanelGroupRow()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m.ok());
        PlanDocument doc;
        doc.setModel(*m);
        PlanPanel panel(&doc);
        QComboBox *method = panel.groupMethodBox();
        QCOMPARE(method->currentText(), QStringLiteral("None"));
        QVERIFY(!panel.groupBitsBox()->isEnabled());
        QVERIFY(!panel.actOrderBox()->isEnabled());
        auto choose = [](QComboBox *box, const QString &text) {
            const int i = box->findText(text);
            QVERIFY2(i >= 0, qPrintable(text));
            box->setCurrentIndex(i);
            Q_EMIT box->activated(i);
        };
        choose(method, QStringLiteral("GPTQ"));
        QVERIFY(doc.plan().groupQuant == IntGroupFormat::make(IntGroupMethod::Gptq, 4, 128));
        QVERIFY(panel.groupSymmetricBox()->isChecked()); // GPTQModel's grid
        QVERIFY(panel.actOrderBox()->isEnabled());
        panel.actOrderBox()->click();
        QVERIFY(doc.plan().gptq.actOrder);
        choose(panel.groupBitsBox(), QStringLiteral("8-bit"));
        choose(panel.groupSizeBox(), QStringLiteral("per-channel"));
        QVERIFY(doc.plan().groupQuant == IntGroupFormat::make(IntGroupMethod::Gptq, 8, -1));
        choose(method, QStringLiteral("AWQ"));
        QVERIFY(doc.plan().groupQuant == IntGroupFormat::make(IntGroupMethod::Awq, 8, -1));
        QVERIFY(!panel.groupSymmetricBox()->isChecked());
        QVERIFY(!panel.actOrderBox()->isEnabled()); // act-order is GPTQ's
        panel.groupSymmetricBox()->click();
        QVERIFY(doc.plan().groupQuant->symmetric);
        QVERIFY(panel.totalsText().startsWith(QStringLiteral("Plan AWQ 8-bit per-channel symmetric")));
        // the row redraws from the document: undo goes back through each edit
        doc.undoStack()->undo();
        QVERIFY(!panel.groupSymmetricBox()->isChecked());
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(panel.groupSizeBox()->currentText(), QStringLiteral("g128"));
        QCOMPARE(panel.groupBitsBox()->currentText(), QStringLiteral("8-bit"));
        QVERIFY(panel.actOrderBox()->isChecked());
        choose(method, QStringLiteral("None"));
        QVERIFY(!doc.plan().groupQuant);
        QVERIFY(!panel.groupBitsBox()->isEnabled());
        QVERIFY(!panel.actOrderBox()->isEnabled());
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
