// AWQ-style scales for a GGUF file (AwqOptions::gguf, pipeline/compensated_gguf.h): on the demo model the search's
// folded scales leave the unquantized model computing the same function (every norm, column and row multiplier in
// the right direction); the exporter writes through the scales exactly what the evaluation engine reads through them,
// Q/K permutation included; the scaled Q2_K file is closer to the model on text the search never saw than the plain
// one; the CLI writes it alone and with compensation, with the plain file's types and sizes, and names the scaled
// tensors; bad input is a clear error.
#include "engine/evaluation.h"
#include "engine/transformer.h"
#include "export/gguf_export.h"
#include "export/quantize_job.h"
#include "pipeline/awq_quantize.h"
#include "pipeline/compensated_gguf.h"
#include "pipeline/plan_weights.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace qs;

namespace {

std::shared_ptr<const Model> demoModel()
{
    auto m = Model::open(test::demoModelDir().toStdString());
    return m ? *m : nullptr;
}

// the built-in text's last 1024 tokens in windows of 256: the calibration below takes its windows from the start
Result<EvalWindows> heldOutWindows()
{
    std::vector<int32_t> ids = test::demoTokens();
    if (ids.size() < 4096)
        return makeError("the built-in text is too short");
    ids.erase(ids.begin(), ids.end() - 1024);
    return makeEvalWindows(ids, PplProtocol::HuggingFace, 256, -1, 4);
}

Result<CalibrationSet> calibration()
{
    std::vector<int32_t> ids = test::demoTokens();
    ids.resize(ids.size() - 1024);
    return randomCalibration(ids, 8, 256, 1);
}

// every block Linear of the demo model in `type`, no importance weights
std::map<std::string, AwqOptions::GgufTarget> targetsIn(const Model &m, GgmlType type)
{
    std::map<std::string, AwqOptions::GgufTarget> t;
    for (const ModelTensor &mt : m.tensors())
        if (mt.layer >= 0 && mt.shape.size() == 2)
            t[mt.name] = {type, {}};
    return t;
}

// what the exporter would write for a preset
Result<GgufExportRequest> requestFor(const Model &m, const std::string &preset)
{
    QuantizeOptions qo;
    qo.plan.preset = preset;
    return planQuantization(m, qo, nullptr);
}

const GgufKeyValue *metadata(const Model &m, const std::string &key)
{
    for (const GgufKeyValue &kv : m.gguf()->metadata)
        if (kv.key == key)
            return &kv;
    return nullptr;
}

} // namespace

