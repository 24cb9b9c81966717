#pragma once
// Normal crossing validation model (Watanabe 2009,
// "Algebraic Geometry and Statistical Learning Theory", the normal crossing form of the
// resolution theorem): K(w) = Π_i w_i^{2 k_i} with prior φ(w) ∝ Π_i |w_i|^{h_i} near 0.
// The loss has no data: L_n(w) = K(w) for a nominal sample size n (only nβ matters), w* = 0.
// True learning coefficient: λ = min_i (h_i + 1) / (2 k_i), with multiplicity m = the number of
// i attaining the minimum. For m > 1 the tempered posterior mean is λ − (m−1)/ln(nβ) + o(1/ln nβ)
// (from Z(t) ≍ t^{−λ} (ln t)^{m−1}), so validation uses settings with m = 1.
#include <vector>

#include "slt/sampling_target.h"

namespace geneft {

class NormalCrossing : public SamplingTarget {
 public:
  // k_i >= 1, h_i >= 0, same length; UserError otherwise (naming --k / --h).
  NormalCrossing(std::vector<int> k, std::vector<double> h, int64_t n);
  size_t dim() const override { return k_.size(); }
  int64_t num_samples() const override { return n_; }
  std::unique_ptr<LossWorker> make_worker(int max_batch) const override;
  double log_prior(const double* w) const override;
  void add_prior_shift(const double* w, const double* step, double* shift) const override;
  std::string describe() const override;

  double true_lambda() const;
  int multiplicity() const;
  const std::vector<int>& k() const { return k_; }
  const std::vector<double>& h() const { return h_; }

 private:
  std::vector<int> k_;
  std::vector<double> h_;
  int64_t n_;
};

}  // namespace geneft
