// The Model interface and the registry of architectures (model.arch).
#include <gtest/gtest.h>

#include <numeric>

#include "core/config.h"
#include "nn/models/registry.h"
#include "tasks/task.h"
#include "train/samples.h"

namespace geneft {
namespace {

// Every architecture that can be built: a model for a small task, the samples as a batch.
struct Built {
  RunConfig cfg;
  Dataset data;
  SampleSet samples;
  std::unique_ptr<Model<double>> model;
};
Built build(const std::string& arch, const std::vector<std::string>& overrides) {
  std::vector<std::string> o = {"model.arch=" + arch, "model.dtype=float64", "task.kind=mod_add", "task.p=5",
                                "model.width=6", "model.embed_dim=3"};
  o.insert(o.end(), overrides.begin(), overrides.end());
  Built b{parse_config("", "test.toml", o), {}, {}, nullptr};
  b.data = make_dataset(b.cfg.task);
  std::vector<int32_t> all(b.data.size());
  std::iota(all.begin(), all.end(), 0);
  b.samples = SampleSet::gather(b.data, all);
  b.model = make_model<double>(b.cfg, b.data, b.samples.size);
  return b;
}

std::vector<std::string> buildable() {
  std::vector<std::string> names;
  for (const auto& a : architectures())
    if (a.make_double) names.push_back(a.spec.name);
  return names;
}

class Architectures : public ::testing::TestWithParam<std::string> {};

// The two groups hold every parameter tensor once, encoder first: what checkpoints and the
// optimizer's groups rely on.
TEST_P(Architectures, TensorsTileTheTwoParameterGroups) {
  Built b = build(GetParam(), {"model.head=cross_entropy"});
  const ParamSpan<double> enc = b.model->encoder(), dec = b.model->decoder();
  size_t in_enc = 0, in_dec = 0;
  for (const auto& t : b.model->tensors()) {
    const size_t n = std::accumulate(t.shape.begin(), t.shape.end(), size_t(1), std::multiplies<>());
    if (t.data >= enc.param && t.data < enc.param + enc.size) in_enc += n;
    else if (t.data >= dec.param && t.data < dec.param + dec.size) in_dec += n;
    else ADD_FAILURE() << t.name << " lies in neither parameter group";
  }
  EXPECT_EQ(in_enc, enc.size);
  EXPECT_EQ(in_dec, dec.size);
  const EmbeddingView<double> e = b.model->embedding();
  EXPECT_EQ(e.rows, b.data.num_symbols);
  EXPECT_EQ(e.data, enc.param);
}

// llm.c's convention: backward accumulates, so two backwards after one zero_grad give twice the gradient
// (to rounding: the products add into the gradient buffer block by block, not as one finished sum).
TEST_P(Architectures, BackwardAccumulates) {
  Built b = build(GetParam(), {});
  const Batch<double> batch = b.samples.batch<double>();
  b.model->forward(batch);
  b.model->zero_grad();
  b.model->backward(batch);
  const ParamSpan<double> dec = b.model->decoder(), enc = b.model->encoder();
  const std::vector<double> once_dec(dec.grad, dec.grad + dec.size), once_enc(enc.grad, enc.grad + enc.size);
  b.model->backward(batch);
  double norm = 0;
  for (size_t i = 0; i < dec.size; ++i) {
    EXPECT_NEAR(dec.grad[i], 2 * once_dec[i], 1e-12 * std::max(1.0, std::abs(once_dec[i])));
    norm += std::abs(once_dec[i]);
  }
  for (size_t i = 0; i < enc.size; ++i) {
    EXPECT_NEAR(enc.grad[i], 2 * once_enc[i], 1e-12 * std::max(1.0, std::abs(once_enc[i])));
    norm += std::abs(once_enc[i]);
  }
  EXPECT_GT(norm, 0);
  b.model->zero_grad();
  for (size_t i = 0; i < dec.size; ++i) EXPECT_EQ(dec.grad[i], 0.0);
}

// Same seed, same weights; another seed, others.
TEST_P(Architectures, InitIsDrawnFromTheSeed) {
  Built a = build(GetParam(), {"seed=4"}), b = build(GetParam(), {"seed=4"}), c = build(GetParam(), {"seed=5"});
  const ParamSpan<double> pa = a.model->decoder(), pb = b.model->decoder(), pc = c.model->decoder();
  EXPECT_TRUE(std::equal(pa.param, pa.param + pa.size, pb.param));
  EXPECT_FALSE(std::equal(pa.param, pa.param + pa.size, pc.param));
}

TEST_P(Architectures, BatchWithoutItsTokensIsAClearError) {
  Built b = build(GetParam(), {});
  Batch<double> batch = b.samples.batch<double>();
  batch.positions = 0, batch.tokens = nullptr;
  EXPECT_THROW(b.model->forward(batch), UserError);
}

INSTANTIATE_TEST_SUITE_P(Registered, Architectures, ::testing::ValuesIn(buildable()),
                         [](const auto& info) { return info.param; });

// Every allowed value of a component key resolves to a component by name.
TEST(ComponentNames, EverySchemaChoiceResolves) {
  // the mlp's components (the transformer reads none of them: cross-entropy only)
  for (const char* key : {"model.combiner", "model.activation", "model.head"})
    for (const auto& choice : find_field(key)->choices) {
      // auto resolves to another; binary needs a relation, regression a task with dense targets
      if (choice == "auto" || choice == "binary" || choice == "regression") continue;
      std::vector<std::string> sets = {std::string(key) + "=" + choice};
      if (choice == "matmul") sets.push_back("model.embed_dim=4");  // 2 x 2 matrices
      EXPECT_NO_THROW(build("mlp", sets)) << key << " = " << choice;
    }
  EXPECT_NO_THROW(build("mlp", {"task.kind=rel_equiv", "task.n=6", "model.head=binary"}));
  EXPECT_NO_THROW(build("mlp", {"task.kind=teacher_student", "task.train_count=10", "task.test_count=5",
                                "model.head=regression"}));
}

TEST(ComponentNames, EveryArchitectureIsAChoiceOfModelArch) {
  std::vector<std::string> names;
  for (const auto& a : architectures()) names.push_back(a.spec.name);
  EXPECT_EQ(find_field("model.arch")->choices, names);
  EXPECT_EQ(names.front(), "mlp");
}

}  // namespace
}  // namespace geneft
