#pragma once
// Many interacting repons (Baek, Liu, Tegmark 2024, arXiv:2402.05916, Sec. 4, generalizing the
// two-repon theory): N embeddings x_i in R^d, node i in class i mod k, read by a shared linear
// decoder A (m x d). Every pair of the same class should give the same output, so the effective
// loss is
//   l = 1/4 sum over same-class pairs i<j of |A (x_i - x_j)|^2,
// and gradient flow with eta_enc on the x_i and eta_dec on A attracts repons of a class to
// each other through the decoder while shrinking the decoder. For N = 2, d = m = 1 and x = +-c
// this is the two-repon model (l = a^2 c^2). l is quadratic in A and in x, so
// C = |A|_F^2 / (2 eta_dec) - sum_i |x_i - xbar_class(i)|^2 / (2 eta_enc) is conserved.
// A run generalizes when the decoder-visible spread within classes vanishes while A stays finite.
// Rescaling time by eta_enc shows the outcome depends on eta_dec / eta_enc only: the predicted
// phase boundary is a line eta_dec / eta_enc = const, found here by simulation.
#include <cstdint>
#include <vector>

#include "theory/generalization_probability.h"
#include "theory/two_repon_model.h"

namespace geneft {

struct ManyReponSetup {
  int repons = 30, classes = 3, dim = 2, decoder_rows = 1;
  double sigma_x = 1;  // std of each embedding coordinate at init
  double sigma_a = 1;  // std of each decoder entry at init
  // Draw U(-sqrt(3) sigma, sqrt(3) sigma), as the network does, instead of N(0, sigma^2).
  bool uniform_x = false, uniform_a = false;
};

struct ManyReponRun {
  ReponOutcome outcome = ReponOutcome::Undecided;
  double max_relative_drift = 0;  // of C
  int64_t steps = 0;
};

class ManyReponSimulation {
 public:
  explicit ManyReponSimulation(ManyReponSetup setup);

  // One run from an initial condition drawn with `seed` (RK4, step keeps rate x dt = step_scale).
  ManyReponRun run(double eta_enc, double eta_dec, uint64_t seed, double step_scale = 1e-2,
                   double decided = 1e-8, int64_t max_steps = 200'000) const;

  // Fraction of `samples` initial conditions that generalize (undecided runs count as the side
  // that is ahead), with its standard error.
  MonteCarloEstimate generalization_probability(double eta_enc, double eta_dec, int64_t samples, uint64_t seed) const;

  // The log ratio x* = log10(eta_dec / eta_enc) below which the initial condition of `seed`
  // collides, by bisection on [lo, hi] to `tolerance` (the outcome switches once: tested); lo or
  // hi when it collides nowhere or everywhere there.
  double threshold(uint64_t seed, double lo = -3, double hi = 3, double tolerance = 0.01) const;

  // The flow from a given initial state instead of a random one: x0 (repons x dim, row-major; node
  // i in class i mod classes) and a0 (decoder_rows x dim, row-major), sampled at `times`
  // (ascending, in the units the rates are per: optimizer steps when they are learning rates).
  struct TrajectoryPoint {
    double t = 0, within = 0, decoder = 0;  // RMS deviation from the class centroids; |A|_F
  };
  std::vector<TrajectoryPoint> trajectory(const std::vector<double>& x0, const std::vector<double>& a0, double eta_enc,
                                          double eta_dec, const std::vector<double>& times, double step_scale = 1e-2) const;

  // The initial condition run() starts from with `seed`: x (repons x dim) and a (decoder_rows x
  // dim), row-major, drawn from the setup's laws.
  void initial_state(uint64_t seed, std::vector<double>& x, std::vector<double>& a) const;

  const ManyReponSetup& setup() const { return setup_; }

 private:
  ManyReponSetup setup_;
};

// P(generalize) against x = log10(eta_dec / eta_enc) on a grid, and the x where it crosses 1/2
// (linear interpolation; NaN if it does not cross on the grid).
struct ReponBoundary {
  std::vector<double> log_ratio, probability, std_error;
  double crossing = 0;
};
ReponBoundary simulate_repon_boundary(const ManyReponSimulation& sim, const std::vector<double>& log_ratios,
                                      int64_t samples, uint64_t seed);

// x* of `samples` initial conditions (seeds splitmix64(seed + i), as generalization_probability).
ReponThresholds many_repon_thresholds(const ManyReponSimulation& sim, int64_t samples, uint64_t seed);

}  // namespace geneft
