#include "engine/evaluation.h"

#include "jobs/thread_pool.h"
#include "model/model.h"
#include "model/tokenizer.h"

#include <algorithm>
#include <cmath>

namespace qs {

const char *protocolId(PplProtocol p) { return p == PplProtocol::HuggingFace ? "hf" : "llama.cpp"; }

std::optional<PplProtocol> parseProtocol(const std::string &text)
{
    if (text == "hf" || text == "huggingface" || text == "transformers")
        return PplProtocol::HuggingFace;
    if (text == "llama.cpp" || text == "llamacpp" || text == "llama-perplexity")
        return PplProtocol::LlamaCpp;
    return std::nullopt;
}

int32_t llamaCppBosToken(const Model &model)
{
    std::string type, pre;
    std::optional<bool> addBos;
    std::optional<uint32_t> bos;
    if (const GgufFile *g = model.gguf()) {
        if (const GgufValue *v = g->find("tokenizer.ggml.model"); v && v->toString())
            type = *v->toString();
        if (const GgufValue *v = g->find("tokenizer.ggml.pre"); v && v->toString())
            pre = *v->toString();
        if (const GgufValue *v = g->find("tokenizer.ggml.add_bos_token"); v && v->toBool())
            addBos = *v->toBool();
        if (const GgufValue *v = g->find("tokenizer.ggml.bos_token_id"); v && v->toUInt())
            bos = static_cast<uint32_t>(*v->toUInt());
    } else {
        auto tok = loadHfTokenizer(model.path(), model.architecture().vocabSize);
        if (!tok)
            return -1;
        type = tok->model;
        pre = tok->pre;
        addBos = tok->addBos;
        bos = tok->bos;
    }
    bool adds = false;
    if (addBos) {
        adds = *addBos;
    } else if (type == "llama" || type == "bert") {
        adds = true;
    } else if (type == "gpt2") {
        for (const char *p : {"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "tekken", "chameleon"})
            adds = adds || pre == p;
    }
    return adds && bos ? static_cast<int32_t>(*bos) : -1;
}

std::string llamaCppText(std::string text)
{
    if (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text;
}

Result<EvalWindows> makeEvalWindows(const std::vector<int32_t> &tokens, PplProtocol protocol, int64_t context, int32_t bos,
                                    int64_t maxWindows)
{
    if (context < 4)
        return makeError("the context of " + std::to_string(context) + " tokens is too short to score anything");
    EvalWindows w;
    w.context = context;
    std::vector<int32_t> ids;
    const bool withBos = protocol == PplProtocol::LlamaCpp && bos >= 0;
    if (withBos)
        ids.push_back(bos);
    ids.insert(ids.end(), tokens.begin(), tokens.end());
    const int64_t n = static_cast<int64_t>(ids.size());
    if (protocol == PplProtocol::LlamaCpp && n < 2 * context) // perplexity.cpp refuses fewer than 2 * n_ctx tokens
        return makeError("the text has " + std::to_string(n) + " tokens; llama-perplexity needs at least 2 x " +
                         std::to_string(context) + " = " + std::to_string(2 * context));
    w.windows = n / context;
    if (w.windows == 0)
        return makeError("the text has " + std::to_string(n) + " tokens, fewer than one window of " + std::to_string(context));
    if (maxWindows > 0)
        w.windows = std::min(w.windows, maxWindows);
    w.feed.assign(ids.begin(), ids.begin() + w.windows * context);
    w.next.assign(static_cast<size_t>(w.windows * context), -1);
    for (int64_t k = 0; k < w.windows; ++k)
        for (int64_t p = 0; p + 1 < context; ++p)
            w.next[static_cast<size_t>(k * context + p)] = ids[static_cast<size_t>(k * context + p + 1)];
    if (protocol == PplProtocol::HuggingFace) {
        w.firstScored = 0; // logits at 0..context-2 predict positions 1..context-1
        w.lastScored = context - 1;
    } else {
        if (withBos) // every chunk starts with BOS in place of its first token; the targets stay the text's
            for (int64_t k = 0; k < w.windows; ++k)
                w.feed[static_cast<size_t>(k * context)] = bos;
        w.firstScored = context / 2;
        w.lastScored = context - 1;
    }
    return w;
}

double sortedPercentile(const std::vector<float> &v, double f)
{
    if (v.empty())
        return 0;
    if (f <= 0)
        return v.front();
    if (f >= 1)
        return v.back();
    float p = static_cast<float>(f * static_cast<double>(v.size() - 1));
    const size_t ip = static_cast<size_t>(p);
    p -= static_cast<float>(ip);
    return (1 - p) * v[ip] + p * v[std::min(ip + 1, v.size() - 1)];
}

// log-sum-exp of a row as perplexity.cpp computes it: float max, double sum of expf
static double logSumExp(const float *row, int64_t n, int64_t *argmax)
{
    float mx = row[0];
    int64_t am = 0;
    for (int64_t i = 1; i < n; ++i)
        if (row[i] > mx) { // strict: the first maximum wins, as llama.cpp's argmax
            mx = row[i];
            am = i;
        }
    double s = 0;
    for (int64_t i = 0; i < n; ++i)
        s += std::exp(row[i] - mx);
    if (argmax)
        *argmax = am;
    return mx + std::log(s);
}

RowScore scoreRow(const float *a, const float *b, int64_t V, int32_t target)
{
    RowScore r;
    int64_t ta = 0, tb = 0;
    const double lseA = logSumExp(a, V, &ta);
    r.nll = lseA - a[target];
    if (b) {
        const double lseB = logSumExp(b, V, &tb);
        r.nllBase = lseB - b[target];
        double kld = 0;
        for (int64_t i = 0; i < V; ++i) {
            const double lb = b[i] - lseB, la = a[i] - lseA;
            kld += std::exp(lb) * (lb - la);
        }
        r.kld = std::max(0.0, kld);
        r.sameTop = ta == tb;
        r.deltaP = std::exp(-r.nll) - std::exp(-r.nllBase);
    }
    return r;
}

namespace {

// llama.cpp's mean_unc: the mean and its standard error
std::pair<double, double> meanUnc(double s, double s2, int64_t n)
{
    const double f = s / static_cast<double>(n), d = s2 / static_cast<double>(n) - f * f;
    return {f, d > 0 && n > 10 ? std::sqrt(d / static_cast<double>(n - 1)) : 0.0};
}

} // namespace

Result<EvalResult> evaluate(const Transformer &model, const Transformer *base, const EvalWindows &w,
                            const EvalOptions &options, JobControl *control)
{
    const int64_t C = w.context, H = model.hiddenSize(), V = model.vocabSize();
    if (base && base->vocabSize() != V)
        return makeError("the base model has " + std::to_string(base->vocabSize()) + " tokens in its vocabulary and the evaluated one " +
                         std::to_string(V) + ": their predictions cannot be compared");
    if (w.windows <= 0)
        return makeError("nothing to evaluate: no windows");
    const int64_t ctxLimit = model.architecture().contextLength;
    if (ctxLimit > 0 && C > ctxLimit)
        return makeError("windows of " + std::to_string(C) + " tokens are longer than the model's context of " + std::to_string(ctxLimit));
    setBlasThreads(options.threads);
    const int64_t hb = base ? base->hiddenSize() : 0;
    const int64_t perPass = std::max<int64_t>(1, options.batchBytes / (C * (H + hb) * 4));
    // logits of a group of windows at once: ~128 MiB per model
    const int64_t perHead = std::max<int64_t>(1, (int64_t(32) << 20) / (C * V));
    const int64_t scoredPerWindow = w.lastScored - w.firstScored;
    std::vector<RowScore> scores(static_cast<size_t>(w.windows * scoredPerWindow));
    const int layers = model.layers() + (base ? base->layers() : 0);
    if (control)
        control->beginStage("evaluating", static_cast<uint64_t>(w.windows * C), ProgressUnit::Tokens);

    std::vector<float> hidden, hiddenBase, logits, logitsBase;
    for (int64_t k0 = 0; k0 < w.windows; k0 += perPass) {
        const int64_t nk = std::min(perPass, w.windows - k0);
        auto run = [&](const Transformer &t, std::vector<float> &h) -> Status {
            h.resize(static_cast<size_t>(nk * C * t.hiddenSize()));
            if (auto st = t.embed(w.feed.data() + k0 * C, nk * C, h.data()); !st)
                return st;
            for (int l = 0; l < t.layers(); ++l) {
                if (auto st = t.runLayers(l, l + 1, h.data(), nk, C, control); !st)
                    return st;
                if (control)
                    control->advance(static_cast<uint64_t>(nk * C / std::max(1, layers)), "layer " + std::to_string(l + 1) + " of " +
                                                                                         std::to_string(t.layers()));
            }
            return okStatus();
        };
        if (auto st = run(model, hidden); !st)
            return st.error();
        if (base)
            if (auto st = run(*base, hiddenBase); !st)
                return st.error();
        for (int64_t g0 = 0; g0 < nk; g0 += perHead) {
            if (control && control->cancelled())
                return cancelledError("the evaluation stopped");
            const int64_t ng = std::min(perHead, nk - g0);
            logits.resize(static_cast<size_t>(ng * C * V));
            if (auto st = model.logits(hidden.data() + g0 * C * H, ng * C, logits.data()); !st)
                return st.error();
            if (base) {
                logitsBase.resize(logits.size());
                if (auto st = base->logits(hiddenBase.data() + g0 * C * hb, ng * C, logitsBase.data()); !st)
                    return st.error();
            }
            const int64_t rows = ng * scoredPerWindow;
            const int threads = ThreadPool::effectiveThreads(options.threads);
            ThreadPool::shared().run(static_cast<int>(std::min<int64_t>(rows, 4 * threads)), [&](int part) {
                const int parts = static_cast<int>(std::min<int64_t>(rows, 4 * threads));
                for (int64_t r = part; r < rows; r += parts) {
                    const int64_t k = r / scoredPerWindow, p = w.firstScored + r % scoredPerWindow;
                    const int64_t row = k * C + p;
                    const int32_t target = w.next[static_cast<size_t>((k0 + g0) * C + row)];
                    scores[static_cast<size_t>((k0 + g0) * scoredPerWindow + r)] =
                        scoreRow(logits.data() + row * V, base ? logitsBase.data() + row * V : nullptr, V, target);
                }
            }, threads);
        }
    }

    // sums in position order: the result never depends on the thread count
    EvalResult res;
    res.windows = w.windows;
    res.tokens = static_cast<int64_t>(scores.size());
    double nll = 0, nll2 = 0, nllb = 0, nllb2 = 0, kld = 0, kld2 = 0, dp2 = 0;
    int64_t same = 0;
    res.windowPpl.resize(static_cast<size_t>(w.windows));
    for (int64_t k = 0; k < w.windows; ++k) {
        double wn = 0;
        for (int64_t i = 0; i < scoredPerWindow; ++i) {
            const RowScore &s = scores[static_cast<size_t>(k * scoredPerWindow + i)];
            wn += s.nll;
            nll += s.nll;
            nll2 += s.nll * s.nll;
            nllb += s.nllBase;
            nllb2 += s.nllBase * s.nllBase;
            kld += s.kld;
            kld2 += s.kld * s.kld;
            dp2 += s.deltaP * s.deltaP;
            same += s.sameTop ? 1 : 0;
        }
        res.windowPpl[static_cast<size_t>(k)] = std::exp(wn / static_cast<double>(scoredPerWindow));
    }
    const int64_t n = res.tokens;
    const auto [mu, unc] = meanUnc(nll, nll2, n);
    res.nllMean = mu;
    res.ppl = std::exp(mu);
    res.pplError = res.ppl * unc;
    if (base) {
        res.hasBase = true;
        res.pplBase = std::exp(nllb / static_cast<double>(n));
        res.lnPplRatio = mu - nllb / static_cast<double>(n);
        const auto [km, ku] = meanUnc(kld, kld2, n);
        res.kldMean = km;
        res.kldMeanError = ku;
        res.top1Agree = static_cast<double>(same) / static_cast<double>(n);
        res.deltaPRms = std::sqrt(dp2 / static_cast<double>(n));
        std::vector<float> k(scores.size());
        for (size_t i = 0; i < scores.size(); ++i)
            k[i] = static_cast<float>(scores[i].kld);
        std::sort(k.begin(), k.end());
        const size_t m = k.size();
        res.kldMedian = m % 2 == 0 ? 0.5 * (k[m / 2] + k[m / 2 - 1]) : k[m / 2];
        res.kldP90 = sortedPercentile(k, 0.90);
        res.kldP95 = sortedPercentile(k, 0.95);
        res.kldP99 = sortedPercentile(k, 0.99);
        res.kldMax = k.back();
    }
    return res;
}

} // namespace qs
