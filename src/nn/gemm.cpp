#include "nn/gemm.h"

#include <mutex>
#include <type_traits>

#ifdef GENEFT_HAVE_LIBXSMM
#include <libxsmm.h>
#endif
#ifdef GENEFT_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace geneft {

const char* gemm_backend_name(GemmBackend b) {
  switch (b) {
    case GemmBackend::Eigen: return "Eigen";
    case GemmBackend::OpenBlas: return "OpenBLAS";
    case GemmBackend::Libxsmm: return "libxsmm";
  }
  return "?";
}

bool gemm_backend_built(GemmBackend b) {
  const GemmBackends have = GemmBackends::built();
  return b == GemmBackend::Eigen || (b == GemmBackend::OpenBlas && have.openblas) ||
         (b == GemmBackend::Libxsmm && have.libxsmm);
}

GemmBackends GemmBackends::built() {
  GemmBackends have{false, false};
#ifdef GENEFT_HAVE_OPENBLAS
  have.openblas = true;
#endif
#ifdef GENEFT_HAVE_LIBXSMM
  have.libxsmm = true;
#endif
  return have;
}

// The rule, from bench/gemm_shapes (float, one thread, GFLOP/s as Eigen / OpenBLAS / libxsmm
// the way geneft runs it, the best of three runs on the quiet machine, 1 December 2026):
GemmBackend gemm_backend_for(const GemmShape& s, int elem_bytes, GemmBackends have) {
  using B = GemmBackend;
  // One output row or column is a matrix-vector product, where Eigen's loop beats both
  // libraries' call overhead: relation "out" fwd 270×1×50 23 / 6 / 6, dW 1×50×270 26 / 7 / 24;
  // the toy's "symbol 1->200" dinp 10×1×200 28 / 3 / 4, dW 200×1×10 33 / 6 / 7.
  if (s.M == 1 || s.N == 1) return B::Eigen;
  B prefer = B::Libxsmm;  // the rest: mod-add's and the transformer's 128-wide products 82–91 against 73–84
  const long b_bytes = long(elem_bytes) * s.K * s.N;
  if (elem_bytes == 4 && s.N % 8 != 0 && s.K >= 8) {
    // Output rows that are not a whole number of 8-float vectors: libxsmm's remainder columns are
    // slow (toy "out" fwd 45×30×200 42 / 43 / 27; mod-add "out" fwd 1740×59×128 50 / 64 / 46;
    // p=113 "out" fwd 3831×113×512 53 / 71 / 50; relation "hidden" dW 50×50×270 47 / 64 / 55).
    // With K < 8 libxsmm still wins (relation "symbol" fwd 30×50×2: 13 / 7 / 25).
    prefer = B::OpenBlas;
  } else if (s.a_transposed && s.N > 256 && s.K >= 1024) {
    // dW wider than 256 columns over a long batch (K = B): p=113 "out" dW 113×512×3831 50 / 72 / 55,
    // the transformer's W_out dW 128×512×3831 54 / 79 / 56 (W_in's 512×128×3831: 52 / 76 / 83)
    prefer = B::OpenBlas;
  } else if (!s.a_transposed && !s.b_transposed && s.M >= 1024 && b_bytes >= (128 << 10)) {
    // a long product whose right operand passes 128 KiB: p=113 "out" dinp 3831×512×113 56 / 74 / 65,
    // the transformer's W_in dinp 3831×128×512 50 / 77 / 70 (W_U dinp 3831×128×113, 56 KiB: 57 / 74 / 81)
    prefer = B::OpenBlas;
  }
  if (prefer == B::OpenBlas && !have.openblas) prefer = B::Libxsmm;
  // without libxsmm: OpenBLAS, except for the tiny inner dimensions where Eigen was faster
  // (toy "symbol" fwd 10×200×1 9 / 4, relation "symbol" fwd 30×50×2 13 / 7)
  if (prefer == B::Libxsmm && !have.libxsmm) prefer = have.openblas && s.K >= 8 ? B::OpenBlas : B::Eigen;
  return prefer;
}

