// Bayes errors at β = 1 on a regular model, where Watanabe's theory gives ν = λ = d/2:
// E[n G_n] = d/2, E[n T_n] = −d/2, E[n WAIC] = d/2.
#include <gtest/gtest.h>

#include "core/error.h"
#include "slt/bayes_errors.h"

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

TEST(BayesErrors, NormalCrossingHasNothingToPredict) {
  ValidationSpec spec;
  spec.model = "normal-crossing", spec.k = {1};
  EXPECT_THROW(measure_bayes_errors(spec, {}), UserError);
}

}  // namespace
}  // namespace geneft
