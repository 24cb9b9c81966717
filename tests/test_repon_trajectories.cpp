// Repon trajectories (open question 1 of GenEFT): the measured coordinates of embeddings, the
// many-repon flow from a given state, and the effective constants fitted to a trajectory,
// recovered on synthetic trajectories with known constants within their stated errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/rng.h"
#include "measure/repon_coordinates.h"
#include "theory/many_repon_simulation.h"
#include "theory/repon_trajectory_fit.h"
#include "theory/two_repon_model.h"

namespace geneft {
namespace {

TEST(ReponCoordinates, WithinAndBetweenClassSpread) {
  // two classes in 1-d: {0, 2} around 1 and {10, 14} around 12; centroids +-5.5 around 6.5
  const std::vector<float> e = {0, 10, 2, 14};
  const auto r = repon_coordinates(e, 4, 1, {0, 1, 0, 1});
  EXPECT_NEAR(r.within, std::sqrt((1 + 4 + 1 + 4) / 4.0), 1e-12);
  EXPECT_NEAR(r.between, 5.5, 1e-12);
  EXPECT_THROW(repon_coordinates(e, 4, 2, {0, 1, 0, 1}), std::exception);
}

// Two repons at +-c read by a: the sampled flow follows the two-repon ODE (RK4 of TwoReponModel).
TEST(ManyReponTrajectory, TwoReponsFollowTheTwoReponOde) {
  const ManyReponSimulation sim({2, 1, 1, 1, 1.0, 1.0});
  const double a0 = 0.8, c0 = 0.5, eta_enc = 0.3, eta_dec = 0.1;
  const auto traj = sim.trajectory({c0, -c0}, {a0}, eta_enc, eta_dec, {0, 1, 2, 5, 10}, 1e-3);
  // Against a fine Euler integration of the same ODE.
  double a = a0, c = c0, t = 0;
  for (const auto& p : traj) {
    for (; t < p.t - 1e-12; t += 1e-5) {
      const double da = -2 * eta_dec * c * c * a, dc = -eta_enc * a * a * c;
      a += 1e-5 * da, c += 1e-5 * dc;
    }
    EXPECT_NEAR(p.within, c, 2e-4) << "t = " << p.t;
    EXPECT_NEAR(p.decoder, a, 2e-4) << "t = " << p.t;
  }
}

struct KnownConstants {
  std::string name;
  double eta_enc, eta_dec, a0, c0;
};
class ReponConstantRecovery : public ::testing::TestWithParam<KnownConstants> {};

// Synthetic trajectories of the two-repon law with known constants, 31 frames, 2% multiplicative
// noise on each measured a and c: the fit recovers k_enc = eta_enc and k_dec = eta_dec, and over
// 100 noisy replicas the truth lies within 2 stated standard errors most of the time.
TEST_P(ReponConstantRecovery, KnownConstantsWithinTheStatedErrors) {
  const auto& k = GetParam();
  const ManyReponSimulation sim({2, 1, 1, 1, 1.0, 1.0});
  std::vector<double> times;
  for (int i = 0; i <= 30; ++i) times.push_back(100.0 * i);
  const auto traj = sim.trajectory({k.c0, -k.c0}, {k.a0}, k.eta_enc, k.eta_dec, times);
  std::vector<double> a, c;
  for (const auto& p : traj) a.push_back(p.decoder), c.push_back(p.within);
  const auto exact = fit_repon_constants(times, a, c);
  EXPECT_NEAR(exact.k_enc, k.eta_enc, 0.01 * k.eta_enc);
  EXPECT_NEAR(exact.k_dec, k.eta_dec, 0.01 * k.eta_dec);
  Rng rng(4);
  int enc2 = 0, dec2 = 0;
  for (int r = 0; r < 100; ++r) {
    std::vector<double> an = a, cn = c;
    for (auto& v : an) v *= std::exp(0.02 * rng.normal());
    for (auto& v : cn) v *= std::exp(0.02 * rng.normal());
    const auto f = fit_repon_constants(times, an, cn);
    enc2 += std::abs(f.k_enc - k.eta_enc) < 2 * f.k_enc_se;
    dec2 += std::abs(f.k_dec - k.eta_dec) < 2 * f.k_dec_se;
  }
  EXPECT_GT(enc2, 85);
  EXPECT_GT(dec2, 85);
}

INSTANTIATE_TEST_SUITE_P(
    Synthetic, ReponConstantRecovery,
    ::testing::Values(KnownConstants{"CollideSlowDecoder", 1e-3, 2e-4, 0.3, 0.2},
                      KnownConstants{"SeparateFastDecoder", 1e-4, 1e-3, 0.3, 0.3},
                      KnownConstants{"NearTheBoundary", 5e-4, 5e-4, 0.35, 0.25}),
    [](const ::testing::TestParamInfo<KnownConstants>& i) { return i.param.name; });

// A repelling trajectory (c grows while a holds) gives k_enc < 0 beyond its error.
TEST(ReponConstants, RepulsionHasANegativeAttractionConstant) {
  std::vector<double> t, a, c;
  for (int i = 0; i <= 20; ++i) t.push_back(i), a.push_back(0.5), c.push_back(0.2 * std::exp(0.01 * i));
  const auto f = fit_repon_constants(t, a, c);
  EXPECT_NEAR(f.k_enc, -0.01 / 0.25, 1e-9);
  EXPECT_NEAR(f.k_dec, 0, 1e-12);
}

}  // namespace
}  // namespace geneft
