#include "plan/imatrix.h"

#include "io/atomic_file.h"
#include "io/byte_reader.h"
#include "io/gguf_writer.h"
#include "io/gguf.h"
#include "io/mapped_file.h"

#include <cmath>
#include <cstring>

namespace qs {

namespace {

Result<ImportanceMatrix> fromGguf(const GgufFile &g)
{
    ImportanceMatrix m;
    m.path = g.path;
    for (const char *key : {"imatrix.datasets", "imatrix.chunk_count", "imatrix.chunk_size"})
        if (!g.find(key))
            return makeError(std::string("missing key ") + key + ": not an importance matrix written by llama-imatrix").inFile(g.path);
    const GgufValue *ds = g.find("imatrix.datasets");
    if (ds->isArray() && ds->elemType == GgufType::String && !ds->strings.empty())
        m.dataset = ds->strings.front();
    m.chunks = g.find("imatrix.chunk_count")->toInt().value_or(0);
    for (const auto &t : g.tensors) {
        if (!t.name.ends_with(".in_sum2"))
            continue;
        const std::string name = t.name.substr(0, t.name.size() - 8);
        const GgufTensorInfo *counts = g.findTensor(name + ".counts");
        if (!counts)
            return makeError("has in_sum2 but no counts").inFile(g.path).forTensor(name);
        if (t.traits->type != GgmlType::F32 || counts->traits->type != GgmlType::F32)
            return makeError("in_sum2 and counts must be F32").inFile(g.path).forTensor(name);
        const int64_t nPerRow = t.ne.empty() ? 0 : t.ne[0];
        const int64_t nMat = t.elements / std::max<int64_t>(1, nPerRow);
        if (counts->elements != nMat)
            return makeError("counts has " + std::to_string(counts->elements) + " values for " + std::to_string(nMat) + " matrices")
                .inFile(g.path)
                .forTensor(name);
        const auto sums = g.tensorBytes(t);
        const auto cnt = g.tensorBytes(*counts);
        std::vector<float> w(static_cast<size_t>(t.elements));
        for (int64_t e = 0; e < nMat; ++e) {
            float c;
            std::memcpy(&c, cnt.data() + 4 * e, 4);
            for (int64_t j = 0; j < nPerRow; ++j) {
                float s;
                std::memcpy(&s, sums.data() + 4 * (e * nPerRow + j), 4);
                const float v = c > 0 ? s / c : 1.0f;
                if (!std::isfinite(v))
                    return makeError("non-finite importance value").inFile(g.path).forTensor(name);
                w[static_cast<size_t>(e * nPerRow + j)] = v;
            }
        }
        m.weights[name] = std::move(w);
    }
    if (m.weights.empty())
        return makeError("no <tensor>.in_sum2 entries: not an importance matrix").inFile(g.path);
    return m;
}

Result<ImportanceMatrix> fromDat(const MappedFile &f)
{
    ImportanceMatrix m;
    m.path = f.path();
    ByteReader r(f.bytes());
    auto bad = [&](const std::string &what) { return makeError(what, static_cast<int64_t>(r.pos())).inFile(f.path()); };
    int32_t n = 0;
    if (!r.read(n) || n <= 0 || static_cast<uint64_t>(n) > r.remaining() / 12)
        return bad("not a legacy importance matrix (.dat): bad entry count");
    for (int32_t i = 0; i < n; ++i) {
        int32_t len = 0, ncall = 0, nval = 0;
        std::string name;
        if (!r.read(len) || len <= 0 || len > 4096 || !r.readBytes(name, static_cast<uint64_t>(len)) || !r.read(ncall) ||
            !r.read(nval) || nval <= 0 || static_cast<uint64_t>(nval) > r.remaining() / 4)
            return bad("entry " + std::to_string(i) + " is malformed or truncated");
        std::vector<float> w(static_cast<size_t>(nval));
        std::memcpy(w.data(), r.here(), static_cast<size_t>(nval) * 4);
        r.skip(static_cast<uint64_t>(nval) * 4);
        if (ncall > 0)
            for (auto &v : w)
                v /= static_cast<float>(ncall);
        for (float v : w)
            if (!std::isfinite(v))
                return bad("non-finite importance value in " + name);
        m.weights[name] = std::move(w);
    }
    int32_t chunks = 0, len = 0;
    if (r.read(chunks) && r.read(len) && len > 0 && static_cast<uint64_t>(len) <= r.remaining()) {
        m.chunks = chunks;
        r.readBytes(m.dataset, static_cast<uint64_t>(len));
    }
    return m;
}

} // namespace

Result<ImportanceMatrix> loadImportanceMatrix(const std::string &path)
{
    auto map = MappedFile::open(path);
    if (!map)
        return map.error();
    if ((*map)->size() >= 4 && std::memcmp((*map)->data(), "GGUF", 4) == 0) {
        auto g = parseGguf((*map)->bytes(), path);
        if (!g)
            return g.error();
        g->map = *map;
        return fromGguf(*g);
    }
    return fromDat(**map);
}

namespace {

std::span<const uint8_t> bytesOf(const void *p, size_t n) { return {static_cast<const uint8_t *>(p), n}; }

Status checkSums(const ImportanceSums &m)
{
    if (m.sums.empty())
        return makeError("the importance matrix is empty: no weight saw any activation");
    for (const auto &[name, v] : m.sums)
        if (!m.counts.count(name) || v.empty())
            return makeError("no count for " + name);
    return okStatus();
}

} // namespace

Status writeImportanceGguf(const ImportanceSums &m, const std::string &path)
{
    if (auto st = checkSums(m); !st)
        return Error(st.error()).inFile(path);
    std::vector<GgufKeyValue> kv;
    kv.push_back({"general.type", GgufValue::makeString("imatrix")});
    GgufValue ds;
    ds.type = GgufType::Array;
    ds.elemType = GgufType::String;
    ds.count = m.datasets.size();
    ds.strings = m.datasets;
    kv.push_back({"imatrix.datasets", ds});
    kv.push_back({"imatrix.chunk_count", GgufValue::makeUInt32(static_cast<uint32_t>(m.chunks))});
    kv.push_back({"imatrix.chunk_size", GgufValue::makeUInt32(static_cast<uint32_t>(m.chunkSize))});
    std::vector<GgufTensorSpec> specs;
    for (const auto &[name, v] : m.sums) { // std::map: name order, as llama-imatrix's std::sort
        specs.push_back({name + ".in_sum2", {static_cast<int64_t>(v.size())}, static_cast<uint32_t>(GgmlType::F32), v.size() * 4});
        specs.push_back({name + ".counts", {1}, static_cast<uint32_t>(GgmlType::F32), 4});
    }
    GgufWriter w;
    if (auto st = w.begin(path, std::move(kv), std::move(specs)); !st)
        return st;
    for (const auto &[name, v] : m.sums) {
        const float count = static_cast<float>(m.counts.at(name));
        Status st = w.append(bytesOf(v.data(), v.size() * 4));
        if (st)
            st = w.append(bytesOf(&count, 4));
        if (!st) {
            w.cancel();
            return st;
        }
    }
    return w.finish();
}

Status writeImportanceDat(const ImportanceSums &m, const std::string &path)
{
    if (auto st = checkSums(m); !st)
        return Error(st.error()).inFile(path);
    std::vector<uint8_t> out;
    auto put = [&](const void *p, size_t n) { out.insert(out.end(), static_cast<const uint8_t *>(p), static_cast<const uint8_t *>(p) + n); };
    auto putI32 = [&](int64_t v) {
        const int32_t x = static_cast<int32_t>(v);
        put(&x, 4);
    };
    putI32(static_cast<int64_t>(m.sums.size()));
    for (const auto &[name, v] : m.sums) {
        const int64_t count = m.counts.at(name);
        const int64_t ncall = m.chunkSize > 0 ? (count + m.chunkSize - 1) / m.chunkSize : 1;
        putI32(static_cast<int64_t>(name.size()));
        put(name.data(), name.size());
        putI32(ncall);
        putI32(static_cast<int64_t>(v.size()));
        for (float s : v) {
            // llama-imatrix: (sum / count) * ncall in float; where nothing was seen, the value is 1 per call
            const float value = count > 0 ? s / static_cast<float>(count) * static_cast<float>(ncall) : static_cast<float>(ncall);
            put(&value, 4);
        }
    }
    putI32(m.chunks);
    const std::string dataset = m.datasets.empty() ? std::string() : m.datasets.front();
    putI32(static_cast<int64_t>(dataset.size()));
    put(dataset.data(), dataset.size());
    AtomicFile f;
    if (auto st = f.open(path); !st)
        return st;
    if (auto st = f.write(out); !st) {
        f.discard();
        return st;
    }
    return f.commit();
}

} // namespace qs
