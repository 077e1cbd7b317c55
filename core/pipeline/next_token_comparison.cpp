#include "pipeline/next_token_comparison.h"

#include "engine/evaluation.h"
#include "pipeline/plan_weights.h"

namespace qs {

NextTokenPredictor::NextTokenPredictor(std::shared_ptr<const Model> model, BpeTokenizer tokenizer, TokenVocabulary vocabulary, Transformer base)
    : m_model(std::move(model)), m_tokenizer(std::move(tokenizer)), m_vocabulary(std::move(vocabulary)), m_base(std::move(base))
{
}

Result<std::shared_ptr<const NextTokenPredictor>> NextTokenPredictor::create(std::shared_ptr<const Model> model, int threads)
{
    auto tokenizer = tokenizerForModel(*model);
    if (!tokenizer)
        return tokenizer.error();
    auto vocabulary = tokenVocabulary(*model);
    if (!vocabulary)
        return vocabulary.error();
    auto base = Transformer::create(std::make_shared<WeightSource>(model), threads);
    if (!base)
        return base.error();
    return std::shared_ptr<const NextTokenPredictor>(
        new NextTokenPredictor(std::move(model), std::move(*tokenizer), std::move(*vocabulary), std::move(*base)));
}

std::vector<int32_t> NextTokenPredictor::promptIds(const std::string &prompt) const
{
    std::vector<int32_t> ids;
    if (const int32_t bos = llamaCppBosToken(*m_model); bos >= 0)
        ids.push_back(bos);
    const std::vector<int32_t> text = m_tokenizer.encode(prompt);
    ids.insert(ids.end(), text.begin(), text.end());
    const int64_t context = m_model->architecture().contextLength;
    if (context > 0 && static_cast<int64_t>(ids.size()) > context)
        ids.erase(ids.begin(), ids.end() - context);
    return ids;
}

Result<NextTokenComparison> NextTokenPredictor::compare(const std::string &prompt, const std::optional<QuantizeOptions> &plan, int k,
                                                        JobControl *control) const
{
    NextTokenComparison out;
    out.promptIds = promptIds(prompt);
    if (out.promptIds.empty())
        return makeError("type a prompt: this vocabulary has no beginning-of-text token to predict from");
    auto named = [this](const std::vector<TokenChoice> &choices) {
        std::vector<PredictedToken> tokens;
        for (const TokenChoice &c : choices)
            tokens.push_back({c.id, c.probability, tokenDisplayText(m_vocabulary, c.id)});
        return tokens;
    };
    if (control)
        control->beginStage("predicting", plan ? 2 : 1, ProgressUnit::Steps);
    auto original = predictNextTokens(m_base, out.promptIds, k, control);
    if (!original)
        return original.error();
    out.original = named(*original);
    if (control)
        control->advance(1, "original");
    if (plan) {
        auto weights = planWeights(m_model, *plan);
        if (!weights)
            return weights.error();
        auto planned = predictNextTokens(m_base.withWeights(*weights), out.promptIds, k, control);
        if (!planned)
            return planned.error();
        out.planned = named(*planned);
        if (control)
            control->advance(1, plan->plan.label());
    }
    return out;
}

} // namespace qs
