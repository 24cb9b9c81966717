#include "slt/degeneracy.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "slt/deep_linear_network.h"
#include "slt/network_target.h"
#include "slt/normal_crossing.h"
#include "nn/heads.h"

namespace geneft {
namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Normal crossing as the regression y = f(w) + N(0, ½), f = Π w_i^{k_i}, so that K = f²:
// I = ∇f ∇fᵀ / σ² = 2 ∇f ∇fᵀ.
Eigen::MatrixXd normal_crossing_fisher(const NormalCrossing& nc, const std::vector<double>& w) {
  const size_t d = nc.dim();
  Eigen::VectorXd g(d);
  for (size_t j = 0; j < d; ++j) {
    double v = nc.k()[j] * std::pow(w[j], nc.k()[j] - 1);
    for (size_t i = 0; i < d; ++i)
      if (i != j) v *= std::pow(w[i], nc.k()[i]);
    g[j] = v;
  }
  return 2.0 * g * g.transpose();
}

// f(x) = W_L ⋯ W_1 x, W_l (H_{l+1}, H_l) row-major in w. ∂f/∂W_l[a, b] = (W_L⋯W_{l+1})[:, a]·(W_{l−1}⋯W_1 x)[b],
// so J_x (N, d) has, for layer l, the block (W_L⋯W_{l+1}) ⊗ (W_{l−1}⋯W_1 x)ᵀ. I = (1/n) Σ_x J_xᵀ J_x (σ = 1).
Eigen::MatrixXd deep_linear_fisher(const DeepLinearNetwork& net, const std::vector<double>& w) {
  const auto& H = net.widths();
  const int L = int(H.size()) - 1, M = H[0], N = H[L];
  const int64_t n = net.num_samples();
  std::vector<Eigen::Map<const RowMatrix>> W;
  size_t off = 0;
  for (int l = 0; l < L; ++l) {
    W.emplace_back(w.data() + off, H[l + 1], H[l]);
    off += size_t(H[l]) * H[l + 1];
  }
  // after[l] = W_L ⋯ W_{l+1} (N, H_{l+1})
  std::vector<Eigen::MatrixXd> after(L);
  after[L - 1] = Eigen::MatrixXd::Identity(N, N);
  for (int l = L - 2; l >= 0; --l) after[l] = after[l + 1] * W[l + 1];
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(net.dim(), net.dim()), J(N, net.dim());
  for (int64_t i = 0; i < n; ++i) {
    Eigen::VectorXd h = Eigen::Map<const Eigen::VectorXd>(&net.X[size_t(i) * M], M);
    size_t col = 0;
    for (int l = 0; l < L; ++l) {
      for (int a = 0; a < H[l + 1]; ++a)
        for (int b = 0; b < H[l]; ++b) J.col(col++) = after[l].col(a) * h[b];
      h = W[l] * h;
    }
    F.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose(), 1.0 / double(n));
  }
  return F.selfadjointView<Eigen::Lower>();
}

// Σ_x (1/n) Σ_y p(y|x) g_y g_yᵀ, g_y = ∇(−log p(y|x)), p(y|x) = exp(−loss): each training input
// paired with every label, one row each, through the network's own loss and backward.
Eigen::MatrixXd network_fisher(const NetworkTarget& t, const std::vector<double>& w) {
  const Head head = head_named(t.config().model.head);
  if (head == Head::Mse || head == Head::Regression)
    throw UserError("model Fisher: the " + t.config().model.head + " head (regression) is not supported; "
                    "use a cross_entropy or binary head");
  const int labels = head == Head::Binary ? 2 : t.data().num_classes;
  const int64_t n = t.num_samples();
  const NetworkTarget probe = t.with_every_label(labels);
  auto worker = probe.make_worker(1);
  const size_t d = t.dim();
  RowMatrix G(probe.samples().size, d);  // rows √(p/n) g_y
  for (int32_t r = 0; r < int32_t(probe.samples().size); ++r) {
    const double loss = worker->loss(w.data(), &r, 1, G.row(r).data());
    G.row(r) *= std::sqrt(std::exp(-loss) / double(n));
  }
  Eigen::MatrixXd F = Eigen::MatrixXd::Zero(d, d);
  F.selfadjointView<Eigen::Lower>().rankUpdate(G.transpose());
  return F.selfadjointView<Eigen::Lower>();
}

}  // namespace

