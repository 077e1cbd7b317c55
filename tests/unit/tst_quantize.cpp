// Quantizing whole models: round trip through the demo model, plans (rules, overrides, fallbacks, JSON), cancel and
// a full disk leave nothing behind, a killed job's leftovers are removed by the next, an already-quantized source
// is refused unless --allow-requantize, and quantscope-cli quantize's arguments and messages.
#include "export/quantize_job.h"
#include "plan/resolve.h"
#include "file_builders.h"
#include "test_support.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <sys/file.h>
#include <sys/resource.h>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace qs;
using namespace qs::test;

namespace {

std::shared_ptr<const Model> demo()
{
    auto m = Model::open(demoModelDir().toStdString());
    return m ? *m : nullptr;
}

QStringList filesIn(const QString &dir) { return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot); }

using qs::test::CliRun;
using qs::test::runCli;

} // namespace

class TestQuantize : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), "QUANTSCOPE_CLI does not point at quantscope-cli"); }

    void demoRoundTrip_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<double>("maxRelError"); // relative RMS error of the largest weights, a loose sanity bound
        QTest::newRow("Q8_0") << "Q8_0" << 0.01;
        QTest::newRow("Q6_K") << "Q6_K" << 0.03;
        QTest::newRow("Q4_K_M") << "Q4_K_M" << 0.12;
        QTest::newRow("IQ4_XS") << "IQ4_XS" << 0.12;
        QTest::newRow("Q2_K") << "Q2_K" << 0.45;
        QTest::newRow("BF16") << "BF16" << 0.0;
    }

    void demoRoundTrip()
    {
        QFETCH(QString, preset);
        QFETCH(double, maxRelError);
        auto hf = demo();
        QVERIFY(hf);
        QTemporaryDir dir;
        const QString out = dir.path() + "/demo.gguf";
        QuantizeOptions opt;
        opt.plan.preset = preset.toStdString();
        auto r = quantizeModel(*hf, opt, out.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(filesIn(dir.path()), QStringList{"demo.gguf"});
        auto gg = Model::open(out.toStdString());
        QVERIFY2(gg.ok(), gg.ok() ? "" : gg.error().describe().c_str());
        QCOMPARE((*gg)->parameterCount(), hf->parameterCount());
        QCOMPARE((*gg)->architecture().layers, int64_t(2));
        QCOMPARE(*(*gg)->gguf()->find("general.file_type")->toUInt(), uint64_t(findPreset(preset.toStdString())->fileType));
        // every tensor reads back, close to the original (the FFN down projection, not permuted)
        const auto hi = *hf->findTensor("model.layers.1.mlp.down_proj.weight");
        const auto gi = *(*gg)->findTensor("blk.1.ffn_down.weight");
        const int64_t n = hf->tensors()[hi].elements;
        std::vector<float> a(static_cast<size_t>(n)), b(static_cast<size_t>(n));
        QVERIFY(hf->readRows(hi, 0, hf->tensors()[hi].rows(), a.data()).ok());
        QVERIFY((*gg)->readRows(gi, 0, (*gg)->tensors()[gi].rows(), b.data()).ok());
        double err = 0, ref = 0;
        for (int64_t i = 0; i < n; ++i) {
            err += (a[static_cast<size_t>(i)] - b[static_cast<size_t>(i)]) * (a[static_cast<size_t>(i)] - b[static_cast<size_t>(i)]);
            ref += a[static_cast<size_t>(i)] * a[static_cast<size_t>(i)];
        }
        const double rel = std::sqrt(err / ref);
        QVERIFY2(rel <= maxRelError, qPrintable(QString::number(rel)));
        if (maxRelError > 0)
            QVERIFY(rel > 0); // a quantized format really changed the weights
        for (size_t i = 0; i < (*gg)->tensors().size(); ++i)
            QVERIFY((*gg)->canRead(i));
    }

    void cancelLeavesNothing()
    {
        auto hf = demo();
        QTemporaryDir dir;
        JobControl job;
        int reports = 0;
        job.onProgress([&](const JobProgress &) {
            if (++reports == 2)
                job.cancel();
        });
        QuantizeOptions opt;
        opt.plan.preset = "Q4_K_M";
        opt.threads = 1;
        auto r = quantizeModel(*hf, opt, (dir.path() + "/x.gguf").toStdString(), &job);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error().describe()).contains("cancelled"));
        QVERIFY(filesIn(dir.path()).isEmpty());
    }

    void rulesOverridesAndJson()
    {
        Plan p;
        p.preset = "Q4_K_M";
        p.rules = {{"ffn_down", GgmlType::Q8_0}, {"blk\\.0\\.", GgmlType::Q2_K}};
        p.overrides["output.weight"] = GgmlType::Q5_K;
        p.tokenEmbeddingType = GgmlType::Q6_K;
        auto back = Plan::fromJson(p.toJson());
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().describe().c_str());
        QCOMPARE(back->toJson(), p.toJson());
        const std::vector<std::string> args = *p.llamaQuantizeArgs();
        QCOMPARE(QString::fromStdString(args[0]), QStringLiteral("--token-embedding-type"));
        QVERIFY(std::find(args.begin(), args.end(), "^output\\.weight$=q5_k") != args.end());
        QVERIFY(std::find(args.begin(), args.end(), "ffn_down=q8_0") != args.end());

        auto hf = demo();
        QuantizeOptions opt;
        opt.plan = p;
        QuantizeResult summary;
        auto req = planQuantization(*hf, opt, &summary);
        QVERIFY(req.ok());
        std::map<std::string, GgmlType> types;
        for (const auto &t : summary.tensors)
            types[t.name] = t.type;
        QCOMPARE(types["blk.0.ffn_down.weight"], GgmlType::Q8_0); // the first matching rule wins
        QCOMPARE(types["blk.0.attn_q.weight"], GgmlType::Q2_K);
        QCOMPARE(types["blk.1.ffn_down.weight"], GgmlType::Q8_0);
        QCOMPARE(types["token_embd.weight"], GgmlType::Q6_K);
        QCOMPARE(types["blk.1.attn_norm.weight"], GgmlType::F32);
        // the rule matched blk.0.attn_v, so llama.cpp's attn_v counter starts at blk.1: #0 of 2 is not bumped
        QCOMPARE(types["blk.1.attn_v.weight"], GgmlType::Q4_K);

        QVERIFY(!Plan::fromJson("{}").ok());
        QVERIFY(!Plan::fromJson(R"({"format":"quantscope.plan/1","preset":"Q9_K"})").ok());
        QVERIFY(!Plan::fromJson(R"({"format":"quantscope.plan/1","rules":[{"pattern":"x","type":"Q7_0"}]})").ok());
        Plan badRegex;
        badRegex.rules = {{"([", GgmlType::Q8_0}};
        opt.plan = badRegex;
        auto bad = planQuantization(*hf, opt, nullptr);
        QVERIFY(!bad.ok());
        QVERIFY(QString::fromStdString(bad.error().describe()).contains("not a valid regular expression"));
    }

    void groupQuantChoices()
    {
        // packed sizes of one Llama-2-7B q_proj [4096 x 4096] as the published 4-bit g128 checkpoints store it:
        // GPTQ qweight int32 [512, 4096] + qzeros int32 [32, 512] + scales fp16 [32, 4096] + g_idx int32 [4096];
        // AWQ qweight int32 [4096, 512] + qzeros int32 [32, 512] + scales fp16 [32, 4096]
        auto gptq = IntGroupFormat::parse("gptq:4:128"), awq = IntGroupFormat::parse("AWQ:4:128");
        QVERIFY(gptq.ok() && awq.ok());
        QCOMPARE(gptq->packedBytes(4096, 4096), uint64_t(8388608 + 65536 + 262144 + 16384));
        QCOMPARE(awq->packedBytes(4096, 4096), uint64_t(8388608 + 65536 + 262144));
        QCOMPARE(QString::fromStdString(gptq->name()), QStringLiteral("GPTQ 4-bit g128"));
        QCOMPARE(QString::fromStdString(awq->id()), QStringLiteral("awq:4:128"));
        // 3 bits pack 32 values into 3 words; per-channel is one group
        auto g3 = IntGroupFormat::parse("gptq:3:-1");
        QVERIFY(g3.ok());
        QCOMPARE(g3->packedBytes(4096, 11008), uint64_t(4 * 384 * 11008 + 4 * 1032 + 2 * 11008 + 4 * 4096));
        QCOMPARE(QString::fromStdString(g3->name()), QStringLiteral("GPTQ 3-bit per-channel"));
        QVERIFY(!gptq->fits(4000, 4096).ok()); // 4000 columns are not whole groups of 128
        for (const char *bad : {"gptq:5:128", "gptq:4", "exl2:4:128", "awq:4:100", "gptq:x:128", ""})
            QVERIFY2(!IntGroupFormat::parse(bad).ok(), bad);

        // a GPTQ plan takes the block Linear layers and keeps embeddings, head and norms in 16 bits
        Plan p;
        p.groupQuant = *gptq;
        p.groupOverrides["blk.1.ffn_down.weight"] = *IntGroupFormat::parse("gptq:8:128");
        auto back = Plan::fromJson(p.toJson());
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().describe().c_str());
        QCOMPARE(back->toJson(), p.toJson());
        QVERIFY(back->groupQuant && *back->groupQuant == *gptq);
        QVERIFY(!Plan::fromJson(R"({"format":"quantscope.plan/1","group_quant":"gptq:7:128"})").ok());

        auto hf = demo();
        auto planned = resolveForModel(*hf, p, false);
        QVERIFY(planned.ok());
        int packed = 0;
        for (const PlannedTensor &t : *planned) {
            if (t.ggufName == "blk.1.ffn_down.weight") {
                QCOMPARE(t.decision.group->bits, 8);
                QCOMPARE(t.bytes, (IntGroupFormat{IntGroupMethod::Gptq, 8, 128}.packedBytes(768, 256)));
            } else if (t.ggufName == "blk.0.attn_q.weight") {
                QVERIFY(t.decision.group && *t.decision.group == *gptq);
                QCOMPARE(t.bytes, gptq->packedBytes(256, 256));
                QCOMPARE(t.decision.type, GgmlType::BF16); // what it is computed from
            } else if (t.ggufName == "output_norm.weight") {
                QVERIFY(!t.decision.group && !t.decision.quantized);
            } else if (t.ggufName == "token_embd.weight" || t.ggufName == "output.weight") {
                QVERIFY(!t.decision.group && !t.decision.quantized);
                QVERIFY2(QString::fromStdString(t.decision.reason).contains("only the Linear layers"), t.decision.reason.c_str());
            }
            packed += t.decision.group.has_value();
        }
        QCOMPARE(packed, 14); // 7 Linear weights in each of the 2 blocks
        // per-tensor GPTQ choices beside GGUF rules: each tensor is decided by one of them, and says which
        Plan mixed;
        mixed.rules = {{"ffn_up", GgmlType::Q8_0}};
        mixed.groupOverrides["blk.0.ffn_up.weight"] = *gptq;
        auto mixedPlanned = resolveForModel(*hf, mixed, false);
        QVERIFY(mixedPlanned.ok());
        for (const PlannedTensor &t : *mixedPlanned) {
            if (t.ggufName == "blk.0.ffn_up.weight") {
                QVERIFY(t.decision.group && t.decision.rule == -1);
            } else if (t.ggufName == "blk.1.ffn_up.weight") {
                QVERIFY(!t.decision.group);
                QCOMPARE(t.decision.rule, 0);
                QCOMPARE(t.decision.type, GgmlType::Q8_0);
            }
        }
        // the GGUF exporter refuses it with a reason, and writes nothing
        QuantizeOptions opt;
        opt.plan = p;
        auto req = planQuantization(*hf, opt, nullptr);
        QVERIFY(!req.ok());
        QVERIFY(QString::fromStdString(req.error().describe()).contains("GPTQ/AWQ"));
    }

    void fallbacksWhenBlocksDoNotFit()
    {
        Architecture arch;
        arch.layers = 1;
        arch.heads = arch.kvHeads = 1;
        const std::vector<PlanTensor> tensors = {
            {"blk.0.ffn_up.weight", {96, 8}, GgmlType::BF16},   // 96: no 256-blocks, but 32-blocks fit
            {"blk.0.ffn_gate.weight", {48, 8}, GgmlType::BF16}, // 48: not even 32-blocks -> F16
            {"blk.0.attn_norm.weight", {96}, GgmlType::F32},
        };
        Plan p;
        p.preset = "Q4_K_S";
        auto d = resolvePlan(p, tensors, arch, false);
        QVERIFY(d.ok());
        QCOMPARE((*d)[0].type, GgmlType::Q5_0);
        QCOMPARE((*d)[1].type, GgmlType::F16);
        QVERIFY(QString::fromStdString((*d)[0].reason).contains("do not fit"));
        QCOMPARE((*d)[2].type, GgmlType::F32);
        QVERIFY(!(*d)[2].quantized);
        p.preset = "Q2_K";
        QCOMPARE((*resolvePlan(p, tensors, arch, false))[0].type, GgmlType::Q4_0);
        p.preset = "Q6_K";
        QCOMPARE((*resolvePlan(p, tensors, arch, false))[0].type, GgmlType::Q8_0);
    }

    void cliQuantize()
    {
        QTemporaryDir dir;
        const QString out = dir.path() + "/demo-q8.gguf";
        CliRun r = runCli({"quantize", demoModelDir(), "--preset", "q8_0", "-o", out});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains("wrote " + out), r.out.constData());
        QVERIFY(QString::fromUtf8(r.err).contains("quantizing blk.1.ffn_down.weight")); // one line per tensor off a terminal
        QVERIFY(Model::open(out.toStdString()).ok());

        r = runCli({"quantize", demoModelDir(), "--preset", "Q4_K_M", "--rule", "ffn_down=q8_0", "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QString::fromUtf8(r.out).contains("blk.0.ffn_down.weight            Q8_0"));
        QVERIFY(QString::fromUtf8(r.out).contains("bits per quantized weight"));

        QVERIFY(writeFile(dir.path() + "/plan.json", R"({"format":"quantscope.plan/1","preset":"Q5_K_M","rules":[{"pattern":"attn_q","type":"Q8_0"}]})"));
        r = runCli({"quantize", demoModelDir(), "--plan", dir.path() + "/plan.json", "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QString::fromUtf8(r.out).contains("blk.1.attn_q.weight              Q8_0"));
    }

    void cliBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString m = demoModelDir();
        QTest::newRow("no preset") << QStringList{"quantize", m, "-o", "/tmp/x.gguf"} << 2 << "exactly one of --preset or --plan";
        QTest::newRow("unknown preset") << QStringList{"quantize", m, "--preset", "Q9", "-o", "/tmp/x.gguf"} << 2 << "unknown preset 'Q9'";
        QTest::newRow("bad rule") << QStringList{"quantize", m, "--preset", "Q8_0", "--rule", "ffn", "--dry-run"} << 2 << "REGEX=TYPE";
        QTest::newRow("missing imatrix") << QStringList{"quantize", m, "--preset", "Q4_K_M", "--imatrix", "/no/such.gguf", "--dry-run"} << 1 << "/no/such.gguf";
        QTest::newRow("missing plan") << QStringList{"quantize", m, "--plan", "/no/plan.json", "--dry-run"} << 1 << "/no/plan.json";
        QTest::newRow("output folder missing") << QStringList{"quantize", m, "--preset", "Q8_0", "-o", "/no/such/dir/x.gguf"} << 1
                                               << "the folder /no/such/dir does not exist";
        // the form is right, the type is not one Quantscope writes: say that, and which it can
        QTest::newRow("rule type not writable") << QStringList{"quantize", m, "--preset", "Q8_0", "--rule", "ffn_down=iq2_xxs", "--dry-run"} << 2
                                                << "--rule 'ffn_down=iq2_xxs': iq2_xxs is not a format Quantscope can quantize to; it can: f32, f16, q4_0,";
        QTest::newRow("rule type unknown") << QStringList{"quantize", m, "--preset", "Q8_0", "--rule", "ffn_down=q9_k", "--dry-run"} << 2
                                           << "'q9_k' is not a GGUF type; Quantscope can quantize to: f32";
        QTest::newRow("rule without type") << QStringList{"quantize", m, "--preset", "Q8_0", "--rule", "ffn_down=", "--dry-run"} << 2 << "REGEX=TYPE";
        QTest::newRow("rule bad regex") << QStringList{"quantize", m, "--preset", "Q8_0", "--rule", "([=q8_0", "--dry-run"} << 2
                                        << "not a valid regular expression";
        QTest::newRow("output type not writable") << QStringList{"quantize", m, "--preset", "Q8_0", "--output-tensor-type", "iq2_xxs", "--dry-run"} << 2
                                                  << "--output-tensor-type: iq2_xxs is not a format Quantscope can quantize to; it can:";
        QTest::newRow("embedding type unknown") << QStringList{"quantize", m, "--preset", "Q8_0", "--token-embedding-type", "q3", "--dry-run"} << 2
                                                << "--token-embedding-type: 'q3' is not a GGUF type";
    }

    void cliBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void cliTypeOptions_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QStringList>("expected"); // dry-run lines, as printed
        // the demo ties its embeddings (no output.weight); the small GGUF below has an output of its own
        QTest::newRow("preset alone") << QStringList{}
                                      << QStringList{"token_embd.weight                Q6_K", "blk.1.attn_v.weight              Q6_K"};
        QTest::newRow("token embedding type") << QStringList{"--token-embedding-type", "q8_0"}
                                              << QStringList{"token_embd.weight                Q8_0", "token embedding type"};
        QTest::newRow("pure") << QStringList{"--pure"}
                              << QStringList{"token_embd.weight                Q4_K", "blk.1.attn_v.weight              Q4_K",
                                             "blk.1.ffn_down.weight            Q4_K"};
    }

    void cliTypeOptions()
    {
        QFETCH(QStringList, options);
        QFETCH(QStringList, expected);
        const CliRun r = runCli(QStringList{"quantize", demoModelDir(), "--preset", "Q4_K_M", "--dry-run"} + options);
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        for (const QString &line : expected)
            QVERIFY2(out.contains(line), qPrintable(line + "\n" + out));
    }

    void cliOutputTensorType()
    {
        // a one-layer llama GGUF with its own output.weight
        QTemporaryDir dir;
        const std::vector<float> values(256 * 8, 0.25f);
        const QByteArray f32 = f32Bytes(values);
        GgufBuilder b;
        b.kvString("general.architecture", "llama").kvU32("llama.block_count", 1).kvU32("llama.embedding_length", 256)
            .kvU32("llama.feed_forward_length", 256).kvU32("llama.attention.head_count", 2).kvU32("llama.attention.head_count_kv", 2)
            .kvU32("llama.context_length", 128)
            .tensor("token_embd.weight", {256, 8}, 0, f32).tensor("output.weight", {256, 8}, 0, f32)
            .tensor("blk.0.ffn_up.weight", {256, 8}, 0, f32);
        const QString gguf = dir.path() + "/tiny.gguf";
        QVERIFY(writeFile(gguf, b.build()));
        CliRun r = runCli({"quantize", gguf, "--preset", "Q4_K_M", "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains("output.weight                    Q6_K"), r.out.constData());
        r = runCli({"quantize", gguf, "--preset", "Q4_K_M", "--output-tensor-type", "q8_0", "--token-embedding-type", "q5_0", "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains("output.weight                    Q8_0") && out.contains("output tensor type"), r.out.constData());
        QVERIFY2(out.contains("token_embd.weight                Q5_0"), r.out.constData());
        QVERIFY2(out.contains("blk.0.ffn_up.weight              Q4_K"), r.out.constData());
    }

    void requantizeIsRefused()
    {
        // an already-quantized GGUF, made by the CLI itself
        QTemporaryDir dir;
        const QString q8 = dir.path() + "/demo-q8.gguf", bf16 = dir.path() + "/demo-bf16.gguf";
        QCOMPARE(runCli({"quantize", demoModelDir(), "--preset", "Q8_0", "-o", q8}).exitCode, 0);
        QCOMPARE(runCli({"quantize", demoModelDir(), "--preset", "BF16", "-o", bf16}).exitCode, 0);

        const QString out = dir.path() + "/again.gguf";
        CliRun r = runCli({"quantize", q8, "--preset", "Q4_K_M", "-o", out});
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains("demo-q8.gguf: ") && err.contains("is already quantized (Q8_0)") && err.contains("loses more quality") &&
                     err.contains("--allow-requantize"),
                 qPrintable(err));
        QVERIFY(!QFile::exists(out));
        QCOMPARE(filesIn(dir.path()).size(), 2); // nothing but the two sources

        // the dry run shows the plan and says that writing it would be refused
        r = runCli({"quantize", q8, "--preset", "Q4_K_M", "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.err).contains("writing this would be refused"), r.err.constData());

        r = runCli({"quantize", q8, "--preset", "Q4_K_M", "--allow-requantize", "-o", out});
        QCOMPARE(r.exitCode, 0);
        auto m = Model::open(out.toStdString());
        QVERIFY(m.ok());
        QCOMPARE(QString::fromStdString((*m)->tensors()[*(*m)->findTensor("blk.0.ffn_up.weight")].dtype), QStringLiteral("Q4_K"));

        // keeping each tensor's type is no re-quantization: llama-quantize copies such tensors, and so does the
        // exporter, byte for byte (the norms, stored F32, go through unchanged too)
        // (Q4_K_M: K-quant blocks quantized again from their own dequantized values would not come out the same)
        const QString q4 = dir.path() + "/demo-q4km.gguf", same = dir.path() + "/same.gguf";
        QCOMPARE(runCli({"quantize", demoModelDir(), "--preset", "Q4_K_M", "-o", q4}).exitCode, 0);
        r = runCli({"quantize", q4, "--preset", "Q4_K_M", "-o", same});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto src = Model::open(q4.toStdString()), copy = Model::open(same.toStdString());
        QVERIFY(src.ok() && copy.ok());
        int compared = 0;
        for (size_t i = 0; i < (*src)->tensors().size(); ++i) {
            const ModelTensor &t = (*src)->tensors()[i];
            if (t.dtype != "Q4_K" && t.dtype != "Q6_K")
                continue;
            const size_t j = *(*copy)->findTensor(t.name);
            std::vector<uint8_t> a(t.bytes), b((*copy)->tensors()[j].bytes);
            QVERIFY((*src)->readRawRows(i, 0, t.rows(), a.data()).ok());
            QVERIFY((*copy)->readRawRows(j, 0, t.rows(), b.data()).ok());
            QVERIFY2(a == b, t.name.c_str());
            ++compared;
        }
        QVERIFY(compared >= 14);

        // 16-bit sources are what quantizing is for: no refusal
        r = runCli({"quantize", bf16, "--preset", "Q4_K_M", "-o", dir.path() + "/from-bf16.gguf"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty() || !QString::fromUtf8(r.err).contains("already quantized"));
    }

    void cliRemovesStalePartials()
    {
        // what kill -9 leaves (a partial nobody holds) goes; what a live job writes (a locked partial) stays
        QTemporaryDir dir;
        const QString out = dir.path() + "/demo.gguf";
        const QString stale = out + ".partial-K1lled", live = out + ".partial-L1ve00";
        QVERIFY(writeFile(stale, "half a model") && writeFile(live, "another job"));
        const int fd = ::open(QFile::encodeName(live).constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0);
        const CliRun r = runCli({"quantize", demoModelDir(), "--preset", "Q8_0", "-o", out});
        ::close(fd);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(filesIn(dir.path()), (QStringList{"demo.gguf", "demo.gguf.partial-L1ve00"}));
    }

    void fullDiskLeavesNothing()
    {
        QTemporaryDir dir;
        const CliRun r = runCli({"quantize", demoModelDir(), "--preset", "Q8_0", "-o", dir.path() + "/x.gguf"}, 1 << 20);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains("writing failed"), r.err.constData());
        QVERIFY(filesIn(dir.path()).isEmpty());
    }

    void mismatchedImatrixIsRefused()
    {
        // a legacy .dat importance matrix whose entry has the wrong length for the tensor it names
        QTemporaryDir dir;
        QByteArray dat;
        auto put32 = [&](int32_t v) { dat.append(reinterpret_cast<const char *>(&v), 4); };
        put32(1);
        const QByteArray name = "blk.0.ffn_up.weight";
        put32(static_cast<int32_t>(name.size()));
        dat.append(name);
        put32(1);
        put32(8);
        for (int i = 0; i < 8; ++i) {
            const float one = 1.f;
            dat.append(reinterpret_cast<const char *>(&one), 4);
        }
        QVERIFY(writeFile(dir.path() + "/im.dat", dat));
        const CliRun r = runCli({"quantize", demoModelDir(), "--preset", "Q4_K_M", "--imatrix", dir.path() + "/im.dat", "--dry-run"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains("has 8 values for rows of 256"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
