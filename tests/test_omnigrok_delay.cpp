#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.h"
#include "theory/omnigrok_delay.h"

namespace geneft {
namespace {

// A curve whose norms follow pure decoupled decay exactly, step by step (warm-up included), from
// group norms (e0, d0) at step 0; accuracies pass 0.9 at t_train and t_test.
std::vector<EvalPoint> decaying_curve(const DecaySchedule& s, double e0, double d0, int64_t steps, int64_t every,
                                      int64_t t_train, int64_t t_test) {
  std::vector<EvalPoint> c;
  double e = e0, d = d0;
  for (int64_t t = 0; t <= steps; ++t) {
    if (t % every == 0) {
      EvalPoint p;
      p.step = t, p.encoder_norm = e, p.decoder_norm = d;
      p.train_acc = t >= t_train ? 1.0 : 0.1;
      p.test_acc = t >= t_test ? 0.95 : 0.05;
      c.push_back(p);
    }
    const double warm = s.warmup_steps > 0 ? std::min(1.0, double(t) / double(s.warmup_steps)) : 1.0;
    e *= 1 - s.encoder.lr * warm * s.encoder.wd;
    d *= 1 - s.decoder.lr * warm * s.decoder.wd;
  }
  return c;
}

TEST(OmnigrokDelay, PureDecayTrajectoryIsRecoveredExactly) {
  // one rate for both groups, no warm-up: ln(||w(t1)||/||w(t2)||) = (t2 - t1)(-ln(1 - eta gamma))
  GrokTimeRun run;
  run.schedule = {{1e-3, 0.5}, {1e-3, 0.5}, 0};
  run.curve = decaying_curve(run.schedule, 30, 40, 6000, 100, 300, 4500);
  const GrokTimeResult r = grok_time(run, PhaseClassifier({0.9, 1000, std::nullopt}), 20.0);
  ASSERT_EQ(r.phase.t_train, 300);
  ASSERT_EQ(r.phase.t_test, 4500);
  EXPECT_EQ(r.delay, 4200);
  EXPECT_NEAR(r.decay_only, 4200, 1e-6);
  EXPECT_NEAR(r.ratio_decay_only(), 1.0, 1e-9);
  // (b): from ||w(300)|| = 50 (1 - 5e-4)^300 to w_c = 20
  const double expect = std::log(50 * std::pow(1 - 5e-4, 300) / 20) / -std::log1p(-5e-4);
  EXPECT_NEAR(r.from_wc, expect, 1e-6);
  EXPECT_NEAR(r.norm_train, 50 * std::pow(1 - 5e-4, 300), 1e-9);
}

TEST(OmnigrokDelay, WarmUpAndPerGroupRatesAreSummedStepByStep) {
  // decoder decays 3x faster than the encoder; warm-up over 800 steps, and t_train inside it
  GrokTimeRun run;
  run.schedule = {{1e-3, 0.2}, {3e-3, 0.2}, 800};
  run.curve = decaying_curve(run.schedule, 10, 60, 9000, 50, 200, 7000);
  const GrokTimeResult r = grok_time(run, PhaseClassifier(), kMissing);
  EXPECT_NEAR(r.decay_only, 6800, 1e-6);
  EXPECT_TRUE(std::isnan(r.from_wc));  // no w_c given
  // ignoring the warm-up would predict fewer steps: the check can tell
  DecaySchedule no_warmup = run.schedule;
  no_warmup.warmup_steps = 0;
  const EvalPoint& p = run.curve[200 / 50];
  EXPECT_LT(no_warmup.steps_to_norm(200, p.encoder_norm, p.decoder_norm, r.norm_test), 6800 - 100);
}

TEST(OmnigrokDelay, UnreachableNormsAndNoDelay) {
  DecaySchedule s{{1e-3, 0.0}, {1e-3, 1.0}, 0};  // the encoder does not decay
  EXPECT_TRUE(std::isnan(s.steps_to_norm(0, 30, 40, 29)));  // the encoder alone holds 30
  EXPECT_GT(s.steps_to_norm(0, 30, 40, 31), 0);
  EXPECT_EQ(s.steps_to_norm(0, 3, 4, 5), 0);                 // already there
  DecaySchedule too_fast{{2.0, 1.0}, {2.0, 1.0}, 0};         // eta gamma >= 1: not a decay
  EXPECT_TRUE(std::isnan(too_fast.steps_to_norm(0, 3, 4, 1)));
  // a run that only memorizes: no delay, but prediction (b) still says when it would grok
  GrokTimeRun run;
  run.schedule = {{1e-3, 1.0}, {1e-3, 1.0}, 0};
  run.curve = decaying_curve(run.schedule, 30, 40, 2000, 100, 100, 1000000);
  const GrokTimeResult r = grok_time(run, PhaseClassifier(), 10.0);
  EXPECT_FALSE(r.phase.t_test.has_value());
  EXPECT_TRUE(std::isnan(r.delay));
  EXPECT_GT(r.from_wc, 1000);
}

TEST(OmnigrokDelay, PowerLawExponentRecoveredWithinItsError) {
  // delay = 800 gamma^k e^{sigma z}: 6 gammas x 3 seeds, as the example sweep
  for (double k_true : {-1.0, -0.6}) {
    const double sigma = 0.15;
    Rng rng(7);
    std::vector<double> x, y;
    std::vector<uint64_t> seed;
    for (int i = 0; i < 6; ++i)
      for (uint64_t s = 0; s < 3; ++s) {
        const double g = 0.1 * std::pow(10.0, i / 5.0 * 1.5);
        x.push_back(g), y.push_back(800 * std::pow(g, k_true) * std::exp(sigma * rng.normal())), seed.push_back(s);
      }
    const PowerLawFit f = fit_power_law_by_seed(x, y, seed, 500, 1);
    EXPECT_EQ(f.points, 18);
    EXPECT_NEAR(f.k, k_true, 3 * f.k_se);
    // the standard error is about sigma / sqrt(Sxx), Sxx of ln gamma
    double m = 0, sxx = 0;
    for (double g : x) m += std::log(g) / x.size();
    for (double g : x) sxx += std::pow(std::log(g) - m, 2);
    EXPECT_GT(f.k_se, 0.5 * sigma / std::sqrt(sxx));
    EXPECT_LT(f.k_se, 2.0 * sigma / std::sqrt(sxx));
    EXPECT_GT(f.k_boot_se, 0.2 * f.k_se);
    EXPECT_LT(f.k_boot_se, 5.0 * f.k_se);
    EXPECT_NEAR(f.at(1.0), 800, 800 * 0.3);
  }
  // exact data: exact exponent, no spread; non-positive delays are left out
  const PowerLawFit exact = fit_power_law({0.1, 1, 10, 3}, {1000, 100, 10, 0});
  EXPECT_NEAR(exact.k, -1, 1e-12);
  EXPECT_NEAR(exact.k_se, 0, 1e-12);
  EXPECT_EQ(exact.points, 3);
  EXPECT_TRUE(std::isnan(fit_power_law({1, 1}, {2, 3}).k));  // one distinct gamma
}

}  // namespace
}  // namespace geneft
