#pragma once
// A trained geneft run as a sampling target: the model of the run's config (model.arch),
// its training set (n = train size), and the parameters w = [enc, dec] of a checkpoint as w*.
// The loss is the per-sample negative log-likelihood that λ̂ needs: cross-entropy for the
// cross_entropy and binary heads; for the mse head the unit-variance Gaussian NLL
// ½|y − t|² = (D/2)·MSE (the training loss averages over the D output coordinates).
#include <memory>
#include <vector>

#include "core/config.h"
#include "core/run_result.h"
#include "nn/models/registry.h"
#include "slt/sampling_target.h"
#include "tasks/dataset.h"
#include "tasks/split.h"
#include "train/samples.h"

namespace geneft {

class NetworkTarget : public SamplingTarget {
 public:
  NetworkTarget(const RunConfig& cfg, const Dataset& data, const Split& split);
  size_t dim() const override { return enc_size_ + dec_size_; }
  int64_t num_samples() const override { return train_.size; }
  std::unique_ptr<LossWorker> make_worker(int max_batch) const override;
  std::string describe() const override;
  // w* of a checkpoint: [encoder, decoder]; UserError if the shapes differ from the config's model.
  std::vector<double> parameters(const Checkpoint& cp) const;

  size_t encoder_size() const { return enc_size_; }  // w = [encoder (this many), decoder]
  // The model's named parameter groups (nn/models/registry.h): encoder, decoder and the
  // architecture's own.
  const std::vector<ParameterGroup>& groups() const { return groups_; }
  // The group called `name`; UserError naming the model's groups when there is none.
  const ParameterGroup& group(const std::string& name) const;
  const RunConfig& config() const { return cfg_; }
  const Dataset& data() const { return data_; }
  const SampleSet& samples() const { return train_; }  // the training set
  // The same target on every training input paired with every label 0..labels-1 (sample
  // i·labels + y): what the model Fisher sums over.
  NetworkTarget with_every_label(int labels) const {
    NetworkTarget t(*this);
    const int64_t n = train_.size;
    t.train_.resize(int(n * labels), train_.positions);
    for (int64_t i = 0; i < n; ++i)
      for (int y = 0; y < labels; ++y) {
        const size_t r = size_t(i) * labels + y;
        for (int p = 0; p < train_.positions; ++p)
          t.train_.tokens[size_t(p) * t.train_.size + r] = train_.tokens[size_t(p) * n + i];
        t.train_.labels[r] = y;
      }
    return t;
  }

 private:
  RunConfig cfg_;
  Dataset data_;
  SampleSet train_;
  size_t enc_size_ = 0, dec_size_ = 0;
  std::vector<ParameterGroup> groups_;
};

}  // namespace geneft
