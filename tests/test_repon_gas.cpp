// Overparameterization as a repon gas (open question 5 of GenEFT): the density, the closed form
// of the many-repon simulation's threshold (the conserved matrix Q = A^T A / eta_dec - S / eta_enc),
// and the fit of the boundary offset against density, on synthetic data with known parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/rng.h"
#include "theory/logistic_boundary_fit.h"
#include "theory/repon_gas.h"

namespace geneft {
namespace {

TEST(ReponGasDensity, ReponsPerUnitVolumeOfTheInitLaw) {
  // U(-1/2, 1/2)^d has volume 1 in every d; U(-1, 1)^3 has 8; N(0, 1) has side sqrt(2 pi e)
  const InitLaw unit{true, 1 / std::sqrt(12.0)}, wide{true, 2 / std::sqrt(12.0)}, normal{false, 1.0};
  for (int d : {1, 2, 8}) EXPECT_NEAR(repon_gas_density(30, d, unit), 30.0, 1e-9) << "d = " << d;
  EXPECT_NEAR(repon_gas_density(16, 3, wide), 2.0, 1e-12);
  EXPECT_NEAR(init_volume(normal, 2), 2 * M_PI * M_E, 1e-9);
  EXPECT_THROW(init_volume(unit, 0), std::exception);
}

struct Gas {
  std::string name;
  ManyReponSetup setup;
};

class ReponGasClosedForm : public ::testing::TestWithParam<Gas> {};

// Each initial condition's threshold from lambda_max(S^-1 A^T A) is where the simulated ODE's
// outcome switches: its repons collide at 0.05 decades below it and separate 0.05 decades above.
TEST_P(ReponGasClosedForm, SimulationSwitchesAtTheClosedFormThreshold) {
  const ManyReponSimulation sim(GetParam().setup);
  int tested = 0;
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const double x = repon_gas_threshold(sim, seed);
    if (std::abs(x) > 2.5) continue;  // the window's edge
    ++tested;
    EXPECT_EQ(sim.run(1.0, std::pow(10.0, x - 0.05), seed).outcome, ReponOutcome::Collide) << "seed " << seed << ", x* " << x;
    EXPECT_EQ(sim.run(1.0, std::pow(10.0, x + 0.05), seed).outcome, ReponOutcome::Separate) << "seed " << seed << ", x* " << x;
  }
  EXPECT_GE(tested, 3);
}

// And the bisection of ManyReponSimulation::threshold finds it, for a few initial conditions.
TEST(ReponGasClosedForm, BisectionFindsTheClosedFormThreshold) {
  const ManyReponSimulation sim({12, 3, 2, 4, 1 / std::sqrt(12.0), 0.5 / std::sqrt(3.0), true, true});
  for (uint64_t seed = 0; seed < 2; ++seed) EXPECT_NEAR(sim.threshold(seed), repon_gas_threshold(sim, seed), 0.03) << "seed " << seed;
}

const double kSx = 1 / std::sqrt(12.0);  // U(-1/2, 1/2)
INSTANTIATE_TEST_SUITE_P(
    Gases, ReponGasClosedForm,
    ::testing::Values(Gas{"TwoReponsOneDim", {2, 1, 1, 1, 1.0, 1.0}},
                      Gas{"N12K3D2Rows4", {12, 3, 2, 4, kSx, 0.5 / std::sqrt(3.0), true, true}},
                      Gas{"N9K3D3Rows4", {9, 3, 3, 4, kSx, 1 / std::sqrt(18.0), true, true}},
                      Gas{"N10K2D3Rows1", {10, 2, 3, 1, kSx, 1 / std::sqrt(18.0), true, true}}),
    [](const ::testing::TestParamInfo<Gas>& i) { return i.param.name; });

// More dimensions than deviations (d > n - k): a direction of R^d without spread, where the
// decoder never shrinks, so the repons collide at any ratio (the window's top).
TEST(ReponGasClosedForm, EmptyDirectionCollidesEverywhere) {
  const ManyReponSimulation sim({6, 3, 4, 8, kSx, 0.2, true, true});
  for (uint64_t seed = 0; seed < 3; ++seed) {
    EXPECT_EQ(repon_gas_threshold(sim, seed), 3.0);
    EXPECT_EQ(sim.threshold(seed), 3.0);
  }
}

// Large gas: the median threshold approaches log10(m sigma_a^2 / ((n - k) sigma_x^2)), and falls
// with n as -log10(n - k).
TEST(ReponGasClosedForm, LargeGasApproachesTheScaleRatio) {
  const double sa = 0.1;
  const auto a = repon_gas_thresholds(ManyReponSimulation({303, 3, 2, 400, kSx, sa, true, true}), 200, 1);
  const auto b = repon_gas_thresholds(ManyReponSimulation({1203, 3, 2, 400, kSx, sa, true, true}), 200, 1);
  const double scale_a = std::log10(400 * sa * sa / (300 * kSx * kSx));
  EXPECT_NEAR(a.crossing, scale_a, 0.15);
  EXPECT_NEAR(a.crossing - b.crossing, std::log10(4.0), 0.05);
}

struct Trend {
  std::string name;
  double intercept, slope, se;
};

class OffsetTrendRecovery : public ::testing::TestWithParam<Trend> {};

// Boundaries at three densities (n = 15, 30, 60) and two dimensions, each offset drawn around a
// known line in log10 rho with its stated error: over 300 replicas the true slope lies within one
// stated standard error about 68% of the time and within two in more than 90%.
TEST_P(OffsetTrendRecovery, TrueSlopeWithinTheStatedStandardError) {
  const auto& t = GetParam();
  Rng rng(5);
  int one = 0, two = 0, fits = 0;
  for (int r = 0; r < 300; ++r) {
    std::vector<GasBoundary> b;
    for (int d : {2, 8})
      for (int n : {15, 30, 60})
        b.push_back({n, d, double(n), t.intercept + t.slope * std::log10(n) + t.se * rng.normal(), t.se});
    const auto trends = offset_trends(b);
    ASSERT_EQ(trends.size(), 2u);
    for (const auto& tr : trends) {
      ++fits;
      one += std::abs(tr.line.slope - t.slope) < tr.line.slope_se;
      two += std::abs(tr.line.slope - t.slope) < 2 * tr.line.slope_se;
    }
  }
  EXPECT_GT(double(one) / fits, 0.6);
  EXPECT_GT(double(two) / fits, 0.9);
}

INSTANTIATE_TEST_SUITE_P(Synthetic, OffsetTrendRecovery,
                         ::testing::Values(Trend{"FallingSlopeMinus1p3", 2.3, -1.3, 0.12},
                                           Trend{"FlatNoisy", 0.4, 0.0, 0.3}),
                         [](const ::testing::TestParamInfo<Trend>& i) { return i.param.name; });

// End to end on synthetic sweeps: per density a 4 x 4 learning-rate grid (0.53 decades, like the
// examples) with 8 seeds around a boundary x0(n) = 2.3 - 1.3 log10 n; the logistic fits' offsets
// and their errors, fitted against log10 rho, recover the slope within 2.5 stated errors.
TEST(OffsetTrendRecovery, FromSyntheticLearningRateSweeps) {
  Rng rng(11);
  std::vector<GasBoundary> b;
  for (int n : {15, 30, 60}) {
    const double x0 = 2.3 - 1.3 * std::log10(n);
    std::vector<LrOutcome> runs;
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j)
        for (int s = 0; s < 8; ++s) {
          const double le = std::log10(5e-4) + 1.6 * i / 3, ld = std::log10(5e-4) + 1.6 * j / 3;
          runs.push_back({le, ld, rng.uniform() < 1 / (1 + std::exp(4.0 * (ld - le - x0)))});
        }
    const auto f = fit_lr_boundary(runs);
    ASSERT_TRUE(f.fitted);
    b.push_back({n, 2, double(n), f.x0, f.x0_se});
  }
  const auto trends = offset_trends(b);
  ASSERT_EQ(trends.size(), 1u);
  EXPECT_NEAR(trends[0].line.slope, -1.3, 2.5 * trends[0].line.slope_se);
  EXPECT_LT(trends[0].line.slope_se, 0.8);
}

}  // namespace
}  // namespace geneft
