#include "theory/perceptron_learning.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace geneft {

TeacherStudentProblem make_teacher_student(int n, int p, Rng& rng) {
  TeacherStudentProblem t;
  t.teacher.resize(n);
  for (int i = 0; i < n; ++i) t.teacher[i] = rng.normal();
  t.teacher.normalize();
  t.F.resize(p, n);
  Eigen::VectorXd x(n);
  for (int mu = 0; mu < p; ++mu) {
    for (int i = 0; i < n; ++i) x[i] = rng.normal();
    t.F.row(mu) = (t.teacher.dot(x) >= 0 ? 1.0 : -1.0) * x.transpose();
  }
  return t;
}

double perceptron_generalization_error(const Eigen::VectorXd& student, const Eigen::VectorXd& teacher) {
  const double r = std::clamp(student.dot(teacher) / (student.norm() * teacher.norm()), -1.0, 1.0);
  return std::acos(r) / std::numbers::pi;
}

VersionSpaceSampler::VersionSpaceSampler(const Eigen::MatrixXd& F, const Eigen::VectorXd& start)
    : F_(F), gram_(F * F.transpose()), gram_diag_(gram_.diagonal()), x_(start) {}

const Eigen::VectorXd& VersionSpaceSampler::next(Rng& rng) {
  const long n = x_.size(), p = F_.rows();
  v_.resize(n);
  for (long i = 0; i < n; ++i) v_[i] = rng.normal();
  // f.x and f.v for every wall, recomputed each iteration so that rounding does not accumulate
  fx_.noalias() = F_ * x_;
  fv_.noalias() = F_ * v_;
  double left = std::numbers::pi / 2;
  for (;;) {
    // f.x(t) = fx cos t + fv sin t = r cos(t - phi), phi = atan2(fv, fx) in (-pi/2, pi/2) inside
    // the cone: the wall is reached at t = phi + pi/2. Walls just reflected off (fx ~ 0, fv > 0)
    // come back at t ~ pi, beyond the time left.
    // A wall approached (fv < 0) is reached before t_hit exactly when f.x(t_hit) < 0, so the
    // arctangent is only taken for walls that beat the earliest hit found so far.
    long hit = -1;
    double t_hit = left, c_hit = std::cos(left), s_hit = std::sin(left);
    for (long j = 0; j < p; ++j) {
      if (fv_[j] >= 0 && fx_[j] > 0) continue;  // moving away from wall j: next zero after pi/2
      if (fx_[j] * c_hit + fv_[j] * s_hit >= 0) continue;
      const double t = std::atan2(fv_[j], fx_[j]) + std::numbers::pi / 2;
      if (t > 0 && t < t_hit) t_hit = t, hit = j, c_hit = std::cos(t), s_hit = std::sin(t);
    }
    const double c = std::cos(t_hit), s = std::sin(t_hit);
    // rotate (x, v) and the walls' projections by the same angle
    for (long i = 0; i < n; ++i) {
      const double xi = x_[i], vi = v_[i];
      x_[i] = xi * c + vi * s, v_[i] = vi * c - xi * s;
    }
    for (long j = 0; j < p; ++j) {
      const double a = fx_[j], b = fv_[j];
      fx_[j] = a * c + b * s, fv_[j] = b * c - a * s;
    }
    if (hit < 0) break;
    // reflect the velocity off wall `hit`: v -= 2 (f.v / |f|^2) f
    const double k = 2 * fv_[hit] / gram_diag_[hit];
    v_.noalias() -= k * F_.row(hit).transpose();
    fv_.noalias() -= k * gram_.col(hit);
    fx_[hit] = std::max(fx_[hit], 0.0);
    left -= t_hit;
    ++bounces_;
  }
  return x_;
}

Eigen::VectorXd hebb_student(const Eigen::MatrixXd& F) { return F.colwise().sum().transpose(); }

