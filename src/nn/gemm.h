#pragma once
// The numeric core's small matrix products, planned once per shape. With libxsmm (Debian's
// libxsmm-dev; CMake option GENEFT_LIBXSMM) each product is a JIT kernel generated for its
// exact M, N, K when the plan is made, so the step only calls it; without libxsmm, or where it
// builds no kernel, the same product runs through Eigen.
//
// Row-major throughout. libxsmm is column-major, so C = A B runs as C^T = B^T A^T with the
// operands swapped; libxsmm 1.17 builds no float kernel whose first operand is transposed,
// so a product with a transposed right operand (A B^T, the Linear forward) takes a
// transposed copy of B (LinearKernels keeps one, made once per forward). A transposed left
// operand (dW = dout^T inp) is libxsmm's TRANS_B kernel, run over K in blocks of 32 rows: one
// kernel over the whole batch (K = B in the thousands) ran at a third of the blocked rate
// (bench/gemm_shapes, docs/performance.md).
#include <vector>

#include "nn/tensor.h"

namespace geneft {

// Whether the build uses libxsmm (false: Eigen for every product).
bool gemm_uses_libxsmm();

// C (M, N) = A B, or C += A B when accumulate; A is (M, K), or stored (K, M) when
// a_transposed; B is (K, N). lda, ldb, ldc: row strides (0: dense).
struct GemmShape {
  int M, N, K;
  bool a_transposed = false, accumulate = false;
  int lda = 0, ldb = 0, ldc = 0;
};

template <class T>
class Gemm {
 public:
  Gemm() = default;
  explicit Gemm(const GemmShape& s);  // dispatches the kernel: the only costly call
  void operator()(const T* A, const T* B, T* C) const;
  bool jit() const { return kernel_ != nullptr; }

 private:
  GemmShape s_{};
  void* kernel_ = nullptr;  // libxsmm's kernel (for K, or for one block of K), or null for Eigen
  void* tail_ = nullptr;    // blocked: the kernel for the last K % block rows
  int block_ = 0;           // blocked over K (a_transposed, accumulate): rows per block, else 0
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
  LinearKernels() = default;
  LinearKernels(const LinearKernelShape& s, int max_batch);
  void forward(T* out, const T* inp, const T* W, int B);
  void backward_input(T* dinp, const T* dout, const T* W, int B);
  void backward_weight(T* dW, const T* dout, const T* inp, int B);

 private:
  struct Plan {
    int B;
    Gemm<T> fwd, dinp, dW;
  };
  const Plan& plan(int B);
  LinearKernelShape s_{};
  std::vector<Plan> plans_;
  Buffer<T> Wt_;  // W^T (C, OC) for the forward through libxsmm
};

}  // namespace geneft
