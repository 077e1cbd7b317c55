#include "pipeline/plan_evaluation.h"

#include "engine/bpe_tokenizer.h"
#include "io/small_file.h"
#include "pipeline/plan_weights.h"

#include <QByteArrayView>
#include <QStringDecoder>

#include <chrono>

namespace qs {

Result<std::string> readEvalText(const std::string &path)
{
    if (path.empty())
        return makeError("the built-in evaluation text is not installed (set QUANTSCOPE_EVAL_TEXT)");
    auto bytes = readSmallFile(path, 1ull << 30);
    if (!bytes)
        return bytes.error();
    std::string s(bytes->begin(), bytes->end());
    if (s.empty())
        return makeError("the text is empty: there is nothing to evaluate on").inFile(path);
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)utf8.decode(QByteArrayView(s.data(), static_cast<qsizetype>(s.size())));
    if (utf8.hasError())
        return makeError("the text is not valid UTF-8").inFile(path);
    return s;
}

Result<PlanEvalOutcome> evaluatePlan(const PlanEvalRequest &request, JobControl *control)
{
    const auto start = std::chrono::steady_clock::now();
    const Model &model = *request.model;
    PlanEvalOutcome out;
    out.protocol = request.protocol.value_or(model.format() == ModelFormat::Gguf ? PplProtocol::LlamaCpp : PplProtocol::HuggingFace);
    out.context = request.context;
    auto tokenizer = tokenizerForModel(model);
    if (!tokenizer)
        return tokenizer.error();
    const std::string text = out.protocol == PplProtocol::LlamaCpp ? llamaCppText(request.text) : request.text;
    auto ids = tokenizer->encodeChecked(text);
    if (!ids)
        return ids.error();
    out.textTokens = static_cast<int64_t>(ids->size());
    auto windows = makeEvalWindows(*ids, out.protocol, request.context, llamaCppBosToken(model), request.maxWindows);
    if (!windows)
        return windows.error();
    if (control && control->cancelled())
        return cancelledError("nothing was evaluated");

    auto original = Transformer::create(std::make_shared<WeightSource>(request.model), request.threads);
    if (!original)
        return original.error();
    std::optional<Transformer> base;
    if (request.base) {
        // another model's predictions are comparable token by token only under the same tokenization
        auto other = tokenizerForModel(*request.base);
        const std::string head = text.substr(0, 16384);
        if (!other || other->encode(head) != tokenizer->encode(head))
            return makeError("the base model tokenizes the text differently: their predictions cannot be compared token by token")
                .inFile(request.base->path());
        auto b = Transformer::create(std::make_shared<WeightSource>(request.base), request.threads);
        if (!b)
            return b.error();
        base = std::move(*b);
    } else if (request.plan && request.compare) {
        base = *original;
    }
    std::optional<Transformer> planned;
    if (request.plan) {
        QuantizeResult summary;
        auto weights = planWeights(request.model, *request.plan, &summary);
        if (!weights)
            return weights.error();
        planned = original->withWeights(*weights);
        for (const QuantizedTensor &t : summary.tensors)
            out.bytes += t.bytes;
        out.bitsPerWeight = summary.bitsPerWeight;
    } else {
        out.bytes = model.tensorBytes();
        out.bitsPerWeight = model.parameterCount() > 0 ? 8.0 * static_cast<double>(model.tensorBytes()) / static_cast<double>(model.parameterCount()) : 0;
    }
    EvalOptions options;
    options.threads = request.threads;
    auto result = evaluate(planned ? *planned : *original, base ? &*base : nullptr, *windows, options, control);
    if (!result)
        return result.error();
    out.result = std::move(*result);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace qs
