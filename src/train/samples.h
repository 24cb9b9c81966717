#pragma once
// A set of samples (the training set, the test set, a minibatch) in the layout a model reads:
// token positions contiguous, labels beside them; batch() views it as the model's Batch.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "nn/batch.h"
#include "tasks/dataset.h"

namespace geneft {

struct SampleSet {
  int size = 0;                 // B
  int positions = 0;            // P: tokens per sample
  std::vector<int32_t> tokens;  // (P, B)
  std::vector<int32_t> labels;  // (B)

  // The samples data[idx[i]]: today's tasks give two tokens, the symbols a and b.
  static SampleSet gather(const Dataset& data, const std::vector<int32_t>& idx) {
    SampleSet s;
    s.resize(int(idx.size()), 2);
    for (int i = 0; i < s.size; ++i) {
      s.tokens[i] = data.a[idx[i]];
      s.tokens[size_t(s.size) + i] = data.b[idx[i]];
      s.labels[i] = data.label[idx[i]];
    }
    return s;
  }
  void resize(int samples, int tokens_per_sample) {
    size = samples, positions = tokens_per_sample;
    tokens.assign(size_t(positions) * size, 0);
    labels.assign(size, 0);
  }
  // Sample i of this set is sample rows[i] of `from` (no allocation: sized by resize).
  void copy_rows(const SampleSet& from, const int32_t* rows) {
    for (int p = 0; p < positions; ++p)
      for (int i = 0; i < size; ++i) tokens[size_t(p) * size + i] = from.tokens[size_t(p) * from.size + rows[i]];
    for (int i = 0; i < size; ++i) labels[i] = from.labels[rows[i]];
  }
  // Samples first .. first + n - 1 of `from`; n at most the size given to resize (no allocation).
  void copy_range(const SampleSet& from, int first, int n) {
    size = n;
    for (int p = 0; p < positions; ++p)
      std::copy_n(&from.tokens[size_t(p) * from.size + first], n, &tokens[size_t(p) * n]);
    std::copy_n(&from.labels[first], n, labels.data());
  }
  template <class T>
  Batch<T> batch() const {
    return {.size = size, .positions = positions, .tokens = tokens.data(), .labels = labels.data()};
  }
};

}  // namespace geneft
