// The planned small matrix products (nn/gemm.h): every library the build has against a plain
// triple loop, for every combination of transposes, accumulation and strides; the rule that
// chooses the library per shape; the Linear's three products against Eigen's plain products, in
// both precisions, for the shapes the models make (strided weights of the per-symbol layer, the
// accumulating variants, a batch size planned after construction); and finite differences of
// the fused Linear + activation layer.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <thread>

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

// One library and one combination of Gemm's flags, on several shapes.
struct GemmCase {
  GemmBackend backend;
  bool a_transposed, b_transposed, accumulate, strided;
};

std::vector<GemmCase> gemm_cases() {
  std::vector<GemmCase> cases;
  for (GemmBackend b : {GemmBackend::Eigen, GemmBackend::OpenBlas, GemmBackend::Libxsmm})
    if (gemm_backend_built(b))
      for (int flags = 0; flags < 16; ++flags)
        cases.push_back({b, bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8)});
  return cases;
}

std::string gemm_case_name(const ::testing::TestParamInfo<GemmCase>& info) {
  const GemmCase& c = info.param;
  std::string name = gemm_backend_name(c.backend);
  name += c.a_transposed ? "_At" : "_A";
  name += c.b_transposed ? "_Bt" : "_B";
  if (c.accumulate) name += "_accumulate";
  if (c.strided) name += "_strided";
  return name;
}

// C = A B (+ C) through Gemm against the triple loop in double, on shapes from one row to the
// blocked dW (K = 100: three blocks of 32 and a tail; K = 64: two blocks, no tail), with strides 3
// past each row when strided. Without accumulate, C starts as NaN: a path that reads it fails.
template <class T>
void check_against_loop(const GemmCase& c) {
  Rng rng(11);
  for (auto [M, N, K] : {std::array{7, 5, 3}, {45, 30, 20}, {1, 9, 6}, {6, 1, 9}, {16, 24, 100}, {9, 16, 64}}) {
    const std::string shape = std::to_string(M) + "x" + std::to_string(N) + "x" + std::to_string(K);
    const int pad = c.strided ? 3 : 0;
    const int a_rows = c.a_transposed ? K : M, a_cols = c.a_transposed ? M : K;
    const int b_rows = c.b_transposed ? N : K, b_cols = c.b_transposed ? K : N;
    const int lda = a_cols + pad, ldb = b_cols + pad, ldc = N + pad;
    const auto A = random_buffer<T>(size_t(a_rows) * lda, rng), Bm = random_buffer<T>(size_t(b_rows) * ldb, rng);
    auto C0 = random_buffer<T>(size_t(M) * ldc, rng);
    if (!c.accumulate)
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) C0[size_t(i) * ldc + j] = std::numeric_limits<T>::quiet_NaN();
    Gemm<T> gemm({.M = M, .N = N, .K = K, .a_transposed = c.a_transposed, .b_transposed = c.b_transposed,
                  .accumulate = c.accumulate, .lda = c.strided ? lda : 0, .ldb = c.strided ? ldb : 0,
                  .ldc = c.strided ? ldc : 0},
                 c.backend);
    EXPECT_EQ(gemm.backend(), c.backend) << shape;  // libxsmm builds a kernel for every one of these
    Buffer<T> C = C0;
    gemm(A.data(), Bm.data(), C.data());
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < ldc; ++j) {
        const size_t at = size_t(i) * ldc + j;
        if (j >= N) {  // the columns past N are left alone
          EXPECT_EQ(C[at], C0[at]) << shape;
          continue;
        }
        double ref = c.accumulate ? double(C0[at]) : 0.0, magnitude = std::abs(ref);
        for (int k = 0; k < K; ++k) {
          const T a = c.a_transposed ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k];
          const T b = c.b_transposed ? Bm[size_t(j) * ldb + k] : Bm[size_t(k) * ldb + j];
          ref += double(a) * double(b), magnitude += std::abs(double(a) * double(b));
        }
        // any summation order is within K ulps of the sum of magnitudes
        const double bound = (K + 1) * std::numeric_limits<T>::epsilon() * magnitude;
        EXPECT_NEAR(C[at], ref, bound) << shape << " at (" << i << ", " << j << ")";
      }
  }
}

class GemmBackendTest : public ::testing::TestWithParam<GemmCase> {};

