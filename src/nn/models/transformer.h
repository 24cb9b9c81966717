#pragma once
// One-layer transformer (model.arch = "transformer") of Nanda et al. 2023 ("Progress measures
// for grokking via mechanistic interpretability", sec. 3 and appendix; their code): the
// input "a b =" (T = 3 tokens, vocabulary V = symbols + 1, "=" the last token), learned token
// and position embeddings, one attention block without biases, one ReLU MLP with biases, the
// unembedding, no LayerNorm; cross-entropy on the last position. Every layer is computed only
// for the last position except K and V. Unembedding to the task's classes (p for Z_p), not to
// the p+1 tokens of the authors' code: "=" is never a label, and the paper describes p.
// Token positions 0 and 1 of the batch are a and b; the model appends "=".
// Parameters live in two contiguous buffers, one per optimizer group: the embeddings (W_E,
// W_pos) and the rest; activations are preallocated for `max_batch` rows.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "nn/activation.h"
#include "nn/attention.h"
#include "nn/heads.h"
#include "nn/linear.h"
#include "nn/model.h"
#include "nn/position_embedding.h"
#include "nn/symbol_attention.h"

namespace geneft {

struct TransformerShape {
  int num_symbols;  // tokens 0..num_symbols-1 are symbols, num_symbols is "="
  int d_model, n_heads, d_head, d_mlp;
  int num_classes;  // C
  static constexpr int n_ctx = 3;  // "a b ="
  int vocab() const { return num_symbols + 1; }
  int hd() const { return n_heads * d_head; }
};

// Offsets of each matrix in the two buffers; shapes (rows, cols) row-major.
struct TransformerLayout {
  size_t W_E = 0, W_pos = 0;  // enc: W_E (V, d), W_pos (T, d)
  size_t W_Q, W_K, W_V, W_O, W_in, b_in, W_out, b_out, W_U, dec_size;  // dec
  size_t enc_size;
  explicit TransformerLayout(const TransformerShape& s) {
    const size_t d = s.d_model, HD = s.hd(), M = s.d_mlp;
    W_pos = size_t(s.vocab()) * d;
    enc_size = W_pos + size_t(s.n_ctx) * d;
    W_Q = 0, W_K = HD * d, W_V = 2 * HD * d, W_O = 3 * HD * d;  // W_Q, W_K, W_V (HD, d); W_O (d, HD)
    W_in = 4 * HD * d, b_in = W_in + M * d;                     // W_in (M, d), b_in (M)
    W_out = b_in + M, b_out = W_out + d * M;                    // W_out (d, M), b_out (d)
    W_U = b_out + d;                                            // W_U (C, d)
    dec_size = W_U + size_t(s.num_classes) * d;
  }
};

template <class T>
class Transformer : public Model<T> {
 public:
  Transformer(const TransformerShape& shape, int max_batch) : shape_(shape), L_(shape), max_batch_(max_batch) {
    const size_t B = size_t(max_batch), Tn = shape.n_ctx, d = shape.d_model, HD = shape.hd();
    enc.assign(L_.enc_size, T(0)), genc.assign(L_.enc_size, T(0));
    dec.assign(L_.dec_size, T(0)), gdec.assign(L_.dec_size, T(0));
    tok_.resize(B * Tn), qrow_.resize(B), kvrow_.resize(B * Tn);
    x_.resize(B * Tn * d), dx_.resize(B * Tn * d);
    q_.resize(B * HD), dq_.resize(B * HD), k_.resize(B * Tn * HD), dk_.resize(B * Tn * HD);
    v_.resize(B * Tn * HD), dv_.resize(B * Tn * HD);
    att_.resize(B * shape.n_heads * Tn), datt_.resize(B * shape.n_heads * Tn);
    z_.resize(B * HD), dz_.resize(B * HD);
    r1_.resize(B * d), r2_.resize(B * d), dr2_.resize(B * d);
    pre_.resize(B * shape.d_mlp), post_.resize(B * shape.d_mlp), dpre_.resize(B * shape.d_mlp), dpost_.resize(B * shape.d_mlp);
    logits_.resize(B * shape.num_classes), dlogits_.resize(B * shape.num_classes);
    sym_.resize(shape.vocab(), Tn, d, HD);
    // the per-sample products' kernels, planned for the largest batch (nn/gemm.h); W_O and
    // W_out accumulate into the residual stream, W_in's input gradient into dr2 (= dr1)
    const int M = shape.d_mlp;
    k_O_ = LinearKernels<T>({.C = int(HD), .OC = int(d), .accumulate_out = true}, max_batch);
    k_in_ = LinearKernels<T>({.C = int(d), .OC = M, .accumulate_input = true}, max_batch);
    k_out_ = LinearKernels<T>({.C = M, .OC = int(d), .accumulate_out = true}, max_batch);
    k_U_ = LinearKernels<T>({.C = int(d), .OC = shape.num_classes}, max_batch);
  }
  // The scalars the constructor allocates besides the parameters and their gradients (the
  // tokens and row indices counted as one scalar each): the memory estimate, before anything is built.
  static double workspace_scalars(const TransformerShape& s, int max_batch) {
    const double B = max_batch, Tn = s.n_ctx, d = s.d_model, HD = s.hd(), M = s.d_mlp, V = s.vocab();
    const double per_sample = 2 * Tn + 1 + 2 * Tn * d + 2 * HD + 4 * Tn * HD + 2 * s.n_heads * Tn + 2 * HD + 5 * d +
                              4 * M + 2.0 * s.num_classes;
    const double symbol_scratch = 2 * Tn * V * d + 4 * Tn * V * HD + 2 * V * HD;  // SymbolQkvScratch::resize
    return B * per_sample + symbol_scratch;
  }

