#pragma once
// SGLD localized at w* (Lau et al. 2023, arXiv:2308.12108, Sec. 4, the SGLD update of the
// local learning coefficient estimator):
//   w ← w − (ε/2)·[nβ ∇L_m(w) + γ (w − w*) − ∇log φ(w)] + N(0, ε·I)
// (the prior's drift, when a target has one, is applied as its exact flow: sampling_target.h)
// and its RMSProp-preconditioned variant (Li, Chen, Carlson, Carin 2016, "Preconditioned
// stochastic gradient Langevin dynamics", eq. 4 without the Γ term; recommended for local
// sampling by Hitchcock & Hoogland 2025):
//   V ← α V + (1−α) g²,  G = 1/(√V + δ),  w ← w − (ε/2)·G⊙g + N(0, ε·G)
// with g the bracket above. Chains are independent, each seeded from (seed, chain index), and
// run on parallel threads; a chain's result does not depend on the number of threads.
#include <cstdint>
#include <string>
#include <vector>

#include "slt/sampling_target.h"

namespace geneft {

struct SgldSettings {
  double epsilon = 1e-4;   // step size ε
  double gamma = 100.0;    // localization strength γ
  double nbeta = 0.0;      // nβ; 0: n / ln n (β = 1/ln n, Watanabe 2013)
  int chains = 4;
  int draws = 200;         // loss values recorded per chain after burn-in
  int burn_in = 200;       // steps discarded per chain
  int thin = 1;            // steps between draws
  int64_t batch_size = 0;  // samples per gradient; 0: full batch
  bool rmsprop = false;    // RMSProp preconditioning
  double rmsprop_alpha = 0.99, rmsprop_delta = 1e-5;
  uint64_t seed = 0;
  int threads = 0;         // 0: one per hardware thread (at most one per chain)
  bool keep_parameters = false;  // also record w at every draw (ChainTrace::parameters)
  // Restricted sampling (devinterp's optimize_over): when active_end > active_begin only
  // w[active_begin, active_end) moves; gradient, noise and localization of the other coordinates
  // are masked, so they stay at their start (w*).
  size_t active_begin = 0, active_end = 0;
};

// Checks every setting; UserError naming the option, value and allowed range.
void validate(const SgldSettings& s);
// nβ actually used for a target with n samples.
double effective_nbeta(const SgldSettings& s, int64_t n);

struct ChainTrace {
  std::vector<double> loss;      // L_n at each draw (full-batch loss at the drawn w)
  std::vector<double> parameters;  // with keep_parameters: (draws, dim) row-major, w at each draw
  double mala_acceptance = 0;    // mean MALA acceptance probability of the proposals after burn-in
  // Euler–Maruyama's bias of this chain's λ̂, (nβ/8)·mean over steps after burn-in of
  // Δ∇L_n·Δw ≈ (ε/8)·nβ tr ∇²L_n (full batch; NaN with minibatches, whose gradient noise it would count)
  double discretization_bias = 0;
  bool diverged = false;         // a loss or parameter became non-finite; the trace stops there
};

struct SgldResult {
  std::vector<ChainTrace> chains;
  double loss_at_center = 0;  // L_n(w*)
  double nbeta = 0;
  int64_t n = 0;
  int64_t steps_per_chain = 0;
  double wall_seconds = 0;
};

// Runs settings.chains chains localized at w* = center, each starting from `start` (default: center).
SgldResult run_sgld(const SamplingTarget& target, const std::vector<double>& center, const SgldSettings& settings,
                    const std::vector<double>* start = nullptr);

}  // namespace geneft
