// The planned small matrix products (nn/gemm.h) against Eigen's plain products, in both
// precisions, for the shapes the models make (strided weights of the per-symbol layer, the
// accumulating variants, a batch size planned after construction); and finite differences of
// the fused Linear + activation layer.
#include <gtest/gtest.h>

#include <numeric>

#include "core/rng.h"
#include "grad_check.h"
#include "nn/linear.h"

namespace geneft {
namespace {

struct KernelCase {
  const char* name;
  int B, C, OC, ldw;
  bool accumulate_out, accumulate_input;
};

template <class T>
Buffer<T> random_buffer(size_t n, Rng& rng) {
  Buffer<T> v(n);
  for (auto& x : v) x = T(rng.uniform() - 0.5);
  return v;
}

template <class T>
void check_against_eigen(const KernelCase& k, double tol) {
  Rng rng(7);
  const int B = k.B, C = k.C, OC = k.OC, ldw = k.ldw ? k.ldw : k.C;
  const auto inp = random_buffer<T>(size_t(B) * C, rng), W = random_buffer<T>(size_t(OC) * ldw, rng);
  const auto dout = random_buffer<T>(size_t(B) * OC, rng);
  const auto out0 = random_buffer<T>(size_t(B) * OC, rng), dinp0 = random_buffer<T>(size_t(B) * C, rng);
  const auto dW0 = random_buffer<T>(size_t(OC) * ldw, rng);
  // planned for a larger batch at construction: B is planned at first use
  LinearKernels<T> kern({.C = C, .OC = OC, .ldw = ldw, .accumulate_out = k.accumulate_out,
                         .accumulate_input = k.accumulate_input}, 2 * B + 3);
  Buffer<T> out = out0, dinp = dinp0, dW = dW0;
  kern.forward(out.data(), inp.data(), W.data(), B);
  kern.backward_input(dinp.data(), dout.data(), W.data(), B);
  kern.backward_weight(dW.data(), dout.data(), inp.data(), B);

  using Strided = Eigen::Map<const MatrixRM<T>, 0, Eigen::OuterStride<>>;
  const Strided w(W.data(), OC, C, Eigen::OuterStride<>(ldw));
  const ConstMatMap<T> x(inp.data(), B, C), g(dout.data(), B, OC);
  MatrixRM<T> ref_out = k.accumulate_out ? MatrixRM<T>(ConstMatMap<T>(out0.data(), B, OC)) : MatrixRM<T>::Zero(B, OC);
  ref_out += x * w.transpose();
  MatrixRM<T> ref_dinp =
      k.accumulate_input ? MatrixRM<T>(ConstMatMap<T>(dinp0.data(), B, C)) : MatrixRM<T>::Zero(B, C);
  ref_dinp += g * w;
  const MatrixRM<T> ref_dW = Strided(dW0.data(), OC, C, Eigen::OuterStride<>(ldw)) + g.transpose() * x;
  EXPECT_LT((ConstMatMap<T>(out.data(), B, OC) - ref_out).cwiseAbs().maxCoeff(), tol) << "forward";
  EXPECT_LT((ConstMatMap<T>(dinp.data(), B, C) - ref_dinp).cwiseAbs().maxCoeff(), tol) << "backward_input";
  EXPECT_LT((Strided(dW.data(), OC, C, Eigen::OuterStride<>(ldw)) - ref_dW).cwiseAbs().maxCoeff(), tol)
      << "backward_weight";
  // the columns of a strided dW outside the C columns are left alone
  for (int r = 0; r < OC; ++r)
    for (int c = C; c < ldw; ++c) EXPECT_EQ(dW[size_t(r) * ldw + c], dW0[size_t(r) * ldw + c]);
}

class LinearKernelsTest : public ::testing::TestWithParam<KernelCase> {};

TEST_P(LinearKernelsTest, MatchesEigenFloat) { check_against_eigen<float>(GetParam(), 1e-4); }
TEST_P(LinearKernelsTest, MatchesEigenDouble) { check_against_eigen<double>(GetParam(), 1e-12); }

INSTANTIATE_TEST_SUITE_P(
    Shapes, LinearKernelsTest,
    ::testing::Values(KernelCase{"toy_hidden", 45, 200, 200, 0, false, false},
                      KernelCase{"toy_output", 45, 200, 30, 0, false, false},
                      KernelCase{"binary_output", 27, 50, 1, 0, false, false},
                      KernelCase{"symbol_concat_half", 13, 3, 17, 6, false, true},
                      KernelCase{"accumulating_output", 31, 16, 24, 0, true, false},
                      KernelCase{"odd_sizes", 7, 5, 3, 0, false, false},
                      KernelCase{"batch_whole_blocks", 64, 24, 40, 0, false, false},
                      KernelCase{"batch_blocks_and_tail", 100, 24, 40, 0, false, false}),
    [](const ::testing::TestParamInfo<KernelCase>& info) { return std::string(info.param.name); });

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

class FusedLinearGradient : public ::testing::TestWithParam<Activation> {};

// pre = x W^T + b, post = act(pre), loss = <R, post>: the gradients of the fused backward
// (backward_input and backward_weight of the kernels, then activation_bias_backward)
TEST_P(FusedLinearGradient, MatchesFiniteDifferences) {
  Rng rng(21);
  const int B = 6, C = 5, OC = 4;
  auto x = testing::random_vector(B * C, rng), W = testing::random_vector(OC * C, rng),
       b = testing::random_vector(OC, rng);
  const auto R = testing::random_vector(B * OC, rng);
  LinearKernels<double> k({.C = C, .OC = OC}, B);
  std::vector<double> pre(B * OC), post(B * OC);
  auto loss = [&] {
    linear_act_forward(k, pre.data(), post.data(), x.data(), W.data(), b.data(), B, OC, GetParam());
    return dot(R, post);
  };
  loss();
  std::vector<double> dpre(B * OC), dx(B * C), dW(OC * C, 0.0), db(OC, 0.0);
  activation_bias_backward(dpre.data(), db.data(), R.data(), pre.data(), post.data(), B, OC, GetParam());
  k.backward_weight(dW.data(), dpre.data(), x.data(), B);
  k.backward_input(dx.data(), dpre.data(), W.data(), B);
  testing::expect_gradient(x, dx, loss, "fused linear input", 1e-6);
  testing::expect_gradient(W, dW, loss, "fused linear weight", 1e-6);
  testing::expect_gradient(b, db, loss, "fused linear bias", 1e-6);
}

std::string activation_name(const ::testing::TestParamInfo<Activation>& info) {
  static const char* names[] = {"tanh", "relu", "gelu", "silu"};
  return names[int(info.param)];
}

INSTANTIATE_TEST_SUITE_P(All, FusedLinearGradient,
                         ::testing::Values(Activation::Tanh, Activation::Relu, Activation::Gelu, Activation::Silu),
                         activation_name);

}  // namespace
}  // namespace geneft
