// Fits of learning-rate phase boundaries and the repon predictions from the actual init laws
// (open question 2 of GenEFT): recovered on synthetic sweeps with known parameters, within the
// standard errors the fits state.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/rng.h"
#include "theory/generalization_probability.h"
#include "theory/logistic_boundary_fit.h"
#include "theory/many_repon_simulation.h"

namespace geneft {
namespace {

// A boundary log10 eta_dec = slope log10 eta_enc + offset with steepness k (per decade of
// log10 eta_dec at fixed eta_enc): P(generalize) = sigmoid(-k (ld - slope le - offset)).
struct SyntheticBoundary {
  std::string name;
  double slope, offset, steepness;
};

// A sweep like the examples': an n x n grid over [-4, -1] in both logs, `seeds` runs per cell.
std::vector<LrOutcome> synthetic_sweep(const SyntheticBoundary& b, int n, int seeds, Rng& rng) {
  std::vector<LrOutcome> runs;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int s = 0; s < seeds; ++s) {
        const double le = -4 + 3.0 * i / (n - 1), ld = -4 + 3.0 * j / (n - 1);
        const double p = 1 / (1 + std::exp(b.steepness * (ld - b.slope * le - b.offset)));
        runs.push_back({le, ld, rng.uniform() < p});
      }
  return runs;
}

class LrBoundaryRecovery : public ::testing::TestWithParam<SyntheticBoundary> {};

// Over 200 synthetic sweeps, the true slope, offset and the log ratio at the grid centre lie
// within one stated standard error about 68% of the time and within two about 95%: the
// uncertainties are neither too small nor too large. Cells 0.375 decades apart, 4 seeds.
TEST_P(LrBoundaryRecovery, TrueParametersWithinTheStatedStandardErrors) {
  const auto& b = GetParam();
  Rng rng(17);
  const int replicas = 200;
  int slope1 = 0, slope2 = 0, center1 = 0, center2 = 0, fitted = 0;
  double slope_sum = 0;
  for (int r = 0; r < replicas; ++r) {
    const auto runs = synthetic_sweep(b, 9, 4, rng);
    const auto f = fit_lr_boundary(runs);
    ASSERT_TRUE(f.fitted && f.two_axes);
    ++fitted;
    slope_sum += f.slope;
    const double true_center = b.offset + (b.slope - 1) * f.center;
    slope1 += std::abs(f.slope - b.slope) < f.slope_se, slope2 += std::abs(f.slope - b.slope) < 2 * f.slope_se;
    center1 += std::abs(f.center_ratio - true_center) < f.center_ratio_se;
    center2 += std::abs(f.center_ratio - true_center) < 2 * f.center_ratio_se;
  }
  EXPECT_NEAR(slope_sum / fitted, b.slope, 0.05 * b.slope);
  // binomial spread of a 68% share over 200 replicas is 3.3%
  EXPECT_GT(slope1, 0.56 * replicas) << "slope";
  EXPECT_LT(slope1, 0.80 * replicas) << "slope";
  EXPECT_GT(slope2, 0.90 * replicas) << "slope";
  EXPECT_GT(center1, 0.56 * replicas) << "centre";
  EXPECT_LT(center1, 0.80 * replicas) << "centre";
  EXPECT_GT(center2, 0.90 * replicas) << "centre";
}

INSTANTIATE_TEST_SUITE_P(
    Synthetic, LrBoundaryRecovery,
    ::testing::Values(SyntheticBoundary{"Slope1Offset0p3", 1.0, 0.3, 3.5},
                      SyntheticBoundary{"Slope0p7OffsetMinus1", 0.7, -1.0, 3.0},
                      SyntheticBoundary{"Slope1p4OffsetPlus0p5", 1.4, 0.5, 4.0},
                      SyntheticBoundary{"Slope1GradualOffsetMinus0p5", 1.0, -0.5, 1.5}),
    [](const ::testing::TestParamInfo<SyntheticBoundary>& i) { return i.param.name; });

// On the ratio alone (a slope-1 boundary), x0 = offset within its standard error's coverage,
// and a one-axis sweep (eta_enc fixed) fits x0 but no slope.
TEST(LrBoundaryFit, RatioOffsetAndOneAxisSweep) {
  Rng rng(5);
  const SyntheticBoundary b{"", 1.0, 0.3, 3.5};
  int within2 = 0;
  for (int r = 0; r < 100; ++r) {
    const auto f = fit_lr_boundary(synthetic_sweep(b, 9, 4, rng));
    within2 += std::abs(f.x0 - b.offset) < 2 * f.x0_se;
  }
  EXPECT_GT(within2, 88);
  std::vector<LrOutcome> one_axis;
  for (int j = 0; j < 400; ++j) {
    const double ld = -5 + 4.0 * (j % 20) / 19;
    one_axis.push_back({-3, ld, rng.uniform() < 1 / (1 + std::exp(3 * (ld + 3 - 0.3)))});
  }
  const auto f = fit_lr_boundary(one_axis);
  EXPECT_TRUE(f.fitted);
  EXPECT_FALSE(f.two_axes);
  EXPECT_NEAR(f.x0, 0.3, 3 * f.x0_se);
  EXPECT_NEAR(f.beta1, -3, 3 * f.beta1_se);
  // the encoder rate varied at one decoder rate (a row of a diagram): the ratio still, no line
  std::vector<LrOutcome> one_row;
  for (int j = 0; j < 400; ++j) {
    const double le = -5 + 4.0 * (j % 20) / 19;
    one_row.push_back({le, -1, rng.uniform() < 1 / (1 + std::exp(3 * (-1 - le - 0.3)))});
  }
  const auto g = fit_lr_boundary(one_row);
  EXPECT_TRUE(g.fitted);
  EXPECT_FALSE(g.two_axes);
  EXPECT_NEAR(g.x0, 0.3, 3 * g.x0_se);
}

TEST(LrBoundaryFit, SameOutcomeEverywhereHasNoBoundary) {
  std::vector<LrOutcome> runs = {{-3, -3, true}, {-2, -3, true}, {-3, -2, true}};
  const auto f = fit_lr_boundary(runs);
  EXPECT_FALSE(f.fitted);
  EXPECT_EQ(f.generalized, 3);
}

TEST(InitLaw, UniformHasTheStatedStdAndSupport) {
  Rng rng(2);
  const InitLaw u{true, 0.25};
  double s2 = 0, most = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = u.draw(rng);
    s2 += x * x, most = std::max(most, std::abs(x));
  }
  EXPECT_NEAR(std::sqrt(s2 / n), 0.25, 0.002);
  EXPECT_LE(most, std::sqrt(3.0) * 0.25);
  EXPECT_GT(most, 0.99 * std::sqrt(3.0) * 0.25);
}

