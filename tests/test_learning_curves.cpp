// PAC bounds and statistical-mechanics learning curves (src/theory/rectangle_learning,
// src/theory/perceptron_learning): the exact errors against brute force, the learners against
// their definitions, the measurements against the theorems and the typical-case predictions.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "theory/learning_curve_stats.h"
#include "theory/perceptron_learning.h"
#include "theory/rectangle_learning.h"

namespace geneft {
namespace {

struct BoxCase {
  std::string name, inputs;
  int dim;
  double lo, hi;
};
std::string box_case_name(const testing::TestParamInfo<BoxCase>& info) { return info.param.name; }

const std::vector<BoxCase> kBoxCases = {
    {"uniform_d2", "uniform", 2, 0.2, 0.7},
    {"uniform_d3_touching_the_edge", "uniform", 3, 0.0, 0.6},
    {"beta2_5_d2", "beta:2,5", 2, 0.1, 0.4},
    {"beta3_3_d1", "beta:3,3", 1, 0.3, 0.8},
};

Box cube(int d, double lo, double hi) { return Box{std::vector<double>(d, lo), std::vector<double>(d, hi)}; }

// m points from the inputs with their target labels, (m, d) row-major
void draw_sample(const Box& target, const CoordinateDistribution& in, int m, Rng& rng, std::vector<double>& x,
                 std::vector<uint8_t>& y) {
  const int d = target.dim();
  x.resize(size_t(m) * d), y.resize(m);
  for (int k = 0; k < m; ++k) {
    for (int i = 0; i < d; ++i) x[size_t(k) * d + i] = in.sample(rng);
    y[k] = target.contains(&x[size_t(k) * d]);
  }
}

class BoxLearning : public testing::TestWithParam<BoxCase> {};

TEST_P(BoxLearning, ExactErrorAgreesWithBruteForceMonteCarlo) {
  const auto& c = GetParam();
  const CoordinateDistribution in = CoordinateDistribution::parse(c.inputs);
  const Box target = cube(c.dim, c.lo, c.hi);
  Rng rng(7);
  std::vector<double> x;
  std::vector<uint8_t> y;
  draw_sample(target, in, 12, rng, x, y);
  Box learned = tightest_fit(x.data(), y.data(), 12, c.dim);
  if (learned.empty()) learned = cube(c.dim, c.lo, 0.5 * (c.lo + c.hi));
  // and a box that sticks out of the target, for the general symmetric difference
  Box shifted = target;
  for (int i = 0; i < c.dim; ++i) shifted.lo[i] += 0.1, shifted.hi[i] = std::min(1.0, shifted.hi[i] + 0.15);
  for (const Box& h : {learned, shifted}) {
    const double exact = box_error(target, h, in);
    const int n = 400000;
    int wrong = 0;
    std::vector<double> pt(c.dim);
    for (int k = 0; k < n; ++k) {
      for (auto& v : pt) v = in.sample(rng);
      wrong += target.contains(pt.data()) != h.contains(pt.data());
    }
    const double mc = double(wrong) / n, se = std::sqrt(exact * (1 - exact) / n);
    EXPECT_GT(exact, 0.01);
    EXPECT_NEAR(mc, exact, 4 * se) << "Monte Carlo " << mc << " vs exact " << exact;
  }
}

TEST_P(BoxLearning, TightestFitHasZeroTrainingErrorAndLiesInsideTheTarget) {
  const auto& c = GetParam();
  const CoordinateDistribution in = CoordinateDistribution::parse(c.inputs);
  const Box target = cube(c.dim, c.lo, c.hi);
  Rng rng(11);
  std::vector<double> x;
  std::vector<uint8_t> y;
  for (int m : {1, 5, 30, 200}) {
    draw_sample(target, in, m, rng, x, y);
    const Box h = tightest_fit(x.data(), y.data(), m, c.dim);
    for (int k = 0; k < m; ++k) EXPECT_EQ(h.contains(&x[size_t(k) * c.dim]), bool(y[k])) << "m = " << m << ", point " << k;
    if (!h.empty()) {
      for (int i = 0; i < c.dim; ++i) EXPECT_TRUE(h.lo[i] >= c.lo && h.hi[i] <= c.hi);
    }
    EXPECT_NEAR(box_error(target, h, in), box_mass(target, in) - box_mass(h, in), 1e-12);
  }
}

TEST_P(BoxLearning, QuantileOfTheMeasuredErrorLiesUnderThePacBoundAtEveryM) {
  const auto& c = GetParam();
  RectangleStudy s;
  s.inputs = CoordinateDistribution::parse(c.inputs);
  s.target = cube(c.dim, c.lo, c.hi);
  s.sizes = {2, 4, 8, 16, 32, 64, 128, 256, 512};
  s.sets = 2000, s.delta = 0.05;
  for (const auto& p : run_rectangle_study(s)) {
    // the theorem: P(error > bound) <= delta for any distribution; the CI's upper end too
    EXPECT_LE(p.measured.quantile, p.pac_bound) << "m = " << p.m;
    EXPECT_LE(p.measured.quantile_hi, p.pac_bound) << "m = " << p.m;
  }
}

TEST_P(BoxLearning, MeasuredMeanFollowsTheExactTypicalCaseAtLargeM) {
  // the exact mean depends on the target's mass p and d only, so Beta inputs follow it too
  const auto& c = GetParam();
  RectangleStudy s;
  s.inputs = CoordinateDistribution::parse(c.inputs);
  s.target = cube(c.dim, c.lo, c.hi);
  s.sizes = {256, 512};
  s.sets = 3000, s.seed = 3;
  for (const auto& p : run_rectangle_study(s)) {
    EXPECT_NEAR(p.measured.mean, p.exact_mean, 3.5 * p.measured.std_error) << "m = " << p.m;
    // and the typical-case quantile law Gamma(2d, 1)/m, within 12% at these m
    EXPECT_NEAR(p.measured.quantile / p.typical_quantile, 1.0, 0.12) << "m = " << p.m;
  }
}

INSTANTIATE_TEST_SUITE_P(Boxes, BoxLearning, testing::ValuesIn(kBoxCases), box_case_name);

TEST(BoxLearning, ExactMeanTendsToTwoDOverM) {
  for (int d : {1, 2, 4})
    for (double p : {0.1, 0.5}) {
      const int m = 200000;
      EXPECT_NEAR(m * rectangle_exact_mean_error(m, p, d) / (2.0 * d), 1.0, 2e-3) << "d = " << d << ", p = " << p;
    }
  // small m: with m = 1 the single positive gives a degenerate box, so the error is p
  EXPECT_NEAR(rectangle_exact_mean_error(1, 0.3, 2), 0.3, 1e-15);
  // d = 1 by hand at m = 2: K = 2 w.p. p^2 gives error p (1 - 1/3), else p
  EXPECT_NEAR(rectangle_exact_mean_error(2, 0.5, 1), 0.5 - 0.25 * 0.5 / 3, 1e-15);
}

TEST(BoxLearning, PacBoundAndTypicalQuantileFormulas) {
  EXPECT_NEAR(rectangle_pac_bound(100, 2, 0.05), 4.0 / 100 * std::log(4 / 0.05), 1e-15);  // the talk's d = 2 form
  EXPECT_NEAR(rectangle_pac_bound(100, 3, 0.05), 6.0 / 100 * std::log(6 / 0.05), 1e-15);
  // Gamma(2, 1): P(G <= x) = 1 - e^-x (1 + x)
  const double x = rectangle_typical_quantile(1, 1, 0.95);
  EXPECT_NEAR(1 - std::exp(-x) * (1 + x), 0.95, 1e-12);
  EXPECT_NEAR(rectangle_typical_quantile(10, 1, 0.95), x / 10, 1e-12);
}

TEST(BoxLearning, CoordinateDistributionSamplesFollowItsCdf) {
  const auto in = CoordinateDistribution::parse("beta:2,5");
  EXPECT_NEAR(in.cdf(0.5), 57.0 / 64, 1e-12);  // I_0.5(2, 5) = 1 - 7/64
  Rng rng(5);
  const int n = 200000;
  int below = 0;
  for (int k = 0; k < n; ++k) below += in.sample(rng) < 0.3;
  EXPECT_NEAR(double(below) / n, in.cdf(0.3), 4 * std::sqrt(0.25 / n));
}

TEST(BoxLearning, BadInputDistributionIsAClearError) {
  for (const char* bad : {"gauss", "beta:0,2", "beta:2", "beta:2,x", "beta:2,3,4"}) {
    try {
      CoordinateDistribution::parse(bad);
      ADD_FAILURE() << bad << " accepted";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("beta:A,B"), std::string::npos) << e.what();
    }
  }
}

TEST(ErrorSummary, QuantilesAndTheirIntervals) {
  std::vector<double> v;
  for (int i = 1; i <= 1000; ++i) v.push_back(i);
  const ErrorSummary s = summarize_errors(v, 0.95);
  EXPECT_DOUBLE_EQ(s.mean, 500.5);
  EXPECT_DOUBLE_EQ(s.median, 500);
  EXPECT_DOUBLE_EQ(s.quantile, 950);
  EXPECT_TRUE(s.quantile_lo < 950 && s.quantile_hi > 950 && s.quantile_hi - s.quantile_lo < 40);
  EXPECT_NEAR(s.std_error, std::sqrt((1000.0 * 1001 / 12) / 1000), 1e-9);
}

// ---------------------------------------------------------------------------------------------
TEST(VersionSpaceSampler, OneWallGivesAHalfNormalAlongItsNormal) {
  // N(0, I) restricted to f.x > 0: the coordinate along f is half-normal (mean sqrt(2/pi),
  // second moment 1), the others stay N(0, 1)
  const int n = 5;
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(1, n);
  F(0, 0) = 2.0;
  Eigen::VectorXd start = Eigen::VectorXd::Zero(n);
  start[0] = 0.1;
  VersionSpaceSampler sampler(F, start);
  Rng rng(1);
  const int draws = 20000;
  double m1 = 0, m2 = 0, o2 = 0;
  for (int k = 0; k < draws; ++k) {
    const auto& x = sampler.next(rng);
    ASSERT_GT(x[0], 0);
    m1 += x[0] / draws, m2 += x[0] * x[0] / draws, o2 += x[3] * x[3] / draws;
  }
  EXPECT_NEAR(m1, std::sqrt(2 / std::numbers::pi), 0.02);
  EXPECT_NEAR(m2, 1.0, 0.04);
  EXPECT_NEAR(o2, 1.0, 0.04);
  EXPECT_GT(sampler.bounces(), draws / 10);
}

TEST(VersionSpaceSampler, AWedgeIsFilledUniformlyInAngle) {
  // two walls through the origin in the plane, 60 degrees apart: the direction is uniform on the
  // wedge, so the angle has mean 30 degrees and variance (60 degrees)^2 / 12
  const double w = std::numbers::pi / 3;
  Eigen::MatrixXd F(2, 2);
  F << 0, 1, std::sin(w), -std::cos(w);  // y > 0 and below the ray at angle w
  Eigen::VectorXd start(2);
  start << std::cos(w / 2), std::sin(w / 2);
  VersionSpaceSampler sampler(F, start);
  Rng rng(2);
  const int draws = 20000;
  double mean = 0, sq = 0;
  for (int k = 0; k < draws; ++k) {
    const auto& x = sampler.next(rng);
    ASSERT_GT((F * x).minCoeff(), 0);
    const double a = std::atan2(x[1], x[0]);
    mean += a / draws, sq += a * a / draws;
  }
  EXPECT_NEAR(mean, w / 2, 0.01);
  EXPECT_NEAR(sq - mean * mean, w * w / 12, 0.01);
}

TEST(GibbsLearning, EveryDrawIsConsistentAndTheErrorMatchesTheReplicaCurve) {
  // N = 20, alpha = 3: the measured mean lies within the finite-N correction of the N = infinity
  // replica value: between the curve at P/(N - 1) and at alpha, widened by 3 standard errors
  PerceptronStudy s;
  s.n = 20, s.alphas = {3}, s.teachers = 60, s.burn_in = 20, s.draws = 5;
  const auto p = run_perceptron_study(s).at(0);
  EXPECT_TRUE(p.all_consistent);
  EXPECT_GT(p.gibbs.mean, p.replica_finite_n - 3 * p.gibbs.std_error);
  EXPECT_LT(p.gibbs.mean, p.replica + 3 * p.gibbs.std_error);
  // the VC bound holds for every consistent student: above the measured quantile
  EXPECT_GT(p.vc_bound, p.gibbs_draws.quantile_hi);
  // and Hebb against its exact large-N formula, within 3 s.e. and the same finite-N shift
  EXPECT_NEAR(p.hebb.mean, hebb_error(double(p.p) / (s.n - 1)), 3 * p.hebb.std_error + 0.01);
}

TEST(GibbsLearning, ChainStartedAtTheTeacherForgetsIt) {
  // a chain that had not mixed would stay near the teacher (error near 0): the error after 2
  // iterations already agrees with the error after 30
  Rng rng(4);
  const auto prob = make_teacher_student(30, 150, rng);
  double early = 0, late = 0;
  const int chains = 40;
  for (int c = 0; c < chains; ++c) {
    VersionSpaceSampler sampler(prob.F, prob.teacher * std::sqrt(30.0));
    for (int it = 1; it <= 30; ++it) {
      const auto& w = sampler.next(rng);
      if (it == 2) early += perceptron_generalization_error(w, prob.teacher) / chains;
      if (it == 30) late += perceptron_generalization_error(w, prob.teacher) / chains;
    }
  }
  EXPECT_NEAR(early / late, 1.0, 0.15) << "early " << early << ", late " << late;
}

TEST(ReplicaGibbs, SolvesItsSaddlePointEquationAndHasTheKnownLimits) {
  for (double a : {0.2, 1.0, 3.0, 10.0, 40.0}) {
    const double r = gibbs_replica_overlap(a);
    EXPECT_NEAR(gibbs_saddle_point_ratio(r, a), 1.0, 1e-9) << "alpha = " << a;
  }
  EXPECT_NEAR(gibbs_asymptotic_coefficient(), 0.6247, 5e-4);  // eps ~ 0.625/alpha (Engel & Van den Broeck)
  EXPECT_NEAR(200 * gibbs_replica_error(200), gibbs_asymptotic_coefficient(), 2e-3);
  // small alpha: R ~ (alpha/pi) int Dt / H(0) = 2 alpha/pi
  EXPECT_NEAR(gibbs_replica_overlap(1e-3) / (2e-3 / std::numbers::pi), 1.0, 1e-2);
  double last = 0.5;
  for (double a = 0.25; a < 50; a *= 1.5) {
    EXPECT_LT(gibbs_replica_error(a), last);
    last = gibbs_replica_error(a);
  }
  // Gibbs learns worse than Hebb at small alpha, better at large
  EXPECT_GT(gibbs_replica_error(0.5), hebb_error(0.5));
  EXPECT_LT(gibbs_replica_error(10), hebb_error(10));
}

TEST(HalfspaceVcBound, CoverCountAndBound) {
  // 2m <= N: every dichotomy of 2m points is realized, C = 2^(2m)
  EXPECT_NEAR(halfspace_vc_bound(5, 20, 0.05), 2.0 / 5 * (10 + std::log2(2 / 0.05)), 1e-9);
  // C(M, N) by hand: C(4, 2) = 2 (binom(3,0) + binom(3,1)) = 8
  EXPECT_NEAR(halfspace_vc_bound(2, 2, 0.5), 2.0 / 2 * (3 + std::log2(4.0)), 1e-9);
  // never above the same bound with Sauer's lemma, (e M / N)^N, in place of the exact count
  const int m = 3000, n = 30;
  const double sauer = 2.0 / m * (n * std::log2(std::numbers::e * 2 * m / n) + std::log2(2 / 0.05));
  EXPECT_LT(halfspace_vc_bound(m, n, 0.05), sauer);
  EXPECT_GT(halfspace_vc_bound(m, n, 0.05), 0.9 * sauer);
  EXPECT_LT(halfspace_vc_bound(2 * m, n, 0.05), halfspace_vc_bound(m, n, 0.05));
}

}  // namespace
}  // namespace geneft
