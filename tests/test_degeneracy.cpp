// Degeneracy at w*: the finite-difference Hessian and the model Fisher against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "core/config.h"
#include "core/rng.h"
#include "slt/deep_linear_network.h"
#include "slt/degeneracy.h"
#include "slt/network_target.h"
#include "slt/normal_crossing.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

// L(w) = ½ wᵀAw + bᵀw, or u² + v⁴ (quartic = true): closed-form losses for the Hessian.
class ClosedForm : public SamplingTarget {
 public:
  ClosedForm(Eigen::MatrixXd A, Eigen::VectorXd b) : A_(std::move(A)), b_(std::move(b)) {}
  explicit ClosedForm(bool) : quartic_(true) {}
  size_t dim() const override { return quartic_ ? 2 : size_t(b_.size()); }
  int64_t num_samples() const override { return 100; }
  std::string describe() const override { return "closed form"; }
  std::unique_ptr<LossWorker> make_worker(int) const override {
    struct W : LossWorker {
      const ClosedForm& t;
      explicit W(const ClosedForm& t) : t(t) {}
      double loss(const double* w, const int32_t*, int, double* grad) override {
        if (t.quartic_) {
          if (grad) grad[0] = 2 * w[0], grad[1] = 4 * w[1] * w[1] * w[1];
          return w[0] * w[0] + std::pow(w[1], 4);
        }
        Eigen::Map<const Eigen::VectorXd> x(w, t.b_.size());
        if (grad) Eigen::Map<Eigen::VectorXd>(grad, t.b_.size()) = t.A_ * x + t.b_;
        return 0.5 * x.dot(t.A_ * x) + t.b_.dot(x);
      }
    };
    return std::make_unique<W>(*this);
  }

 private:
  Eigen::MatrixXd A_;
  Eigen::VectorXd b_;
  bool quartic_ = false;
};

TEST(Degeneracy, HessianOfAQuadraticIsItsMatrix) {
  Rng rng(3);
  const int d = 7;
  Eigen::MatrixXd R(d, d);
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j) R(i, j) = rng.normal();
  const Eigen::MatrixXd A = R * R.transpose();
  Eigen::VectorXd b(d);
  for (int i = 0; i < d; ++i) b[i] = rng.normal();
  const ClosedForm q(A, b);
  std::vector<double> w(d);
  for (auto& x : w) x = rng.normal();
  const Eigen::MatrixXd H = loss_hessian(q, w);
  EXPECT_LT((H - A).cwiseAbs().maxCoeff(), 1e-7 * A.cwiseAbs().maxCoeff());
  EXPECT_EQ(H, H.transpose());
}

TEST(Degeneracy, QuarticDirectionHasRankOneAndBoundsHoldLambda) {
  const ClosedForm k(true);  // K = u² + v⁴: H = diag(2, 0), λ = 1/2 + 1/4
  const DegeneracyReport r = measure_degeneracy(k, {0.0, 0.0});
  ASSERT_EQ(r.hessian.size(), 2);
  EXPECT_NEAR(r.hessian[1], 2.0, 1e-8);
  EXPECT_NEAR(r.hessian[0], 0.0, 1e-8);
  for (int rank : r.hessian_rank) EXPECT_EQ(rank, 1);
  EXPECT_DOUBLE_EQ(r.lower_bound(), 0.5);
  EXPECT_DOUBLE_EQ(r.upper_bound(), 0.75);
}

TEST(Degeneracy, NormalCrossingAtOriginIsRankZero) {
  const NormalCrossing nc({1, 2}, {0, 0}, 1000);  // K = u² v⁴, λ = 1/4 ∈ [0, 1/2]
  const DegeneracyReport r = measure_degeneracy(nc, {0.0, 0.0});
  EXPECT_EQ(r.hessian_rank[2], 0);
  EXPECT_EQ(r.fisher_rank[2], 0);
  EXPECT_DOUBLE_EQ(r.upper_bound(), 0.5);
  const NormalCrossing one({1}, {0}, 1000);  // K = u² = f² with f = u: I = 2 = H
  const DegeneracyReport s = measure_degeneracy(one, {0.0});
  EXPECT_NEAR(s.fisher[0], 2.0, 1e-12);
  EXPECT_NEAR(s.hessian[0], 2.0, 1e-8);
}

TEST(Degeneracy, FisherOfRegularModelHasFullRankAndEqualsHessian) {
  const DeepLinearNetwork net({3, 2}, 2, 200, 4);  // linear regression: H = I = I_2 ⊗ XᵀX/n exactly
  const std::vector<double> w = net.trained_parameter(200, 0.1, 1);
  const Eigen::MatrixXd F = model_fisher(net, w), H = loss_hessian(net, w);
  EXPECT_LT((F - H).cwiseAbs().maxCoeff(), 1e-7);
  for (double tol : kRankTolerances) EXPECT_EQ(numerical_rank(symmetric_eigenvalues(F), tol), 6) << tol;
}

