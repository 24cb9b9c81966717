#pragma once
// The encoder-decoder MLP (model.arch = "mlp"; Liu et al. 2022, arXiv:2205.10343): one
// trainable embedding per symbol, a combiner of the two embeddings a and b (token positions 0
// and 1 of the batch), an MLP decoder and a head. Parameters live in two contiguous buffers, one
// per optimizer group (encoder, decoder); activations are preallocated for `max_batch` rows.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "core/rng.h"
#include "nn/activation.h"
#include "nn/combiner.h"
#include "nn/embedding.h"
#include "nn/heads.h"
#include "tasks/dataset.h"
#include "nn/linear.h"
#include "nn/model.h"
#include "nn/symbol_linear.h"

namespace geneft {

struct ModelShape {
  int num_symbols;  // V
  int embed_dim;    // d
  Combiner combiner;
  int width;        // H
  int depth;        // hidden layers
  Activation activation;
  Head head;
  int num_classes;  // K
  int target_dim;   // mse and regression heads: D
  int features = 0;  // F > 0: dense inputs (B, F) enter the first Linear; no embedding
  int in_dim() const { return features > 0 ? features : combiner_width(combiner, embed_dim); }
  int out_dim() const { return head == Head::CrossEntropy ? num_classes : head == Head::Binary ? 1 : target_dim; }
};

// How the weights are drawn (Liu et al. 2022): embeddings U(-1/2, 1/2) or N(0, 1) times
// embed_scale; decoder PyTorch's default Linear init times decoder_scale; mse targets N(0, 1)
// times target_scale, or the one-hot class vectors (Omnigrok's MSE on images).
struct MlpInit {
  bool embed_normal = false, onehot_targets = false;
  double embed_scale = 1, decoder_scale = 1, target_scale = 1;
};

// Where one decoder Linear sits in the decoder buffer.
struct LinearSlot {
  size_t W, b;  // offsets of W (out, in) and bias (out)
  int in, out;
};

template <class T>
class EncoderDecoder : public Model<T> {
 public:
  EncoderDecoder(const ModelShape& shape, int max_batch, const MlpInit& init = {})
      : shape_(shape), init_(init), max_batch_(max_batch) {
    const int d = shape.embed_dim;
    enc.assign(size_t(shape.num_symbols) * d, T(0));
    size_t offset = 0;
    int in = shape.in_dim();
    for (int l = 0; l <= shape.depth; ++l) {
      const int out = l < shape.depth ? shape.width : shape.out_dim();
      layers_.push_back({offset, offset + size_t(out) * in, in, out});
      offset += size_t(out) * in + out;
      in = out;
    }
    dec.assign(offset, T(0));
    genc.assign(enc.size(), T(0));
    gdec.assign(dec.size(), T(0));
    if (shape.head == Head::Mse) targets.assign(size_t(shape.num_classes) * shape.target_dim, T(0));
    const size_t B = size_t(max_batch);
    ea_.resize(B * d), eb_.resize(B * d), dea_.resize(B * d), deb_.resize(B * d);
    if (shape.features == 0) x_.resize(B * shape.in_dim()), dx_.resize(B * shape.in_dim());
    pre_.resize(shape.depth), post_.resize(shape.depth);
    for (int l = 0; l < shape.depth; ++l) pre_[l].resize(B * shape.width), post_[l].resize(B * shape.width);
    out_.resize(B * shape.out_dim()), dout_.resize(B * shape.out_dim());
    const size_t widest = std::max<size_t>(shape.width, shape.out_dim());
    dh_.resize(B * widest), dh2_.resize(B * widest);
    const size_t first = size_t(shape.num_symbols) * layers_[0].out;
    Pa_.resize(first), Pb_.resize(first), dPa_.resize(first), dPb_.resize(first);
    // every product's kernel, planned for the largest batch (nn/gemm.h)
    for (const auto& L : layers_) kernels_.emplace_back(LinearKernelShape{.C = L.in, .OC = L.out}, max_batch);
    if (symbol_linear_applies(shape.combiner))
      symbol_kernels_.emplace_back(shape.num_symbols, shape.embed_dim, layers_[0].out, shape.combiner);
  }

  void init(uint64_t seed) override {
    Rng weights(seed, RngStream::Init);
    init_weights(weights, init_.embed_normal, init_.embed_scale, init_.decoder_scale);
    Rng targets(seed, RngStream::Targets);
    init_targets(targets, init_.target_scale);
  }

  // Embeddings: U(-1/2, 1/2)*scale or N(0,1)*scale (Liu et al. 2022). Decoder: PyTorch's default
  // Linear init U(-1/sqrt(in), 1/sqrt(in)) for W and bias, times decoder_scale.
  void init_weights(Rng& rng, bool embed_normal, double embed_scale, double decoder_scale) {
    for (auto& e : enc) e = T((embed_normal ? rng.normal() : rng.uniform() - 0.5) * embed_scale);
    for (const auto& L : layers_) {
      const double bound = 1.0 / std::sqrt(double(L.in));
      for (size_t i = 0; i < size_t(L.out) * L.in; ++i) dec[L.W + i] = T(rng.uniform(-bound, bound) * decoder_scale);
      for (int i = 0; i < L.out; ++i) dec[L.b + i] = T(rng.uniform(-bound, bound) * decoder_scale);
    }
  }
  void init_targets(Rng& rng, double scale) {
    for (auto& t : targets) t = T(rng.normal() * scale);
    if (init_.onehot_targets)
      for (size_t i = 0; i < targets.size(); ++i) targets[i] = T(i % (shape_.target_dim + 1) == 0 ? 1 : 0);
  }

