#include "analysis/analysis_engine.h"

#include "jobs/chunk_loop.h"
#include "jobs/thread_pool.h"
#include "plan/plan.h"

#include <algorithm>
#include <cmath>

namespace qs {

std::string ggufNameOf(const Model &model, const ModelTensor &t)
{
    return model.format() == ModelFormat::Gguf || t.otherName.empty() ? t.name : t.otherName;
}

namespace {

constexpr int64_t kChunkElements = int64_t(1) << 18;

struct Slot {
    StatsPass1 p1;
    StatsPass2 p2;
    std::vector<ErrorStats> errors;
    std::vector<float> in, q, steps;
    std::vector<uint8_t> bytes;
};

// Measures candidate c on rows [r0, r0 + n) already in slot.in.
void measure(const QuantFormat &c, const float *importance, bool useImportanceInQuantizer, int64_t r0, int64_t n, int64_t cols,
             Slot &slot, ErrorStats &err, ErrorGrid *grid)
{
    const int64_t bl = c.blockLength(cols);
    const int64_t blocksPerRow = cols / bl;
    slot.q.resize(static_cast<size_t>(n * cols));
    slot.steps.resize(static_cast<size_t>(n * blocksPerRow));
    if (c.kind == QuantFormat::Kind::Gguf) {
        const TypeTraits &t = typeTraits(c.type);
        const int64_t rb = rowBytes(t, cols);
        slot.bytes.resize(static_cast<size_t>(n * rb));
        t.quantize(slot.in.data(), slot.bytes.data(), n, cols, useImportanceInQuantizer && t.usesImatrix ? importance : nullptr);
        t.toFloat(slot.bytes.data(), slot.q.data(), n * cols);
        for (int64_t b = 0; b < n * blocksPerRow; ++b)
            slot.steps[static_cast<size_t>(b)] = t.step(slot.bytes.data() + b * t.typeSize);
    } else {
        for (int64_t r = 0; r < n; ++r)
            rtnQuantizeRow(slot.in.data() + r * cols, cols, c.group.bits, c.group.groupSize, c.group.symmetric, slot.q.data() + r * cols,
                           slot.steps.data() + r * blocksPerRow);
    }
    err.add(slot.in.data(), slot.q.data(), n * cols, importance, cols);
    for (float s : slot.steps)
        err.stepSum += s;
    err.blocks += n * blocksPerRow;
    if (grid)
        grid->addRows(slot.in.data(), slot.q.data(), slot.steps.data(), r0, n, cols);
}

} // namespace

Result<AnalysisResults> analyzeModel(const Model &model, const AnalysisOptions &options, JobControl *control)
{
    std::vector<size_t> chosen;
    for (size_t i = 0; i < model.tensors().size(); ++i) {
        const ModelTensor &t = model.tensors()[i];
        const std::string gg = ggufNameOf(model, t);
        if (!options.tensors.empty()) {
            if (std::find(options.tensors.begin(), options.tensors.end(), t.name) == options.tensors.end() &&
                std::find(options.tensors.begin(), options.tensors.end(), gg) == options.tensors.end())
                continue;
        } else if (!allowsQuantization(gg, std::vector<int64_t>(t.shape.rbegin(), t.shape.rend()))) {
            continue;
        }
        if (!model.canRead(i))
            return makeError("cannot read " + t.dtype + " tensors as floats").forTensor(t.name);
        chosen.push_back(i);
    }
    if (chosen.empty())
        return makeError("no tensors to analyse");

    uint64_t total = 0;
    for (size_t i : chosen)
        total += static_cast<uint64_t>(model.tensors()[i].elements) * 8; // two passes over f32
    if (control)
        control->beginStage("analysing", total, ProgressUnit::Bytes);

    std::vector<Slot> slots(static_cast<size_t>(ThreadPool::effectiveThreads(options.threads)));
    const int T = static_cast<int>(slots.size());
    AnalysisResults results;
    results.candidates = options.candidates;

    for (size_t index : chosen) {
        const ModelTensor &t = model.tensors()[index];
        TensorAnalysis a;
        a.index = index;
        a.name = t.name;
        a.ggufName = ggufNameOf(model, t);
        a.role = t.role;
        a.layer = t.layer;
        a.shape = t.shape;
        a.rows = t.rows();
        a.cols = t.rowLength();
        const int64_t rows = a.rows, cols = a.cols;
        const float *importance = nullptr;
        if (options.imatrix) {
            auto w = options.imatrix->weights.find(a.ggufName);
            if (w == options.imatrix->weights.end()) // an importance matrix may name tensors the Hugging Face way
                w = options.imatrix->weights.find(t.name == a.ggufName ? t.otherName : t.name);
            if (w != options.imatrix->weights.end() && static_cast<int64_t>(w->second.size()) == cols) {
                importance = w->second.data();
                a.weighted = true;
            }
        }

        // pass 1: moments, range, rows and columns
        StatsPass1 p1;
        p1.init(rows, cols);
        const int64_t chunkRows = std::max<int64_t>(1, kChunkElements / cols);
        for (auto &s : slots) {
            s.p1 = StatsPass1();
            s.p1.init(0, cols);
        }
        auto st = forEachChunk(
            control, rows, chunkRows, T,
            [&](const ChunkRange &c) -> Status {
                Slot &s = slots[static_cast<size_t>(c.slot)];
                const int64_t n = c.end - c.begin;
                s.in.resize(static_cast<size_t>(n * cols));
                if (auto r = model.readRows(index, c.begin, n, s.in.data()); !r)
                    return Error(r.error()).forTensor(t.name);
                s.p1.addRows(s.in.data(), n, cols, p1.rowAbsMax.data() + c.begin, p1.rowL2.data() + c.begin);
                return okStatus();
            },
            [&](const ChunkRange &c) -> Status {
                if (control)
                    control->advance(static_cast<uint64_t>((c.end - c.begin) * cols) * 4, t.name);
                return okStatus();
            });
        if (!st)
            return st.error();
        for (auto &s : slots)
            p1.merge(s.p1);
        const double mean = p1.moments.mean, sigma = p1.moments.stddev();

        // pass 2: histograms and percentiles, and every candidate on the same rows. Chunks are whole pooled heatmap
        // rows, so each writes its own grid cells.
        a.candidates.resize(options.candidates.size());
        std::vector<ErrorGrid *> grids(options.candidates.size(), nullptr);
        for (size_t c = 0; c < options.candidates.size(); ++c) {
            CandidateResult &cr = a.candidates[c];
            cr.candidate = options.candidates[c];
            const int64_t bl = cr.candidate.blockLength(cols);
            if (bl == 0) {
                cr.applicable = false;
                cr.note = "rows of " + std::to_string(cols) + " do not divide into its blocks";
                continue;
            }
            if (cr.candidate.kind == QuantFormat::Kind::IntGroup && cr.candidate.group.method != IntGroupMethod::Rtn) {
                // GPTQ and AWQ choose their integers from calibration activations; weights alone give only RTN
                cr.applicable = false;
                cr.note = cr.candidate.name() + " needs calibration; measure the same storage as rtn:" +
                          std::to_string(cr.candidate.group.bits) + ":" + std::to_string(cr.candidate.group.groupSize);
                continue;
            }
            cr.bytes = cr.candidate.bytes(rows, cols);
            cr.bitsPerWeight = cr.candidate.bitsPerWeight(rows, cols);
            if (options.heatmaps) {
                cr.grid.init(rows, cols, bl);
                grids[c] = &cr.grid;
            }
        }
        ErrorGrid rowsOnly; // pooled-row geometry for chunking, whatever the candidates
        rowsOnly.rows = rows;
        rowsOnly.pooledRows = std::min(rows, ErrorGrid::kMaxCells);
        const int64_t pooledPerChunk = std::max<int64_t>(1, (chunkRows * rowsOnly.pooledRows + rows - 1) / rows);
        StatsPass2 p2;
        p2.init(p1);
        for (auto &s : slots) {
            s.p2 = StatsPass2();
            s.p2.init(p1);
            s.errors.assign(options.candidates.size(), ErrorStats());
        }
        std::vector<ErrorStats> errors(options.candidates.size());
        // chunks are runs of pooled heatmap rows; chunk [pa, pb) covers the weight rows [firstRow(pa), firstRow(pb))
        auto rowOf = [&](int64_t pooled) { return pooled >= rowsOnly.pooledRows ? rows : rowsOnly.firstRowOf(pooled); };
        st = forEachChunk(
            control, rowsOnly.pooledRows, pooledPerChunk, T,
            [&](const ChunkRange &c) -> Status {
                Slot &s = slots[static_cast<size_t>(c.slot)];
                const int64_t r0 = rowOf(c.begin), n = rowOf(c.end) - r0;
                if (n <= 0)
                    return okStatus();
                s.in.resize(static_cast<size_t>(n * cols));
                if (auto r = model.readRows(index, r0, n, s.in.data()); !r)
                    return Error(r.error()).forTensor(t.name);
                s.p2.addChunk(s.in.data(), n * cols, mean, sigma);
                for (size_t k = 0; k < options.candidates.size(); ++k)
                    if (a.candidates[k].applicable)
                        measure(options.candidates[k], importance, importance != nullptr, r0, n, cols, s, s.errors[k], grids[k]);
                return okStatus();
            },
            [&](const ChunkRange &c) -> Status {
                Slot &s = slots[static_cast<size_t>(c.slot)];
                p2.merge(s.p2);
                s.p2 = StatsPass2();
                s.p2.init(p1);
                for (size_t k = 0; k < errors.size(); ++k) {
                    errors[k].merge(s.errors[k]);
                    s.errors[k] = ErrorStats();
                }
                if (control)
                    control->advance(static_cast<uint64_t>((rowOf(c.end) - rowOf(c.begin)) * cols) * 4, t.name);
                return okStatus();
            });
        if (!st)
            return st.error();
        for (size_t c = 0; c < errors.size(); ++c) {
            a.candidates[c].errors = errors[c];
            if (grids[c])
                grids[c]->finish();
        }
        a.stats = TensorStatistics::from(p1, p2, cols);
        results.tensors.push_back(std::move(a));
    }
    return results;
}

} // namespace qs