TEST(Degeneracy, DeepLinearFisherIsHessianWhenResidualsVanish) {
  // Data without noise from the network itself at w: then ∇²L_n = (1/n) Σ JᵀJ = I exactly.
  DeepLinearNetwork net({3, 4, 2}, 1, 50, 2);
  Rng rng(5);
  std::vector<double> w(net.dim());
  for (auto& x : w) x = rng.normal();
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMatrix> W1(w.data(), 4, 3), W2(w.data() + 12, 2, 4);
  for (int i = 0; i < 50; ++i)
    Eigen::Map<Eigen::Vector2d>(&net.Y[2 * i]) = W2 * W1 * Eigen::Map<const Eigen::Vector3d>(&net.X[3 * i]);
  const Eigen::MatrixXd F = model_fisher(net, w), H = loss_hessian(net, w);
  EXPECT_LT((F - H).cwiseAbs().maxCoeff(), 1e-6 * F.cwiseAbs().maxCoeff());
  // d = 20; the product W2 W1 (2×3, rank 2) has 6 free entries: rank 6 = d − 14, and the
  // GL(4) orbit has 16 − (4 − 3)(4 − 2) = 14 dimensions
  EXPECT_EQ(numerical_rank(symmetric_eigenvalues(F), 1e-8), 6);
  EXPECT_EQ(generic_symmetries(net).count, 14);
}

// Small ReLU network with a softmax head (float64).
NetworkTarget small_network(const char* activation, const char* combiner = "concat", int embed_dim = 2) {
  const RunConfig cfg = parse_config("", "t",
                                     {"task.kind=mod_add", "task.p=5", std::string("model.combiner=") + combiner,
                                      "model.width=4", "model.embed_dim=" + std::to_string(embed_dim), "model.depth=1",
                                      std::string("model.activation=") + activation, "model.dtype=float64"});
  const Dataset data = make_dataset(cfg.task);
  return NetworkTarget(cfg, data, make_split(data.size(), cfg.task, cfg.seed));
}

TEST(Degeneracy, NetworkFisherIsTheCurvatureOfTheKullbackLeibler) {
  // vᵀ I v = d²/dt² (1/n) Σ_x KL(p(·|x, w) ‖ p(·|x, w + t v)) at t = 0, the KL from the losses of
  // every label: KL = Σ_y p_y(w) [loss_y(w + tv) − loss_y(w)].
  const NetworkTarget t = small_network("relu");
  Rng rng(7);
  std::vector<double> w(t.dim()), v(t.dim());
  for (auto& x : w) x = 0.8 * rng.normal();
  for (auto& x : v) x = rng.normal();
  const NetworkTarget probe = t.with_every_label(5);
  auto worker = probe.make_worker(1);
  auto kl = [&](double step) {
    std::vector<double> x(w);
    for (size_t i = 0; i < x.size(); ++i) x[i] += step * v[i];
    double s = 0;
    for (int32_t r = 0; r < int32_t(probe.samples().size); ++r) {
      const double l0 = worker->loss(w.data(), &r, 1, nullptr);
      s += std::exp(-l0) * (worker->loss(x.data(), &r, 1, nullptr) - l0);
    }
    return s / double(t.num_samples());
  };
  const double h = 1e-4, curvature = (kl(h) + kl(-h)) / (h * h);
  const Eigen::Map<const Eigen::VectorXd> V(v.data(), v.size());
  const double quadratic = V.dot(model_fisher(t, w) * V);
  EXPECT_NEAR(quadratic, curvature, 1e-5 * std::abs(quadratic));
}

TEST(Degeneracy, GenericSymmetriesCountedPerArchitecture) {
  // embedding affine 2² + 2, ReLU rescalings 4, softmax shifts 4 + 1
  EXPECT_EQ(generic_symmetries(small_network("relu")).count, 15);
  EXPECT_EQ(generic_symmetries(small_network("tanh")).count, 11);
  // 2 x 2 matrix embeddings multiplied: conjugation GL(2)/scalars 3 + scaling 1, softmax shifts 4 + 1
  EXPECT_EQ(generic_symmetries(small_network("tanh", "matmul", 4)).count, 9);
}

TEST(Degeneracy, FisherRankIsDimensionMinusGenericSymmetries) {
  // At a random point no other degeneracy: the generic directions are the whole kernel.
  for (const char* act : {"relu", "tanh"}) {
    const NetworkTarget t = small_network(act);
    Rng rng(11);
    std::vector<double> w(t.dim());
    for (auto& x : w) x = rng.normal();
    const int expected = int(t.dim()) - generic_symmetries(t).count;
    ASSERT_LE(expected, 4 * t.num_samples());  // below the rank n(C − 1) of the softmax Fisher
    EXPECT_EQ(numerical_rank(symmetric_eigenvalues(model_fisher(t, w)), 1e-9), expected) << act;
  }
  const NetworkTarget t = small_network("tanh", "matmul", 4);
  Rng rng(12);
  std::vector<double> w(t.dim());
  for (auto& x : w) x = rng.normal();
  EXPECT_EQ(numerical_rank(symmetric_eigenvalues(model_fisher(t, w)), 1e-9), int(t.dim()) - generic_symmetries(t).count)
      << "matmul";
}

}  // namespace
}  // namespace geneft
