#include "theory/omnigrok_delay.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/rng.h"

namespace geneft {
namespace {

// tau >= 0 with e^2 exp(-2 la tau) + d^2 exp(-2 lb tau) = target^2 (la, lb >= 0: log decay per
// step of each group); NaN if the groups without decay already hold more than target^2.
double decay_time(double e, double d, double la, double lb, double target) {
  auto norm2 = [&](double tau) { return e * e * std::exp(-2 * la * tau) + d * d * std::exp(-2 * lb * tau); };
  const double t2 = target * target;
  if (norm2(0) <= t2) return 0;
  if ((la > 0 ? 0.0 : e * e) + (lb > 0 ? 0.0 : d * d) >= t2) return kMissing;
  double lo = 0, hi = 1;
  while (norm2(hi) > t2) lo = hi, hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {  // norm2 falls monotonically in tau
    const double mid = 0.5 * (lo + hi);
    (norm2(mid) > t2 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// -ln(1 - eta gamma) for one step of a group at learning-rate factor `warm`; NaN if eta gamma >= 1.
double step_log_decay(const DecayGroup& g, double warm) {
  const double x = g.lr * warm * g.wd;
  return x < 1 ? -std::log1p(-x) : kMissing;
}

}  // namespace

double DecaySchedule::steps_to_norm(int64_t from, double e, double d, double target) const {
  int64_t t = from;
  for (; t < warmup_steps; ++t) {  // warm-up: eta_t = eta t / warmup_steps, one step at a time
    const double warm = double(t) / double(warmup_steps);
    const double la = step_log_decay(encoder, warm), lb = step_log_decay(decoder, warm);
    if (std::isnan(la) || std::isnan(lb)) return kMissing;
    const double tau = decay_time(e, d, la, lb, target);
    if (tau <= 1) return double(t - from) + tau;  // NaN (never in this step) is not <= 1
    e *= std::exp(-la), d *= std::exp(-lb);
  }
  const double la = step_log_decay(encoder, 1), lb = step_log_decay(decoder, 1);
  if (std::isnan(la) || std::isnan(lb)) return kMissing;
  return double(t - from) + decay_time(e, d, la, lb, target);
}

double total_norm(const EvalPoint& p) { return std::hypot(p.encoder_norm, p.decoder_norm); }

GrokTimeResult grok_time(const GrokTimeRun& run, const PhaseClassifier& classifier, double w_c) {
  GrokTimeResult r;
  r.phase = classifier.classify(run.curve, run.diverged);
  auto at = [&](int64_t step) -> const EvalPoint* {
    for (const auto& p : run.curve)
      if (p.step == step) return &p;
    return nullptr;
  };
  const EvalPoint* train = r.phase.t_train ? at(*r.phase.t_train) : nullptr;
  if (!train || run.diverged) return r;
  r.norm_train = total_norm(*train);
  if (std::isfinite(w_c)) r.from_wc = run.schedule.steps_to_norm(train->step, train->encoder_norm, train->decoder_norm, w_c);
  const EvalPoint* test = r.phase.t_test ? at(*r.phase.t_test) : nullptr;
  if (!test) return r;
  // t_test before t_train (test passes first) is no delay: measured 0, like the phase rule
  r.delay = double(std::max<int64_t>(0, test->step - train->step));
  r.norm_test = total_norm(*test);
  r.decay_only = run.schedule.steps_to_norm(train->step, train->encoder_norm, train->decoder_norm, r.norm_test);
  return r;
}

double PowerLawFit::at(double x) const { return std::exp(log_c + k * std::log(x)); }

PowerLawFit fit_power_law(const std::vector<double>& x, const std::vector<double>& y) {
  PowerLawFit f;
  std::vector<double> lx, ly;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (x[i] > 0 && y[i] > 0 && std::isfinite(x[i]) && std::isfinite(y[i])) lx.push_back(std::log(x[i])), ly.push_back(std::log(y[i]));
  const size_t n = lx.size();
  f.points = int(n);
  if (n < 2) return f;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) mx += lx[i], my += ly[i];
  mx /= double(n), my /= double(n);
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) sxx += (lx[i] - mx) * (lx[i] - mx), sxy += (lx[i] - mx) * (ly[i] - my);
  if (!(sxx > 0)) return f;  // one distinct x
  f.k = sxy / sxx;
  f.log_c = my - f.k * mx;
  if (n > 2) {
    double rss = 0;
    for (size_t i = 0; i < n; ++i) rss += std::pow(ly[i] - f.log_c - f.k * lx[i], 2);
    f.k_se = std::sqrt(rss / double(n - 2) / sxx);
  }
  return f;
}

PowerLawFit fit_power_law_by_seed(const std::vector<double>& x, const std::vector<double>& y,
                                  const std::vector<uint64_t>& seed, int resamples, uint64_t rng_seed) {
  PowerLawFit f = fit_power_law(x, y);
  std::map<uint64_t, std::vector<size_t>> by_seed;
  for (size_t i = 0; i < x.size() && i < seed.size(); ++i) by_seed[seed[i]].push_back(i);
  if (by_seed.size() < 2 || !std::isfinite(f.k)) return f;
  std::vector<const std::vector<size_t>*> seeds;
  for (const auto& [s, idx] : by_seed) seeds.push_back(&idx);
  Rng rng(rng_seed);
  std::vector<double> ks;
  for (int r = 0; r < resamples; ++r) {
    std::vector<double> bx, by;
    for (size_t j = 0; j < seeds.size(); ++j)
      for (size_t i : *seeds[rng.below(seeds.size())]) bx.push_back(x[i]), by.push_back(y[i]);
    const double k = fit_power_law(bx, by).k;
    if (std::isfinite(k)) ks.push_back(k);
  }
  if (ks.size() < 2) return f;
  double m = 0, s2 = 0;
  for (double k : ks) m += k;
  m /= double(ks.size());
  for (double k : ks) s2 += (k - m) * (k - m);
  f.k_boot_se = std::sqrt(s2 / double(ks.size() - 1));
  return f;
}

}  // namespace geneft
