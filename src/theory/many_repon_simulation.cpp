#include "theory/many_repon_simulation.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/rng.h"

namespace geneft {
namespace {

using Matrix = Eigen::MatrixXd;

// State: X (d x N, one column per repon), A (m x d).
struct State {
  Matrix X, A;
};

struct Forces {
  const std::vector<int>& cls;
  int classes;
  std::vector<int> count;  // repons per class

  // Deviations from the class centroids (d x N).
  Matrix centered(const Matrix& X) const {
    Matrix mean = Matrix::Zero(X.rows(), classes);
    for (int i = 0; i < X.cols(); ++i) mean.col(cls[i]) += X.col(i);
    for (int c = 0; c < classes; ++c)
      if (count[c]) mean.col(c) /= count[c];
    Matrix D = X;
    for (int i = 0; i < X.cols(); ++i) D.col(i) -= mean.col(cls[i]);
    return D;
  }
  // Sum over same-class pairs of outer(dx, dx) = sum_c n_c sum_{i in c} D_i D_i^T, as D W D^T.
  Matrix pair_scatter(const Matrix& D) const {
    Matrix W = D;
    for (int i = 0; i < D.cols(); ++i) W.col(i) *= count[cls[i]];
    return W * D.transpose();
  }
  // Time derivative under gradient flow of l = 1/4 sum_pairs |A dx|^2:
  //   dl/dx_i = 1/2 n_c A^T A (x_i - xbar_c),  dl/dA = 1/2 A sum_pairs dx dx^T.
  State velocity(const State& s, double eta_enc, double eta_dec) const {
    const Matrix D = centered(s.X);
    Matrix gx = s.A.transpose() * s.A * D;
    for (int i = 0; i < D.cols(); ++i) gx.col(i) *= 0.5 * count[cls[i]];
    return {-eta_enc * gx, -eta_dec * 0.5 * s.A * pair_scatter(D)};
  }
  // One classical RK4 step of length h.
  void rk4(State& s, double h, double eta_enc, double eta_dec) const {
    auto add = [](const State& x, double hh, const State& v) { return State{x.X + hh * v.X, x.A + hh * v.A}; };
    const State k1 = velocity(s, eta_enc, eta_dec), k2 = velocity(add(s, h / 2, k1), eta_enc, eta_dec),
                k3 = velocity(add(s, h / 2, k2), eta_enc, eta_dec), k4 = velocity(add(s, h, k3), eta_enc, eta_dec);
    s.X += h / 6 * (k1.X + 2 * k2.X + 2 * k3.X + k4.X);
    s.A += h / 6 * (k1.A + 2 * k2.A + 2 * k3.A + k4.A);
  }
};

}  // namespace

ManyReponSimulation::ManyReponSimulation(ManyReponSetup s) : setup_(s) {
  if (s.repons < 2 || s.classes < 1 || s.classes > s.repons || s.dim < 1 || s.decoder_rows < 1)
    throw UserError("many-repon simulation needs 2 <= repons, 1 <= classes <= repons, dim >= 1, decoder_rows >= 1");
  if (!(s.sigma_x > 0) || !(s.sigma_a > 0)) throw UserError("repon init scales must be positive");
}

void ManyReponSimulation::initial_state(uint64_t seed, std::vector<double>& x, std::vector<double>& a) const {
  const auto& p = setup_;
  Rng rng(seed);
  const InitLaw x_law{p.uniform_x, p.sigma_x}, a_law{p.uniform_a, p.sigma_a};
  x.assign(size_t(p.repons) * p.dim, 0.0);
  a.assign(size_t(p.decoder_rows) * p.dim, 0.0);
  for (int i = 0; i < p.repons; ++i)  // repon by repon
    for (int j = 0; j < p.dim; ++j) x[size_t(i) * p.dim + j] = x_law.draw(rng);
  for (int j = 0; j < p.dim; ++j)  // then the decoder, column by column
    for (int r = 0; r < p.decoder_rows; ++r) a[size_t(r) * p.dim + j] = a_law.draw(rng);
}

ManyReponRun ManyReponSimulation::run(double eta_enc, double eta_dec, uint64_t seed, double step_scale, double decided,
                                      int64_t max_steps) const {
  if (!(eta_enc > 0) || !(eta_dec > 0)) throw UserError("repon learning rates must be positive");
  const auto& p = setup_;
  std::vector<int> cls(p.repons);
  std::vector<int> count(p.classes, 0);
  for (int i = 0; i < p.repons; ++i) cls[i] = i % p.classes, ++count[cls[i]];
  const Forces f{cls, p.classes, count};

  std::vector<double> x_init, a_init;
  initial_state(seed, x_init, a_init);
  State s{Matrix(p.dim, p.repons), Matrix(p.decoder_rows, p.dim)};
  for (int i = 0; i < p.repons; ++i)
    for (int j = 0; j < p.dim; ++j) s.X(j, i) = x_init[size_t(i) * p.dim + j];
  for (int r = 0; r < p.decoder_rows; ++r)
    for (int j = 0; j < p.dim; ++j) s.A(r, j) = a_init[size_t(r) * p.dim + j];

  auto conserved = [&](const State& st) {
    return st.A.squaredNorm() / (2 * eta_dec) - f.centered(st.X).squaredNorm() / (2 * eta_enc);
  };
  const double c0 = conserved(s), a0 = s.A.squaredNorm();
  const double spread0 = f.pair_scatter(f.centered(s.X)).trace();
  const int nmax = *std::max_element(count.begin(), count.end());
  ManyReponRun r;
  // decoder-visible spread relative to the start, and the decoder's size relative to the start
  auto visible = [&](const State& st) {
    const Matrix D = f.centered(st.X);
    const double a2 = st.A.squaredNorm();
    return a2 > 0 ? (st.A * f.pair_scatter(D) * st.A.transpose()).trace() / (a2 * spread0) : 1.0;
  };
  for (; r.steps < max_steps; ++r.steps) {
    if (spread0 == 0 || visible(s) < decided) {
      r.outcome = ReponOutcome::Collide;
      break;
    }
    if (s.A.squaredNorm() < decided * a0) {
      r.outcome = ReponOutcome::Separate;
      break;
    }
    const Matrix D = f.centered(s.X);
    // fastest rates of the two linear sub-flows bound the step
    const double rate = eta_enc * 0.5 * nmax * s.A.squaredNorm() + eta_dec * 0.5 * f.pair_scatter(D).trace();
    f.rk4(s, step_scale / rate, eta_enc, eta_dec);
    if (c0 != 0) r.max_relative_drift = std::max(r.max_relative_drift, std::abs(conserved(s) - c0) / std::abs(c0));
  }
  if (r.outcome == ReponOutcome::Undecided)  // the side that is further along wins
    r.outcome = visible(s) < s.A.squaredNorm() / a0 ? ReponOutcome::Collide : ReponOutcome::Separate,
    r.steps = -r.steps;  // negative: decided by the tie-break
  return r;
}

std::vector<ManyReponSimulation::TrajectoryPoint> ManyReponSimulation::trajectory(const std::vector<double>& x0,
                                                                                const std::vector<double>& a0,
                                                                                double eta_enc, double eta_dec,
                                                                                const std::vector<double>& times,
                                                                                double step_scale) const {
  const auto& p = setup_;
  if (x0.size() != size_t(p.repons) * p.dim || a0.size() != size_t(p.decoder_rows) * p.dim)
    throw UserError("many-repon trajectory: the initial state does not have the setup's shape");
  if (!(eta_enc > 0) || !(eta_dec > 0)) throw UserError("repon learning rates must be positive");
  std::vector<int> cls(p.repons), count(p.classes, 0);
  for (int i = 0; i < p.repons; ++i) cls[i] = i % p.classes, ++count[cls[i]];
  const Forces f{cls, p.classes, count};
  State s{Matrix(p.dim, p.repons), Matrix(p.decoder_rows, p.dim)};
  for (int i = 0; i < p.repons; ++i)
    for (int j = 0; j < p.dim; ++j) s.X(j, i) = x0[size_t(i) * p.dim + j];
  for (int r = 0; r < p.decoder_rows; ++r)
    for (int j = 0; j < p.dim; ++j) s.A(r, j) = a0[size_t(r) * p.dim + j];
  const int nmax = *std::max_element(count.begin(), count.end());
  std::vector<TrajectoryPoint> out;
  double t = 0;
  for (double target : times) {
    if (target < t) throw UserError("many-repon trajectory: times must ascend from 0");
    while (t < target) {
      const Matrix D = f.centered(s.X);
      const double rate = eta_enc * 0.5 * nmax * s.A.squaredNorm() + eta_dec * 0.5 * f.pair_scatter(D).trace();
      const double h = rate > 0 ? std::min(target - t, step_scale / rate) : target - t;
      f.rk4(s, h, eta_enc, eta_dec);
      t += h;
    }
    out.push_back({target, std::sqrt(f.centered(s.X).squaredNorm() / p.repons), s.A.norm()});
  }
  return out;
}

MonteCarloEstimate ManyReponSimulation::generalization_probability(double eta_enc, double eta_dec, int64_t samples,
                                                                   uint64_t seed) const {
  if (samples < 1) throw UserError("Monte Carlo needs at least one sample");
  MonteCarloEstimate e;
  int64_t collide = 0;
  for (int64_t i = 0; i < samples; ++i) {
    const auto r = run(eta_enc, eta_dec, splitmix64(seed + uint64_t(i)));
    collide += r.outcome == ReponOutcome::Collide;
    e.undecided += r.steps < 0;
  }
  e.samples = samples;
  e.probability = double(collide) / double(samples);
  e.std_error = std::sqrt(e.probability * (1 - e.probability) / double(samples));
  return e;
}

ReponBoundary simulate_repon_boundary(const ManyReponSimulation& sim, const std::vector<double>& log_ratios,
                                      int64_t samples, uint64_t seed) {
  ReponBoundary b;
  b.crossing = std::nan("");
  for (double x : log_ratios) {
    const auto e = sim.generalization_probability(1.0, std::pow(10.0, x), samples, seed);
    b.log_ratio.push_back(x), b.probability.push_back(e.probability), b.std_error.push_back(e.std_error);
  }
  for (size_t i = 0; i + 1 < b.log_ratio.size() && std::isnan(b.crossing); ++i) {
    const double p0 = b.probability[i] - 0.5, p1 = b.probability[i + 1] - 0.5;
    if (p0 == 0) b.crossing = b.log_ratio[i];
    else if ((p0 > 0) != (p1 > 0) || p1 == 0)
      b.crossing = b.log_ratio[i] + (b.log_ratio[i + 1] - b.log_ratio[i]) * p0 / (p0 - p1);
  }
  return b;
}

double ManyReponSimulation::threshold(uint64_t seed, double lo, double hi, double tolerance) const {
  auto collides = [&](double x) { return run(1.0, std::pow(10.0, x), seed).outcome == ReponOutcome::Collide; };
  if (!collides(lo)) return lo;
  if (collides(hi)) return hi;
  while (hi - lo > tolerance) {
    const double mid = (lo + hi) / 2;
    (collides(mid) ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

ReponThresholds many_repon_thresholds(const ManyReponSimulation& sim, int64_t samples, uint64_t seed) {
  if (samples < 1) throw UserError("Monte Carlo needs at least one sample");
  std::vector<double> x;
  for (int64_t i = 0; i < samples; ++i) x.push_back(sim.threshold(splitmix64(seed + uint64_t(i))));
  return ReponThresholds::from(std::move(x));
}

}  // namespace geneft
