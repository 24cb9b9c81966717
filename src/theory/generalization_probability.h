#pragma once
// Probability that two repons generalize (collide) from random initial conditions (Baek, Liu,
// Tegmark 2024, arXiv:2402.05916, Sec. 4): with a ~ N(0, sigma_a^2) and c ~ N(0, sigma_c^2)
// independent, C > 0 iff |a/c| > sqrt(2 eta_dec / eta_enc), and a/c is Cauchy with scale
// sigma_a/sigma_c, so
//   P(generalize) = (2/pi) arctan((sigma_a/sigma_c) sqrt(eta_enc / (2 eta_dec))).
// P = 1/2 on the line eta_dec / eta_enc = sigma_a^2 / (2 sigma_c^2): a line of slope 1 in the
// log-log (eta_enc, eta_dec) plane.
#include <cstdint>
#include <vector>

namespace geneft {

class Rng;

struct ReponInitScales {
  double sigma_a = 1, sigma_c = 1;
};

double generalization_probability(double eta_enc, double eta_dec, ReponInitScales init);

// log10(eta_dec / eta_enc) where P = 1/2: log10(sigma_a^2 / (2 sigma_c^2)).
double boundary_log_ratio(ReponInitScales init);

// dP/dx at the boundary, x = log10(eta_dec / eta_enc): -ln(10) / (2 pi), whatever the scales.
// A logistic sigmoid(beta0 + beta1 x) with the same midpoint slope has beta1 = 4 dP/dx.
double boundary_slope_per_decade();

// Monte Carlo: the fraction of `samples` initial (a, c) whose two-repon ODE ends in a collision
// (each integrated with TwoReponModel, not decided by the sign of C), and its standard error.
struct MonteCarloEstimate {
  double probability = 0, std_error = 0;
  int64_t samples = 0, undecided = 0;
};
MonteCarloEstimate simulate_generalization_probability(double eta_enc, double eta_dec, ReponInitScales init,
                                                       int64_t samples, uint64_t seed);

// An init distribution as the network draws it: N(0, std^2), or uniform with that std,
// U(-sqrt(3) std, sqrt(3) std) (the embeddings' U(-1/2, 1/2) and PyTorch's Linear init).
struct InitLaw {
  bool uniform = false;
  double std = 1;
  double draw(Rng& rng) const;
};

// Per initial condition, the log ratio x* = log10(eta_dec / eta_enc) below which its repons
// collide: P(generalize) at x is the share of initial conditions with x* > x, and the boundary
// P = 1/2 is the median of x*. Its standard error is half the width of the order statistics'
// 68% interval (ranks n/2 +- sqrt(n)/2); the spread of x* sets the steepness of the transition.
struct ReponThresholds {
  std::vector<double> sorted;  // x*, ascending
  double crossing = 0, std_error = 0;
  double probability(double log_ratio) const;  // share with x* > log_ratio
  // The logistic steepness with the same interquartile range, -2 ln 3 / IQR (per decade).
  double logistic_steepness() const;
  static ReponThresholds from(std::vector<double> thresholds);
};

// The two-repon boundary by Monte Carlo over the actual init laws (the arctan law above assumes
// Gaussian a and c): a from `decoder`, c = (e1 - e2) / 2 from two draws of `embedding`. The
// repons collide iff C > 0, i.e. iff eta_dec / eta_enc < a^2 / (2 c^2): x* = log10(a^2 / (2 c^2)).
ReponThresholds two_repon_thresholds(InitLaw decoder, InitLaw embedding, int64_t samples, uint64_t seed);

}  // namespace geneft
