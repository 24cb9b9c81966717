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

// model.init_scale multiplies every initial parameter: the step-0 norms scale by alpha exactly
// (a power of two, so in float32 too).
TEST(Trainer, InitScaleMultipliesEveryInitialParameter) {
  const RunResult a = run(with(kSmall, {"train.steps=0"})), b = run(with(kSmall, {"train.steps=0", "model.init_scale=8"}));
  EXPECT_EQ(b.curve[0].encoder_norm, 8 * a.curve[0].encoder_norm);
  EXPECT_EQ(b.curve[0].decoder_norm, 8 * a.curve[0].decoder_norm);
  EXPECT_DOUBLE_EQ(a.curve[0].weight_norm, std::hypot(a.curve[0].encoder_norm, a.curve[0].decoder_norm));
}

// train.fixed_norm keeps the chosen parameters on the sphere of their initial norm to rounding,
// against weight decay that would shrink them; the other group moves freely.
class FixedNorm : public testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(FixedNorm, KeepsTheInitialNormToRounding) {
  const auto& [groups, dtype] = GetParam();
  const RunResult r = run(with(kSmall, {"train.fixed_norm=" + groups, "model.dtype=" + dtype, "model.init_scale=3",
                                        "optim.encoder_wd=1", "optim.decoder_wd=1", "optim.decoder_lr=0.05"}));
  const RunResult free = run(with(kSmall, {"model.dtype=" + dtype, "model.init_scale=3", "optim.encoder_wd=1",
                                           "optim.decoder_wd=1", "optim.decoder_lr=0.05"}));
  ASSERT_EQ(r.status, "completed");
  const double tol = dtype == "float64" ? 1e-13 : 1e-6;
  const EvalPoint &first = r.curve.front(), &last = r.curve.back();
  auto fixed = [&](const EvalPoint& p) {
    return groups == "all" ? p.weight_norm : groups == "encoder" ? p.encoder_norm : p.decoder_norm;
  };
  for (const auto& p : r.curve) EXPECT_NEAR(fixed(p) / fixed(first), 1.0, tol) << "step " << p.step;
  EXPECT_LT(fixed(free.curve.back()), 0.99 * fixed(first));  // without the projection the norm moves
  if (groups == "encoder") {
    EXPECT_GT(std::abs(last.decoder_norm / first.decoder_norm - 1), 1e-3);
  }
  if (groups == "decoder") {
    EXPECT_GT(std::abs(last.encoder_norm / first.encoder_norm - 1), 1e-3);
  }
}

// Both work for every architecture, through the model interface's parameter spans: the
// one-layer transformer too.
TEST(Trainer, InitScaleAndFixedNormOnTheTransformer) {
  const std::vector<std::string> t = {"task.kind=mod_add", "task.p=7", "model.arch=transformer", "model.d_model=8",
                                      "model.n_heads=2", "model.d_head=4", "model.d_mlp=16", "model.dtype=float64",
                                      "train.steps=40", "train.eval_every=10", "optim.decoder_lr=0.01",
                                      "optim.encoder_lr=0.01", "optim.encoder_wd=1", "optim.decoder_wd=1"};
  const RunResult a = run(with(t, {"train.steps=0"})), b = run(with(t, {"train.steps=0", "model.init_scale=0.5"}));
  EXPECT_EQ(b.curve[0].encoder_norm, 0.5 * a.curve[0].encoder_norm);
  EXPECT_EQ(b.curve[0].decoder_norm, 0.5 * a.curve[0].decoder_norm);
  const RunResult r = run(with(t, {"train.fixed_norm=all", "model.init_scale=2"}));
  ASSERT_EQ(r.status, "completed");
  EXPECT_DOUBLE_EQ(r.curve[0].weight_norm, 2 * a.curve[0].weight_norm);
  for (const auto& p : r.curve) EXPECT_NEAR(p.weight_norm / r.curve[0].weight_norm, 1.0, 1e-13) << "step " << p.step;
  EXPECT_NE(r.curve.back().train_loss, r.curve.front().train_loss);  // it trained
  EXPECT_GT(std::abs(r.curve.back().encoder_norm / r.curve.front().encoder_norm - 1), 1e-4);  // on the sphere, not frozen
}

INSTANTIATE_TEST_SUITE_P(Groups, FixedNorm,
                         testing::Combine(testing::Values("all", "encoder", "decoder"),
                                          testing::Values("float32", "float64")),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param);
                         });

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
