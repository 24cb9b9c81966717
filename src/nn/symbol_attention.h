#pragma once
// Position embedding and the Q, K, V projections per (token, position) instead of per sample
// (the attention analogue of symbol_linear.h). Position t of every sample holds one of V
// tokens, so the T*V rows W_E[v] + W_pos[t] are all the inputs the projections ever see:
// projecting them costs T*V*d*HD multiply-adds for K and V (V*d*HD for Q) instead of
// B*T*d*HD. The attention (attention.h) reads sample b's key and value at position t from row
// t*V + tok[b, t] of Ks and Vs and its query from row tok[b, T-1] of Qs (symbol_rows), and
// accumulates the gradients there, so no row is copied per sample. Equal to
// position_embedding + qkv_forward up to rounding.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "nn/gemm.h"

namespace geneft {

// Scratch of the symbol path: xs (T*V, d) = W_E[v] + W_pos[t] at row t*V + v; Ks, Vs (T*V, HD);
// Qs (V, HD) at the last position; their gradients alike.
// The products' kernels (nn/gemm.h): K's writes dxs, V's and Q's accumulate into it.
template <class T>
struct SymbolQkvScratch {
  Buffer<T> xs, Ks, Vs, Qs, dxs, dKs, dVs, dQs;
  LinearKernels<T> k, v, q;
  void resize(int V, int Tn, int d, int HD) {
    const size_t rows = size_t(Tn) * V;
    xs.resize(rows * d), dxs.resize(rows * d);
    Ks.resize(rows * HD), Vs.resize(rows * HD), dKs.resize(rows * HD), dVs.resize(rows * HD);
    Qs.resize(size_t(V) * HD), dQs.resize(size_t(V) * HD);
    k = LinearKernels<T>({.C = d, .OC = HD}, int(rows));
    v = LinearKernels<T>({.C = d, .OC = HD, .accumulate_input = true}, int(rows));
    q = LinearKernels<T>({.C = d, .OC = HD, .accumulate_input = true}, V);
  }
  void zero_row_grads() {
    std::fill(dKs.begin(), dKs.end(), T(0));
    std::fill(dVs.begin(), dVs.end(), T(0));
    std::fill(dQs.begin(), dQs.end(), T(0));
  }
};

// The rows the attention reads for the samples' tokens tok (B, T): kvrow (B, T) = t*V + tok[b, t]
// in Ks and Vs, qrow (B) = tok[b, T-1] in Qs.
inline void symbol_rows(int32_t* qrow, int32_t* kvrow, const int32_t* tok, int B, int Tn, int V) {
  for (size_t i = 0; i < size_t(B) * Tn; ++i) kvrow[i] = int32_t(i % Tn) * V + tok[i];
  for (size_t b = 0; b < size_t(B); ++b) qrow[b] = tok[b * Tn + Tn - 1];
}

// W_E is (V, d), W_pos (T, d), tok (B, T); W_Q, W_K, W_V (HD, d);
// fills s.Ks, s.Vs (T*V, HD) and s.Qs (V, HD), and writes last (B, d) = x[:, T-1], the residual stream
template <class T>
void symbol_qkv_forward(T* last, SymbolQkvScratch<T>& s, const T* W_E, const T* W_pos, const T* W_Q, const T* W_K,
                        const T* W_V, const int32_t* tok, int B, int Tn, int V, int d) {
  const size_t rows = size_t(Tn) * V;
  MatMap<T> xs(s.xs.data(), rows, d);
  for (int t = 0; t < Tn; ++t)
    xs.middleRows(size_t(t) * V, V) = ConstMatMap<T>(W_E, V, d).rowwise() + ConstVecMap<T>(W_pos + size_t(t) * d, d).transpose();
  s.k.forward(s.Ks.data(), s.xs.data(), W_K, int(rows));
  s.v.forward(s.Vs.data(), s.xs.data(), W_V, int(rows));
  s.q.forward(s.Qs.data(), &s.xs[size_t(Tn - 1) * V * d], W_Q, V);
  for (size_t b = 0; b < size_t(B); ++b)
    std::memcpy(last + b * d, &s.xs[(size_t(Tn - 1) * V + tok[b * Tn + Tn - 1]) * d], sizeof(T) * d);
}

// s.dQs, s.dKs, s.dVs hold the rows' gradients (attention_backward accumulates them after
// s.zero_row_grads()), dlast (B, d); accumulates dW_E (V, d), dW_pos (T, d) and dW_Q, dW_K,
// dW_V (HD, d)
template <class T>
void symbol_qkv_backward(T* dW_E, T* dW_pos, T* dW_Q, T* dW_K, T* dW_V, SymbolQkvScratch<T>& s, const T* dlast,
                         const T* W_Q, const T* W_K, const T* W_V, const int32_t* tok, int B, int Tn, int V, int d) {
  const size_t rows = size_t(Tn) * V;
  const T* last_xs = &s.xs[size_t(Tn - 1) * V * d];
  T* last_dxs = &s.dxs[size_t(Tn - 1) * V * d];
  s.k.backward_weight(dW_K, s.dKs.data(), s.xs.data(), int(rows));
  s.v.backward_weight(dW_V, s.dVs.data(), s.xs.data(), int(rows));
  s.q.backward_weight(dW_Q, s.dQs.data(), last_xs, V);
  s.k.backward_input(s.dxs.data(), s.dKs.data(), W_K, int(rows));  // dxs = dKs W_K, then +=
  s.v.backward_input(s.dxs.data(), s.dVs.data(), W_V, int(rows));
  s.q.backward_input(last_dxs, s.dQs.data(), W_Q, V);
  for (size_t b = 0; b < size_t(B); ++b)  // the residual stream at the last position
    VecMap<T>(last_dxs + size_t(tok[b * Tn + Tn - 1]) * d, d) += ConstVecMap<T>(dlast + b * d, d);
  ConstMatMap<T> gx(s.dxs.data(), rows, d);
  MatMap<T> dE(dW_E, V, d);
  for (int t = 0; t < Tn; ++t) {
    dE += gx.middleRows(size_t(t) * V, V);
    VecMap<T>(dW_pos + size_t(t) * d, d) += gx.middleRows(size_t(t) * V, V).colwise().sum().transpose();
  }
}

}  // namespace geneft
