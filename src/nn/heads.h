#pragma once
// Output heads: each has a forward that returns the summed loss and the number of correct
// predictions, and a backward that writes d(mean loss)/d(out).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/named.h"
#include "nn/tensor.h"

namespace geneft {

enum class Head { CrossEntropy, Mse, Binary, Regression };

inline Head head_named(const std::string& name) {
  static const std::pair<const char*, Head> table[] = {
      {"cross_entropy", Head::CrossEntropy}, {"mse", Head::Mse}, {"mse_onehot", Head::Mse},
      {"binary", Head::Binary}, {"regression", Head::Regression}};
  return lookup_name(table, name, "model.head");
}

struct HeadStats {
  double loss_sum = 0;  // summed over samples (mean = loss_sum / B)
  int64_t correct = 0;
};

// sum_c exp(z[c] - zmax) of one row of C logits, zmax = max_c z[c] taken out first (no
// overflow); writes the exponentials into e (C) when e is not null. Vectorized (Eigen's exp).
template <class T>
T row_exp_sum(const T* z, T* e, int C, T& zmax) {
  const auto row = ConstVecMap<T>(z, C).array();
  zmax = row.maxCoeff();
  if (!e) return (row - zmax).exp().sum();
  auto out = VecMap<T>(e, C).array();
  out = (row - zmax).exp();
  return out.sum();
}

// logits is (B, C); labels (B) in 0..C-1; prediction = argmax (the first of equal maxima)
template <class T>
HeadStats cross_entropy_forward(const T* logits, const int32_t* labels, int B, int C) {
  HeadStats s;
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* z = logits + i * C;
    T zmax;
    const T sum = row_exp_sum<T>(z, nullptr, C, zmax);
    s.loss_sum += std::log(double(sum)) + double(zmax) - double(z[labels[i]]);
    int best = 0;
    for (int c = 1; c < C; ++c)
      if (z[c] > z[best]) best = c;
    s.correct += best == labels[i];
  }
  return s;
}

// The training step's head in one pass per row: returns the summed loss and writes dlogits =
// (softmax(logits) - onehot(label)) / B, the softmax from the same exponentials as the
// log-sum-exp.
template <class T>
double cross_entropy_loss_backward(T* dlogits, const T* logits, const int32_t* labels, int B, int C) {
  double loss_sum = 0;
  const T inv_B = T(1) / T(B);
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* z = logits + i * C;
    T* g = dlogits + i * C;
    T zmax;
    const T sum = row_exp_sum(z, g, C, zmax);  // g = exp(z - max)
    loss_sum += std::log(double(sum)) + double(zmax) - double(z[labels[i]]);
    VecMap<T>(g, C) *= inv_B / sum;
    g[labels[i]] -= inv_B;
  }
  return loss_sum;
}

// dlogits = (softmax(logits) - onehot(label)) / B
template <class T>
void cross_entropy_backward(T* dlogits, const T* logits, const int32_t* labels, int B, int C) {
  cross_entropy_loss_backward(dlogits, logits, labels, B, C);
}

// out is (B, D); targets is (K, D), one fixed vector per class; loss is mean over B*D elements
// (PyTorch's MSELoss, as in Liu et al. 2022); prediction = nearest target
template <class T>
double squared_distance(const T* y, const T* target, int D) {
  double dist = 0;
  for (int j = 0; j < D; ++j) {
    const double e = double(y[j]) - double(target[j]);
    dist += e * e;
  }
  return dist;
}

template <class T>
HeadStats mse_forward(const T* out, const T* targets, const int32_t* labels, int B, int D, int K) {
  HeadStats s;
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* y = out + i * D;
    double best_dist = std::numeric_limits<double>::infinity();
    int best = -1;
    for (int k = 0; k < K; ++k) {
      const double dist = squared_distance(y, targets + size_t(k) * D, D);
      if (k == labels[i]) s.loss_sum += dist / D;
      if (dist < best_dist) best_dist = dist, best = k;
    }
    s.correct += best == labels[i];
  }
  return s;
}

