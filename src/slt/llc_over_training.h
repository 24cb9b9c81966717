#pragma once
// λ̂ at the stored checkpoints of a run (Lau et al. 2023 estimator at each w*_t), stored in
// llc_estimates/llc_traces, and the figure of λ̂ beside train and test loss over training.
#include <string>
#include <vector>

#include "slt/local_learning_coefficient.h"
#include "store/store.h"

namespace geneft {

struct CheckpointLlc {
  int64_t step = 0;
  LlcEstimate estimate;
  int64_t estimate_id = 0;
  double wall_seconds = 0;
};

// Steps: the run's checkpoint steps to measure (each must exist: UserError naming the ones that do).
// group: all, or one of the model's parameter groups (NetworkTarget::groups: encoder, decoder;
// the transformer's embed, attention, mlp, unembed) — restricted λ̂ samples only that group, the
// rest held at w* (recorded in the stored settings as "group").
std::vector<CheckpointLlc> measure_llc_over_training(Store& store, const std::string& run_id,
                                                     const std::vector<int64_t>& steps, const SgldSettings& settings,
                                                     bool progress, const std::string& group = "all");

// PREFIX.png / .svg: train and test loss (left axis, log scale) and λ̂ ± std (right axis) against step.
void plot_llc_over_training(const std::string& prefix, const std::string& title, const std::vector<EvalPoint>& curve,
                            const std::vector<CheckpointLlc>& llc);

// Defaults for a trained network (devinterp-like, with a smaller ε): tune with llc-calibrate.
inline SgldSettings network_sampler_defaults() {
  SgldSettings s;
  s.epsilon = 3e-4, s.gamma = 100, s.chains = 4, s.burn_in = 1000, s.draws = 1000, s.thin = 1;
  return s;
}

// Sampler settings as JSON (stored with each estimate).
std::string settings_json(const SgldSettings& s, double nbeta, const std::string& group = "all");

}  // namespace geneft