namespace {

// libxsmm's dW (a_transposed, accumulate): rows of K per kernel call. Blocks of 16 to 256 rows
// measured on the bench's dW shapes (1 December 2026, float GFLOP/s): 32 is the fastest or
// within noise of it on every one (W_in 512×128×3831: 74 / 81 / 74 / 55 / 53 for 16, 32, 64,
// 128, 256; W_U 113×128×3831: 87 / 88 / 80 / 63 / 55); wider C gains from 64 (p=113 "out"
// 113×512×3831: 45 → 49–56) but stays below OpenBLAS's 61–69, which the rule picks there.
constexpr int kDwBlock = 32;

template <class T>
using ConstStrided = Eigen::Map<const MatrixRM<T>, 0, Eigen::OuterStride<>>;
template <class T>
using Strided = Eigen::Map<MatrixRM<T>, 0, Eigen::OuterStride<>>;

GemmShape dense(GemmShape s) {
  if (s.lda == 0) s.lda = s.a_transposed ? s.M : s.K;
  if (s.ldb == 0) s.ldb = s.b_transposed ? s.K : s.N;
  if (s.ldc == 0) s.ldc = s.N;
  return s;
}

#ifdef GENEFT_HAVE_OPENBLAS
// One thread per call, set once before the first product: sweeps run several runs on threads at
// once, each calling OpenBLAS from its own thread (the pthread flavour with one thread computes
// in the calling thread, so concurrent calls do not share work or order). The setting is the
// process's: another OpenBLAS user in the same process (numpy beside the Python module) gets one
// thread too.
void openblas_one_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}
#endif

}  // namespace

template <class T>
Gemm<T>::Gemm(const GemmShape& shape, GemmBackend backend) : s_(dense(shape)) {
  if (!gemm_backend_built(backend)) backend = GemmBackend::Eigen;
#ifdef GENEFT_HAVE_LIBXSMM
  if (backend == GemmBackend::Libxsmm) {
    // column-major C^T (N x M) = B^T (N x K) A^T (K x M): libxsmm's A is our B (or its
    // transposed copy, dense (K, N)) and its B our A, transposed by the kernel when
    // a_transposed (libxsmm's TRANS_B, which it builds for float)
    const libxsmm_blasint m = s_.N, n = s_.M, lda = s_.b_transposed ? s_.N : s_.ldb, ldb = s_.lda, ldc = s_.ldc;
    const int flags = s_.a_transposed ? LIBXSMM_GEMM_FLAG_TRANS_B : LIBXSMM_GEMM_FLAG_NONE;
    const T alpha = 1, beta = s_.accumulate ? 1 : 0;
    auto dispatch = [&](libxsmm_blasint k) -> void* {
      if (k == 0) return nullptr;
      if constexpr (std::is_same_v<T, float>)
        return reinterpret_cast<void*>(libxsmm_smmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, nullptr));
      else
        return reinterpret_cast<void*>(libxsmm_dmmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, nullptr));
    };
    if (s_.a_transposed && s_.accumulate && s_.K > kDwBlock) {
      kernel_ = dispatch(kDwBlock), tail_ = dispatch(s_.K % kDwBlock), block_ = kDwBlock;
      if (s_.K % kDwBlock != 0 && !tail_) kernel_ = nullptr;
    } else {
      kernel_ = dispatch(s_.K);
    }
    if (kernel_) {
      backend_ = backend;
      if (s_.b_transposed) Bt_.resize(size_t(s_.K) * s_.N);
      return;
    }
    // no kernel for this shape: the other library the build has (a choice of the shape alone)
    backend = gemm_backend_built(GemmBackend::OpenBlas) ? GemmBackend::OpenBlas : GemmBackend::Eigen;
  }
#endif
#ifdef GENEFT_HAVE_OPENBLAS
  if (backend == GemmBackend::OpenBlas) openblas_one_thread();
#endif
  backend_ = backend;
}

