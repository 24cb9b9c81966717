// Single steps against PyTorch's update rules written out by hand (torch/optim/{sgd,adam,adamw}.py, 1.13).
#include <gtest/gtest.h>

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

// Warm-up scales the step and AdamW's decoupled decay alike: lr 0 at step 0 leaves the weights
// as they are (the moments still see the gradient), then lr * t / warmup.
TEST(Optimizer, WarmupScalesStepAndDecoupledDecay) {
  EXPECT_EQ(Optimizer<double>::warmup_factor(0, 10), 0.0);
  EXPECT_DOUBLE_EQ(Optimizer<double>::warmup_factor(3, 10), 0.3);
  EXPECT_EQ(Optimizer<double>::warmup_factor(10, 10), 1.0);
  EXPECT_EQ(Optimizer<double>::warmup_factor(25, 10), 1.0);
  EXPECT_EQ(Optimizer<double>::warmup_factor(0, 0), 1.0);

  double p = 1.0, g = 0.5;
  Optimizer<double> opt({OptimizerKind::AdamW, 0.0, 0.9, 0.98, 1e-8});
  opt.add_group(&p, &g, 1, 0.1, 0.3);
  opt.step(0.0);
  EXPECT_EQ(p, 1.0);
  opt.step(0.5);  // second step: m = g (1 - 0.9^2), v = g^2 (1 - 0.98^2); bias-corrected they are g and g^2
  const double lr = 0.1 * 0.5;
  EXPECT_NEAR(p, 1.0 * (1 - lr * 0.3) - lr * 0.5 / (0.5 + 1e-8), 1e-15);
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

}  // namespace
}  // namespace geneft
