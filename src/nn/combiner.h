#pragma once
#include <cmath>
#include <cstddef>
#include <string>

#include <Eigen/Core>

#include "core/named.h"

namespace geneft {

// matmul: each d = k*k embedding read as a k x k matrix (row-major), the decoder fed E_a E_b
// (Liu et al. 2022, arXiv:2205.10343, Fig. 5d: the permutation group's own product).
enum class Combiner { Sum, Concat, Diff, SqDiff, MatMul };

inline Combiner combiner_named(const std::string& name) {
  static const std::pair<const char*, Combiner> table[] = {
      {"sum", Combiner::Sum}, {"concat", Combiner::Concat}, {"diff", Combiner::Diff}, {"sqdiff", Combiner::SqDiff},
      {"matmul", Combiner::MatMul}};
  return lookup_name(table, name, "model.combiner");
}

inline int combiner_width(Combiner c, int d) { return c == Combiner::Concat ? 2 * d : d; }

// The side k of the matmul combiner's k x k matrices: d = k*k, or 0 when d is not a square.
inline int matrix_side(int d) {
  const int k = int(std::lround(std::sqrt(double(d))));
  return k * k == d ? k : 0;
}

template <class T>
using SquareMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
template <class T>
using ConstSquareMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

// ea and eb are (B, d); x is (B, d), or (B, 2d) for concat. matmul: ea, eb, x are (B, k, k)
template <class T>
void combiner_forward(T* x, const T* ea, const T* eb, int B, int d, Combiner c) {
  if (c == Combiner::MatMul) {
    const int k = matrix_side(d);
    for (size_t i = 0; i < size_t(B); ++i)
      SquareMap<T>(x + i * d, k, k).noalias() = ConstSquareMap<T>(ea + i * d, k, k) * ConstSquareMap<T>(eb + i * d, k, k);
    return;
  }
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* pa = ea + i * d;
    const T* pb = eb + i * d;
    T* px = x + i * combiner_width(c, d);
    for (int j = 0; j < d; ++j) {
      switch (c) {
        case Combiner::Sum: px[j] = pa[j] + pb[j]; break;
        case Combiner::Concat: px[j] = pa[j], px[d + j] = pb[j]; break;
        case Combiner::Diff: px[j] = pa[j] - pb[j]; break;
        case Combiner::SqDiff: px[j] = (pa[j] - pb[j]) * (pa[j] - pb[j]); break;
        case Combiner::MatMul: break;  // above
      }
    }
  }
}

// dx is shaped like x; writes dea and deb (B, d), the per-sample scratch that
// embedding_backward then accumulates into the embedding's gradient.
// matmul: X = A B, so dA = dX B^T and dB = A^T dX, each (k, k)
template <class T>
void combiner_backward(T* dea, T* deb, const T* dx, const T* ea, const T* eb, int B, int d, Combiner c) {
  if (c == Combiner::MatMul) {
    const int k = matrix_side(d);
    for (size_t i = 0; i < size_t(B); ++i) {
      const ConstSquareMap<T> A(ea + i * d, k, k), Bm(eb + i * d, k, k), G(dx + i * d, k, k);
      SquareMap<T>(dea + i * d, k, k).noalias() = G * Bm.transpose();
      SquareMap<T>(deb + i * d, k, k).noalias() = A.transpose() * G;
    }
    return;
  }
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* g = dx + i * combiner_width(c, d);
    T* ga = dea + i * d;
    T* gb = deb + i * d;
    for (int j = 0; j < d; ++j) {
      switch (c) {
        case Combiner::Sum: ga[j] = g[j], gb[j] = g[j]; break;
        case Combiner::Concat: ga[j] = g[j], gb[j] = g[d + j]; break;
        case Combiner::Diff: ga[j] = g[j], gb[j] = -g[j]; break;
        case Combiner::SqDiff: {
          const T t = T(2) * (ea[i * d + j] - eb[i * d + j]) * g[j];
          ga[j] = t, gb[j] = -t;
          break;
        }
        case Combiner::MatMul: break;  // above
      }
    }
  }
}

}  // namespace geneft
