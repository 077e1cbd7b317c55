// GPTQ / AWQ GEMM / compressed-tensors checkpoints: what writeGroupCheckpoint writes is checked by a reader written
// here from the published rules (AutoGPTQ pack(), AutoAWQ WQLinear_GEMM.from_linear, compressed-tensors
// pack_to_int32), not by core's; then Model::open reads it back and must dequantize exactly what
// GroupQuantizedTensor::dequantize(out, fp16Scales = true) gives. Bad checkpoints must fail with a message naming
// the tensor. The results are synthetic (round-to-nearest on the demo model) so no solver is needed.
#include "export/group_checkpoint.h"
#include "file_builders.h"
#include "formats/float_conv.h"
#include "model/model.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

using namespace qs;

namespace {

// ---- an independent safetensors reader: header JSON and raw bytes ------------------------------------------------
struct RawTensor {
    std::string dtype;
    std::vector<int64_t> shape;
    QByteArray data;
    int64_t dim(int i) const { return shape[static_cast<size_t>(i)]; }
    uint32_t u32(int64_t i) const { uint32_t v; std::memcpy(&v, data.constData() + 4 * i, 4); return v; }
    int32_t i32(int64_t i) const { return static_cast<int32_t>(u32(i)); }
    int64_t i64(int64_t i) const { int64_t v; std::memcpy(&v, data.constData() + 8 * i, 8); return v; }
    uint16_t u16(int64_t i) const { uint16_t v; std::memcpy(&v, data.constData() + 2 * i, 2); return v; }
};

std::map<std::string, RawTensor> readRawFolder(const QString &dir, std::vector<std::string> *order = nullptr)
{
    std::map<std::string, RawTensor> out;
    QStringList files;
    if (QFile::exists(dir + "/model.safetensors.index.json")) {
        QFile f(dir + "/model.safetensors.index.json");
        f.open(QIODevice::ReadOnly);
        const QJsonObject wm = QJsonDocument::fromJson(f.readAll()).object().value("weight_map").toObject();
        for (auto it = wm.begin(); it != wm.end(); ++it)
            if (!files.contains(it.value().toString()))
                files << it.value().toString();
    } else {
        files << "model.safetensors";
    }
    for (const QString &name : files) {
        QFile f(dir + "/" + name);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        const QByteArray all = f.readAll();
        uint64_t n;
        std::memcpy(&n, all.constData(), 8);
        const QJsonObject h = QJsonDocument::fromJson(all.mid(8, static_cast<qsizetype>(n))).object();
        std::vector<std::pair<int64_t, std::string>> byOffset;
        for (auto it = h.begin(); it != h.end(); ++it) {
            if (it.key() == "__metadata__")
                continue;
            const QJsonObject o = it.value().toObject();
            RawTensor t;
            t.dtype = o.value("dtype").toString().toStdString();
            for (const QJsonValue d : o.value("shape").toArray())
                t.shape.push_back(d.toInteger());
            const QJsonArray off = o.value("data_offsets").toArray();
            t.data = all.mid(static_cast<qsizetype>(8 + n + off[0].toInteger()), static_cast<qsizetype>(off[1].toInteger() - off[0].toInteger()));
            byOffset.push_back({off[0].toInteger(), it.key().toStdString()});
            out[it.key().toStdString()] = t;
        }
        std::sort(byOffset.begin(), byOffset.end());
        if (order)
            for (auto &[o, nm] : byOffset)
                order->push_back(nm);
    }
    return out;
}

QByteArray rewrite(const std::map<std::string, RawTensor> &tensors)
{
    std::vector<test::StTensor> v;
    for (const auto &[n, t] : tensors)
        v.push_back({n, t.dtype, t.shape, t.data});
    return test::makeSafetensors(v, R"({"format":"pt"})");
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeJson(const QString &path, const QJsonObject &o)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(QJsonDocument(o).toJson());
}

// ---- synthetic results: round to nearest, independent of core's quantizers --------------------------------------
GroupQuantizedTensor rtn(const Model &m, const std::string &name, IntGroupFormat fmt, bool actOrder)
{
    const size_t idx = *m.findTensor(name);
    const ModelTensor &t = m.tensors()[idx];
    GroupQuantizedTensor q;
    q.format = fmt;
    q.rows = t.shape[0];
    q.cols = t.shape[1];
    std::vector<float> w(static_cast<size_t>(q.rows * q.cols));
    if (!m.readRows(idx, 0, q.rows, w.data()))
        return q;
    const int64_t gs = fmt.groupSize > 0 ? fmt.groupSize : q.cols, G = q.cols / gs;
    // act-order: groups follow a permutation of the columns (what GPTQ's desc_act produces)
    std::vector<int64_t> perm(static_cast<size_t>(q.cols));
    for (int64_t i = 0; i < q.cols; ++i)
        perm[static_cast<size_t>(i)] = i;
    if (actOrder)
        std::shuffle(perm.begin(), perm.end(), std::mt19937(1234));
    q.gIdx.resize(static_cast<size_t>(q.cols));
    for (int64_t k = 0; k < q.cols; ++k)
        q.gIdx[static_cast<size_t>(perm[static_cast<size_t>(k)])] = static_cast<int32_t>(k / gs);
    q.codes.resize(w.size());
    q.scales.resize(static_cast<size_t>(q.rows * G));
    q.zeros.resize(static_cast<size_t>(q.rows * G));
    const int maxq = (1 << fmt.bits) - 1;
    for (int64_t r = 0; r < q.rows; ++r)
        for (int64_t g = 0; g < G; ++g) {
            float mn = 0, mx = 0;
            for (int64_t c = 0; c < q.cols; ++c)
                if (q.gIdx[static_cast<size_t>(c)] == g) {
                    mn = std::min(mn, w[static_cast<size_t>(r * q.cols + c)]);
                    mx = std::max(mx, w[static_cast<size_t>(r * q.cols + c)]);
                }
            float scale;
            int zero;
            if (fmt.symmetric) {
                zero = 1 << (fmt.bits - 1);
                scale = std::max(std::max(-mn, mx), 1e-6f) / static_cast<float>(zero - 1 > 0 ? zero - 1 : 1);
            } else {
                scale = std::max(mx - mn, 1e-6f) / static_cast<float>(maxq);
                zero = std::clamp(static_cast<int>(std::lround(-mn / scale)), 1, maxq); // >= 1: GPTQ v1 stores zero - 1
            }
            q.scales[static_cast<size_t>(r * G + g)] = scale * 1.0001f; // not already an fp16 value
            q.zeros[static_cast<size_t>(r * G + g)] = zero;
            for (int64_t c = 0; c < q.cols; ++c)
                if (q.gIdx[static_cast<size_t>(c)] == g)
                    q.codes[static_cast<size_t>(r * q.cols + c)] = static_cast<uint8_t>(
                        std::clamp(static_cast<int>(std::lround(w[static_cast<size_t>(r * q.cols + c)] / scale)) + zero, 0, maxq));
        }
    return q;
}

std::vector<std::string> linearNames(const Model &m)
{
    std::vector<std::string> out;
    for (const ModelTensor &t : m.tensors())
        if (t.layer >= 0 && t.shape.size() == 2 && t.name.ends_with(".weight"))
            out.push_back(t.name);
    return out;
}

std::string moduleOf(const std::string &w) { return w.substr(0, w.size() - 7); }

// ---- AutoGPTQ's pack(), ported line by line (qweight rows; the same loop packs qzeros along columns) ---------------
std::vector<uint32_t> autogptqPack(const std::vector<uint32_t> &intweight, int64_t n, int bits)
{
    std::vector<uint32_t> q(static_cast<size_t>(n * bits / 32), 0);
    int64_t i = 0, row = 0;
    while (row < static_cast<int64_t>(q.size())) {
        if (bits == 2 || bits == 4 || bits == 8) {
            for (int64_t j = i; j < i + 32 / bits; ++j)
                q[row] |= intweight[j] << (bits * (j - i));
            i += 32 / bits;
            row += 1;
        } else { // bits == 3
            for (int64_t j = i; j < i + 10; ++j)
                q[row] |= intweight[j] << (3 * (j - i));
            i += 10;
            q[row] |= intweight[i] << 30;
            row += 1;
            q[row] |= (intweight[i] >> 2) & 1;
            i += 1;
            for (int64_t j = i; j < i + 10; ++j)
                q[row] |= intweight[j] << (3 * (j - i) + 1);
            i += 10;
            q[row] |= intweight[i] << 31;
            row += 1;
            q[row] |= (intweight[i] >> 1) & 0x3;
            i += 1;
            for (int64_t j = i; j < i + 10; ++j)
                q[row] |= intweight[j] << (3 * (j - i) + 2);
            i += 10;
            row += 1;
        }
    }
    return q;
}

uint16_t fp16(float f) { return floatToFp16(f); }

// vLLM's get_dynamic_override over the written "dynamic" (gptq_utils.py): the first rule whose regex re.match-es
// the module; "-:" rules skip it. Returns bits, or 0 for skipped, or -1 for "no rule".
int dynamicBits(const QJsonObject &dynamic, const std::string &module)
{
    for (auto it = dynamic.begin(); it != dynamic.end(); ++it) {
        QString pattern = it.key();
        const bool negative = pattern.startsWith("-:");
        if (pattern.startsWith("-:") || pattern.startsWith("+:"))
            pattern = pattern.mid(2);
        const QRegularExpression re("\\A(?:" + pattern + ")");
        if (re.match(QString::fromStdString(module)).hasMatch())
            return negative ? 0 : it.value().toObject().value("bits").toInt();
    }
    return -1;
}

} // namespace

