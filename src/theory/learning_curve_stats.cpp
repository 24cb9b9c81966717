#include "theory/learning_curve_stats.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace geneft {

namespace {
// The ceil(n q)-th smallest of n sorted values and a 95% interval for the q-quantile: the number
// of sample values below the true quantile is Binomial(n, q).
void order_statistic(const std::vector<double>& sorted, double q, double& value, double& lo, double& hi) {
  const double n = double(sorted.size());
  const auto at = [&](double rank) {  // 1-based rank, clamped
    const long r = std::clamp(long(rank), 1L, long(sorted.size()));
    return sorted[size_t(r - 1)];
  };
  const double half = 1.96 * std::sqrt(n * q * (1 - q));
  value = at(std::ceil(n * q));
  lo = at(std::floor(n * q - half));
  hi = at(std::ceil(n * q + half));
}
}  // namespace

ErrorSummary summarize_errors(std::vector<double> errors, double level) {
  ErrorSummary s;
  s.count = int(errors.size());
  s.level = level;
  if (errors.empty()) return s;
  std::sort(errors.begin(), errors.end());
  double sum = 0;
  for (double e : errors) sum += e;
  s.mean = sum / errors.size();
  double ss = 0;
  for (double e : errors) ss += (e - s.mean) * (e - s.mean);
  s.std_error = errors.size() > 1 ? std::sqrt(ss / (errors.size() - 1) / errors.size()) : 0;
  order_statistic(errors, 0.5, s.median, s.median_lo, s.median_hi);
  order_statistic(errors, level, s.quantile, s.quantile_lo, s.quantile_hi);
  return s;
}

double quantile_std_error(const ErrorSummary& s) { return (s.quantile_hi - s.quantile_lo) / (2 * 1.96); }

double gaussian_log_likelihood(const std::vector<double>& measured, const std::vector<double>& std_error,
                               const std::vector<double>& predicted, int* used) {
  double ll = 0;
  int n = 0;
  for (size_t i = 0; i < measured.size(); ++i) {
    const double s = std_error[i];
    if (!(s > 0)) continue;
    const double z = (measured[i] - predicted[i]) / s;
    ll += -0.5 * z * z - std::log(s * std::sqrt(2 * std::numbers::pi));
    ++n;
  }
  if (used) *used = n;
  return ll;
}

}  // namespace geneft
