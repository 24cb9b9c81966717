#pragma once
// A task's samples: a pair of symbols (a, b) or a row of dense features, and a class label.
#include <cstdint>
#include <string>
#include <vector>

namespace geneft {

struct Dataset {
  std::string name;          // e.g. "mod_add p=59"
  int num_symbols = 0;       // V: rows of the embedding table
  int num_classes = 0;       // label values 0..num_classes-1 (2 for relations)
  bool relation = false;     // binary labels on node pairs
  bool plain_addition = false;  // label = a + b: RQI and parallelograms apply
  // label = a + b or a - b in Z_p (symbol a is a): the Fourier basis of Z_p fits the embedding
  // (Nanda et al. 2023). Not for mul/div (they need a discrete-log reindexing) or S_n.
  bool cyclic = false;
  std::vector<int32_t> a, b, label;
  int features = 0;          // F: dense inputs per sample (0: symbol pairs)
  std::vector<float> dense;  // (size, F) row-major
  int target_dim = 0;          // D: a regression task's dense targets per sample (labels unused)
  std::vector<float> targets;  // (size, D) row-major
  // > 0: a task with its own test set; samples 0..train_rows-1 train, the rest test
  int64_t train_rows = 0;
  size_t size() const { return label.size(); }
};

}  // namespace geneft
