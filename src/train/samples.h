#pragma once
// A set of samples (the training set, the test set, a minibatch) in the layout a model reads:
// token positions contiguous (or dense rows), labels beside them; batch() views it as the model's
// Batch. Dense inputs are kept in float and in double, for models of either dtype.
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "nn/batch.h"
#include "tasks/dataset.h"

namespace geneft {

struct SampleSet {
  int size = 0;                 // B
  int positions = 0;            // P: tokens per sample
  std::vector<int32_t> tokens;  // (P, B)
  std::vector<int32_t> labels;  // (B)
  int features = 0;             // F: dense inputs per sample
  std::vector<float> dense;     // (B, F)
  std::vector<double> dense64;  // the same in double
  int target_dim = 0;             // D: dense targets per sample (regression tasks)
  std::vector<float> targets;     // (B, D)
  std::vector<double> targets64;  // the same in double

  // The samples data[idx[i]]: two tokens, the symbols a and b, or a row of dense features.
  static SampleSet gather(const Dataset& data, const std::vector<int32_t>& idx) {
    SampleSet s;
    s.resize(int(idx.size()), data.features > 0 ? 0 : 2, data.features, data.target_dim);
    const size_t F = size_t(data.features), D = size_t(data.target_dim);
    for (int i = 0; i < s.size && F > 0; ++i) {
      std::copy_n(&data.dense[size_t(idx[i]) * F], F, &s.dense[i * F]);
      std::copy_n(&data.dense[size_t(idx[i]) * F], F, &s.dense64[i * F]);
      s.labels[i] = data.label[idx[i]];
    }
    for (int i = 0; i < s.size && D > 0; ++i) {
      std::copy_n(&data.targets[size_t(idx[i]) * D], D, &s.targets[i * D]);
      std::copy_n(&data.targets[size_t(idx[i]) * D], D, &s.targets64[i * D]);
    }
    for (int i = 0; i < s.size && F == 0; ++i) {
      s.tokens[i] = data.a[idx[i]];
      s.tokens[size_t(s.size) + i] = data.b[idx[i]];
      s.labels[i] = data.label[idx[i]];
    }
    return s;
  }
  void resize(int samples, int tokens_per_sample, int dense_features = 0, int dense_targets = 0) {
    size = samples, positions = tokens_per_sample, features = dense_features, target_dim = dense_targets;
    tokens.assign(size_t(positions) * size, 0);
    labels.assign(size, 0);
    dense.assign(size_t(features) * size, 0.0f);
    dense64.assign(size_t(features) * size, 0.0);
    targets.assign(size_t(target_dim) * size, 0.0f);
    targets64.assign(size_t(target_dim) * size, 0.0);
  }
  // Sample i of this set is sample rows[i] of `from` (no allocation: sized by resize).
  void copy_rows(const SampleSet& from, const int32_t* rows) {
    for (int p = 0; p < positions; ++p)
      for (int i = 0; i < size; ++i) tokens[size_t(p) * size + i] = from.tokens[size_t(p) * from.size + rows[i]];
    for (int i = 0; i < size; ++i) labels[i] = from.labels[rows[i]];
    const size_t F = size_t(features);
    for (int i = 0; i < size && F > 0; ++i) {
      std::copy_n(&from.dense[size_t(rows[i]) * F], F, &dense[i * F]);
      std::copy_n(&from.dense64[size_t(rows[i]) * F], F, &dense64[i * F]);
    }
    const size_t D = size_t(target_dim);
    for (int i = 0; i < size && D > 0; ++i) {
      std::copy_n(&from.targets[size_t(rows[i]) * D], D, &targets[i * D]);
      std::copy_n(&from.targets64[size_t(rows[i]) * D], D, &targets64[i * D]);
    }
  }
  // Samples first .. first + n - 1 of `from`; n at most the size given to resize (no allocation).
  void copy_range(const SampleSet& from, int first, int n) {
    size = n;
    for (int p = 0; p < positions; ++p)
      std::copy_n(&from.tokens[size_t(p) * from.size + first], n, &tokens[size_t(p) * n]);
    std::copy_n(&from.labels[first], n, labels.data());
    const size_t F = size_t(features);
    std::copy_n(&from.dense[first * F], n * F, dense.data());
    std::copy_n(&from.dense64[first * F], n * F, dense64.data());
  }
  template <class T>
  Batch<T> batch() const {
    const T *d = nullptr, *y = nullptr;
    if constexpr (std::is_same_v<T, double>) d = dense64.data(), y = targets64.data();
    else d = dense.data(), y = targets.data();
    return {.size = size, .positions = positions, .tokens = tokens.data(), .features = features,
            .dense = features > 0 ? d : nullptr, .target_dim = target_dim, .targets = target_dim > 0 ? y : nullptr,
            .labels = labels.data()};
  }
};

}  // namespace geneft
