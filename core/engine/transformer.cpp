#include "engine/transformer.h"

#include "jobs/thread_pool.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

// Row slices go to the shared pool, each a single-threaded sgemm: one pool runs everything, so OpenBLAS' own threads
// never spin against ours.
void linearForward(const float *x, int64_t rows, int64_t in, const float *w, int64_t out, float *y, int threads, const float *bias)
{
    const int t = ThreadPool::effectiveThreads(threads);
    const int64_t slice = std::max<int64_t>(16, (rows + t - 1) / t);
    const int64_t slices = (rows + slice - 1) / slice;
    ThreadPool::shared().run(static_cast<int>(slices), [&](int i) {
        const int64_t r0 = i * slice, n = std::min(slice, rows - r0);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(out), static_cast<int>(in), 1.0f,
                    x + r0 * in, static_cast<int>(in), w, static_cast<int>(in), 0.0f, y + r0 * out, static_cast<int>(out));
        if (bias)
            for (int64_t r = r0; r < r0 + n; ++r)
                for (int64_t o = 0; o < out; ++o)
                    y[r * out + o] += bias[o];
    }, t);
}

namespace {

void linear(const float *x, int64_t rows, int64_t in, const float *w, int64_t out, float *y, int threads, const float *bias = nullptr)
{
    linearForward(x, rows, in, w, out, y, threads, bias);
}

// transformers LlamaRMSNorm: x * rsqrt(mean(x^2) + eps), then times the weight
void rmsNorm(const float *x, float *y, int64_t n, const float *w, float eps)
{
    double ss = 0;
    for (int64_t i = 0; i < n; ++i)
        ss += static_cast<double>(x[i]) * x[i];
    const float scale = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(n)) + eps);
    for (int64_t i = 0; i < n; ++i)
        y[i] = w[i] * (x[i] * scale);
}

void parallelRows(int64_t rows, int threads, const std::function<void(int64_t, int64_t)> &fn)
{
    const int t = ThreadPool::effectiveThreads(threads);
    const int64_t chunk = std::max<int64_t>(1, (rows + 4 * t - 1) / (4 * t));
    const int64_t chunks = (rows + chunk - 1) / chunk;
    ThreadPool::shared().run(static_cast<int>(chunks), [&](int c) {
        const int64_t r0 = c * chunk;
        fn(r0, std::min(rows, r0 + chunk));
    }, t);
}

} // namespace

void setBlasThreads(int) { openblas_set_num_threads(1); }

