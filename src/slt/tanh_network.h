#pragma once
// Two-layer tanh network on a scalar input, the model of the Bayesian phase transition in n
// (Carroll 2021, "Phase transitions in neural networks", Ch. 4–5; Watanabe 2009, Sec. 7.6):
//   f(x, w) = Σ_{h<H} q_h tanh(a_h x),   w = (a_0..a_{H−1}, q_0..q_{H−1}),  d = 2H,
//   y = f(x, w⁰) + N(0, 1),  x ~ N(0, s²),  loss ℓ_i = ½ (y_i − f(x_i, w))²  (unit-variance NLL).
// Generic symmetries (discrete only): unit permutations and (a_h, q_h) → (−a_h, −q_h).
#include <vector>

#include "slt/sampling_target.h"

namespace geneft {

class TanhNetwork : public SamplingTarget {
 public:
  // The teacher's units (a⁰, q⁰); H student units; n samples drawn with this seed.
  TanhNetwork(std::vector<double> teacher_a, std::vector<double> teacher_q, int hidden, double input_scale,
              int64_t n, uint64_t seed);
  size_t dim() const override { return size_t(2 * hidden_); }
  int64_t num_samples() const override { return int64_t(X.size()); }
  std::unique_ptr<LossWorker> make_worker(int max_batch) const override;
  std::string describe() const override;

  int hidden() const { return hidden_; }
  // f(x, w) of a parameter vector w (2H values) at one input
  double output(const double* w, double x) const;
  // the teacher's f(x, w⁰)
  double teacher(double x) const;

  std::vector<double> X, Y;  // data, (n) each

 private:
  std::vector<double> ta_, tq_;
  int hidden_;
  double scale_;
};

// Full-batch gradient descent on L_n from `start` (steps of size lr): a local minimum.
std::vector<double> descend(const SamplingTarget& target, std::vector<double> start, int steps, double lr);

}  // namespace geneft
