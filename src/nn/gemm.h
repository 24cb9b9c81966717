#pragma once
// The numeric core's small matrix products, planned once per shape. Each product runs through
// one of three libraries, chosen when it is planned by gemm_backend_for (a rule of the shape
// alone, so two runs of one config on one build compute every product the same way and stay
// bit-for-bit reproducible):
//   - libxsmm (Debian's libxsmm-dev; CMake option GENEFT_LIBXSMM): a JIT kernel generated for
//     the exact M, N, K when the plan is made, so the step only calls it;
//   - OpenBLAS (Debian's libopenblas-pthread-dev, cblas_?gemm on one thread; GENEFT_OPENBLAS);
//   - Eigen, always there: the fallback, and the fastest for products with one output row or column.
//
// Row-major throughout. libxsmm is column-major, so C = A B runs as C^T = B^T A^T with the
// operands swapped; libxsmm 1.17 builds no float kernel whose first operand is transposed,
// so a product with a transposed right operand (A B^T, the Linear forward) multiplies by a
// transposed copy of B, made on every call (the Gemm keeps the buffer; OpenBLAS and Eigen take
// the transpose by flag and need none). A transposed left operand (dW = dout^T inp) is
// libxsmm's TRANS_B kernel, run over K in blocks of 32 rows: one kernel over the whole batch
// (K = B in the thousands) ran at a third of the blocked rate (bench/gemm_shapes,
// docs/performance.md).
#include <vector>

#include "nn/tensor.h"

namespace geneft {

enum class GemmBackend { Eigen, OpenBlas, Libxsmm };
const char* gemm_backend_name(GemmBackend b);
// Whether this build has the library (Eigen always).
bool gemm_backend_built(GemmBackend b);

// C (M, N) = A B, or C += A B when accumulate; A is (M, K), or stored (K, M) when
// a_transposed; B is (K, N), or stored (N, K) when b_transposed. lda, ldb, ldc: row strides
// of the matrices as stored (0: dense).
struct GemmShape {
  int M, N, K;
  bool a_transposed = false, b_transposed = false, accumulate = false;
  int lda = 0, ldb = 0, ldc = 0;
};

// The libraries a build (or a test) can choose from.
struct GemmBackends {
  bool openblas, libxsmm;
  static GemmBackends built();
};

// The library for a product of T (sizeof(T) = elem_bytes), by the shape alone (gemm.cpp says
// which measurement each case of the rule comes from).
GemmBackend gemm_backend_for(const GemmShape& s, int elem_bytes, GemmBackends have = GemmBackends::built());

template <class T>
class Gemm {
 public:
  Gemm() = default;
  explicit Gemm(const GemmShape& s) : Gemm(s, gemm_backend_for(s, sizeof(T))) {}
  // with this library; one that is not built falls back to Eigen, a libxsmm that builds no
  // kernel for the shape to OpenBLAS or Eigen (backend() says which runs)
  Gemm(const GemmShape& s, GemmBackend backend);
  // Not for two threads at once (a libxsmm forward writes its transposed copy of B): every run
  // and chain builds its own model.
  void operator()(const T* A, const T* B, T* C);
  GemmBackend backend() const { return backend_; }

 private:
  GemmShape s_{};
  GemmBackend backend_ = GemmBackend::Eigen;
  void* kernel_ = nullptr;  // libxsmm's kernel (for K, or for one block of K)
  void* tail_ = nullptr;    // blocked: the kernel for the last K % block rows
  int block_ = 0;           // blocked over K (a_transposed, accumulate): rows per block, else 0
  Buffer<T> Bt_;            // libxsmm with b_transposed: B^T (K, N), written by each call
};

// The three products of a Linear inp (B, C) -> out (B, OC) with W (OC, C) (row stride ldw),
// planned per batch size B at its first use (the model plans its largest batch at
// construction; training and evaluation each keep one size, so a step never plans):
//   forward        out = inp W^T     (out += with accumulate_out)
//   backward_input dinp = dout W     (dinp += with accumulate_input)
//   backward_weight dW += dout^T inp (dW with row stride ldw)
struct LinearKernelShape {
  int C, OC;
  int ldw = 0;  // 0: C
  bool accumulate_out = false, accumulate_input = false;
};

template <class T>
class LinearKernels {
 public:
  struct Plan {
    int B;
    Gemm<T> fwd, dinp, dW;
  };
  LinearKernels() = default;
  LinearKernels(const LinearKernelShape& s, int max_batch);
  void forward(T* out, const T* inp, const T* W, int B) { plan(B).fwd(inp, W, out); }
  void backward_input(T* dinp, const T* dout, const T* W, int B) { plan(B).dinp(dout, W, dinp); }
  void backward_weight(T* dW, const T* dout, const T* inp, int B) { plan(B).dW(dout, inp, dW); }
  Plan& plan(int B);

 private:
  LinearKernelShape s_{};
  std::vector<Plan> plans_;
};

}  // namespace geneft