Result<Transformer> Transformer::create(std::shared_ptr<const WeightSource> weights, int threads)
{
    Transformer t;
    t.m_weights = std::move(weights);
    t.m_threads = threads;
    const Model &m = t.m_weights->model();
    t.m_arch = m.architecture();
    const Architecture &a = t.m_arch;
    if (!isSupportedArchitecture(a.name))
        return makeError("cannot evaluate architecture \"" + a.name + "\" (" + kSupportedArchitectures + " can be)").inFile(m.path());
    if (a.layers <= 0 || a.hiddenSize <= 0 || a.heads <= 0 || a.kvHeads <= 0 || a.headDim <= 0 || a.heads % a.kvHeads != 0)
        return makeError("the model's shape (layers, hidden size, heads, kv heads, head dim) is incomplete").inFile(m.path());
    auto need = [&](TensorRole role, int layer, bool bias = false) -> Result<size_t> {
        if (auto i = t.m_weights->find(role, layer, bias))
            return *i;
        return makeError(std::string("the model has no ") + std::string(roleDescription(role)) + (bias ? " bias" : "") +
                         (layer >= 0 ? " in layer " + std::to_string(layer) : std::string()))
            .inFile(m.path());
    };
    auto emb = need(TensorRole::TokenEmbedding, -1);
    auto norm = need(TensorRole::OutputNorm, -1);
    if (!emb)
        return emb.error();
    if (!norm)
        return norm.error();
    t.m_embedding = *emb;
    t.m_outputNorm = *norm;
    const auto out = t.m_weights->find(TensorRole::Output, -1);
    t.m_output = out ? *out : t.m_embedding;
    const ModelTensor &e = m.tensors()[t.m_embedding];
    if (e.shape.size() != 2 || e.shape[1] != a.hiddenSize)
        return makeError("the token embedding is not [vocab, " + std::to_string(a.hiddenSize) + "]").forTensor(e.name).inFile(m.path());
    t.m_vocab = m.tensors()[t.m_output].rows();
    t.m_qkNorm = t.m_weights->find(TensorRole::AttnQNorm, 0).has_value();
    t.m_qkvBias = t.m_weights->find(TensorRole::AttnQ, 0, true).has_value();
    const int64_t qDim = a.heads * a.headDim, kvDim = a.kvHeads * a.headDim;
    for (int l = 0; l < a.layers; ++l) {
        struct Want { TensorRole role; int64_t rows, cols; };
        const Want wants[] = {{TensorRole::AttnQ, qDim, a.hiddenSize}, {TensorRole::AttnK, kvDim, a.hiddenSize},
                              {TensorRole::AttnV, kvDim, a.hiddenSize}, {TensorRole::AttnOutput, a.hiddenSize, qDim},
                              {TensorRole::FfnGate, a.intermediateSize, a.hiddenSize}, {TensorRole::FfnUp, a.intermediateSize, a.hiddenSize},
                              {TensorRole::FfnDown, a.hiddenSize, a.intermediateSize}};
        for (const Want &w : wants) {
            auto i = need(w.role, l);
            if (!i)
                return i.error();
            const ModelTensor &mt = m.tensors()[*i];
            if (mt.shape.size() != 2 || mt.shape[0] != w.rows || mt.shape[1] != w.cols)
                return makeError("shape is not [" + std::to_string(w.rows) + ", " + std::to_string(w.cols) + "] as the config says")
                    .forTensor(mt.name)
                    .inFile(m.path());
            if (!m.canRead(*i))
                return makeError("cannot read " + mt.dtype + " tensors").forTensor(mt.name).inFile(m.path());
        }
        for (TensorRole r : {TensorRole::AttnNorm, TensorRole::FfnNorm})
            if (auto i = need(r, l); !i)
                return i.error();
    }
    std::vector<float> freqFactors;
    if (auto f = t.m_weights->find(TensorRole::RopeFreqs, -1)) { // llama.cpp stores llama3 scaling as rope_freqs
        auto v = t.m_weights->readAll(*f);
        if (!v)
            return v.error();
        freqFactors = std::move(*v);
    }
    auto rope = RopeTable::make(a, freqFactors);
    if (!rope)
        return Error(rope.error()).inFile(m.path());
    t.m_rope = std::move(*rope);
    return t;
}

Transformer Transformer::withWeights(std::shared_ptr<const WeightSource> weights) const
{
    Transformer t = *this;
    t.m_weights = std::move(weights);
    return t;
}

Status Transformer::embed(const int32_t *ids, int64_t n, float *hidden) const
{
    const int64_t h = m_arch.hiddenSize;
    const int64_t vocab = m_weights->model().tensors()[m_embedding].rows();
    for (int64_t i = 0; i < n; ++i) {
        if (ids[i] < 0 || ids[i] >= vocab)
            return makeError("token id " + std::to_string(ids[i]) + " is outside the embedding's " + std::to_string(vocab) + " rows");
        if (auto st = m_weights->read(m_embedding, ids[i], 1, hidden + i * h, 1); !st)
            return st;
    }
    return okStatus();
}

Result<Transformer::LayerWeights> Transformer::loadLayer(int layer) const
{
    LayerWeights w;
    struct Slot { TensorRole role; bool bias; std::vector<float> *dst; bool optional; };
    const Slot slots[] = {
        {TensorRole::AttnNorm, false, &w.attnNorm, false}, {TensorRole::AttnQ, false, &w.wq, false},
        {TensorRole::AttnK, false, &w.wk, false},          {TensorRole::AttnV, false, &w.wv, false},
        {TensorRole::AttnOutput, false, &w.wo, false},     {TensorRole::AttnQ, true, &w.bq, !m_qkvBias},
        {TensorRole::AttnK, true, &w.bk, !m_qkvBias},      {TensorRole::AttnV, true, &w.bv, !m_qkvBias},
        {TensorRole::AttnQNorm, false, &w.qNorm, !m_qkNorm}, {TensorRole::AttnKNorm, false, &w.kNorm, !m_qkNorm},
        {TensorRole::FfnNorm, false, &w.ffnNorm, false},   {TensorRole::FfnGate, false, &w.gate, false},
        {TensorRole::FfnUp, false, &w.up, false},          {TensorRole::FfnDown, false, &w.down, false},
    };
    for (const Slot &s : slots) {
        const auto i = m_weights->find(s.role, layer, s.bias);
        if (!i) {
            if (s.optional)
                continue;
            return makeError(std::string("layer ") + std::to_string(layer) + " has no " + std::string(roleDescription(s.role)) +
                             (s.bias ? " bias" : ""));
        }
        auto v = m_weights->readAll(*i, m_threads);
        if (!v)
            return v.error();
        *s.dst = std::move(*v);
    }
    const int64_t hd = m_arch.headDim;
    if ((!w.qNorm.empty() && static_cast<int64_t>(w.qNorm.size()) != hd) || (!w.kNorm.empty() && static_cast<int64_t>(w.kNorm.size()) != hd))
        return makeError("layer " + std::to_string(layer) + ": q/k norms do not have head_dim values");
    return w;
}

