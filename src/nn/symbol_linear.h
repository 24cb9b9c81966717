#pragma once
// The first decoder Linear applied to each symbol once instead of to each sample (issue 6's
// exact shortcut). For the sum, difference and concatenation combiners the first layer is
// linear in each embedding, so W [E_a, E_b] + c = (E Wa^T)[a] + (E Wb^T)[b] + c: with V
// symbols and B samples it costs V*OC*in multiply-adds instead of B*OC*in, and the same
// again in the backward. Equal to combiner_forward + linear_forward up to rounding.
#include <cstdint>

#include "nn/combiner.h"
#include "nn/tensor.h"

namespace geneft {

inline bool symbol_linear_applies(Combiner c) { return c != Combiner::SqDiff; }

// E is (V, d); W is (OC, in) with in = d (sum, diff) or 2d (concat); bias is (OC);
// Pa and Pb are (V, OC) scratch (Pb unused for sum, diff); a and b are (B); out is (B, OC)
template <class T>
void symbol_linear_forward(T* out, T* Pa, T* Pb, const T* E, const T* W, const T* bias, const int32_t* a,
                           const int32_t* b, int B, int V, int d, int OC, Combiner c) {
  const int in = combiner_width(c, d);
  ConstMatMap<T> e(E, V, d), w(W, OC, in);
  MatMap<T> pa(Pa, V, OC), pb(Pb, V, OC);
  pa.noalias() = e * w.leftCols(d).transpose();
  if (c == Combiner::Concat) pb.noalias() = e * w.rightCols(d).transpose();
  const T* Q = c == Combiner::Concat ? Pb : Pa;
  const T sign = c == Combiner::Diff ? T(-1) : T(1);
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* ra = Pa + size_t(a[i]) * OC;
    const T* rb = Q + size_t(b[i]) * OC;
    T* o = out + i * OC;
    for (int j = 0; j < OC; ++j) o[j] = ra[j] + sign * rb[j] + bias[j];
  }
}

// dout is (B, OC); accumulates dW (OC, in), dbias (OC) and dE (V, d);
// dPa and dPb are (V, OC) scratch
template <class T>
void symbol_linear_backward(T* dE, T* dW, T* dbias, T* dPa, T* dPb, const T* dout, const T* E, const T* W,
                            const int32_t* a, const int32_t* b, int B, int V, int d, int OC, Combiner c) {
  const int in = combiner_width(c, d);
  MatMap<T> gpa(dPa, V, OC), gpb(dPb, V, OC);
  gpa.setZero();
  if (c == Combiner::Concat) gpb.setZero();
  T* dQ = c == Combiner::Concat ? dPb : dPa;
  const T sign = c == Combiner::Diff ? T(-1) : T(1);
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* g = dout + i * OC;
    T* ra = dPa + size_t(a[i]) * OC;
    T* rb = dQ + size_t(b[i]) * OC;
    for (int j = 0; j < OC; ++j) ra[j] += g[j], rb[j] += sign * g[j], dbias[j] += g[j];
  }
  ConstMatMap<T> e(E, V, d), w(W, OC, in);
  MatMap<T> dw(dW, OC, in), de(dE, V, d);
  dw.leftCols(d).noalias() += gpa.transpose() * e;
  de.noalias() += gpa * w.leftCols(d);
  if (c == Combiner::Concat) {
    dw.rightCols(d).noalias() += gpb.transpose() * e;
    de.noalias() += gpb * w.rightCols(d);
  }
}

}  // namespace geneft
