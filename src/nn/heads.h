#pragma once
// Output heads: each has a forward that returns the summed loss and the number of correct
// predictions, and a backward that writes d(mean loss)/d(out).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/named.h"

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

// logits is (B, C); labels (B) in 0..C-1; prediction = argmax
template <class T>
HeadStats cross_entropy_forward(const T* logits, const int32_t* labels, int B, int C) {
  HeadStats s;
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* z = logits + i * C;
    int best = 0;
    for (int c = 1; c < C; ++c)
      if (z[c] > z[best]) best = c;
    double sum = 0;
    for (int c = 0; c < C; ++c) sum += std::exp(double(z[c]) - double(z[best]));
    s.loss_sum += std::log(sum) + double(z[best]) - double(z[labels[i]]);
    s.correct += best == labels[i];
  }
  return s;
}

// dlogits = (softmax(logits) - onehot(label)) / B
template <class T>
void cross_entropy_backward(T* dlogits, const T* logits, const int32_t* labels, int B, int C) {
  for (size_t i = 0; i < size_t(B); ++i) {
    const T* z = logits + i * C;
    T* g = dlogits + i * C;
    T zmax = z[0];
    for (int c = 1; c < C; ++c) zmax = std::max(zmax, z[c]);
    T sum = 0;
    for (int c = 0; c < C; ++c) sum += (g[c] = std::exp(z[c] - zmax));
    for (int c = 0; c < C; ++c) g[c] = g[c] / sum / T(B);
    g[labels[i]] -= T(1) / T(B);
  }
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

// mse_forward's loss_sum without the nearest-target search (training steps need no accuracy)
template <class T>
double mse_loss(const T* out, const T* targets, const int32_t* labels, int B, int D) {
  double loss_sum = 0;
  for (size_t i = 0; i < size_t(B); ++i) loss_sum += squared_distance(out + i * D, targets + size_t(labels[i]) * D, D) / D;
  return loss_sum;
}

template <class T>
void mse_backward(T* dout, const T* out, const T* targets, const int32_t* labels, int B, int D) {
  const T scale = T(2) / (T(B) * T(D));
  for (size_t i = 0; i < size_t(B); ++i)
    for (int j = 0; j < D; ++j)
      dout[i * D + j] = scale * (out[i * D + j] - targets[size_t(labels[i]) * D + j]);
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

// dout = 2 (out - y) / (B*D)
template <class T>
void regression_backward(T* dout, const T* out, const T* y, int B, int D) {
  const T scale = T(2) / (T(B) * T(D));
  for (size_t i = 0; i < size_t(B) * D; ++i) dout[i] = scale * (out[i] - y[i]);
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

// dlogit = (sigmoid(logit) - label) / B
template <class T>
void binary_backward(T* dlogit, const T* logit, const int32_t* labels, int B) {
  for (int i = 0; i < B; ++i) dlogit[i] = (T(1) / (T(1) + std::exp(-logit[i])) - T(labels[i])) / T(B);
}

}  // namespace geneft