  // Fills the output buffer (B, out_dim) for the samples (a[i], b[i]) = token positions 0 and 1,
  // or for the dense rows (B, F).
  void forward(const Batch<T>& batch) override {
    if (shape_.features > 0 && (batch.features != shape_.features || batch.size > max_batch_))
      throw UserError("the mlp model reads " + std::to_string(shape_.features) + " dense inputs per sample, at most " +
                      std::to_string(max_batch_) + " samples; the batch has " + std::to_string(batch.features) +
                      " inputs, " + std::to_string(batch.size) + " samples");
    if (shape_.features == 0 && (batch.positions < 2 || batch.size > max_batch_))
      throw UserError("the mlp model reads two tokens (a, b) per sample, at most " + std::to_string(max_batch_) +
                      " samples; the batch has " + std::to_string(batch.positions) + " tokens, " +
                      std::to_string(batch.size) + " samples");
    if (shape_.head == Head::Regression && (batch.target_dim != shape_.target_dim || !batch.targets))
      throw UserError("the mlp model's regression head compares " + std::to_string(shape_.target_dim) +
                      " outputs with each sample's dense target; the batch has " + std::to_string(batch.target_dim));
    const auto& s = shape_;
    const int B = batch.size;
    const int32_t *a = batch.tokens ? batch.position(0) : nullptr, *b = batch.tokens ? batch.position(1) : nullptr;
    head_grad_ready_ = false;
    // The first Linear per symbol when there are fewer symbols than samples (symbol_linear.h).
    symbol_path_ = s.features == 0 && allow_symbol_shortcut && symbol_linear_applies(s.combiner) && s.num_symbols < B;
    const T* h = s.features > 0 ? batch.dense : x_.data();
    for (int l = 0; l <= s.depth; ++l) {
      const auto& L = layers_[l];
      const bool hidden = l < s.depth;
      T* out = hidden ? pre_[l].data() : out_.data();
      if (l == 0 && symbol_path_) {
        symbol_linear_forward(symbol_kernels_[0], out, Pa_.data(), Pb_.data(), enc.data(), &dec[L.W], &dec[L.b], a, b,
                              B, s.num_symbols, s.embed_dim, L.out, s.combiner);
        if (hidden) activation_forward(post_[l].data(), out, size_t(B) * L.out, s.activation);
      } else {
        if (l == 0 && s.features == 0) {
          embedding_forward(ea_.data(), eb_.data(), enc.data(), a, b, B, s.embed_dim);
          combiner_forward(x_.data(), ea_.data(), eb_.data(), B, s.embed_dim, s.combiner);
        }
        if (hidden)
          linear_act_forward(kernels_[l], out, post_[l].data(), h, &dec[L.W], &dec[L.b], B, L.out, s.activation);
        else
          linear_forward(kernels_[l], out, h, &dec[L.W], &dec[L.b], B, L.out);
      }
      if (hidden) h = post_[l].data();
    }
  }

  // Loss summed over the batch and correct predictions, from the last forward.
  HeadStats evaluate(const Batch<T>& batch) const override {
    const int32_t* labels = batch.labels;
    const int B = batch.size;
    switch (shape_.head) {
      case Head::CrossEntropy: return cross_entropy_forward(out_.data(), labels, B, shape_.num_classes);
      case Head::Mse: return mse_forward(out_.data(), targets.data(), labels, B, shape_.target_dim, shape_.num_classes);
      case Head::Binary: return binary_forward(out_.data(), labels, B);
      case Head::Regression: return regression_forward(out_.data(), batch.targets, B, shape_.target_dim);
    }
    return {};
  }

  // A training step's loss, without the accuracy: the head's loss and its gradient in one pass
  // over the outputs (heads.h), the gradient kept for the backward of the same forward.
  double loss_sum(const Batch<T>& batch) const override {
    const double loss = head_loss_backward(batch);
    head_grad_ready_ = true;
    return loss;
  }

  void zero_grad() override {
    std::fill(genc.begin(), genc.end(), T(0));
    std::fill(gdec.begin(), gdec.end(), T(0));
  }

