#pragma once
#include <algorithm>

#include "nn/activation.h"
#include "nn/gemm.h"
#include "nn/tensor.h"

namespace geneft {

// The plain Linear through Eigen (the SLT models and the tests' references).
// inp is (B, C), W is (OC, C), bias is (OC) or null (no bias), out is (B, OC)
template <class T>
void linear_forward(T* out, const T* inp, const T* W, const T* bias, int B, int C, int OC) {
  MatMap<T> o(out, B, OC);
  o.noalias() = ConstMatMap<T>(inp, B, C) * ConstMatMap<T>(W, OC, C).transpose();
  if (bias) o.rowwise() += ConstVecMap<T>(bias, OC).transpose();
}

// dout is (B, OC); accumulates dW (OC, C) and dbias (OC) unless null; writes dinp (B, C) unless null
template <class T>
void linear_backward(T* dinp, T* dW, T* dbias, const T* dout, const T* inp, const T* W, int B, int C, int OC) {
  ConstMatMap<T> g(dout, B, OC);
  MatMap<T>(dW, OC, C).noalias() += g.transpose() * ConstMatMap<T>(inp, B, C);
  if (dbias) VecMap<T>(dbias, OC) += g.colwise().sum().transpose();
  if (dinp) MatMap<T>(dinp, B, C).noalias() = g * ConstMatMap<T>(W, OC, C);
}

// The models' Linear through planned kernels (nn/gemm.h), with what follows the product fused
// into one pass over each output row while it is in cache.

// out (B, OC) = inp (B, C) W^T + bias (bias (OC) or null)
template <class T>
void linear_forward(LinearKernels<T>& k, T* out, const T* inp, const T* W, const T* bias, int B, int OC) {
  k.forward(out, inp, W, B);
  if (bias)
    for (size_t i = 0; i < size_t(B); ++i) VecMap<T>(out + i * OC, OC) += ConstVecMap<T>(bias, OC);
}

// pre (B, OC) = inp (B, C) W^T + bias, post (B, OC) = act(pre). Bias and activation go over
// blocks of rows of about 2,048 elements: in cache, and long enough that the vectorized
// activation is not dominated by its call (rows of 50 were, in the relation case's profile).
template <class T>
void linear_act_forward(LinearKernels<T>& k, T* pre, T* post, const T* inp, const T* W, const T* bias, int B, int OC,
                        Activation act) {
  k.forward(pre, inp, W, B);
  const size_t rows = std::max(1, 2048 / OC);
  for (size_t first = 0; first < size_t(B); first += rows) {
    const size_t end = std::min(size_t(B), first + rows);
    for (size_t i = first; i < end; ++i) VecMap<T>(pre + i * OC, OC) += ConstVecMap<T>(bias, OC);
    activation_forward(post + first * OC, pre + first * OC, (end - first) * OC, act);
  }
}

// dbias (N) += the column sums of dout (B, N), four rows per pass over dbias: a pass per row
// was bound by the latency of storing and reloading dbias (the relation case's profile)
template <class T>
void bias_backward(T* dbias, const T* dout, int B, int N) {
  auto row = [&](size_t i) { return ConstVecMap<T>(dout + i * N, N); };
  auto acc = VecMap<T>(dbias, N);
  size_t i = 0;
  for (; i + 4 <= size_t(B); i += 4) acc += (row(i) + row(i + 1)) + (row(i + 2) + row(i + 3));
  for (; i < size_t(B); ++i) acc += row(i);
}

// dpre (B, N) = dpost * act'(pre) (post = act(pre) from the forward); accumulates dbias (N) +=
// the column sums of dpre: the bias gradient of the Linear that produced pre. Over blocks of
// rows of about 2,048 elements, as the forward.
template <class T>
void activation_bias_backward(T* dpre, T* dbias, const T* dpost, const T* pre, const T* post, int B, int N,
                              Activation act) {
  const size_t rows = std::max(1, 2048 / N);
  for (size_t first = 0; first < size_t(B); first += rows) {
    const size_t n = std::min(size_t(B) - first, rows), o = first * N;
    activation_backward(dpre + o, dpost + o, pre + o, post + o, n * N, act);
    bias_backward(dbias, dpre + o, int(n), N);
  }
}

}  // namespace geneft
