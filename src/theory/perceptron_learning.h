#pragma once
// Perceptron teacher-student learning (Engel & Van den Broeck 2001, "Statistical Mechanics of
// Learning", Ch. 2-3): a teacher T uniform on the sphere in R^N, P = alpha N examples x ~ N(0, I_N)
// labelled sign(T.x). For a student J the generalization error is exact, eps = arccos(R)/pi with
// R = J.T / (|J||T|), so no test set is drawn.
//
// Students:
//  - Gibbs learning: J uniform on the version space {J : sign(J.x) = label for every example}.
//    A standard Gaussian restricted to the cone {F J > 0} (F: rows label * x) has a uniform
//    direction there, so we sample that truncated Gaussian with the exact Hamiltonian Monte Carlo
//    of Pakman & Paninski 2014 (J. Comput. Graph. Stat. 23, 518): under H = |J|^2/2 + |v|^2/2 a
//    trajectory is J(t) = J cos t + v sin t, a wall f.J = 0 is hit at a time found in closed form,
//    and the velocity is reflected off it. Each iteration draws v ~ N(0, I) and moves for time pi/2.
//    Replica-symmetric theory (Gyorgyi & Tishby 1990; E&VdB Ch. 2), with q = R for Gibbs learning:
//    R / sqrt(1 - R) = (alpha/pi) int Dt exp(-R t^2/2) / H(-sqrt(R) t),
//    eps -> 0.625/alpha for large alpha.
//  - Hebb: J = sum_mu label_mu x_mu; R = sqrt(2 alpha / (2 alpha + pi)) (Vallet 1989; E&VdB Ch. 3): the field
//    along T sums P |T.x| (mean sqrt(2/pi) each), the rest is a random walk of P steps in N - 1 dimensions.
// The version space lives on the sphere S^(N-1): at finite N, alpha N/(N-1) in place of alpha
// accounts for most of the difference from the N = infinity curve.
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "theory/learning_curve_stats.h"

namespace geneft {

struct TeacherStudentProblem {
  Eigen::VectorXd teacher;  // (N), unit norm
  Eigen::MatrixXd F;        // (P, N): row mu is label_mu * x_mu
};
TeacherStudentProblem make_teacher_student(int n, int p, Rng& rng);

// eps = arccos(R)/pi, the probability that J and the teacher disagree on x ~ N(0, I).
double perceptron_generalization_error(const Eigen::VectorXd& student, const Eigen::VectorXd& teacher);

// Exact HMC for N(0, I_N) truncated to {J : F J > 0} (Pakman & Paninski 2014).
class VersionSpaceSampler {
 public:
  // start must satisfy F start > 0 (e.g. the teacher).
  VersionSpaceSampler(const Eigen::MatrixXd& F, const Eigen::VectorXd& start);
  // One trajectory of time pi/2 from a fresh velocity; returns the new point.
  const Eigen::VectorXd& next(Rng& rng);
  long bounces() const { return bounces_; }

 private:
  const Eigen::MatrixXd& F_;
  Eigen::MatrixXd gram_;             // (P, P): F F^T, to update every wall's f.v after a reflection
  Eigen::VectorXd gram_diag_;        // (P): |f_mu|^2
  Eigen::VectorXd x_, v_, fx_, fv_;  // position, velocity (N); f.x, f.v for every wall (P)
  long bounces_ = 0;
};

// Hebb student sum_mu F_mu.
Eigen::VectorXd hebb_student(const Eigen::MatrixXd& F);

// Replica-symmetric Gibbs learning: the teacher-student overlap R(alpha) and eps(alpha).
double gibbs_replica_overlap(double alpha);
double gibbs_replica_error(double alpha);
// The Gibbs saddle-point equation's right-hand side divided by its left: 1 at the solution.
double gibbs_saddle_point_ratio(double r, double alpha);
// The large-alpha coefficient c of eps ~ c/alpha: sqrt(2) / int Dt exp(-t^2/2)/H(-t) = 0.6245.
double gibbs_asymptotic_coefficient();
// Hebb: eps = arccos(sqrt(2 alpha/(2 alpha + pi)))/pi.
double hebb_error(double alpha);
// VC bound for homogeneous halfspaces in R^N (VC dimension N) and a consistent learner:
// with probability >= 1 - delta, eps <= (2/m)(log2 C(2m, N) + log2(2/delta)) (Blumer, Ehrenfeucht,
// Haussler & Warmuth 1989, Thm A2.1), with Cover's (1965) exact count of dichotomies of M points
// in general position, C(M, N) = 2 sum_{k<N} binom(M - 1, k), as the growth function.
double halfspace_vc_bound(int m, int n, double delta);
// The same bound read as the law that meets it with equality at every delta,
// eps = (2/m)(log2 2C(2m, N) + E/ln 2) with E ~ Exp(1): its mean. A convention, as for rectangles.
double halfspace_vc_saturating_mean(int m, int n);

struct PerceptronStudy {
  int n = 30;
  std::vector<double> alphas;
  int teachers = 40;  // independent teachers and training sets per alpha
  int burn_in = 20;   // HMC iterations discarded (the chain starts at the teacher)
  int draws = 10;     // Gibbs students kept per training set
  double delta = 0.05;
  uint64_t seed = 0;
};

struct PerceptronPoint {
  double alpha = 0;  // P / N with P = round(alpha N)
  int p = 0;
  ErrorSummary gibbs;        // over training sets, of the mean over the draws
  ErrorSummary gibbs_draws;  // over every draw (the VC bound holds for each consistent student)
  ErrorSummary hebb;
  double replica = 0, replica_finite_n = 0;  // Gibbs at alpha and at P/(N-1)
  double hebb_theory = 0, vc_bound = 0;
  double bounces_per_iteration = 0;
  bool all_consistent = true;  // every Gibbs draw classifies its training set correctly
};
std::vector<PerceptronPoint> run_perceptron_study(const PerceptronStudy& study);

}  // namespace geneft
