#include "theory/rectangle_learning.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"

namespace geneft {

CoordinateDistribution CoordinateDistribution::parse(const std::string& spec) {
  if (spec == "uniform") return {};
  const std::string bad = "--inputs \"" + spec + "\": expected \"uniform\" or \"beta:A,B\" with integers 1 <= A, B <= 50";
  if (spec.rfind("beta:", 0) != 0) throw UserError(bad);
  const std::string rest = spec.substr(5);
  const size_t comma = rest.find(',');
  if (comma == std::string::npos) throw UserError(bad);
  CoordinateDistribution d;
  try {
    size_t used_a = 0, used_b = 0;
    d.a = std::stoi(rest.substr(0, comma), &used_a);
    d.b = std::stoi(rest.substr(comma + 1), &used_b);
    if (used_a != comma || used_b != rest.size() - comma - 1) throw UserError(bad);
  } catch (const std::logic_error&) {
    throw UserError(bad);
  }
  if (d.a < 1 || d.b < 1 || d.a > 50 || d.b > 50) throw UserError(bad);
  return d;
}

std::string CoordinateDistribution::describe() const {
  if (a == 1 && b == 1) return "uniform on [0,1]";
  return "Beta(" + std::to_string(a) + "," + std::to_string(b) + ")";
}

double CoordinateDistribution::cdf(double x) const {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const int n = a + b - 1;
  double sum = 0, binom = 1;  // binom = C(n, j)
  for (int j = 0; j <= n; ++j) {
    if (j >= a) sum += binom * std::pow(x, j) * std::pow(1 - x, n - j);
    binom = binom * (n - j) / (j + 1);
  }
  return std::min(1.0, sum);
}

double CoordinateDistribution::sample(Rng& rng) const {
  if (a == 1 && b == 1) return rng.uniform();
  // the a-th smallest of a + b - 1 uniforms
  std::array<double, 99> u;
  const int n = a + b - 1;
  for (int i = 0; i < n; ++i) u[i] = rng.uniform();
  std::nth_element(u.begin(), u.begin() + (a - 1), u.begin() + n);
  return u[a - 1];
}

bool Box::empty() const {
  for (int i = 0; i < dim(); ++i)
    if (lo[i] > hi[i]) return true;
  return false;
}

bool Box::contains(const double* x) const {
  for (int i = 0; i < dim(); ++i)
    if (x[i] < lo[i] || x[i] > hi[i]) return false;
  return true;
}

double box_mass(const Box& box, const CoordinateDistribution& inputs) {
  if (box.empty()) return 0;
  double mass = 1;
  for (int i = 0; i < box.dim(); ++i) mass *= inputs.cdf(box.hi[i]) - inputs.cdf(box.lo[i]);
  return mass;
}

double box_error(const Box& target, const Box& learned, const CoordinateDistribution& inputs) {
  Box both = target;
  for (int i = 0; i < target.dim(); ++i)
    both.lo[i] = std::max(target.lo[i], learned.lo[i]), both.hi[i] = std::min(target.hi[i], learned.hi[i]);
  // mu(T xor L) = mu(T) + mu(L) - 2 mu(T and L)
  return std::max(0.0, box_mass(target, inputs) + box_mass(learned, inputs) - 2 * box_mass(both, inputs));
}

Box tightest_fit(const double* x, const uint8_t* label, int m, int d) {
  Box box{std::vector<double>(d, std::numeric_limits<double>::infinity()),
          std::vector<double>(d, -std::numeric_limits<double>::infinity())};
  for (int k = 0; k < m; ++k) {
    if (!label[k]) continue;
    for (int i = 0; i < d; ++i) {
      box.lo[i] = std::min(box.lo[i], x[size_t(k) * d + i]);
      box.hi[i] = std::max(box.hi[i], x[size_t(k) * d + i]);
    }
  }
  return box;
}

double rectangle_pac_bound(int m, int d, double delta) { return 2.0 * d / m * std::log(2.0 * d / delta); }

double rectangle_exact_mean_error(int m, double p, int d) {
  if (p <= 0) return 0;
  if (p >= 1) p = 1;
  double mean = 0;
  for (int k = 0; k <= m; ++k) {
    const double log_pmf = std::lgamma(m + 1.0) - std::lgamma(k + 1.0) - std::lgamma(m - k + 1.0) +
                           (k ? k * std::log(p) : 0.0) + (m - k ? (m - k) * std::log1p(-p) : 0.0);
    const double given_k = k == 0 ? p : p * (1 - std::pow(double(k - 1) / (k + 1), d));
    mean += std::exp(log_pmf) * given_k;
  }
  return mean;
}

double rectangle_asymptotic_mean_error(int m, int d) { return 2.0 * d / m; }

double rectangle_pac_saturating_mean(int m, int d) { return 2.0 * d / m * (std::log(2.0 * d) + 1); }

double rectangle_typical_quantile(int m, int d, double level) {
  // Gamma(k, 1) with integer k = 2d: P(G <= x) = 1 - e^-x sum_{j<k} x^j / j!
  const int k = 2 * d;
  auto cdf = [k](double x) {
    double term = 1, sum = 1;
    for (int j = 1; j < k; ++j) term *= x / j, sum += term;
    return 1 - std::exp(-x) * sum;
  };
  double lo = 0, hi = 10.0 * k + 100;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (cdf(mid) < level ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi) / m;
}

std::vector<RectanglePoint> run_rectangle_study(const RectangleStudy& s) {
  const int d = s.target.dim();
  const double p = box_mass(s.target, s.inputs);
  std::vector<RectanglePoint> out;
  std::vector<double> x, errors(size_t(s.sets));
  std::vector<uint8_t> label;
  for (int m : s.sizes) {
    x.resize(size_t(m) * d), label.resize(size_t(m));
    Rng rng(splitmix64(s.seed ^ splitmix64(uint64_t(m))));
    for (int set = 0; set < s.sets; ++set) {
      for (int k = 0; k < m; ++k) {
        // a point is drawn coordinate by coordinate until it falls outside the target: the rest
        // of a negative point is never looked at, so it is not drawn
        double* xk = &x[size_t(k) * d];
        label[k] = 1;
        for (int i = 0; i < d && label[k]; ++i) {
          xk[i] = s.inputs.sample(rng);
          label[k] = xk[i] >= s.target.lo[i] && xk[i] <= s.target.hi[i];
        }
      }
      errors[set] = box_error(s.target, tightest_fit(x.data(), label.data(), m, d), s.inputs);
    }
    RectanglePoint pt;
    pt.m = m;
    pt.measured = summarize_errors(errors, 1 - s.delta);
    pt.exact_mean = rectangle_exact_mean_error(m, p, d);
    pt.asymptotic_mean = rectangle_asymptotic_mean_error(m, d);
    pt.pac_bound = rectangle_pac_bound(m, d, s.delta);
    pt.typical_quantile = rectangle_typical_quantile(m, d, 1 - s.delta);
    out.push_back(pt);
  }
  return out;
}

}  // namespace geneft
