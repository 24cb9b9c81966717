// Single steps against PyTorch's update rules written out by hand (torch/optim/{sgd,adam,adamw}.py, 1.13).
#include <gtest/gtest.h>

#include <vector>

#include <cmath>

#include "optim/optimizer.h"

namespace geneft {
namespace {

double one_step(OptimizerKind kind, double p0, double g, double lr, double wd) {
  double p = p0;
  Optimizer<double> opt({kind, 0.0, 0.9, 0.999, 1e-8});
  opt.add_group(&p, &g, 1, lr, wd);
  opt.step();
  return p;
}

TEST(Optimizer, AdamFirstStepIsSignedLearningRate) {
  // m/(1-b1) = g and sqrt(v/(1-b2)) = |g|: the first step is lr * g / (|g| + eps)
  EXPECT_DOUBLE_EQ(one_step(OptimizerKind::Adam, 1.0, 0.5, 0.1, 0.0), 1.0 - 0.1 * 0.5 / (0.5 + 1e-8));
  EXPECT_DOUBLE_EQ(one_step(OptimizerKind::Adam, 1.0, -2.0, 0.1, 0.0), 1.0 + 0.1 * 2.0 / (2.0 + 1e-8));
}

TEST(Optimizer, AdamWeightDecayIsL2AndAdamWIsDecoupled) {
  const double g = 0.5 + 0.3 * 1.0;  // adam adds wd * p to the gradient
  EXPECT_NEAR(one_step(OptimizerKind::Adam, 1.0, 0.5, 0.1, 0.3), 1.0 - 0.1 * g / (g + 1e-8), 1e-15);
  // adamw shrinks the parameter by (1 - lr * wd) first
  EXPECT_NEAR(one_step(OptimizerKind::AdamW, 1.0, 0.5, 0.1, 0.3), 1.0 * (1 - 0.03) - 0.1 * 0.5 / (0.5 + 1e-8), 1e-15);
}

TEST(Optimizer, SgdMomentumTwoSteps) {
  double p = 1.0, g = 0.5;
  Optimizer<double> opt({OptimizerKind::Sgd, 0.9, 0.9, 0.999, 1e-8});
  opt.add_group(&p, &g, 1, 0.1, 0.01);
  opt.step();
  const double d1 = 0.5 + 0.01 * 1.0;  // buffer starts as the first gradient
  EXPECT_DOUBLE_EQ(p, 1.0 - 0.1 * d1);
  const double p1 = p;
  g = -0.2;
  opt.step();
  const double d2 = -0.2 + 0.01 * p1;
  EXPECT_DOUBLE_EQ(p, p1 - 0.1 * (0.9 * d1 + d2));
}

TEST(Optimizer, GroupsHaveTheirOwnRates) {
  double enc = 1.0, dec = 1.0, g = 1.0;
  Optimizer<double> opt({OptimizerKind::Sgd, 0.0, 0.9, 0.999, 1e-8});
  opt.add_group(&enc, &g, 1, 0.1, 0.0);
  opt.add_group(&dec, &g, 1, 0.01, 0.0);
  opt.step();
  EXPECT_DOUBLE_EQ(enc, 0.9);
  EXPECT_DOUBLE_EQ(dec, 0.99);
}

// Linear warm-up as PyTorch's LambdaLR(min(s / n, 1)): step s moves by lr * min(s / n, 1), so the
// first step moves nothing; AdamW's decoupled decay is scaled too.
TEST(Optimizer, WarmUpScalesTheRateLinearly) {
  double p = 0.0, g = -1.0;
  Optimizer<double> sgd({OptimizerKind::Sgd, 0.0, 0.9, 0.999, 1e-8, 4});
  sgd.add_group(&p, &g, 1, 1.0, 0.0);
  std::vector<double> moves;
  for (int s = 0; s < 6; ++s) {
    const double before = p;
    sgd.step();
    moves.push_back(p - before);
  }
  EXPECT_EQ(moves, (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0, 1.0}));
  double w = 2.0, zero = 0.0;
  Optimizer<double> adamw({OptimizerKind::AdamW, 0.0, 0.9, 0.98, 1e-8, 10});
  adamw.add_group(&w, &zero, 1, 1e-1, 1.0);
  adamw.step();
  EXPECT_EQ(w, 2.0);  // lr 0 at step 0: no decay either
  adamw.step();
  EXPECT_DOUBLE_EQ(w, 2.0 * (1 - 1e-2));  // lr/10, gradient 0: only the decay moves it
}

}  // namespace
}  // namespace geneft
