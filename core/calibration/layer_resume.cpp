#include "calibration/layer_resume.h"

#include "calibration/calibration_set.h"
#include "common/paths.h"
#include "io/atomic_file.h"
#include "io/small_file.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <memory>

namespace qs {

namespace {

constexpr uint64_t kMaxKey = 4096;

// key, then `layer + 1`, then the inputs as one f32 vector (length-prefixed, as ResumeRecord writes vectors)
std::vector<uint8_t> inputsHeader(const std::string &key, int next, uint64_t floats)
{
    ResumeRecord r;
    r.putText(key);
    r.put(std::vector<int64_t>{next});
    std::vector<uint8_t> b = r.bytes();
    const auto *n = reinterpret_cast<const uint8_t *>(&floats);
    b.insert(b.end(), n, n + sizeof floats);
    return b;
}

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};

} // namespace

void ResumeRecord::append(const void *p, size_t n)
{
    const auto *b = static_cast<const uint8_t *>(p);
    m_bytes.insert(m_bytes.end(), b, b + n);
}

void ResumeRecord::putTensor(const std::string &name, const GroupQuantizedTensor &t)
{
    putText(name);
    putText(t.format.id());
    put(std::vector<int64_t>{t.rows, t.cols, t.format.symmetric ? 1 : 0});
    put(t.codes);
    put(t.scales);
    put(t.zeros);
    put(t.gIdx);
    put(std::vector<float>{t.loss});
}

bool ResumeReader::getText(std::string &s, uint64_t limit)
{
    std::vector<char> c;
    if (!get(c, limit))
        return false;
    s.assign(c.begin(), c.end());
    return true;
}

bool ResumeReader::getNumber(double &x)
{
    std::vector<double> v;
    if (!get(v, 1) || v.size() != 1)
        return fail();
    x = v[0];
    return true;
}

bool ResumeReader::getTensor(std::string &name, GroupQuantizedTensor &t)
{
    std::string id;
    std::vector<int64_t> shape;
    std::vector<float> loss;
    if (!getText(name) || !getText(id, 256) || !get(shape, 3) || shape.size() != 3)
        return fail();
    auto f = IntGroupFormat::parse(id);
    if (!f)
        return fail();
    t.format = *f;
    t.format.symmetric = shape[2] != 0;
    t.rows = shape[0];
    t.cols = shape[1];
    const uint64_t lim = m_bytes.size();
    if (!get(t.codes, lim) || !get(t.scales, lim) || !get(t.zeros, lim) || !get(t.gIdx, lim) || !get(loss, 1) || loss.size() != 1 ||
        !t.consistent())
        return fail();
    t.loss = loss[0];
    return true;
}

LayerResume::LayerResume(std::string folder, const Model &model, const CalibrationSet &cal, const std::string &settings)
    : m_dir(std::move(folder))
{
    if (m_dir.empty())
        return;
    QCryptographicHash h(QCryptographicHash::Sha256);
    auto add = [&](const std::string &s) { h.addData(QByteArrayView(s.data(), static_cast<qsizetype>(s.size() + 1))); };
    add("layer-resume v1");
    add(model.path());
    add(std::to_string(model.sizeOnDisk()));
    // the files' sizes and modification times: a model rewritten in place (same shapes, other weights) is another run
    const QFileInfo where(QString::fromStdString(model.path()));
    const QFileInfoList files = where.isDir() ? QDir(where.filePath()).entryInfoList(QDir::Files, QDir::Name) : QFileInfoList{where};
    for (const QFileInfo &f : files)
        add(f.fileName().toStdString() + ":" + std::to_string(f.size()) + ":" + std::to_string(f.lastModified().toMSecsSinceEpoch()));
    for (const ModelTensor &t : model.tensors())
        add(t.name + ":" + t.dtype + ":" + std::to_string(t.elements));
    add(settings);
    add(std::to_string(cal.window));
    add(sha256OfIds(cal.ids.data(), cal.ids.size()));
    m_key = h.result().toHex().toStdString();
}

Status LayerResume::check() const
{
    if (enabled() && !isDirectory(m_dir))
        return makeError("the resume folder does not exist").inFile(m_dir);
    return okStatus();
}

Status LayerResume::save(int layer, const ResumeRecord &record, const ActivationBuffer &nextInputs) const
{
    if (!enabled())
        return okStatus();
    // the layer first, then the inputs that say it is done: a crash in between leaves the earlier inputs, which resume
    // at this layer again (its new record is simply written once more)
    ResumeRecord keyed;
    keyed.putText(m_key);
    std::vector<uint8_t> bytes = keyed.bytes();
    bytes.insert(bytes.end(), record.bytes().begin(), record.bytes().end());
    if (auto st = writeFileAtomically(m_dir + "/layer-" + std::to_string(layer) + ".bin", bytes); !st)
        return st;
    AtomicFile f;
    if (auto st = f.open(m_dir + "/inputs.bin"); !st)
        return st;
    const std::vector<uint8_t> head = inputsHeader(m_key, layer + 1, nextInputs.size());
    if (auto st = f.write(head); !st)
        return st;
    // straight from the buffer (which may be a mapped spill file), no copy in memory
    const auto *x = reinterpret_cast<const uint8_t *>(nextInputs.data());
    if (auto st = f.write(std::span<const uint8_t>(x, nextInputs.size() * sizeof(float))); !st)
        return st;
    return f.commit();
}

LayerResume::Loaded LayerResume::load(int maxLayers, ActivationBuffer &inputs) const
{
    Loaded none;
    if (!enabled())
        return none;
    const std::string path = m_dir + "/inputs.bin";
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f)
        return none;
    // the header alone: the key, the layer it is for and the count of floats, checked against the file's size
    const std::vector<uint8_t> want = inputsHeader(m_key, 0, inputs.size());
    std::vector<uint8_t> head(want.size());
    if (std::fread(head.data(), 1, head.size(), f.get()) != head.size())
        return none;
    ResumeReader r(head);
    std::string key;
    std::vector<int64_t> next;
    if (!r.getText(key, kMaxKey) || key != m_key || !r.get(next, 1) || next.size() != 1 || next[0] <= 0 || next[0] > maxLayers)
        return none;
    uint64_t floats = 0;
    std::memcpy(&floats, head.data() + head.size() - sizeof floats, sizeof floats);
    if (floats != inputs.size() || std::fseek(f.get(), 0, SEEK_END) != 0 ||
        static_cast<uint64_t>(std::ftell(f.get())) != head.size() + floats * sizeof(float))
        return none;

    Loaded out;
    out.next = static_cast<int>(next[0]);
    for (int l = 0; l < out.next; ++l) {
        auto bytes = readSmallFile(m_dir + "/layer-" + std::to_string(l) + ".bin", 16ull << 30);
        if (!bytes)
            return none;
        ResumeReader rec(std::move(*bytes));
        std::string k;
        if (!rec.getText(k, kMaxKey) || k != m_key)
            return none;
        out.records.push_back(std::move(rec));
    }
    if (std::fseek(f.get(), static_cast<long>(head.size()), SEEK_SET) != 0 ||
        std::fread(inputs.data(), sizeof(float), inputs.size(), f.get()) != inputs.size())
        return none; // the caller computes the inputs afresh
    return out;
}

} // namespace qs
