#include "engine/importance.h"

#include "jobs/thread_pool.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace qs {

namespace {

// Σx² per column, accumulated in double per (layer, role) and rounded once at the end; llama.cpp sums in float in
// its batch order, so the two agree to about 1e-6 relative.
class SquareSums : public LinearInputObserver {
public:
    explicit SquareSums(int threads) : m_threads(threads) {}
    void observe(int layer, TensorRole role, const float *x, int64_t rows, int64_t cols) override
    {
        Entry &e = m_entries[{layer, role}];
        if (e.sums.empty())
            e.sums.assign(static_cast<size_t>(cols), 0.0);
        // columns split across the pool: each thread owns a range of columns, so no locks and a fixed order
        const int t = ThreadPool::effectiveThreads(m_threads);
        const int64_t span = std::max<int64_t>(64, (cols + t - 1) / t);
        ThreadPool::shared().run(static_cast<int>((cols + span - 1) / span), [&](int part) {
            const int64_t c0 = part * span, c1 = std::min(cols, c0 + span);
            double *s = e.sums.data();
            for (int64_t r = 0; r < rows; ++r) {
                const float *row = x + r * cols;
                for (int64_t c = c0; c < c1; ++c)
                    s[c] += static_cast<double>(row[c]) * row[c];
            }
        }, t);
        e.rows += rows;
    }
    struct Entry {
        std::vector<double> sums;
        int64_t rows = 0;
    };
    std::map<std::pair<int, TensorRole>, Entry> m_entries;

private:
    int m_threads;
};

} // namespace

Result<ImportanceSums> collectImportance(const Transformer &model, const EvalWindows &w, const ImportanceOptions &options,
                                         JobControl *control)
{
    if (w.windows <= 0)
        return makeError("nothing to collect: no chunks of text");
    const int64_t C = w.context, H = model.hiddenSize();
    const int64_t ctxLimit = model.architecture().contextLength;
    if (ctxLimit > 0 && C > ctxLimit)
        return makeError("chunks of " + std::to_string(C) + " tokens are longer than the model's context of " + std::to_string(ctxLimit));
    setBlasThreads(options.threads);
    SquareSums sums(options.threads);
    const int64_t perPass = std::max<int64_t>(1, options.batchBytes / (C * H * 4));
    if (control)
        control->beginStage("collecting", static_cast<uint64_t>(w.windows * C), ProgressUnit::Tokens);
    std::vector<float> hidden;
    for (int64_t k0 = 0; k0 < w.windows; k0 += perPass) {
        const int64_t nk = std::min(perPass, w.windows - k0);
        hidden.resize(static_cast<size_t>(nk * C * H));
        if (auto st = model.embed(w.feed.data() + k0 * C, nk * C, hidden.data()); !st)
            return st.error();
        for (int l = 0; l < model.layers(); ++l) {
            if (auto st = model.runLayers(l, l + 1, hidden.data(), nk, C, control, &sums); !st)
                return st.error();
            if (control)
                control->advance(static_cast<uint64_t>(nk * C / std::max(1, model.layers())),
                                 "layer " + std::to_string(l + 1) + " of " + std::to_string(model.layers()));
        }
    }
    ImportanceSums out;
    out.chunks = w.windows;
    out.chunkSize = C;
    for (const auto &[key, e] : sums.m_entries) {
        const std::string name = "blk." + std::to_string(key.first) + "." + std::string(roleId(key.second)) + ".weight";
        std::vector<float> v(e.sums.size());
        std::transform(e.sums.begin(), e.sums.end(), v.begin(), [](double d) { return static_cast<float>(d); });
        out.sums[name] = std::move(v);
        out.counts[name] = e.rows;
    }
    return out;
}

} // namespace qs