class TestGroupCheckpoint : public QObject {
    Q_OBJECT
    std::shared_ptr<const Model> m_model;

    std::map<std::string, GroupQuantizedTensor> quantizeAll(IntGroupFormat fmt, bool actOrder)
    {
        std::map<std::string, GroupQuantizedTensor> out;
        for (const std::string &n : linearNames(*m_model))
            out[n] = rtn(*m_model, n, fmt, actOrder);
        return out;
    }

    // Model::open on the folder, then every quantized Linear's rows equal dequantize(fp16Scales) bit for bit and
    // every other tensor reads as in the source.
    void checkRoundTrip(const QString &dir, const std::map<std::string, GroupQuantizedTensor> &results, const std::string &label)
    {
        auto back = Model::open(dir.toStdString());
        QVERIFY2(back, back ? "" : back.error().describe().c_str());
        QCOMPARE((*back)->tensors().size(), m_model->tensors().size());
        for (const ModelTensor &t : m_model->tensors()) {
            const auto bi = (*back)->findTensor(t.name);
            QVERIFY2(bi, t.name.c_str());
            const ModelTensor &bt = (*back)->tensors()[*bi];
            QCOMPARE(bt.shape, t.shape);
            QVERIFY((*back)->canRead(*bi));
            std::vector<float> got(static_cast<size_t>(t.elements)), want(static_cast<size_t>(t.elements));
            QVERIFY((*back)->readRows(*bi, 0, t.rows(), got.data()));
            if (auto q = results.find(t.name); q != results.end()) {
                QCOMPARE(bt.dtype, label.empty() ? bt.dtype : label + std::to_string(q->second.format.bits) + (label == "W" ? "A16" : ""));
                q->second.dequantize(want.data(), true);
            } else {
                QVERIFY(m_model->readRows(*m_model->findTensor(t.name), 0, t.rows(), want.data()));
            }
            QVERIFY2(std::memcmp(got.data(), want.data(), got.size() * 4) == 0, t.name.c_str());
            // and rows read from the middle agree with the whole
            if (t.rows() > 3) {
                std::vector<float> part(static_cast<size_t>(2 * t.rowLength()));
                QVERIFY((*back)->readRows(*bi, 1, 2, part.data()));
                QVERIFY(std::memcmp(part.data(), got.data() + t.rowLength(), part.size() * 4) == 0);
            }
        }
    }

