#include "engine/sensitivity.h"

#include "formats/ggml_type.h"
#include "jobs/thread_pool.h"
#include "model/gguf_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

float SensitivityResults::kldOf(const std::string &tensor, const QuantFormat &format) const
{
    const auto t = std::find(tensors.begin(), tensors.end(), tensor);
    const auto f = std::find(formats.begin(), formats.end(), format);
    if (t == tensors.end() || f == formats.end())
        return std::numeric_limits<float>::quiet_NaN();
    return kld[index(static_cast<size_t>(t - tensors.begin()), static_cast<size_t>(f - formats.begin()))];
}

namespace {

struct Candidate {
    size_t tensor;      // index into the model's tensors
    std::string name;   // GGUF name
    int layer;          // -1: the embedding (runs from layer 0), layers(): the output head only
};

bool formatFits(const QuantFormat &f, int64_t rowLength)
{
    switch (f.kind) {
    case QuantFormat::Kind::Keep:
        return true;
    case QuantFormat::Kind::Gguf: {
        const TypeTraits &t = typeTraits(f.type);
        return t.quantize && t.toFloat && rowBytes(t, rowLength) >= 0;
    }
    case QuantFormat::Kind::IntGroup:
        return f.group.method == IntGroupMethod::Rtn && f.group.groupLength(rowLength) > 0;
    }
    return false;
}

} // namespace

