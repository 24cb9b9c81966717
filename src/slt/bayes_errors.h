#pragma once
// Singular fluctuation and the Bayes generalization and training errors at β = 1, measured from
// posterior draws on the linear validation models (Gaussian regression, unit noise, x ~ N(0, I)),
// beside Watanabe's predictions (Watanabe 2010, "Asymptotic equivalence of Bayes cross validation
// and widely applicable information criterion in singular learning theory", JMLR 11, Theorems 1–2;
// Watanabe 2009, Ch. 6):
//   G_n = E_{(x,y)}[−log E_w p(y|x,w)] − S,     S   = E[−log p(y|x,w₀)]        (test set, T points)
//   T_n = −(1/n) Σ_i log E_w p(y_i|x_i,w) − S_n,  S_n = −(1/n) Σ_i log p(y_i|x_i,w₀)  (the training set)
//   V_n = Σ_i Var_w[log p(y_i|x_i,w)],  ν ≈ β E[V_n]/2,  WAIC = T_n + β V_n / n
//   E[G_n] = λ/n + o(1/n),  E[T_n] = (λ − 2ν)/n + o(1/n),  E[WAIC] = E[G_n] + o(1/n);
// for a regular model ν = λ = d/2. E_w is the posterior ∝ exp(−n L_n(w)) φ(w), φ = N(0, γ⁻¹ I),
// sampled by SGLD without localization (chains start at the trained minimum). Free energy:
// F_n ≈ WBIC (Watanabe 2013), and F_n − n L_n(w₀) ≈ λ log n − (m − 1) log log n + O(1): the slope
// against log n over the sizes is a λ estimate (m = 1 taken; the log log term is in the O(1) drift).
#include <string>
#include <vector>

#include "slt/sgld_sampler.h"
#include "slt/validation_model.h"

namespace geneft {

struct BayesErrorSettings {
  std::vector<int64_t> ns = {100, 300, 1000};
  int datasets = 8;            // independent training sets per n (data seeds spec.seed + k)
  int64_t test_size = 20000;   // fresh test points per data set for G_n
  SgldSettings sampler;        // nbeta is set to n (β = 1); epsilon 0 here: 0.02 / n
  bool wbic = true;            // also WBIC per data set (two more runs at β = 1/ln n and 2/ln n)
};

struct MeanSe {
  double mean = 0, se = 0;  // mean and standard error over data sets
};

struct BayesErrorPoint {
  int64_t n = 0;
  MeanSe G, T, V, nu, waic, wbic_minus_nl0, lambda_wbic;  // G, T, WAIC per sample (not × n)
  // regular model only (NaN otherwise): WBIC − n L_n(w₀) and F_n − n L_n(w₀) in closed form
  MeanSe wbic_exact, free_energy_exact;
  double mala = 0;                                        // mean MALA acceptance at β = 1
  int diverged_chains = 0;
};

struct BayesErrorStudy {
  std::string model;  // describe() of the first data set's model
  double true_lambda = 0;
  size_t d = 0;
  std::vector<BayesErrorPoint> points;
  double slope = 0, slope_se = 0;  // of mean WBIC − n L_n(w₀) against log n (NaN without WBIC)
  double slope_wbic_exact = 0, slope_wbic_exact_se = 0;              // the same in closed form (regular)
  double slope_free_energy_exact = 0, slope_free_energy_exact_se = 0;  // of F_n − n L_n(w₀) (regular)
  std::vector<std::string> warnings;
};

// The regular model y = W x + N(0, I) with prior N(0, γ⁻¹ I) (DeepLinearNetwork with two widths) in
// closed form, n L_n without the likelihood's constant:
//   WBIC = E_β[n L_n] = Σ_a ½|y_a − X m_a|² + (N/2) tr(XᵀX A⁻¹)   at β = 1/ln n (Watanabe 2013)
//   F_n = −log ∫ e^{−n L_n} φ = Σ_a [½|y_a − X m_a|² + ½γ|m_a|²] + (N/2) log det(A/γ)   at β = 1
// with A = β XᵀX + γI and m_a = A⁻¹ β Xᵀ y_a (the tempered posterior of each output row a).
class DeepLinearNetwork;
struct ExactFreeEnergies {
  double wbic = 0, free_energy = 0;
};
ExactFreeEnergies regular_model_free_energies(const DeepLinearNetwork& net, double gamma);

// UserError for normal crossing (it has no data to predict) or bad settings.
BayesErrorStudy measure_bayes_errors(ValidationSpec spec, const BayesErrorSettings& settings);

// Table (stdout), CSV (one row per n) and figure (n·G_n, n·T_n, n·WAIC and ν against n, beside
// λ and λ − 2ν) under PREFIX.
void print_bayes_errors(std::FILE* out, const BayesErrorStudy& study);
void write_bayes_errors(const std::string& prefix, const BayesErrorStudy& study);

}  // namespace geneft
