#include "slt/lanczos.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "core/error.h"
#include "core/rng.h"

namespace geneft {

HessianVectorProduct::HessianVectorProduct(const SamplingTarget& target, std::vector<double> w, double h)
    : target_(target), worker_(target.make_worker(int(target.num_samples()))), w_(std::move(w)), shifted_(w_.size()),
      g_plus_(w_.size()), g_minus_(w_.size()), h_(h) {
  if (w_.size() != target.dim()) throw std::logic_error("HessianVectorProduct: w has the wrong size");
}

void HessianVectorProduct::apply(const double* v, double* out) {
  const size_t d = w_.size();
  double norm = 0;
  for (size_t i = 0; i < d; ++i) norm += v[i] * v[i];
  norm = std::sqrt(norm);
  if (norm == 0) return std::fill(out, out + d, 0.0);
  const int n = int(target_.num_samples());
  const double step = h_ / norm;  // w ± h v̂
  for (size_t i = 0; i < d; ++i) shifted_[i] = w_[i] + step * v[i];
  worker_->loss(shifted_.data(), nullptr, n, g_plus_.data());
  for (size_t i = 0; i < d; ++i) shifted_[i] = w_[i] - step * v[i];
  worker_->loss(shifted_.data(), nullptr, n, g_minus_.data());
  for (size_t i = 0; i < d; ++i) out[i] = (g_plus_[i] - g_minus_[i]) / (2 * step);
}

LanczosResult lanczos(const LinearOperator& apply, size_t d, int k, const std::vector<double>& start) {
  if (k < 1) throw UserError("Lanczos needs at least 1 step (got " + std::to_string(k) + ")");
  if (start.size() != d) throw std::logic_error("lanczos: start vector has the wrong size");
  k = int(std::min<size_t>(size_t(k), d));
  Eigen::MatrixXd V(d, k);  // the Lanczos basis, column j = v_j
  Eigen::VectorXd v = Eigen::Map<const Eigen::VectorXd>(start.data(), Eigen::Index(d)), w(d);
  v.normalize();
  std::vector<double> alpha, beta;
  for (int j = 0; j < k; ++j) {
    V.col(j) = v;
    apply(V.col(j).data(), w.data());
    const double a = v.dot(w);
    alpha.push_back(a);
    // full reorthogonalization against every earlier basis vector (twice is enough: Parlett 1980)
    for (int pass = 0; pass < 2; ++pass) w -= V.leftCols(j + 1) * (V.leftCols(j + 1).transpose() * w);
    const double b = w.norm();
    if (j + 1 == k || b < 1e-10 * std::max(1.0, std::fabs(a))) break;
    beta.push_back(b);
    v = w / b;
  }
  const int m = int(alpha.size());
  Eigen::MatrixXd T = Eigen::MatrixXd::Zero(m, m);
  for (int j = 0; j < m; ++j) {
    T(j, j) = alpha[j];
    if (j + 1 < m) T(j, j + 1) = T(j + 1, j) = beta[j];
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(T);
  LanczosResult r;
  for (int i = 0; i < m; ++i) {
    r.ritz.push_back(es.eigenvalues()(i));
    r.weights.push_back(es.eigenvectors()(0, i) * es.eigenvectors()(0, i));
  }
  return r;
}

SpectralDensity spectral_density(const LinearOperator& apply, size_t d, int k, int probes, uint64_t seed,
                                 int grid_points, double sigma_fraction) {
  if (probes < 1) throw UserError("stochastic Lanczos quadrature needs at least 1 probe (got " + std::to_string(probes) + ")");
  Rng rng(splitmix64(seed ^ 0x51A9));
  std::vector<double> z(d);
  std::vector<LanczosResult> results;
  for (int p = 0; p < probes; ++p) {
    for (auto& x : z) x = rng.uniform() < 0.5 ? -1.0 : 1.0;
    results.push_back(lanczos(apply, d, k, z));
  }
  return density_of_probes(std::move(results), grid_points, sigma_fraction);
}

SpectralDensity density_of_probes(std::vector<LanczosResult> probes, int grid_points, double sigma_fraction) {
  if (probes.empty()) throw UserError("a spectral density needs at least 1 probe");
  SpectralDensity s;
  s.probes = std::move(probes);
  s.lowest = INFINITY, s.highest = -INFINITY;
  for (const auto& p : s.probes) {
    if (p.ritz.empty() || p.ritz.size() != p.weights.size())
      throw UserError("a Lanczos probe with " + std::to_string(p.ritz.size()) + " nodes and " +
                      std::to_string(p.weights.size()) + " weights");
    s.lowest = std::min(s.lowest, p.ritz.front());
    s.highest = std::max(s.highest, p.ritz.back());
  }
  const double span = std::max(s.highest - s.lowest, 1e-12 * std::max(1.0, std::fabs(s.highest)));
  const double sigma = sigma_fraction * span, lo = s.lowest - 5 * sigma, hi = s.highest + 5 * sigma;
  const double probes_n = double(s.probes.size());
  for (int g = 0; g < grid_points; ++g) {
    const double t = lo + (hi - lo) * g / (grid_points - 1);
    double rho = 0;
    for (const auto& pr : s.probes)
      for (size_t i = 0; i < pr.ritz.size(); ++i)
        rho += pr.weights[i] * std::exp(-0.5 * std::pow((t - pr.ritz[i]) / sigma, 2)) / (sigma * std::sqrt(2 * M_PI));
    s.grid.push_back(t), s.density.push_back(rho / probes_n);
  }
  return s;
}

SpectralCount count_below(const SpectralDensity& s, size_t d, double tol) {
  const double top = std::max(std::fabs(s.lowest), std::fabs(s.highest));
  const double cut = std::max(tol * top, 1e-12);
  std::vector<double> per_probe;
  for (const auto& p : s.probes) {
    double w = 0;
    for (size_t i = 0; i < p.ritz.size(); ++i)
      if (std::fabs(p.ritz[i]) <= cut) w += p.weights[i];
    per_probe.push_back(double(d) * w);
  }
  SpectralCount c;
  const double m = double(per_probe.size());
  for (double x : per_probe) c.count += x / m;
  if (per_probe.size() > 1) {
    double var = 0;
    for (double x : per_probe) var += (x - c.count) * (x - c.count) / (m - 1);
    c.standard_error = std::sqrt(var / m);
  }
  return c;
}

}  // namespace geneft
