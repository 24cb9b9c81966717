#include <gtest/gtest.h>

#include <cmath>

#include "core/config.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "train/eval_schedule.h"
#include "train/trainer.h"

namespace geneft {
namespace {

RunResult run(const std::vector<std::string>& overrides) {
  const RunConfig cfg = parse_config("", "t", overrides);
  const Dataset d = make_dataset(cfg.task);
  TrainOptions o;
  o.progress = false;
  return train_run(cfg, d, make_split(d.size(), cfg.task, cfg.seed), o);
}

const std::vector<std::string> kSmall = {"task.kind=mod_add", "task.p=7", "model.combiner=concat", "model.width=16",
                                         "model.embed_dim=4", "train.steps=60", "train.eval_every=10",
                                         "optim.batch_size=8", "optim.encoder_lr=0.01", "optim.decoder_lr=0.01"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

// The Fourier spectrum of the embedding is measured where the Z_p basis fits (add, sub), and
// left missing elsewhere.
TEST(Trainer, FourierMeasureOnlyForZpTasks) {
  for (const char* kind : {"task.kind=mod_add", "task.kind=mod_sub"}) {
    const RunResult r = run(with(kSmall, {kind}));
    for (const auto& p : r.curve) {
      EXPECT_GT(p.fourier_top_k, 0.0) << kind;
      EXPECT_LE(p.fourier_top_k, 1.0) << kind;
      EXPECT_GE(p.fourier_gini, 0.0) << kind;
    }
  }
  for (const char* kind : {"task.kind=mod_mul", "task.kind=perm_compose"}) {
    const RunResult r = run(with(kSmall, {kind, "task.n=3"}));
    EXPECT_TRUE(std::isnan(r.curve.back().fourier_top_k)) << kind;
    EXPECT_TRUE(std::isnan(r.curve.back().fourier_gini)) << kind;
  }
}

TEST(Trainer, SameSeedSameCurvesBitForBit) {
  for (const char* dtype : {"model.dtype=float32", "model.dtype=float64"}) {
    const RunResult a = run(with(kSmall, {dtype})), b = run(with(kSmall, {dtype}));
    ASSERT_EQ(a.curve.size(), 7u);
    ASSERT_EQ(a.curve.size(), b.curve.size());
    for (size_t i = 0; i < a.curve.size(); ++i) {
      EXPECT_EQ(a.curve[i].train_loss, b.curve[i].train_loss) << dtype << " eval " << i;
      EXPECT_EQ(a.curve[i].test_loss, b.curve[i].test_loss);
      EXPECT_EQ(a.curve[i].decoder_norm, b.curve[i].decoder_norm);
    }
    EXPECT_EQ(a.embeddings.back().values, b.embeddings.back().values);
  }
}

TEST(Trainer, OtherSeedOtherCurves) {
  const RunResult a = run(kSmall), b = run(with(kSmall, {"seed=1"}));
  EXPECT_NE(a.curve.back().train_loss, b.curve.back().train_loss);
}

TEST(Trainer, LearnsAndRecords) {
  const RunResult r = run(with(kSmall, {"train.steps=300", "optim.batch_size=0", "task.train_fraction=1"}));
  EXPECT_EQ(r.status, "completed");
  EXPECT_EQ(r.steps_done, 300);
  EXPECT_LT(r.curve.back().train_loss, r.curve.front().train_loss / 2);
  EXPECT_TRUE(std::isnan(r.curve.back().test_acc));  // empty test set: not measured
  EXPECT_TRUE(std::isnan(r.curve.back().rqi));       // RQI only for plain addition
  EXPECT_EQ(r.embeddings.size(), r.curve.size());
  EXPECT_EQ(r.embeddings[0].rows, 7);
}

TEST(Trainer, DivergenceIsRecordedNotSilent) {
  const RunResult r = run(with(kSmall, {"optim.kind=sgd", "optim.decoder_lr=1e30", "optim.encoder_lr=1e30",
                                        "model.dtype=float32", "optim.batch_size=0"}));
  EXPECT_EQ(r.status, "diverged");
  ASSERT_TRUE(r.diverged_step.has_value());
  EXPECT_LT(*r.diverged_step, 60);
  for (const auto& p : r.curve) EXPECT_TRUE(std::isfinite(p.train_loss));
}

TEST(Trainer, EarlyStop) {
  const RunResult r = run({"task.p=5", "train.steps=20000", "train.eval_every=50", "train.early_stop=true",
                           "train.early_stop_threshold=0.9", "train.early_stop_patience=3", "task.train_fraction=1",
                           "optim.encoder_lr=0.01", "optim.decoder_lr=0.01", "model.width=32"});
  EXPECT_TRUE(r.early_stopped);
  EXPECT_LT(r.steps_done, 20000);
  ASSERT_GE(r.curve.size(), 3u);
  for (size_t i = r.curve.size() - 3; i < r.curve.size(); ++i) EXPECT_GE(r.curve[i].train_acc, 0.9);
}

TEST(Trainer, RqiOnPlainAddition) {
  const RunResult r = run({"task.p=10", "train.steps=10", "train.eval_every=5"});
  EXPECT_FALSE(std::isnan(r.curve.back().rqi));
}

TEST(EvalSchedule, LinearAndLog) {
  TrainConfig t = parse_config("", "t", {"train.steps=25", "train.eval_every=10"}).train;
  EXPECT_EQ(eval_steps(t), std::vector<int64_t>({0, 10, 20, 25}));
  t.eval_schedule = "log";
  t.steps = 1000;
  t.eval_points = 4;
  EXPECT_EQ(eval_steps(t), std::vector<int64_t>({0, 1, 10, 100, 1000}));
}

}  // namespace
}  // namespace geneft
