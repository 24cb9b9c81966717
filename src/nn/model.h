#pragma once
// The model interface the trainer, checkpoints, the init dump, the SLT network target and
// sweeps see. One implementation per architecture in src/nn/models/, chosen by `model.arch`
// through the registry (nn/models/registry.h). Coarse-grained: a few virtual calls per step;
// inside, layers stay free forward/backward function pairs over contiguous buffers.
//
// Parameters are two contiguous groups, each with its gradient of the same size: the encoder
// (the embedding: optim.encoder_lr/encoder_wd, Checkpoint::encoder) and the decoder (everything
// else: optim.decoder_lr/decoder_wd, Checkpoint::decoder). A step is, as in llm.c,
//   forward(batch); loss_sum(batch); zero_grad(); backward(batch); optimizer step
// where backward accumulates (+=) the gradient of the batch's mean loss into both groups.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/batch.h"
#include "nn/heads.h"

namespace geneft {

// One contiguous parameter group and its gradient.
template <class T>
struct ParamSpan {
  T* param = nullptr;
  T* grad = nullptr;
  size_t size = 0;
};

// A named tensor of the model, for the PyTorch peer (the init dump): PyTorch-style name
// ("embedding", "decoder.0.weight", ...), row-major shape, and its values.
template <class T>
struct TensorView {
  std::string name;
  std::vector<int> shape;
  const T* data = nullptr;
};

// The embedding matrix (rows, cols) row-major, one row per symbol: RQI, figures, stored embeddings.
template <class T>
struct EmbeddingView {
  const T* data = nullptr;
  int rows = 0, cols = 0;
};

template <class T>
class Model {
 public:
  virtual ~Model() = default;

  // Draws the initial weights (and fixed buffers such as the mse targets) from the run's seed.
  virtual void init(uint64_t seed) = 0;
  // Computes the outputs of the batch (at most max_batch() samples); UserError if the batch
  // lacks the inputs the model reads.
  virtual void forward(const Batch<T>& batch) = 0;
  // Summed loss and correct predictions of the last forward against batch.labels.
  virtual HeadStats evaluate(const Batch<T>& batch) const = 0;
  // Summed loss of the last forward alone (a training step's divergence check): a head whose
  // accuracy costs more than its loss skips it, and a model may keep the head's gradient,
  // computed in the same pass, for the backward of the same forward.
  virtual double loss_sum(const Batch<T>& batch) const { return evaluate(batch).loss_sum; }
  // Zeroes the gradients of both groups.
  virtual void zero_grad() = 0;
  // Accumulates (+=) the gradient of the last forward's mean loss into both groups.
  virtual void backward(const Batch<T>& batch) = 0;

  virtual ParamSpan<T> encoder() = 0;
  virtual ParamSpan<T> decoder() = 0;
  virtual EmbeddingView<T> embedding() const = 0;
  // Every parameter tensor and fixed buffer, named, in the order a peer builds them.
  virtual std::vector<TensorView<T>> tensors() const = 0;
  virtual int max_batch() const = 0;
};

}  // namespace geneft
