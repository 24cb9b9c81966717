#pragma once
// PAC learning of an axis-aligned box in d dimensions by the tightest-fit learner, beside the
// typical case (Kearns & Vazirani 1994, "An Introduction to Computational Learning Theory",
// Sec. 1.1; the d = 2 example of Liu's talk "What does a good ML theory look like?").
//
// Inputs x in [0,1]^d with i.i.d. coordinates (uniform, or Beta(a, b) with integer a, b), label
// 1 inside a target box T. The learner returns the smallest box containing the positive
// examples (empty when there are none), so it never errs on a training point, and its box lies
// inside T: the error is mu(T) - mu(L), exact from the coordinate CDFs.
//
// PAC bound (Kearns & Vazirani's argument with 2d strips of mass eps/2d): with probability
// >= 1 - delta, error <= (2d/m) ln(2d/delta), for any input distribution.
//
// Typical case, derived here: with F the coordinate CDF, u = F(x) maps the problem onto the
// uniform one with target box [F(lo), F(hi)]^d, so the error's law depends only on the target's
// mass p = mu(T) and on d (not on the distribution or where the box sits). With K ~ Binomial(m, p)
// positives, uniform in T, each side's normalized range is the range of K uniforms,
// Beta(K - 1, 2) with mean (K - 1)/(K + 1), independently per coordinate, so
//   E[error] = sum_k Binom(k; m, p) p (1 - ((k - 1)/(k + 1))^d)   (k = 0: error p),
// and m E[error] -> 2d. For large m the 2d gaps between the target's faces and the nearest
// positives carry masses ~ Exp(1)/m each, so m error -> Gamma(2d, 1): its (1 - delta) quantile
// is the typical-case counterpart of the PAC bound.
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"
#include "theory/learning_curve_stats.h"

namespace geneft {

// i.i.d. coordinates: Beta(a, b) with integer a, b >= 1 (Beta(1, 1) is uniform on [0, 1]).
struct CoordinateDistribution {
  int a = 1, b = 1;
  // "uniform" or "beta:A,B"; UserError naming the value otherwise.
  static CoordinateDistribution parse(const std::string& spec);
  std::string describe() const;
  // I_x(a, b) = sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j) for integer a, b.
  double cdf(double x) const;
  // The a-th smallest of a + b - 1 uniforms is Beta(a, b) (David & Nagaraja, "Order Statistics").
  double sample(Rng& rng) const;
};

struct Box {  // the product of [lo_i, hi_i]; empty when lo_i > hi_i for some i
  std::vector<double> lo, hi;
  int dim() const { return int(lo.size()); }
  bool empty() const;
  bool contains(const double* x) const;
};

// Probability of a box under the product distribution.
double box_mass(const Box& box, const CoordinateDistribution& inputs);
// Exact error of `learned` against `target`: the mass of their symmetric difference.
double box_error(const Box& target, const Box& learned, const CoordinateDistribution& inputs);

// Tightest fit: the smallest box containing the points with label 1. x is (m, d) row-major.
Box tightest_fit(const double* x, const uint8_t* label, int m, int d);

// PAC bound (2d/m) ln(2d/delta).
double rectangle_pac_bound(int m, int d, double delta);
// Exact mean error of the tightest fit at m examples, target mass p, d dimensions.
double rectangle_exact_mean_error(int m, double p, int d);
// Its large-m form 2d/m.
double rectangle_asymptotic_mean_error(int m, int d);
// The PAC bound read as a law: the one that meets P(error > eps) <= 2d exp(-m eps/2d) with
// equality, error = (2d/m)(ln 2d + E), E ~ Exp(1); its mean (2d/m)(ln 2d + 1). A convention,
// not part of the theorem (a bound is not a distribution).
double rectangle_pac_saturating_mean(int m, int d);
// The (level) quantile of the large-m law Gamma(2d, 1)/m.
double rectangle_typical_quantile(int m, int d, double level);

struct RectangleStudy {
  Box target;
  CoordinateDistribution inputs;
  std::vector<int> sizes;  // m
  int sets = 10000;        // random training sets per m
  double delta = 0.05;
  uint64_t seed = 0;
};

struct RectanglePoint {
  int m = 0;
  ErrorSummary measured;  // over the training sets, quantile at 1 - delta
  double exact_mean = 0, asymptotic_mean = 0, pac_bound = 0, typical_quantile = 0;
};

// For each m: `sets` training sets drawn from the inputs (a stream per m, so a point does not
// depend on the others), the tightest fit, its exact error; and the theories.
std::vector<RectanglePoint> run_rectangle_study(const RectangleStudy& study);

}  // namespace geneft
