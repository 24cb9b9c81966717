#include "theory/generalization_probability.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.h"
#include "core/rng.h"
#include "theory/two_repon_model.h"

namespace geneft {

double generalization_probability(double eta_enc, double eta_dec, ReponInitScales s) {
  if (!(eta_enc > 0) || !(eta_dec > 0)) throw UserError("repon learning rates must be positive");
  if (!(s.sigma_a > 0) || !(s.sigma_c > 0)) throw UserError("repon init scales must be positive");
  return 2 / std::numbers::pi * std::atan(s.sigma_a / s.sigma_c * std::sqrt(eta_enc / (2 * eta_dec)));
}

double boundary_log_ratio(ReponInitScales s) { return std::log10(s.sigma_a * s.sigma_a / (2 * s.sigma_c * s.sigma_c)); }

double boundary_slope_per_decade() { return -std::numbers::ln10 / (2 * std::numbers::pi); }

MonteCarloEstimate simulate_generalization_probability(double eta_enc, double eta_dec, ReponInitScales init,
                                                       int64_t samples, uint64_t seed) {
  if (samples < 1) throw UserError("Monte Carlo needs at least one sample");
  const TwoReponModel model(eta_enc, eta_dec);
  Rng rng(seed);
  MonteCarloEstimate e;
  int64_t collide = 0;
  for (int64_t i = 0; i < samples; ++i) {
    const TwoReponState start{init.sigma_a * rng.normal(), init.sigma_c * rng.normal()};
    // a coarser step than the conservation test needs: only the outcome matters here
    const auto t = model.integrate(start, 1e-2, 1e-8, 200'000);
    if (t.outcome == ReponOutcome::Undecided) {
      ++e.undecided;
      // still undecided after the step budget: the side with more "energy" left is winning
      collide += std::abs(t.final.a) * std::abs(t.final.a) / (2 * eta_dec) > t.final.c * t.final.c / eta_enc;
    } else {
      collide += t.outcome == ReponOutcome::Collide;
    }
  }
  e.samples = samples;
  e.probability = double(collide) / double(samples);
  e.std_error = std::sqrt(e.probability * (1 - e.probability) / double(samples));
  return e;
}

double InitLaw::draw(Rng& rng) const {
  return uniform ? std::sqrt(3.0) * std * (2 * rng.uniform() - 1) : std * rng.normal();
}

double ReponThresholds::probability(double log_ratio) const {
  const auto above = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), log_ratio);
  return sorted.empty() ? 0 : double(above) / double(sorted.size());
}

ReponThresholds ReponThresholds::from(std::vector<double> thresholds) {
  if (thresholds.empty()) throw UserError("no repon thresholds");
  ReponThresholds t;
  t.sorted = std::move(thresholds);
  std::sort(t.sorted.begin(), t.sorted.end());
  const double n = double(t.sorted.size()), half = std::sqrt(n) / 2;
  auto at = [&](double rank) { return t.sorted[size_t(std::clamp(rank, 0.0, n - 1))]; };
  t.crossing = (at(std::floor((n - 1) / 2)) + at(std::ceil((n - 1) / 2))) / 2;
  t.std_error = (at(std::ceil(n / 2 + half)) - at(std::floor(n / 2 - half))) / 2;
  return t;
}

double ReponThresholds::logistic_steepness() const {
  const double n = double(sorted.size());
  const double iqr = sorted[size_t(0.75 * (n - 1))] - sorted[size_t(0.25 * (n - 1))];
  return iqr > 0 ? -2 * std::log(3.0) / iqr : -std::numeric_limits<double>::infinity();
}

ReponThresholds two_repon_thresholds(InitLaw decoder, InitLaw embedding, int64_t samples, uint64_t seed) {
  if (samples < 100) throw UserError("the two-repon Monte Carlo needs at least 100 samples");
  if (!(decoder.std > 0) || !(embedding.std > 0)) throw UserError("repon init scales must be positive");
  Rng rng(seed);
  std::vector<double> q;
  q.reserve(size_t(samples));
  while (int64_t(q.size()) < samples) {
    const double a = decoder.draw(rng), c = (embedding.draw(rng) - embedding.draw(rng)) / 2;
    if (a != 0 && c != 0) q.push_back(std::log10(a * a / (2 * c * c)));
  }
  return ReponThresholds::from(std::move(q));
}

}  // namespace geneft