void Transformer::attention(const LayerWeights &, const float *q, const float *k, const float *v, float *out,
                            int64_t sequences, int64_t length) const
{
    const int64_t heads = m_arch.heads, kvHeads = m_arch.kvHeads, hd = m_arch.headDim;
    const int64_t ldq = heads * hd, ldk = kvHeads * hd, group = heads / kvHeads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    const int64_t window = m_arch.name == "mistral" && m_arch.slidingWindow > 0 ? m_arch.slidingWindow : 0;
    // Causal: queries in blocks of 64 look only at the keys up to their block's end, which halves the work of a
    // full score matrix. One (sequence, head) per task, single-threaded sgemm inside.
    constexpr int64_t kBlock = 64;
    ThreadPool::shared().run(static_cast<int>(sequences * heads), [&](int task) {
        const int64_t s = task / heads, h = task % heads;
        thread_local std::vector<float> scores;
        scores.resize(static_cast<size_t>(kBlock * length));
        const float *qh = q + s * length * ldq + h * hd;
        const float *kh = k + s * length * ldk + (h / group) * hd;
        const float *vh = v + s * length * ldk + (h / group) * hd;
        float *oh = out + s * length * ldq + h * hd;
        for (int64_t q0 = 0; q0 < length; q0 += kBlock) {
            const int64_t nq = std::min(kBlock, length - q0);
            const int64_t k0 = window > 0 ? std::max<int64_t>(0, q0 - window + 1) : 0, nk = q0 + nq - k0;
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(nq), static_cast<int>(nk), static_cast<int>(hd), scale,
                        qh + q0 * ldq, static_cast<int>(ldq), kh + k0 * ldk, static_cast<int>(ldk), 0.0f, scores.data(), static_cast<int>(nk));
            // causal softmax in fp32, as transformers' eager attention (the mask adds -inf above the diagonal)
            for (int64_t r = 0; r < nq; ++r) {
                const int64_t i = q0 + r;
                float *row = scores.data() + r * nk;
                const int64_t j0 = (window > 0 ? std::max<int64_t>(0, i - window + 1) : 0) - k0, j1 = i - k0; // inclusive
                float mx = -std::numeric_limits<float>::infinity();
                for (int64_t j = j0; j <= j1; ++j)
                    mx = std::max(mx, row[j]);
                float sum = 0;
                for (int64_t j = j0; j <= j1; ++j) {
                    row[j] = std::exp(row[j] - mx);
                    sum += row[j];
                }
                const float inv = 1.0f / sum;
                for (int64_t j = 0; j < nk; ++j)
                    row[j] = j >= j0 && j <= j1 ? row[j] * inv : 0.0f;
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(nq), static_cast<int>(hd), static_cast<int>(nk), 1.0f,
                        scores.data(), static_cast<int>(nk), vh + k0 * ldk, static_cast<int>(ldk), 0.0f, oh + q0 * ldq, static_cast<int>(ldq));
        }
    }, ThreadPool::effectiveThreads(m_threads));
}

void Transformer::normRows(const float *x, int64_t rows, const std::vector<float> &w, float *xn) const
{
    const int64_t H = m_arch.hiddenSize;
    const float eps = static_cast<float>(m_arch.normEpsilon);
    parallelRows(rows, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r)
            rmsNorm(x + r * H, xn + r * H, H, w.data(), eps);
    });
}

