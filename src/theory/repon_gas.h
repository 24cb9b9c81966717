#pragma once
// Overparameterization as a repon gas (the open question that Baek, Liu, Tegmark 2024,
// arXiv:2402.05916, Sec. 4, leaves to measurement): how the learning-rate boundary of the
// many-repon model of theory/many_repon_simulation.h moves with the number of repons n and the
// embedding dimension d.
//
// Density. The paper defines none; we take the gas's number density, repons per unit volume of
// the law the embeddings are drawn from: rho = n / V, V = exp(h) with h the law's differential
// entropy in d dimensions (the volume of the cube for U(-s/2, s/2)^d, (sqrt(2 pi e) sigma)^d for
// N(0, sigma^2)^d). For geneft's U(-1/2, 1/2) embeddings V = 1 in every d, so rho = n.
//
// Closed form of the simulation's outcome. With D_i = x_i - xbar_class(i), S = sum_i D_i D_i^T
// and M = A^T A (both d x d), gradient flow on l = 1/4 sum_same-class pairs |A (x_i - x_j)|^2
// gives dS/dt = -eta_enc/2 sum_c n_c (M S_c + S_c M) and dM/dt = -eta_dec/2 sum_c n_c (S_c M + M S_c),
// so the matrix Q = M / eta_dec - S / eta_enc is conserved (its trace is the scalar C of the
// simulation). The flow ends where M S = 0, so M(inf) = eta_dec Q_+ and S(inf) = eta_enc Q_-: the
// decoder survives (the repons collide as the decoder sees them) iff Q has a positive eigenvalue,
// i.e. iff eta_dec / eta_enc < lambda_max(S^-1 M), the largest generalized eigenvalue of (M, S).
// Each initial condition's threshold ratio is x* = log10 lambda_max(S^-1 M) (infinite when the
// n - k deviations leave a direction of R^d empty, d > n - k); for large n - k and m it tends to
// log10(m sigma_a^2 / ((n - k) sigma_x^2)): the boundary falls with n as -log10(n - k), and d
// enters through the decoder's fan-in and the extreme eigenvalues of S and M.
#include <cstdint>
#include <vector>

#include "theory/curve_crossing.h"
#include "theory/generalization_probability.h"
#include "theory/many_repon_simulation.h"

namespace geneft {

// V = exp(differential entropy) of `law` in `dim` dimensions, and rho = repons / V.
double init_volume(InitLaw law, int dim);
double repon_gas_density(int repons, int dim, InitLaw embedding);

// x* = log10 lambda_max(S^-1 A^T A) of the initial condition the simulation draws with `seed`,
// clamped to [lo, hi] (the window of ManyReponSimulation::threshold, which it reproduces).
double repon_gas_threshold(const ManyReponSimulation& sim, uint64_t seed, double lo = -3, double hi = 3);
// x* of `samples` initial conditions, with the seeds of many_repon_thresholds.
ReponThresholds repon_gas_thresholds(const ManyReponSimulation& sim, int64_t samples, uint64_t seed);

// One boundary of a repon gas: n repons in R^d at density rho, its offset x0 = log10(eta_dec /
// eta_enc) at P(generalize) = 1/2 with a standard error.
struct GasBoundary {
  int repons = 0, dim = 0;
  double density = 0, x0 = 0, x0_se = 0;
};
// Per embedding dimension with two or more densities, the straight line x0 = a + b log10 rho
// (fit_line: weighted by 1/se^2, errors scaled by sqrt(chi^2/dof)), dimensions ascending.
struct GasTrend {
  int dim = 0;
  LineFit line;
};
std::vector<GasTrend> offset_trends(const std::vector<GasBoundary>& boundaries);

}  // namespace geneft
