#pragma once
// The first decoder Linear applied to each symbol once instead of to each sample (issue 6's
// exact shortcut). For the sum, difference and concatenation combiners the first layer is
// linear in each embedding, so W [E_a, E_b] + c = (E Wa^T)[a] + (E Wb^T)[b] + c: with V
// symbols and B samples it costs V*OC*in multiply-adds instead of B*OC*in, and the same
// again in the backward. Equal to combiner_forward + linear_forward up to rounding.
#include <algorithm>
#include <cstdint>

#include "nn/combiner.h"
#include "nn/linear.h"

namespace geneft {

// sqdiff and matmul are not linear in each embedding apart
inline bool symbol_linear_applies(Combiner c) { return c != Combiner::SqDiff && c != Combiner::MatMul; }

// The products' kernels (nn/gemm.h): ka for E (V, d) against W's first d columns (row stride
// in), kb against its last d (concat only), each with accumulate_input (dE accumulates).
template <class T>
struct SymbolLinearKernels {
  LinearKernels<T> a, b;
  SymbolLinearKernels(int V, int d, int OC, Combiner c)
      : a({.C = d, .OC = OC, .ldw = combiner_width(c, d), .accumulate_input = true}, V),
        b(c == Combiner::Concat ? LinearKernels<T>({.C = d, .OC = OC, .ldw = 2 * d, .accumulate_input = true}, V)
                                : LinearKernels<T>()) {}
};

// E is (V, d); W is (OC, in) with in = d (sum, diff) or 2d (concat); bias is (OC);
// Pa and Pb are (V, OC) scratch (Pb unused for sum, diff); a and b are (B); out is (B, OC)
template <class T>
void symbol_linear_forward(SymbolLinearKernels<T>& k, T* out, T* Pa, T* Pb, const T* E, const T* W, const T* bias,
                           const int32_t* a, const int32_t* b, int B, int V, int d, int OC, Combiner c) {
  k.a.forward(Pa, E, W, V);
  if (c == Combiner::Concat) k.b.forward(Pb, E, W + d, V);
  const T* Q = c == Combiner::Concat ? Pb : Pa;
  const T sign = c == Combiner::Diff ? T(-1) : T(1);
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* ra = Pa + size_t(a[i]) * OC;
    const T* rb = Q + size_t(b[i]) * OC;
    T* o = out + i * OC;
    for (int j = 0; j < OC; ++j) o[j] = ra[j] + sign * rb[j] + bias[j];
  }
}

// dout is (B, OC); accumulates dW (OC, in), dbias (OC, unless null: the caller has it) and
// dE (V, d); dPa and dPb are (V, OC) scratch
template <class T>
void symbol_linear_backward(SymbolLinearKernels<T>& k, T* dE, T* dW, T* dbias, T* dPa, T* dPb, const T* dout,
                            const T* E, const T* W, const int32_t* a, const int32_t* b, int B, int V, int d, int OC,
                            Combiner c) {
  std::fill_n(dPa, size_t(V) * OC, T(0));
  if (c == Combiner::Concat) std::fill_n(dPb, size_t(V) * OC, T(0));
  T* dQ = c == Combiner::Concat ? dPb : dPa;
  const T sign = c == Combiner::Diff ? T(-1) : T(1);
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* g = dout + i * OC;
    T* ra = dPa + size_t(a[i]) * OC;
    T* rb = dQ + size_t(b[i]) * OC;
    for (int j = 0; j < OC; ++j) ra[j] += g[j], rb[j] += sign * g[j];
  }
  if (dbias) bias_backward(dbias, dout, B, OC);
  k.a.backward_weight(dW, dPa, E, V);
  k.a.backward_input(dE, dPa, W, V);
  if (c == Combiner::Concat) {
    k.b.backward_weight(dW + d, dPb, E, V);
    k.b.backward_input(dE, dPb, W + d, V);
  }
}

}  // namespace geneft