Result<SensitivityResults> measureSensitivity(const Transformer &base, const EvalWindows &w, const SensitivityOptions &options,
                                              JobControl *control)
{
    if (options.formats.empty())
        return makeError("no candidate formats to measure");
    if (w.windows <= 0)
        return makeError("no windows to measure on");
    const Model &model = base.weights().model();
    const int L = base.layers();
    const int64_t C = w.context, H = base.hiddenSize(), V = base.vocabSize(), S = w.windows;
    const size_t rows = static_cast<size_t>(S * C);
    // the residual streams entering every layer and leaving the last: (L + 1) x windows x context x hidden floats
    const double cacheBytes = static_cast<double>(L + 1) * static_cast<double>(rows) * static_cast<double>(H) * 4;
    if (cacheBytes > 4.0 * (1ull << 30))
        return makeError("keeping every layer's input for " + std::to_string(S) + " windows needs " +
                         std::to_string(static_cast<int64_t>(cacheBytes / (1 << 20))) + " MiB; measure on fewer windows");

    auto layout = ggufLayoutOf(model);
    if (!layout)
        return layout.error();
    sortForQuantize(*layout); // layer by layer, as a person reads the model
    std::vector<Candidate> cands;
    for (const GgufTensorLayout &t : *layout) {
        const ModelTensor &mt = model.tensors()[t.source];
        if (mt.shape.size() != 2)
            continue;
        if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), t.name) == options.only.end() &&
            std::find(options.only.begin(), options.only.end(), mt.name) == options.only.end())
            continue;
        int layer = mt.layer;
        if (mt.role == TensorRole::TokenEmbedding)
            layer = -1;
        else if (mt.role == TensorRole::Output)
            layer = L;
        else if (layer < 0)
            continue;
        cands.push_back({t.source, t.name, layer});
    }
    if (cands.empty())
        return makeError("none of the named tensors is a weight matrix of this model");
    // a tied embedding is also the head: quantizing it moves the input and the output at once
    const bool tied = !base.weights().find(TensorRole::Output, -1).has_value();

    setBlasThreads(options.threads);
    const uint64_t total = static_cast<uint64_t>(cands.size() * options.formats.size()) + 1;
    if (control)
        control->beginStage("measuring", total, ProgressUnit::Steps);
    std::vector<std::vector<float>> inputs(static_cast<size_t>(L + 1));
    inputs[0].resize(rows * static_cast<size_t>(H));
    if (auto st = base.embed(w.feed.data(), S * C, inputs[0].data()); !st)
        return st.error();
    for (int l = 0; l < L; ++l) {
        inputs[static_cast<size_t>(l + 1)] = inputs[static_cast<size_t>(l)];
        if (auto st = base.runLayers(l, l + 1, inputs[static_cast<size_t>(l + 1)].data(), S, C, control); !st)
            return st.error();
    }
    // the base's log-probabilities at the scored positions, kept when they fit in 512 MiB, else recomputed
    const int64_t scored = w.lastScored - w.firstScored;
    auto logitsOf = [&](const Transformer &t, const float *hidden, int64_t k, std::vector<float> &out) -> Status {
        out.resize(static_cast<size_t>(C * V));
        return t.logits(hidden + k * C * H, C, out.data());
    };
    const bool keepBase = static_cast<double>(S) * static_cast<double>(C) * static_cast<double>(V) * 4 <= 512.0 * (1 << 20);
    std::vector<std::vector<float>> baseLogits(keepBase ? static_cast<size_t>(S) : 0);
    for (int64_t k = 0; keepBase && k < S; ++k)
        if (auto st = logitsOf(base, inputs[static_cast<size_t>(L)].data(), k, baseLogits[static_cast<size_t>(k)]); !st)
            return st.error();
    if (control)
        control->advance(1, "the unquantized model");

    SensitivityResults res;
    res.formats = options.formats;
    res.windows = S;
    res.context = C;
    res.tokens = S * scored;
    for (const Candidate &c : cands)
        res.tensors.push_back(c.name);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    res.kld.assign(cands.size() * options.formats.size(), nan);
    res.top1 = res.kld;
    res.deltaNll = res.kld;

    std::vector<float> hidden, logits, baseTmp;
    for (size_t ci = 0; ci < cands.size(); ++ci) {
        const Candidate &c = cands[ci];
        const ModelTensor &mt = model.tensors()[c.tensor];
        for (size_t fi = 0; fi < options.formats.size(); ++fi) {
            if (control && control->cancelled())
                return cancelledError("the measurement stopped");
            const QuantFormat &f = options.formats[fi];
            if (formatFits(f, mt.rowLength())) {
                auto src = std::make_shared<WeightSource>(base.weights());
                const auto imp = options.importance.find(c.name);
                src->setTransform(c.tensor, {f, imp != options.importance.end() && f.kind == QuantFormat::Kind::Gguf ? imp->second : std::vector<float>{}});
                const Transformer t = base.withWeights(src);
                const int from = c.layer < 0 || (tied && c.layer == L) ? 0 : c.layer;
                if (from < L) {
                    if (c.layer < 0 || (tied && c.layer == L)) {
                        hidden.resize(rows * static_cast<size_t>(H));
                        if (auto st = t.embed(w.feed.data(), S * C, hidden.data()); !st)
                            return st.error();
                    } else {
                        hidden = inputs[static_cast<size_t>(from)];
                    }
                    if (auto st = t.runLayers(from, L, hidden.data(), S, C, control); !st)
                        return st.error();
                }
                const float *last = from < L ? hidden.data() : inputs[static_cast<size_t>(L)].data();
                double kld = 0, dnll = 0;
                int64_t same = 0;
                for (int64_t k = 0; k < S; ++k) {
                    if (auto st = logitsOf(t, last, k, logits); !st)
                        return st.error();
                    const std::vector<float> *b = keepBase ? &baseLogits[static_cast<size_t>(k)] : &baseTmp;
                    if (!keepBase)
                        if (auto st = logitsOf(base, inputs[static_cast<size_t>(L)].data(), k, baseTmp); !st)
                            return st.error();
                    std::vector<double> kl(static_cast<size_t>(scored)), dn(static_cast<size_t>(scored));
                    std::vector<char> top(static_cast<size_t>(scored));
                    ThreadPool::shared().run(static_cast<int>(scored), [&](int i) {
                        const int64_t p = w.firstScored + i;
                        const RowScore sc = scoreRow(logits.data() + p * V, b->data() + p * V, V, w.next[static_cast<size_t>(k * C + p)]);
                        kl[static_cast<size_t>(i)] = sc.kld;
                        dn[static_cast<size_t>(i)] = sc.nll - sc.nllBase;
                        top[static_cast<size_t>(i)] = sc.sameTop;
                    }, ThreadPool::effectiveThreads(options.threads));
                    for (int64_t i = 0; i < scored; ++i) { // in position order: the sums never depend on the threads
                        kld += kl[static_cast<size_t>(i)];
                        dnll += dn[static_cast<size_t>(i)];
                        same += top[static_cast<size_t>(i)];
                    }
                }
                const double n = static_cast<double>(res.tokens);
                res.kld[res.index(ci, fi)] = static_cast<float>(kld / n);
                res.top1[res.index(ci, fi)] = static_cast<float>(static_cast<double>(same) / n);
                res.deltaNll[res.index(ci, fi)] = static_cast<float>(dnll / n);
            }
            if (control)
                control->advance(1, c.name + " as " + f.id());
        }
    }
    return res;
}

} // namespace qs
