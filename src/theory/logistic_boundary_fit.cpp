#include "theory/logistic_boundary_fit.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace geneft {

LogisticFit fit_logistic(const std::vector<std::vector<double>>& rows, const std::vector<int>& y, double ridge,
                         int max_iterations) {
  if (rows.empty() || rows.size() != y.size()) throw UserError("logistic fit needs one outcome per row and some rows");
  const int n = int(rows.size()), p = int(rows[0].size()) + 1;
  Eigen::MatrixXd X(n, p);
  Eigen::VectorXd Y(n);
  for (int i = 0; i < n; ++i) {
    if (int(rows[i].size()) != p - 1) throw UserError("logistic fit: rows differ in length");
    X(i, 0) = 1;
    for (int j = 1; j < p; ++j) X(i, j) = rows[i][j - 1];
    Y(i) = y[i] ? 1 : 0;
  }
  Eigen::MatrixXd R = ridge * Eigen::MatrixXd::Identity(p, p);
  R(0, 0) = 0;  // no penalty on the intercept
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  LogisticFit fit;
  Eigen::MatrixXd H(p, p);
  for (fit.iterations = 1; fit.iterations <= max_iterations; ++fit.iterations) {
    const Eigen::VectorXd eta = X * beta;
    Eigen::VectorXd mu(n), w(n);
    for (int i = 0; i < n; ++i) mu(i) = 1 / (1 + std::exp(-eta(i))), w(i) = std::max(mu(i) * (1 - mu(i)), 1e-12);
    H = X.transpose() * w.asDiagonal() * X + R;
    const Eigen::VectorXd g = X.transpose() * (Y - mu) - R * beta;
    const Eigen::VectorXd step = H.ldlt().solve(g);
    beta += step;
    if (step.norm() < 1e-10 * (1 + beta.norm())) {
      fit.converged = true;
      break;
    }
  }
  const Eigen::MatrixXd cov = H.inverse();
  double ll = 0;
  int wrong = 0;
  for (int i = 0; i < n; ++i) {
    const double e = X.row(i).dot(beta);
    const double softplus = e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e));
    ll += Y(i) * e - softplus;
    wrong += (e > 0) != (Y(i) > 0.5);
  }
  fit.log_likelihood = ll;
  fit.separable = wrong == 0;
  for (int i = 0; i < p; ++i)
    for (int j = 0; j < p; ++j) fit.covariance.push_back(cov(i, j));
  for (int j = 0; j < p; ++j) fit.coef.push_back(beta(j)), fit.std_error.push_back(std::sqrt(std::max(0.0, cov(j, j))));
  return fit;
}

double delta_method_std_error(const LogisticFit& fit, const std::vector<double>& g) {
  const size_t p = fit.coef.size();
  if (g.size() != p) throw UserError("delta method: gradient length differs from the coefficients");
  double v = 0;
  for (size_t i = 0; i < p; ++i)
    for (size_t j = 0; j < p; ++j) v += g[i] * fit.covariance[i * p + j] * g[j];
  return std::sqrt(std::max(0.0, v));
}

LrBoundaryFit fit_lr_boundary(const std::vector<LrOutcome>& runs) {
  LrBoundaryFit f;
  f.runs = int(runs.size());
  std::vector<std::vector<double>> by_ratio, by_both;
  std::vector<int> y;
  double lo = 1e300, hi = -1e300, dec_lo = 1e300, dec_hi = -1e300;
  for (const auto& r : runs) {
    by_ratio.push_back({r.log_dec - r.log_enc}), by_both.push_back({r.log_enc, r.log_dec}), y.push_back(r.generalized);
    f.generalized += r.generalized, f.center += r.log_enc / f.runs;
    lo = std::min(lo, r.log_enc), hi = std::max(hi, r.log_enc);
    dec_lo = std::min(dec_lo, r.log_dec), dec_hi = std::max(dec_hi, r.log_dec);
  }
  if (f.generalized == 0 || f.generalized == f.runs) return f;
  f.fitted = true;
  const LogisticFit f1 = fit_logistic(by_ratio, y);
  const double b0 = f1.coef[0], b1 = f1.coef[1];
  f.beta1 = b1, f.beta1_se = f1.std_error[1], f.ratio_separable = f1.separable;
  f.x0 = -b0 / b1, f.x0_se = delta_method_std_error(f1, {-1 / b1, b0 / (b1 * b1)});
  f.two_axes = hi - lo > 1e-9 && dec_hi - dec_lo > 1e-9;  // a line needs both rates to vary
  if (!f.two_axes) return f;
  const LogisticFit f2 = fit_logistic(by_both, y);
  const double c0 = f2.coef[0], be = f2.coef[1], bd = f2.coef[2], c = f.center;
  f.both_separable = f2.separable;
  f.slope = -be / bd, f.slope_se = delta_method_std_error(f2, {0, -1 / bd, be / (bd * bd)});
  f.offset = -c0 / bd, f.offset_se = delta_method_std_error(f2, {-1 / bd, 0, c0 / (bd * bd)});
  // log10(eta_dec / eta_enc) on the line at log10 eta_enc = c: -(c0 + be c) / bd - c
  f.center_ratio = -(c0 + be * c) / bd - c;
  f.center_ratio_se = delta_method_std_error(f2, {-1 / bd, -c / bd, (c0 + be * c) / (bd * bd)});
  return f;
}

}  // namespace geneft
