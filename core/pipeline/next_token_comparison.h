// The next-token view's computation: a prompt's top next tokens under the unquantized model and under a plan, side
// by side. The tokenizer, the vocabulary's readable spellings and the unquantized model are prepared once per model;
// each comparison then costs two forward passes over the prompt.
#pragma once

#include "common/result.h"
#include "engine/bpe_tokenizer.h"
#include "engine/next_token.h"
#include "export/quantize_job.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct PredictedToken {
    int32_t id = -1;
    double probability = 0;
    std::string text; // readableTokenText: " the" is "␣the"
};

struct NextTokenComparison {
    std::vector<int32_t> promptIds; // what the model saw, BOS included when the vocabulary adds one
    std::vector<PredictedToken> original;
    std::vector<PredictedToken> planned; // empty without a plan
};

class NextTokenPredictor {
public:
    static Result<std::shared_ptr<const NextTokenPredictor>> create(std::shared_ptr<const Model> model, int threads = 0);

    const Model &model() const { return *m_model; }
    // BOS first when llama.cpp would put one (llamaCppBosToken), then the prompt's tokens; only the last
    // context-length tokens are kept.
    std::vector<int32_t> promptIds(const std::string &prompt) const;
    // An empty prompt with no BOS to stand on is an error.
    Result<NextTokenComparison> compare(const std::string &prompt, const std::optional<QuantizeOptions> &plan, int k,
                                        JobControl *control = nullptr) const;

private:
    NextTokenPredictor(std::shared_ptr<const Model> model, BpeTokenizer tokenizer, TokenVocabulary vocabulary, Transformer base);

    std::shared_ptr<const Model> m_model;
    BpeTokenizer m_tokenizer;
    TokenVocabulary m_vocabulary;
    Transformer m_base;
};

} // namespace qs
