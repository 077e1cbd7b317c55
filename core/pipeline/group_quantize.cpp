#include "pipeline/group_quantize.h"

#include "calibration/activation_buffer.h"
#include "calibration/hessian.h"
#include "calibration/layer_resume.h"
#include "engine/transformer.h"
#include "formats/float_conv.h"
#include "model/gguf_layout.h"
#include "plan/resolve.h"
#include "solvers/gptq.h"
#include "solvers/gptq_gguf.h"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>

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

// GPTQ's resume record of a layer: the tensors it solved
ResumeRecord layerRecord(const std::map<std::string, GroupQuantizedTensor> &all, const std::vector<std::string> &names)
{
    ResumeRecord r;
    r.put(std::vector<uint64_t>{names.size()});
    for (const std::string &n : names)
        r.putTensor(n, all.at(n));
    return r;
}

bool readLayerRecord(ResumeReader &r, std::map<std::string, GroupQuantizedTensor> &out)
{
    std::vector<uint64_t> count;
    if (!r.get(count, 1) || count.size() != 1)
        return false;
    for (uint64_t i = 0; i < count[0]; ++i) {
        std::string name;
        GroupQuantizedTensor t;
        if (!r.getTensor(name, t))
            return false;
        out[name] = std::move(t);
    }
    return r.atEnd();
}

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
    std::map<size_t, IntGroupFormat> gptq, rtn;
    std::map<size_t, const GroupQuantizeOptions::Compensation *> compensated;
    if (!options.scales.empty() && !options.resumeDir.empty())
        return makeError("resuming is not available for a model with folded scales: run without a resume folder");
    if (!options.compensate.empty() && !options.resumeDir.empty())
        return makeError("resuming is not available for GPTQ-compensated GGUF blocks yet: run without a resume folder");
    for (const auto &[name, c] : options.compensate) {
        const auto s = sourceOf.find(name);
        if (s == sourceOf.end())
            return makeError("the model has no tensor to compensate by this name").forTensor(name);
        if (model->tensors()[s->second].layer < 0 || !gptqGgufSupports(c.type))
            return makeError("only the Linear weights of the blocks, in a GGUF block format, can be compensated (not " +
                             std::string(typeTraits(c.type).name) + " here)")
                .forTensor(name);
        compensated[s->second] = &c;
    }
    for (const auto &[name, sc] : options.scales) {
        const auto idx = model->findTensor(name);
        if (!idx)
            return makeError("the model has no tensor to scale by this name").forTensor(name);
        weights->setScales(*idx, sc);
    }
    for (const PlannedTensor &t : *planned) {
        const auto s = sourceOf.find(t.ggufName);
        if (s == sourceOf.end() || compensated.count(s->second))
            continue;
        if (t.decision.group && t.decision.group->method == IntGroupMethod::Gptq)
            gptq[s->second] = *t.decision.group;
        else if (t.decision.group && t.decision.group->method == IntGroupMethod::Rtn)
            rtn[s->second] = *t.decision.group;
        else if (t.decision.group)
            return makeError(t.decision.group->name() + " is solved by its own pipeline, not GPTQ's").forTensor(t.ggufName);
        else if (t.decision.quantized) {
            const auto imp = options.ggufImportance.find(t.ggufName);
            weights->setTransform(s->second, {QuantFormat::gguf(t.decision.type), imp != options.ggufImportance.end() ? imp->second : std::vector<float>{}});
        }
    }
    // a tensor's solved values, as a checkpoint stores them (fp16 scales), replace it from here on
    // A solved tensor replaces the original from here on, as a checkpoint stores it (fp16 scales). Its rows are
    // dequantized when read, from the codes (1 byte a weight), not kept in f32 (4 more bytes a weight: 26 GB for an
    // 8B model).
    auto useSolved = [&](size_t idx, const GroupQuantizedTensor &t) {
        auto q = std::make_shared<const GroupQuantizedTensor>(t);
        weights->setOverride(idx, [q](int64_t first, int64_t n, float *rows) -> Status {
            q->dequantizeRows(first, n, rows, true); // as the checkpoint stores it: fp16 scales
            return okStatus();
        });
    };

    // compensated blocks likewise, dequantized from their bytes as llama.cpp reads them
    auto useSolvedBlocks = [&](size_t idx, const GgufGptqResult &r) {
        const TypeTraits *tr = &typeTraits(r.type);
        const int64_t rb = rowBytes(*tr, r.cols), cols = r.cols;
        auto bytes = std::make_shared<const std::vector<uint8_t>>(r.bytes);
        weights->setOverride(idx, [bytes, rb, cols, tr](int64_t first, int64_t n, float *rows) -> Status {
            tr->toFloat(bytes->data() + first * rb, rows, n * cols);
            return okStatus();
        });
    };

    auto base = Transformer::create(weights, options.threads);
    if (!base)
        return base.error();
    const Architecture &a = base->architecture();
    const int L = base->layers();
    const int64_t C = cal.window, S = cal.windows(), H = base->hiddenSize();
    if (a.contextLength > 0 && C > a.contextLength)
        return makeError("calibration windows of " + std::to_string(C) + " tokens are longer than the model's context");
    setBlasThreads(options.threads);
    auto inputs = ActivationBuffer::create(static_cast<size_t>(S * C * H), options.spillDir);
    if (!inputs)
        return inputs.error();
    ActivationBuffer X = std::move(*inputs);

    GroupQuantizeResult out;
    char damp[32];
    std::snprintf(damp, sizeof damp, "%.17g", options.damp);
    const std::string settings = "gptq v1\n" + plan.toJson() + "\n" + std::to_string(options.actOrder) + std::to_string(options.staticGroups) +
                                 " " + damp;
    const LayerResume resume(options.resumeDir, *model, cal, settings);
    if (auto st = resume.check(); !st)
        return st.error();
    int first = 0;
    if (!gptq.empty()) {
        LayerResume::Loaded saved = resume.load(L, X);
        bool complete = saved.next > 0;
        for (ResumeReader &r : saved.records) {
            complete = complete && readLayerRecord(r, out.tensors);
            r = ResumeReader({}); // parsed: its bytes are not needed any more
        }
        // every saved tensor must be one of the model's GPTQ tensors in its shape; anything else starts afresh
        for (const auto &[name, t] : out.tensors) {
            const auto idx = model->findTensor(name);
            complete = complete && idx && gptq.count(*idx) && t.rows == model->tensors()[*idx].rows() &&
                       t.cols == model->tensors()[*idx].rowLength();
        }
        if (complete) {
            first = saved.next;
            out.resumedLayers = saved.next;
        } else {
            out.tensors.clear();
        }
    }
    if (first == 0)
        if (auto st = base->embed(cal.ids.data(), S * C, X.data()); !st)
            return st.error();
    // layers taken from the resume folder: their solved tensors go back in place
    for (auto &[name, t] : out.tensors)
        useSolved(*model->findTensor(name), t);
    // round-to-nearest needs no calibration: done before the first layer
    for (const auto &[idx, f] : rtn) {
        const ModelTensor &mt = model->tensors()[idx];
        if (out.tensors.count(mt.name))
            continue;
        auto w = weights->readAll(idx, options.threads);
        if (!w)
            return w.error();
        GroupQuantizedTensor t = roundToNearest(w->data(), mt.rows(), mt.rowLength(), f);
        useSolved(idx, t);
        out.tensors[mt.name] = std::move(t);
    }
    if (control)
        control->beginStage("calibrating", static_cast<uint64_t>(L) * 4, ProgressUnit::Steps);
    if (control && first > 0)
        control->advance(static_cast<uint64_t>(first) * 4, "resumed after layer " + std::to_string(first));
    const int64_t chunk = std::max<int64_t>(1, 4096 / C); // sequences per scratch copy
    std::vector<float> scratch;
    struct Subset { TensorRole input; std::vector<TensorRole> members; int64_t cols; };
    const Subset subsets[] = {{TensorRole::AttnQ, {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV}, H},
                              {TensorRole::AttnOutput, {TensorRole::AttnOutput}, a.heads * a.headDim},
                              {TensorRole::FfnGate, {TensorRole::FfnGate, TensorRole::FfnUp}, H},
                              {TensorRole::FfnDown, {TensorRole::FfnDown}, a.intermediateSize}};
    for (int l = gptq.empty() && compensated.empty() ? L : first; l < L; ++l) { // nothing to calibrate without GPTQ tensors
        std::vector<std::string> solvedHere;
        for (const Subset &sub : subsets) {
            const std::string item = "layer " + std::to_string(l + 1) + " of " + std::to_string(L) + " · " + subsetName(sub.input) + " · GPTQ";
            std::vector<size_t> members;
            for (TensorRole r : sub.members)
                if (auto i = weights->find(r, l); i && (gptq.count(*i) || compensated.count(*i)))
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
                scratch.assign(X.data() + s0 * C * H, X.data() + (s0 + ns) * C * H);
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
                if (const auto c = compensated.find(idx); c != compensated.end()) {
                    GgufGptqOptions go;
                    go.type = c->second->type;
                    go.importance = c->second->importance;
                    go.damp = options.damp;
                    go.threads = options.threads;
                    auto r = gptqGgufQuantize(w->data(), mt.rows(), mt.rowLength(), hess, go);
                    if (!r)
                        return Error(r.error()).forTensor(mt.name);
                    r->values = {};
                    useSolvedBlocks(idx, *r);
                    out.gguf[mt.name] = std::move(*r);
                    continue;
                }
                GptqOptions go;
                go.format = gptq.at(idx);
                go.actOrder = options.actOrder;
                go.staticGroups = options.staticGroups;
                go.damp = options.damp;
                go.threads = options.threads;
                auto r = gptqQuantize(w->data(), mt.rows(), mt.rowLength(), hess, go);
                if (!r)
                    return Error(r.error()).forTensor(mt.name);
                useSolved(idx, r->tensor);
                out.tensors[mt.name] = std::move(r->tensor);
                solvedHere.push_back(mt.name);
            }
            if (control)
                control->advance(1, item);
        }
        // the quantized layer's outputs feed the next
        const Transformer t = base->withWeights(weights);
        if (auto st = t.runLayers(l, l + 1, X.data(), S, C, control); !st)
            return st.error();
        if (auto st = resume.save(l, layerRecord(out.tensors, solvedHere), X); !st)
            return st.error();
    }
    out.weights = weights;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

Status verifyWrittenCheckpoint(const Model &written, const std::map<std::string, GroupQuantizedTensor> &solved)
{
    for (const auto &[name, t] : solved) {
        const auto idx = written.findTensor(name);
        if (!idx)
            return makeError("the written checkpoint has no " + name).inFile(written.path());
        std::vector<float> want(static_cast<size_t>(t.rows * t.cols)), got(want.size());
        t.dequantize(want.data(), true);
        if (auto st = written.readRows(*idx, 0, t.rows, got.data()); !st)
            return Error(st.error()).inFile(written.path());
        for (size_t i = 0; i < want.size(); ++i) {
            // one fp16 ulp of the value: 2^-10 relative (what re-rounding a product through fp16 can move)
            const float tol = std::max(std::fabs(want[i]) * 0x1p-10f, 1e-12f);
            if (!(std::fabs(got[i] - want[i]) <= tol))
                return makeError("reads back as " + std::to_string(got[i]) + " where " + std::to_string(want[i]) + " was written (element " +
                                 std::to_string(i) + ")")
                    .forTensor(name)
                    .inFile(written.path());
        }
    }
    return okStatus();
}

} // namespace qs