TEST_P(GemmBackendTest, MatchesTripleLoopDouble) { check_against_loop<double>(GetParam()); }
TEST_P(GemmBackendTest, MatchesTripleLoopFloat) { check_against_loop<float>(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Built, GemmBackendTest, ::testing::ValuesIn(gemm_cases()), gemm_case_name);

// The rule picks, for named products of the bench models (bench/gemm_shapes), what its comment
// says, the same every time, and falls back to what the build has.
TEST(GemmBackendRule, PicksTheMeasuredLibraryPerShape) {
  using B = GemmBackend;
  const GemmBackends all{.openblas = true, .libxsmm = true};
  struct Named {
    const char* what;
    GemmShape shape;
    B expected;
  };
  const Named named[] = {
      {"relation out fwd 270x1x50", {.M = 270, .N = 1, .K = 50, .b_transposed = true}, B::Eigen},
      {"relation out dW 1x50x270", {.M = 1, .N = 50, .K = 270, .a_transposed = true, .accumulate = true}, B::Eigen},
      {"toy out fwd 45x30x200", {.M = 45, .N = 30, .K = 200, .b_transposed = true}, B::OpenBlas},
      {"relation symbol fwd 30x50x2", {.M = 30, .N = 50, .K = 2, .b_transposed = true}, B::Libxsmm},
      {"mod-add hidden fwd 1740x128x128", {.M = 1740, .N = 128, .K = 128, .b_transposed = true}, B::Libxsmm},
      {"p=113 out dW 113x512x3831", {.M = 113, .N = 512, .K = 3831, .a_transposed = true, .accumulate = true},
       B::OpenBlas},
      {"W_in dW 512x128x3831", {.M = 512, .N = 128, .K = 3831, .a_transposed = true, .accumulate = true},
       B::Libxsmm},
      {"p=113 out dinp 3831x512x113", {.M = 3831, .N = 512, .K = 113}, B::OpenBlas},
      {"W_U dinp 3831x128x113", {.M = 3831, .N = 128, .K = 113}, B::Libxsmm},
  };
  for (const Named& n : named) {
    EXPECT_EQ(gemm_backend_for(n.shape, 4, all), n.expected) << n.what;
    EXPECT_EQ(gemm_backend_for(n.shape, 4, {.openblas = false, .libxsmm = false}), B::Eigen) << n.what;
  }
  // without one library, the other (or Eigen)
  const GemmShape toy_out = named[2].shape, hidden = named[4].shape, symbol = named[3].shape;
  EXPECT_EQ(gemm_backend_for(toy_out, 4, {.openblas = false, .libxsmm = true}), B::Libxsmm);
  EXPECT_EQ(gemm_backend_for(hidden, 4, {.openblas = true, .libxsmm = false}), B::OpenBlas);
  EXPECT_EQ(gemm_backend_for(symbol, 4, {.openblas = true, .libxsmm = false}), B::Eigen);
  // the remainder-column case is measured in float only
  EXPECT_EQ(gemm_backend_for(toy_out, 8, all), B::Libxsmm);
  // a Gemm planned twice for one shape runs the same library, the one the rule names for the build
  for (const Named& n : named) {
    const Gemm<float> a(n.shape), b(n.shape);
    EXPECT_EQ(a.backend(), b.backend()) << n.what;
    EXPECT_EQ(a.backend(), gemm_backend_for(n.shape, 4)) << n.what;
  }
}

// A sweep's runs call the libraries from several threads at once (geneft sweep --jobs N): each
// thread's products equal, bit for bit, the same product computed alone.
TEST(GemmBackendThreads, ConcurrentCallsAgreeBitForBit) {
  const GemmShape shape{.M = 1740, .N = 59, .K = 128, .b_transposed = true};  // mod-add's output layer
  for (GemmBackend backend : {GemmBackend::Eigen, GemmBackend::OpenBlas, GemmBackend::Libxsmm}) {
    if (!gemm_backend_built(backend)) continue;
    Rng rng(3);
    const auto A = random_buffer<float>(size_t(shape.M) * shape.K, rng);
    const auto B = random_buffer<float>(size_t(shape.N) * shape.K, rng);
    Buffer<float> alone(size_t(shape.M) * shape.N);
    Gemm<float>(shape, backend)(A.data(), B.data(), alone.data());
    std::vector<int> mismatches(2, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
      threads.emplace_back([&, t] {
        Gemm<float> g(shape, backend);
        Buffer<float> C(alone.size());
        for (int r = 0; r < 20; ++r) {
          g(A.data(), B.data(), C.data());
          mismatches[t] += std::memcmp(C.data(), alone.data(), C.size() * sizeof(float)) != 0;
        }
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches[0] + mismatches[1], 0) << gemm_backend_name(backend);
  }
}

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
