// Lanczos and stochastic Lanczos quadrature against exact spectra: a diagonal operator, and the
// finite-difference Hessian–vector product of a deep linear network against its dense Hessian.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "temp_dir_test.h"
#include "core/config.h"
#include "run/execute_run.h"
#include "slt/deep_linear_network.h"
#include "slt/degeneracy.h"
#include "slt/degeneracy_study.h"
#include "slt/lanczos.h"
#include "slt/network_target.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

TEST(Lanczos, DiagonalOperatorExtremesAndQuadrature) {
  const size_t d = 200;
  std::vector<double> diag(d);
  for (size_t i = 0; i < d; ++i) diag[i] = 1.0 + double(i) * double(i) / 100.0;  // 1 .. 397.01
  const LinearOperator op = [&](const double* v, double* out) {
    for (size_t i = 0; i < d; ++i) out[i] = diag[i] * v[i];
  };
  std::vector<double> start(d, 1.0);
  const LanczosResult r = lanczos(op, d, 40, start);
  ASSERT_EQ(r.ritz.size(), 40u);
  EXPECT_NEAR(r.ritz.back(), diag.back(), 1e-6 * diag.back());  // the top converges first
  // Ritz values lie inside the spectrum (Cauchy interlacing); the clustered bottom converges slower
  EXPECT_GE(r.ritz.front(), diag.front() - 1e-9);
  EXPECT_LT(r.ritz.front(), diag.front() + 0.5);
  double wsum = 0;
  for (double w : r.weights) wsum += w;
  EXPECT_NEAR(wsum, 1.0, 1e-12);
  // k = d steps: every eigenvalue
  const LinearOperator op20 = [&](const double* v, double* out) {  // the first 20 eigenvalues
    for (size_t i = 0; i < 20; ++i) out[i] = diag[i] * v[i];
  };
  const LanczosResult all = lanczos(op20, 20, 20, std::vector<double>(20, 1.0));
  for (size_t i = 0; i < 20; ++i) EXPECT_NEAR(all.ritz[i], diag[i], 1e-9 * diag[i]) << i;
  // SLQ: with a Rademacher probe z/√d and a diagonal operator Σ w_i θ_i = zᵀDz/d = tr(D)/d exactly,
  // and the density integrates to 1
  const SpectralDensity s = spectral_density(op, d, 30, 3, 7);
  double trace = 0;
  for (double x : diag) trace += x;
  for (const auto& p : s.probes) {
    double m = 0;
    for (size_t i = 0; i < p.ritz.size(); ++i) m += p.weights[i] * p.ritz[i];
    EXPECT_NEAR(m, trace / double(d), 1e-8 * trace / double(d));
  }
  double integral = 0;
  for (size_t g = 1; g < s.grid.size(); ++g) integral += 0.5 * (s.density[g] + s.density[g - 1]) * (s.grid[g] - s.grid[g - 1]);
  EXPECT_NEAR(integral, 1.0, 1e-3);
  EXPECT_NEAR(s.highest, diag.back(), 1e-4 * diag.back());
}

TEST(Lanczos, FiniteDifferenceHessianVectorProductMatchesTheDenseHessian) {
  const DeepLinearNetwork net({3, 5, 5}, 1, 200, 4);  // d = 40
  const std::vector<double> w = net.trained_parameter(300, 0.05, 1);
  const Eigen::MatrixXd H = loss_hessian(net, w);
  HessianVectorProduct hvp(net, w);
  std::vector<double> v(40), hv(40);
  for (size_t i = 0; i < 40; ++i) v[i] = std::sin(double(i) + 1.0);
  hvp.apply(v.data(), hv.data());
  const Eigen::VectorXd exact = H * Eigen::Map<Eigen::VectorXd>(v.data(), 40);
  for (size_t i = 0; i < 40; ++i) EXPECT_NEAR(hv[i], exact(Eigen::Index(i)), 1e-6 * (1 + exact.cwiseAbs().maxCoeff())) << i;
  const Eigen::VectorXd eig = symmetric_eigenvalues(H);
  const LinearOperator op = [&](const double* x, double* out) { hvp.apply(x, out); };
  // K = d: the Krylov space stops early at repeated eigenvalues (the GL symmetries); every Ritz
  // value is an eigenvalue of the dense Hessian, and both extremes are found
  const LanczosResult full = lanczos(op, 40, 40, v);
  const double tol = 1e-5 * (1 + std::fabs(eig(39)));
  for (double t : full.ritz) {
    double nearest = INFINITY;
    for (int i = 0; i < 40; ++i) nearest = std::min(nearest, std::fabs(t - eig(i)));
    EXPECT_LT(nearest, tol) << t;
  }
  EXPECT_NEAR(full.ritz.front(), eig(0), tol);
  EXPECT_NEAR(full.ritz.back(), eig(39), tol);
  const LanczosResult few = lanczos(op, 40, 15, v);  // the extremes with fewer steps
  EXPECT_NEAR(few.ritz.back(), eig(39), 1e-4 * eig(39));
}

using LanczosStoreTest = testing::TempDirTest;

// A run small enough for the dense Hessian (d = 55; tanh, so that the finite differences of the
// dense Hessian cross no ReLU kink): the extremes and the density-based counts that `geneft
// degeneracy --lanczos` stores agree with the dense spectrum, read back from the store. The counts
// need K = d here: the Ritz value of the exact null space (5 directions) appears only once the
// Krylov space holds every other eigenvector, so with K = 40 the counts below 1e-4 read 0.
TEST_F(LanczosStoreTest, StoredExtremesAndCountsAgreeWithTheDenseHessian) {
  const RunConfig cfg = parse_config("", "t",
                                     {"task.kind=mod_add", "task.p=5", "model.combiner=concat", "model.width=4",
                                      "model.embed_dim=2", "model.depth=1", "model.activation=tanh",
                                      "model.dtype=float64", "train.steps=300", "train.eval_every=100",
                                      "train.checkpoint_every=3"});
  Store store = Store::open(path("s.db"), true);
  TrainOptions to;
  to.progress = false;
  ASSERT_TRUE(execute_run(cfg, store, to, PhaseClassifier()));
  LanczosOptions o;
  o.steps = 55, o.probes = 12, o.seed = 3;  // K = d: the quadrature resolves the null space
  lanczos_over_training(store, cfg.id(), {0, 300}, o);
  const auto stored = stored_lanczos(store, cfg.id());
  ASSERT_EQ(stored.size(), 2u);
  const Dataset data = make_dataset(cfg.task);
  const NetworkTarget target(cfg, data, make_split(data.size(), cfg.task, cfg.seed));
  for (const auto& c : stored) {
    const Eigen::VectorXd eig = symmetric_eigenvalues(loss_hessian(target, target.parameters(store.checkpoint(cfg.id(), c.step))));
    const double top = eig.cwiseAbs().maxCoeff();
    ASSERT_EQ(c.d, 55u);
    EXPECT_NEAR(c.density.highest, eig(54), 1e-5 * top) << c.label;
    EXPECT_NEAR(c.density.lowest, eig(0), 1e-3 * top) << c.label;
    ASSERT_EQ(c.below.size(), kRankTolerances.size());
    for (size_t t = 0; t < kRankTolerances.size(); ++t) {
      const int dense = 55 - numerical_rank(eig, kRankTolerances[t]);
      EXPECT_NEAR(c.below[t].count, dense, 3 * c.below[t].standard_error + 1.5)
          << c.label << " tol " << kRankTolerances[t] << ": " << c.below[t].count << " ± " << c.below[t].standard_error;
    }
  }
}

}  // namespace
}  // namespace geneft