namespace {
// H(x) = int_x^inf Dt
double gauss_tail(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

// int Dt exp(-r t^2/2) / H(-sqrt(r) t), by Simpson's rule on [-12, 12]: the integrand is smooth
// and falls off like a Gaussian on both sides.
double gibbs_integral(double r) {
  const int steps = 2000;
  const double lo = -12, hi = 12, h = (hi - lo) / steps;
  double sum = 0;
  for (int i = 0; i <= steps; ++i) {
    const double t = lo + i * h;
    const double f = std::exp(-0.5 * (1 + r) * t * t) / std::sqrt(2 * std::numbers::pi) / gauss_tail(-std::sqrt(r) * t);
    sum += f * (i == 0 || i == steps ? 1 : i % 2 ? 4 : 2);
  }
  return sum * h / 3;
}
}  // namespace

double gibbs_saddle_point_ratio(double r, double alpha) {
  return alpha / std::numbers::pi * gibbs_integral(r) / (r / std::sqrt(1 - r));
}

double gibbs_replica_overlap(double alpha) {
  if (alpha <= 0) return 0;
  // r / sqrt(1 - r) rises from 0 to infinity, the right-hand side stays finite: bisect on
  // g(r) = r/sqrt(1-r) - (alpha/pi) I(r), negative near 0 and positive near 1
  double lo = 0, hi = 1;
  for (int it = 0; it < 56; ++it) {
    const double mid = 0.5 * (lo + hi);
    (mid / std::sqrt(1 - mid) < alpha / std::numbers::pi * gibbs_integral(mid) ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double gibbs_replica_error(double alpha) { return std::acos(gibbs_replica_overlap(alpha)) / std::numbers::pi; }

double gibbs_asymptotic_coefficient() {
  // R -> 1: 1/sqrt(1 - R) = alpha I(1)/pi, eps = arccos(R)/pi ~ sqrt(2 (1 - R))/pi = sqrt(2)/(alpha I(1))
  return std::numbers::sqrt2 / gibbs_integral(1);
}

double hebb_error(double alpha) { return std::acos(std::sqrt(2 * alpha / (2 * alpha + std::numbers::pi))) / std::numbers::pi; }

namespace {
// log2 of Cover's count C(M, N) = 2 sum_{k < min(N, M)} binom(M - 1, k), summed in log space
double log2_cover_count(int M, int n) {
  const int top = std::min(n, M) - 1;
  auto log_binom = [](int a, int b) { return std::lgamma(a + 1.0) - std::lgamma(b + 1.0) - std::lgamma(a - b + 1.0); };
  double peak = -INFINITY;
  for (int k = 0; k <= top; ++k) peak = std::max(peak, log_binom(M - 1, k));
  double sum = 0;
  for (int k = 0; k <= top; ++k) sum += std::exp(log_binom(M - 1, k) - peak);
  return 1 + (peak + std::log(sum)) / std::numbers::ln2;
}
}  // namespace

double halfspace_vc_bound(int m, int n, double delta) {
  return 2.0 / m * (log2_cover_count(2 * m, n) + std::log2(2 / delta));
}

double halfspace_vc_saturating_mean(int m, int n) {
  return 2.0 / m * (log2_cover_count(2 * m, n) + 1 + 1 / std::numbers::ln2);
}

std::vector<PerceptronPoint> run_perceptron_study(const PerceptronStudy& s) {
  std::vector<PerceptronPoint> out;
  for (double alpha : s.alphas) {
    PerceptronPoint pt;
    pt.p = std::max(1, int(std::lround(alpha * s.n)));
    pt.alpha = double(pt.p) / s.n;
    std::vector<double> gibbs, draws, hebb;
    long bounces = 0;
    for (int t = 0; t < s.teachers; ++t) {
      // one stream per (P, teacher): a point does not depend on the rest of the grid
      Rng rng(splitmix64(s.seed ^ splitmix64(uint64_t(pt.p) * 1000003ULL + uint64_t(t))));
      const TeacherStudentProblem prob = make_teacher_student(s.n, pt.p, rng);
      hebb.push_back(perceptron_generalization_error(hebb_student(prob.F), prob.teacher));
      VersionSpaceSampler sampler(prob.F, prob.teacher * std::sqrt(double(s.n)));
      for (int it = 0; it < s.burn_in; ++it) sampler.next(rng);
      const long before = sampler.bounces();
      double sum = 0;
      for (int k = 0; k < s.draws; ++k) {
        const Eigen::VectorXd& w = sampler.next(rng);
        if ((prob.F * w).minCoeff() <= 0) pt.all_consistent = false;
        const double e = perceptron_generalization_error(w, prob.teacher);
        draws.push_back(e), sum += e;
      }
      bounces += sampler.bounces() - before;
      gibbs.push_back(sum / s.draws);
    }
    pt.gibbs = summarize_errors(gibbs, 1 - s.delta);
    pt.gibbs_draws = summarize_errors(draws, 1 - s.delta);
    pt.hebb = summarize_errors(hebb, 1 - s.delta);
    pt.replica = gibbs_replica_error(pt.alpha);
    pt.replica_finite_n = gibbs_replica_error(double(pt.p) / (s.n - 1));
    pt.hebb_theory = hebb_error(pt.alpha);
    pt.vc_bound = halfspace_vc_bound(pt.p, s.n, s.delta);
    pt.bounces_per_iteration = double(bounces) / (double(s.teachers) * s.draws);
    out.push_back(pt);
  }
  return out;
}

}  // namespace geneft
