#pragma once
// Token plus learned position embedding of a sequence model (Nanda et al. 2023, sec. 3:
// "learned positional embeddings"): x[b, t] = W_E[tok[b, t]] + W_pos[t].
#include <cstdint>

namespace geneft {

// W_E is (V, d), W_pos is (T, d), tok is (B, T) token ids; x is (B, T, d)
template <class T>
void position_embedding_forward(T* x, const T* W_E, const T* W_pos, const int32_t* tok, int B, int Tn, int d) {
  for (size_t i = 0; i < size_t(B) * Tn; ++i) {
    const T* e = W_E + size_t(tok[i]) * d;
    const T* pos = W_pos + (i % Tn) * d;
    T* o = x + i * d;
    for (int j = 0; j < d; ++j) o[j] = e[j] + pos[j];
  }
}

// dx is (B, T, d); accumulates dW_E (V, d) and dW_pos (T, d)
template <class T>
void position_embedding_backward(T* dW_E, T* dW_pos, const T* dx, const int32_t* tok, int B, int Tn, int d) {
  for (size_t i = 0; i < size_t(B) * Tn; ++i) {
    const T* g = dx + i * d;
    T* de = dW_E + size_t(tok[i]) * d;
    T* dpos = dW_pos + (i % Tn) * d;
    for (int j = 0; j < d; ++j) de[j] += g[j], dpos[j] += g[j];
  }
}

}  // namespace geneft