void Transformer::attentionCore(const LayerWeights &w, const float *xn, int64_t seqs, int64_t length, const float *cosTab,
                                const float *sinTab, float *q, float *k, float *v, float *att) const
{
    const Architecture &a = m_arch;
    const int64_t H = a.hiddenSize, hd = a.headDim, qDim = a.heads * hd, kvDim = a.kvHeads * hd, rows = seqs * length;
    const float eps = static_cast<float>(a.normEpsilon);
    linear(xn, rows, H, w.wq.data(), qDim, q, m_threads, w.bq.empty() ? nullptr : w.bq.data());
    linear(xn, rows, H, w.wk.data(), kvDim, k, m_threads, w.bk.empty() ? nullptr : w.bk.data());
    linear(xn, rows, H, w.wv.data(), kvDim, v, m_threads, w.bv.empty() ? nullptr : w.bv.data());
    parallelRows(rows, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            if (!w.qNorm.empty()) { // qwen3: RMSNorm over each head's dimensions, before the rotation
                for (int64_t h = 0; h < a.heads; ++h)
                    rmsNorm(q + r * qDim + h * hd, q + r * qDim + h * hd, hd, w.qNorm.data(), eps);
                for (int64_t h = 0; h < a.kvHeads; ++h)
                    rmsNorm(k + r * kvDim + h * hd, k + r * kvDim + h * hd, hd, w.kNorm.data(), eps);
            }
            const int64_t pos = r % length;
            applyRope(q + r * qDim, 1, a.heads, hd, qDim, cosTab, sinTab, pos);
            applyRope(k + r * kvDim, 1, a.kvHeads, hd, kvDim, cosTab, sinTab, pos);
        }
    });
    attention(w, q, k, v, att, seqs, length);
}

void Transformer::swiglu(const LayerWeights &w, const float *xn, int64_t rows, float *g, float *u) const
{
    const int64_t H = m_arch.hiddenSize, F = m_arch.intermediateSize;
    linear(xn, rows, H, w.gate.data(), F, g, m_threads);
    linear(xn, rows, H, w.up.data(), F, u, m_threads);
    parallelRows(rows, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0 * F; i < r1 * F; ++i) {
            const float gi = g[i];
            g[i] = gi / (1.0f + std::exp(-gi)) * u[i];
        }
    });
}

void Transformer::attentionBlock(const LayerWeights &w, const float *xn, int64_t sequences, int64_t length, float *out,
                                 float *oInput) const
{
    const int64_t H = m_arch.hiddenSize, qDim = m_arch.heads * m_arch.headDim, kvDim = m_arch.kvHeads * m_arch.headDim;
    const size_t rows = static_cast<size_t>(sequences * length);
    std::vector<float> cosTab, sinTab;
    m_rope.angles(length, cosTab, sinTab);
    std::vector<float> q(rows * qDim), k(rows * kvDim), v(rows * kvDim), attLocal(oInput ? 0 : rows * qDim);
    float *att = oInput ? oInput : attLocal.data();
    attentionCore(w, xn, sequences, length, cosTab.data(), sinTab.data(), q.data(), k.data(), v.data(), att);
    linear(att, static_cast<int64_t>(rows), qDim, w.wo.data(), H, out, m_threads);
}

void Transformer::mlpBlock(const LayerWeights &w, const float *xn, int64_t rows, float *out, float *downInput) const
{
    const int64_t H = m_arch.hiddenSize, F = m_arch.intermediateSize;
    std::vector<float> gLocal(downInput ? 0 : static_cast<size_t>(rows * F)), u(static_cast<size_t>(rows * F));
    float *g = downInput ? downInput : gLocal.data();
    swiglu(w, xn, rows, g, u.data());
    linear(g, rows, F, w.down.data(), H, out, m_threads);
}

