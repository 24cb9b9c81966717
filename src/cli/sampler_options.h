#pragma once
// Sampler options shared by `geneft llc` and `geneft llc-calibrate`. Unset options keep the
// defaults of what is measured (a validation model's own settings, or those of a network).
#include <CLI/CLI.hpp>
#include <optional>

#include "slt/sgld_sampler.h"

namespace geneft {

struct SamplerOptions {
  std::optional<double> epsilon, gamma, nbeta;
  std::optional<int> chains, draws, burn_in, thin, threads;
  std::optional<int64_t> batch_size;
  std::string sampler = "sgld";
  uint64_t seed = 0;

  void add_to(CLI::App* cmd, bool grid_options = false) {
    if (!grid_options) {
      cmd->add_option("--epsilon", epsilon, "SGLD step size ε (> 0)");
      cmd->add_option("--nbeta", nbeta, "nβ, inverse temperature times n (> 0; default n / ln n)");
    }
    cmd->add_option("--gamma", gamma, "localization strength γ (>= 0)");
    cmd->add_option("--chains", chains, "independent chains, run on parallel threads");
    cmd->add_option("--draws", draws, "loss draws per chain after burn-in");
    cmd->add_option("--burn-in", burn_in, "steps discarded per chain");
    cmd->add_option("--thin", thin, "steps between draws");
    cmd->add_option("--batch-size", batch_size, "samples per gradient (0: full batch)");
    cmd->add_option("--sampler", sampler, "sgld, or rmsprop (RMSProp-preconditioned SGLD)")
        ->check(CLI::IsMember({"sgld", "rmsprop"}))
        ->capture_default_str();
    cmd->add_option("--seed", seed, "seed of the chains (chain c uses a stream derived from seed and c)")
        ->capture_default_str();
    cmd->add_option("--threads", threads, "threads (default: one per core, at most one per chain)");
  }

  SgldSettings apply(SgldSettings s) const {
    if (epsilon) s.epsilon = *epsilon;
    if (gamma) s.gamma = *gamma;
    if (nbeta) {
      if (!(*nbeta > 0)) throw UserError("--nbeta = " + std::to_string(*nbeta) + " is out of range: allowed > 0");
      s.nbeta = *nbeta;
    }
    if (chains) s.chains = *chains;
    if (draws) s.draws = *draws;
    if (burn_in) s.burn_in = *burn_in;
    if (thin) s.thin = *thin;
    if (threads) s.threads = *threads;
    if (batch_size) s.batch_size = *batch_size;
    s.rmsprop = sampler == "rmsprop";
    s.seed = seed;
    validate(s);
    return s;
  }
};

}  // namespace geneft