  void init(uint64_t seed) override {
    Rng rng(seed, RngStream::Init);
    init_weights(rng);
  }

  // Nanda et al. 2023's init (their code): N(0, 1/d_model) for every matrix, W_U ~ N(0, 1/V),
  // zero MLP biases.
  void init_weights(Rng& rng) {
    const double s = 1.0 / std::sqrt(double(shape_.d_model)), su = 1.0 / std::sqrt(double(shape_.vocab()));
    auto fill = [&](Buffer<T>& buf, size_t from, size_t to, double scale) {
      for (size_t i = from; i < to; ++i) buf[i] = T(rng.normal() * scale);
    };
    fill(enc, 0, L_.enc_size, s);
    fill(dec, L_.W_Q, L_.b_in, s);
    fill(dec, L_.W_out, L_.b_out, s);
    fill(dec, L_.W_U, L_.dec_size, su);
  }

  // Fills the logits (B, C) for the inputs "a[i] b[i] =".
  void forward(const Batch<T>& batch) override {
    if (batch.positions < 2 || batch.size > max_batch_)
      throw UserError("the transformer reads two tokens (a, b) per sample, at most " + std::to_string(max_batch_) +
                      " samples; the batch has " + std::to_string(batch.positions) + " tokens, " +
                      std::to_string(batch.size) + " samples");
    const int B = batch.size;
    const int32_t *a = batch.position(0), *b = batch.position(1);
    const auto& s = shape_;
    const int Tn = s.n_ctx, d = s.d_model, HD = s.hd(), V = s.vocab();
    for (size_t i = 0; i < size_t(B); ++i) tok_[i * Tn] = a[i], tok_[i * Tn + 1] = b[i], tok_[i * Tn + 2] = s.num_symbols;
    // Projections per (token, position) once there are more samples than tokens (symbol_attention.h):
    // the attention reads rows t*V + token of their tables, else rows b*T + t of the samples' own.
    // Either writes the residual stream r0 = x[:, T-1] into r1's buffer.
    symbol_path_ = allow_symbol_shortcut && V < B;
    const T *Qs = q_.data(), *Ks = k_.data(), *Vs = v_.data();
    if (symbol_path_) {
      symbol_qkv_forward(r1_.data(), sym_, &enc[L_.W_E], &enc[L_.W_pos], &dec[L_.W_Q], &dec[L_.W_K], &dec[L_.W_V],
                         tok_.data(), B, Tn, V, d);
      symbol_rows(qrow_.data(), kvrow_.data(), tok_.data(), B, Tn, V);
      Qs = sym_.Qs.data(), Ks = sym_.Ks.data(), Vs = sym_.Vs.data();
    } else {
      position_embedding_forward(x_.data(), &enc[L_.W_E], &enc[L_.W_pos], tok_.data(), B, Tn, d);
      qkv_forward(q_.data(), k_.data(), v_.data(), x_.data(), &dec[L_.W_Q], &dec[L_.W_K], &dec[L_.W_V], B, Tn, d, HD);
      for (size_t i = 0; i < size_t(B); ++i) std::copy_n(&x_[(i * Tn + Tn - 1) * d], d, &r1_[i * d]);
      std::iota(kvrow_.begin(), kvrow_.begin() + size_t(B) * Tn, 0);
      std::iota(qrow_.begin(), qrow_.begin() + B, 0);
    }
    attention_forward(z_.data(), att_.data(), Qs, Ks, Vs, qrow_.data(), kvrow_.data(), B, Tn, s.n_heads, s.d_head);
    // residuals: r1 = r0 + z W_O^T, r2 = r1 + relu(r1 W_in^T + b_in) W_out^T + b_out, the
    // products accumulating into the stream
    k_O_.forward(r1_.data(), z_.data(), &dec[L_.W_O], B);
    linear_act_forward(k_in_, pre_.data(), post_.data(), r1_.data(), &dec[L_.W_in], &dec[L_.b_in], B, s.d_mlp,
                       Activation::Relu);
    for (size_t i = 0; i < size_t(B); ++i)
      VecMap<T>(&r2_[i * d], d) = ConstVecMap<T>(&r1_[i * d], d) + ConstVecMap<T>(&dec[L_.b_out], d);
    k_out_.forward(r2_.data(), post_.data(), &dec[L_.W_out], B);
    linear_forward(k_U_, logits_.data(), r2_.data(), &dec[L_.W_U], (const T*)nullptr, B, s.num_classes);
  }

