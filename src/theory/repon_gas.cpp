#include "theory/repon_gas.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "core/error.h"
#include "core/rng.h"

namespace geneft {

double init_volume(InitLaw law, int dim) {
  if (dim < 1 || !(law.std > 0)) throw UserError("init volume needs dim >= 1 and a positive std");
  // side of the cube with the law's entropy: sqrt(12) sigma (uniform), sqrt(2 pi e) sigma (normal)
  const double side = law.uniform ? std::sqrt(12.0) * law.std : std::sqrt(2 * std::numbers::pi * std::numbers::e) * law.std;
  return std::pow(side, dim);
}

double repon_gas_density(int repons, int dim, InitLaw embedding) { return repons / init_volume(embedding, dim); }

double repon_gas_threshold(const ManyReponSimulation& sim, uint64_t seed, double lo, double hi) {
  const auto& p = sim.setup();
  std::vector<double> x, a;
  sim.initial_state(seed, x, a);
  using Matrix = Eigen::MatrixXd;
  const Matrix X = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.data(), p.repons, p.dim);
  const Matrix A = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(a.data(), p.decoder_rows, p.dim);
  // deviations from the class centroids (node i in class i mod classes)
  Matrix mean = Matrix::Zero(p.classes, p.dim);
  std::vector<int> count(p.classes, 0);
  for (int i = 0; i < p.repons; ++i) mean.row(i % p.classes) += X.row(i), ++count[i % p.classes];
  Matrix D = X;
  for (int i = 0; i < p.repons; ++i) D.row(i) -= mean.row(i % p.classes) / count[i % p.classes];
  const Matrix S = D.transpose() * D, M = A.transpose() * A;
  // S singular (an empty direction, d > n - k): the decoder survives there at any ratio
  const Eigen::SelfAdjointEigenSolver<Matrix> s_eig(S);
  if (s_eig.eigenvalues().minCoeff() <= 1e-12 * std::max(1.0, s_eig.eigenvalues().maxCoeff())) return hi;
  const Eigen::GeneralizedSelfAdjointEigenSolver<Matrix> g(M, S, Eigen::EigenvaluesOnly);
  const double top = g.eigenvalues().maxCoeff();
  return top > 0 ? std::clamp(std::log10(top), lo, hi) : lo;
}

ReponThresholds repon_gas_thresholds(const ManyReponSimulation& sim, int64_t samples, uint64_t seed) {
  if (samples < 1) throw UserError("Monte Carlo needs at least one sample");
  std::vector<double> x;
  for (int64_t i = 0; i < samples; ++i) x.push_back(repon_gas_threshold(sim, splitmix64(seed + uint64_t(i))));
  return ReponThresholds::from(std::move(x));
}

std::vector<GasTrend> offset_trends(const std::vector<GasBoundary>& boundaries) {
  std::map<int, std::vector<CurvePoint>> by_dim;
  for (const auto& b : boundaries)
    if (std::isfinite(b.x0) && b.density > 0) by_dim[b.dim].push_back({std::log10(b.density), b.x0, b.x0_se});
  std::vector<GasTrend> out;
  for (auto& [dim, points] : by_dim) {
    std::sort(points.begin(), points.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.x < b.x; });
    if (points.size() < 2 || points.front().x == points.back().x) continue;
    out.push_back({dim, fit_line(points)});
  }
  return out;
}

}  // namespace geneft
