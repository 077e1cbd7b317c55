#include "pipeline/group_quantize.h"

#include "calibration/hessian.h"
#include "engine/transformer.h"
#include "model/gguf_layout.h"
#include "plan/resolve.h"
#include "solvers/gptq.h"

#include <chrono>

namespace qs {

namespace {

// Collects the Hessian of one input (one true-sequential subset) and stops the layer there.
class SubsetInputs : public LinearInputObserver {
public:
    SubsetInputs(int layer, TensorRole role, int64_t cols, int threads) : m_layer(layer), m_role(role), m_h(cols, threads) {}
    void observe(int layer, TensorRole role, const float *x, int64_t rows, int64_t) override
    {
        if (layer == m_layer && role == m_role) {
            m_h.add(x, rows);
            m_seen = true;
        }
    }
    bool stopHere() const override { return m_seen; }
    void next() { m_seen = false; }
    HessianAccumulator &hessian() { return m_h; }

private:
    int m_layer;
    TensorRole m_role;
    HessianAccumulator m_h;
    bool m_seen = false;
};

const char *subsetName(TensorRole r)
{
    switch (r) {
    case TensorRole::AttnQ: return "q/k/v";
    case TensorRole::AttnOutput: return "o";
    case TensorRole::FfnGate: return "gate/up";
    default: return "down";
    }
}

} // namespace

Result<GroupQuantizeResult> quantizeGroupPlan(std::shared_ptr<const Model> model, const Plan &plan, const CalibrationSet &cal,
                                              const GroupQuantizeOptions &options, JobControl *control)
{
    const auto start = std::chrono::steady_clock::now();
    if (cal.windows() <= 0)
        return makeError("the calibration set is empty");
    auto layout = ggufLayoutOf(*model);
    if (!layout)
        return layout.error();
    auto planned = resolveForModel(*model, plan, false);
    if (!planned)
        return planned.error();
    std::map<std::string, size_t> sourceOf;
    for (const GgufTensorLayout &t : *layout)
        sourceOf[t.name] = t.source;
    auto weights = std::make_shared<WeightSource>(model);
    std::map<size_t, IntGroupFormat> gptq;
    for (const PlannedTensor &t : *planned) {
        const auto s = sourceOf.find(t.ggufName);
        if (s == sourceOf.end())
            continue;
        if (t.decision.group && t.decision.group->method == IntGroupMethod::Gptq)
            gptq[s->second] = *t.decision.group;
        else if (t.decision.group)
            weights->setTransform(s->second, {QuantFormat::intGroup(*t.decision.group), {}}); // RTN (AWQ: not here)
        else if (t.decision.quantized)
            weights->setTransform(s->second, {QuantFormat::gguf(t.decision.type), {}});
    }
    for (const auto &[idx, f] : gptq)
        if (f.method == IntGroupMethod::Awq)
            return makeError("AWQ is solved separately").forTensor(model->tensors()[idx].name);

    auto base = Transformer::create(weights, options.threads);
    if (!base)
        return base.error();
    const Architecture &a = base->architecture();
    const int L = base->layers();
    const int64_t C = cal.window, S = cal.windows(), H = base->hiddenSize();
    if (a.contextLength > 0 && C > a.contextLength)
        return makeError("calibration windows of " + std::to_string(C) + " tokens are longer than the model's context");
    setBlasThreads(options.threads);
    std::vector<float> X(static_cast<size_t>(S * C * H));
    if (auto st = base->embed(cal.ids.data(), S * C, X.data()); !st)
        return st.error();

    GroupQuantizeResult out;
    if (control)
        control->beginStage("calibrating", static_cast<uint64_t>(L) * 4, ProgressUnit::Steps);
    const int64_t chunk = std::max<int64_t>(1, 4096 / C); // sequences per scratch copy
    std::vector<float> scratch;
    struct Subset { TensorRole input; std::vector<TensorRole> members; int64_t cols; };
    const Subset subsets[] = {{TensorRole::AttnQ, {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV}, H},
                              {TensorRole::AttnOutput, {TensorRole::AttnOutput}, a.heads * a.headDim},
                              {TensorRole::FfnGate, {TensorRole::FfnGate, TensorRole::FfnUp}, H},
                              {TensorRole::FfnDown, {TensorRole::FfnDown}, a.intermediateSize}};
    for (int l = 0; l < L; ++l) {
        for (const Subset &sub : subsets) {
            const std::string item = "layer " + std::to_string(l + 1) + " of " + std::to_string(L) + " · " + subsetName(sub.input) + " · GPTQ";
            std::vector<size_t> members;
            for (TensorRole r : sub.members)
                if (auto i = weights->find(r, l); i && gptq.count(*i))
                    members.push_back(*i);
            if (members.empty()) {
                if (control)
                    control->advance(1, item);
                continue;
            }
            const Transformer t = base->withWeights(weights);
            SubsetInputs obs(l, sub.input, sub.cols, options.threads);
            for (int64_t s0 = 0; s0 < S; s0 += chunk) {
                if (control && control->cancelled())
                    return cancelledError("nothing was written");
                const int64_t ns = std::min(chunk, S - s0);
                scratch.assign(X.begin() + s0 * C * H, X.begin() + (s0 + ns) * C * H);
                obs.next();
                if (auto st = t.runLayers(l, l + 1, scratch.data(), ns, C, control, &obs); !st)
                    return st.error();
            }
            const std::vector<float> hess = obs.hessian().take();
            for (size_t idx : members) {
                const ModelTensor &mt = model->tensors()[idx];
                auto w = weights->readAll(idx, options.threads);
                if (!w)
                    return w.error();
                GptqOptions go;
                go.format = gptq.at(idx);
                go.actOrder = options.actOrder;
                go.staticGroups = options.staticGroups;
                go.damp = options.damp;
                go.threads = options.threads;
                auto r = gptqQuantize(w->data(), mt.rows(), mt.rowLength(), hess, go);
                if (!r)
                    return Error(r.error()).forTensor(mt.name);
                auto deq = std::make_shared<std::vector<float>>(static_cast<size_t>(mt.elements));
                r->tensor.dequantize(deq->data());
                const int64_t rowLen = mt.rowLength();
                weights->setOverride(idx, [deq, rowLen](int64_t first, int64_t n, float *rows) -> Status {
                    std::copy(deq->begin() + first * rowLen, deq->begin() + (first + n) * rowLen, rows);
                    return okStatus();
                });
                out.tensors[mt.name] = std::move(r->tensor);
            }
            if (control)
                control->advance(1, item);
        }
        // the quantized layer's outputs feed the next
        const Transformer t = base->withWeights(weights);
        if (auto st = t.runLayers(l, l + 1, X.data(), S, C, control); !st)
            return st.error();
    }
    out.weights = weights;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace qs
