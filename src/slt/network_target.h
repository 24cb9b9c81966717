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

  const RunConfig& config() const { return cfg_; }
  const Dataset& data() const { return data_; }
  const SampleSet& samples() const { return train_; }  // the training set

 private:
  RunConfig cfg_;
  Dataset data_;
  SampleSet train_;
  size_t enc_size_ = 0, dec_size_ = 0;
};

}  // namespace geneft