  // Loss summed over the batch and correct predictions, from the last forward.
  HeadStats evaluate(const Batch<T>& batch) const override {
    return cross_entropy_forward(logits_.data(), batch.labels, batch.size, shape_.num_classes);
  }

  void zero_grad() override {
    std::fill(genc.begin(), genc.end(), T(0));
    std::fill(gdec.begin(), gdec.end(), T(0));
  }

  // Accumulates the gradients of the mean loss of the last forward into genc and gdec.
  void backward(const Batch<T>& batch) override {
    const int B = batch.size;
    const int32_t* labels = batch.labels;
    const auto& s = shape_;
    const int Tn = s.n_ctx, d = s.d_model, HD = s.hd(), V = s.vocab();
    cross_entropy_backward(dlogits_.data(), logits_.data(), labels, B, s.num_classes);
    k_U_.backward_weight(&gdec[L_.W_U], dlogits_.data(), r2_.data(), B);
    k_U_.backward_input(dr2_.data(), dlogits_.data(), &dec[L_.W_U], B);
    bias_backward(&gdec[L_.b_out], dr2_.data(), B, d);
    k_out_.backward_weight(&gdec[L_.W_out], dr2_.data(), post_.data(), B);
    k_out_.backward_input(dpost_.data(), dr2_.data(), &dec[L_.W_out], B);
    activation_bias_backward(dpre_.data(), &gdec[L_.b_in], dpost_.data(), pre_.data(), post_.data(), B, s.d_mlp,
                             Activation::Relu);
    k_in_.backward_weight(&gdec[L_.W_in], dpre_.data(), r1_.data(), B);
    // residual r2 = r1 + mlp: dr1 = dr2 + dpre W_in, accumulated into dr2's buffer
    k_in_.backward_input(dr2_.data(), dpre_.data(), &dec[L_.W_in], B);
    const T* dr1 = dr2_.data();
    k_O_.backward_weight(&gdec[L_.W_O], dr1, z_.data(), B);
    k_O_.backward_input(dz_.data(), dr1, &dec[L_.W_O], B);
    // residual r1 = r0 + attention: dr1 is also the gradient of the last position's input
    if (symbol_path_) {
      sym_.zero_row_grads();
      attention_backward(sym_.dQs.data(), sym_.dKs.data(), sym_.dVs.data(), datt_.data(), dz_.data(), att_.data(),
                         sym_.Qs.data(), sym_.Ks.data(), sym_.Vs.data(), qrow_.data(), kvrow_.data(), B, Tn,
                         s.n_heads, s.d_head);
      symbol_qkv_backward(&genc[L_.W_E], &genc[L_.W_pos], &gdec[L_.W_Q], &gdec[L_.W_K], &gdec[L_.W_V], sym_, dr1,
                          &dec[L_.W_Q], &dec[L_.W_K], &dec[L_.W_V], tok_.data(), B, Tn, V, d);
      return;
    }
    std::fill_n(dq_.begin(), size_t(B) * HD, T(0));
    std::fill_n(dk_.begin(), size_t(B) * Tn * HD, T(0));
    std::fill_n(dv_.begin(), size_t(B) * Tn * HD, T(0));
    attention_backward(dq_.data(), dk_.data(), dv_.data(), datt_.data(), dz_.data(), att_.data(), q_.data(), k_.data(),
                       v_.data(), qrow_.data(), kvrow_.data(), B, Tn, s.n_heads, s.d_head);
    qkv_backward(dx_.data(), &gdec[L_.W_Q], &gdec[L_.W_K], &gdec[L_.W_V], dq_.data(), dk_.data(), dv_.data(), x_.data(),
                 &dec[L_.W_Q], &dec[L_.W_K], &dec[L_.W_V], B, Tn, d, HD);
    for (size_t i = 0; i < size_t(B); ++i)
      VecMap<T>(&dx_[(i * Tn + Tn - 1) * d], d) += ConstVecMap<T>(&dr1[i * d], d);
    position_embedding_backward(&genc[L_.W_E], &genc[L_.W_pos], dx_.data(), tok_.data(), B, Tn, d);
  }

