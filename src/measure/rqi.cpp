#include "measure/rqi.h"

#include <algorithm>
#include <cmath>

namespace geneft {

// The unordered pairs {i, j} (i <= j) with i + j = s number min(s, 2p - 2 - s) / 2 + 1.
size_t pairs_with_sum(int p, int s) { return size_t(std::min(s, 2 * p - 2 - s) / 2 + 1); }

size_t count_addition_parallelograms(int p) {
  size_t n = 0;
  for (int s = 0; s <= 2 * p - 2; ++s) n += pairs_with_sum(p, s) * (pairs_with_sum(p, s) - 1) / 2;
  return n;
}

// Each pair {i, j} in lexicographic order, then each later pair {m, n} with the same sum: m runs
// from i + 1 while m <= n = i + j - m (and n < p). O(output), not O(pairs^2): for p = 1000 the
// pairwise scan took minutes before the first step, deaf to SIGINT.
std::vector<Parallelogram> addition_parallelograms(int p) {
  std::vector<Parallelogram> out;
  out.reserve(count_addition_parallelograms(p));
  for (int i = 0; i < p; ++i)
    for (int j = i; j < p; ++j)
      for (int m = std::max(i + 1, i + j - (p - 1)); m <= i + j - m; ++m) out.push_back({i, j, m, i + j - m});
  return out;
}

double representation_quality(const std::vector<double>& E, int V, int d,
                              const std::vector<Parallelogram>& parallelograms, double tolerance) {
  if (parallelograms.empty() || V < 2) return 0.0;
  std::vector<double> Z(E);
  for (int k = 0; k < d; ++k) {
    double mean = 0, var = 0;
    for (int v = 0; v < V; ++v) mean += E[size_t(v) * d + k];
    mean /= V;
    for (int v = 0; v < V; ++v) var += std::pow(E[size_t(v) * d + k] - mean, 2);
    const double sd = std::sqrt(var / (V - 1));
    for (int v = 0; v < V; ++v) Z[size_t(v) * d + k] = (E[size_t(v) * d + k] - mean) / sd;
  }
  int good = 0;
  for (const auto& [i, j, m, n] : parallelograms) {
    double r2 = 0;
    for (int k = 0; k < d; ++k) {
      const double r = Z[size_t(i) * d + k] + Z[size_t(j) * d + k] - Z[size_t(m) * d + k] - Z[size_t(n) * d + k];
      r2 += r * r;
    }
    good += r2 / d < tolerance;
  }
  return double(good) / double(parallelograms.size());
}

std::optional<int64_t> first_step_rqi_above(const std::vector<EvalPoint>& curve, double level) {
  for (const auto& p : curve)
    if (p.rqi > level) return p.step;  // a missing RQI (NaN) never passes
  return std::nullopt;
}

}  // namespace geneft