Eigen::MatrixXd loss_hessian(const SamplingTarget& target, const std::vector<double>& w, double h) {
  const size_t d = target.dim();
  const int64_t n = target.num_samples();
  auto worker = target.make_worker(int(n));
  std::vector<double> x(w), g0(d), gp(d), gm(d);
  worker->loss(w.data(), nullptr, int(n), g0.data());
  Eigen::MatrixXd Hm(d, d);
  for (size_t i = 0; i < d; ++i) {
    const double step = h * (1 + std::abs(w[i]));
    x[i] = w[i] + step;
    worker->loss(x.data(), nullptr, int(n), gp.data());
    x[i] = w[i] - step;
    worker->loss(x.data(), nullptr, int(n), gm.data());
    x[i] = w[i];
    // A gradient with a kink (ReLU) within one step on one side jumps there, and the central
    // difference reads jump/(2·step). Where the two one-sided differences disagree by more than
    // half their size, take the smaller one: the side without the kink (a smooth loss never gets
    // here, its one-sided differences differ by O(step)).
    double fb = 0, ff = 0, bb = 0;
    for (size_t j = 0; j < d; ++j) {
      const double f = gp[j] - g0[j], b = g0[j] - gm[j];
      fb += (f - b) * (f - b), ff += f * f, bb += b * b;
    }
    if (fb <= 0.25 * std::max(ff, bb)) {
      for (size_t j = 0; j < d; ++j) Hm(i, j) = (gp[j] - gm[j]) / (2 * step);
    } else {
      const bool forward = ff < bb;
      for (size_t j = 0; j < d; ++j) Hm(i, j) = (forward ? gp[j] - g0[j] : g0[j] - gm[j]) / step;
    }
  }
  return 0.5 * (Hm + Hm.transpose());
}

Eigen::MatrixXd model_fisher(const SamplingTarget& target, const std::vector<double>& w) {
  if (auto* nc = dynamic_cast<const NormalCrossing*>(&target)) return normal_crossing_fisher(*nc, w);
  if (auto* net = dynamic_cast<const DeepLinearNetwork*>(&target)) return deep_linear_fisher(*net, w);
  if (auto* net = dynamic_cast<const NetworkTarget*>(&target)) return network_fisher(*net, w);
  throw UserError("model Fisher: not defined for " + target.describe());
}

Eigen::VectorXd symmetric_eigenvalues(const Eigen::MatrixXd& m) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(m, Eigen::EigenvaluesOnly);
  if (solver.info() != Eigen::Success) throw std::runtime_error("eigenvalue solver did not converge");
  return solver.eigenvalues();
}

int numerical_rank(const Eigen::VectorXd& e, double tol) {
  const double top = e.size() ? e.cwiseAbs().maxCoeff() : 0.0;
  // an absolute floor too: finite differences leave ~1e-12 where the Hessian is exactly zero
  return int((e.array().abs() > std::max(tol * top, 1e-12)).count());
}

double effective_dimension(const Eigen::VectorXd& e, double n) {
  double s = 0;
  for (double x : e) s += x > 0 ? n * x / (n * x + 1) : 0.0;
  return s;
}

DegeneracyReport measure_degeneracy(const SamplingTarget& target, const std::vector<double>& w) {
  DegeneracyReport r;
  r.d = target.dim(), r.n = target.num_samples();
  r.hessian = symmetric_eigenvalues(loss_hessian(target, w));
  for (double tol : kRankTolerances) r.hessian_rank.push_back(numerical_rank(r.hessian, tol));
  try {
    r.fisher = symmetric_eigenvalues(model_fisher(target, w));
    for (double tol : kRankTolerances) r.fisher_rank.push_back(numerical_rank(r.fisher, tol));
  } catch (const UserError& e) {
    r.fisher_note = e.what();
  }
  r.effective_dim = effective_dimension(r.hessian, double(r.n));
  r.generic = generic_symmetries(target);
  return r;
}

}  // namespace geneft