Status Transformer::runLayers(int first, int last, float *hidden, int64_t sequences, int64_t length, JobControl *control,
                              LinearInputObserver *observer) const
{
    const Architecture &a = m_arch;
    const int64_t H = a.hiddenSize, hd = a.headDim, qDim = a.heads * hd, kvDim = a.kvHeads * hd, F = a.intermediateSize;
    std::vector<float> cosTab, sinTab;
    m_rope.angles(length, cosTab, sinTab);
    // sequences go through a layer in groups of about 4096 rows, which bounds the activations whatever the batch
    const int64_t perGroup = std::max<int64_t>(1, 4096 / std::max<int64_t>(1, length));
    // one workspace for every group and layer of this call: allocating per group faults fresh pages each time
    const size_t maxRows = static_cast<size_t>(std::min(perGroup, sequences) * length);
    std::vector<float> xn(maxRows * H), q(maxRows * qDim), k(maxRows * kvDim), v(maxRows * kvDim), att(maxRows * qDim),
        o(maxRows * H), g(maxRows * F), u(maxRows * F);
    for (int l = first; l < last; ++l) {
        if (control && control->cancelled())
            return cancelledError("the evaluation stopped");
        auto lw = loadLayer(l);
        if (!lw)
            return Error(lw.error()).inFile(m_weights->model().path());
        const LayerWeights &w = *lw;
        for (int64_t s0 = 0; s0 < sequences; s0 += perGroup) {
            if (control && control->cancelled())
                return cancelledError("the evaluation stopped");
            const int64_t seqs = std::min(perGroup, sequences - s0), rows = seqs * length;
            float *x = hidden + s0 * length * H;
            normRows(x, rows, w.attnNorm, xn.data());
            if (observer) {
                observer->observe(l, TensorRole::AttnQ, xn.data(), rows, H);
                observer->observe(l, TensorRole::AttnK, xn.data(), rows, H);
                observer->observe(l, TensorRole::AttnV, xn.data(), rows, H);
                if (observer->stopHere())
                    continue;
            }
            attentionCore(w, xn.data(), seqs, length, cosTab.data(), sinTab.data(), q.data(), k.data(), v.data(), att.data());
            if (observer) {
                observer->observe(l, TensorRole::AttnOutput, att.data(), rows, qDim);
                if (observer->stopHere())
                    continue;
            }
            linear(att.data(), rows, qDim, w.wo.data(), H, o.data(), m_threads);
            for (int64_t i = 0; i < rows * H; ++i)
                x[i] += o[static_cast<size_t>(i)];
            normRows(x, rows, w.ffnNorm, xn.data());
            if (observer) {
                observer->observe(l, TensorRole::FfnGate, xn.data(), rows, H);
                observer->observe(l, TensorRole::FfnUp, xn.data(), rows, H);
                if (observer->stopHere())
                    continue;
            }
            swiglu(w, xn.data(), rows, g.data(), u.data());
            if (observer) {
                observer->observe(l, TensorRole::FfnDown, g.data(), rows, F);
                if (observer->stopHere())
                    continue;
            }
            linear(g.data(), rows, F, w.down.data(), H, o.data(), m_threads);
            for (int64_t i = 0; i < rows * H; ++i)
                x[i] += o[static_cast<size_t>(i)];
        }
    }
    return okStatus();
}

Status Transformer::logits(const float *hidden, int64_t n, float *out) const
{
    const int64_t H = m_arch.hiddenSize, V = m_vocab;
    auto normW = m_weights->readAll(m_outputNorm);
    if (!normW)
        return normW.error();
    std::vector<float> xn(static_cast<size_t>(n * H));
    parallelRows(n, m_threads, [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r)
            rmsNorm(hidden + r * H, xn.data() + r * H, H, normW->data(), static_cast<float>(m_arch.normEpsilon));
    });
    // the head in slices of vocabulary rows (~64 MiB of f32 each): a 152k x 8192 head is never converted whole
    const int64_t slice = std::max<int64_t>(1, (int64_t(16) << 20) / H);
    std::vector<float> w;
    for (int64_t v0 = 0; v0 < V; v0 += slice) {
        const int64_t nv = std::min(slice, V - v0);
        w.resize(static_cast<size_t>(nv * H));
        if (auto st = m_weights->read(m_output, v0, nv, w.data(), m_threads); !st)
            return st;
        const int t = ThreadPool::effectiveThreads(m_threads);
        const int64_t rs = std::max<int64_t>(16, (n + t - 1) / t);
        ThreadPool::shared().run(static_cast<int>((n + rs - 1) / rs), [&](int i) {
            const int64_t r0 = i * rs, nr = std::min(rs, n - r0);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(nr), static_cast<int>(nv), static_cast<int>(H), 1.0f,
                        xn.data() + r0 * H, static_cast<int>(H), w.data(), static_cast<int>(H), 0.0f, out + r0 * V + v0, static_cast<int>(V));
        }, t);
    }
    return okStatus();
}

} // namespace qs
