#include "pipeline/awq_quantize.h"

#include "calibration/activation_buffer.h"
#include "calibration/hessian.h"
#include "calibration/layer_resume.h"
#include "engine/transformer.h"
#include "formats/float_conv.h"
#include "jobs/thread_pool.h"
#include "solvers/awq.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>

namespace qs {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kClipTokens = 512;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// mean over tokens and outputs of (X D^T)^2 from the Hessian H = 2/N X^T X: trace(D H D^T) / (2 * rows). A Linear's
// output error is linear in its weight error, so a candidate costs rows x cols^2 instead of N x rows x cols.
double linearLoss(const float *delta, int64_t rows, int64_t cols, const std::vector<float> &h, int threads)
{
    std::vector<float> dh(static_cast<size_t>(rows * cols));
    linearForward(delta, rows, cols, h.data(), cols, dh.data(), threads); // D H^T = D H
    double sum = 0;
    for (size_t i = 0; i < dh.size(); ++i)
        sum += static_cast<double>(dh[i]) * delta[i];
    return sum / (2.0 * static_cast<double>(rows));
}

void scaleColumns(std::vector<float> &w, int64_t cols, const std::vector<float> &s)
{
    for (size_t i = 0; i < w.size(); ++i)
        w[i] *= s[i % static_cast<size_t>(cols)];
}

void divideColumns(std::vector<float> &x, int64_t cols, const std::vector<float> &s)
{
    for (size_t i = 0; i < x.size(); ++i)
        x[i] /= s[i % static_cast<size_t>(cols)];
}

// what converting to a 16-bit source dtype and back does to the values (F32 and others: nothing)
void roundToDtype(std::vector<float> &v, const std::string &dtype)
{
    if (dtype == "BF16")
        for (float &x : v)
            x = bf16ToFloat(floatToBf16(x));
    else if (dtype == "F16")
        for (float &x : v)
            x = fp16ToFloat(floatToFp16(x));
}

struct Picked {
    int grid = AwqLayerChoice::kSkipped;
    std::vector<float> scales; // empty: not scaled
};

// mean |x| per channel, summed in double over the tokens in order: chunk by chunk it equals awqActivationMean over
// all tokens at once, without keeping them
struct AbsMean {
    std::vector<double> sum;
    int64_t tokens = 0;
    explicit AbsMean(int64_t cols) : sum(static_cast<size_t>(cols), 0.0) {}
    void add(const float *x, int64_t rows)
    {
        const size_t cols = sum.size();
        for (int64_t t = 0; t < rows; ++t)
            for (size_t c = 0; c < cols; ++c)
                sum[c] += std::fabs(x[static_cast<size_t>(t) * cols + c]);
        tokens += rows;
    }
    std::vector<float> mean() const
    {
        std::vector<float> m(sum.size());
        for (size_t c = 0; c < sum.size(); ++c)
            m[c] = static_cast<float>(sum[c] / static_cast<double>(std::max<int64_t>(1, tokens)));
        return m;
    }
};

// the rows the clip search samples (AutoAWQ: input_feat[:, ::max(1, N // 512)]), so each result scales only these
struct SampledInputs {
    std::vector<float> attn, o, mlp, down;
};

std::vector<float> sampleRows(const ActivationBuffer &x, int64_t n, int64_t cols)
{
    const int64_t step = std::max<int64_t>(1, n / kClipTokens);
    std::vector<float> out;
    for (int64_t t = 0; t < n; t += step)
        out.insert(out.end(), x.data() + t * cols, x.data() + (t + 1) * cols);
    return out;
}

// the same sample taken from rows [first, first + rows) of n, appended to `out`
void sampleRowsOf(const float *x, int64_t first, int64_t rows, int64_t n, int64_t cols, std::vector<float> &out)
{
    const int64_t step = std::max<int64_t>(1, n / kClipTokens);
    for (int64_t t = (first + step - 1) / step * step; t < first + rows; t += step)
        out.insert(out.end(), x + (t - first) * cols, x + (t - first + 1) * cols);
}

// What one layer produced: its quantized Linears, its folded norms and the scales its Linears' inputs were multiplied
// by, all by tensor name.
struct LayerOutput {
    std::map<std::string, GroupQuantizedTensor> tensors;
    std::map<std::string, std::vector<float>> norms, inputScales;
    std::map<std::string, TensorScales> folded; // GGUF targets: the scales only
};

// Puts a layer's output into the result: the evaluation from here on sees what the checkpoint will hold (the codes
// with fp16 scales, the norms in the source dtype).
Status install(const Model &model, LayerOutput &&lo, AwqResult &dst)
{
    for (auto &[name, q] : lo.tensors) {
        const auto idx = model.findTensor(name);
        if (!idx || model.tensors()[*idx].rows() != q.rows || model.tensors()[*idx].rowLength() != q.cols)
            return makeError("the model has no tensor of this shape").forTensor(name);
        auto shared = std::make_shared<const GroupQuantizedTensor>(q);
        if (dst.weights)
            dst.weights->setOverride(*idx, [shared](int64_t first, int64_t n, float *rowsOut) -> Status {
                shared->dequantizeRows(first, n, rowsOut, true);
                return okStatus();
            });
        dst.tensors[name] = std::move(q);
    }
    for (auto &[name, norm] : lo.norms) {
        const auto idx = model.findTensor(name);
        if (!idx || model.tensors()[*idx].elements != static_cast<int64_t>(norm.size()))
            return makeError("the model has no norm of this size").forTensor(name);
        auto v = std::make_shared<std::vector<float>>(norm);
        if (dst.weights)
            dst.weights->setOverride(*idx, [v](int64_t, int64_t, float *out) -> Status {
                std::copy(v->begin(), v->end(), out);
                return okStatus();
            });
        dst.norms[name] = std::move(norm);
    }
    for (auto &[name, s] : lo.inputScales) {
        const auto idx = model.findTensor(name);
        if (!idx || model.tensors()[*idx].rowLength() != static_cast<int64_t>(s.size()))
            return makeError("the model has no Linear with this many inputs").forTensor(name);
        dst.inputScales[name] = std::move(s);
    }
    for (auto &[name, sc] : lo.folded) {
        const auto idx = model.findTensor(name);
        if (!idx)
            return makeError("the model has no tensor by this name").forTensor(name);
        const ModelTensor &mt = model.tensors()[*idx];
        const bool vector = mt.shape.size() < 2;
        if (auto st = applyTensorScales(sc, vector ? 1 : mt.rows(), vector ? mt.elements : mt.rowLength(), 0, 0, nullptr); !st)
            return Error(st.error()).forTensor(name);
        dst.folded[name] = std::move(sc);
    }
    return okStatus();
}

// Q(W s) / s in a GGUF type, with the importance weights of the scaled inputs (x / s: importance / s^2), row chunks
// over the pool.
void ggufScaledFakeQuant(const float *w, int64_t rows, int64_t cols, const std::vector<float> &s, const AwqOptions::GgufTarget &target,
                         float *out, int threads)
{
    const TypeTraits &t = typeTraits(target.type);
    std::vector<float> importance;
    if (!target.importance.empty() && t.usesImatrix) {
        importance.resize(static_cast<size_t>(cols));
        for (int64_t c = 0; c < cols; ++c)
            importance[static_cast<size_t>(c)] = target.importance[static_cast<size_t>(c)] / (s[static_cast<size_t>(c)] * s[static_cast<size_t>(c)]);
    }
    const int64_t rb = rowBytes(t, cols), chunk = 16, chunks = (rows + chunk - 1) / chunk;
    ThreadPool::shared().run(
        static_cast<int>(chunks),
        [&](int ci) {
            std::vector<uint8_t> bytes(static_cast<size_t>(rb));
            for (int64_t r = ci * chunk; r < std::min(rows, (ci + 1) * chunk); ++r) {
                float *o = out + r * cols;
                for (int64_t c = 0; c < cols; ++c)
                    o[c] = w[r * cols + c] * s[static_cast<size_t>(c)];
                t.quantize(o, bytes.data(), 1, cols, importance.empty() ? nullptr : importance.data());
                t.toFloat(bytes.data(), o, cols);
                for (int64_t c = 0; c < cols; ++c)
                    o[c] /= s[static_cast<size_t>(c)];
            }
        },
        ThreadPool::effectiveThreads(threads));
}

bool identityScales(const std::vector<float> &s)
{
    return std::all_of(s.begin(), s.end(), [](float v) { return v == 1.0f; });
}

// The scales a GGUF target folds for one layer's choices, by model tensor name (AutoAWQ's apply_scale as multipliers:
// the Linears' columns times s, the norm or Linear before them divided by s).
Result<std::map<std::string, TensorScales>> foldedScales(const Model &model, const WeightSource &plain, int l, const std::array<Picked, 4> &p)
{
    std::map<std::string, TensorScales> out;
    auto nameOf = [&](TensorRole role) -> Result<std::string> {
        const auto idx = plain.find(role, l);
        if (!idx)
            return makeError("layer " + std::to_string(l) + " has no " + std::string(roleDescription(role)));
        return model.tensors()[*idx].name;
    };
    auto inverse = [](const std::vector<float> &s) {
        std::vector<float> r(s.size());
        for (size_t i = 0; i < s.size(); ++i)
            r[i] = 1.0f / s[i];
        return r;
    };
    struct Group { const std::vector<float> *s; std::vector<TensorRole> linears; TensorRole before; bool beforeIsNorm; };
    const Group groups[] = {{&p[0].scales, {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV}, TensorRole::AttnNorm, true},
                            {&p[1].scales, {TensorRole::AttnOutput}, TensorRole::AttnV, false},
                            {&p[2].scales, {TensorRole::FfnGate, TensorRole::FfnUp}, TensorRole::FfnNorm, true},
                            {&p[3].scales, {TensorRole::FfnDown}, TensorRole::FfnUp, false}};
    for (const Group &g : groups) {
        if (g.s->empty() || identityScales(*g.s))
            continue;
        for (TensorRole r : g.linears) {
            auto n = nameOf(r);
            if (!n)
                return n.error();
            out[*n].column = *g.s;
        }
        auto before = nameOf(g.before);
        if (!before)
            return before.error();
        (g.beforeIsNorm ? out[*before].column : out[*before].row) = inverse(*g.s);
        if (!g.beforeIsNorm) // scale_fc_fc: the previous Linear's bias, one value per row, goes with its rows
            if (const auto bias = plain.find(g.before, l, true))
                out[model.tensors()[*bias].name].column = inverse(*g.s);
    }
    return out;
}

// Whether a saved layer output belongs to this model: its seven Linears and two norms, each in the model's shape.
bool fitsModel(const Model &model, const LayerOutput &lo)
{
    if (lo.tensors.size() != 7 || lo.norms.size() < 2 || lo.norms.size() > 3) // two norms, and v's bias when o was scaled
        return false;
    for (const auto &[name, q] : lo.tensors) {
        const auto idx = model.findTensor(name);
        if (!idx || model.tensors()[*idx].rows() != q.rows || model.tensors()[*idx].rowLength() != q.cols)
            return false;
    }
    for (const auto &[name, norm] : lo.norms) {
        const auto idx = model.findTensor(name);
        if (!idx || model.tensors()[*idx].elements != static_cast<int64_t>(norm.size()))
            return false;
    }
    for (const auto &[name, sc] : lo.inputScales) {
        const auto idx = model.findTensor(name);
        if (!idx || model.tensors()[*idx].rowLength() != static_cast<int64_t>(sc.size()))
            return false;
    }
    return true;
}

// --- the resume record of a layer: its choice, its output, and the same for the identity variant when kept -------

void putChoice(ResumeRecord &r, const AwqLayerChoice &c)
{
    r.put(std::vector<int64_t>{c.layer, c.qkv, c.vo, c.gateUp, c.down});
    for (const auto *v : {&c.lossQkv, &c.lossVo, &c.lossGateUp, &c.lossDown})
        r.put(*v);
}

bool getChoice(ResumeReader &r, AwqLayerChoice &c)
{
    std::vector<int64_t> g;
    if (!r.get(g, 5) || g.size() != 5)
        return false;
    c.layer = static_cast<int>(g[0]), c.qkv = static_cast<int>(g[1]), c.vo = static_cast<int>(g[2]);
    c.gateUp = static_cast<int>(g[3]), c.down = static_cast<int>(g[4]);
    for (auto *v : {&c.lossQkv, &c.lossVo, &c.lossGateUp, &c.lossDown})
        if (!r.get(*v, 1024))
            return false;
    return true;
}

void putOutput(ResumeRecord &r, const LayerOutput &lo)
{
    r.put(std::vector<uint64_t>{lo.tensors.size(), lo.norms.size(), lo.inputScales.size()});
    for (const auto &[name, t] : lo.tensors)
        r.putTensor(name, t);
    for (const auto *m : {&lo.norms, &lo.inputScales})
        for (const auto &[name, v] : *m) {
            r.putText(name);
            r.put(v);
        }
}

bool getOutput(ResumeReader &r, LayerOutput &lo)
{
    std::vector<uint64_t> n;
    if (!r.get(n, 3) || n.size() != 3 || n[0] > 64 || n[1] > 64 || n[2] > 64)
        return false;
    for (uint64_t i = 0; i < n[0]; ++i) {
        std::string name;
        GroupQuantizedTensor t;
        if (!r.getTensor(name, t))
            return false;
        lo.tensors[name] = std::move(t);
    }
    for (auto [count, m] : {std::pair{n[1], &lo.norms}, std::pair{n[2], &lo.inputScales}})
        for (uint64_t i = 0; i < count; ++i) {
            std::string name;
            std::vector<float> v;
            if (!r.getText(name) || !r.get(v, r.size()))
                return false;
            (*m)[name] = std::move(v);
        }
    return true;
}

std::string resumeSettings(const AwqOptions &o)
{
    return "awq v1 " + std::to_string(o.bits) + " " + std::to_string(o.groupSize) + " " + std::to_string(o.zeroPoint) + " " +
           std::to_string(o.includeIdentity) + " " + std::to_string(o.compareIdentity) + " " + std::to_string(o.clip) + " " +
           std::to_string(o.duoScaling) + " " + std::to_string(o.grid) + " " + std::to_string(o.layers) +
           (o.searchWindows > 0 ? " search " + std::to_string(o.searchWindows) : std::string());
}

// AutoAWQ's apply_scale (in its order), apply_clip and the quantization of one layer's seven Linears, into `dst`.
Status finishLayer(const Model &model, const WeightSource &plain, int l, Transformer::LayerWeights w, const std::array<Picked, 4> &p,
                   SampledInputs in, const AwqOptions &o, LayerOutput &dst)
{
    const Architecture &a = model.architecture();
    const int64_t H = a.hiddenSize, F = a.intermediateSize, qDim = a.heads * a.headDim;
    const int group = o.groupSize;
    const auto &sQkv = p[0].scales, &sVo = p[1].scales, &sGateUp = p[2].scales, &sDown = p[3].scales;
    for (size_t c = 0; c < w.attnNorm.size(); ++c)
        w.attnNorm[c] /= sQkv[c];
    scaleColumns(w.wq, H, sQkv);
    scaleColumns(w.wk, H, sQkv);
    scaleColumns(w.wv, H, sQkv);
    divideColumns(in.attn, H, sQkv);
    if (!sVo.empty()) {
        for (size_t i = 0; i < w.wv.size(); ++i) // scale_fc_fc: v's rows (its outputs) divided, and its bias
            w.wv[i] /= sVo[i / static_cast<size_t>(H)];
        if (!w.bv.empty()) {
            const auto idx = plain.find(TensorRole::AttnV, l, true);
            if (!idx)
                return makeError("layer " + std::to_string(l) + " has a v bias the model does not name");
            for (size_t i = 0; i < w.bv.size(); ++i)
                w.bv[i] /= sVo[i];
            roundToDtype(w.bv, model.tensors()[*idx].dtype);
            dst.norms[model.tensors()[*idx].name] = w.bv; // replaced in the checkpoint like a folded norm
        }
        scaleColumns(w.wo, qDim, sVo);
        divideColumns(in.o, qDim, sVo);
    }
    for (size_t c = 0; c < w.ffnNorm.size(); ++c)
        w.ffnNorm[c] /= sGateUp[c];
    scaleColumns(w.gate, H, sGateUp);
    scaleColumns(w.up, H, sGateUp);
    divideColumns(in.mlp, H, sGateUp);
    for (size_t i = 0; i < w.up.size(); ++i)
        w.up[i] /= sDown[i / static_cast<size_t>(H)];
    scaleColumns(w.down, F, sDown);
    divideColumns(in.down, F, sDown);

    // clip (not q/k: their product goes through the attention scores), then quantize
    struct Linear { TensorRole role; std::vector<float> *weight; const std::vector<float> *input; bool clip; };
    const Linear linears[] = {{TensorRole::AttnQ, &w.wq, &in.attn, false},   {TensorRole::AttnK, &w.wk, &in.attn, false},
                              {TensorRole::AttnV, &w.wv, &in.attn, true},    {TensorRole::AttnOutput, &w.wo, &in.o, true},
                              {TensorRole::FfnGate, &w.gate, &in.mlp, true}, {TensorRole::FfnUp, &w.up, &in.mlp, true},
                              {TensorRole::FfnDown, &w.down, &in.down, true}};
    for (const Linear &lin : linears) {
        const auto idx = plain.find(lin.role, l);
        if (!idx)
            return makeError("layer " + std::to_string(l) + " has no " + std::string(roleDescription(lin.role)));
        const ModelTensor &mt = model.tensors()[*idx];
        const int64_t rows = mt.rows(), cols = mt.rowLength();
        std::vector<float> &wt = *lin.weight;
        if (o.clip && lin.clip) {
            const int64_t tokens = static_cast<int64_t>(lin.input->size()) / cols;
            const std::vector<float> maxVal =
                awqSearchClip(wt.data(), rows, cols, lin.input->data(), tokens, o.bits, group, o.zeroPoint, o.grid, 0.5, kClipTokens, o.threads);
            awqApplyClip(wt.data(), rows, cols, group, maxVal.data());
        }
        GroupQuantizedTensor q;
        awqPseudoQuantize(wt.data(), rows, cols, o.bits, group, o.zeroPoint, &q);
        q.format.method = IntGroupMethod::Awq;
        wt = {};
        const std::vector<float> &s = lin.role == TensorRole::AttnOutput ? sVo
                                      : lin.role == TensorRole::FfnDown  ? sDown
                                      : (lin.role == TensorRole::FfnGate || lin.role == TensorRole::FfnUp) ? sGateUp
                                                                                                           : sQkv;
        if (!s.empty())
            dst.inputScales[mt.name] = s;
        dst.tensors[mt.name] = std::move(q);
    }
    for (auto [role, norm] : {std::pair{TensorRole::AttnNorm, &w.attnNorm}, std::pair{TensorRole::FfnNorm, &w.ffnNorm}}) {
        const auto idx = plain.find(role, l);
        if (!idx)
            return makeError("layer " + std::to_string(l) + " has no " + std::string(roleDescription(role)));
        // the checkpoint stores the folded norm in the source dtype: evaluate that
        roundToDtype(*norm, model.tensors()[*idx].dtype);
        dst.norms[model.tensors()[*idx].name] = std::move(*norm);
    }
    return okStatus();
}

} // namespace

