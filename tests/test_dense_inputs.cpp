// Dense-input tasks through the MLP's input layer: its gradient, Fashion-MNIST as Debian
// installs it (scripts/setup.sh), and one short training run on a small subset.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/config.h"
#include "grad_check.h"
#include "nn/models/encoder_decoder.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "train/trainer.h"

namespace geneft {
namespace {

using geneft::testing::expect_model_gradient;

TEST(DenseInputs, WholeModelMatchesFiniteDifferences) {
  for (const Head head : {Head::Mse, Head::CrossEntropy}) {
    ModelShape shape{0, 1, Combiner::Sum, 6, 2, Activation::Tanh, head, 4, 4};
    shape.features = 5;
    const int B = 7;
    EncoderDecoder<double> model(shape, B);
    Rng rng(3);
    model.init_weights(rng, false, 1.0, 1.0);
    model.init_targets(rng, 1.0);
    const std::vector<double> x = geneft::testing::random_vector(size_t(B) * 5, rng);
    std::vector<int32_t> y(B);
    for (auto& v : y) v = int(rng.below(4));
    const Batch<double> batch{.size = B, .features = 5, .dense = x.data(), .labels = y.data()};
    EXPECT_EQ(model.enc.size(), 0u);
    expect_model_gradient(model, batch, B, head == Head::Mse ? "dense mse" : "dense cross_entropy");
    const Batch<double> tokens{.size = B, .positions = 0, .labels = y.data()};
    EXPECT_THROW(model.forward(tokens), UserError);  // a batch without the dense inputs
  }
}

const char* kFashion = "/usr/share/datasets/fashion-mnist";

TEST(FashionMnist, SeededSubsetAndTheFullTestSet) {
  ASSERT_TRUE(std::filesystem::exists(kFashion)) << kFashion << " missing: scripts/setup.sh installs dataset-fashion-mnist";
  const RunConfig cfg = parse_config("", "t", {"task.kind=fashion_mnist", "task.train_count=300", "seed=5"});
  const Dataset d = make_dataset(cfg.task);
  ASSERT_EQ(d.size(), 10300u);
  EXPECT_EQ(d.features, 784);
  EXPECT_EQ(d.dense.size(), 10300u * 784);
  EXPECT_GE(*std::min_element(d.dense.begin(), d.dense.end()), 0.0f);
  EXPECT_EQ(*std::max_element(d.dense.begin(), d.dense.end()), 1.0f);
  std::vector<int> per_class(10);
  for (size_t i = 300; i < d.size(); ++i) ++per_class[d.label[i]];
  EXPECT_EQ(per_class, std::vector<int>(10, 1000));  // the test set is balanced
  const Split s = make_split(d.size(), cfg.task, cfg.seed);
  EXPECT_EQ(s.train.size(), 300u);
  EXPECT_EQ(s.test.front(), 300);
  EXPECT_EQ(s.test.size(), 10000u);
  // the subset follows task.data_seed, not the run's seed
  const Dataset same = make_dataset(parse_config("", "t", {"task.kind=fashion_mnist", "task.train_count=300"}).task);
  const Dataset other = make_dataset(
      parse_config("", "t", {"task.kind=fashion_mnist", "task.train_count=300", "task.data_seed=1"}).task);
  EXPECT_EQ(same.dense, d.dense);
  EXPECT_NE(std::vector<float>(other.dense.begin(), other.dense.begin() + 300 * 784),
            std::vector<float>(d.dense.begin(), d.dense.begin() + 300 * 784));
  EXPECT_THROW(parse_config("", "t", {"task.kind=fashion_mnist"}), UserError);  // train_count needed
  EXPECT_THROW(make_dataset(parse_config("", "t", {"task.kind=fashion_mnist", "task.train_count=10",
                                                   "task.data_dir=/nonexistent"}).task),
               UserError);
}

// One short run on 200 images: it learns, well above chance (0.1) on the 10,000 test images.
TEST(FashionMnist, ShortRunLearns) {
  const RunConfig cfg = parse_config("", "t", {"task.kind=fashion_mnist", "task.train_count=200", "model.width=32",
                                               "model.depth=1", "model.activation=relu", "model.head=mse_onehot",
                                               "optim.decoder_lr=3e-3", "train.steps=40", "train.eval_every=20"});
  const Dataset d = make_dataset(cfg.task);
  TrainOptions o;
  o.progress = false;
  const RunResult r = train_run(cfg, d, make_split(d.size(), cfg.task, cfg.seed), o);
  ASSERT_EQ(r.status, "completed");
  EXPECT_EQ(r.test_size, 10000);
  EXPECT_LT(r.curve.back().train_loss, r.curve.front().train_loss);
  EXPECT_GT(r.curve.back().train_acc, 0.6);
  EXPECT_GT(r.curve.back().test_acc, 0.4);
  EXPECT_TRUE(r.embeddings.empty());  // no embedding to store
}

}  // namespace
}  // namespace geneft