    void checkPlainCopied(const std::map<std::string, RawTensor> &raw, const std::map<std::string, GroupQuantizedTensor> &results)
    {
        auto src = readRawFolder(QString::fromStdString(m_model->path()));
        for (const auto &[name, t] : src) {
            if (results.count(name))
                continue;
            auto it = raw.find(name);
            QVERIFY2(it != raw.end(), name.c_str());
            QCOMPARE(it->second.dtype, t.dtype);
            QCOMPARE(it->second.shape, t.shape);
            QVERIFY2(it->second.data == t.data, name.c_str());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto m = Model::open(test::demoModelDir().toStdString());
        QVERIFY(m);
        m_model = *m;
        QCOMPARE(linearNames(*m_model).size(), size_t(14));
    }

    void gptq_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group");
        QTest::addColumn<bool>("sym");
        QTest::addColumn<bool>("actOrder");
        QTest::newRow("4-bit g128 asym") << 4 << 128 << false << false;
        QTest::newRow("4-bit g128 sym act-order") << 4 << 128 << true << true;
        QTest::newRow("3-bit g128") << 3 << 128 << false << false;
        QTest::newRow("3-bit g32 act-order") << 3 << 32 << true << true;
        QTest::newRow("2-bit g64") << 2 << 64 << false << false;
        QTest::newRow("8-bit per-channel sym") << 8 << -1 << true << false;
        QTest::newRow("4-bit per-channel") << 4 << -1 << false << false;
    }

    void gptq()
    {
        QFETCH(int, bits);
        QFETCH(int, group);
        QFETCH(bool, sym);
        QFETCH(bool, actOrder);
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/out";
        GroupCheckpointRequest req;
        req.format = GroupCheckpointFormat::Gptq;
        req.quantized = quantizeAll({IntGroupMethod::Gptq, bits, group, sym}, actOrder);
        auto st = writeGroupCheckpoint(*m_model, req, dir.toStdString());
        QVERIFY2(st, st ? "" : st.error().describe().c_str());

        // the config as vLLM's GPTQConfig / GPTQMarlinConfig.from_config reads it
        const QJsonObject qc = readJson(dir + "/config.json").value("quantization_config").toObject();
        QCOMPARE(qc.value("quant_method").toString(), QString("gptq"));
        QCOMPARE(qc.value("checkpoint_format").toString(), QString("gptq"));
        QCOMPARE(qc.value("bits").toInt(), bits);
        QCOMPARE(qc.value("group_size").toInt(), group);
        QVERIFY(qc.value("sym").isBool() && qc.value("sym").toBool() == sym);
        QVERIFY(qc.value("desc_act").isBool() && qc.value("desc_act").toBool() == actOrder);
        QCOMPARE(qc.value("lm_head").toBool(true), false);
        QVERIFY(!qc.contains("dynamic"));
        QCOMPARE(readJson(dir + "/quantize_config.json"), qc);
        // side files copied
        QVERIFY(QFile::exists(dir + "/tokenizer.json") && QFile::exists(dir + "/tokenizer_config.json") &&
                QFile::exists(dir + "/generation_config.json"));
        QVERIFY(!QFile::exists(dir + "/model.safetensors.index.json"));

        std::vector<std::string> order;
        const auto raw = readRawFolder(dir, &order);
        const uint32_t mask = (1u << bits) - 1u;
        for (const auto &[name, q] : req.quantized) {
            const std::string mod = moduleOf(name);
            QVERIFY2(!raw.count(name), "the float weight of a quantized Linear must not be written");
            const RawTensor &qw = raw.at(mod + ".qweight"), &qz = raw.at(mod + ".qzeros"), &sc = raw.at(mod + ".scales"), &gi = raw.at(mod + ".g_idx");
            const int64_t in = q.cols, out = q.rows, G = q.groups();
            QCOMPARE(qw.dtype, std::string("I32"));
            QCOMPARE(qw.shape, (std::vector<int64_t>{in * bits / 32, out}));
            QCOMPARE(qz.dtype, std::string("I32"));
            QCOMPARE(qz.shape, (std::vector<int64_t>{G, out * bits / 32}));
            QCOMPARE(sc.dtype, std::string("F16"));
            QCOMPARE(sc.shape, (std::vector<int64_t>{G, out}));
            QCOMPARE(gi.dtype, std::string("I32"));
            QCOMPARE(gi.shape, (std::vector<int64_t>{in}));
            // words exactly as AutoGPTQ's pack() makes them: qweight per output column along the input, qzeros
            // (zero - 1) per group along the outputs
            for (int64_t o = 0; o < out; ++o) {
                std::vector<uint32_t> col(static_cast<size_t>(in));
                for (int64_t c = 0; c < in; ++c)
                    col[static_cast<size_t>(c)] = q.codes[static_cast<size_t>(o * in + c)];
                const auto words = autogptqPack(col, in, bits);
                for (size_t r = 0; r < words.size(); ++r)
                    if (qw.u32(static_cast<int64_t>(r) * out + o) != words[r])
                        QFAIL(qPrintable(QString("qweight word %1 of column %2 of %3").arg(r).arg(o).arg(QString::fromStdString(name))));
            }
            for (int64_t g = 0; g < G; ++g) {
                std::vector<uint32_t> zrow(static_cast<size_t>(out));
                for (int64_t o = 0; o < out; ++o)
                    zrow[static_cast<size_t>(o)] = static_cast<uint32_t>(q.zeros[static_cast<size_t>(o * G + g)] - 1) & mask;
                const auto words = autogptqPack(zrow, out, bits);
                for (size_t w = 0; w < words.size(); ++w)
                    QCOMPARE(qz.u32(g * static_cast<int64_t>(words.size()) + static_cast<int64_t>(w)), words[w]);
                for (int64_t o = 0; o < out; ++o)
                    QCOMPARE(sc.u16(g * out + o), fp16(q.scales[static_cast<size_t>(o * G + g)]));
            }
            for (int64_t c = 0; c < in; ++c)
                QCOMPARE(gi.i32(c), q.gIdx[static_cast<size_t>(c)]);
            // and, for whole-word widths, the plain shift rule reads every code back
            if (bits != 3)
                for (int64_t c = 0; c < in; c += 7)
                    for (int64_t o = 0; o < out; o += 5)
                        QCOMPARE((qw.u32((c / (32 / bits)) * out + o) >> (bits * (c % (32 / bits)))) & mask,
                                 static_cast<uint32_t>(q.codes[static_cast<size_t>(o * in + c)]));
        }
        checkPlainCopied(raw, req.quantized);
        checkRoundTrip(dir, req.quantized, "GPTQ-");
    }

