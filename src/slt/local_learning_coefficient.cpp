#include "slt/local_learning_coefficient.h"

#include <cmath>
#include <cstdio>

namespace geneft {
namespace {

double mean_of(const std::vector<double>& v, size_t lo, size_t hi) {
  double s = 0;
  for (size_t i = lo; i < hi; ++i) s += v[i];
  return s / double(hi - lo);
}

std::string fmt(const char* spec, double a, double b = 0) {
  char buf[200];
  std::snprintf(buf, sizeof buf, spec, a, b);
  return buf;
}

constexpr double kRhatWarning = 1.1, kMinChainMalaWarning = 0.9, kDiscretizationWarning = 0.05;

}  // namespace

LlcEstimate estimate_llc(const SgldResult& r) {
  LlcEstimate e;
  e.loss_at_center = r.loss_at_center;
  e.nbeta = r.nbeta;
  std::vector<double> ok, trends;
  double acceptance = 0, within = 0, bias = 0;
  int64_t below = 0, total = 0;
  size_t draws = SIZE_MAX;
  e.min_chain_mala = INFINITY;
  e.max_chain_discretization_bias = -INFINITY;
  for (const auto& c : r.chains) {
    if (c.diverged || c.loss.size() < 2) {
      ++e.diverged_chains;
      e.per_chain.push_back(std::nan(""));
      continue;
    }
    const size_t D = c.loss.size();
    // λ̂ = nβ (mean of draws − L_n(w*))   (Lau et al. 2023, Sec. 4)
    const double lambda = r.nbeta * (mean_of(c.loss, 0, D) - r.loss_at_center);
    e.per_chain.push_back(lambda);
    ok.push_back(lambda);
    trends.push_back(r.nbeta * (mean_of(c.loss, D / 2, D) - mean_of(c.loss, 0, D / 2)));
    acceptance += std::isnan(c.mala_acceptance) ? 0 : c.mala_acceptance;
    if (!std::isnan(c.mala_acceptance)) e.min_chain_mala = std::min(e.min_chain_mala, c.mala_acceptance);
    bias += c.discretization_bias;  // NaN (minibatch) stays NaN
    e.max_chain_discretization_bias = std::max(e.max_chain_discretization_bias, c.discretization_bias);
    double v = 0;  // within-chain variance of nβ L
    const double m = lambda / r.nbeta + r.loss_at_center;
    for (double L : c.loss) v += (L - m) * (L - m);
    within += r.nbeta * r.nbeta * v / double(D - 1);
    draws = std::min(draws, D);
    for (double L : c.loss) below += L < r.loss_at_center, ++total;
  }
  if (ok.empty()) {
    e.mean = e.std = e.trend = e.mala_acceptance = e.fraction_below_center = std::nan("");
    e.warnings.push_back("every chain diverged: reduce --epsilon (or --nbeta)");
    return e;
  }
  const double C = double(ok.size());
  e.mean = mean_of(ok, 0, ok.size());
  double var = 0;
  for (double x : ok) var += (x - e.mean) * (x - e.mean);
  e.std = ok.size() > 1 ? std::sqrt(var / (C - 1)) : 0.0;
  e.trend = mean_of(trends, 0, trends.size());
  double tvar = 0;
  for (double t : trends) tvar += (t - e.trend) * (t - e.trend);
  const double trend_se = trends.size() > 1 ? std::sqrt(tvar / (C - 1) / C) : 0.0;
  e.mala_acceptance = acceptance / C;
  e.discretization_bias = bias / C;
  if (std::isnan(e.discretization_bias)) e.max_chain_discretization_bias = std::nan("");
  e.fraction_below_center = double(below) / double(total);
  // Gelman & Rubin 1992: R̂ = √(((D−1)/D W + B/D) / W), W the mean within-chain variance of nβ L,
  // B/D the variance of the chain means (= of the per-chain λ̂).
  within /= C;
  e.rhat = ok.size() > 1 && within > 0
               ? std::sqrt(((double(draws) - 1) / double(draws) * within + var / (C - 1)) / within)
               : std::nan("");
  if (!std::isfinite(e.min_chain_mala)) e.min_chain_mala = std::nan("");

  if (e.diverged_chains > 0)
    e.warnings.push_back(fmt("%.0f of the chains diverged: reduce --epsilon", e.diverged_chains));
  // Stationarity: the second half of the draws should give the same λ̂ as the first half. Flag
  // a drift larger than 4 standard errors (over chains) and larger than 5% of |λ̂|.
  if (std::abs(e.trend) > 4 * trend_se && std::abs(e.trend) > 0.05 * std::max(std::abs(e.mean), 1e-3))
    e.warnings.push_back(fmt("traces are not stationary after burn-in: λ̂ of the second half of the draws minus "
                             "the first half = %.4g (λ̂ = %.4g); raise --burn-in or --epsilon",
                             e.trend, e.mean));
  // Chains that disagree: the documented failure (normal crossing k = (2,1), h = (2,0)) is a chain
  // that wanders to where ε·nβ·curvature ≫ 2 and inflates its λ̂; its MALA acceptance drops.
  if (e.rhat > kRhatWarning)
    e.warnings.push_back(fmt("chains disagree: R̂ = %.3f > %.2f (per-chain λ̂ spread beyond their own noise); "
                             "run longer chains or lower --epsilon", e.rhat, kRhatWarning));
  if (e.min_chain_mala < kMinChainMalaWarning)
    e.warnings.push_back(fmt("a chain's MALA acceptance is %.3f < %.2f: it reached a region too stiff for this step "
                             "(ε·nβ·curvature not small) and biases λ̂ up; lower --epsilon or raise --gamma",
                             e.min_chain_mala, kMinChainMalaWarning));
  // Euler–Maruyama inflates λ̂ by ≈ (ε/8)·nβ tr ∇²L_n (sgld_sampler.cpp); a chain that wandered
  // into a stiff region (normal crossing k = (2,1), h = (2,0) at ε = 2·10⁻⁶) shows it first.
  if (step_too_large(e))
    e.warnings.push_back(fmt("step too large: Euler–Maruyama's bias of λ̂, (ε/8)·nβ·tr ∇²L_n along the chain, is "
                             "%.3g in the worst chain (%.0f%% of λ̂) and grows in proportion to ε; lower --epsilon",
                             e.max_chain_discretization_bias,
                             100 * e.max_chain_discretization_bias / std::max(std::abs(e.mean), 1e-3)));
  if (e.mean < 0)
    e.warnings.push_back(fmt("λ̂ = %.4g is negative: w* is not a local minimum of L_n, or the sampler found lower "
                             "loss (fraction of draws below L_n(w*) = %.2f); train longer or raise --gamma",
                             e.mean, e.fraction_below_center));
  return e;
}

bool step_too_large(const LlcEstimate& e) {
  return e.max_chain_discretization_bias > kDiscretizationWarning * std::max(std::abs(e.mean), 1e-3);
}

SteppedLlc estimate_llc_with_step_control(const SamplingTarget& target, const std::vector<double>& center,
                                          const SgldSettings& settings, int max_refinements) {
  SteppedLlc out;
  out.settings = settings;
  out.first_epsilon = settings.epsilon;
  for (;;) {
    out.result = run_sgld(target, center, out.settings);
    out.estimate = estimate_llc(out.result);
    if (out.refinements == 0) out.first_bias = out.estimate.max_chain_discretization_bias;
    if (out.refinements >= max_refinements || !step_too_large(out.estimate)) return out;
    out.settings.epsilon /= 4, out.settings.burn_in *= 4, out.settings.thin *= 4;
    ++out.refinements;
  }
}

}  // namespace geneft
