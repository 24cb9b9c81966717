#pragma once
// Degeneracy of the loss at a point w*: the spectra of the Hessian of L_n and of the model
// Fisher information, their numerical ranks over several tolerances, an effective dimension,
// and the generic symmetry directions of the architecture.
//
// Bounds (at a minimum w* with a prior positive there): rank(H)/2 ≤ λ(w*) ≤ rank(H)/2 +
// (d − rank(H))/4 ≤ d/2 — the lower bound because the quadratic part of K alone gives rank/2
// and higher-order terms only add, the upper because every direction in the kernel of H is at
// least quartic (Watanabe 2009, "Algebraic Geometry and Statistical Learning Theory", Ch. 7;
// examples: K = u² + v⁴ has rank 1 and λ = 3/4; K = u²v² rank 0 and λ = 1/2).
//
// Model Fisher information I(w) = E_x E_{y~p(·|x,w)}[∇log p ∇log pᵀ] (Amari 1998; Kunstner,
// Hennig & Balles 2019, "Limitations of the empirical Fisher approximation", eq. 2), with E_x over
// the training inputs: for unit-variance Gaussian regression JᵀJ averaged over inputs; for a
// softmax or sigmoid head Σ_y p(y|x) g_y g_yᵀ with g_y the gradient of −log p(y|x). Not the
// empirical Fisher of per-sample loss gradients, which vanishes at an interpolating w*.
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "slt/sampling_target.h"

namespace geneft {

// Hessian of L_n at w: central differences of the analytic gradient, step h·(1 + |w_i|),
// symmetrized ((H + Hᵀ)/2); a row whose forward and backward differences disagree (a ReLU kink
// within one step) takes the one-sided difference of the side without the kink.
// 2·dim() + 1 full-batch gradient evaluations.
Eigen::MatrixXd loss_hessian(const SamplingTarget& target, const std::vector<double>& w, double h = 1e-5);

// Model Fisher information at w for the targets that define one (normal crossing as the model
// y = Π w_i^{k_i} + N(0, ½), deep linear networks, networks with a cross_entropy or binary head);
// UserError naming the model otherwise.
Eigen::MatrixXd model_fisher(const SamplingTarget& target, const std::vector<double>& w);

// Ascending eigenvalues of a symmetric matrix (Eigen's SelfAdjointEigenSolver).
Eigen::VectorXd symmetric_eigenvalues(const Eigen::MatrixXd& m);

// Number of eigenvalues with |e| > max(tol · max|e|, 1e-12).
int numerical_rank(const Eigen::VectorXd& eigenvalues, double relative_tolerance);

// MacKay's effective number of parameters (MacKay 1992, "Bayesian interpolation", eq. 4.10)
// of n·H against a unit-precision prior: Σ_i nλ_i / (nλ_i + 1), negative eigenvalues as 0.
double effective_dimension(const Eigen::VectorXd& hessian_eigenvalues, double n);

// Continuous symmetry directions that the architecture guarantees at every generic point, and
// what was counted.
struct GenericSymmetries {
  int count = 0;
  std::string what;
};

// Tolerances over which ranks are shown (relative to the largest eigenvalue).
inline const std::vector<double> kRankTolerances = {1e-2, 1e-4, 1e-6, 1e-8};

struct DegeneracyReport {
  size_t d = 0;
  int64_t n = 0;
  Eigen::VectorXd hessian, fisher;   // ascending eigenvalues (fisher empty when not defined)
  std::vector<int> hessian_rank, fisher_rank;  // at kRankTolerances
  double effective_dim = 0;
  GenericSymmetries generic;
  std::string fisher_note;           // why the Fisher is missing, when it is
  // The rank at the tolerance `tol_index` of kRankTolerances, the stable one (default 1e-6).
  double lower_bound(int tol_index = 2) const { return hessian_rank[tol_index] / 2.0; }
  double upper_bound(int tol_index = 2) const {
    return hessian_rank[tol_index] / 2.0 + (double(d) - hessian_rank[tol_index]) / 4.0;
  }
};

// What the model's parametrization guarantees (dynamic type of the target): none for normal
// crossing and linear regression; GL(H_l) per hidden layer of a deep linear network; for a network
// see generic_symmetries.cpp.
GenericSymmetries generic_symmetries(const SamplingTarget& target);

DegeneracyReport measure_degeneracy(const SamplingTarget& target, const std::vector<double>& w);

}  // namespace geneft