    void awq_data()
    {
        QTest::addColumn<int>("group");
        QTest::newRow("g128") << 128;
        QTest::newRow("g64") << 64;
        QTest::newRow("per-channel") << -1;
    }

    void awq()
    {
        QFETCH(int, group);
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/awq";
        GroupCheckpointRequest req;
        req.format = GroupCheckpointFormat::AwqGemm;
        req.quantized = quantizeAll({IntGroupMethod::Awq, 4, group, false}, false);
        // AWQ folds its scales into the norms: a replacement comes as f32 and is stored in the source dtype (BF16)
        const std::string norm = "model.layers.0.input_layernorm.weight";
        std::vector<float> newNorm(256);
        for (size_t i = 0; i < newNorm.size(); ++i)
            newNorm[i] = 0.5f + static_cast<float>(i) / 1024.f;
        req.replacements[norm] = newNorm;
        auto st = writeGroupCheckpoint(*m_model, req, dir.toStdString());
        QVERIFY2(st, st ? "" : st.error().describe().c_str());

        const QJsonObject qc = readJson(dir + "/config.json").value("quantization_config").toObject();
        QCOMPARE(qc.value("quant_method").toString(), QString("awq"));
        QCOMPARE(qc.value("version").toString(), QString("gemm"));
        QCOMPARE(qc.value("bits").toInt(), 4);
        QCOMPARE(qc.value("group_size").toInt(), group);
        QCOMPARE(qc.value("zero_point").toBool(), true);

        const auto raw = readRawFolder(dir);
        static const int order[8] = {0, 2, 4, 6, 1, 3, 5, 7};
        for (const auto &[name, q] : req.quantized) {
            const std::string mod = moduleOf(name);
            const RawTensor &qw = raw.at(mod + ".qweight"), &qz = raw.at(mod + ".qzeros"), &sc = raw.at(mod + ".scales");
            QVERIFY(!raw.count(mod + ".g_idx"));
            const int64_t in = q.cols, out = q.rows, G = q.groups();
            QCOMPARE(qw.dtype, std::string("I32"));
            QCOMPARE(qw.shape, (std::vector<int64_t>{in, out / 8}));
            QCOMPARE(qz.shape, (std::vector<int64_t>{G, out / 8}));
            QCOMPARE(sc.dtype, std::string("F16"));
            QCOMPARE(sc.shape, (std::vector<int64_t>{G, out}));
            // AutoAWQ: qweight[:, col] |= intweight[:, col*8 + order_map[i]] << (i*4)
            for (int64_t i = 0; i < in; ++i)
                for (int64_t col = 0; col < out / 8; ++col)
                    for (int k = 0; k < 8; ++k)
                        if (((qw.u32(i * (out / 8) + col) >> (4 * k)) & 0xF) != q.codes[static_cast<size_t>((col * 8 + order[k]) * in + i)])
                            QFAIL(qPrintable(QString("code of input %1, output %2").arg(i).arg(col * 8 + order[k])));
            for (int64_t g = 0; g < G; ++g)
                for (int64_t col = 0; col < out / 8; ++col)
                    for (int k = 0; k < 8; ++k) {
                        const int64_t o = col * 8 + order[k];
                        QCOMPARE(static_cast<int32_t>((qz.u32(g * (out / 8) + col) >> (4 * k)) & 0xF), q.zeros[static_cast<size_t>(o * G + g)]);
                        QCOMPARE(sc.u16(g * out + o), fp16(q.scales[static_cast<size_t>(o * G + g)]));
                    }
        }
        const RawTensor &n = raw.at(norm);
        QCOMPARE(n.dtype, std::string("BF16"));
        for (int64_t i = 0; i < 256; ++i)
            QCOMPARE(n.u16(i), floatToBf16(newNorm[static_cast<size_t>(i)]));

        auto back = Model::open(dir.toStdString());
        QVERIFY2(back, back ? "" : back.error().describe().c_str());
        for (const auto &[name, q] : req.quantized) {
            const size_t bi = *(*back)->findTensor(name);
            QCOMPARE((*back)->tensors()[bi].dtype, std::string("AWQ-4"));
            std::vector<float> got(static_cast<size_t>(q.rows * q.cols)), want(got.size());
            QVERIFY((*back)->readRows(bi, 0, q.rows, got.data()));
            q.dequantize(want.data(), true);
            QVERIFY2(std::memcmp(got.data(), want.data(), got.size() * 4) == 0, name.c_str());
        }
    }