// A training step's mse head: mse_forward's loss_sum without the nearest-target search (a step
// needs no accuracy), and dout = 2 (out - target) / (B*D) written in the same pass.
template <class T>
double mse_loss_backward(T* dout, const T* out, const T* targets, const int32_t* labels, int B, int D) {
  const T scale = T(2) / (T(B) * T(D));
  double loss_sum = 0;
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* target = targets + size_t(labels[i]) * D;
    double dist = 0;
    for (int j = 0; j < D; ++j) {
      const double e = double(out[i * D + j]) - double(target[j]);  // the loss in double, as mse_forward's
      dist += e * e;
      dout[i * D + j] = scale * (out[i * D + j] - target[j]);
    }
    loss_sum += dist / D;
  }
  return loss_sum;
}

// dout = 2 (out - target) / (B*D)
template <class T>
void mse_backward(T* dout, const T* out, const T* targets, const int32_t* labels, int B, int D) {
  mse_loss_backward(dout, out, targets, labels, B, D);
}

// out and y are (B, D), y each sample's own target (a regression task); loss is the mean over
// B*D elements (PyTorch's MSELoss). A sample is correct when its squared error, averaged over the
// D outputs, is below 1e-3: the teacher-student "accuracy" of Omnigrok (Liu, Michaud, Tegmark
// 2022, the authors' regression_grokking notebook).
constexpr double kRegressionCorrect = 1e-3;
template <class T>
HeadStats regression_forward(const T* out, const T* y, int B, int D) {
  HeadStats s;
  for (size_t i = 0; i < size_t(B); ++i) {
    double sq = 0;
    for (int j = 0; j < D; ++j) {
      const double e = double(out[i * D + j]) - double(y[i * D + j]);
      sq += e * e;
    }
    s.loss_sum += sq / D;
    s.correct += sq / D < kRegressionCorrect;
  }
  return s;
}

// A training step's regression head: regression_forward's loss_sum, and dout = 2 (out - y) / (B*D)
// written in the same pass.
template <class T>
double regression_loss_backward(T* dout, const T* out, const T* y, int B, int D) {
  const T scale = T(2) / (T(B) * T(D));
  double sq = 0;
  for (size_t i = 0; i < size_t(B) * D; ++i) {
    const double e = double(out[i]) - double(y[i]);
    sq += e * e;
    dout[i] = scale * (out[i] - y[i]);
  }
  return sq / D;
}

// dout = 2 (out - y) / (B*D)
template <class T>
void regression_backward(T* dout, const T* out, const T* y, int B, int D) {
  regression_loss_backward(dout, out, y, B, D);
}

// logit is (B); labels in {0, 1}; binary cross-entropy with logits; prediction = logit > 0
template <class T>
HeadStats binary_forward(const T* logit, const int32_t* labels, int B) {
  HeadStats s;
  for (int i = 0; i < B; ++i) {
    const double x = logit[i], y = labels[i];
    s.loss_sum += std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::abs(x)));
    s.correct += (x > 0) == (labels[i] == 1);
  }
  return s;
}

// A training step's binary head: binary_forward's loss_sum, and dlogit = (sigmoid(logit) - label)
// / B, both from one exponential e = exp(-|x|) per sample (vectorized): sigmoid(x) = 1 / (1 + e)
// for x >= 0, e / (1 + e) below.
template <class T>
double binary_loss_backward(T* dlogit, const T* logit, const int32_t* labels, int B) {
  VecMap<T>(dlogit, B).array() = (-ConstVecMap<T>(logit, B).array().abs()).exp();
  const T inv_B = T(1) / T(B);
  double loss_sum = 0;
  for (int i = 0; i < B; ++i) {
    const T x = logit[i], e = dlogit[i], y = T(labels[i]);
    loss_sum += std::max(double(x), 0.0) - double(x) * double(y) + std::log1p(double(e));
    dlogit[i] = ((x >= T(0) ? T(1) : e) / (T(1) + e) - y) * inv_B;
  }
  return loss_sum;
}

// dlogit = (sigmoid(logit) - label) / B
template <class T>
void binary_backward(T* dlogit, const T* logit, const int32_t* labels, int B) {
  binary_loss_backward(dlogit, logit, labels, B);
}

}  // namespace geneft
