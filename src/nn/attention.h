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

// The attention proper reads its queries, keys and values as rows of three tables, so that
// the per-sample projections (q, k, v above: row b, and b*T + t) and the per-(token, position)
// ones (symbol_attention.h: row t*V + token) share one code and the symbol path copies no row.
// Qs (., HD), Ks and Vs (., HD); qrow (B): the row of sample b's query; kvrow (B, T): the row
// of its key and value at position t.
// att is (T, B*H), position-major so that the softmax runs vectorized over samples and heads:
//   att[t][b*H + h] = softmax_t(q_bh . k_bth / sqrt(dh)) (Vaswani et al. 2017, eq. 1);
// z is (B, HD) = sum_t att[t][b*H + h] v_bth per head.
template <class T>
void attention_forward(T* z, T* att, const T* Qs, const T* Ks, const T* Vs, const int32_t* qrow,
                       const int32_t* kvrow, int B, int Tn, int H, int dh) {
  const size_t HD = size_t(H) * dh, BH = size_t(B) * H;
  const T scale = T(1) / std::sqrt(T(dh));
  for (size_t b = 0; b < size_t(B); ++b) {  // the scores, head by head
    const T* q = Qs + size_t(qrow[b]) * HD;
    for (int t = 0; t < Tn; ++t) {
      const T* k = Ks + size_t(kvrow[b * Tn + t]) * HD;
      for (int h = 0; h < H; ++h)
        att[t * BH + b * H + h] = scale * ConstVecMap<T>(q + h * dh, dh).dot(ConstVecMap<T>(k + h * dh, dh));
    }
  }
  // softmax over t, elementwise over the B*H columns
  Eigen::Map<Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> a(att, Tn, BH);
  const Eigen::Array<T, 1, Eigen::Dynamic> amax = a.colwise().maxCoeff();
  a = (a.rowwise() - amax).exp();
  a.rowwise() /= a.colwise().sum();
  for (size_t b = 0; b < size_t(B); ++b) {  // z = att v
    T* zb = z + b * HD;
    for (int t = 0; t < Tn; ++t) {
      const T* v = Vs + size_t(kvrow[b * Tn + t]) * HD;
      for (int h = 0; h < H; ++h) {
        VecMap<T> zh(zb + h * dh, dh);
        const ConstVecMap<T> vh(v + h * dh, dh);
        if (t == 0) zh = att[b * H + h] * vh; else zh += att[t * BH + b * H + h] * vh;
      }
    }
  }
}

// dz is (B, HD); datt is scratch (T, B*H). Accumulates the rows' gradients into dQs, dKs, dVs
// (laid out as Qs, Ks, Vs; zero them first): a row read by several samples sums their gradients.
template <class T>
void attention_backward(T* dQs, T* dKs, T* dVs, T* datt, const T* dz, const T* att, const T* Qs, const T* Ks,
                        const T* Vs, const int32_t* qrow, const int32_t* kvrow, int B, int Tn, int H, int dh) {
  const size_t HD = size_t(H) * dh, BH = size_t(B) * H;
  const T scale = T(1) / std::sqrt(T(dh));
  for (size_t b = 0; b < size_t(B); ++b) {  // d loss / d att = dz . v; dv += att dz
    const T* gz = dz + b * HD;
    for (int t = 0; t < Tn; ++t) {
      const size_t row = size_t(kvrow[b * Tn + t]) * HD;
      for (int h = 0; h < H; ++h) {
        const ConstVecMap<T> gzh(gz + h * dh, dh);
        datt[t * BH + b * H + h] = gzh.dot(ConstVecMap<T>(Vs + row + h * dh, dh));
        VecMap<T>(dVs + row + h * dh, dh) += att[t * BH + b * H + h] * gzh;
      }
    }
  }
  // softmax backward, then the 1/sqrt(dh): ds = att (datt - sum_t att datt) / sqrt(dh)
  using Arr = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
  Arr ds(datt, Tn, BH);
  const Arr a(const_cast<T*>(att), Tn, BH);
  const Eigen::Array<T, 1, Eigen::Dynamic> dot = (a * ds).colwise().sum();
  ds = scale * a * (ds.rowwise() - dot);
  for (size_t b = 0; b < size_t(B); ++b) {  // dq += ds k, dk += ds q
    const size_t qr = size_t(qrow[b]) * HD;
    for (int t = 0; t < Tn; ++t) {
      const size_t row = size_t(kvrow[b * Tn + t]) * HD;
      for (int h = 0; h < H; ++h) {
        const T g = datt[t * BH + b * H + h];
        VecMap<T>(dQs + qr + h * dh, dh) += g * ConstVecMap<T>(Ks + row + h * dh, dh);
        VecMap<T>(dKs + row + h * dh, dh) += g * ConstVecMap<T>(Qs + qr + h * dh, dh);
      }
    }
  }
}

}  // namespace geneft
