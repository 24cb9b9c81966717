// Teacher-student regression (Omnigrok): the task's points and teacher, the regression head's
// gradient and accuracy, and a short run; the LU landscape's value choice and its minimum.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "core/config.h"
#include "core/error.h"
#include "grad_check.h"
#include "nn/models/encoder_decoder.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "theory/lu_landscape.h"
#include "train/trainer.h"

namespace geneft {
namespace {

using geneft::testing::expect_model_gradient;

RunConfig teacher_student(std::vector<std::string> more = {}) {
  more.insert(more.begin(), {"task.kind=teacher_student", "task.train_count=20", "task.test_count=30",
                             "task.teacher_width=8"});
  return parse_config("", "t", more);
}

TEST(TeacherStudent, PointsAndTeacherFollowTheDataSeedNotTheRunSeed) {
  const RunConfig cfg = teacher_student();
  const Dataset d = make_dataset(cfg.task);
  ASSERT_EQ(d.size(), 50u);
  EXPECT_EQ(d.features, 5);
  EXPECT_EQ(d.target_dim, 5);
  EXPECT_EQ(d.dense.size(), 50u * 5);
  EXPECT_EQ(d.targets.size(), 50u * 5);
  EXPECT_EQ(cfg.model.head, "regression");  // auto for a regression task
  const Split s = make_split(d.size(), cfg.task, cfg.seed);
  EXPECT_EQ(s.train.size(), 20u);
  EXPECT_EQ(s.test.size(), 30u);
  EXPECT_EQ(s.test.front(), 20);
  EXPECT_EQ(make_dataset(teacher_student({"seed=3"}).task).targets, d.targets);
  const Dataset other = make_dataset(teacher_student({"task.data_seed=1"}).task);
  EXPECT_NE(other.dense, d.dense);
  // inputs N(0, 1); targets: a bounded tanh network's output, not constant
  double mean = 0, var = 0, spread = 0;
  for (float x : d.dense) mean += x / 250.0, var += double(x) * x / 250.0;
  EXPECT_NEAR(mean, 0, 0.2);
  EXPECT_NEAR(var, 1, 0.3);
  for (size_t i = 5; i < d.targets.size(); ++i) spread += std::abs(d.targets[i] - d.targets[i % 5]);
  EXPECT_GT(spread, 1.0);
  // a wider teacher is another function of the same points
  EXPECT_EQ(make_dataset(teacher_student({"task.teacher_width=9"}).task).dense, d.dense);
  EXPECT_NE(make_dataset(teacher_student({"task.teacher_width=9"}).task).targets, d.targets);
  EXPECT_THROW(parse_config("", "t", {"task.kind=teacher_student"}), UserError);  // train_count needed
  EXPECT_THROW(teacher_student({"model.head=cross_entropy"}), UserError);
  EXPECT_THROW(parse_config("", "t", {"model.head=regression"}), UserError);  // needs dense targets
}

// The regression head: loss is the mean over B*D elements (PyTorch's MSELoss); a sample is
// correct when its squared error, averaged over the outputs, is below 1e-3 (the authors'
// teacher-student accuracy).
TEST(TeacherStudent, RegressionHeadLossAndAccuracy) {
  const double out[] = {0, 0, 1, 1, 0.5, 0.5}, y[] = {0.01, 0.02, 1, 1, 0.5, 0.6};  // B = 3, D = 2
  const HeadStats h = regression_forward(out, y, 3, 2);
  EXPECT_NEAR(h.loss_sum, (1e-4 + 4e-4) / 2 + 0 + 1e-2 / 2, 1e-15);
  EXPECT_EQ(h.correct, 2);  // 2.5e-4 and 0 are below 1e-3, 5e-3 is not
}

TEST(TeacherStudent, WholeModelMatchesFiniteDifferences) {
  ModelShape shape{0, 1, Combiner::Sum, 6, 2, Activation::Tanh, Head::Regression, 0, 3};
  shape.features = 4;
  const int B = 7;
  EncoderDecoder<double> model(shape, B);
  Rng rng(5);
  model.init_weights(rng, false, 1.0, 1.0);
  const std::vector<double> x = geneft::testing::random_vector(size_t(B) * 4, rng);
  const std::vector<double> y = geneft::testing::random_vector(size_t(B) * 3, rng);
  const std::vector<int32_t> labels(B, 0);
  const Batch<double> batch{.size = B, .features = 4, .dense = x.data(), .target_dim = 3, .targets = y.data(),
                            .labels = labels.data()};
  expect_model_gradient(model, batch, B, "regression head");
  const Batch<double> no_targets{.size = B, .features = 4, .dense = x.data(), .labels = labels.data()};
  EXPECT_THROW(model.forward(no_targets), UserError);
}

// A short run of the student (the authors' 5 -> 100 -> 100 -> 5 tanh, here smaller) fits the
// training points.
TEST(TeacherStudent, ShortRunFits) {
  const RunConfig cfg = teacher_student({"model.width=16", "model.depth=2", "model.dtype=float64", "optim.kind=adam",
                                         "optim.decoder_lr=1e-2", "train.steps=300", "train.eval_every=100"});
  const Dataset d = make_dataset(cfg.task);
  TrainOptions o;
  o.progress = false;
  const RunResult r = train_run(cfg, d, make_split(d.size(), cfg.task, cfg.seed), o);
  ASSERT_EQ(r.status, "completed");
  EXPECT_LT(r.curve.back().train_loss, 0.1 * r.curve.front().train_loss);
  EXPECT_GT(r.curve.back().test_loss, r.curve.back().train_loss);
  EXPECT_TRUE(std::isfinite(r.curve.back().train_acc));
  EXPECT_TRUE(r.embeddings.empty());
  // The student does not start as the teacher, even of the same shape with seed = data_seed: the
  // teacher comes from another random stream than the student's weights.
  const RunConfig twin = teacher_student({"task.teacher_width=16", "model.width=16", "model.depth=2",
                                          "model.activation=tanh", "model.dtype=float64", "train.steps=0"});
  const Dataset t = make_dataset(twin.task);
  const RunResult start = train_run(twin, t, make_split(t.size(), twin.task, twin.seed), o);
  EXPECT_GT(start.curve.front().train_loss, 1e-3);
}

std::vector<EvalPoint> curve_of(std::vector<std::array<double, 4>> values, double norm) {
  std::vector<EvalPoint> c;
  for (const auto& v : values) {
    EvalPoint& p = c.emplace_back();
    p.step = int64_t(c.size()) - 1, p.weight_norm = norm;
    p.train_loss = v[0], p.test_loss = v[1], p.train_acc = v[2], p.test_acc = v[3];
  }
  return c;
}

TEST(LuLandscape, LastOrBestOverTrainingAndTheTestMinimum) {
  const auto c = curve_of({{1.0, 2.0, 0.1, 0.0}, {0.5, 0.4, 0.9, 0.6}, {0.2, 0.8, 0.8, kMissing}}, 3.0);
  const LuPoint last = lu_point(c, LuValue::Last), best = lu_point(c, LuValue::Best);
  EXPECT_EQ(last.norm, 3.0);
  EXPECT_EQ(last.test_loss, 0.8);
  EXPECT_TRUE(std::isnan(last.test_acc));
  EXPECT_EQ(best.train_loss, 0.2);
  EXPECT_EQ(best.test_loss, 0.4);
  EXPECT_EQ(best.train_acc, 0.9);
  EXPECT_EQ(best.test_acc, 0.6);  // NaN never wins
  const LuLandscape l = lu_landscape({lu_point(curve_of({{0.1, 5.0, 1, 0}}, 30), LuValue::Last),
                                      lu_point(curve_of({{0.3, 0.7, 1, 0}}, 3), LuValue::Last),
                                      lu_point(curve_of({{0.9, 1.1, 1, 0}}, 0.3), LuValue::Last)});
  ASSERT_EQ(l.points.size(), 3u);
  EXPECT_EQ(l.points.front().norm, 0.3);  // sorted by norm
  EXPECT_EQ(l.test_minimum, 1u);
  EXPECT_EQ(l.critical_norm, 3.0);
  EXPECT_THROW(lu_landscape({lu_point(curve_of({{0.1, kMissing, 1, 0}}, 1), LuValue::Last)}), UserError);
  EXPECT_THROW(lu_value_named("final"), UserError);
}

}  // namespace
}  // namespace geneft
