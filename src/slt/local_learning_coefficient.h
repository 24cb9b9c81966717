#pragma once
// The local learning coefficient estimator of Lau et al. 2023 (arXiv:2308.12108, Sec. 4):
//   λ̂(w*) = nβ · ( E_w[L_n(w)] − L_n(w*) ),
// the expectation over the localized tempered posterior, estimated per chain by the mean of
// the chain's draws; reported as mean and standard deviation over chains. Diagnostics: MALA
// acceptance, the fraction of draws below L_n(w*), and warnings (non-stationary traces after
// burn-in, a negative λ̂, diverged chains, chains that disagree (R̂) or one chain in a stiff region).
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
  int diverged_chains = 0;
  std::vector<std::string> warnings;
};

LlcEstimate estimate_llc(const SgldResult& result);

}  // namespace geneft
