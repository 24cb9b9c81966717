#pragma once
// An L1 penalty lambda * mean |w| over one parameter group, added to the training loss (Liu et
// al. 2022, arXiv:2205.10343, Fig. 5d: 1e-3 * mean |E| on the embeddings, as their
// toy/Figure5d_permutation.ipynb trains it).
#include <cmath>
#include <cstddef>

namespace geneft {

// param is (n); the penalty's value
template <class T>
double l1_penalty_forward(const T* param, size_t n, double lambda) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += std::abs(double(param[i]));
  return n ? lambda * s / double(n) : 0.0;
}

// grad and param are (n); accumulates lambda * sign(w) / n (sign(0) = 0, as PyTorch's |w|)
template <class T>
void l1_penalty_backward(T* grad, const T* param, size_t n, double lambda) {
  const T g = T(lambda / double(n));
  for (size_t i = 0; i < n; ++i) grad[i] += param[i] > 0 ? g : param[i] < 0 ? -g : T(0);
}

}  // namespace geneft
