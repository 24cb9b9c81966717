// Finite-difference checks of every backward: layers, combiners, heads and whole models.
#include <gtest/gtest.h>

#include <numeric>

#include "grad_check.h"
#include "nn/models/encoder_decoder.h"
#include "optim/l1_penalty.h"

namespace geneft {
namespace {

using testing::expect_gradient;
using testing::expect_model_gradient;
using testing::random_vector;

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

TEST(Gradients, Linear) {
  Rng rng(1);
  const int B = 4, C = 5, OC = 3;
  auto x = random_vector(B * C, rng), W = random_vector(OC * C, rng), b = random_vector(OC, rng);
  const auto R = random_vector(B * OC, rng);  // loss = <R, out>
  std::vector<double> out(B * OC), dx(B * C), dW(OC * C, 0.0), db(OC, 0.0);
  auto loss = [&] {
    linear_forward(out.data(), x.data(), W.data(), b.data(), B, C, OC);
    return dot(R, out);
  };
  loss();
  linear_backward(dx.data(), dW.data(), db.data(), R.data(), x.data(), W.data(), B, C, OC);
  expect_gradient(x, dx, loss, "linear input");
  expect_gradient(W, dW, loss, "linear weight");
  expect_gradient(b, db, loss, "linear bias");
}

class ActivationGradient : public ::testing::TestWithParam<Activation> {};

TEST_P(ActivationGradient, MatchesFiniteDifferences) {
  Rng rng(2);
  const size_t N = 40;
  auto x = random_vector(N, rng, 2.0);
  x[0] = 1e-3, x[1] = -1e-3;  // near relu's kink but not on it
  const auto R = random_vector(N, rng);
  std::vector<double> y(N), dx(N);
  auto loss = [&] {
    activation_forward(y.data(), x.data(), N, GetParam());
    return dot(R, y);
  };
  loss();
  activation_backward(dx.data(), R.data(), x.data(), y.data(), N, GetParam());
  expect_gradient(x, dx, loss, "activation", 1e-7);
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient,
                         ::testing::Values(Activation::Tanh, Activation::Relu, Activation::Gelu, Activation::Silu));

class CombinerGradient : public ::testing::TestWithParam<Combiner> {};

TEST_P(CombinerGradient, MatchesFiniteDifferences) {
  Rng rng(3);
  const int B = 3, d = 4;
  const Combiner c = GetParam();
  auto ea = random_vector(B * d, rng), eb = random_vector(B * d, rng);
  const auto R = random_vector(B * combiner_width(c, d), rng);
  std::vector<double> x(R.size()), dea(B * d), deb(B * d);
  auto loss = [&] {
    combiner_forward(x.data(), ea.data(), eb.data(), B, d, c);
    return dot(R, x);
  };
  loss();
  combiner_backward(dea.data(), deb.data(), R.data(), ea.data(), eb.data(), B, d, c);
  expect_gradient(ea, dea, loss, "combiner first");
  expect_gradient(eb, deb, loss, "combiner second");
}

std::string combiner_case_name(const ::testing::TestParamInfo<Combiner>& info) {
  const char* names[] = {"Sum", "Concat", "Diff", "SqDiff", "MatMul"};
  return names[int(info.param)];
}

INSTANTIATE_TEST_SUITE_P(All, CombinerGradient,
                         ::testing::Values(Combiner::Sum, Combiner::Concat, Combiner::Diff, Combiner::SqDiff,
                                           Combiner::MatMul),  // d = 4: 2 x 2 matrices
                         combiner_case_name);

// The matmul combiner is the matrix product of 3 x 3 row-major matrices (Liu et al. 2022 Fig. 5d:
// S_3 as permutation matrices composes by it), and its backward matches finite differences there.
TEST(Gradients, MatMulCombinerIsTheMatrixProduct) {
  const std::vector<double> P = {0, 1, 0, 0, 0, 1, 1, 0, 0}, Q = {1, 2, 3, 4, 5, 6, 7, 8, 10};
  std::vector<double> x(9);
  combiner_forward(x.data(), P.data(), Q.data(), 1, 9, Combiner::MatMul);
  EXPECT_EQ(x, (std::vector<double>{4, 5, 6, 7, 8, 10, 1, 2, 3}));  // P Q permutes Q's rows
  Rng rng(31);
  const int B = 2, d = 9;
  auto ea = random_vector(B * d, rng), eb = random_vector(B * d, rng);
  const auto R = random_vector(B * d, rng);
  std::vector<double> y(B * d), dea(B * d), deb(B * d);
  auto loss = [&] {
    combiner_forward(y.data(), ea.data(), eb.data(), B, d, Combiner::MatMul);
    return dot(R, y);
  };
  loss();
  combiner_backward(dea.data(), deb.data(), R.data(), ea.data(), eb.data(), B, d, Combiner::MatMul);
  expect_gradient(ea, dea, loss, "matmul first");
  expect_gradient(eb, deb, loss, "matmul second");
}

// lambda * mean |w|: the penalty's gradient, accumulated onto what is there.
TEST(Gradients, L1PenaltyAccumulates) {
  Rng rng(32);
  auto w = random_vector(7, rng);
  const auto before = random_vector(7, rng);
  std::vector<double> g = before;
  auto loss = [&] { return l1_penalty_forward(w.data(), w.size(), 0.3); };
  l1_penalty_backward(g.data(), w.data(), w.size(), 0.3);
  for (size_t i = 0; i < g.size(); ++i) g[i] -= before[i];
  expect_gradient(w, g, loss, "l1 penalty");
}

TEST(Gradients, EmbeddingWithRepeatedSymbols) {
  Rng rng(4);
  const int V = 5, d = 3, B = 6;
  auto E = random_vector(V * d, rng);
  const std::vector<int32_t> a = {0, 1, 1, 4, 2, 2}, b = {1, 1, 3, 0, 2, 4};
  const auto Ra = random_vector(B * d, rng), Rb = random_vector(B * d, rng);
  std::vector<double> ea(B * d), eb(B * d), dE(V * d, 0.0);
  auto loss = [&] {
    embedding_forward(ea.data(), eb.data(), E.data(), a.data(), b.data(), B, d);
    return dot(Ra, ea) + dot(Rb, eb);
  };
  embedding_backward(dE.data(), Ra.data(), Rb.data(), a.data(), b.data(), B, d);
  expect_gradient(E, dE, loss, "embedding");
}

TEST(Gradients, CrossEntropyHead) {
  Rng rng(5);
  const int B = 4, C = 6;
  auto z = random_vector(B * C, rng, 3.0);
  const std::vector<int32_t> y = {0, 5, 2, 2};
  std::vector<double> dz(B * C);
  auto loss = [&] { return cross_entropy_forward(z.data(), y.data(), B, C).loss_sum / B; };
  cross_entropy_backward(dz.data(), z.data(), y.data(), B, C);
  expect_gradient(z, dz, loss, "cross entropy");
}

TEST(Gradients, MseHead) {
  Rng rng(6);
  const int B = 3, D = 5, K = 4;
  auto out = random_vector(B * D, rng);
  const auto targets = random_vector(K * D, rng);
  const std::vector<int32_t> y = {3, 0, 3};
  std::vector<double> dout(B * D);
  auto loss = [&] { return mse_forward(out.data(), targets.data(), y.data(), B, D, K).loss_sum / B; };
  mse_backward(dout.data(), out.data(), targets.data(), y.data(), B, D);
  expect_gradient(out, dout, loss, "mse");
}

TEST(Gradients, BinaryHead) {
  Rng rng(7);
  const int B = 6;
  auto z = random_vector(B, rng, 4.0);
  const std::vector<int32_t> y = {0, 1, 1, 0, 1, 0};
  std::vector<double> dz(B);
  auto loss = [&] { return binary_forward(z.data(), y.data(), B).loss_sum / B; };
  binary_backward(dz.data(), z.data(), y.data(), B);
  expect_gradient(z, dz, loss, "binary");
}

// The training step's heads (loss and gradient in one pass) return the loss of the evaluation's.
TEST(TrainingHeads, LossEqualsEvaluationLoss) {
  Rng rng(13);
  const int B = 5, C = 7, D = 3, K = 4;
  const auto z = random_vector(B * C, rng, 3.0), out = random_vector(B * D, rng), targets = random_vector(K * D, rng);
  const auto y = random_vector(B * D, rng);
  const std::vector<int32_t> labels = {6, 0, 3, 3, 1}, classes = {3, 0, 2, 2, 1}, bits = {1, 0, 0, 1, 1};
  std::vector<double> g(B * C);
  EXPECT_NEAR(cross_entropy_loss_backward(g.data(), z.data(), labels.data(), B, C),
              cross_entropy_forward(z.data(), labels.data(), B, C).loss_sum, 1e-12);
  EXPECT_NEAR(mse_loss_backward(g.data(), out.data(), targets.data(), classes.data(), B, D),
              mse_forward(out.data(), targets.data(), classes.data(), B, D, K).loss_sum, 1e-12);
  EXPECT_NEAR(binary_loss_backward(g.data(), z.data(), bits.data(), B),
              binary_forward(z.data(), bits.data(), B).loss_sum, 1e-12);
  EXPECT_NEAR(regression_loss_backward(g.data(), out.data(), y.data(), B, D),
              regression_forward(out.data(), y.data(), B, D).loss_sum, 1e-12);
}

// Logits far beyond float's exp range: the log-sum-exp takes the row's max out first, so the
// float head's loss stays finite and agrees with double's, and each gradient row sums to zero.
TEST(TrainingHeads, CrossEntropyFloatLargeLogits) {
  const int B = 2, C = 9;  // rows wider than a vector: the six -1000 add nothing to either sum
  std::vector<double> zd(B * C, -1000.0);
  for (int c = 0; c < 3; ++c) zd[c] = std::vector{200.0, 199.0, -300.0}[c], zd[C + c] = std::vector{-150.0, -151.5, -149.0}[c];
  const std::vector<float> zf(zd.begin(), zd.end());
  const std::vector<int32_t> labels = {1, 0};
  std::vector<double> gd(B * C);
  std::vector<float> gf(B * C);
  const double ld = cross_entropy_loss_backward(gd.data(), zd.data(), labels.data(), B, C);
  const double lf = cross_entropy_loss_backward(gf.data(), zf.data(), labels.data(), B, C);
  EXPECT_NEAR(ld, std::log1p(std::exp(-1.0)) + 1.0 + std::log1p(std::exp(-1.0) + std::exp(-2.5)) + 1.0, 1e-12);
  EXPECT_NEAR(lf, ld, 1e-5);
  for (int i = 0; i < B; ++i) {
    EXPECT_NEAR(std::accumulate(gf.begin() + i * C, gf.begin() + (i + 1) * C, 0.0f), 0.0f, 1e-7);
    for (int c = 0; c < C; ++c) EXPECT_NEAR(gf[i * C + c], gd[i * C + c], 1e-6);
  }
}

TEST(HeadPredictions, CountCorrect) {
  const std::vector<double> logits = {0.1, 2.0, -1.0, /**/ 3.0, 0.0, 0.5};
  const std::vector<int32_t> y = {1, 2};
  EXPECT_EQ(cross_entropy_forward(logits.data(), y.data(), 2, 3).correct, 1);
  const std::vector<double> targets = {0, 0, /**/ 1, 1, /**/ 5, 5};
  const std::vector<double> out = {0.9, 1.2, /**/ 0.1, -0.2};
  EXPECT_EQ(mse_forward(out.data(), targets.data(), y.data(), 2, 2, 3).correct, 1);  // nearest: 1, 0
  const std::vector<int32_t> y2 = {1, 0};
  EXPECT_EQ(mse_forward(out.data(), targets.data(), y2.data(), 2, 2, 3).correct, 2);
  const std::vector<double> z = {0.3, -0.1, 0.2};
  const std::vector<int32_t> yb = {1, 1, 0};
  EXPECT_EQ(binary_forward(z.data(), yb.data(), 3).correct, 1);
}

// Samples (a[i], b[i]) with labels y[i] as the model's batch.
struct Samples {
  Samples(const std::vector<int32_t>& a, const std::vector<int32_t>& b, const std::vector<int32_t>& y) : labels(y) {
    tokens = a;
    tokens.insert(tokens.end(), b.begin(), b.end());
  }
  template <class T>
  Batch<T> of() const {
    return {.size = int(labels.size()), .positions = 2, .tokens = tokens.data(), .labels = labels.data()};
  }
  operator Batch<double>() const { return of<double>(); }
  std::vector<int32_t> tokens, labels;
};

// Components by their config names (so that the test's name reads like a config).
struct ModelCase {
  const char* combiner;
  const char* activation;
  const char* head;
  int depth;
  int embed_dim = 3;
};

class ModelGradient : public ::testing::TestWithParam<ModelCase> {};

TEST_P(ModelGradient, WholeModelMatchesFiniteDifferences) {
  const auto& p = GetParam();
  const Head head = head_named(p.head);
  ModelShape shape{7, p.embed_dim, combiner_named(p.combiner), 6, p.depth, activation_named(p.activation), head,
                   head == Head::Binary ? 2 : 5, 4};
  const int B = 9;
  EncoderDecoder<double> model(shape, B);
  Rng rng(11);
  model.init_weights(rng, false, 2.0, 1.0);
  model.init_targets(rng, 1.0);
  std::vector<int32_t> a(B), b(B), y(B);
  for (int i = 0; i < B; ++i) a[i] = int(rng.below(7)), b[i] = int(rng.below(7)), y[i] = int(rng.below(shape.num_classes));
  const Samples batch(a, b, y);
  const auto [genc, gdec] = expect_model_gradient(model, batch, B, "model");
  // A training step asks loss_sum, which keeps the head's gradient for the backward: the same
  // loss as evaluate, and the same gradients as the backward alone, bit for bit.
  model.forward(batch);
  EXPECT_NEAR(model.loss_sum(batch), model.evaluate(batch).loss_sum, 1e-12);
  model.zero_grad();
  model.backward(batch);
  EXPECT_EQ(std::vector<double>(model.genc.begin(), model.genc.end()), genc);
  EXPECT_EQ(std::vector<double>(model.gdec.begin(), model.gdec.end()), gdec);
}

INSTANTIATE_TEST_SUITE_P(
    Configurations, ModelGradient,
    ::testing::Values(ModelCase{"sum", "tanh", "mse", 2}, ModelCase{"concat", "relu", "cross_entropy", 2},
                      ModelCase{"diff", "gelu", "binary", 3}, ModelCase{"sqdiff", "silu", "cross_entropy", 1},
                      ModelCase{"concat", "tanh", "binary", 0},
                      // 9 samples of 7 symbols: matmul takes the plain first layer, not the per-symbol one
                      ModelCase{"matmul", "tanh", "mse", 2, 9}),
    [](const auto& info) {
      const ModelCase& c = info.param;
      return std::string(c.combiner) + "_" + c.activation + "_" + c.head + "_depth" + std::to_string(c.depth) + "_d" +
             std::to_string(c.embed_dim);
    });

class SymbolLinearGradient : public ::testing::TestWithParam<Combiner> {};

TEST_P(SymbolLinearGradient, MatchesFiniteDifferences) {
  Rng rng(12);
  const int V = 4, d = 3, B = 9, OC = 5;
  const Combiner c = GetParam();
  const int in = combiner_width(c, d);
  auto E = random_vector(V * d, rng), W = random_vector(OC * in, rng), bias = random_vector(OC, rng);
  const auto R = random_vector(B * OC, rng);
  std::vector<int32_t> a(B), b(B);
  for (int i = 0; i < B; ++i) a[i] = int(rng.below(V)), b[i] = int(rng.below(V));
  std::vector<double> out(B * OC), Pa(V * OC), Pb(V * OC), dE(V * d), dW(OC * in, 0.0), db(OC, 0.0);
  SymbolLinearKernels<double> k(V, d, OC, c);
  auto loss = [&] {
    symbol_linear_forward(k, out.data(), Pa.data(), Pb.data(), E.data(), W.data(), bias.data(), a.data(), b.data(), B, V,
                          d, OC, c);
    return dot(R, out);
  };
  loss();
  std::vector<double> dPa(V * OC), dPb(V * OC);
  symbol_linear_backward(k, dE.data(), dW.data(), db.data(), dPa.data(), dPb.data(), R.data(), E.data(), W.data(),
                         a.data(), b.data(), B, V, d, OC, c);
  expect_gradient(E, dE, loss, "symbol linear embedding");
  expect_gradient(W, dW, loss, "symbol linear weight");
  expect_gradient(bias, db, loss, "symbol linear bias");
}

INSTANTIATE_TEST_SUITE_P(LinearCombiners, SymbolLinearGradient,
                         ::testing::Values(Combiner::Sum, Combiner::Concat, Combiner::Diff));

// The per-symbol first layer is an exact rewrite: outputs and gradients equal the plain
// per-sample path up to rounding.
TEST(SymbolShortcut, EqualsPlainPath) {
  for (Combiner c : {Combiner::Sum, Combiner::Concat, Combiner::Diff}) {
    ModelShape shape{6, 3, c, 10, 2, Activation::Tanh, Head::CrossEntropy, 6, 0};
    const int B = 40;  // more samples than symbols: the shortcut applies
    EncoderDecoder<double> fast(shape, B), plain(shape, B);
    Rng r1(8), r2(8);
    fast.init_weights(r1, false, 1.0, 1.0);
    plain.init_weights(r2, false, 1.0, 1.0);
    plain.allow_symbol_shortcut = false;
    Rng data(9);
    std::vector<int32_t> a(B), b(B), y(B);
    for (int i = 0; i < B; ++i) a[i] = int(data.below(6)), b[i] = int(data.below(6)), y[i] = int(data.below(6));
    const Samples batch(a, b, y);
    fast.forward(batch);
    plain.forward(batch);
    for (int i = 0; i < B * 6; ++i) EXPECT_NEAR(fast.output()[i], plain.output()[i], 1e-12);
    fast.zero_grad(), plain.zero_grad();
    fast.backward(batch);
    plain.backward(batch);
    for (size_t i = 0; i < fast.genc.size(); ++i) EXPECT_NEAR(fast.genc[i], plain.genc[i], 1e-13);
    for (size_t i = 0; i < fast.gdec.size(); ++i) EXPECT_NEAR(fast.gdec[i], plain.gdec[i], 1e-13);
    // and the output is not trivially equal because nothing ran
    EXPECT_NE(fast.output()[0], 0.0);
  }
}

TEST(ModelFloat, AgreesWithDouble) {
  ModelShape shape{5, 2, Combiner::Concat, 8, 2, Activation::Tanh, Head::CrossEntropy, 5, 0};
  EncoderDecoder<double> md(shape, 4);
  EncoderDecoder<float> mf(shape, 4);
  Rng r1(3), r2(3);
  md.init_weights(r1, false, 1.0, 1.0);
  mf.init_weights(r2, false, 1.0, 1.0);
  const Samples batch({0, 1, 2, 3}, {4, 3, 2, 1}, {4, 4, 4, 4});
  md.forward(batch.of<double>());
  mf.forward(batch.of<float>());
  EXPECT_NEAR(md.evaluate(batch.of<double>()).loss_sum, mf.evaluate(batch.of<float>()).loss_sum, 1e-5);
}

}  // namespace
}  // namespace geneft
