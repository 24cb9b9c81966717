#pragma once
#include <cmath>
#include <string>

#include "core/named.h"

#include "nn/tensor.h"

namespace geneft {

enum class Activation { Tanh, Relu, Gelu, Silu };

inline Activation activation_named(const std::string& name) {
  static const std::pair<const char*, Activation> table[] = {
      {"tanh", Activation::Tanh}, {"relu", Activation::Relu}, {"gelu", Activation::Gelu}, {"silu", Activation::Silu}};
  return lookup_name(table, name, "model.activation");
}

// inp and out are (N) elementwise; gelu is the exact erf form (PyTorch's default)
template <class T>
void activation_forward(T* out, const T* inp, size_t N, Activation act) {
  switch (act) {
    case Activation::Tanh:  // Eigen's tanh is vectorized (a rational approximation for float)
      VecMap<T>(out, N).array() = ConstVecMap<T>(inp, N).array().tanh();
      break;
    case Activation::Relu:
      for (size_t i = 0; i < N; ++i) out[i] = inp[i] > T(0) ? inp[i] : T(0);
      break;
    case Activation::Gelu:
      for (size_t i = 0; i < N; ++i) out[i] = T(0.5) * inp[i] * (T(1) + std::erf(inp[i] * T(M_SQRT1_2)));
      break;
    case Activation::Silu:
      VecMap<T>(out, N).array() = ConstVecMap<T>(inp, N).array() / (T(1) + (-ConstVecMap<T>(inp, N).array()).exp());
      break;
  }
}

// dinp = dout * f'(inp); out = f(inp) from the forward pass
template <class T>
void activation_backward(T* dinp, const T* dout, const T* inp, const T* out, size_t N, Activation act) {
  switch (act) {
    case Activation::Tanh:
      for (size_t i = 0; i < N; ++i) dinp[i] = dout[i] * (T(1) - out[i] * out[i]);
      break;
    case Activation::Relu:
      for (size_t i = 0; i < N; ++i) dinp[i] = inp[i] > T(0) ? dout[i] : T(0);
      break;
    case Activation::Gelu: {
      const T inv_sqrt_2pi = T(0.3989422804014327);
      for (size_t i = 0; i < N; ++i) {
        const T x = inp[i];
        const T cdf = T(0.5) * (T(1) + std::erf(x * T(M_SQRT1_2)));
        dinp[i] = dout[i] * (cdf + x * inv_sqrt_2pi * std::exp(T(-0.5) * x * x));
      }
      break;
    }
    case Activation::Silu:
      for (size_t i = 0; i < N; ++i) {
        const T s = T(1) / (T(1) + std::exp(-inp[i]));
        dinp[i] = dout[i] * s * (T(1) + inp[i] * (T(1) - s));
      }
      break;
  }
}

}  // namespace geneft
