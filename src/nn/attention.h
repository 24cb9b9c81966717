#pragma once
// Causal multi-head self-attention read at the last position, without biases (Nanda et al.
// 2023, sec. 3 and their code): the last position attends to every position 0..T-1, so the
// causal mask never hides anything there, and only its query is needed.
// Head h owns columns h*dh .. h*dh+dh-1 of q, k, v and z (W_Q as (H, dh, d) flattened).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "nn/tensor.h"

namespace geneft {

template <class T>
using ConstStridedMap = Eigen::Map<const MatrixRM<T>, 0, Eigen::OuterStride<>>;
template <class T>
using StridedMap = Eigen::Map<MatrixRM<T>, 0, Eigen::OuterStride<>>;

// x is (B, T, d); W_Q, W_K, W_V are (HD, d) with HD = H*dh;
// q is (B, HD) from the last position, k and v are (B, T, HD)
template <class T>
void qkv_forward(T* q, T* k, T* v, const T* x, const T* W_Q, const T* W_K, const T* W_V, int B, int Tn, int d,
                 int HD) {
  ConstMatMap<T> xs(x, size_t(B) * Tn, d);
  ConstStridedMap<T> last(x + size_t(Tn - 1) * d, B, d, Eigen::OuterStride<>(Tn * d));
  MatMap<T>(q, B, HD).noalias() = last * ConstMatMap<T>(W_Q, HD, d).transpose();
  MatMap<T>(k, size_t(B) * Tn, HD).noalias() = xs * ConstMatMap<T>(W_K, HD, d).transpose();
  MatMap<T>(v, size_t(B) * Tn, HD).noalias() = xs * ConstMatMap<T>(W_V, HD, d).transpose();
}

// dq is (B, HD), dk and dv are (B, T, HD); accumulates dW_Q, dW_K, dW_V (HD, d); writes dx (B, T, d)
template <class T>
void qkv_backward(T* dx, T* dW_Q, T* dW_K, T* dW_V, const T* dq, const T* dk, const T* dv, const T* x,
                  const T* W_Q, const T* W_K, const T* W_V, int B, int Tn, int d, int HD) {
  const size_t BT = size_t(B) * Tn;
  ConstMatMap<T> xs(x, BT, d), gk(dk, BT, HD), gv(dv, BT, HD), gq(dq, B, HD);
  ConstStridedMap<T> last(x + size_t(Tn - 1) * d, B, d, Eigen::OuterStride<>(Tn * d));
  MatMap<T>(dW_Q, HD, d).noalias() += gq.transpose() * last;
  MatMap<T>(dW_K, HD, d).noalias() += gk.transpose() * xs;
  MatMap<T>(dW_V, HD, d).noalias() += gv.transpose() * xs;
  MatMap<T> g(dx, BT, d);
  g.noalias() = gk * ConstMatMap<T>(W_K, HD, d);
  g.noalias() += gv * ConstMatMap<T>(W_V, HD, d);
  StridedMap<T>(dx + size_t(Tn - 1) * d, B, d, Eigen::OuterStride<>(Tn * d)).noalias() +=
      gq * ConstMatMap<T>(W_Q, HD, d);
}

// q is (B, HD), k and v are (B, T, HD); att is (B, H, T) = softmax_t(q.k_t / sqrt(dh)) per head;
// z is (B, HD) = sum_t att[t] v_t per head
template <class T>
void attention_forward(T* z, T* att, const T* q, const T* k, const T* v, int B, int Tn, int H, int dh) {
  const int HD = H * dh;
  const T scale = T(1) / std::sqrt(T(dh));
  for (size_t b = 0; b < size_t(B); ++b) {
    for (int h = 0; h < H; ++h) {
      const T* qh = q + b * HD + h * dh;
      T* a = att + (b * H + h) * Tn;
      T amax = -std::numeric_limits<T>::infinity();
      for (int t = 0; t < Tn; ++t) {
        const T* kh = k + (b * Tn + t) * HD + h * dh;
        T s = 0;
        for (int j = 0; j < dh; ++j) s += qh[j] * kh[j];
        a[t] = s * scale;
        amax = std::max(amax, a[t]);
      }
      T sum = 0;
      for (int t = 0; t < Tn; ++t) sum += (a[t] = std::exp(a[t] - amax));
      for (int t = 0; t < Tn; ++t) a[t] /= sum;
      T* zh = z + b * HD + h * dh;
      for (int j = 0; j < dh; ++j) zh[j] = 0;
      for (int t = 0; t < Tn; ++t) {
        const T* vh = v + (b * Tn + t) * HD + h * dh;
        for (int j = 0; j < dh; ++j) zh[j] += a[t] * vh[j];
      }
    }
  }
}

// dz is (B, HD); writes dq (B, HD), dk and dv (B, T, HD)
template <class T>
void attention_backward(T* dq, T* dk, T* dv, const T* dz, const T* att, const T* q, const T* k, const T* v, int B,
                        int Tn, int H, int dh) {
  const int HD = H * dh;
  const T scale = T(1) / std::sqrt(T(dh));
  for (size_t b = 0; b < size_t(B); ++b) {
    for (int h = 0; h < H; ++h) {
      const T* a = att + (b * H + h) * Tn;
      const T* gz = dz + b * HD + h * dh;
      auto datt = [&](int t) {  // d loss / d att[t] = dz . v_t
        const T* vh = v + (b * Tn + t) * HD + h * dh;
        T s = 0;
        for (int j = 0; j < dh; ++j) s += gz[j] * vh[j];
        return s;
      };
      T dot = 0;
      for (int t = 0; t < Tn; ++t) dot += a[t] * datt(t);
      const T* qh = q + b * HD + h * dh;
      T* gq = dq + b * HD + h * dh;
      for (int j = 0; j < dh; ++j) gq[j] = 0;
      for (int t = 0; t < Tn; ++t) {
        const T ds = a[t] * (datt(t) - dot) * scale;  // softmax backward, then the 1/sqrt(dh)
        const T* kh = k + (b * Tn + t) * HD + h * dh;
        T* gk = dk + (b * Tn + t) * HD + h * dh;
        T* gv = dv + (b * Tn + t) * HD + h * dh;
        for (int j = 0; j < dh; ++j) gq[j] += ds * kh[j], gk[j] = ds * qh[j], gv[j] = a[t] * gz[j];
      }
    }
  }
}

}  // namespace geneft