class TestGgufScales : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void foldedScalesKeepTheModelsFunction()
    {
        auto model = demoModel();
        QVERIFY(model);
        auto cal = calibration();
        QVERIFY(cal);
        AwqOptions o;
        o.gguf = targetsIn(*model, GgmlType::Q2_K);
        auto r = awqQuantize(model, *cal, o);
        QVERIFY2(r, r ? "" : r.error().describe().c_str());
        QVERIFY(r->tensors.empty());
        QCOMPARE(r->choices.size(), size_t(2));
        QVERIFY2(!r->folded.empty(), "at two bits some scaling group should prefer scales to none");
        // a norm before a scaled group holds 1 / s of its Linears' columns
        int norms = 0;
        for (int l = 0; l < 2; ++l)
            for (auto [norm, linear] : {std::pair{"input_layernorm", "self_attn.q_proj"}, std::pair{"post_attention_layernorm", "mlp.gate_proj"}}) {
                const std::string prefix = "model.layers." + std::to_string(l) + ".";
                const auto n = r->folded.find(prefix + norm + ".weight");
                const auto w = r->folded.find(prefix + linear + ".weight");
                QCOMPARE(n != r->folded.end(), w != r->folded.end());
                if (n == r->folded.end())
                    continue;
                ++norms;
                QCOMPARE(n->second.column.size(), w->second.column.size());
                for (size_t c = 0; c < n->second.column.size(); ++c)
                    QVERIFY(std::fabs(n->second.column[c] * w->second.column[c] - 1.0f) < 1e-6f);
            }
        QVERIFY(norms > 0);
        // down's scales go into up's rows (scale_fc_fc)
        int rowFolds = 0;
        for (int l = 0; l < 2; ++l) {
            const std::string prefix = "model.layers." + std::to_string(l) + ".mlp.";
            const auto down = r->folded.find(prefix + "down_proj.weight"), up = r->folded.find(prefix + "up_proj.weight");
            if (down == r->folded.end())
                continue;
            QVERIFY(up != r->folded.end());
            QCOMPARE(up->second.row.size(), down->second.column.size());
            for (size_t c = 0; c < up->second.row.size(); ++c)
                QVERIFY(std::fabs(up->second.row[c] * down->second.column[c] - 1.0f) < 1e-6f);
            ++rowFolds;
        }
        qInfo("%d norm folds, %d row folds", norms, rowFolds);
        QVERIFY(rowFolds > 0);
        // unquantized, the folded model is the same model
        auto base = Transformer::create(std::make_shared<WeightSource>(model));
        QVERIFY(base);
        auto scaled = std::make_shared<WeightSource>(model);
        for (const auto &[name, sc] : r->folded)
            scaled->setScales(*model->findTensor(name), sc);
        auto w = heldOutWindows();
        QVERIFY(w);
        auto same = evaluate(base->withWeights(scaled), &*base, *w);
        QVERIFY(same);
        qInfo("folded model against the model: KLD %.3g, top-1 agreement %.4f", same->kldMean, same->top1Agree);
        QVERIFY(same->kldMean < 1e-6);
        QVERIFY(same->top1Agree > 0.999);
        // bad targets are refused before any work
        o.gguf.begin()->second.importance = {1.0f};
        QVERIFY(!awqQuantize(model, *cal, o));
        o.gguf = {{"no.such.tensor", {GgmlType::Q4_K, {}}}};
        QVERIFY(!awqQuantize(model, *cal, o));
        o.gguf = targetsIn(*model, GgmlType::Q4_K);
        o.resumeDir = QDir::tempPath().toStdString();
        QVERIFY(!awqQuantize(model, *cal, o));
    }

    void foldingDividesTheImportance()
    {
        auto model = demoModel();
        QVERIFY(model);
        auto req = requestFor(*model, "Q4_K_M");
        QVERIFY(req);
        std::map<std::string, TensorScales> folded;
        std::vector<float> s(256), inv(256);
        for (size_t c = 0; c < s.size(); ++c)
            s[c] = static_cast<float>(c % 3 + 1), inv[c] = 1.0f / s[c];
        folded["model.layers.0.self_attn.q_proj.weight"].column = s;
        folded["model.layers.0.input_layernorm.weight"].column = inv;
        for (ExportTensor &e : req->tensors)
            if (e.name == "blk.0.attn_q.weight" || e.name == "blk.0.attn_k.weight")
                e.importance.assign(256, 2.0f);
        const std::vector<std::string> names = foldScalesInto(*model, *req, folded);
        QCOMPARE(names.size(), size_t(2));
        for (const ExportTensor &e : req->tensors) {
            const bool scaled = e.name == "blk.0.attn_q.weight" || e.name == "blk.0.attn_norm.weight";
            QCOMPARE(e.scales != nullptr, scaled);
            if (e.name == "blk.0.attn_q.weight") {
                QCOMPARE(e.scales->column, s);
                for (size_t c = 0; c < 256; ++c)
                    QCOMPARE(e.importance[c], 2.0f / (s[c] * s[c]));
            }
            if (e.name == "blk.0.attn_k.weight") // not scaled: its importance stays
                QCOMPARE(e.importance, std::vector<float>(256, 2.0f));
        }
    }

    void exporterWritesWhatTheEngineReads()
    {
        auto model = demoModel();
        QVERIFY(model);
        auto req = requestFor(*model, "F32");
        QVERIFY(req);
        // q (permuted in the file) gets row and column scales, its norm a column scale
        auto source = std::make_shared<WeightSource>(model);
        int scaled = 0;
        for (ExportTensor &e : req->tensors) {
            const ModelTensor &mt = model->tensors()[e.source];
            if (mt.layer != 1 || (mt.role != TensorRole::AttnQ && mt.role != TensorRole::AttnNorm))
                continue;
            TensorScales s;
            for (int64_t c = 0; c < e.rowLength(); ++c)
                s.column.push_back(0.5f + 0.01f * static_cast<float>(c % 97));
            if (mt.role == TensorRole::AttnQ) {
                QVERIFY(e.permuteHeads > 0);
                for (int64_t r = 0; r < e.rows(); ++r)
                    s.row.push_back(1.0f + 0.25f * static_cast<float>(r % 7));
            }
            source->setScales(e.source, s);
            e.scales = std::make_shared<const TensorScales>(s);
            ++scaled;
        }
        QCOMPARE(scaled, 2);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("scaled.gguf")).toStdString();
        QVERIFY(writeGguf(*model, *req, path, 0));
        auto written = Model::open(path);
        QVERIFY(written);
        WeightSource back(*written);
        for (size_t i = 0; i < model->tensors().size(); ++i) {
            const ModelTensor &mt = model->tensors()[i];
            if (mt.layer != 1)
                continue;
            const auto j = (*written)->findTensor(mt.otherName);
            QVERIFY2(j, mt.name.c_str());
            auto a = source->readAll(i), b = back.readAll(*j);
            QVERIFY(a && b);
            QVERIFY2(*a == *b, mt.name.c_str());
        }
        // scales that do not fit the tensor are refused, and nothing is written
        req->tensors.front().scales = std::make_shared<const TensorScales>(TensorScales{{1.0f, 2.0f}, {}});
        const std::string bad = dir.filePath(QStringLiteral("bad.gguf")).toStdString();
        auto st = writeGguf(*model, *req, bad, 0);
        QVERIFY(!st);
        QVERIFY2(st.error().message.find("do not fit") != std::string::npos, st.error().message.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(bad)));
    }

    void scaledFileIsCloserToTheModel()
    {
        auto model = demoModel();
        QVERIFY(model);
        auto cal = calibration();
        auto w = heldOutWindows();
        QVERIFY(cal && w);
        auto base = Transformer::create(std::make_shared<WeightSource>(model));
        QVERIFY(base);
        QTemporaryDir dir;
        for (const char *preset : {"Q2_K", "Q3_K_M"}) {
            QuantizeOptions qo;
            qo.plan.preset = preset;
            const std::string plainPath = dir.filePath(QStringLiteral("plain.gguf")).toStdString();
            const std::string scaledPath = dir.filePath(QStringLiteral("scaled.gguf")).toStdString();
            QVERIFY(quantizeModel(*model, qo, plainPath));
            CalibratedGgufOptions co;
            co.compensate = false;
            co.scales = true;
            auto r = quantizeCompensatedModel(model, qo, *cal, co, scaledPath);
            QVERIFY2(r, r ? "" : r.error().describe().c_str());
            QVERIFY(r->compensated.empty());
            QVERIFY(r->scaledGroups > 0 && r->scaledGroups <= r->searchedGroups);
            QCOMPARE(r->searchedGroups, 6); // 2 layers x (q/k/v, gate/up, down); o is not searched under GQA
            auto plain = Model::open(plainPath), scaled = Model::open(scaledPath);
            QVERIFY(plain && scaled);
            // the plain file's types and sizes; the scaled tensors listed
            QCOMPARE((*scaled)->tensors().size(), (*plain)->tensors().size());
            for (size_t i = 0; i < (*plain)->tensors().size(); ++i) {
                QCOMPARE((*scaled)->tensors()[i].ggml->type, (*plain)->tensors()[i].ggml->type);
                QCOMPARE((*scaled)->tensors()[i].bytes, (*plain)->tensors()[i].bytes);
            }
            const GgufKeyValue *listed = metadata(**scaled, "quantscope.scaled.tensors");
            QVERIFY(listed);
            QCOMPARE(listed->value.strings, r->scaled);
            QVERIFY(!metadata(**scaled, "quantscope.compensated.tensors"));
            // closer to the model on held-out text
            auto p = Transformer::create(std::make_shared<WeightSource>(*plain));
            auto s = Transformer::create(std::make_shared<WeightSource>(*scaled));
            QVERIFY(p && s);
            auto ep = evaluate(*p, &*base, *w), es = evaluate(*s, &*base, *w);
            QVERIFY(ep && es);
            qInfo("%s: %d of %d groups scaled; KLD plain %.5f, scaled %.5f; PPL %.3f -> %.3f", preset, r->scaledGroups, r->searchedGroups,
                  ep->kldMean, es->kldMean, ep->ppl, es->ppl);
            QVERIFY(es->kldMean < ep->kldMean);
        }
    }

    void cliWritesScaledFiles()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.gguf"));
        const QStringList common = {QStringLiteral("--samples"), QStringLiteral("4"), QStringLiteral("--seqlen"), QStringLiteral("128")};
        auto run = test::runCli(QStringList{QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q3_K_M"),
                                            QStringLiteral("--awq-scales"), QStringLiteral("-o"), out} +
                                common);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("scaling groups chose scales"), run.out.constData());
        QVERIFY2(!run.out.contains("GPTQ-compensated"), run.out.constData());
        auto m = Model::open(out.toStdString());
        QVERIFY(m);
        QVERIFY(metadata(**m, "quantscope.scaled.method"));
        // with compensation: both, the compensated blocks solved on the scaled model
        const QString both = dir.filePath(QStringLiteral("both.gguf"));
        run = test::runCli(QStringList{QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("Q3_K_M"),
                                       QStringLiteral("--awq-scales"), QStringLiteral("--compensate"), QStringLiteral("-o"), both} +
                           common);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("14 GPTQ-compensated") && run.out.contains("read back as solved"), run.out.constData());
        m = Model::open(both.toStdString());
        QVERIFY(m);
        QVERIFY(metadata(**m, "quantscope.scaled.tensors") && metadata(**m, "quantscope.compensated.tensors"));
        // with an importance matrix: the scaled inputs' importance
        const QString im = dir.filePath(QStringLiteral("demo.imatrix.gguf"));
        run = test::runCli({QStringLiteral("imatrix"), test::demoModelDir(), QStringLiteral("--chunks"), QStringLiteral("2"), QStringLiteral("-c"),
                            QStringLiteral("128"), QStringLiteral("-o"), im});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = test::runCli(QStringList{QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("IQ4_XS"),
                                       QStringLiteral("--awq-scales"), QStringLiteral("--imatrix"), im, QStringLiteral("-o"),
                                       dir.filePath(QStringLiteral("iq4.gguf"))} +
                           common);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("scaling groups chose scales"), run.out.constData());
        // GPTQ/AWQ checkpoints are another command: it names the option it does not take
        run = test::runCli({QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--method"), QStringLiteral("awq"),
                            QStringLiteral("--awq-scales"), QStringLiteral("-o"), dir.filePath(QStringLiteral("awq"))});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("awq-scales"), run.err.constData());
        // nothing in a block format: nothing to scale for
        run = test::runCli(QStringList{QStringLiteral("quantize"), test::demoModelDir(), QStringLiteral("--preset"), QStringLiteral("BF16"),
                                       QStringLiteral("--awq-scales"), QStringLiteral("-o"), dir.filePath(QStringLiteral("bf16.gguf"))} +
                           common);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("nothing to scale for"), run.err.constData());
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("bf16.gguf"))));
        // a GGUF source: its rows are not the model the scales are searched on
        run = test::runCli(QStringList{QStringLiteral("quantize"), out, QStringLiteral("--preset"), QStringLiteral("Q4_K_M"),
                                       QStringLiteral("--awq-scales"), QStringLiteral("--allow-requantize"), QStringLiteral("-o"),
                                       dir.filePath(QStringLiteral("again.gguf"))} +
                           common);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("Hugging Face model folder"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestGgufScales)
#include "tst_gguf_scales.moc"
