#include "project/project_file.h"

#include "io/hdf5_file.h"
#include "io/small_file.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace qs {

namespace {

std::string sha256(const uint8_t *p, size_t n)
{
    return QCryptographicHash::hash(QByteArrayView(p, static_cast<qsizetype>(n)), QCryptographicHash::Sha256).toHex().toStdString();
}

#define QS_TRY(expr)                                                                                                   \
    do {                                                                                                               \
        auto qsTryStatus = (expr);                                                                                     \
        if (!qsTryStatus)                                                                                              \
            return qsTryStatus.error();                                                                                \
    } while (0)

Status saveHistogram(const h5::Object &g, const std::string &name, const Histogram &h)
{
    QS_TRY(g.writeU64(name, h.counts));
    QS_TRY(g.setAttr(name + "_lo", h.lo));
    QS_TRY(g.setAttr(name + "_hi", h.hi));
    return okStatus();
}

Result<Histogram> loadHistogram(const h5::Object &g, const std::string &name)
{
    Histogram h;
    auto c = g.readU64(name);
    if (!c)
        return c.error();
    auto lo = g.attrDouble(name + "_lo"), hi = g.attrDouble(name + "_hi");
    if (!lo || !hi)
        return makeError("histogram '" + name + "' has no range");
    h.counts = std::move(*c);
    h.lo = *lo;
    h.hi = *hi;
    return h;
}

Status saveTensor(const h5::Object &g, const TensorAnalysis &a)
{
    QS_TRY(g.setAttr("name", a.name));
    QS_TRY(g.setAttr("gguf_name", a.ggufName));
    QS_TRY(g.setAttr("role", std::string(roleId(a.role))));
    QS_TRY(g.setAttr("layer", static_cast<int64_t>(a.layer)));
    QS_TRY(g.setAttr("model_index", static_cast<int64_t>(a.index)));
    QS_TRY(g.setAttr("rows", a.rows));
    QS_TRY(g.setAttr("cols", a.cols));
    QS_TRY(g.setAttr("weighted", static_cast<int64_t>(a.weighted)));
    std::string shape;
    for (int64_t d : a.shape)
        shape += (shape.empty() ? "" : ",") + std::to_string(d);
    QS_TRY(g.setAttr("shape", shape));
    auto st = g.createGroup("statistics");
    if (!st)
        return st.error();
    const TensorStatistics &s = a.stats;
    QS_TRY(st->setAttr("units", std::string("the weights' own units; fractions are of all elements")));
    QS_TRY(st->setAttr("count", s.count));
    for (const auto &[k, v] : {std::pair<const char *, double>{"min", s.min}, {"max", s.max}, {"mean", s.mean}, {"std", s.stddev},
                               {"skewness", s.skewness}, {"kurtosis", s.kurtosis}, {"abs_max", s.absMax}, {"p0_1", s.p001},
                               {"p1", s.p01}, {"p50", s.p50}, {"p99", s.p99}, {"p99_9", s.p999},
                               {"outlier_fraction", s.outlierFraction}, {"zero_fraction", s.zeroFraction},
                               {"symlog_linear", s.symlogLinear}})
        QS_TRY(st->setAttr(k, v));
    QS_TRY(saveHistogram(*st, "histogram", s.histogram));
    QS_TRY(saveHistogram(*st, "symlog_histogram", s.symlogHistogram));
    QS_TRY(st->writeFloats("row_abs_max", s.rowAbsMax, {}));
    QS_TRY(st->writeFloats("row_l2", s.rowL2, {}));
    QS_TRY(st->writeFloats("col_abs_max", s.colAbsMax, {}));
    QS_TRY(st->writeFloats("col_l2", s.colL2, {}));

    auto fg = g.createGroup("formats");
    if (!fg)
        return fg.error();
    for (size_t c = 0; c < a.candidates.size(); ++c) {
        const CandidateResult &cr = a.candidates[c];
        auto f = fg->createGroup(std::to_string(c));
        if (!f)
            return f.error();
        QS_TRY(f->setAttr("format", cr.candidate.id()));
        QS_TRY(f->setAttr("applicable", static_cast<int64_t>(cr.applicable)));
        QS_TRY(f->setAttr("note", cr.note));
        if (!cr.applicable)
            continue;
        const ErrorStats &e = cr.errors;
        QS_TRY(f->setAttr("units", std::string("errors in the weights' units; sqnr in dB; rmse_over_step in quantization steps")));
        QS_TRY(f->setAttr("bytes", static_cast<int64_t>(cr.bytes)));
        QS_TRY(f->setAttr("bits_per_weight", cr.bitsPerWeight));
        QS_TRY(f->setAttr("n", e.n));
        QS_TRY(f->setAttr("blocks", e.blocks));
        QS_TRY(f->setAttr("exact_zeros", e.exactZeros));
        for (const auto &[k, v] : {std::pair<const char *, double>{"sum_sq_err", e.sumSqErr}, {"sum_sq_w", e.sumSqW},
                                   {"sum_abs_err", e.sumAbsErr}, {"max_abs_err", e.maxAbsErr}, {"weighted_sq_err", e.weightedSqErr},
                                   {"weighted_sq_w", e.weightedSqW}, {"step_sum", e.stepSum}, {"mse", e.mse()}, {"rmse", e.rmse()},
                                   {"relative_error", e.relativeError()}, {"sqnr_db", e.sqnrDb()}, {"mean_step", e.meanStep()},
                                   {"rmse_over_step", e.rmseOverStep()}, {"weighted_relative_error", e.weightedRelativeError()}})
            QS_TRY(f->setAttr(k, v));
        QS_TRY(saveHistogram(*f, "abs_error_log10_histogram", e.absErrorLog));
        const ErrorGrid &gr = cr.grid;
        if (gr.pooledRows > 0 && gr.pooledBlocks > 0) {
            const std::vector<uint64_t> dims = {static_cast<uint64_t>(gr.pooledRows), static_cast<uint64_t>(gr.pooledBlocks)};
            auto h = f->createGroup("heatmap");
            if (!h)
                return h.error();
            QS_TRY(h->setAttr("pooling", std::string("cell (i, j) covers rows [i*R/PR, (i+1)*R/PR) and blocks [j*B/PB, (j+1)*B/PB); "
                                                     "mean_abs averages |error| over its elements, mean_signed averages "
                                                     "Q(W) - W, max_abs is its maximum, step averages its blocks' quantization steps")));
            QS_TRY(h->setAttr("rows", gr.rows));
            QS_TRY(h->setAttr("blocks", gr.blocks));
            QS_TRY(h->setAttr("block_length", gr.blockLength));
            QS_TRY(h->writeFloats("mean_abs", gr.meanAbs, dims));
            QS_TRY(h->writeFloats("max_abs", gr.maxAbs, dims));
            if (gr.meanSigned.size() == gr.meanAbs.size())
                QS_TRY(h->writeFloats("mean_signed", gr.meanSigned, dims));
            QS_TRY(h->writeFloats("step", gr.step, dims));
            QS_TRY(h->writeU32("elements", gr.elements, dims));
            QS_TRY(h->writeU32("block_count", gr.blockCount, dims));
        }
    }
    return okStatus();
}

Result<TensorAnalysis> loadTensor(const h5::Object &g, const std::vector<QuantFormat> &candidates)
{
    TensorAnalysis a;
    auto str = [&](const h5::Object &o, const char *k) { auto v = o.attrString(k); return v ? *v : std::string(); };
    auto num = [&](const h5::Object &o, const char *k) { auto v = o.attrDouble(k); return v ? *v : 0.0; };
    auto integer = [&](const h5::Object &o, const char *k) { auto v = o.attrInt(k); return v ? *v : int64_t(0); };
    a.name = str(g, "name");
    a.ggufName = str(g, "gguf_name");
    const std::string role = str(g, "role");
    for (int r = 0; r <= static_cast<int>(TensorRole::Other); ++r)
        if (roleId(static_cast<TensorRole>(r)) == role)
            a.role = static_cast<TensorRole>(r);
    a.layer = static_cast<int>(integer(g, "layer"));
    a.index = static_cast<size_t>(integer(g, "model_index"));
    a.rows = integer(g, "rows");
    a.cols = integer(g, "cols");
    a.weighted = integer(g, "weighted") != 0;
    const std::string shape = str(g, "shape");
    for (size_t p = 0; p < shape.size();) {
        const size_t q = shape.find(',', p);
        a.shape.push_back(std::stoll(shape.substr(p, q - p)));
        p = q == std::string::npos ? shape.size() : q + 1;
    }
    auto st = g.openGroup("statistics");
    if (!st)
        return st.error();
    TensorStatistics &s = a.stats;
    s.count = integer(*st, "count");
    s.min = num(*st, "min"), s.max = num(*st, "max"), s.mean = num(*st, "mean"), s.stddev = num(*st, "std");
    s.skewness = num(*st, "skewness"), s.kurtosis = num(*st, "kurtosis"), s.absMax = num(*st, "abs_max");
    s.p001 = num(*st, "p0_1"), s.p01 = num(*st, "p1"), s.p50 = num(*st, "p50"), s.p99 = num(*st, "p99"), s.p999 = num(*st, "p99_9");
    s.outlierFraction = num(*st, "outlier_fraction"), s.zeroFraction = num(*st, "zero_fraction");
    s.symlogLinear = num(*st, "symlog_linear");
    auto h1 = loadHistogram(*st, "histogram");
    auto h2 = loadHistogram(*st, "symlog_histogram");
    auto ra = st->readFloats("row_abs_max"), rl = st->readFloats("row_l2"), ca = st->readFloats("col_abs_max"), cl = st->readFloats("col_l2");
    if (!h1 || !h2 || !ra || !rl || !ca || !cl)
        return makeError("statistics of " + a.name + " are incomplete");
    s.histogram = *h1, s.symlogHistogram = *h2, s.rowAbsMax = *ra, s.rowL2 = *rl, s.colAbsMax = *ca, s.colL2 = *cl;

    auto fg = g.openGroup("formats");
    if (!fg)
        return fg.error();
    for (size_t c = 0; c < candidates.size(); ++c) {
        auto f = fg->openGroup(std::to_string(c));
        if (!f)
            return f.error();
        CandidateResult cr;
        cr.candidate = candidates[c];
        if (str(*f, "format") != cr.candidate.id())
            return makeError("format " + std::to_string(c) + " of " + a.name + " is not " + cr.candidate.id());
        cr.applicable = integer(*f, "applicable") != 0;
        cr.note = str(*f, "note");
        if (cr.applicable) {
            cr.bytes = static_cast<uint64_t>(integer(*f, "bytes"));
            cr.bitsPerWeight = num(*f, "bits_per_weight");
            ErrorStats &e = cr.errors;
            e.n = integer(*f, "n"), e.blocks = integer(*f, "blocks"), e.exactZeros = integer(*f, "exact_zeros");
            e.sumSqErr = num(*f, "sum_sq_err"), e.sumSqW = num(*f, "sum_sq_w"), e.sumAbsErr = num(*f, "sum_abs_err");
            e.maxAbsErr = num(*f, "max_abs_err"), e.weightedSqErr = num(*f, "weighted_sq_err");
            e.weightedSqW = num(*f, "weighted_sq_w"), e.stepSum = num(*f, "step_sum");
            auto h = loadHistogram(*f, "abs_error_log10_histogram");
            if (!h)
                return h.error();
            e.absErrorLog = *h;
            if (f->has("heatmap")) {
                auto hm = f->openGroup("heatmap");
                if (!hm)
                    return hm.error();
                ErrorGrid &gr = cr.grid;
                std::vector<uint64_t> dims;
                auto mean = hm->readFloats("mean_abs", &dims), mx = hm->readFloats("max_abs"), step = hm->readFloats("step");
                auto el = hm->readU32("elements"), bc = hm->readU32("block_count");
                if (!mean || !mx || !step || !el || !bc || dims.size() != 2)
                    return makeError("the heatmap of " + a.name + " for " + cr.candidate.id() + " is damaged");
                gr.rows = integer(*hm, "rows"), gr.blocks = integer(*hm, "blocks"), gr.blockLength = integer(*hm, "block_length");
                gr.pooledRows = static_cast<int64_t>(dims[0]), gr.pooledBlocks = static_cast<int64_t>(dims[1]);
                gr.meanAbs = *mean, gr.maxAbs = *mx, gr.step = *step, gr.elements = *el, gr.blockCount = *bc;
                if (hm->has("mean_signed")) { // absent in projects from before the signed map
                    std::vector<uint64_t> signedDims;
                    auto sg = hm->readFloats("mean_signed", &signedDims);
                    if (!sg || signedDims != dims)
                        return makeError("the signed heatmap of " + a.name + " for " + cr.candidate.id() + " is damaged");
                    gr.meanSigned = *sg;
                }
            }
        }
        a.candidates.push_back(std::move(cr));
    }
    return a;
}

} // namespace

