#pragma once
// A Bayesian phase transition in n (Watanabe 2009, Sec. 7.6 and Watanabe 2018, "Mathematical
// theory of Bayesian statistics", Sec. 8; Carroll 2021, "Phase transitions in neural networks",
// Ch. 5): two regions W_α of the parameter space of a two-layer tanh network (tanh_network.h)
// compete in the posterior at β = 1. Each region's local free energy is
//   F_α(n) = −log ∫_{W_α} exp(−n L_n(w)) φ(w) dw ≈ n L_n(w_α) + λ_α log n + O_p(1)
// (w_α the region's minimum, λ_α its local learning coefficient), and the posterior mass of W_α
// is ∝ exp(−F_α). The region with the higher loss and the lower λ wins at small n, the other at
// large n; they swap at the critical n_c where F_1 = F_2, to first order n_c ΔK = Δλ log n_c.
//
// Here the regions are "one node" (both hidden units compute the same feature: a₁ = a₂, the
// duplicated best one-unit fit, a line of local minima of L (Fukumizu & Amari 2000, "Local minima
// and plateaus in hierarchical structures of multilayer perceptrons", Neural Networks 13), λ = 3/2
// at a point of that line with rank-3 Hessian) and "two nodes" (the units fit the teacher's
// two: a regular point, λ = d/2 = 2). Measured: the posterior sampled at β = 1 by MALA with
// parallel tempering (tempering_sampler.h), every draw classified, the mass of "one node" per data
// set, beside exp(−F_1)/(exp(−F_1) + exp(−F_2)) with λ_α = λ̂ at each region's minimum.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "slt/sgld_sampler.h"
#include "store/store.h"
#include "slt/tempering_sampler.h"

namespace geneft {

struct TransitionSettings {
  std::vector<double> teacher_a = {1.0, 0.25}, teacher_q = {1.5, -1.0};
  double input_scale = 2.0;                            // x ~ N(0, s²)
  std::vector<int64_t> ns = {100, 200, 400, 800, 1600, 3200};
  int datasets = 4;                                    // data sets per n (data seed = seed·1000 + n·... + k)
  int64_t reference_n = 20000;                         // the data set on which the minima and λ̂ are found
  uint64_t seed = 0;
  TemperingSettings sampler;                           // β = 1 posterior (its gamma is the prior precision)
  SgldSettings llc;                                    // λ̂ at each region's minimum (localized SGLD)
};

// Checks every setting; UserError naming the option, value and allowed range.
void validate(const TransitionSettings& s);

// The larger root n > e of n·ΔK = Δλ·log n (the crossing of the two free energies), NaN when
// they never cross (Δλ/ΔK < e, or a non-positive ΔK or Δλ).
double free_energy_crossing(double delta_loss, double delta_lambda);
// Posterior mass of region 1 from the two free energies F_α = n L_α + λ_α log n.
double predicted_mass(int64_t n, double loss1, double lambda1, double loss2, double lambda2);

// The rule that puts a draw w = (a₀, a₁, q₀, q₁) in a region: "one node" when a unit is off
// (its output's rms over the inputs is below off_rms) or when the two first-layer weights agree,
// min(|a₀|, |a₁|)/max(|a₀|, |a₁|) > ratio; else "two nodes".
struct RegionRule {
  double ratio = 0, off_rms = 0;
  bool one_node(const double* w, const std::vector<double>& inputs) const;
};

struct RegionFit {
  std::vector<double> w;      // the region's minimum on the reference data set
  double loss = 0;            // L_n there (reference data set)
  double lambda_hat = 0, lambda_std = 0, mala = 0;
  double lambda_theory = 0;   // 3/2 for one node, 2 for two nodes
  std::vector<std::string> warnings;
};

struct TransitionPoint {
  int64_t n = 0;
  int dataset = 0;
  double mass_one = 0;        // fraction of β = 1 draws classified "one node", over all chains
  double delta_loss = 0;      // L_n(w_one) − L_n(w_two) on this data set (minima re-found on it)
  double predicted_one = 0;   // free-energy prediction of mass_one on this data set
  double mala = 0, swap = 0;  // mean over chains: MALA acceptance at β = 1, replica-swap acceptance
  double rhat = 0;            // Gelman–Rubin R̂ over chains of the region indicator
  double ess = 0;             // effective sample size of the region indicator, summed over chains
  int diverged_chains = 0;
};

struct TransitionStudy {
  std::string model, settings_json, id;  // id: SHA-256 of settings_json (the study's identity)
  RegionRule rule;
  RegionFit one, two;
  double delta_K = 0;                    // L(one) − L(two) on the reference data set (≈ population)
  double nc_predicted = 0, nc_predicted_theory = 0;  // with λ̂, and with λ = 3/2, 2
  double nc_measured = 0;                // where the mean measured mass of "one node" crosses ½ (log-n interpolation)
  double nc_measured_lo = 0, nc_measured_hi = 0;  // its 16–84 % range over bootstrap resamples of the data sets
  // logit(measured) − logit(predicted) averaged over the data sets where both lie in (0.02, 0.98):
  // the O(1) part of F_2 − F_1 that n L + λ log n leaves out (prior, volume, symmetric copies)
  double log_odds_offset = 0, log_odds_offset_se = 0;
  int offset_points = 0;
  std::vector<TransitionPoint> points;
  std::vector<std::string> warnings;
  double wall_seconds = 0;
};

// Where the mean over data sets of the mass of "one node" first falls through ½ (log-n
// interpolation between the sizes of ns); NaN if it does not.
double measured_crossing(const std::vector<TransitionPoint>& points, const std::vector<int64_t>& ns);
// The 16–84 % range of measured_crossing over `resamples` bootstrap resamples of the data sets at
// each n (resamples without a crossing left out; NaN, NaN if none crosses).
std::pair<double, double> bootstrap_crossing(const std::vector<TransitionPoint>& points, const std::vector<int64_t>& ns,
                                             uint64_t seed, int resamples = 2000);

TransitionStudy measure_bayes_transition(const TransitionSettings& settings);

// The study's table (stdout) and figure (mass of "one node" against n, per data set and mean ± se,
// beside the prediction) under PREFIX (.png/.svg/.csv).
void print_bayes_transition(std::FILE* out, const TransitionStudy& study);
void write_bayes_transition(const std::string& prefix, const TransitionStudy& study);
// The study as the store keeps it (tables bayes_transitions, bayes_transition_points).
BayesTransitionRow transition_row(const TransitionStudy& study);

}  // namespace geneft
