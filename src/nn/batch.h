#pragma once
// What a model reads of a set of samples: token sequences, dense inputs, or both, and labels.
// Token sequences are position-major: position t of every sample is the contiguous row
// tokens + t*B (today's tasks give two positions, the symbols a and b). Dense inputs are
// (B, F) row-major; a regression task's targets (B, D). A task with other inputs fills what it has; a model reads what it needs
// and checks it is there (Model::forward).
#include <cstddef>
#include <cstdint>

namespace geneft {

template <class T>
struct Batch {
  int size = 0;                     // B
  int positions = 0;                // P: tokens per sample (0: no tokens)
  const int32_t* tokens = nullptr;  // (P, B)
  int features = 0;                 // F: dense inputs per sample (0: none)
  const T* dense = nullptr;         // (B, F)
  int target_dim = 0;               // D: dense targets per sample (0: none; regression tasks)
  const T* targets = nullptr;       // (B, D)
  const int32_t* labels = nullptr;  // (B) class indices
  const int32_t* position(int p) const { return tokens + size_t(p) * size; }
};

}  // namespace geneft