template <class T>
void Gemm<T>::operator()(const T* A, const T* B, T* C) {
#ifdef GENEFT_HAVE_LIBXSMM
  if (backend_ == GemmBackend::Libxsmm) {
    using Kernel = std::conditional_t<std::is_same_v<T, float>, libxsmm_smmfunction, libxsmm_dmmfunction>;
    if (s_.b_transposed) {
      // B stored (N, K) row-major is libxsmm's K x N matrix; its transpose is Bt (K, N) row-major
      libxsmm_otrans(Bt_.data(), B, sizeof(T), s_.K, s_.N, s_.ldb, s_.N);
      B = Bt_.data();
    }
    if (block_ > 0) {  // C += sum over blocks of rows r of A[r]^T B[r]
      const int ldb = s_.b_transposed ? s_.N : s_.ldb;
      int r = 0;
      for (; r + block_ <= s_.K; r += block_)
        reinterpret_cast<Kernel>(kernel_)(B + size_t(r) * ldb, A + size_t(r) * s_.lda, C);
      if (tail_) reinterpret_cast<Kernel>(tail_)(B + size_t(r) * ldb, A + size_t(r) * s_.lda, C);
    } else {
      reinterpret_cast<Kernel>(kernel_)(B, A, C);
    }
    return;
  }
#endif
#ifdef GENEFT_HAVE_OPENBLAS
  if (backend_ == GemmBackend::OpenBlas) {
    const auto ta = s_.a_transposed ? CblasTrans : CblasNoTrans, tb = s_.b_transposed ? CblasTrans : CblasNoTrans;
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, ta, tb, s_.M, s_.N, s_.K, 1.f, A, s_.lda, B, s_.ldb, s_.accumulate ? 1.f : 0.f, C,
                  s_.ldc);
    else
      cblas_dgemm(CblasRowMajor, ta, tb, s_.M, s_.N, s_.K, 1.0, A, s_.lda, B, s_.ldb, s_.accumulate ? 1.0 : 0.0, C,
                  s_.ldc);
    return;
  }
#endif
  // a dense C as a plain map: Eigen's matrix-vector path takes a strided one (N = 1, row stride
  // ldc) for a vector of runtime stride and ran 3x slower (relation "out" fwd 270×1×50)
  auto into = [&](auto&& c, const auto& a, const auto& b) {
    if (s_.accumulate) c.noalias() += a * b; else c.noalias() = a * b;
  };
  auto product = [&](const auto& a, const auto& b) {
    if (s_.ldc == s_.N) into(MatMap<T>(C, s_.M, s_.N), a, b);
    else into(Strided<T>(C, s_.M, s_.N, Eigen::OuterStride<>(s_.ldc)), a, b);
  };
  auto with_b = [&](const auto& a) {
    if (s_.b_transposed) product(a, ConstStrided<T>(B, s_.N, s_.K, Eigen::OuterStride<>(s_.ldb)).transpose());
    else product(a, ConstStrided<T>(B, s_.K, s_.N, Eigen::OuterStride<>(s_.ldb)));
  };
  if (s_.a_transposed) with_b(ConstStrided<T>(A, s_.K, s_.M, Eigen::OuterStride<>(s_.lda)).transpose());
  else with_b(ConstStrided<T>(A, s_.M, s_.K, Eigen::OuterStride<>(s_.lda)));
}

template <class T>
LinearKernels<T>::LinearKernels(const LinearKernelShape& s, int max_batch) : s_(s) {
  if (s_.ldw == 0) s_.ldw = s_.C;
  plans_.reserve(4);  // the largest batch, the training batch and the test set
  plan(max_batch);
}

template <class T>
typename LinearKernels<T>::Plan& LinearKernels<T>::plan(int B) {
  for (Plan& p : plans_)
    if (p.B == B) return p;
  const int C = s_.C, OC = s_.OC, ldw = s_.ldw;
  plans_.push_back(
      {B,
       // out (B, OC) = inp (B, C) W^T (W stored (OC, C))
       Gemm<T>({.M = B, .N = OC, .K = C, .b_transposed = true, .accumulate = s_.accumulate_out, .ldb = ldw}),
       // dinp (B, C) = dout (B, OC) W (OC, C)
       Gemm<T>({.M = B, .N = C, .K = OC, .accumulate = s_.accumulate_input, .ldb = ldw}),
       // dW (OC, C) += dout^T (stored (B, OC)) inp (B, C)
       Gemm<T>({.M = OC, .N = C, .K = B, .a_transposed = true, .accumulate = true, .ldc = ldw})});
  return plans_.back();
}

template class Gemm<float>;
template class Gemm<double>;
template class LinearKernels<float>;
template class LinearKernels<double>;

}  // namespace geneft
