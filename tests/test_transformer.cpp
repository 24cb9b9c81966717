// The one-layer transformer: finite-difference checks of its layers (attention, position
// embedding, unembedding, the per-symbol projections with the attention on their rows) and
// of the whole model on both paths.
#include <gtest/gtest.h>

#include <numeric>

#include "grad_check.h"
#include "nn/models/transformer.h"

namespace geneft {
namespace {

using testing::expect_gradient;
using testing::random_vector;

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

std::vector<int32_t> random_tokens(int B, int Tn, int V, Rng& rng) {
  std::vector<int32_t> tok(size_t(B) * Tn);
  for (auto& t : tok) t = int32_t(rng.below(V));
  return tok;
}

TEST(TransformerGradients, PositionEmbedding) {
  Rng rng(21);
  const int V = 5, Tn = 3, d = 4, B = 6;
  auto E = random_vector(V * d, rng), P = random_vector(Tn * d, rng);
  const auto tok = random_tokens(B, Tn, V, rng);
  const auto R = random_vector(B * Tn * d, rng);
  std::vector<double> x(R.size()), dE(E.size(), 0.0), dP(P.size(), 0.0);
  auto loss = [&] {
    position_embedding_forward(x.data(), E.data(), P.data(), tok.data(), B, Tn, d);
    return dot(R, x);
  };
  position_embedding_backward(dE.data(), dP.data(), R.data(), tok.data(), B, Tn, d);
  expect_gradient(E, dE, loss, "token embedding");
  expect_gradient(P, dP, loss, "position embedding");
}

// The unembedding is a Linear without bias (logits = x W_U^T).
TEST(TransformerGradients, Unembedding) {
  Rng rng(22);
  const int B = 4, d = 5, C = 7;
  auto x = random_vector(B * d, rng), W = random_vector(C * d, rng);
  const auto R = random_vector(B * C, rng);
  std::vector<double> out(B * C), dx(B * d), dW(C * d, 0.0);
  auto loss = [&] {
    linear_forward(out.data(), x.data(), W.data(), (const double*)nullptr, B, d, C);
    return dot(R, out);
  };
  loss();
  linear_backward(dx.data(), dW.data(), (double*)nullptr, R.data(), x.data(), W.data(), B, d, C);
  expect_gradient(x, dx, loss, "unembedding input");
  expect_gradient(W, dW, loss, "unembedding weight");
}

// Q, K, V projections and the attention read at the last position, chained: the per-sample
// rows (query b, keys and values b*T + t).
TEST(TransformerGradients, Attention) {
  Rng rng(23);
  const int B = 3, Tn = 3, d = 5, H = 2, dh = 3, HD = H * dh;
  auto x = random_vector(B * Tn * d, rng);
  auto WQ = random_vector(HD * d, rng), WK = random_vector(HD * d, rng), WV = random_vector(HD * d, rng);
  const auto R = random_vector(B * HD, rng);
  std::vector<double> q(B * HD), k(B * Tn * HD), v(B * Tn * HD), att(B * H * Tn), z(B * HD);
  std::vector<int32_t> qrow(B), kvrow(B * Tn);
  std::iota(qrow.begin(), qrow.end(), 0), std::iota(kvrow.begin(), kvrow.end(), 0);
  auto loss = [&] {
    qkv_forward(q.data(), k.data(), v.data(), x.data(), WQ.data(), WK.data(), WV.data(), B, Tn, d, HD);
    attention_forward(z.data(), att.data(), q.data(), k.data(), v.data(), qrow.data(), kvrow.data(), B, Tn, H, dh);
    return dot(R, z);
  };
  loss();
  for (int i = 0; i < B * H; ++i) EXPECT_NEAR(att[i] + att[B * H + i] + att[2 * B * H + i], 1.0, 1e-12);
  std::vector<double> dq(q.size(), 0.0), dk(k.size(), 0.0), dv(v.size(), 0.0), datt(att.size()), dx(x.size());
  std::vector<double> dWQ(WQ.size(), 0.0), dWK(WK.size(), 0.0), dWV(WV.size(), 0.0);
  attention_backward(dq.data(), dk.data(), dv.data(), datt.data(), R.data(), att.data(), q.data(), k.data(), v.data(),
                     qrow.data(), kvrow.data(), B, Tn, H, dh);
  qkv_backward(dx.data(), dWQ.data(), dWK.data(), dWV.data(), dq.data(), dk.data(), dv.data(), x.data(), WQ.data(),
               WK.data(), WV.data(), B, Tn, d, HD);
  expect_gradient(x, dx, loss, "attention input");
  expect_gradient(WQ, dWQ, loss, "attention W_Q");
  expect_gradient(WK, dWK, loss, "attention W_K");
  expect_gradient(WV, dWV, loss, "attention W_V");
}

// The per-(token, position) projections and the attention reading their rows (shared by the
// samples with the same token): the gradient reaches W_E, W_pos and W_Q, W_K, W_V, also
// through the residual output `last`.
TEST(TransformerGradients, SymbolProjections) {
  Rng rng(24);
  const int B = 7, Tn = 3, V = 4, d = 5, H = 2, dh = 3, HD = H * dh;
  auto E = random_vector(V * d, rng), P = random_vector(Tn * d, rng);
  auto WQ = random_vector(HD * d, rng), WK = random_vector(HD * d, rng), WV = random_vector(HD * d, rng);
  const auto tok = random_tokens(B, Tn, V, rng);
  const auto Rz = random_vector(B * HD, rng), Rl = random_vector(B * d, rng);
  std::vector<double> z(Rz.size()), att(B * H * Tn), datt(att.size()), last(Rl.size());
  std::vector<int32_t> qrow(B), kvrow(B * Tn);
  SymbolQkvScratch<double> s;
  s.resize(V, Tn, d, HD);
  auto loss = [&] {
    symbol_qkv_forward(last.data(), s, E.data(), P.data(), WQ.data(), WK.data(), WV.data(), tok.data(), B, Tn, V, d);
    symbol_rows(qrow.data(), kvrow.data(), tok.data(), B, Tn, V);
    attention_forward(z.data(), att.data(), s.Qs.data(), s.Ks.data(), s.Vs.data(), qrow.data(), kvrow.data(), B, Tn,
                      H, dh);
    return dot(Rz, z) + dot(Rl, last);
  };
  loss();
  std::vector<double> dE(E.size(), 0.0), dP(P.size(), 0.0), dWQ(WQ.size(), 0.0), dWK(WK.size(), 0.0), dWV(WV.size(), 0.0);
  s.zero_row_grads();
  attention_backward(s.dQs.data(), s.dKs.data(), s.dVs.data(), datt.data(), Rz.data(), att.data(), s.Qs.data(),
                     s.Ks.data(), s.Vs.data(), qrow.data(), kvrow.data(), B, Tn, H, dh);
  symbol_qkv_backward(dE.data(), dP.data(), dWQ.data(), dWK.data(), dWV.data(), s, Rl.data(), WQ.data(), WK.data(),
                      WV.data(), tok.data(), B, Tn, V, d);
  expect_gradient(E, dE, loss, "symbol W_E");
  expect_gradient(P, dP, loss, "symbol W_pos");
  expect_gradient(WQ, dWQ, loss, "symbol W_Q");
  expect_gradient(WK, dWK, loss, "symbol W_K");
  expect_gradient(WV, dWV, loss, "symbol W_V");
}

const TransformerShape kSmall{5, 8, 2, 3, 10, 5};  // symbols, d_model, heads, d_head, d_mlp, classes

// Samples "a b =" with random labels, tokens position-major as the trainer gives them.
struct Samples {
  std::vector<int32_t> tokens, y;
  Batch<double> batch() const { return {.size = int(y.size()), .positions = 2, .tokens = tokens.data(), .labels = y.data()}; }
};
Samples random_batch(int B, const TransformerShape& s, Rng& rng) {
  Samples x;
  x.tokens.resize(2 * B);
  for (auto& t : x.tokens) t = int(rng.below(s.num_symbols));
  for (int i = 0; i < B; ++i) x.y.push_back(int(rng.below(s.num_classes)));
  return x;
}

class TransformerModelGradient : public ::testing::TestWithParam<bool> {};

TEST_P(TransformerModelGradient, WholeModelMatchesFiniteDifferences) {
  const int B = 11;  // more samples than the 6 tokens: the symbol path applies when allowed
  Transformer<double> model(kSmall, B);
  model.allow_symbol_shortcut = GetParam();
  Rng rng(25);
  model.init_weights(rng);
  for (size_t i = model.layout().b_in; i < model.layout().W_out; ++i) model.dec[i] = rng.normal() * 0.3;  // biases
  for (size_t i = model.layout().b_out; i < model.layout().W_U; ++i) model.dec[i] = rng.normal() * 0.3;
  const Samples x = random_batch(B, kSmall, rng);
  auto loss = [&] {
    model.forward(x.batch());
    return model.evaluate(x.batch()).loss_sum / B;
  };
  loss();
  model.zero_grad();
  model.backward(x.batch());
  const std::vector<double> genc(model.genc.begin(), model.genc.end()), gdec(model.gdec.begin(), model.gdec.end());
  expect_gradient(model.enc, genc, loss, "transformer embeddings");
  expect_gradient(model.dec, gdec, loss, "transformer rest");
}

INSTANTIATE_TEST_SUITE_P(Paths, TransformerModelGradient, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "SymbolPath" : "PerSamplePath"; });

// The per-symbol projections are an exact rewrite: logits and gradients equal the per-sample
// path up to rounding.
TEST(TransformerSymbolShortcut, EqualsPerSamplePath) {
  const TransformerShape shape{9, 16, 4, 4, 32, 9};
  const int B = 60;
  Transformer<double> fast(shape, B), plain(shape, B);
  Rng r1(8), r2(8), data(9);
  fast.init_weights(r1), plain.init_weights(r2);
  plain.allow_symbol_shortcut = false;
  const Samples x = random_batch(B, shape, data);
  fast.forward(x.batch());
  plain.forward(x.batch());
  double largest = 0;
  for (int i = 0; i < B * shape.num_classes; ++i) {
    EXPECT_NEAR(fast.output()[i], plain.output()[i], 1e-12);
    largest = std::max(largest, std::abs(fast.output()[i]));
  }
  EXPECT_GT(largest, 0.1);  // something ran
  fast.zero_grad(), plain.zero_grad();
  fast.backward(x.batch());
  plain.backward(x.batch());
  for (size_t i = 0; i < fast.genc.size(); ++i) EXPECT_NEAR(fast.genc[i], plain.genc[i], 1e-13);
  for (size_t i = 0; i < fast.gdec.size(); ++i) EXPECT_NEAR(fast.gdec[i], plain.gdec[i], 1e-13);
}

TEST(TransformerInit, NandaScales) {
  const TransformerShape shape{113, 128, 4, 32, 512, 113};
  Transformer<double> m(shape, 1);
  m.init(1);
  const auto& L = m.layout();
  auto rms = [&](const Buffer<double>& buf, size_t from, size_t to) {
    double s = 0;
    for (size_t i = from; i < to; ++i) s += buf[i] * buf[i];
    return std::sqrt(s / double(to - from));
  };
  EXPECT_NEAR(rms(m.enc, 0, L.enc_size), 1 / std::sqrt(128.0), 0.002);
  EXPECT_NEAR(rms(m.dec, L.W_Q, L.b_in), 1 / std::sqrt(128.0), 0.002);
  EXPECT_NEAR(rms(m.dec, L.W_U, L.dec_size), 1 / std::sqrt(114.0), 0.003);
  EXPECT_EQ(rms(m.dec, L.b_in, L.W_out), 0.0);
  EXPECT_EQ(rms(m.dec, L.b_out, L.W_U), 0.0);
}

}  // namespace
}  // namespace geneft
