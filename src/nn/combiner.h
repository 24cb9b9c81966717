#pragma once
#include <cstddef>
#include <string>

#include "core/named.h"

namespace geneft {

enum class Combiner { Sum, Concat, Diff, SqDiff };

inline Combiner combiner_named(const std::string& name) {
  static const std::pair<const char*, Combiner> table[] = {
      {"sum", Combiner::Sum}, {"concat", Combiner::Concat}, {"diff", Combiner::Diff}, {"sqdiff", Combiner::SqDiff}};
  return lookup_name(table, name, "model.combiner");
}

inline int combiner_width(Combiner c, int d) { return c == Combiner::Concat ? 2 * d : d; }

// ea and eb are (B, d); x is (B, d), or (B, 2d) for concat
template <class T>
void combiner_forward(T* x, const T* ea, const T* eb, int B, int d, Combiner c) {
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
      }
    }
  }
}

// dx is shaped like x; writes dea and deb (B, d)
template <class T>
void combiner_backward(T* dea, T* deb, const T* dx, const T* ea, const T* eb, int B, int d, Combiner c) {
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
      }
    }
  }
}

}  // namespace geneft
