#pragma once
// Deep linear network validation model: y = W_L ⋯ W_1 x + N(0, I), x ~ N(0, I), layer widths
// H_1 (input), H_2, ..., H_{L+1} (output), W_l of shape (H_{l+1}, H_l), no biases, loss the
// unit-variance Gaussian NLL ½|y − f(x)|². The truth W⁰ = W⁰_L ⋯ W⁰_1 has rank r.
// One weight matrix (L = 1) is linear regression, a regular model: λ = d/2 = H_1 H_2 / 2.
// Two (L = 2) is reduced-rank regression (reduced_rank_regression.h).
#include <vector>

#include "core/rng.h"
#include "slt/sampling_target.h"

namespace geneft {

class DeepLinearNetwork : public SamplingTarget {
 public:
  // widths = {H_1, ..., H_{L+1}}, 0 <= rank <= min widths; n samples drawn from the truth.
  DeepLinearNetwork(std::vector<int> widths, int rank, int64_t n, uint64_t seed);
  size_t dim() const override { return dim_; }
  int64_t num_samples() const override { return n_; }
  std::unique_ptr<LossWorker> make_worker(int max_batch) const override;
  std::string describe() const override;

  const std::vector<int>& widths() const { return widths_; }
  int rank() const { return rank_; }
  const std::vector<double>& true_parameter() const { return truth_; }
  // A local minimum of L_n near the truth: full-batch gradient descent from the truth plus a
  // small perturbation (which leaves the saddle at w = 0 when r = 0).
  std::vector<double> trained_parameter(int steps, double lr, uint64_t seed) const;
  // The end-to-end map W_L ⋯ W_1 (H_{L+1}, H_1) of the parameters w, row-major.
  std::vector<double> product(const double* w) const;

  // data, contiguous: X (n, H_1), Y (n, H_{L+1})
  std::vector<double> X, Y;

 private:
  std::vector<int> widths_;
  int rank_;
  int64_t n_;
  size_t dim_ = 0;
  std::vector<double> truth_;
};

// True λ of a deep linear network (Aoyagi 2024, "Consideration on the learning efficiency of
// multiple-layered neural networks with linear units", Neural Networks 172; Main Theorem, as
// restated in Furman & Lau 2024, arXiv:2402.03698, Theorem 1). With M_j = H_j − r, find
// Σ ⊂ {1..L+1}, |Σ| = ℓ+1, with max_Σ M < min_{not Σ} M, Σ_Σ M ≥ ℓ·max_Σ M and
// Σ_Σ M < ℓ·min_{not Σ} M; with a = (Σ_Σ M) mod ℓ:
//   λ = [−r² + r(H_1 + H_{L+1})]/2 + a(ℓ−a)/(4ℓ) − ℓ(ℓ−1)/4·(Σ_Σ M/ℓ)² + ½ Σ_{i<j∈Σ} M_i M_j.
// For L = 2 it reduces to Aoyagi & Watanabe 2005 (checked in tests). UserError when no Σ exists
// (ties at the boundary) or the shape is invalid.
double deep_linear_network_lambda(const std::vector<int>& widths, int rank);

}  // namespace geneft
