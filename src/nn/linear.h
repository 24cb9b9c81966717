#pragma once
#include "nn/tensor.h"

namespace geneft {

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

}  // namespace geneft
