#include "slt/tempering_sampler.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/error.h"
#include "core/rng.h"
#include "slt/chain_pool.h"

namespace geneft {
namespace {

// State of one replica: w, its loss and gradient, log p_β(w) and its gradient, step size.
struct Replica {
  std::vector<double> w, grad, drift;  // drift = ∇log p_β(w)
  double loss = 0, logp = 0, epsilon = 0;
  int64_t accepted = 0, proposed = 0;
};

// log p_β(w) = −β n L − γ/2 |w|², drift = −β n ∇L − γ w, from the stored loss and gradient (also
// after a swap moves a state to another β)
void retemper(int64_t n, double beta, double gamma, Replica& r) {
  double w2 = 0;
  for (size_t i = 0; i < r.w.size(); ++i) {
    w2 += r.w[i] * r.w[i];
    r.drift[i] = -beta * double(n) * r.grad[i] - gamma * r.w[i];
  }
  r.logp = -beta * double(n) * r.loss - 0.5 * gamma * w2;
}

void evaluate(LossWorker& worker, int64_t n, double beta, double gamma, Replica& r) {
  r.loss = worker.loss(r.w.data(), nullptr, int(n), r.grad.data());
  retemper(n, beta, gamma, r);
}

TemperedChain run_chain(const SamplingTarget& target, const TemperingSettings& s, const std::vector<double>& betas,
                        int chain) {
  const size_t d = target.dim();
  const int64_t n = target.num_samples();
  const int R = int(betas.size());
  auto worker = target.make_worker(int(n));
  Rng rng(splitmix64(s.seed ^ splitmix64(0x7E3900 + uint64_t(chain))));
  std::vector<Replica> reps(R);
  Replica prop;  // the proposal, allocated once
  prop.w.resize(d), prop.grad.resize(d), prop.drift.resize(d);
  for (int k = 0; k < R; ++k) {
    Replica& r = reps[k];
    r.w.resize(d), r.grad.resize(d), r.drift.resize(d);
    for (auto& x : r.w) x = rng.normal() / std::sqrt(s.gamma);
    evaluate(*worker, n, betas[k], s.gamma, r);
    // initial step: a fraction of the smaller of the prior and likelihood scales
    r.epsilon = 0.5 / (s.gamma + betas[k] * double(n));
  }
  TemperedChain out;
  out.parameters.reserve(size_t(s.draws) * d), out.loss.reserve(s.draws);
  int64_t swaps_accepted = 0, swaps_proposed = 0;
  const int64_t sweeps = int64_t(s.burn_in) + int64_t(s.draws) * s.thin;
  for (int64_t sweep = 0; sweep < sweeps; ++sweep) {
    const bool burning = sweep < s.burn_in;
    for (int k = 0; k < R; ++k) {  // one MALA step per replica
      Replica& r = reps[k];
      const double e = r.epsilon;
      for (size_t i = 0; i < d; ++i) prop.w[i] = r.w[i] + 0.5 * e * r.drift[i] + std::sqrt(e) * rng.normal();
      evaluate(*worker, n, betas[k], s.gamma, prop);
      double log_q_fwd = 0, log_q_rev = 0;  // log q(w'|w), log q(w|w') up to the same constant
      for (size_t i = 0; i < d; ++i) {
        const double f = prop.w[i] - r.w[i] - 0.5 * e * r.drift[i];
        const double b = r.w[i] - prop.w[i] - 0.5 * e * prop.drift[i];
        log_q_fwd -= f * f / (2 * e), log_q_rev -= b * b / (2 * e);
      }
      if (!std::isfinite(prop.loss)) {
        out.diverged = true;
        return out;
      }
      const double log_ratio = prop.logp - r.logp + log_q_rev - log_q_fwd;
      const bool accept = log_ratio >= 0 || rng.uniform() < std::exp(log_ratio);
      if (accept) {
        std::swap(r.w, prop.w), std::swap(r.grad, prop.grad), std::swap(r.drift, prop.drift);
        r.loss = prop.loss, r.logp = prop.logp;
      }
      if (burning) {  // Robbins–Monro on log ε towards acceptance 0.574
        r.epsilon *= std::exp(((accept ? 1.0 : 0.0) - 0.574) * 0.02);
      } else {
        r.accepted += accept, ++r.proposed;
      }
    }
    // replica exchange between neighbours, even pairs on even sweeps, odd pairs on odd sweeps
    for (int k = int(sweep % 2); k + 1 < R; k += 2) {
      const double log_a = (betas[k] - betas[k + 1]) * double(n) * (reps[k].loss - reps[k + 1].loss);
      const bool swap = log_a >= 0 || rng.uniform() < std::exp(log_a);
      if (swap) {
        std::swap(reps[k].w, reps[k + 1].w), std::swap(reps[k].grad, reps[k + 1].grad);
        std::swap(reps[k].loss, reps[k + 1].loss);
        retemper(n, betas[k], s.gamma, reps[k]);
        retemper(n, betas[k + 1], s.gamma, reps[k + 1]);
      }
      if (!burning) swaps_accepted += swap, ++swaps_proposed;
    }
    if (!burning && (sweep - s.burn_in + 1) % s.thin == 0) {
      out.parameters.insert(out.parameters.end(), reps[0].w.begin(), reps[0].w.end());
      out.loss.push_back(reps[0].loss);
    }
  }
  out.mala_acceptance = reps[0].proposed ? double(reps[0].accepted) / double(reps[0].proposed) : NAN;
  out.swap_acceptance = swaps_proposed ? double(swaps_accepted) / double(swaps_proposed) : NAN;
  return out;
}

}  // namespace

void validate(const TemperingSettings& s) {
  auto bad = [](const std::string& opt, const std::string& value, const std::string& allowed) {
    return UserError("--" + opt + " = " + value + " is out of range: allowed " + allowed);
  };
  if (!(s.gamma > 0) || !std::isfinite(s.gamma)) throw bad("gamma", std::to_string(s.gamma), "a positive number (prior precision)");
  if (s.replicas < 1 || s.replicas > 64) throw bad("replicas", std::to_string(s.replicas), "[1, 64]");
  if (!(s.beta_min > 0 && s.beta_min < 1)) throw bad("beta-min", std::to_string(s.beta_min), "(0, 1)");
  if (s.chains < 1 || s.chains > 1024) throw bad("chains", std::to_string(s.chains), "[1, 1024]");
  if (s.draws < 2) throw bad("draws", std::to_string(s.draws), "at least 2");
  if (s.burn_in < 0) throw bad("burn-in", std::to_string(s.burn_in), "at least 0");
  if (s.thin < 1) throw bad("thin", std::to_string(s.thin), "at least 1");
  if (s.threads < 0) throw bad("threads", std::to_string(s.threads), "at least 0 (0: all hardware threads)");
}

std::vector<double> temperature_ladder(const TemperingSettings& s) {
  std::vector<double> b(s.replicas, 1.0);
  for (int k = 1; k < s.replicas; ++k) b[k] = std::pow(s.beta_min, double(k) / double(s.replicas - 1));
  return b;
}

TemperingResult run_tempering(const SamplingTarget& target, const TemperingSettings& settings) {
  validate(settings);
  const auto t0 = std::chrono::steady_clock::now();
  TemperingResult r;
  r.betas = temperature_ladder(settings);
  r.chains.resize(settings.chains);
  run_chains(settings.chains, settings.threads, [&](int c) { r.chains[c] = run_chain(target, settings, r.betas, c); });
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace geneft