Result<AwqResult> awqQuantize(std::shared_ptr<const Model> model, const CalibrationSet &cal, const AwqOptions &o, JobControl *control)
{
    const auto start = Clock::now();
    if (cal.windows() <= 0)
        return makeError("the calibration set is empty");
    const bool gguf = !o.gguf.empty();
    if (!gguf && (o.bits < 2 || o.bits > 8))
        return makeError("AWQ quantizes to 2..8 bits");
    if (gguf && (!o.resumeDir.empty() || o.compareIdentity))
        return makeError("scales for a GGUF file are searched without resuming and without a second variant");
    auto plain = std::make_shared<WeightSource>(model);
    auto base = Transformer::create(plain, o.threads);
    if (!base)
        return base.error();
    const Architecture &a = base->architecture();
    const int L = o.layers < 0 ? base->layers() : std::min(o.layers, base->layers());
    const int64_t C = cal.window, S = cal.windows(), N = S * C, H = a.hiddenSize, F = a.intermediateSize;
    const int64_t qDim = a.heads * a.headDim, kvDim = a.kvHeads * a.headDim;
    // GGUF targets: w_mean is normalised per 32 weights, the scale granularity of most GGUF blocks
    const int group = gguf ? 32 : o.groupSize;
    for (const auto &[name, target] : o.gguf) {
        const auto idx = model->findTensor(name);
        if (!idx)
            return makeError("the model has no tensor by this name").forTensor(name);
        const TypeTraits &t = typeTraits(target.type);
        const int64_t cols = model->tensors()[*idx].rowLength();
        if (!t.quantize || !t.toFloat || rowBytes(t, cols) < 0)
            return makeError("cannot search scales for " + std::string(t.name) + " rows of " + std::to_string(cols)).forTensor(name);
        if (!target.importance.empty() && static_cast<int64_t>(target.importance.size()) != cols)
            return makeError("importance weights do not match the row length").forTensor(name);
    }
    for (int64_t cols : {H, qDim, F})
        if (group > 0 && cols % group != 0)
            return makeError(std::to_string(cols) + " input columns do not divide into groups of " + std::to_string(group));
    if (a.contextLength > 0 && C > a.contextLength)
        return makeError("calibration windows of " + std::to_string(C) + " tokens are longer than the model's context");
    setBlasThreads(o.threads);

    AwqResult out;
    if (!gguf)
        out.weights = std::make_shared<WeightSource>(model);
    // the layer's input, the two norms' outputs and the blocks' FP outputs for every token: in memory or spilled
    std::array<ActivationBuffer, 5> kept;
    for (ActivationBuffer &b : kept) {
        auto made = ActivationBuffer::create(static_cast<size_t>(N * H), o.spillDir);
        if (!made)
            return made.error();
        b = std::move(*made);
    }
    ActivationBuffer &X = kept[0], &xAttn = kept[1], &xMlp = kept[2], &attnOut = kept[3], &mlpOut = kept[4];
    // one layer's recorded inputs (all windows) and the FP outputs of its two blocks
    // o_proj's and down_proj's inputs (the latter N x FFN, the largest) are not kept: what their searches need (mean,
    // Hessian, the clip sample) accumulates chunk by chunk as the forward produces them
    const int64_t chunk = std::max<int64_t>(1, 4096 / C); // windows per block call
    std::vector<float> cand(static_cast<size_t>(chunk * C * H)), xO(static_cast<size_t>(chunk * C * qDim)), xDown(static_cast<size_t>(chunk * C * F));
    const bool voScaled = kvDim == H && qDim == H; // AutoAWQ: v_proj.weight.shape == o_proj.weight.shape
    const bool searchIdentity = o.includeIdentity || o.compareIdentity || gguf;
    const int64_t searchS = o.searchWindows > 0 ? std::min<int64_t>(S, o.searchWindows) : S;
    if (o.compareIdentity) {
        out.withIdentity = std::make_shared<AwqResult>();
        out.withIdentity->weights = std::make_shared<WeightSource>(model);
    }
    // the layers a cancelled or crashed run with the same settings finished, and the FP inputs of the next
    const LayerResume resume(o.resumeDir, *model, cal, resumeSettings(o));
    if (auto st = resume.check(); !st)
        return st.error();
    int first = 0;
    {
        LayerResume::Loaded saved = resume.load(L, X);
        std::vector<std::array<LayerOutput, 2>> outputs;
        std::vector<std::array<AwqLayerChoice, 2>> choices;
        bool complete = saved.next > 0;
        for (ResumeReader &r : saved.records) {
            std::array<LayerOutput, 2> lo;
            std::array<AwqLayerChoice, 2> c;
            complete = complete && getChoice(r, c[0]) && getOutput(r, lo[0]);
            if (complete && out.withIdentity)
                complete = getChoice(r, c[1]) && getOutput(r, lo[1]);
            const int l = static_cast<int>(outputs.size());
            complete = complete && r.atEnd() && c[0].layer == l && fitsModel(*model, lo[0]) &&
                       (!out.withIdentity || (c[1].layer == l && fitsModel(*model, lo[1])));
            r = ResumeReader({}); // parsed: its bytes are not needed any more
            outputs.push_back(std::move(lo));
            choices.push_back(std::move(c));
        }
        if (complete) {
            for (size_t l = 0; l < outputs.size(); ++l) {
                if (auto st = install(*model, std::move(outputs[l][0]), out); !st)
                    return Error(st.error()).inFile(o.resumeDir);
                out.choices.push_back(std::move(choices[l][0]));
                if (out.withIdentity) {
                    if (auto st = install(*model, std::move(outputs[l][1]), *out.withIdentity); !st)
                        return Error(st.error()).inFile(o.resumeDir);
                    out.withIdentity->choices.push_back(std::move(choices[l][1]));
                }
            }
            first = out.resumedLayers = saved.next;
        }
    }
    if (first == 0)
        if (auto st = base->embed(cal.ids.data(), N, X.data()); !st)
            return st.error();
    if (control)
        control->beginStage(gguf ? "scales" : "AWQ", static_cast<uint64_t>(L) * 4, ProgressUnit::Steps);
    if (control && first > 0)
        control->advance(static_cast<uint64_t>(first) * 4, "resumed after layer " + std::to_string(first));

    for (int l = first; l < L; ++l) {
        const std::string at = "layer " + std::to_string(l + 1) + " of " + std::to_string(L);
        auto lw = base->loadLayer(l);
        if (!lw)
            return lw.error();
        Transformer::LayerWeights &w = *lw;
        // [1] the FP layer on its FP inputs: every Linear's input, the blocks' outputs, and the next layer's input
        auto t0 = Clock::now();
        AbsMean meanO(qDim), meanDown(F);
        std::optional<HessianAccumulator> hessO;
        if (voScaled)
            hessO.emplace(qDim, o.threads);
        HessianAccumulator hessDown(F, o.threads);
        SampledInputs sampled;
        for (int64_t s0 = 0; s0 < S; s0 += chunk) {
            if (control && control->cancelled())
                return cancelledError("nothing was written");
            const int64_t ns = std::min(chunk, S - s0), r0 = s0 * C, rows = ns * C;
            float *x = X.data() + r0 * H;
            base->normRows(x, rows, w.attnNorm, xAttn.data() + r0 * H);
            base->attentionBlock(w, xAttn.data() + r0 * H, ns, C, attnOut.data() + r0 * H, xO.data());
            meanO.add(xO.data(), rows);
            if (hessO)
                hessO->add(xO.data(), rows);
            sampleRowsOf(xO.data(), r0, rows, N, qDim, sampled.o);
            for (int64_t i = 0; i < rows * H; ++i)
                x[i] += attnOut.data()[r0 * H + i];
            base->normRows(x, rows, w.ffnNorm, xMlp.data() + r0 * H);
            base->mlpBlock(w, xMlp.data() + r0 * H, rows, mlpOut.data() + r0 * H, xDown.data());
            meanDown.add(xDown.data(), rows);
            hessDown.add(xDown.data(), rows);
            sampleRowsOf(xDown.data(), r0, rows, N, F, sampled.down);
            for (int64_t i = 0; i < rows * H; ++i)
                x[i] += mlpOut.data()[r0 * H + i];
        }
        out.secondsForward += since(t0);

        // [2] scale search per group, all on the original weights and inputs
        t0 = Clock::now();
        AwqLayerChoice choice;
        choice.layer = l;
        Transformer::LayerWeights trial = w;
        bool cancelled = false;
        auto blockLoss = [&](const ActivationBuffer &fp, const ActivationBuffer &in, int64_t inCols, bool attention) {
            double sum = 0;
            for (int64_t s0 = 0; s0 < searchS && !cancelled; s0 += chunk) {
                if (control && control->cancelled()) {
                    cancelled = true;
                    break;
                }
                const int64_t ns = std::min(chunk, searchS - s0), r0 = s0 * C, rows = ns * C;
                if (attention)
                    base->attentionBlock(trial, in.data() + r0 * inCols, ns, C, cand.data());
                else
                    base->mlpBlock(trial, in.data() + r0 * inCols, rows, cand.data());
                const float *ref = fp.data() + r0 * H;
                for (int64_t i = 0; i < rows * H; ++i) {
                    const float d = ref[i] - cand[static_cast<size_t>(i)];
                    sum += static_cast<double>(d) * d;
                }
            }
            return sum / static_cast<double>(searchS * C * H);
        };
        std::map<TensorRole, const AwqOptions::GgufTarget *> targets; // GGUF: each Linear's type (absent: kept)
        for (TensorRole r : {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV, TensorRole::AttnOutput, TensorRole::FfnGate,
                             TensorRole::FfnUp, TensorRole::FfnDown})
            if (const auto idx = plain->find(r, l))
                if (const auto t = o.gguf.find(model->tensors()[*idx].name); t != o.gguf.end())
                    targets[r] = &t->second;
        auto fakeQuant = [&](TensorRole role, const std::vector<float> &src, int64_t rows, int64_t cols, const std::vector<float> &s,
                             std::vector<float> &dst) {
            if (!gguf)
                awqScaledFakeQuant(src.data(), rows, cols, s.data(), o.bits, group, o.zeroPoint, dst.data());
            else if (const auto t = targets.find(role); t != targets.end())
                ggufScaledFakeQuant(src.data(), rows, cols, s, *t->second, dst.data(), o.threads);
            else
                std::copy(src.begin(), src.end(), dst.begin());
        };
        // a group of one Linear (o after v, down after up): its output's error is linear in its weight error, so each
        // candidate is judged from the Hessian of its inputs
        auto searchOneLinear = [&](TensorRole role, const std::vector<float> &weight, int64_t rows, int64_t cols, const std::vector<float> &xMean,
                                   const std::vector<float> &wMean, const std::vector<float> &h) {
            std::vector<float> delta(weight.size());
            return awqSearchScale(
                xMean, wMean,
                [&](const std::vector<float> &s) {
                    fakeQuant(role, weight, rows, cols, s, delta);
                    for (size_t i = 0; i < delta.size(); ++i)
                        delta[i] -= weight[i];
                    return linearLoss(delta.data(), rows, cols, h, o.threads);
                },
                searchIdentity, o.grid, o.duoScaling);
        };
        // GGUF targets: a group none of whose Linears is quantized is not searched (every candidate would cost the same)
        auto anyTarget = [&](std::initializer_list<TensorRole> roles) {
            return !gguf || std::any_of(roles.begin(), roles.end(), [&](TensorRole r) { return targets.count(r) > 0; });
        };
        const bool searchQkv = anyTarget({TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV}),
                   searchVo = voScaled && anyTarget({TensorRole::AttnOutput}),
                   searchGateUp = anyTarget({TensorRole::FfnGate, TensorRole::FfnUp}), searchDown = anyTarget({TensorRole::FfnDown});
        auto kept = [](int64_t cols) {
            AwqScaleChoice c;
            c.grid = AwqScaleChoice::kIdentity;
            c.scales.assign(static_cast<size_t>(cols), 1.0f);
            return c;
        };
        // q, k, v: the attention block's output (o_proj in FP)
        const std::vector<float> xMeanAttn = awqActivationMean(xAttn.data(), N, H);
        const std::vector<float> wMeanQkv = awqWeightMean({w.wq.data(), w.wk.data(), w.wv.data()}, {qDim, kvDim, kvDim}, H, group);
        const AwqScaleChoice sQkv = !searchQkv ? kept(H) : awqSearchScale(
            xMeanAttn, wMeanQkv,
            [&](const std::vector<float> &s) {
                fakeQuant(TensorRole::AttnQ, w.wq, qDim, H, s, trial.wq);
                fakeQuant(TensorRole::AttnK, w.wk, kvDim, H, s, trial.wk);
                fakeQuant(TensorRole::AttnV, w.wv, kvDim, H, s, trial.wv);
                return blockLoss(attnOut, xAttn, H, true);
            },
            searchIdentity, o.grid, o.duoScaling);
        trial = w;
        choice.lossQkv = sQkv.losses;
        if (control)
            control->advance(1, at + (gguf ? " · q/k/v · scales" : " · q/k/v · AWQ"));
        // v -> o (only when the shapes match): o's output, from o's Hessian
        AwqScaleChoice sVo;
        std::vector<float> xMeanO, wMeanO;
        if (voScaled) {
            xMeanO = meanO.mean();
            wMeanO = awqWeightMean({w.wo.data()}, {H}, qDim, group);
            sVo = !searchVo ? kept(qDim) : searchOneLinear(TensorRole::AttnOutput, w.wo, H, qDim, xMeanO, wMeanO, hessO->take());
            choice.lossVo = sVo.losses;
        }
        // gate, up: the MLP's output (down in FP)
        const std::vector<float> xMeanMlp = awqActivationMean(xMlp.data(), N, H),
                                 wMeanGateUp = awqWeightMean({w.gate.data(), w.up.data()}, {F, F}, H, group);
        const AwqScaleChoice sGateUp = !searchGateUp ? kept(H) : awqSearchScale(
            xMeanMlp, wMeanGateUp,
            [&](const std::vector<float> &s) {
                fakeQuant(TensorRole::FfnGate, w.gate, F, H, s, trial.gate);
                fakeQuant(TensorRole::FfnUp, w.up, F, H, s, trial.up);
                return blockLoss(mlpOut, xMlp, H, false);
            },
            searchIdentity, o.grid, o.duoScaling);
        trial = w;
        choice.lossGateUp = sGateUp.losses;
        if (control)
            control->advance(1, at + (gguf ? " · gate/up · scales" : " · gate/up · AWQ"));
        // down: its own output, from its Hessian
        AwqScaleChoice sDown;
        const std::vector<float> xMeanDown = meanDown.mean(), wMeanDown = awqWeightMean({w.down.data()}, {H}, F, group);
        sDown = !searchDown ? kept(F) : searchOneLinear(TensorRole::FfnDown, w.down, H, F, xMeanDown, wMeanDown, hessDown.take());
        choice.lossDown = sDown.losses;
        if (cancelled)
            return cancelledError("nothing was written");
        out.secondsScale += since(t0);

        // AutoAWQ's choice among the grid, and the variant's (which may be the identity)
        auto pick = [&](const AwqScaleChoice &c, const std::vector<float> &xm, const std::vector<float> &wm, bool identity) {
            Picked p{c.grid, c.scales};
            if (identity || c.grid != AwqScaleChoice::kIdentity)
                return p;
            p.grid = 0;
            for (int k = 1; k < o.grid; ++k)
                if (c.losses[static_cast<size_t>(k)] < c.losses[static_cast<size_t>(p.grid)])
                    p.grid = k;
            p.scales = awqGridScales(xm, wm, p.grid, o.grid, o.duoScaling);
            return p;
        };
        auto picks = [&](bool identity) {
            std::array<Picked, 4> p = {pick(sQkv, xMeanAttn, wMeanQkv, identity), Picked{}, pick(sGateUp, xMeanMlp, wMeanGateUp, identity),
                                       pick(sDown, xMeanDown, wMeanDown, identity)};
            if (voScaled)
                p[1] = pick(sVo, xMeanO, wMeanO, identity);
            return p;
        };

        if (gguf) { // the scales are the result: the exporter folds and quantizes
            std::array<Picked, 4> p = picks(true);
            // not searched: skipped; the weights as they are wherever no scaling is strictly better (ties included)
            const std::array<const AwqScaleChoice *, 4> searched = {&sQkv, &sVo, &sGateUp, &sDown};
            const std::array<bool, 4> did = {searchQkv, searchVo, searchGateUp, searchDown};
            for (size_t g = 0; g < 4; ++g) {
                const std::vector<double> &ls = searched[g]->losses;
                if (!did[g])
                    p[g] = Picked{};
                else if (identityScales(p[g].scales) ||
                         (ls.size() > 1 && !(*std::min_element(ls.begin(), ls.end() - 1) < ls.back())))
                    p[g] = Picked{AwqScaleChoice::kIdentity, {}};
            }
            choice.qkv = p[0].grid, choice.vo = p[1].grid, choice.gateUp = p[2].grid, choice.down = p[3].grid;
            auto folded = foldedScales(*model, *plain, l, p);
            if (!folded)
                return folded.error();
            LayerOutput lo;
            lo.folded = std::move(*folded);
            if (auto st = install(*model, std::move(lo), out); !st)
                return st.error();
            out.choices.push_back(std::move(choice));
            if (control)
                control->advance(1, at + " · scales chosen");
            continue;
        }

        // [3..5] fold, clip and quantize, once per result asked for (the clip search sees only its sampled tokens)
        t0 = Clock::now();
        sampled.attn = sampleRows(xAttn, N, H);
        sampled.mlp = sampleRows(xMlp, N, H);
        const std::array<Picked, 4> mainPick = picks(o.includeIdentity);
        choice.qkv = mainPick[0].grid, choice.vo = mainPick[1].grid, choice.gateUp = mainPick[2].grid, choice.down = mainPick[3].grid;
        ResumeRecord record;
        LayerOutput main;
        if (auto st = finishLayer(*model, *plain, l, w, mainPick, sampled, o, main); !st)
            return st.error();
        putChoice(record, choice);
        putOutput(record, main);
        if (auto st = install(*model, std::move(main), out); !st)
            return st.error();
        if (out.withIdentity) {
            const std::array<Picked, 4> idPick = picks(true);
            AwqLayerChoice id = choice;
            id.qkv = idPick[0].grid, id.vo = idPick[1].grid, id.gateUp = idPick[2].grid, id.down = idPick[3].grid;
            LayerOutput variant;
            if (auto st = finishLayer(*model, *plain, l, w, idPick, sampled, o, variant); !st)
                return st.error();
            putChoice(record, id);
            putOutput(record, variant);
            if (auto st = install(*model, std::move(variant), *out.withIdentity); !st)
                return st.error();
            out.withIdentity->choices.push_back(std::move(id));
        }
        out.secondsClip += since(t0);
        out.choices.push_back(std::move(choice));
        // X now holds the next layer's FP inputs
        if (auto st = resume.save(l, record, X); !st)
            return st.error();
        if (control)
            control->advance(1, at + " · clipped and quantized · AWQ");
    }
    out.seconds = since(start);
    return out;
}

} // namespace qs