  // Accumulates the gradients of the mean loss of the last forward into genc and gdec.
  void backward(const Batch<T>& batch) override {
    const auto& s = shape_;
    const int B = batch.size;
    const int32_t *a = batch.tokens ? batch.position(0) : nullptr, *b = batch.tokens ? batch.position(1) : nullptr;
    if (!head_grad_ready_) head_loss_backward(batch);  // loss_sum has not written it since the forward
    head_grad_ready_ = false;
    const T* g = dout_.data();
    bias_backward(&gdec[layers_[s.depth].b], g, B, s.out_dim());
    for (int l = s.depth; l > 0; --l) {
      const auto& L = layers_[l];
      kernels_[l].backward_weight(&gdec[L.W], g, post_[l - 1].data(), B);
      kernels_[l].backward_input(dh_.data(), g, &dec[L.W], B);
      // the activation's derivative and the bias gradient of the layer below, in one pass
      activation_bias_backward(dh2_.data(), &gdec[layers_[l - 1].b], dh_.data(), pre_[l - 1].data(),
                               post_[l - 1].data(), B, L.in, s.activation);
      g = dh2_.data();
    }
    const auto& L = layers_[0];
    if (s.features > 0) {  // dense inputs: no gradient to pass on (layer 0's bias is done above)
      kernels_[0].backward_weight(&gdec[L.W], g, batch.dense, B);
      return;
    }
    if (symbol_path_) {
      symbol_linear_backward(symbol_kernels_[0], genc.data(), &gdec[L.W], (T*)nullptr, dPa_.data(), dPb_.data(), g,
                             enc.data(), &dec[L.W], a, b, B, s.num_symbols, s.embed_dim, L.out, s.combiner);
      return;
    }
    kernels_[0].backward_weight(&gdec[L.W], g, x_.data(), B);
    kernels_[0].backward_input(dx_.data(), g, &dec[L.W], B);
    combiner_backward(dea_.data(), deb_.data(), dx_.data(), ea_.data(), eb_.data(), B, s.embed_dim, s.combiner);
    embedding_backward(genc.data(), dea_.data(), deb_.data(), a, b, B, s.embed_dim);
  }

  ParamSpan<T> encoder() override { return {enc.data(), genc.data(), enc.size()}; }
  ParamSpan<T> decoder() override { return {dec.data(), gdec.data(), dec.size()}; }
  EmbeddingView<T> embedding() const override { return {enc.data(), shape_.num_symbols, shape_.embed_dim}; }
  // embedding (V, d), decoder.l.weight (out, in) and decoder.l.bias (out) per Linear, targets (K, D)
  std::vector<TensorView<T>> tensors() const override {
    std::vector<TensorView<T>> t = {{"embedding", {shape_.num_symbols, shape_.embed_dim}, enc.data()}};
    for (size_t l = 0; l < layers_.size(); ++l) {
      const auto& L = layers_[l];
      t.push_back({"decoder." + std::to_string(l) + ".weight", {L.out, L.in}, &dec[L.W]});
      t.push_back({"decoder." + std::to_string(l) + ".bias", {L.out}, &dec[L.b]});
    }
    if (shape_.head == Head::Mse) t.push_back({"targets", {shape_.num_classes, shape_.target_dim}, targets.data()});
    return t;
  }
  int max_batch() const override { return max_batch_; }

  const ModelShape& shape() const { return shape_; }
  const std::vector<LinearSlot>& layers() const { return layers_; }
  const T* output() const { return out_.data(); }

  Buffer<T> enc, dec;    // parameters: E (V, d); decoder Linears [W (out, in), b (out)] in order
  Buffer<T> genc, gdec;  // their gradients
  Buffer<T> targets;     // mse head: (K, D) fixed target vectors
  bool allow_symbol_shortcut = true;  // false: always the plain per-sample first layer (for tests)

 private:
  // Writes the gradient of the mean loss of the last forward into dout_; returns the summed loss.
  double head_loss_backward(const Batch<T>& batch) const {
    const int32_t* labels = batch.labels;
    const int B = batch.size;
    switch (shape_.head) {
      case Head::CrossEntropy: return cross_entropy_loss_backward(dout_.data(), out_.data(), labels, B, shape_.num_classes);
      case Head::Mse: return mse_loss_backward(dout_.data(), out_.data(), targets.data(), labels, B, shape_.target_dim);
      case Head::Binary: return binary_loss_backward(dout_.data(), out_.data(), labels, B);
      case Head::Regression: return regression_loss_backward(dout_.data(), out_.data(), batch.targets, B, shape_.target_dim);
    }
    return 0;
  }

  ModelShape shape_;
  MlpInit init_;
  int max_batch_;
  std::vector<LinearSlot> layers_;
  std::vector<LinearKernels<T>> kernels_;               // one per Linear
  std::vector<SymbolLinearKernels<T>> symbol_kernels_;  // the first Linear per symbol (when it applies)
  Buffer<T> ea_, eb_, dea_, deb_, x_, dx_, out_, dh_, dh2_;
  mutable Buffer<T> dout_;             // the head's gradient, written by loss_sum or backward
  mutable bool head_grad_ready_ = false;  // dout_ holds the head's gradient of the last forward
  Buffer<T> Pa_, Pb_, dPa_, dPb_;  // symbol path: first layer per symbol, (V, OC)
  bool symbol_path_ = false;            // whether the last forward took the symbol path
  std::vector<Buffer<T>> pre_, post_;
};

// The MLP's shape for a config and dataset (also used to estimate a run's memory).
ModelShape mlp_shape(const ModelConfig& m, const Dataset& data);

}  // namespace geneft
