#include "slt/sgld_sampler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "slt/chain_pool.h"

namespace geneft {
namespace {

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// out[0..N) ~ N(0, 1), both values of each Box-Muller pair.
void fill_normal(double* out, size_t N, Rng& rng) {
  for (size_t i = 0; i < N; i += 2) {
    double u1;
    do { u1 = rng.uniform(); } while (u1 <= 0.0);
    const double r = std::sqrt(-2.0 * std::log(u1)), t = 2.0 * M_PI * rng.uniform();
    out[i] = r * std::cos(t);
    if (i + 1 < N) out[i + 1] = r * std::sin(t);
  }
}

uint64_t chain_seed(uint64_t seed, int chain) { return splitmix64(seed ^ splitmix64(0x51D0000 + uint64_t(chain))); }

// One chain: the update of sgld_sampler.h, the MALA acceptance probability of every proposal
// (computed from the next step's loss and gradient, never used to reject), and the draws.
ChainTrace run_chain(const SamplingTarget& target, const std::vector<double>& center, const std::vector<double>& start,
                     const SgldSettings& s, double nbeta, int chain) {
  const size_t d = target.dim();
  const int64_t n = target.num_samples();
  const bool full_batch = s.batch_size <= 0 || s.batch_size >= n;
  const int m = full_batch ? int(n) : int(s.batch_size);
  auto worker = target.make_worker(m);
  Rng rng(chain_seed(s.seed, chain));

  // Contiguous state, allocated once: w, loss gradient, g = nβ∇L + γ(w − w*), preconditioner G,
  // RMSProp second moment V, noise, step εG, proposal mean, and the previous step's w, proposal
  // mean and G (for MALA).
  std::vector<double> w(start), grad(d), g(d), G(d, 1.0), V(d, 0.0), noise(d + 1), step_size(d), mean(d);
  std::vector<double> prev_w(d), prev_mean(d), prev_G(d, 1.0), prev_grad(d);
  std::vector<int32_t> pool(full_batch ? 0 : n), idx(full_batch ? 0 : m);
  std::iota(pool.begin(), pool.end(), 0);

  // coordinates that move: all, or the restricted group
  const size_t lo = s.active_end > s.active_begin ? s.active_begin : 0;
  const size_t hi = s.active_end > s.active_begin ? s.active_end : d;
  ChainTrace trace;
  trace.loss.reserve(s.draws);
  if (s.keep_parameters) trace.parameters.reserve(size_t(s.draws) * d);
  const int64_t steps = int64_t(s.burn_in) + int64_t(s.draws - 1) * s.thin + 1;
  double prev_logp = 0, acceptance_sum = 0, curvature_sum = 0;
  int64_t acceptance_count = 0;
  for (int64_t step = 0; step < steps; ++step) {
    const bool is_draw = step >= s.burn_in && (step - s.burn_in) % s.thin == 0;
    double L, Ln = 0;
    if (full_batch) {
      L = Ln = worker->loss(w.data(), nullptr, int(n), grad.data());
    } else {  // m distinct samples (partial Fisher-Yates on a persistent pool)
      for (int i = 0; i < m; ++i) {
        std::swap(pool[i], pool[i + rng.below(uint64_t(n - i))]);
        idx[i] = pool[i];
      }
      L = worker->loss(w.data(), idx.data(), m, grad.data());
      if (is_draw) Ln = worker->loss(w.data(), nullptr, int(n), nullptr);
    }
    if (!std::isfinite(L) || !std::isfinite(Ln)) {
      trace.diverged = true;
      break;
    }
    // log p(w) = -nβ L - γ/2 |w - w*|² + log φ(w);  g = nβ ∇L + γ (w - w*)  (the prior's drift is
    // added through its exact flow, SamplingTarget::add_prior_shift)
    double dist2 = 0;
    for (size_t i = lo; i < hi; ++i) dist2 += (w[i] - center[i]) * (w[i] - center[i]);
    const double logp = -nbeta * L - 0.5 * s.gamma * dist2 + target.log_prior(w.data());
    for (size_t i = 0; i < d; ++i) g[i] = nbeta * grad[i] + s.gamma * (w[i] - center[i]);
    if (s.rmsprop) {
      const double a = step == 0 ? 0.0 : s.rmsprop_alpha;
      for (size_t i = 0; i < d; ++i) {
        V[i] = a * V[i] + (1 - a) * g[i] * g[i];
        G[i] = 1.0 / (std::sqrt(V[i]) + s.rmsprop_delta);
      }
    }
    // proposal mean m(w) = w - (ε/2) G g(w) + prior shift; the proposal is N(m(w), ε G)
    for (size_t i = 0; i < d; ++i) step_size[i] = s.epsilon * G[i], mean[i] = w[i] - 0.5 * step_size[i] * g[i];
    target.add_prior_shift(w.data(), step_size.data(), mean.data());
    for (size_t i = 0; i < d; ++i)
      if (i < lo || i >= hi) mean[i] = w[i], step_size[i] = 0;
    // MALA: acceptance probability of the proposal prev_w -> w (Roberts & Tweedie 1996, with the
    // proposal kernel above), computed for diagnostics and never used to reject.
    if (step > s.burn_in) {
      double log_fwd = 0, log_rev = 0;
      for (size_t i = lo; i < hi; ++i) {
        const double f = w[i] - prev_mean[i];
        log_fwd -= f * f / (2 * s.epsilon * prev_G[i]) + 0.5 * std::log(prev_G[i]);
        const double r = prev_w[i] - mean[i];
        log_rev -= r * r / (2 * s.epsilon * G[i]) + 0.5 * std::log(G[i]);
      }
      const double log_ratio = logp - prev_logp + log_rev - log_fwd;
      acceptance_sum += log_ratio >= 0 ? 1.0 : std::exp(log_ratio);
      ++acceptance_count;
      // Δ∇L·Δw ≈ Δwᵀ ∇²L Δw, whose mean is ε tr(G ∇²L) (the noise dominates Δw)
      for (size_t i = lo; i < hi; ++i) curvature_sum += (grad[i] - prev_grad[i]) * (w[i] - prev_w[i]);
    }
    if (is_draw) {
      trace.loss.push_back(Ln);
      if (s.keep_parameters) trace.parameters.insert(trace.parameters.end(), w.begin(), w.end());
    }
    if (step + 1 == steps) break;
    // propose
    fill_normal(noise.data(), d, rng);
    prev_logp = logp;
    for (size_t i = 0; i < d; ++i) {
      prev_w[i] = w[i];
      prev_mean[i] = mean[i];
      prev_G[i] = G[i];
      prev_grad[i] = grad[i];
      w[i] = mean[i] + std::sqrt(step_size[i]) * noise[i];
    }
  }
  trace.mala_acceptance = acceptance_count > 0 ? acceptance_sum / double(acceptance_count) : std::nan("");
  // Euler–Maruyama on a quadratic well of curvature c (in nβ L) and step ε: the stationary variance
  // is ε/(1 − (1 − εc/2)²) = 1/(c(1 − εc/4)) instead of 1/c, so each direction adds ≈ εc/8 to λ̂.
  trace.discretization_bias = full_batch && acceptance_count > 0 && !trace.diverged
                                  ? nbeta * curvature_sum / (8.0 * double(acceptance_count))
                                  : std::nan("");
  return trace;
}

}  // namespace

void validate(const SgldSettings& s) {
  auto bad = [](const std::string& opt, const std::string& value, const std::string& allowed) {
    return UserError("--" + opt + " = " + value + " is out of range: allowed " + allowed);
  };
  if (!(s.epsilon > 0) || !std::isfinite(s.epsilon)) throw bad("epsilon", num(s.epsilon), "a positive number");
  if (!(s.gamma >= 0) || !std::isfinite(s.gamma)) throw bad("gamma", num(s.gamma), "a number >= 0");
  if (!(s.nbeta >= 0) || !std::isfinite(s.nbeta) || (s.nbeta == 0 && std::signbit(s.nbeta)))
    throw bad("nbeta", num(s.nbeta), "a positive number (or omit it for n / ln n)");
  if (s.chains < 1 || s.chains > 1024) throw bad("chains", std::to_string(s.chains), "[1, 1024]");
  if (s.draws < 2) throw bad("draws", std::to_string(s.draws), "at least 2");
  if (s.burn_in < 0) throw bad("burn-in", std::to_string(s.burn_in), "at least 0");
  if (s.thin < 1) throw bad("thin", std::to_string(s.thin), "at least 1");
  if (s.batch_size < 0) throw bad("batch-size", std::to_string(s.batch_size), "at least 0 (0: full batch)");
  if (!(s.rmsprop_alpha >= 0 && s.rmsprop_alpha < 1)) throw bad("rmsprop-alpha", num(s.rmsprop_alpha), "[0, 1)");
  if (!(s.rmsprop_delta > 0)) throw bad("rmsprop-delta", num(s.rmsprop_delta), "a positive number");
  if (s.threads < 0) throw bad("threads", std::to_string(s.threads), "at least 0 (0: all hardware threads)");
}

double effective_nbeta(const SgldSettings& s, int64_t n) {
  if (s.nbeta > 0) return s.nbeta;
  if (n < 2) throw UserError("nβ = n / ln n needs n >= 2 samples (n = " + std::to_string(n) + "); give --nbeta");
  return double(n) / std::log(double(n));  // β = 1/ln n (Watanabe 2013, WBIC temperature)
}

SgldResult run_sgld(const SamplingTarget& target, const std::vector<double>& center, const SgldSettings& settings,
                    const std::vector<double>* start) {
  validate(settings);
  const std::vector<double>& from = start ? *start : center;
  if (center.size() != target.dim() || from.size() != target.dim())
    throw std::logic_error("run_sgld: center has " + std::to_string(center.size()) + " values, target " +
                           std::to_string(target.dim()));
  if (settings.active_end > target.dim())
    throw std::logic_error("run_sgld: restricted group ends at " + std::to_string(settings.active_end) + " > dim");
  const auto t0 = std::chrono::steady_clock::now();
  SgldResult r;
  r.n = target.num_samples();
  r.nbeta = effective_nbeta(settings, r.n);
  r.steps_per_chain = int64_t(settings.burn_in) + int64_t(settings.draws - 1) * settings.thin + 1;
  r.loss_at_center = target.make_worker(1)->loss(center.data(), nullptr, int(r.n), nullptr);
  if (!std::isfinite(r.loss_at_center)) throw UserError("the loss at w* is not finite: " + num(r.loss_at_center));
  r.chains.resize(settings.chains);

  run_chains(settings.chains, settings.threads,
             [&](int c) { r.chains[c] = run_chain(target, center, from, settings, r.nbeta, c); });
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace geneft
