#include "measure/rqi.h"

#include <cmath>

namespace geneft {

std::vector<Parallelogram> addition_parallelograms(int p) {
  std::vector<std::array<int, 2>> pairs;
  for (int i = 0; i < p; ++i)
    for (int j = i; j < p; ++j) pairs.push_back({i, j});
  std::vector<Parallelogram> out;
  for (size_t x = 0; x < pairs.size(); ++x)
    for (size_t y = x + 1; y < pairs.size(); ++y)
      if (pairs[x][0] + pairs[x][1] == pairs[y][0] + pairs[y][1])
        out.push_back({pairs[x][0], pairs[x][1], pairs[y][0], pairs[y][1]});
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
