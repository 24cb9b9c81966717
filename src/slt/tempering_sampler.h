#pragma once
// The tempered posterior p_β(w) ∝ exp(−β n L_n(w)) N(w; 0, γ⁻¹ I) sampled without localization by
// MALA (Roberts & Tweedie 1996: Langevin proposal, Metropolis–Hastings accept/reject, so the chain
// is exact at any step size) on a ladder of inverse temperatures β_R−1 < … < β_0 = 1 with
// replica exchange between neighbours (parallel tempering; Swendsen & Wang 1986, Geyer 1991):
// a swap of replicas k, k+1 is accepted with probability min(1, exp((β_k − β_{k+1}) n (L_k − L_{k+1}))).
// The hot replicas (β ≈ β_min) move across loss barriers; only draws of β_0 = 1 are kept.
// Step sizes adapt per replica during burn-in towards an acceptance of 0.574 (Roberts & Rosenthal
// 1998) and are frozen after it. Chains are independent, each seeded from (seed, chain), on threads.
#include <cstdint>
#include <vector>

#include "slt/sampling_target.h"

namespace geneft {

struct TemperingSettings {
  double gamma = 1.0;       // prior precision γ: N(0, γ⁻¹ I)
  int replicas = 8;         // β geometric from 1 down to beta_min
  double beta_min = 0.01;
  int chains = 4;
  int burn_in = 2000;       // sweeps discarded per chain (step sizes adapt here)
  int draws = 500;          // β = 1 draws kept per chain
  int thin = 4;             // sweeps between draws
  uint64_t seed = 0;
  int threads = 0;          // 0: one per hardware thread (at most one per chain)
};

// UserError naming the option, value and allowed range.
void validate(const TemperingSettings& s);
// β_k = beta_min^{k/(R−1)}, k = 0..R−1 (β_0 = 1)
std::vector<double> temperature_ladder(const TemperingSettings& s);

struct TemperedChain {
  std::vector<double> parameters;  // (draws, dim) row-major, the β = 1 replica
  std::vector<double> loss;        // L_n at each draw
  double mala_acceptance = 0;      // β = 1 replica, after burn-in
  double swap_acceptance = 0;      // mean over neighbour pairs, after burn-in
  bool diverged = false;           // a non-finite loss; the chain stops there
};

struct TemperingResult {
  std::vector<TemperedChain> chains;
  std::vector<double> betas;
  double wall_seconds = 0;
};

// Every replica of every chain starts at a draw of the prior.
TemperingResult run_tempering(const SamplingTarget& target, const TemperingSettings& settings);

}  // namespace geneft
