// Teacher-student regression (Liu, Michaud, Tegmark 2022, "Omnigrok", arXiv:2210.01117, Sec. 3.1;
// the authors' teacher-student notebooks): a random tanh network 5 -> W -> W -> 5 (PyTorch's
// default Linear init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases) labels points
// x ~ N(0, I_5). task.train_count training points, then task.test_count test points; the teacher
// and the points follow task.data_seed, the same for every run seed (the authors draw them with
// seed 0 and the student with seed 1). The teacher is a fixed function computed once, in double.
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "tasks/task.h"

namespace geneft {
namespace {

constexpr int kInputs = 5, kOutputs = 5;

struct Dense {
  int in, out;
  std::vector<double> W, b;  // W (out, in) row-major
};

Dense draw_layer(Rng& rng, int in, int out) {
  Dense L{in, out, std::vector<double>(size_t(out) * in), std::vector<double>(size_t(out))};
  const double bound = 1.0 / std::sqrt(double(in));
  for (auto& w : L.W) w = rng.uniform(-bound, bound);
  for (auto& v : L.b) v = rng.uniform(-bound, bound);
  return L;
}

// y = W x + b, then tanh unless it is the last layer
std::vector<double> apply(const Dense& L, const std::vector<double>& x, bool last) {
  std::vector<double> y(L.b);
  for (int o = 0; o < L.out; ++o) {
    for (int i = 0; i < L.in; ++i) y[o] += L.W[size_t(o) * L.in + i] * x[i];
    if (!last) y[o] = std::tanh(y[o]);
  }
  return y;
}

}  // namespace

Dataset make_teacher_student_dataset(const TaskConfig& task) {
  const int width = task.teacher_width;
  // The Targets stream: the teacher makes the targets. Not the Init stream, which draws the
  // student's weights from the run seed: with data_seed = seed the student would start as the teacher.
  Rng teacher_rng(uint64_t(task.data_seed), RngStream::Targets);
  const Dense layers[] = {draw_layer(teacher_rng, kInputs, width), draw_layer(teacher_rng, width, width),
                          draw_layer(teacher_rng, width, kOutputs)};
  Rng points(uint64_t(task.data_seed), RngStream::Split);
  const int64_t n = task.train_count + task.test_count;

  Dataset d;
  d.name = "teacher_student width=" + std::to_string(width);
  d.features = kInputs;
  d.target_dim = kOutputs;
  d.train_rows = task.train_count;
  d.label.assign(size_t(n), 0);  // no classes: the targets are the dense rows below
  d.dense.reserve(size_t(n) * kInputs);
  d.targets.reserve(size_t(n) * kOutputs);
  for (int64_t s = 0; s < n; ++s) {
    std::vector<double> x(kInputs);
    for (auto& v : x) v = double(float(points.normal()));  // stored in float: the teacher sees what the student sees
    std::vector<double> h = x;
    for (int l = 0; l < 3; ++l) h = apply(layers[l], h, l == 2);
    for (double v : x) d.dense.push_back(float(v));
    for (double v : h) d.targets.push_back(float(v));
  }
  return d;
}

}  // namespace geneft
