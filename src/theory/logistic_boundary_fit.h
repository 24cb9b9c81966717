#pragma once
// Logistic regression of a binary outcome (a run generalized or not) on features, by Newton's
// method (IRLS); used to locate a measured phase boundary and compare it with a predicted one:
//   P(generalize) = sigmoid(beta0 + beta1 x),  x = log10(eta_dec / eta_enc):
//   boundary (P = 1/2) at x0 = -beta0 / beta1, steepness beta1;
//   P = sigmoid(beta0 + be log10 eta_enc + bd log10 eta_dec): boundary line in the log-log plane
//   log10 eta_dec = -(beta0 + be log10 eta_enc) / bd, slope -be / bd.
// A tiny ridge keeps the fit finite when the data are separable; `separable` says so.
#include <vector>

namespace geneft {

struct LogisticFit {
  std::vector<double> coef, std_error;  // intercept first
  std::vector<double> covariance;       // (p x p) row-major, from the inverse Hessian
  int iterations = 0;
  bool converged = false, separable = false;
  double log_likelihood = 0;
};

// rows: features without the intercept column; y: 0 or 1.
// Standard error of g(coef) by the delta method, from g's gradient.
double delta_method_std_error(const LogisticFit& fit, const std::vector<double>& gradient);

LogisticFit fit_logistic(const std::vector<std::vector<double>>& rows, const std::vector<int>& y,
                         double ridge = 1e-6, int max_iterations = 100);

// One run of a learning-rate sweep: where it sat, and whether it generalized.
struct LrOutcome {
  double log_enc = 0, log_dec = 0;  // log10 eta_enc, log10 eta_dec
  bool generalized = false;
};

// The measured phase boundary of a learning-rate sweep, fitted both ways:
//  on the ratio x = log10(eta_dec / eta_enc) alone (a slope-1 line assumed): x0 and steepness beta1;
//  on both logs (only when eta_enc varies): the line log10 eta_dec = slope log10 eta_enc + offset, and
//  its log ratio at log10 eta_enc = center (the runs' mean, inside the grid, so not an extrapolation
//  like the offset at eta_enc = 1). Standard errors from the inverse Hessian, by the delta method.
struct LrBoundaryFit {
  int runs = 0, generalized = 0;
  bool fitted = false;    // false: every run has the same outcome, no boundary
  bool two_axes = false;  // eta_enc and eta_dec varied, so the slope was fitted
  bool ratio_separable = false, both_separable = false;
  double x0 = 0, x0_se = 0, beta1 = 0, beta1_se = 0;
  double slope = 0, slope_se = 0, offset = 0, offset_se = 0;
  double center = 0, center_ratio = 0, center_ratio_se = 0;
};
LrBoundaryFit fit_lr_boundary(const std::vector<LrOutcome>& runs);

}  // namespace geneft