std::string ModelFingerprint::toJson() const
{
    QJsonArray a;
    for (const auto &f : files)
        a.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(f.name)},
                             {QStringLiteral("size"), static_cast<qint64>(f.size)},
                             {QStringLiteral("header_sha256"), QString::fromStdString(f.headerSha256)}});
    return QJsonDocument(a).toJson(QJsonDocument::Compact).toStdString();
}

ModelFingerprint ModelFingerprint::fromJson(const std::string &json)
{
    ModelFingerprint fp;
    for (const QJsonValue v : QJsonDocument::fromJson(QByteArray::fromStdString(json)).array()) {
        const QJsonObject o = v.toObject();
        fp.files.push_back({o.value(QLatin1String("name")).toString().toStdString(), static_cast<uint64_t>(o.value(QLatin1String("size")).toInteger()),
                            o.value(QLatin1String("header_sha256")).toString().toStdString()});
    }
    return fp;
}

ModelFingerprint fingerprintModel(const Model &model)
{
    ModelFingerprint fp;
    auto base = [](const std::string &p) { const auto s = p.find_last_of('/'); return s == std::string::npos ? p : p.substr(s + 1); };
    if (const GgufFile *g = model.gguf()) {
        fp.files.push_back({base(g->path), g->fileSize, sha256(g->map->data(), static_cast<size_t>(g->dataOffset))});
        return fp;
    }
    if (auto cfg = readSmallFile(model.path() + "/config.json", 16u << 20))
        fp.files.push_back({"config.json", cfg->size(), sha256(cfg->data(), cfg->size())});
    for (const auto &s : model.shards())
        fp.files.push_back({base(s.path), s.map->size(), sha256(s.map->data(), static_cast<size_t>(8 + s.headerLength))});
    return fp;
}

