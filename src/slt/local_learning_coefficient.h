#pragma once
// The local learning coefficient estimator of Lau et al. 2023 (arXiv:2308.12108, Sec. 4):
//   λ̂(w*) = nβ · ( E_w[L_n(w)] − L_n(w*) ),
// the expectation over the localized tempered posterior, estimated per chain by the mean of
// the chain's draws; reported as mean and standard deviation over chains. Diagnostics: MALA
// acceptance, the fraction of draws below L_n(w*), and warnings (non-stationary traces after
// burn-in, a negative λ̂, diverged chains, chains that disagree (R̂), one chain in a stiff region, and a
// step size whose discretization bias is more than 5% of λ̂).
#include <string>
#include <vector>

#include "slt/sgld_sampler.h"

namespace geneft {

struct LlcEstimate {
  double mean = 0, std = 0;         // over non-diverged chains (std: sample std, n-1)
  std::vector<double> per_chain;    // λ̂ of each chain (NaN for a diverged chain)
  double loss_at_center = 0, nbeta = 0;
  double mala_acceptance = 0;       // mean over chains
  double fraction_below_center = 0; // fraction of all draws with L_n(w) < L_n(w*)
  double trend = 0;                 // mean over chains of λ̂(second half of draws) − λ̂(first half)
  double rhat = 0;                  // Gelman–Rubin potential scale reduction of the loss draws over chains
  double min_chain_mala = 0;        // the lowest chain's MALA acceptance
  // Euler–Maruyama's bias of λ̂ (ChainTrace::discretization_bias): mean over chains, and the largest
  double discretization_bias = 0, max_chain_discretization_bias = 0;
  int diverged_chains = 0;
  std::vector<std::string> warnings;
};

LlcEstimate estimate_llc(const SgldResult& result);

// λ̂ with the step chosen automatically: while the worst chain's Euler–Maruyama bias exceeds 5% of
// λ̂ (the warning of estimate_llc), sample again with ε/4 and 4× the burn-in and thinning — the same
// simulated time ε·steps, so the chains explore the same region — at most max_refinements times
// (each 4× the cost of the last).
struct SteppedLlc {
  SgldSettings settings;  // the settings of the run kept (ε refined)
  SgldResult result;
  LlcEstimate estimate;
  int refinements = 0;
  double first_epsilon = 0, first_bias = 0;  // ε asked for, and the worst chain's bias there
};
SteppedLlc estimate_llc_with_step_control(const SamplingTarget& target, const std::vector<double>& center,
                                          const SgldSettings& settings, int max_refinements = 2);
bool step_too_large(const LlcEstimate& e);

}  // namespace geneft