// With Gaussian laws the Monte Carlo boundary is the closed form's, log10(sigma_a^2 / (2 sigma_c^2))
// with sigma_c = sigma_e / sqrt(2); over replicas it lies within 2 stated s.e. ~95% of the time.
TEST(TwoReponThresholds, GaussianLawsGiveTheClosedFormBoundary) {
  const InitLaw a{false, 0.3}, e{false, 0.5};
  const double closed = boundary_log_ratio({0.3, 0.5 / std::sqrt(2.0)});
  int within2 = 0;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    const auto mc = two_repon_thresholds(a, e, 2000, seed);
    within2 += std::abs(mc.crossing - closed) < 2 * mc.std_error;
  }
  EXPECT_GT(within2, 88);
  const auto big = two_repon_thresholds(a, e, 400000, 99);
  EXPECT_NEAR(big.probability(closed), 0.5, 0.005);
  EXPECT_NEAR(big.probability(closed + 1), generalization_probability(1, 10 * std::pow(10.0, closed), {0.3, 0.5 / std::sqrt(2.0)}),
              0.005);
}

// The network's own laws: U(-1/2, 1/2) embeddings and a fan-in-4 first layer U(-1/2, 1/2). At
// eta_enc = eta_dec, P(C > 0) = P(|a| > sqrt(2) |c|) = 2u - 4u^2/3 with u = 1/(2 sqrt 2), 0.5404
// (integrated by hand), not the Gaussian closed form's 1/2.
TEST(TwoReponThresholds, UniformLawsAtEqualRates) {
  const InitLaw a{true, 0.5 / std::sqrt(3.0)}, e{true, 1 / std::sqrt(12.0)};
  const double u = 1 / (2 * std::sqrt(2.0)), exact = 2 * u - 4 * u * u / 3;
  const int64_t n = 400000;
  const auto mc = two_repon_thresholds(a, e, n, 3);
  EXPECT_NEAR(mc.probability(0), exact, 4 * std::sqrt(exact * (1 - exact) / n));
  EXPECT_GT(mc.crossing, 0);  // the median of log10(a^2 / 2c^2) lies above 0 since P(0) > 1/2
  EXPECT_NEAR(generalization_probability(1, 1, {a.std, e.std / std::sqrt(2.0)}), 0.5, 1e-12);
}

// Two repons (N = 2, one class, d = m = 1): the bisected threshold of each initial condition is
// the known x* = log10(a^2 / (2 c^2)) of its draws.
TEST(ManyReponThresholds, TwoReponsRecoverTheKnownThreshold) {
  const ManyReponSimulation sim({2, 1, 1, 1, 1.0, 1.0});
  for (uint64_t seed = 0; seed < 10; ++seed) {
    Rng rng(seed);  // the simulation's own draws: x1, x2, then a
    const double x1 = rng.normal(), x2 = rng.normal(), a = rng.normal(), c = (x1 - x2) / 2;
    const double known = std::log10(a * a / (2 * c * c));
    if (std::abs(known) > 2.9) continue;  // outside the bisection's range
    EXPECT_NEAR(sim.threshold(seed), known, 0.02) << "seed " << seed;
  }
}

// What the bisection assumes: along the ratio, each initial condition's outcome switches once,
// from colliding (slow decoder) to separating (fast decoder); with the network's uniform laws.
TEST(ManyReponThresholds, OutcomeSwitchesOnceAlongTheRatio) {
  const ManyReponSimulation sim({12, 3, 2, 4, 1 / std::sqrt(12.0), 0.5 / std::sqrt(3.0), true, true});
  int switched = 0;
  for (uint64_t seed = 0; seed < 3; ++seed) {
    int switches = 0;
    bool last = true;
    for (double x = -2; x <= 2.001; x += 0.5) {
      const bool collide = sim.run(1.0, std::pow(10.0, x), seed).outcome == ReponOutcome::Collide;
      if (x > -2 && collide != last) {
        ++switches;
        EXPECT_TRUE(last) << "seed " << seed << " separates, then collides at " << x;
      }
      last = collide;
    }
    EXPECT_LE(switches, 1) << "seed " << seed;
    switched += switches;
  }
  EXPECT_GT(switched, 0);
}

}  // namespace
}  // namespace geneft
