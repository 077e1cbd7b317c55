// The decoder forward pass of the llama family (llama, mistral, qwen2, qwen3) in fp32, as transformers computes it:
// RMSNorm, q/k/v projections (with qwen2's biases, qwen3's per-head q/k norms), rotary embeddings (rotate_half),
// causal grouped-query attention (mistral's sliding window), SwiGLU, tied or separate output head. Matrix products
// go to OpenBLAS sgemm; the rest runs on the shared pool.
//
// It streams by layer: runLayers() converts one layer's weights, runs every sequence of a batch through it, and
// frees them, so memory is one layer of f32 weights plus the batch's activations — never the whole model in f32.
// Positions restart at 0 for every sequence.
#pragma once

#include "common/result.h"
#include "engine/rope.h"
#include "engine/weight_source.h"
#include "jobs/job_control.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace qs {

// Sees the input of every Linear of the blocks as it is multiplied (x: rows x cols, row-major): what llama-imatrix
// accumulates. Called from the thread running the layer.
class LinearInputObserver {
public:
    virtual ~LinearInputObserver() = default;
    virtual void observe(int layer, TensorRole role, const float *x, int64_t rows, int64_t cols) = 0;
    // True when the observer has seen what it needs of this layer: the rest of the layer is skipped for the group
    // of sequences just observed, whose residual stream is then left part-way (calibration runs it on a copy).
    virtual bool stopHere() const { return false; }
};

// Y (rows x out) = X (rows x in) * W^T (+ bias), W (out x in) row-major as a Linear stores it, in row slices on the
// shared pool (each a single-threaded sgemm).
void linearForward(const float *x, int64_t rows, int64_t in, const float *w, int64_t out, float *y, int threads = 0,
                   const float *bias = nullptr);

class Transformer {
public:
    // One decoder layer's weights as f32 in the Hugging Face layout; q/k norms and biases empty when the model has none.
    struct LayerWeights {
        std::vector<float> attnNorm, wq, wk, wv, wo, bq, bk, bv, qNorm, kNorm, ffnNorm, gate, up, down;
    };

    // Checks that the model is one this pass computes and that every tensor it needs is there.
    static Result<Transformer> create(std::shared_ptr<const WeightSource> weights, int threads = 0);

    const Architecture &architecture() const { return m_arch; }
    const WeightSource &weights() const { return *m_weights; }
    int64_t hiddenSize() const { return m_arch.hiddenSize; }
    int64_t vocabSize() const { return m_vocab; }
    int layers() const { return static_cast<int>(m_arch.layers); }
    // The same model computing with other weights (a plan's, one tensor changed): cheap, nothing is read.
    Transformer withWeights(std::shared_ptr<const WeightSource> weights) const;

    // hidden[i] = the embedding of ids[i] (n x hidden).
    Status embed(const int32_t *ids, int64_t n, float *hidden) const;
    // Runs layers [first, last) over `sequences` sequences of `length` tokens each, stored one after another in
    // `hidden` (sequences * length x hidden), in place.
    Status runLayers(int first, int last, float *hidden, int64_t sequences, int64_t length, JobControl *control = nullptr,
                     LinearInputObserver *observer = nullptr) const;
    // The final norm and output head: logits (n x vocab) of n rows of the last residual stream. `hidden` is not changed.
    Status logits(const float *hidden, int64_t n, float *out) const;

    // A layer's weights as this model computes with them (its WeightSource's transforms and overrides applied).
    Result<LayerWeights> loadLayer(int layer) const;

    // The blocks of one layer on given inputs and weights, as runLayers computes them (a solver compares a block's
    // output under candidate weights): `xn` is the block's normed input (sequences * length x hidden), `out` the
    // block's output before the residual add (same shape). `oInput`, when given, receives o_proj's input
    // (sequences * length x heads * head_dim); `downInput` down_proj's (rows x intermediate).
    void attentionBlock(const LayerWeights &w, const float *xn, int64_t sequences, int64_t length, float *out,
                        float *oInput = nullptr) const;
    void mlpBlock(const LayerWeights &w, const float *xn, int64_t rows, float *out, float *downInput = nullptr) const;
    // The norm in front of a block (w: hidden values) on `rows` rows of the residual stream.
    void normRows(const float *x, int64_t rows, const std::vector<float> &w, float *xn) const;

private:
    // q/k/v projections, q/k norms, rope and attention: o_proj's input in `att`, q/k/v left in their buffers.
    void attentionCore(const LayerWeights &w, const float *xn, int64_t sequences, int64_t length, const float *cosTab,
                       const float *sinTab, float *q, float *k, float *v, float *att) const;
    // SwiGLU: g = silu(xn gate^T) * (xn up^T), down's input
    void swiglu(const LayerWeights &w, const float *xn, int64_t rows, float *g, float *u) const;
    void attention(const LayerWeights &w, const float *q, const float *k, const float *v, float *out, int64_t sequences,
                   int64_t length) const;

    std::shared_ptr<const WeightSource> m_weights;
    Architecture m_arch;
    RopeTable m_rope;
    int64_t m_vocab = 0;
    int m_threads = 0;
    size_t m_embedding = 0, m_outputNorm = 0, m_output = 0; // m_output == m_embedding when tied
    bool m_qkNorm = false, m_qkvBias = false;
};

// Sets OpenBLAS's thread count (it keeps one global pool); <= 0: every hardware thread.
void setBlasThreads(int threads);

} // namespace qs