std::string describeModelChange(const Project &project, const Model &model)
{
    const ModelFingerprint now = fingerprintModel(model);
    if (now == project.fingerprint)
        return {};
    for (const auto &f : project.fingerprint.files) {
        const auto it = std::find_if(now.files.begin(), now.files.end(), [&](const auto &g) { return g.name == f.name; });
        if (it == now.files.end())
            return f.name + " is gone";
        if (it->size != f.size)
            return f.name + " changed size (" + std::to_string(f.size) + " -> " + std::to_string(it->size) + " bytes)";
        if (it->headerSha256 != f.headerSha256)
            return f.name + " has a different header";
    }
    return "the model has different files";
}

namespace {

Status writeProject(const h5::Object &f, const Project &project)
{
    auto root = f.openGroup("/");
    if (!root)
        return root.error();
    QS_TRY(root->setAttr("format", std::string(kProjectFormat)));
    QS_TRY(root->setAttr("format_version", kProjectVersion));
    QS_TRY(root->setAttr("generator", std::string("Quantscope")));
    if (!project.planJson.empty())
        QS_TRY(root->setAttr("plan", project.planJson));
    auto m = f.createGroup("model");
    if (!m)
        return m.error();
    QS_TRY(m->setAttr("path", project.modelPath));
    QS_TRY(m->setAttr("fingerprint", project.fingerprint.toJson()));
    auto an = f.createGroup("analysis");
    if (!an)
        return an.error();
    std::string ids;
    for (const auto &c : project.analysis.candidates)
        ids += (ids.empty() ? "" : ",") + c.id();
    QS_TRY(an->setAttr("formats", ids));
    auto tg = an->createGroup("tensors");
    if (!tg)
        return tg.error();
    for (size_t i = 0; i < project.analysis.tensors.size(); ++i) {
        char name[24];
        std::snprintf(name, sizeof name, "%05zu", i);
        auto g = tg->createGroup(name);
        if (!g)
            return g.error();
        QS_TRY(saveTensor(*g, project.analysis.tensors[i]));
    }
    if (!project.sensitivity.empty()) {
        const SensitivityResults &r = project.sensitivity;
        auto sg = f.createGroup("sensitivity");
        if (!sg)
            return sg.error();
        std::string formats, names;
        for (const auto &fm : r.formats)
            formats += (formats.empty() ? "" : ",") + fm.id();
        for (const auto &n : r.tensors)
            names += (names.empty() ? "" : "\n") + n;
        QS_TRY(sg->setAttr("formats", formats));
        QS_TRY(sg->setAttr("tensors", names));
        QS_TRY(sg->setAttr("windows", r.windows));
        QS_TRY(sg->setAttr("context", r.context));
        QS_TRY(sg->setAttr("tokens", r.tokens));
        QS_TRY(sg->setAttr("text", r.text));
        QS_TRY(sg->setAttr("about", std::string("per tensor (rows) and format (columns), only that tensor quantized: mean KL-divergence "
                                                "from the unquantized model (nats), top-1 agreement, mean NLL change (nats)")));
        const std::vector<uint64_t> dims{r.tensors.size(), r.formats.size()};
        QS_TRY(sg->writeFloats("kld", r.kld, dims));
        QS_TRY(sg->writeFloats("top1", r.top1, dims));
        QS_TRY(sg->writeFloats("delta_nll", r.deltaNll, dims));
    }
    return okStatus();
}

} // namespace

