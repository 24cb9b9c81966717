#include "nn/gemm.h"

#include <algorithm>
#include <type_traits>

#ifdef GENEFT_HAVE_LIBXSMM
#include <libxsmm.h>
#endif

namespace geneft {

bool gemm_uses_libxsmm() {
#ifdef GENEFT_HAVE_LIBXSMM
  return true;
#else
  return false;
#endif
}

namespace {

template <class T>
using ConstStrided = Eigen::Map<const MatrixRM<T>, 0, Eigen::OuterStride<>>;
template <class T>
using Strided = Eigen::Map<MatrixRM<T>, 0, Eigen::OuterStride<>>;

GemmShape dense(GemmShape s) {
  if (s.lda == 0) s.lda = s.a_transposed ? s.M : s.K;
  if (s.ldb == 0) s.ldb = s.N;
  if (s.ldc == 0) s.ldc = s.N;
  return s;
}

}  // namespace

template <class T>
Gemm<T>::Gemm(const GemmShape& shape) : s_(dense(shape)) {
#ifdef GENEFT_HAVE_LIBXSMM
  // column-major C^T (N x M) = B^T (N x K) A^T (K x M): libxsmm's A is our B and its B our A,
  // transposed by the kernel when a_transposed (libxsmm's TRANS_B, which it builds for float)
  const libxsmm_blasint m = s_.N, n = s_.M, lda = s_.ldb, ldb = s_.lda, ldc = s_.ldc;
  const int flags = s_.a_transposed ? LIBXSMM_GEMM_FLAG_TRANS_B : LIBXSMM_GEMM_FLAG_NONE;
  const T alpha = 1, beta = s_.accumulate ? 1 : 0;
  auto dispatch = [&](libxsmm_blasint k) -> void* {
    if (k == 0) return nullptr;
    if constexpr (std::is_same_v<T, float>)
      return reinterpret_cast<void*>(libxsmm_smmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, nullptr));
    else
      return reinterpret_cast<void*>(libxsmm_dmmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, nullptr));
  };
  constexpr int kBlock = 32;
  if (s_.a_transposed && s_.accumulate && s_.K > kBlock) {
    kernel_ = dispatch(kBlock), tail_ = dispatch(s_.K % kBlock), block_ = kBlock;
    if (s_.K % kBlock != 0 && !tail_) kernel_ = nullptr;
  } else {
    kernel_ = dispatch(s_.K);
  }
#endif
}

template <class T>
void Gemm<T>::operator()(const T* A, const T* B, T* C) const {
#ifdef GENEFT_HAVE_LIBXSMM
  using Kernel = std::conditional_t<std::is_same_v<T, float>, libxsmm_smmfunction, libxsmm_dmmfunction>;
  if (kernel_ && block_ > 0) {  // C += sum over blocks of rows r of A[r]^T B[r]
    int r = 0;
    for (; r + block_ <= s_.K; r += block_)
      reinterpret_cast<Kernel>(kernel_)(B + size_t(r) * s_.ldb, A + size_t(r) * s_.lda, C);
    if (tail_) reinterpret_cast<Kernel>(tail_)(B + size_t(r) * s_.ldb, A + size_t(r) * s_.lda, C);
    return;
  }
  if (kernel_) {
    reinterpret_cast<Kernel>(kernel_)(B, A, C);
    return;
  }
#endif
  ConstStrided<T> b(B, s_.K, s_.N, Eigen::OuterStride<>(s_.ldb));
  Strided<T> c(C, s_.M, s_.N, Eigen::OuterStride<>(s_.ldc));
  if (s_.a_transposed) {
    ConstStrided<T> a(A, s_.K, s_.M, Eigen::OuterStride<>(s_.lda));
    if (s_.accumulate) c.noalias() += a.transpose() * b; else c.noalias() = a.transpose() * b;
  } else {
    ConstStrided<T> a(A, s_.M, s_.K, Eigen::OuterStride<>(s_.lda));
    if (s_.accumulate) c.noalias() += a * b; else c.noalias() = a * b;
  }
}

template <class T>
LinearKernels<T>::LinearKernels(const LinearKernelShape& s, int max_batch) : s_(s) {
  if (s_.ldw == 0) s_.ldw = s_.C;
  plans_.reserve(4);  // the largest batch, the training batch and the test set
  plan(max_batch);
  if (plans_.front().fwd.jit()) Wt_.resize(size_t(s_.C) * s_.OC);
}

template <class T>
const typename LinearKernels<T>::Plan& LinearKernels<T>::plan(int B) {
  for (const Plan& p : plans_)
    if (p.B == B) return p;
  const int C = s_.C, OC = s_.OC, ldw = s_.ldw;
  plans_.push_back({B,
                    // out (B, OC) = inp (B, C) Wt (C, OC)
                    Gemm<T>({.M = B, .N = OC, .K = C, .accumulate = s_.accumulate_out}),
                    // dinp (B, C) = dout (B, OC) W (OC, C)
                    Gemm<T>({.M = B, .N = C, .K = OC, .accumulate = s_.accumulate_input, .ldb = ldw}),
                    // dW (OC, C) += dout^T (stored (B, OC)) inp (B, C)
                    Gemm<T>({.M = OC, .N = C, .K = B, .a_transposed = true, .accumulate = true, .ldc = ldw})});
  return plans_.back();
}

template <class T>
void LinearKernels<T>::forward(T* out, const T* inp, const T* W, int B) {
  const Plan& p = plan(B);
  if (p.fwd.jit()) {
#ifdef GENEFT_HAVE_LIBXSMM
    // W (OC, C) row-major is libxsmm's C x OC matrix; its transpose is Wt (C, OC) row-major
    libxsmm_otrans(Wt_.data(), W, sizeof(T), s_.C, s_.OC, s_.ldw, s_.OC);
#endif
    p.fwd(inp, Wt_.data(), out);
    return;
  }
  ConstMatMap<T> x(inp, B, s_.C);
  ConstStrided<T> w(W, s_.OC, s_.C, Eigen::OuterStride<>(s_.ldw));
  MatMap<T> o(out, B, s_.OC);
  if (s_.accumulate_out) o.noalias() += x * w.transpose(); else o.noalias() = x * w.transpose();
}

template <class T>
void LinearKernels<T>::backward_input(T* dinp, const T* dout, const T* W, int B) {
  plan(B).dinp(dout, W, dinp);
}

template <class T>
void LinearKernels<T>::backward_weight(T* dW, const T* dout, const T* inp, int B) {
  plan(B).dW(dout, inp, dW);
}

template class Gemm<float>;
template class Gemm<double>;
template class LinearKernels<float>;
template class LinearKernels<double>;

}  // namespace geneft
