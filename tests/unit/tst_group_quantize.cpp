// Layer-sequential GPTQ on the built-in demo model: every Linear solved, GPTQ's predictions closer to the original's
// than round-to-nearest at the same grid, and a run cancelled part-way resumes from its last saved layer to the same
// result as an uninterrupted run.
#include "calibration/calibration_set.h"
#include "common/paths.h"
#include "engine/bpe_tokenizer.h"
#include "engine/evaluation.h"
#include "io/small_file.h"
#include "pipeline/group_quantize.h"
#include "pipeline/plan_weights.h"
#include "test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace qs;

class TestGroupQuantize : public QObject {
    Q_OBJECT
    std::shared_ptr<const Model> m_model;
    std::vector<int32_t> m_ids;

    Plan gptqPlan(int bits) const
    {
        Plan p;
        p.preset.clear();
        p.output = PlanOutput::HfCheckpoint;
        p.groupQuant = IntGroupFormat{IntGroupMethod::Gptq, bits, 128, false};
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        m_model = *m;
        m_ids = test::demoTokens();
        QVERIFY(m_ids.size() > 4096);
    }

    void gptqBeatsRoundToNearest()
    {
        auto cal = randomCalibration(m_ids, 16, 256, 1);
        QVERIFY(cal);
        auto r = quantizeGroupPlan(m_model, gptqPlan(3), *cal, {});
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        QCOMPARE(r->tensors.size(), size_t(14));
        for (const auto &[name, t] : r->tensors) {
            QVERIFY2(t.consistent(), name.c_str());
            QCOMPARE(t.format.bits, 3);
        }
        auto base = Transformer::create(std::make_shared<WeightSource>(m_model));
        QVERIFY(base);
        auto w = makeEvalWindows(std::vector<int32_t>(m_ids.end() - 2048, m_ids.end()), PplProtocol::HuggingFace, 512, -1);
        QVERIFY(w);
        auto g = evaluate(base->withWeights(r->weights), &*base, *w);
        QuantizeOptions rtn;
        rtn.plan = gptqPlan(3);
        rtn.plan.groupQuant->method = IntGroupMethod::Rtn;
        auto rw = planWeights(m_model, rtn);
        QVERIFY(rw);
        auto n = evaluate(base->withWeights(*rw), &*base, *w);
        QVERIFY(g && n);
        qInfo("3-bit g128 on the demo model: GPTQ KLD %.5f, RTN %.5f", g->kldMean, n->kldMean);
        QVERIFY(g->kldMean < n->kldMean);
    }

    void resumesAfterTheLastSavedLayer()
    {
        auto cal = randomCalibration(m_ids, 8, 256, 7);
        QVERIFY(cal);
        QTemporaryDir dir;
        GroupQuantizeOptions o;
        o.resumeDir = dir.path().toStdString();
        // cancelled once the second layer starts: the first is saved
        JobControl job;
        job.onProgress([&](const JobProgress &p) {
            if (p.item.rfind("layer 2 of", 0) == 0)
                job.cancel();
        });
        auto cut = quantizeGroupPlan(m_model, gptqPlan(4), *cal, o, &job);
        QVERIFY(!cut);
        QVERIFY(cut.error().cancelled());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("layer-0.bin"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("layer-1.bin"))));
        auto resumed = quantizeGroupPlan(m_model, gptqPlan(4), *cal, o);
        QVERIFY2(resumed, resumed ? "" : resumed.error().describe().c_str());
        QCOMPARE(resumed->resumedLayers, 1);
        auto fresh = quantizeGroupPlan(m_model, gptqPlan(4), *cal, {});
        QVERIFY(fresh);
        QCOMPARE(resumed->tensors.size(), fresh->tensors.size());
        for (const auto &[name, t] : fresh->tensors) {
            QCOMPARE(resumed->tensors.at(name).codes, t.codes);
            QCOMPARE(resumed->tensors.at(name).scales, t.scales);
        }
        // another plan does not pick up these layers
        auto other = quantizeGroupPlan(m_model, gptqPlan(3), *cal, o);
        QVERIFY(other);
        QCOMPARE(other->resumedLayers, 0);
    }

    void badCalibration()
    {
        QVERIFY(!randomCalibration(std::vector<int32_t>(100, 1), 4, 512, 1)); // shorter than one window
        QVERIFY(!calibrationFromJson("{\"window\": 512, \"offsets\": [0]}", std::vector<int32_t>(100, 1), "w.json"));
        QVERIFY(!calibrationFromJson("[1,2]", m_ids, "w.json"));
        QVERIFY(!calibrationFromJson("{\"window\": 8, \"offsets\": [0], \"sha256_int32le\": \"00\"}", m_ids, "w.json"));
        auto ok = calibrationFromJson("{\"window\": 8, \"offsets\": [0, 5]}", m_ids, "w.json");
        QVERIFY(ok);
        QCOMPARE(ok->windows(), int64_t(2));
        QCOMPARE(ok->ids[8], m_ids[5]);
    }
};

QTEST_GUILESS_MAIN(TestGroupQuantize)
#include "tst_group_quantize.moc"