  ParamSpan<T> encoder() override { return {enc.data(), genc.data(), enc.size()}; }
  ParamSpan<T> decoder() override { return {dec.data(), gdec.data(), dec.size()}; }
  // W_E without the "=" row: one row per symbol
  EmbeddingView<T> embedding() const override { return {&enc[L_.W_E], shape_.num_symbols, shape_.d_model}; }
  // The names of Nanda et al.'s code, each (rows, cols) as stored here (W (out, in) for W_O, W_in,
  // W_out, W_U; W_Q, W_K, W_V (H*dh, d)).
  std::vector<TensorView<T>> tensors() const override {
    const int V = shape_.vocab(), d = shape_.d_model, HD = shape_.hd(), M = shape_.d_mlp, C = shape_.num_classes;
    return {{"W_E", {V, d}, &enc[L_.W_E]},        {"W_pos", {shape_.n_ctx, d}, &enc[L_.W_pos]},
            {"W_Q", {HD, d}, &dec[L_.W_Q]},       {"W_K", {HD, d}, &dec[L_.W_K]},
            {"W_V", {HD, d}, &dec[L_.W_V]},       {"W_O", {d, HD}, &dec[L_.W_O]},
            {"W_in", {M, d}, &dec[L_.W_in]},      {"b_in", {M}, &dec[L_.b_in]},
            {"W_out", {d, M}, &dec[L_.W_out]},    {"b_out", {d}, &dec[L_.b_out]},
            {"W_U", {C, d}, &dec[L_.W_U]}};
  }
  int max_batch() const override { return max_batch_; }

  const TransformerShape& shape() const { return shape_; }
  const TransformerLayout& layout() const { return L_; }
  const T* output() const { return logits_.data(); }

  Buffer<T> enc, dec;    // parameters: [W_E, W_pos] and [W_Q, W_K, W_V, W_O, W_in, b_in, W_out, b_out, W_U]
  Buffer<T> genc, gdec;  // their gradients
  bool allow_symbol_shortcut = true;  // false: always the per-sample projections (for tests)

 private:
  TransformerShape shape_;
  TransformerLayout L_;
  int max_batch_;
  std::vector<int32_t> tok_, qrow_, kvrow_;  // (B, T), and the rows the attention reads (B), (B, T)
  Buffer<T> x_, dx_, q_, dq_, k_, dk_, v_, dv_, att_, datt_, z_, dz_;  // q, k, v: the per-sample path's
  Buffer<T> r1_, r2_, dr2_, pre_, post_, dpre_, dpost_, logits_, dlogits_;
  LinearKernels<T> k_O_, k_in_, k_out_, k_U_;
  SymbolQkvScratch<T> sym_;
  bool symbol_path_ = false;  // whether the last forward took the symbol path
};

}  // namespace geneft
