// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv:1708.07747) as Debian's dataset-fashion-mnist
// installs it: a training subset of task.train_count images drawn with task.data_seed from the
// 60,000 training images, then all 10,000 test images. Pixels scaled to [0, 1], 784 dense
// features; labels 0..9. Omnigrok (Liu, Michaud, Tegmark 2022, Sec. 4) grokks on 1,000 of them.
#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"
#include "tasks/idx_file.h"
#include "tasks/task.h"

namespace geneft {
namespace {

struct Images {
  IdxArray pixels, labels;
};

Images read_images(const std::string& dir, const std::string& prefix) {
  const std::string ip = dir + "/" + prefix + "-images-idx3-ubyte.gz", lp = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
  Images m{read_idx(ip, 3), read_idx(lp, 1)};
  if (m.pixels.dims[1] != 28 || m.pixels.dims[2] != 28)
    throw UserError(ip + ": images are " + std::to_string(m.pixels.dims[1]) + "x" + std::to_string(m.pixels.dims[2]) +
                    ", expected 28x28");
  if (m.labels.dims[0] != m.pixels.dims[0])
    throw UserError(lp + ": " + std::to_string(m.labels.dims[0]) + " labels for " + std::to_string(m.pixels.dims[0]) +
                    " images in " + ip);
  for (uint8_t l : m.labels.values)
    if (l > 9) throw UserError(lp + ": label " + std::to_string(l) + " is not a class 0..9");
  return m;
}

void append(Dataset& d, const Images& m, int64_t row) {
  const size_t F = 784;
  for (size_t j = 0; j < F; ++j) d.dense.push_back(float(m.pixels.values[size_t(row) * F + j]) / 255.0f);
  d.label.push_back(m.labels.values[size_t(row)]);
}

}  // namespace

Dataset make_fashion_mnist_dataset(const TaskConfig& task) {
  const Images train = read_images(task.data_dir, "train"), test = read_images(task.data_dir, "t10k");
  const int64_t n = train.pixels.dims[0], m = task.train_count;
  if (m > n)
    throw UserError("task.train_count = " + std::to_string(m) + " exceeds the " + std::to_string(n) +
                    " training images in " + task.data_dir);
  std::vector<int32_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(uint64_t(task.data_seed), RngStream::Split);
  for (int64_t i = 0; i < m; ++i) std::swap(order[size_t(i)], order[size_t(i + int64_t(rng.below(uint64_t(n - i))))]);
  std::sort(order.begin(), order.begin() + m);

  Dataset d;
  d.name = "fashion_mnist train=" + std::to_string(m);
  d.num_classes = 10;
  d.features = 784;
  d.train_rows = m;
  d.dense.reserve(size_t(m + test.pixels.dims[0]) * 784);
  for (int64_t i = 0; i < m; ++i) append(d, train, order[size_t(i)]);
  for (int64_t i = 0; i < test.pixels.dims[0]; ++i) append(d, test, i);
  return d;
}

}  // namespace geneft
