#pragma once
// Training on a sphere (Liu, Michaud, Tegmark 2022, "Omnigrok", arXiv:2210.01117, Sec. 2): after
// each optimizer step the chosen parameters are rescaled, w <- w * ||w_0|| / ||w||, so that their
// L2 norm (of all chosen groups together) stays at its initial value ||w_0||.
#include <cmath>
#include <cstddef>
#include <vector>

namespace geneft {

// Sum of squares in double, whatever T.
template <class T>
double squared_norm(const T* v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(v[i]) * double(v[i]);
  return s;
}

template <class T>
class NormProjection {
 public:
  struct Span {
    T* data;
    size_t size;
  };
  NormProjection() = default;  // projects nothing
  // Remembers the joint norm of `spans` now as the radius to keep.
  explicit NormProjection(std::vector<Span> spans) : spans_(std::move(spans)), radius_(std::sqrt(squared())) {}

  // Rescales the spans back to the radius (no-op for none, or a zero radius).
  void apply() {
    if (spans_.empty() || radius_ == 0) return;
    const double norm = std::sqrt(squared());
    if (!(norm > 0)) return;  // zero or NaN: the divergence check reports it
    const T scale = T(radius_ / norm);
    for (const Span& s : spans_)
      for (size_t i = 0; i < s.size; ++i) s.data[i] *= scale;
  }
  double radius() const { return radius_; }

 private:
  double squared() const {
    double s = 0;
    for (const Span& sp : spans_) s += squared_norm(sp.data, sp.size);
    return s;
  }
  std::vector<Span> spans_;
  double radius_ = 0;
};

}  // namespace geneft