    void compressedTensors_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group");
        QTest::addColumn<bool>("sym");
        QTest::addColumn<bool>("actOrder");
        QTest::newRow("W4A16 g128 sym") << 4 << 128 << true << false;
        QTest::newRow("W4A16 g128 asym") << 4 << 128 << false << false;
        QTest::newRow("W4A16 g128 sym actorder") << 4 << 128 << true << true;
        QTest::newRow("W8A16 channel sym") << 8 << -1 << true << false;
        QTest::newRow("W4A16 channel asym") << 4 << -1 << false << false;
    }

    void compressedTensors()
    {
        QFETCH(int, bits);
        QFETCH(int, group);
        QFETCH(bool, sym);
        QFETCH(bool, actOrder);
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/ct";
        GroupCheckpointRequest req;
        req.format = GroupCheckpointFormat::CompressedTensors;
        req.quantized = quantizeAll({IntGroupMethod::Gptq, bits, group, sym}, actOrder);
        auto st = writeGroupCheckpoint(*m_model, req, dir.toStdString());
        QVERIFY2(st, st ? "" : st.error().describe().c_str());

        const QJsonObject qc = readJson(dir + "/config.json").value("quantization_config").toObject();
        QCOMPARE(qc.value("quant_method").toString(), QString("compressed-tensors"));
        QCOMPARE(qc.value("format").toString(), QString("pack-quantized"));
        QCOMPARE(qc.value("quantization_status").toString(), QString("compressed"));
        const QJsonObject groups = qc.value("config_groups").toObject();
        QCOMPARE(groups.size(), 1);
        const QJsonObject g0 = groups.begin().value().toObject();
        QCOMPARE(g0.value("targets").toArray(), QJsonArray{"Linear"});
        const QJsonObject w = g0.value("weights").toObject();
        QCOMPARE(w.value("num_bits").toInt(), bits);
        QCOMPARE(w.value("type").toString(), QString("int"));
        QCOMPARE(w.value("symmetric").toBool(), sym);
        QCOMPARE(w.value("strategy").toString(), group > 0 ? QString("group") : QString("channel"));
        if (group > 0)
            QCOMPARE(w.value("group_size").toInt(), group);
        QCOMPARE(w.value("actorder").toString(), actOrder ? QString("group") : QString());
        QVERIFY(g0.value("input_activations").isNull());
        // the demo model ties its head to the embeddings: nothing to ignore
        QCOMPARE(qc.value("ignore").toArray().size(), 0);

        const auto raw = readRawFolder(dir);
        const int pf = 32 / bits;
        const uint32_t mask = (1u << bits) - 1u;
        for (const auto &[name, q] : req.quantized) {
            const std::string mod = moduleOf(name);
            const int64_t in = q.cols, out = q.rows, G = q.groups();
            const RawTensor &wp = raw.at(mod + ".weight_packed"), &ws = raw.at(mod + ".weight_scale"), &shape = raw.at(mod + ".weight_shape");
            QCOMPARE(wp.dtype, std::string("I32"));
            QCOMPARE(wp.shape, (std::vector<int64_t>{out, in / pf}));
            QCOMPARE(ws.shape, (std::vector<int64_t>{out, G}));
            QCOMPARE(shape.dtype, std::string("I64"));
            QCOMPARE(shape.i64(0), out);
            QCOMPARE(shape.i64(1), in);
            // pack_to_int32: value (signed + 2^(bits-1)) of column i*pf + k at bits*k of word i
            for (int64_t o = 0; o < out; ++o)
                for (int64_t c = 0; c < in; ++c) {
                    const int signedQ = q.codes[static_cast<size_t>(o * in + c)] - (1 << (bits - 1));
                    if (((wp.u32(o * (in / pf) + c / pf) >> (bits * (c % pf))) & mask) != static_cast<uint32_t>(signedQ + (1 << (bits - 1))))
                        QFAIL("weight_packed");
                }
            for (int64_t i = 0; i < out * G; ++i)
                QCOMPARE(ws.u16(i), fp16(q.scales[static_cast<size_t>(i)]));
            QCOMPARE(raw.count(mod + ".weight_zero_point"), size_t(sym ? 0 : 1));
            if (!sym) {
                const RawTensor &zp = raw.at(mod + ".weight_zero_point");
                QCOMPARE(zp.shape, (std::vector<int64_t>{(out + pf - 1) / pf, G}));
                for (int64_t o = 0; o < out; ++o)
                    for (int64_t g = 0; g < G; ++g)
                        QCOMPARE(static_cast<int32_t>((zp.u32((o / pf) * G + g) >> (bits * (o % pf))) & mask), q.zeros[static_cast<size_t>(o * G + g)]);
            }
            QCOMPARE(raw.count(mod + ".weight_g_idx"), size_t(actOrder ? 1 : 0));
            if (actOrder)
                for (int64_t c = 0; c < in; ++c)
                    QCOMPARE(raw.at(mod + ".weight_g_idx").i32(c), q.gIdx[static_cast<size_t>(c)]);
        }
        checkPlainCopied(raw, req.quantized);
        checkRoundTrip(dir, req.quantized, "W");
    }

    // A plan that mixes formats: GPTQModel's dynamic rules, read the way vLLM reads them, give every module its
    // own bits, skip the Linear left unquantized, and reach vLLM's fused qkv_proj / gate_up_proj names.
    void gptqMixedDynamic()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/mixed";
        GroupCheckpointRequest req;
        req.quantized = quantizeAll({IntGroupMethod::Gptq, 4, 128, true}, false);
        for (const char *n : {"model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
                              "model.layers.1.mlp.down_proj.weight"})
            req.quantized[n] = rtn(*m_model, n, {IntGroupMethod::Gptq, 8, 32, true}, false);
        req.quantized["model.layers.1.self_attn.q_proj.weight"] = rtn(*m_model, "model.layers.1.self_attn.q_proj.weight", {IntGroupMethod::Gptq, 3, 128, true}, false);
        req.quantized.erase("model.layers.1.mlp.up_proj.weight"); // stays BF16
        auto st = writeGroupCheckpoint(*m_model, req, dir.toStdString());
        QVERIFY2(st, st ? "" : st.error().describe().c_str());
        const QJsonObject qc = readJson(dir + "/config.json").value("quantization_config").toObject();
        QCOMPARE(qc.value("bits").toInt(), 4);
        const QJsonObject dyn = qc.value("dynamic").toObject();
        QVERIFY(!dyn.isEmpty());
        for (const std::string &n : linearNames(*m_model)) {
            const std::string mod = moduleOf(n);
            const int b = dynamicBits(dyn, mod);
            if (!req.quantized.count(n))
                QCOMPARE(b, 0);
            else if (req.quantized.at(n).format.bits == 4)
                QCOMPARE(b, -1);
            else
                QCOMPARE(b, req.quantized.at(n).format.bits);
        }
        QCOMPARE(dynamicBits(dyn, "model.layers.0.self_attn.qkv_proj"), 8); // vLLM's fused name
        // q alone differs from k and v: no rule can give vLLM's fused qkv_proj one width, so none claims it (vLLM
        // refuses such fused layers; transformers, which does not fuse, reads every module's rule)
        QCOMPARE(dynamicBits(dyn, "model.layers.1.self_attn.qkv_proj"), -1);
        QCOMPARE(dynamicBits(dyn, "model.layers.1.self_attn.k_proj"), -1);
        QCOMPARE(dynamicBits(dyn, "model.layers.10.self_attn.q_proj"), -1); // no prefix accident
        auto raw = readRawFolder(dir);
        QVERIFY(raw.count("model.layers.1.mlp.up_proj.weight") && raw.at("model.layers.1.mlp.up_proj.weight").dtype == "BF16");
        checkRoundTrip(dir, req.quantized, "GPTQ-");
    }

    void shardsWithIndex()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/sharded";
        GroupCheckpointRequest req;
        req.quantized = quantizeAll({IntGroupMethod::Gptq, 4, 128, true}, false);
        req.maxShardBytes = 1 << 20;
        auto st = writeGroupCheckpoint(*m_model, req, dir.toStdString());
        QVERIFY2(st, st ? "" : st.error().describe().c_str());
        QVERIFY(QFile::exists(dir + "/model.safetensors.index.json"));
        QVERIFY(!QFile::exists(dir + "/model.safetensors"));
        const QStringList shards = QDir(dir).entryList({"model-*-of-*.safetensors"});
        QVERIFY2(shards.size() >= 2, qPrintable(shards.join(',')));
        for (const QString &s : shards)
            QVERIFY(QFileInfo(dir + "/" + s).size() <= (1 << 20) + (8 << 10) || s == shards.first());
        const QJsonObject idx = readJson(dir + "/model.safetensors.index.json");
        qint64 total = 0;
        for (const auto &[n, t] : readRawFolder(dir))
            total += t.data.size();
        QCOMPARE(idx.value("metadata").toObject().value("total_size").toInteger(), total);
        checkRoundTrip(dir, req.quantized, "GPTQ-");

        // the same tensors lent through a view (not copied) write the same folder, byte for byte
        GroupCheckpointRequest lent;
        lent.quantizedView = &req.quantized;
        lent.maxShardBytes = req.maxShardBytes;
        const QString viewDir = tmp.path() + "/lent";
        st = writeGroupCheckpoint(*m_model, lent, viewDir.toStdString());
        QVERIFY2(st, st ? "" : st.error().describe().c_str());
        for (const QString &s : shards) {
            QFile a(dir + "/" + s), b(viewDir + "/" + s);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QVERIFY2(a.readAll() == b.readAll(), qPrintable(s));
        }
        // a map and a view at once is refused
        lent.quantized = req.quantized;
        QVERIFY(!writeGroupCheckpoint(*m_model, lent, (tmp.path() + "/both").toStdString()));
    }

    void replacesExistingAtomically()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/out";
        GroupCheckpointRequest req;
        req.quantized = quantizeAll({IntGroupMethod::Gptq, 4, 128, true}, false);
        QVERIFY(writeGroupCheckpoint(*m_model, req, dir.toStdString()));
        req.format = GroupCheckpointFormat::AwqGemm;
        req.quantized = quantizeAll({IntGroupMethod::Awq, 4, 128, false}, false);
        QVERIFY(writeGroupCheckpoint(*m_model, req, dir.toStdString()));
        QCOMPARE(readJson(dir + "/config.json").value("quantization_config").toObject().value("quant_method").toString(), QString("awq"));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{"out"});
        // cancelled: nothing new, the old folder untouched
        JobControl ctl;
        ctl.cancel();
        req.format = GroupCheckpointFormat::Gptq;
        auto st = writeGroupCheckpoint(*m_model, req, (tmp.path() + "/other").toStdString(), &ctl);
        QVERIFY(!st && st.error().cancelled());
        QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{"out"});
        // a folder that holds something other than a model is never replaced
        QDir(tmp.path()).mkdir("precious");
        QFile f(tmp.path() + "/precious/notes.txt");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep");
        f.close();
        st = writeGroupCheckpoint(*m_model, req, (tmp.path() + "/precious").toStdString());
        QVERIFY(!st);
        QVERIFY(QFile::exists(tmp.path() + "/precious/notes.txt"));
    }

    // The evaluation engine reads through Model::readRows: `quantscope-cli eval DIR` works on the written folder,
    // and 4-bit g128 costs a little perplexity, not a broken model.
    void evalOnExportedFolder_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("gptq") << int(GroupCheckpointFormat::Gptq);
        QTest::newRow("awq") << int(GroupCheckpointFormat::AwqGemm);
        QTest::newRow("compressed-tensors") << int(GroupCheckpointFormat::CompressedTensors);
    }

    void evalOnExportedFolder()
    {
        QFETCH(int, format);
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/eval";
        GroupCheckpointRequest req;
        req.format = static_cast<GroupCheckpointFormat>(format);
        req.quantized = quantizeAll({IntGroupMethod::Awq, 4, 128, false}, false);
        QVERIFY(writeGroupCheckpoint(*m_model, req, dir.toStdString()));
        const test::CliRun plain = test::runCli({"eval", test::demoModelDir(), "--windows", "2", "--json"});
        const test::CliRun quant = test::runCli({"eval", dir, "--windows", "2", "--json"});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY2(quant.exitCode == 0, quant.err.constData());
        const double p0 = QJsonDocument::fromJson(plain.out).object().value("ppl").toDouble();
        const double p1 = QJsonDocument::fromJson(quant.out).object().value("ppl").toDouble();
        QVERIFY2(p1 > p0 * 0.98 && p1 < p0 * 1.5, qPrintable(QString("ppl %1 vs %2").arg(p1).arg(p0)));
    }

    void refusedResults_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("zero");
        QTest::addColumn<QString>("expected");
        QTest::newRow("awq 3-bit") << int(GroupCheckpointFormat::AwqGemm) << 3 << -1 << "4-bit";
        QTest::newRow("gptq zero 0 in v1") << int(GroupCheckpointFormat::Gptq) << 4 << 0 << "zero - 1";
        QTest::newRow("ct 3-bit") << int(GroupCheckpointFormat::CompressedTensors) << 3 << -1 << "4 and 8 bits";
    }

    void refusedResults()
    {
        QFETCH(int, format);
        QFETCH(int, bits);
        QFETCH(int, zero);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        GroupCheckpointRequest req;
        req.format = static_cast<GroupCheckpointFormat>(format);
        const std::string n = "model.layers.0.mlp.down_proj.weight";
        req.quantized[n] = rtn(*m_model, n, {IntGroupMethod::Gptq, bits, 128, false}, false);
        if (zero >= 0)
            req.quantized[n].zeros[5] = zero;
        auto st = writeGroupCheckpoint(*m_model, req, (tmp.path() + "/x").toStdString());
        QVERIFY(!st);
        QVERIFY2(QString::fromStdString(st.error().describe()).contains(expected), st.error().describe().c_str());
        QCOMPARE(st.error().tensor, n);
        QVERIFY(QDir(tmp.path()).isEmpty());
    }

    // Checkpoints that lie: each a clear error naming what is wrong, never a crash or a wrong model.
    void badCheckpoints_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("mutation");
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("expected");
        const int gptq = int(GroupCheckpointFormat::Gptq), awq = int(GroupCheckpointFormat::AwqGemm), ct = int(GroupCheckpointFormat::CompressedTensors);
        const QString q = "model.layers.0.self_attn.q_proj";
        const QString any; // config lies: any module
        QTest::newRow("gptq bits lie") << gptq << "bits=3" << any + ".qweight" << "bits";
        QTest::newRow("gptq group_size lie") << gptq << "group_size=64" << any + ".scales" << "group_size 64";
        QTest::newRow("gptq bits 5") << gptq << "bits=5" << any + ".qweight" << "5 bits";
        QTest::newRow("gptq desc_act lie") << gptq << "actorder-gidx" << q + ".g_idx" << "desc_act is false";
        QTest::newRow("gptq qweight shape") << gptq << "shape:.qweight" << q + ".qweight" << "rows";
        QTest::newRow("gptq qweight dtype") << gptq << "dtype:.qweight" << q + ".qweight" << "I32";
        QTest::newRow("gptq scales dtype") << gptq << "dtype:.scales" << q + ".scales" << "F16";
        QTest::newRow("gptq missing g_idx") << gptq << "drop:.g_idx" << q + ".g_idx" << "missing";
        QTest::newRow("gptq missing qzeros") << gptq << "drop:.qzeros" << q + ".qzeros" << "missing";
        QTest::newRow("gptq qzeros shape") << gptq << "shape:.qzeros" << q + ".qzeros" << "expected";
        QTest::newRow("gptq g_idx out of range") << gptq << "gidx-range" << q + ".g_idx" << "names group";
        QTest::newRow("gptq orphan part") << gptq << "drop:.qweight" << q + ".g_idx" << "without its packed weight";
        QTest::newRow("gptq v3 format") << gptq << "checkpoint_format=gptq_v3" << QString() << "checkpoint_format";
        QTest::newRow("gptq skipped yet packed") << gptq << "dynamic-skip" << q + ".qweight" << "skip";
        QTest::newRow("awq bits lie") << awq << "bits=3" << any + ".qweight" << "4-bit";
        QTest::newRow("awq group lie") << awq << "group_size=64" << any + ".scales" << "groups";
        QTest::newRow("awq qweight shape") << awq << "shape:.qweight" << q + ".qweight" << "shape";
        QTest::newRow("awq missing qzeros") << awq << "drop:.qzeros" << q + ".qzeros" << "missing";
        QTest::newRow("awq gemv") << awq << "version=gemv" << QString() << "GEMM";
        QTest::newRow("ct group lie") << ct << "ct-group=64" << any + ".weight_scale" << "expected";
        QTest::newRow("ct bits lie") << ct << "ct-bits=8" << any + ".weight_packed" << "weight_shape";
        QTest::newRow("ct asym without zero point") << ct << "ct-asym" << any + ".weight_zero_point" << "missing";
        QTest::newRow("ct missing weight_shape") << ct << "drop:.weight_shape" << q + ".weight_shape" << "missing";
        QTest::newRow("ct weight_shape lies") << ct << "ct-shape" << q + ".weight_packed" << "weight_shape";
        QTest::newRow("ct float format") << ct << "ct-float" << QString() << "floats";
    }

    void badCheckpoints()
    {
        QFETCH(int, format);
        QFETCH(QString, mutation);
        QFETCH(QString, tensor);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/bad";
        GroupCheckpointRequest req;
        req.format = static_cast<GroupCheckpointFormat>(format);
        req.quantized = quantizeAll({IntGroupMethod::Gptq, 4, 128, true}, false);
        QVERIFY(writeGroupCheckpoint(*m_model, req, dir.toStdString()));
        QVERIFY(Model::open(dir.toStdString()));

        QJsonObject config = readJson(dir + "/config.json");
        QJsonObject qc = config.value("quantization_config").toObject();
        auto raw = readRawFolder(dir);
        const std::string mod = "model.layers.0.self_attn.q_proj";
        const QString key = mutation.section('=', 0, 0), value = mutation.section('=', 1);
        if (mutation.startsWith("drop:")) {
            raw.erase(mod + mutation.mid(5).toStdString());
        } else if (mutation.startsWith("dtype:")) {
            raw.at(mod + mutation.mid(6).toStdString()).dtype = mutation.endsWith("scales") ? "I16" : "F32";
        } else if (mutation.startsWith("shape:")) {
            RawTensor &t = raw.at(mod + mutation.mid(6).toStdString());
            t.shape = {t.shape[0] * 2, t.shape[1] / 2};
        } else if (mutation == "actorder-gidx" || mutation == "gidx-range") {
            RawTensor &g = raw.at(mod + ".g_idx");
            const int32_t v = mutation == "gidx-range" ? 7 : 0;
            std::memcpy(g.data.data() + 4 * 200, &v, 4);
        } else if (mutation == "dynamic-skip") {
            qc.insert("dynamic", QJsonObject{{"-:model\\.layers\\.0\\.self_attn\\.q_proj$", QJsonObject{}}});
        } else if (mutation.startsWith("ct-")) {
            QJsonObject groups = qc.value("config_groups").toObject();
            QJsonObject g0 = groups.value("group_0").toObject();
            QJsonObject w = g0.value("weights").toObject();
            if (key == "ct-group")
                w.insert("group_size", value.toInt());
            else if (key == "ct-bits")
                w.insert("num_bits", value.toInt());
            else if (mutation == "ct-asym")
                w.insert("symmetric", false);
            else if (mutation == "ct-float")
                w.insert("type", "float");
            else if (mutation == "ct-shape") {
                const int64_t lie = 512;
                std::memcpy(raw.at(mod + ".weight_shape").data.data() + 8, &lie, 8);
            }
            g0.insert("weights", w);
            groups.insert("group_0", g0);
            qc.insert("config_groups", groups);
        } else {
            bool isInt = false;
            const int n = value.toInt(&isInt);
            qc.insert(key, isInt ? QJsonValue(n) : QJsonValue(value));
        }
        config.insert("quantization_config", qc);
        writeJson(dir + "/config.json", config);
        {
            QFile f(dir + "/model.safetensors");
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(rewrite(raw));
        }
        auto m = Model::open(dir.toStdString());
        QVERIFY2(!m, "a lying checkpoint was accepted");
        const QString msg = QString::fromStdString(m.error().describe());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        // a config that lies is caught at whichever module is checked first: the error names a tensor of that kind
        if (!tensor.isEmpty())
            QVERIFY2(QString::fromStdString(m.error().tensor).endsWith(tensor), qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestGroupCheckpoint)
#include "tst_group_checkpoint.moc"
