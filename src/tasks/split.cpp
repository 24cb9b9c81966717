#include "tasks/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"
#include "core/rng.h"

namespace geneft {

Split make_split(size_t num_samples, const TaskConfig& task, uint64_t seed) {
  if (task.own_test_set()) {
    Split s;
    s.train.resize(size_t(task.train_count));
    s.test.resize(num_samples - s.train.size());
    std::iota(s.train.begin(), s.train.end(), 0);
    std::iota(s.test.begin(), s.test.end(), int32_t(s.train.size()));
    return s;
  }
  size_t m = task.train_count > 0 ? size_t(task.train_count)
                                  : size_t(std::llround(task.train_fraction * double(num_samples)));
  if (task.train_count > 0 && m > num_samples)
    throw UserError("task.train_count = " + std::to_string(m) + " exceeds the task's " +
                    std::to_string(num_samples) + " samples");
  m = std::clamp<size_t>(m, 1, num_samples);
  std::vector<int32_t> order(num_samples);
  std::iota(order.begin(), order.end(), 0);
  Rng rng(seed, RngStream::Split);
  for (size_t i = num_samples - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);  // Fisher-Yates
  Split s;
  s.train.assign(order.begin(), order.begin() + m);
  s.test.assign(order.begin() + m, order.end());
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

}  // namespace geneft
