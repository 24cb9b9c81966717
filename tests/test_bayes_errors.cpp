// Bayes errors at β = 1 on a regular model, where Watanabe's theory gives ν = λ = d/2:
// E[n G_n] = d/2, E[n T_n] = −d/2, E[n WAIC] = d/2.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "slt/bayes_errors.h"
#include "slt/deep_linear_network.h"

namespace geneft {
namespace {

TEST(BayesErrors, RegularModelSingularFluctuationIsHalfTheDimension) {
  ValidationSpec spec;
  spec.model = "regular", spec.input = 2, spec.output = 2, spec.seed = 3;  // d = 4, λ = ν = 2
  BayesErrorSettings s;
  s.ns = {200};
  s.datasets = 8, s.test_size = 4000, s.wbic = false;
  s.sampler.epsilon = 0, s.sampler.gamma = 1, s.sampler.chains = 2, s.sampler.burn_in = 1000;
  s.sampler.draws = 300, s.sampler.thin = 5, s.sampler.threads = 2;
  const BayesErrorStudy r = measure_bayes_errors(spec, s);
  ASSERT_EQ(r.points.size(), 1u);
  const auto& p = r.points[0];
  EXPECT_DOUBLE_EQ(r.true_lambda, 2.0);
  EXPECT_NEAR(p.nu.mean, 2.0, 0.3);
  EXPECT_GT(p.mala, 0.95);
  const double n = 200;
  EXPECT_NEAR(n * p.G.mean, 2.0, 4 * n * p.G.se + 0.2) << "se " << n * p.G.se;
  EXPECT_NEAR(n * p.T.mean, -2.0, 4 * n * p.T.se + 0.2) << "se " << n * p.T.se;
  EXPECT_NEAR(n * p.waic.mean, 2.0, 4 * n * p.waic.se + 0.2);
  EXPECT_GT(n * p.G.mean, 0.0);
  EXPECT_LT(n * p.T.mean, 0.0);
}

// The closed-form WBIC and free energy of the regular model against quadrature on d = 1
// (y = w x + N(0, 1), prior N(0, 1/γ)): F = −log ∫ e^{−nL_n(w)} φ(w) dw, WBIC = E_β[n L_n].
TEST(BayesErrors, RegularModelFreeEnergyMatchesQuadrature) {
  const DeepLinearNetwork net({1, 1}, 1, 50, 4);
  const double gamma = 0.7, beta = 1 / std::log(50.0);
  auto nL = [&](double w) {
    double s = 0;
    for (size_t i = 0; i < net.X.size(); ++i) s += 0.5 * (net.Y[i] - w * net.X[i]) * (net.Y[i] - w * net.X[i]);
    return s;
  };
  double min = INFINITY;
  for (double w = -5; w <= 5; w += 1e-3) min = std::min(min, nL(w));
  double Z1 = 0, Zb = 0, Eb = 0;  // Riemann sums on a fine grid (the integrands are smooth and decay fast)
  const double h = 1e-4;
  for (double w = -8; w <= 8; w += h) {
    const double prior = std::sqrt(gamma / (2 * M_PI)) * std::exp(-0.5 * gamma * w * w);
    Z1 += h * std::exp(-(nL(w) - min)) * prior;
    const double tb = h * std::exp(-beta * (nL(w) - min)) * prior;
    Zb += tb, Eb += tb * nL(w);
  }
  const ExactFreeEnergies e = regular_model_free_energies(net, gamma);
  EXPECT_NEAR(e.free_energy, min - std::log(Z1), 1e-6);
  EXPECT_NEAR(e.wbic, Eb / Zb, 1e-6);
}

// The sampled WBIC (SGLD at β = 1/ln n) agrees with the closed form on the same data sets; every
// data set has chains of its own, so the mean's error is the Monte Carlo error averaged.
TEST(BayesErrors, SampledWbicMatchesTheClosedForm) {
  ValidationSpec spec;
  spec.model = "regular", spec.input = 2, spec.output = 2, spec.seed = 8;  // d = 4
  BayesErrorSettings s;
  s.ns = {300};
  s.datasets = 4, s.test_size = 100, s.wbic = true;
  s.sampler.epsilon = 0, s.sampler.gamma = 1, s.sampler.chains = 2, s.sampler.burn_in = 2000;
  s.sampler.draws = 300, s.sampler.thin = 10, s.sampler.threads = 2;
  const auto& p = measure_bayes_errors(spec, s).points.at(0);
  // the per-set Monte Carlo error of E_β[n L_n] is ≈ ln n·√(d/2)/√ESS ≈ 1 here, 0.5 over 4 sets
  EXPECT_NEAR(p.wbic_minus_nl0.mean, p.wbic_exact.mean, 1.5);
}

TEST(BayesErrors, NormalCrossingHasNothingToPredict) {
  ValidationSpec spec;
  spec.model = "normal-crossing", spec.k = {1};
  EXPECT_THROW(measure_bayes_errors(spec, {}), UserError);
}

}  // namespace
}  // namespace geneft