Status saveProject(const std::string &path, const Project &project)
{
    // Built in memory, then written beside the target and renamed (h5::commitFile): a failed save never damages
    // the previous project and leaves no partial file.
    auto f = h5::createFile(path);
    if (!f)
        return f.error();
    if (Status st = writeProject(*f, project); !st)
        return Error(st.error()).inFile(path); // f closes unwritten: nothing reaches the disk
    return h5::commitFile(std::move(*f));
}

Result<Project> loadProject(const std::string &path)
{
    auto f = h5::openFile(path);
    if (!f)
        return f.error();
    auto root = f->openGroup("/");
    if (!root)
        return Error(root.error()).inFile(path);
    auto format = root->attrString("format");
    if (!format || *format != kProjectFormat)
        return makeError("an HDF5 file, but not a Quantscope project").inFile(path);
    auto version = root->attrInt("format_version");
    if (!version || *version > kProjectVersion)
        return makeError("project format version " + (version ? std::to_string(*version) : std::string("?")) +
                         " is newer than this Quantscope understands (" + std::to_string(kProjectVersion) + ")")
            .inFile(path);
    Project p;
    auto damaged = [&](const Error &e) { return makeError("damaged project: " + e.describe()).inFile(path); };
    auto m = f->openGroup("model");
    if (!m)
        return damaged(m.error());
    auto mp = m->attrString("path"), fp = m->attrString("fingerprint");
    if (!mp || !fp)
        return damaged(makeError("the model's path or fingerprint is missing"));
    p.modelPath = *mp;
    p.fingerprint = ModelFingerprint::fromJson(*fp);
    if (auto plan = root->attrString("plan"))
        p.planJson = *plan;
    auto an = f->openGroup("analysis");
    if (!an)
        return damaged(an.error());
    auto ids = an->attrString("formats");
    if (!ids)
        return damaged(ids.error());
    if (!ids->empty()) {
        auto cands = QuantFormat::parseList(*ids);
        if (!cands)
            return damaged(cands.error());
        p.analysis.candidates = *cands;
    }
    auto tg = an->openGroup("tensors");
    if (!tg)
        return damaged(tg.error());
    for (const std::string &name : tg->children()) {
        auto g = tg->openGroup(name);
        if (!g)
            return damaged(g.error());
        auto t = loadTensor(*g, p.analysis.candidates);
        if (!t)
            return damaged(t.error());
        p.analysis.tensors.push_back(std::move(*t));
    }
    if (f->has("sensitivity")) {
        auto sg = f->openGroup("sensitivity");
        if (!sg)
            return damaged(sg.error());
        SensitivityResults &r = p.sensitivity;
        auto formats = sg->attrString("formats");
        auto names = sg->attrString("tensors");
        auto windows = sg->attrInt("windows"), context = sg->attrInt("context"), tokens = sg->attrInt("tokens");
        auto text = sg->attrString("text");
        if (!formats || !names || !windows || !context || !tokens || !text)
            return damaged(makeError("the sensitivity group lacks its attributes"));
        auto fl = QuantFormat::parseList(*formats);
        if (!fl)
            return damaged(fl.error());
        r.formats = *fl;
        for (size_t pos = 0; pos <= names->size();) {
            const size_t end = std::min(names->find('\n', pos), names->size());
            if (end > pos)
                r.tensors.push_back(names->substr(pos, end - pos));
            pos = end + 1;
        }
        r.windows = *windows;
        r.context = *context;
        r.tokens = *tokens;
        r.text = *text;
        for (auto [name, dst] : {std::pair<const char *, std::vector<float> *>{"kld", &r.kld}, {"top1", &r.top1}, {"delta_nll", &r.deltaNll}}) {
            std::vector<uint64_t> dims;
            auto v = sg->readFloats(name, &dims);
            if (!v)
                return damaged(v.error());
            if (dims.size() != 2 || dims[0] != r.tensors.size() || dims[1] != r.formats.size())
                return damaged(makeError(std::string("sensitivity/") + name + " does not have one value per tensor and format"));
            *dst = std::move(*v);
        }
    }
    return p;
}

} // namespace qs
