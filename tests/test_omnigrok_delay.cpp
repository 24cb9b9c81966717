#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/rng.h"
#include "report/theory_overlay.h"
#include "store/store.h"
#include "temp_dir_test.h"
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

// geneft theory grok-time on a store of synthetic runs: delays 2000/gamma (10% longer for seed 1),
// norms that follow pure decay exactly, so k = -1 and measured/(a) = 1 come out of the command.
using GrokTimeOverlay = testing::TempDirTest;

std::string synthetic_store(const std::string& path, const std::string& kind) {
  Store s = Store::open(path, true);
  std::vector<std::string> ids;
  std::string grid;
  for (double g : {0.25, 0.5, 1.0, 2.0}) {
    grid += std::string(grid.empty() ? "" : ",") + "\"" + std::to_string(g) + "\"";
    for (int seed : {0, 1}) {
      const RunConfig cfg = parse_config("seed = " + std::to_string(seed) + "\n[optim]\nkind = \"" + kind +
                                             "\"\nencoder_lr = 1e-3\ndecoder_lr = 1e-3\nencoder_wd = " +
                                             std::to_string(g) + "\ndecoder_wd = " + std::to_string(g) + "\n",
                                         "t");
      const int64_t delay = int64_t(std::lround(2000 / g * (seed ? 1.1 : 1.0)));
      RunResult r;
      r.status = "completed";
      r.curve = decaying_curve({{1e-3, g}, {1e-3, g}, 0}, 30, 40, 100 + delay + 200, 10, 100, 100 + delay);
      r.steps_done = r.curve.back().step;
      s.save_run(cfg.id(), cfg, "mod_add", r, {Phase::Grokking, 100, 100 + delay}, "a", "b");
      ids.push_back(cfg.id());
    }
  }
  s.save_sweep("wd", R"({"name":"wd","mode":"grid","seeds":[0,1],"axes":[{"key":"optim.decoder_wd","kind":"values","grid":[)" +
                         grid + R"(]}],"phase":{"threshold":0.9,"delta":1000}})",
               ids);
  return path;
}

TEST_F(GrokTimeOverlay, FitsAndPredictionsOfAStoredSweep) {
  GrokTimeOptions o;
  o.db = synthetic_store(path("s.db"), "adamw"), o.out = path("fig"), o.w_c = 30, o.bootstrap = 50;
  const TheoryOutput out = grok_time_overlay(theory_input_from_store(o.db, "wd"), o);
  ASSERT_EQ(out.tables.size(), 3u);
  const auto& runs = out.tables[0].rows;
  ASSERT_EQ(runs.size(), 8u);
  EXPECT_EQ(runs[0][0], "0.25");
  EXPECT_EQ(runs[0][5], "8000");  // delay
  EXPECT_EQ(runs[1][5], "8800");  // seed 1
  for (const auto& r : runs) EXPECT_EQ(r[9], "1.0") << "measured/(a) of gamma " << r[0];
  const auto& fit = out.tables[1].rows;
  EXPECT_EQ(fit[0][1], "8");
  EXPECT_EQ(fit[0][2], "-1.000");   // k of the measured delay
  EXPECT_EQ(fit[0][3], "0.025");    // the seeds' offset ln(1.1): sqrt(8 (ln 1.1 / 2)^2 / 6 / Sxx)
  EXPECT_EQ(fit[1][2], "-1.000");   // (a) follows it
  // (b): ln(50 (1 - 0.001 g)^100 / 30) / -ln(1 - 0.001 g), steeper than 1/g since |w(t_train)| falls with g
  std::vector<double> g = {0.25, 0.5, 1, 2}, b;
  for (double x : g) b.push_back(std::log(50 * std::pow(1 - 1e-3 * x, 100) / 30) / -std::log1p(-1e-3 * x));
  char k[16];
  std::snprintf(k, sizeof k, "%.3f", fit_power_law(g, b).k);
  EXPECT_EQ(fit[2][2], k);
  EXPECT_EQ(out.tables[2].rows[0][3], "2100.0");  // gamma x mean delay at gamma = 0.25
  ASSERT_EQ(out.figures.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(out.figures[0]));
  std::ifstream csv(path("fig") + "/wd.csv");
  int lines = 0;
  for (std::string l; std::getline(csv, l);) ++lines;
  EXPECT_EQ(lines, 9);
}

TEST_F(GrokTimeOverlay, AdamWithL2DecayIsRefusedByName) {
  GrokTimeOptions o;
  o.db = synthetic_store(path("s.db"), "adam"), o.out = path("fig");
  try {
    grok_time_overlay(theory_input_from_store(o.db, "wd"), o);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("optim.kind = adam"), std::string::npos) << e.what();
  }
  o.db = path("s2.db");
  synthetic_store(o.db, "adamw");
  o.gamma_key = "model.activation";
  EXPECT_THROW(grok_time_overlay(theory_input_from_store(o.db, "wd"), o), UserError);
}

}  // namespace
}  // namespace geneft
