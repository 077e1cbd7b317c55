// Measuring what quantization does to a model's predictions on text: perplexity under the two protocols people
// compare against, and the KL-divergence of a candidate (a plan, a GGUF, a checkpoint) from a base on the same
// windows, computed side by side window batch by window batch, so no base logits are ever stored.
//
// Hugging Face protocol (../shared/reference/quality.json): the text tokenized without BOS, cut into
// non-overlapping windows of `context` tokens (the remainder dropped), every position 1..context-1 scored.
// llama.cpp protocol (llama-perplexity -c N, tools/perplexity/perplexity.cpp): one trailing newline dropped, BOS
// first when the vocabulary adds one, at least 2N tokens, chunks of N whose first token is replaced by BOS when it
// adds one, and only the logits at positions N/2 .. N-2 scored (each predicting the next original token).
#pragma once

#include "common/result.h"
#include "engine/transformer.h"
#include "jobs/job_control.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs {

enum class PplProtocol { HuggingFace, LlamaCpp };
const char *protocolId(PplProtocol p); // "hf", "llama.cpp"
std::optional<PplProtocol> parseProtocol(const std::string &text);

// The token windows of one evaluation: what is fed, what is predicted, which positions count.
struct EvalWindows {
    int64_t context = 0;
    int64_t windows = 0;
    std::vector<int32_t> feed;    // windows * context: the ids the model sees
    std::vector<int32_t> next;    // windows * context: the id position p should predict (the original text's)
    int64_t firstScored = 0;      // positions [firstScored, lastScored) of each window are scored
    int64_t lastScored = 0;
    int64_t scoredTokens() const { return windows * (lastScored - firstScored); }
};

// `tokens`: the text's ids without BOS. `bos`: the id llama.cpp would put first, or -1 (HF protocol: ignored).
// `maxWindows` > 0 keeps only the first windows.
Result<EvalWindows> makeEvalWindows(const std::vector<int32_t> &tokens, PplProtocol protocol, int64_t context, int32_t bos,
                                    int64_t maxWindows = 0);

class Model;
// The BOS id llama.cpp puts first for this model's vocabulary, or -1 when it puts none (src/llama-vocab.cpp):
// tokenizer.ggml.add_bos_token (or tokenizer_config.json's add_bos_token) when given, else true for SentencePiece
// ("llama") vocabularies and for byte-level ones whose pre-tokenizer is Llama-3's, false for other byte-level ones.
int32_t llamaCppBosToken(const Model &model);

// llama.cpp's treatment of a text file (common/arg.cpp -f): one trailing newline is not part of the text.
std::string llamaCppText(std::string text);

struct EvalResult {
    int64_t tokens = 0;       // scored positions
    int64_t windows = 0;
    double ppl = 0;
    double pplError = 0;      // llama.cpp's +/- (standard error of the mean NLL, propagated)
    double nllMean = 0;
    std::vector<double> windowPpl; // per window, for a chart
    // with a base
    bool hasBase = false;
    double pplBase = 0;
    double kldMean = 0, kldMeanError = 0, kldMedian = 0, kldP90 = 0, kldP95 = 0, kldP99 = 0, kldMax = 0;
    double top1Agree = 0;     // fraction of positions whose most likely token is the base's
    double deltaPRms = 0;     // RMS of p(next) - p_base(next)
    double lnPplRatio = 0;
};

struct EvalOptions {
    int threads = 0;
    // residual streams held at once per model; sequences beyond it go through the layers in further passes
    int64_t batchBytes = int64_t(256) << 20;
};

// Perplexity of `model`, and with a `base` the KL-divergence KL(P_base || P_model) per scored position (natural
// log, exact fp32 log-softmax: llama.cpp instead rounds the base's log-probabilities to 16 bits), the top-1
// agreement and the rest. The two models must share the vocabulary.
Result<EvalResult> evaluate(const Transformer &model, const Transformer *base, const EvalWindows &windows,
                            const EvalOptions &options = {}, JobControl *control = nullptr);

// One scored position: NLL of `target` under logits `a`, and with base logits `b` (may be null) the base's NLL,
// KL(P_b || P_a) (natural log, exact log-softmax), whether the most likely tokens agree, and p(target) - p_b(target).
struct RowScore {
    double nll = 0, nllBase = 0, kld = 0, deltaP = 0;
    bool sameTop = false;
};
RowScore scoreRow(const float *a, const float *b, int64_t vocab, int32_t target);

// Percentile as llama.cpp's perplexity tool takes it from sorted values: linear interpolation at f * (n - 1).
double sortedPercentile(const std::vector<float> &sorted, double f);

} // namespace qs
