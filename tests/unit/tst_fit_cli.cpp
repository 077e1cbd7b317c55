// quantscope-cli fit: text, JSON and the three report files for a config alone, a real model and a GGUF file; clear
// errors (with no report file left behind) for bad devices, options and combinations.
#include "test_support.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using qs::test::CliRun;
using qs::test::runCli;

QString config(const char *name) { return qs::test::sourcePath(QStringLiteral("tests/data/vram/configs/%1.json").arg(QLatin1String(name))); }

} // namespace

class TestFitCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textForAConfigAlone()
    {
        const CliRun r = runCli({"fit", config("llama-3.1-8b"), "--preset", "Q4_K_M", "--context", "8192",
                                 "--device", "rtx-3060-12gb", "--device", "rtx-3080-10gb"});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains("Q4_K_M plan, 4.58 GiB"), qPrintable(out)); // llama-quantize's well-known size
        QVERIFY(out.contains("GeForce RTX 3060 12GB (rtx-3060-12gb"));
        QVERIFY(out.contains("KV 1.00 GiB (8192 cells)"));
        QVERIFY(out.contains("smallest device that fits: rtx-3080-10gb"));
        QVERIFY(!out.contains("[unvalidated]")); // llama.cpp CUDA is measured (tests/data/vram)
        // Metal's overhead is not measured, and the output says so
        const CliRun mac = runCli({"fit", config("llama-3.1-8b"), "--preset", "Q4_K_M", "--device", "apple-m4-pro-48gb"});
        QCOMPARE(mac.exitCode, 0);
        QVERIFY(mac.out.contains("llama.cpp-metal"));
        QVERIFY(mac.out.contains("[unvalidated]"));
    }

    void jsonForTransformersMatchesTheMeasuredKv()
    {
        const CliRun r = runCli({"fit", config("qwen2.5-7b"), "--runtime", "transformers", "--context", "8192",
                                 "--device", "h100-sxm", "--device", "rtx-3060-12gb", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc.value("schema").toString(), QString("quantscope.fit/1"));
        QCOMPARE(doc.value("model").toObject().value("weight_bytes").toInteger(), 15231233024); // measured parameter bytes
        const QJsonArray devices = doc.value("devices").toArray();
        QCOMPARE(devices.size(), 2);
        const QJsonObject h100 = devices[0].toObject();
        QCOMPARE(h100.value("breakdown").toObject().value("kv_cache").toInteger(), 469762048); // measured on the H100
        QVERIFY(h100.value("fits").toBool());
        QVERIFY(h100.value("validated").toBool());
        QVERIFY(!devices[1].toObject().value("fits").toBool()); // 15.2 GB of bf16 weights on a 12 GiB card
        QVERIFY(devices[1].toObject().value("layers_on_device").toInt() > 0);
        QCOMPARE(doc.value("memory_by_context").toArray().first().toObject().value("context").toInt(), 512);
    }

    void gptqPlanOnTransformers()
    {
        // Llama-3.1-8B at GPTQ 4-bit g128: the 224 block Linear weights packed (qweight, qzeros, fp16 scales, g_idx),
        // embeddings and head in bf16 (norms counted in f32) = 5.733 GB; the published 4-bit g128 checkpoint of
        // Llama-3.1-8B-Instruct is a 5.73 GB safetensors file
        const CliRun r = runCli({"fit", config("llama-3.1-8b"), "--group-quant", "gptq:4:128", "--runtime", "transformers",
                                 "--device", "rtx-4090", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject model = QJsonDocument::fromJson(r.out).object().value("model").toObject();
        QCOMPARE(model.value("weight_bytes").toInteger(), 5733367808);
        QCOMPARE(model.value("weights").toString(), QString("GPTQ 4-bit g128 plan"));
        const CliRun awq = runCli({"fit", config("llama-3.1-8b"), "--group-quant", "awq:4:128", "--runtime", "transformers",
                                   "--device", "rtx-4090", "--json"});
        QCOMPARE(awq.exitCode, 0);
        // AWQ has no g_idx: 4 bytes per input column of each of the 224 weights less
        QCOMPARE(QJsonDocument::fromJson(awq.out).object().value("model").toObject().value("weight_bytes").toInteger(),
                 5733367808 - 4 * 32 * (6 * 4096 + 14336));
    }

    void vllmQwen3_32bOnOneH100()
    {
        // published: vLLM starts Qwen3-32B on one H100 at max-model-len 16000 and refuses 32000
        for (const auto &[ctx, fits] : {std::pair{"16000", true}, std::pair{"32000", false}}) {
            const CliRun r = runCli({"fit", config("qwen3-32b"), "--runtime", "vllm", "--device", "h100-sxm", "--context", ctx, "--json"});
            QCOMPARE(r.exitCode, 0);
            const QJsonObject d = QJsonDocument::fromJson(r.out).object().value("devices").toArray().first().toObject();
            QCOMPARE(d.value("fits").toBool(), fits);
            QCOMPARE(d.value("runtime").toString(), QString("vllm"));
            QVERIFY(d.value("limit_bytes").toInteger() < d.value("usable_bytes").toInteger()); // 0.9 of the card
            QVERIFY(d.value("max_context").toObject().value("bf16").toInteger() > 16000);
            QVERIFY(d.value("max_context").toObject().value("bf16").toInteger() < 32000);
        }
        // a 24 GB card with the default 0.9: Llama-3.1-8B at 8k fits, and --gpu-memory-utilization 0.5 does not
        QCOMPARE(runCli({"fit", config("llama-3.1-8b"), "--runtime", "vllm", "--device", "rtx-4090", "--context", "8192"}).out.contains("fits, headroom +"), true);
        const CliRun half = runCli({"fit", config("llama-3.1-8b"), "--runtime", "vllm", "--device", "rtx-4090", "--context", "8192",
                                    "--gpu-memory-utilization", "0.5"});
        QCOMPARE(half.exitCode, 0);
        QVERIFY2(half.out.contains("does not fit"), half.out.constData());
    }

    void cheapestAndSmallestDevice()
    {
        // Llama-3.1-8B in BF16 at 16k (~17.5 GiB on the card): not on a 16 GB card; on both 24 GB cards, of which the
        // RTX 3090 launched cheaper; the H100 has no list price and never counts as cheapest
        const CliRun r = runCli({"fit", config("llama-3.1-8b"), "--preset", "BF16", "--context", "16384", "--device", "rtx-4060-ti-16gb",
                                 "--device", "rtx-4090", "--device", "rtx-3090", "--device", "h100-sxm", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject rec = QJsonDocument::fromJson(r.out).object().value("recommendation").toObject();
        QCOMPARE(rec.value("cheapest_device_that_fits").toString(), QString("rtx-3090"));
        QCOMPARE(rec.value("smallest_device_that_fits").toString(), QString("rtx-4090")); // 24 GB, the first of the two
        const CliRun text = runCli({"fit", config("llama-3.1-8b"), "--preset", "BF16", "--device", "rtx-4090", "--device", "rtx-3090"});
        QVERIFY2(text.out.contains("cheapest device that fits: rtx-3090 ($1499 at launch)"), text.out.constData());
        const CliRun unpriced = runCli({"fit", config("llama-3.1-8b"), "--device", "a100-80gb", "--device", "h100-sxm", "--json"});
        QCOMPARE(QJsonDocument::fromJson(unpriced.out).object().value("recommendation").toObject().value("cheapest_device_that_fits").toString(), QString());
    }

    void pdfReport()
    {
        // the PDF says what the JSON says: each device with its usable and total memory, the verdict, the presets
        QTemporaryDir dir;
        const QString pdf = dir.path() + "/fit.pdf";
        const QStringList args = {"fit", config("llama-3.1-8b"), "--preset", "Q4_K_M", "--device", "rtx-3060-12gb", "--device",
                                  "jetson-orin-nano-8gb", "--context", "32768"};
        const CliRun r = runCli(args + QStringList{"--report", pdf});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty()); // no platform chatter from the offscreen painter
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(5) == "%PDF-");
        QString error;
        const QString text = qs::test::pdfText(pdf, &error).simplified(); // lines wrap where the page ends them
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const CliRun json = runCli(args + QStringList{"--json"});
        const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
        QVERIFY(text.contains("Hardware fit: configs/llama-3.1-8b.json"));
        QVERIFY(text.contains("Smallest device that fits: " + doc.value("recommendation").toObject().value("smallest_device_that_fits").toString()));
        for (const QJsonValue d : doc.value("devices").toArray()) {
            const QJsonObject o = d.toObject();
            const QString name = o.value("name").toString(), total = QString::number(o.value("breakdown").toObject().value("total").toDouble() / (1 << 30), 'f', 2);
            QVERIFY2(text.contains(name), qPrintable(name));
            QVERIFY2(text.contains(total + " GiB /"), qPrintable(total)); // the bar's figure
            QVERIFY(text.contains(o.value("fits").toBool() ? " yes " : " no "));
        }
        QVERIFY(text.contains("Memory against context length (f16 KV cache)"));
        QVERIFY(text.contains("Presets on GeForce RTX 3060 12GB at this context"));
        // an unwritable place: an error, and nothing left behind
        const CliRun bad = runCli(args + QStringList{"--report", "/no/such/dir/fit.pdf"});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains("/no/such/dir/fit.pdf"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"fit.pdf"});
    }

    void pdfContextChart()
    {
        // 200000 tokens of Llama-3.1-8B (trained to 128k) at Q4_K_M is 29.6 GiB: the chart's memory axis runs 0-30 GiB
        // in steps of 10, its context axis is labelled at every power of two from 512 to 128k and goes on to the
        // requested context, which is marked; the warning is on the page too
        QTemporaryDir dir;
        const QString pdf = dir.path() + "/fit.pdf";
        const CliRun r = runCli({"fit", config("llama-3.1-8b"), "--preset", "Q4_K_M", "--device", "rtx-3060-12gb", "--device",
                                 "jetson-orin-nano-8gb", "--context", "200000", "--report", pdf});
        QCOMPARE(r.exitCode, 0);
        QString error;
        const QString layout = qs::test::pdfText(pdf, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString text = layout.simplified();
        QVERIFY2(text.contains("512 1k 2k 4k 8k 16k 32k 64k 128k context length (tokens, log scale)"), qPrintable(text));
        QVERIFY(text.contains("requested 200000"));
        QVERIFY(text.contains("Warning: context 200000 is beyond the model's trained context of 131072 tokens"));
        // the memory axis labels, each alone on its line: round figures only
        QStringList axis;
        for (const QString &line : layout.split('\n')) {
            const auto m = QRegularExpression("^\\s*(\\d+(?:\\.\\d+)?) GiB\\b").match(line);
            if (m.hasMatch())
                axis << m.captured(1);
        }
        QCOMPARE(axis, (QStringList{"30", "20", "10", "0"}));
    }

    void reportsForTheDemoModel()
    {
        QTemporaryDir dir;
        for (const char *ext : {"json", "md", "html", "txt", "htm", "markdown"}) {
            const QString file = dir.path() + "/fit." + ext;
            const CliRun r = runCli({"fit", "--demo", "--preset", "Q8_0", "--device", "rtx-3060-12gb", "--device",
                                     "apple-m1-8gb", "--report", file});
            QCOMPARE(r.exitCode, 0);
            QFile f(file);
            QVERIFY2(f.open(QIODevice::ReadOnly), ext);
            const QString text = QString::fromUtf8(f.readAll());
            QVERIFY(text.contains("GeForce RTX 3060 12GB"));
            QVERIFY(text.contains("Apple M1 8 GB"));
            if (QByteArray(ext).startsWith("htm")) {
                QCOMPARE(text.count("<svg"), 2); // stacked memory per device; memory against context
                QVERIFY(text.contains("<polyline"));
            } else if (QLatin1String(ext) == "md" || QLatin1String(ext) == "markdown") {
                QVERIFY(text.contains("| device | usable |"));
            } else if (QLatin1String(ext) == "txt") {
                QCOMPARE(text, QString::fromUtf8(r.out)); // what the command prints
            } else {
                QVERIFY(QJsonDocument::fromJson(text.toUtf8()).isObject());
            }
        }
        // only the six reports: no temporary files left
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 6);
    }

    void contextBeyondTraining_data()
    {
        QTest::addColumn<QString>("ext");
        for (const char *ext : {"json", "md", "html", "txt", "pdf"})
            QTest::newRow(ext) << QString::fromLatin1(ext);
    }
    void contextBeyondTraining()
    {
        // sotu-mini was trained to 1024 tokens (max_position_embeddings): 4096 is estimated, with a warning on stderr
        // and in the report, whatever its form
        QFETCH(QString, ext);
        QTemporaryDir dir;
        const QString file = dir.path() + "/fit." + ext;
        const QString warning = "context 4096 is beyond the model's trained context of 1024 tokens (max_position_embeddings)";
        const CliRun r = runCli({"fit", "--demo", "--device", "rtx-4090", "--context", "4096", "--report", file});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("quantscope-cli: warning: " + warning.toUtf8()), r.err.constData());
        QString text;
        if (ext == "pdf") {
            QString error;
            text = qs::test::pdfText(file, &error).simplified();
            QVERIFY2(error.isEmpty(), qPrintable(error));
        } else {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            text = QString::fromUtf8(f.readAll());
        }
        QVERIFY2(text.contains(warning), qPrintable(text.left(2000)));
        if (ext == "json") {
            const QJsonArray warnings = QJsonDocument::fromJson(text.toUtf8()).object().value("warnings").toArray();
            QCOMPARE(warnings.size(), 1);
            QVERIFY(warnings[0].toString().startsWith(warning));
        }
        // within the trained context: no warning anywhere, and JSON's list is there but empty
        const CliRun within = runCli({"fit", "--demo", "--device", "rtx-4090", "--context", "1024", "--json"});
        QCOMPARE(within.exitCode, 0);
        QVERIFY2(within.err.isEmpty(), within.err.constData());
        const QJsonValue none = QJsonDocument::fromJson(within.out).object().value("warnings");
        QVERIFY(none.isArray() && none.toArray().isEmpty());
    }

    void ggufFileAsStored()
    {
        QTemporaryDir dir;
        const QString gguf = dir.path() + "/m.gguf";
        QCOMPARE(runCli({"quantize", qs::test::demoModelDir(), "--preset", "Q4_K_M", "-o", gguf}).exitCode, 0);
        const CliRun r = runCli({"fit", gguf, "--device", "l4", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QVERIFY(doc.value("model").toObject().value("weights").toString().contains("as stored"));
        // a GGUF file's trained context is its context_length
        const CliRun beyond = runCli({"fit", gguf, "--device", "l4", "--context", "2048"});
        QCOMPARE(beyond.exitCode, 0);
        QVERIFY2(beyond.err.contains("context 2048 is beyond the model's trained context of 1024 tokens (GGUF context_length)"),
                 beyond.err.constData());
        QVERIFY(beyond.out.contains("warning: context 2048 is beyond"));
        // requantizing the same file's source with the same preset gives the same weight bytes
        const CliRun planned = runCli({"fit", qs::test::demoModelDir(), "--preset", "Q4_K_M", "--device", "l4", "--json"});
        QCOMPARE(QJsonDocument::fromJson(planned.out).object().value("model").toObject().value("weight_bytes"),
                 doc.value("model").toObject().value("weight_bytes"));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString cfg = config("llama-3.2-1b");
        QTest::newRow("no model") << QStringList{"fit"} << 2 << "fit needs one MODEL";
        QTest::newRow("unknown device") << QStringList{"fit", cfg, "--device", "voodoo5"} << 2 << "no device matches 'voodoo5'";
        QTest::newRow("ambiguous device") << QStringList{"fit", cfg, "--device", "M3"} << 2 << "matches";
        QTest::newRow("bad kv type") << QStringList{"fit", cfg, "--kv-type", "q5_1"} << 2 << "unknown KV cache type";
        QTest::newRow("fp8 on llama.cpp") << QStringList{"fit", cfg, "--kv-type", "fp8"} << 1 << "no fp8 KV cache";
        QTest::newRow("unknown runtime") << QStringList{"fit", cfg, "--runtime", "sglang"} << 2 << "unknown runtime";
        QTest::newRow("q8_0 on vllm") << QStringList{"fit", cfg, "--runtime", "vllm", "--kv-type", "q8_0"} << 1 << "no q8_0 KV cache";
        QTest::newRow("utilization without vllm") << QStringList{"fit", cfg, "--gpu-memory-utilization", "0.8"} << 2 << "vLLM's";
        QTest::newRow("bad utilization") << QStringList{"fit", cfg, "--runtime", "vllm", "--gpu-memory-utilization", "1.5"} << 2 << "fraction";
        QTest::newRow("vllm on a mac") << QStringList{"fit", cfg, "--runtime", "vllm", "--device", "apple-m4-pro-48gb"} << 1 << "GPUs with CUDA";
        QTest::newRow("bad context") << QStringList{"fit", cfg, "--context", "-5"} << 2 << "--context";
        QTest::newRow("preset on transformers") << QStringList{"fit", cfg, "--runtime", "transformers", "--preset", "Q4_K_M"} << 1 << "runs on llama.cpp";
        QTest::newRow("gptq on llama.cpp") << QStringList{"fit", cfg, "--group-quant", "gptq:4:128"} << 1 << "runs on transformers";
        QTest::newRow("bad gptq") << QStringList{"fit", cfg, "--group-quant", "gptq:5:128", "--runtime", "transformers"} << 2 << "bits are 2, 3, 4 or 8";
        QTest::newRow("unknown preset") << QStringList{"fit", cfg, "--preset", "Q9_Z"} << 2 << "unknown preset";
        QTest::newRow("unknown report type") << QStringList{"fit", cfg, "--report", "/tmp/qs-fit-test.docx"} << 2 << "--report: /tmp/qs-fit-test.docx: a report's name must end in one of .html, .htm, .pdf, .md, .markdown, .json, .txt";
        QTest::newRow("missing") << QStringList{"fit", "/no/such/config.json"} << 1 << "no such file";
        QTest::newRow("split of one") << QStringList{"fit", cfg, "--device", "l4", "--split"} << 2 << "--split needs two or more";
        QTest::newRow("zero budget") << QStringList{"fit", cfg, "--budget", "0GiB"} << 2 << "--budget: '0GiB' is no memory at all";
        QTest::newRow("negative budget") << QStringList{"fit", cfg, "--budget", "-6GiB"} << 2 << "--budget: '-6GiB' is negative";
        QTest::newRow("budget without unit") << QStringList{"fit", cfg, "--budget", "6"} << 2 << "--budget: '6' is not a memory size";
        QTest::newRow("unparseable budget") << QStringList{"fit", cfg, "--budget", "lots"} << 2 << "--budget: 'lots' is not a memory size";
        QTest::newRow("huge budget") << QStringList{"fit", cfg, "--budget", "2000TiB"} << 2 << "--budget: '2000TiB' is more than 1 PiB";
        QTest::newRow("unwritable report") << QStringList{"fit", cfg, "--report", "/no/such/dir/fit.md"} << 1 << "/no/such/dir";
    }

    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFile::exists("/tmp/qs-fit-test.docx"));
    }

    void budgetInsteadOfOrBesidesDevices()
    {
        // Llama-3.2-1B in BF16 at 4k: about 3 GiB, so in a 6 GiB budget and not in a 2 GiB one; alone, a budget replaces
        // the default device list
        const CliRun alone = runCli({"fit", config("llama-3.2-1b"), "--preset", "BF16", "--budget", "6GiB", "--budget", "2GiB", "--json"});
        QCOMPARE(alone.exitCode, 0);
        const QJsonArray devices = QJsonDocument::fromJson(alone.out).object().value("devices").toArray();
        QCOMPARE(devices.size(), 2);
        QCOMPARE(devices[0].toObject().value("name").toString(), QString("6 GiB budget"));
        QCOMPARE(devices[0].toObject().value("id").toString(), QString("budget-6gib"));
        QCOMPARE(devices[0].toObject().value("usable_bytes").toInteger(), 6ll << 30);
        QVERIFY(devices[0].toObject().value("fits").toBool());
        QCOMPARE(devices[1].toObject().value("name").toString(), QString("2 GiB budget"));
        QVERIFY(!devices[1].toObject().value("fits").toBool());
        // besides named devices: theirs first, then the budget, in decimal gigabytes
        const CliRun both = runCli({"fit", config("llama-3.2-1b"), "--device", "rtx-4090", "--budget", "7.5GB"});
        QCOMPARE(both.exitCode, 0);
        QVERIFY2(both.out.contains("GeForce RTX 4090 (rtx-4090"), both.out.constData());
        QVERIFY2(both.out.contains("7.5 GB budget (budget-7.5gb, 6.98 GiB usable, llama.cpp): fits"), both.out.constData());
    }

    void layerSplitInJsonAndMarkdown()
    {
        const CliRun r = runCli({"fit", config("llama-3.1-8b"), "--preset", "BF16", "--device", "rtx-3060-12gb",
                                 "--device", "rtx-3080-10gb", "--split", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject split = QJsonDocument::fromJson(r.out).object().value("layer_split").toObject();
        QVERIFY(split.value("fits").toBool());
        const QJsonArray shares = split.value("devices").toArray();
        QCOMPARE(shares.size(), 2);
        QCOMPARE(shares[0].toObject().value("layers").toInt() + shares[1].toObject().value("layers").toInt(), 32);
        QVERIFY(split.value("decode_tokens_per_second").toDouble() > 0);
        QVERIFY(split.value("prefill_tokens_per_second").toDouble() > 0);
        // neither card holds it alone, together they do: the verdict says so, in text and in Markdown
        const CliRun text = runCli({"fit", config("llama-3.1-8b"), "--preset", "BF16", "--device", "rtx-3060-12gb",
                                    "--device", "rtx-3080-10gb", "--split"});
        QVERIFY2(text.out.contains("no single device fits; the 2 devices together do"), text.out.constData());
        QVERIFY(text.out.contains("decode ~"));
        QTemporaryDir dir;
        const QString md = dir.path() + "/split.md";
        QCOMPARE(runCli({"fit", config("llama-3.1-8b"), "--preset", "BF16", "--device", "rtx-3060-12gb", "--device", "rtx-3080-10gb",
                         "--split", "--report", md}).exitCode, 0);
        QFile f(md);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray markdown = f.readAll();
        QVERIFY(markdown.contains("No single device fits; the 2 devices together do (layer split)."));
        QVERIFY(markdown.contains("Best preset for GeForce RTX 3060 12GB: "));
    }

    void configWithoutSizesIsAnError()
    {
        QTemporaryDir dir;
        QFile f(dir.path() + "/config.json");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"model_type":"llama","hidden_size":64})");
        f.close();
        const CliRun r = runCli({"fit", dir.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(!r.err.isEmpty(), r.err.constData());
    }

    void listDevices()
    {
        const CliRun r = runCli({"fit", "--list-devices"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.count('\n') >= 30);
        QVERIFY(r.out.contains("h100-sxm"));
    }
};

QTEST_GUILESS_MAIN(TestFitCli)
#include "tst_fit_cli.moc"
