#pragma once
// Spectra of the Hessian of L_n for models too large for a dense Hessian: Lanczos on Hessian–
// vector products (Lanczos 1950; full reorthogonalization against the loss of orthogonality that
// Paige 1972 analysed), and the spectral density by stochastic Lanczos quadrature (Ubaru, Chen &
// Saad 2017, "Fast estimation of tr(f(A)) via stochastic Lanczos quadrature", SIAM J. Matrix Anal.
// Appl. 38; as used for neural-network Hessians by Ghorbani, Krishnan & Xiao 2019).
// The Hessian–vector product is a central difference of the analytic gradient,
//   H v ≈ [∇L_n(w + h v̂) − ∇L_n(w − h v̂)] |v| / (2h),  v̂ = v/|v|,
// two full-batch gradients per product, error O(h²) (the third derivative), no Hessian stored.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "slt/sampling_target.h"

namespace geneft {

inline constexpr double kHessianVectorStep = 1e-5;  // h

class HessianVectorProduct {
 public:
  HessianVectorProduct(const SamplingTarget& target, std::vector<double> w, double h = kHessianVectorStep);
  size_t dim() const { return w_.size(); }
  void apply(const double* v, double* out);  // out = H v (d values each)

 private:
  const SamplingTarget& target_;
  std::unique_ptr<LossWorker> worker_;
  std::vector<double> w_, shifted_, g_plus_, g_minus_;
  double h_;
};

using LinearOperator = std::function<void(const double* v, double* out)>;

struct LanczosResult {
  std::vector<double> ritz;     // ascending Ritz values (eigenvalues of the tridiagonal matrix T_k)
  std::vector<double> weights;  // squared first components of T_k's eigenvectors (sum 1): the quadrature weights
};

// k steps from the unit start vector `start` (d values); stops early when the Krylov space is
// exhausted (β_j ≈ 0). The extreme Ritz values converge first to the extreme eigenvalues.
LanczosResult lanczos(const LinearOperator& apply, size_t d, int k, const std::vector<double>& start);

struct SpectralDensity {
  std::vector<double> grid, density;  // density on the grid (integrates to ≈ 1)
  std::vector<LanczosResult> probes;  // each probe's nodes and weights
  double lowest = 0, highest = 0;     // the extreme Ritz values over all probes
};

// Stochastic Lanczos quadrature: for each of `probes` Rademacher vectors z/√d, k Lanczos steps;
// the density is the average over probes of Σ_i w_i N(t; θ_i, σ²), σ = sigma_fraction·(θ_max − θ_min).
SpectralDensity spectral_density(const LinearOperator& apply, size_t d, int k, int probes, uint64_t seed,
                                 int grid_points = 400, double sigma_fraction = 0.01);
// The same density from the probes' nodes and weights alone (a stored spectrum drawn again).
SpectralDensity density_of_probes(std::vector<LanczosResult> probes, int grid_points = 400, double sigma_fraction = 0.01);

// The number of eigenvalues with |θ| ≤ max(tol·max|θ|, 1e-12) (the complement of
// numerical_rank in degeneracy.h), from the quadrature: per probe d·Σ_{|θ_i| below} w_i, the
// SLQ estimate of tr 1(|H| ≤ t) (Ubaru, Chen & Saad 2017); mean and standard error over
// probes. max|θ| is the largest |Ritz value| of any probe (the extremes converge first).
struct SpectralCount {
  double count = 0, standard_error = 0;
};
SpectralCount count_below(const SpectralDensity& s, size_t d, double relative_tolerance);

}  // namespace geneft
