// Singular learning theory: gradients of the validation models (finite differences, double),
// the closed-form learning coefficients, and λ̂ against the true λ with fixed seeds.
#include <gtest/gtest.h>

#include <numeric>

#include "core/config.h"
#include "core/error.h"
#include "grad_check.h"
#include "nn/models/registry.h"
#include "slt/degeneracy.h"
#include "slt/network_target.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "slt/deep_linear_network.h"
#include "slt/local_learning_coefficient.h"
#include "slt/normal_crossing.h"
#include "slt/reduced_rank_regression.h"
#include "slt/validation_model.h"
#include "slt/wbic.h"

namespace geneft {
namespace {

using testing::expect_gradient;
using testing::random_vector;

TEST(SltGradients, DeepLinearNetworkFullAndMinibatch) {
  const DeepLinearNetwork net({3, 4, 2, 3}, 1, 20, 7);
  Rng rng(1);
  auto w = random_vector(net.dim(), rng, 0.7);
  auto worker = net.make_worker(20);
  std::vector<double> grad(net.dim());
  worker->loss(w.data(), nullptr, 20, grad.data());
  expect_gradient(w, grad, [&] { return worker->loss(w.data(), nullptr, 20, nullptr); }, "dln full batch");
  const std::vector<int32_t> idx = {3, 17, 0, 9, 9};
  worker->loss(w.data(), idx.data(), 5, grad.data());
  expect_gradient(w, grad, [&] { return worker->loss(w.data(), idx.data(), 5, nullptr); }, "dln minibatch");
}

TEST(SltGradients, NormalCrossing) {
  const NormalCrossing nc({1, 2, 3}, {0, 1, 2}, 100);
  Rng rng(2);
  auto w = random_vector(3, rng);
  auto worker = nc.make_worker(1);
  std::vector<double> grad(3);
  worker->loss(w.data(), nullptr, 1, grad.data());
  expect_gradient(w, grad, [&] { return worker->loss(w.data(), nullptr, 1, nullptr); }, "normal crossing K");
  // the prior's exact flow agrees with (step/2) ∇log φ to first order
  const std::vector<double> step(3, 1e-8);
  std::vector<double> shift(3, 0.0);
  nc.add_prior_shift(w.data(), step.data(), shift.data());
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(shift[i], 0.5e-8 * nc.h()[i] / w[i], 1e-5 * std::abs(shift[i]) + 1e-20) << i;
}

TEST(SltFormulas, ReducedRankRegressionCases) {
  EXPECT_DOUBLE_EQ(reduced_rank_regression_lambda(5, 3, 5, 0), 6.5);   // case 1, odd
  EXPECT_DOUBLE_EQ(reduced_rank_regression_lambda(4, 2, 4, 0), 3.5);   // case 1, even: (2*2*8-0-4)/8
  EXPECT_DOUBLE_EQ(reduced_rank_regression_lambda(2, 1, 8, 0), 1.0);   // M+H < N+r: (HM-Hr+Nr)/2
  EXPECT_DOUBLE_EQ(reduced_rank_regression_lambda(8, 1, 2, 1), 4.5);   // N+H < M+r: (HN-Hr+Mr)/2
  EXPECT_DOUBLE_EQ(reduced_rank_regression_lambda(2, 9, 3, 1), 3.0);   // M+N < H+r: MN/2
  // full rank H = r = min: a regular model, λ = d/2 with d = r(M+N-r) the dimension of rank-r matrices
  EXPECT_DOUBLE_EQ(reduced_rank_regression_lambda(4, 2, 3, 2), 2 * (4 + 3 - 2) / 2.0);
  EXPECT_THROW(reduced_rank_regression_lambda(5, 3, 5, 4), UserError);
  EXPECT_THROW(reduced_rank_regression_lambda(0, 3, 5, 0), UserError);
}

TEST(SltFormulas, DeepLinearNetworkReducesToReducedRankAndRegular) {
  for (int M = 1; M <= 7; ++M)
    for (int H = 1; H <= 7; ++H)
      for (int N = 1; N <= 7; ++N)
        for (int r = 0; r <= std::min({M, H, N}); ++r) {
          double dln;
          try {
            dln = deep_linear_network_lambda({M, H, N}, r);
          } catch (const UserError&) {
            continue;  // ties at Σ's boundary: Aoyagi's theorem does not cover the shape
          }
          EXPECT_DOUBLE_EQ(dln, reduced_rank_regression_lambda(M, H, N, r)) << M << " " << H << " " << N << " " << r;
        }
  EXPECT_DOUBLE_EQ(deep_linear_network_lambda({4, 3}, 3), 6.0);  // one layer: regular, d/2
}

TEST(SltSampler, ReproducibleAndIndependentOfThreads) {
  ValidationSpec spec{"rrr", {}, {}, 3, 2, 3, 1, {}, 200, "trained", 3};
  const ValidationModel v = make_validation_model(spec);
  SgldSettings s = v.defaults;
  s.burn_in = 50, s.draws = 50, s.thin = 1, s.chains = 3, s.batch_size = 32, s.rmsprop = true;
  s.threads = 1;
  const SgldResult a = run_sgld(*v.target, v.center, s);
  s.threads = 3;
  const SgldResult b = run_sgld(*v.target, v.center, s);
  for (int c = 0; c < 3; ++c) EXPECT_EQ(a.chains[c].loss, b.chains[c].loss) << c;
  EXPECT_NE(a.chains[0].loss, a.chains[1].loss);
}

TEST(SltSampler, BadSettingsAreUserErrors) {
  SgldSettings s;
  s.epsilon = 0;
  EXPECT_THROW(validate(s), UserError);
  s = {}, s.nbeta = -1;
  EXPECT_THROW(validate(s), UserError);
  s = {}, s.draws = 1;
  EXPECT_THROW(validate(s), UserError);
  EXPECT_THROW(NormalCrossing({1, 2}, {0}, 100), UserError);
  EXPECT_THROW(NormalCrossing({0}, {0}, 100), UserError);
  EXPECT_THROW(DeepLinearNetwork({3, 2}, 3, 100, 0), UserError);
}

// Acceptance: normal crossing, the true λ within mean ± 3.5 std of λ̂ (8 chains, fixed seed).
// Settings with multiplicity 1 (normal_crossing.h explains why).
struct NormalCrossingCase {
  std::vector<int> k;
  std::vector<double> h;
};

class NormalCrossingLlc : public ::testing::TestWithParam<NormalCrossingCase> {};

TEST_P(NormalCrossingLlc, TrueLambdaWithinThreePointFiveStd) {
  ValidationSpec spec;
  spec.model = "normal-crossing", spec.k = GetParam().k, spec.h = GetParam().h;
  const ValidationModel v = make_validation_model(spec);
  SgldSettings s = v.defaults;
  s.seed = 11;
  const LlcEstimate e = estimate_llc(run_sgld(*v.target, v.center, s));
  RecordProperty("lambda_hat", std::to_string(e.mean) + " +- " + std::to_string(e.std));
  EXPECT_EQ(e.diverged_chains, 0);
  EXPECT_GT(e.std, 0);
  EXPECT_LE(std::abs(e.mean - v.true_lambda), 3.5 * e.std)
      << "λ̂ = " << e.mean << " ± " << e.std << ", true λ = " << v.true_lambda;
}

INSTANTIATE_TEST_SUITE_P(Settings, NormalCrossingLlc,
                         ::testing::Values(NormalCrossingCase{{1}, {0}}, NormalCrossingCase{{1, 2}, {0, 0}},
                                           NormalCrossingCase{{1, 2}, {1, 0}}, NormalCrossingCase{{1, 3}, {0, 1}},
                                           NormalCrossingCase{{3, 1}, {1, 1}}));

// Acceptance: reduced-rank regression, λ̂ within 25% of Aoyagi & Watanabe's λ.
struct RrrCase {
  int M, H, N, r;
};

class ReducedRankLlc : public ::testing::TestWithParam<RrrCase> {};

TEST_P(ReducedRankLlc, WithinTwentyFivePercent) {
  const auto [M, H, N, r] = GetParam();
  ValidationSpec spec;
  spec.model = "rrr", spec.input = M, spec.hidden = H, spec.output = N, spec.rank = r;
  const ValidationModel v = make_validation_model(spec);
  SgldSettings s = v.defaults;
  s.seed = 5;
  const LlcEstimate e = estimate_llc(run_sgld(*v.target, v.center, s));
  RecordProperty("lambda_hat", std::to_string(e.mean) + " +- " + std::to_string(e.std));
  EXPECT_LE(std::abs(e.mean - v.true_lambda), 0.25 * v.true_lambda)
      << "λ̂ = " << e.mean << " ± " << e.std << ", true λ = " << v.true_lambda;
}

INSTANTIATE_TEST_SUITE_P(Shapes, ReducedRankLlc, ::testing::Values(RrrCase{5, 3, 5, 0}, RrrCase{4, 2, 3, 1}));

TEST(SltWbic, RegularModelTwoTemperatures) {
  ValidationSpec spec;
  spec.model = "regular", spec.input = 2, spec.output = 2, spec.n = 2000;
  const ValidationModel v = make_validation_model(spec);
  SgldSettings s = v.defaults;
  s.seed = 2;
  const WbicResult w = estimate_wbic(*v.target, s, &v.center);
  // λ = d/2 = 2 from the WBIC at two temperatures (Watanabe 2013)
  EXPECT_NEAR(w.lambda_two_temperatures, 2.0, 0.5);
  EXPECT_TRUE(std::isfinite(w.wbic));
}

}  // namespace
}  // namespace geneft

namespace geneft {
namespace {

bool has_warning(const LlcEstimate& e, const std::string& text) {
  for (const auto& w : e.warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

// The documented biased case, normal crossing k = (2,1), h = (2,0) (λ = 1/2): chain 2 of seed 0
// wanders where ε·nβ·curvature is large, inflates its λ̂ to 0.89 and is flagged by its MALA
// acceptance; a healthy case (k = (1,2), h = (1,0)) is not.
TEST(SltDiagnostics, StiffNormalCrossingChainIsFlagged) {
  ValidationSpec spec;
  spec.model = "normal-crossing", spec.k = {2, 1}, spec.h = {2, 0};
  ValidationModel v = make_validation_model(spec);
  v.defaults.chains = 3;  // chains 0..2 of the 8-chain default run (seeds depend on the chain index only)
  const LlcEstimate bad = estimate_llc(run_sgld(*v.target, v.center, v.defaults));
  EXPECT_LT(bad.min_chain_mala, 0.9);
  EXPECT_TRUE(has_warning(bad, "MALA acceptance")) << bad.min_chain_mala;
  EXPECT_GT(bad.max_chain_discretization_bias, 0.2);  // the stiff chain's own bias estimate
  EXPECT_TRUE(has_warning(bad, "step too large")) << bad.max_chain_discretization_bias;
  spec.k = {1, 2}, spec.h = {1, 0};
  ValidationModel ok = make_validation_model(spec);
  ok.defaults.chains = 3;
  const LlcEstimate good = estimate_llc(run_sgld(*ok.target, ok.center, ok.defaults));
  EXPECT_FALSE(has_warning(good, "MALA acceptance")) << good.min_chain_mala;
  EXPECT_FALSE(has_warning(good, "chains disagree")) << good.rhat;
  EXPECT_FALSE(has_warning(good, "step too large")) << good.max_chain_discretization_bias;
}

// The fix of that case: the automatic step control sees the bias, samples again at ε/4 for the
// same simulated time, and lands within its stated uncertainty (± std over chains) of λ = 1/2.
TEST(SltDiagnostics, StiffNormalCrossingIsFixedByTheStepControl) {
  ValidationSpec spec;
  spec.model = "normal-crossing", spec.k = {2, 1}, spec.h = {2, 0};
  ValidationModel v = make_validation_model(spec);
  v.defaults.chains = 4, v.defaults.threads = 2;
  const SteppedLlc run = estimate_llc_with_step_control(*v.target, v.center, v.defaults);
  const LlcEstimate& e = run.estimate;
  EXPECT_GT(run.first_bias, 0.2);
  EXPECT_EQ(run.refinements, 1);
  EXPECT_EQ(run.settings.epsilon, v.defaults.epsilon / 4);
  EXPECT_EQ(run.settings.burn_in, 4 * v.defaults.burn_in);
  EXPECT_FALSE(has_warning(e, "step too large")) << e.max_chain_discretization_bias;
  EXPECT_GE(e.min_chain_mala, 0.9);
  EXPECT_GT(e.std, 0);
  EXPECT_LE(std::abs(e.mean - 0.5), e.std) << "λ̂ = " << e.mean << " ± " << e.std;
}

// The bias estimate against the exact Euler–Maruyama bias on a quadratic: for K = w² (k = 1) the
// scheme's stationary mean of nβ K is ½/(1 − ε nβ/2) (curvature c = 2nβ), and λ̂ carries it.
TEST(SltDiagnostics, DiscretizationBiasOfAQuadratic) {
  ValidationSpec spec;
  spec.model = "normal-crossing", spec.k = {1}, spec.h = {0};
  const ValidationModel v = make_validation_model(spec);
  SgldSettings s = v.defaults;
  s.epsilon = 2e-5, s.gamma = 0, s.chains = 4, s.burn_in = 1000, s.draws = 40000, s.thin = 5, s.threads = 2;
  const LlcEstimate e = estimate_llc(run_sgld(*v.target, v.center, s));
  const double exact = 0.5 / (1 - s.epsilon * e.nbeta / 2) - 0.5;  // 0.0476 at ε nβ = 0.174
  EXPECT_NEAR(e.discretization_bias, exact, 0.15 * exact);
  // λ̂'s own excess (its standard error, ≈ 0.002 here, is ~5% of it)
  EXPECT_NEAR(e.mean - 0.5, exact, 0.25 * exact);
  EXPECT_TRUE(has_warning(e, "step too large"));
  s.epsilon = 1e-6;
  EXPECT_FALSE(has_warning(estimate_llc(run_sgld(*v.target, v.center, s)), "step too large"));
}

TEST(SltDiagnostics, GelmanRubinFlagsChainsThatDisagree) {
  SgldResult r;
  r.nbeta = 10, r.loss_at_center = 0;
  Rng rng(4);
  for (double shift : {0.0, 0.0, 1.0}) {
    ChainTrace c;
    for (int i = 0; i < 500; ++i) c.loss.push_back(1 + shift + 0.1 * rng.normal());
    c.mala_acceptance = 0.99;
    r.chains.push_back(c);
  }
  const LlcEstimate apart = estimate_llc(r);
  EXPECT_GT(apart.rhat, 1.5);
  EXPECT_TRUE(has_warning(apart, "chains disagree"));
  r.chains.pop_back();
  const LlcEstimate together = estimate_llc(r);
  EXPECT_NEAR(together.rhat, 1.0, 0.01);
  EXPECT_FALSE(has_warning(together, "chains disagree"));
}

}  // namespace
}  // namespace geneft

namespace geneft {
namespace {

// Restricted λ̂ (gradient, noise and localization masked outside the group): the other
// coordinates never move, and on a regular model a group of k coordinates has λ = k/2.
TEST(SltRestricted, MaskedCoordinatesStayAndRegularGroupHasHalfItsDimension) {
  ValidationSpec spec;
  spec.model = "regular", spec.input = 3, spec.output = 2, spec.seed = 2;  // d = 6
  const ValidationModel v = make_validation_model(spec);
  SgldSettings s = v.defaults;
  s.active_begin = 1, s.active_end = 4, s.keep_parameters = true, s.threads = 2, s.seed = 5;
  const SgldResult r = run_sgld(*v.target, v.center, s);
  bool moved = false;
  for (const auto& c : r.chains)
    for (size_t k = 0; k < c.loss.size(); ++k)
      for (size_t i = 0; i < 6; ++i) {
        const double x = c.parameters[k * 6 + i];
        if (i < 1 || i >= 4) ASSERT_EQ(x, v.center[i]) << "coordinate " << i << " moved";
        else moved |= x != v.center[i];
      }
  EXPECT_TRUE(moved);
  const LlcEstimate e = estimate_llc(r);
  EXPECT_NEAR(e.mean, 1.5, 0.15) << e.std;
}

// The transformer names its blocks through the model registry; they tile w = [embed, attention,
// mlp, unembed]. Restricted to the unembedding, at the minimum of L_n over W_U alone (the rest
// fixed at random weights), the model is multinomial logistic regression: regular except for the
// d_model directions of the softmax's shift, so λ = (C − 1)·d_model/2 (= 6 here) — with
// localization γ exactly ½ Σ nβh/(nβh + γ) over the restricted Hessian's eigenvalues h.
TEST(SltRestricted, TransformerGroupsAndUnembeddingIsRegularAtItsMinimum) {
  const RunConfig cfg = parse_config("", "t",
                                     {"task.kind=mod_add", "task.p=7", "task.train_fraction=0.8",
                                      "model.arch=transformer", "model.d_model=2", "model.n_heads=1",
                                      "model.d_head=2", "model.d_mlp=4", "model.dtype=float64"});
  const Dataset data = make_dataset(cfg.task);
  const NetworkTarget target(cfg, data, make_split(data.size(), cfg.task, cfg.seed));
  std::vector<std::string> names;
  for (const auto& g : target.groups()) names.push_back(g.name);
  EXPECT_EQ(names, (std::vector<std::string>{"encoder", "decoder", "embed", "attention", "mlp", "unembed"}));
  const size_t enc = target.encoder_size(), d = target.dim();
  EXPECT_EQ(target.group("embed").end, enc);
  EXPECT_EQ(target.group("attention").begin, enc);
  EXPECT_EQ(target.group("attention").end - enc, 4u * 2 * 2);      // W_Q, W_K, W_V (2, 2), W_O (2, 2)
  EXPECT_EQ(target.group("mlp").begin, target.group("attention").end);
  EXPECT_EQ(target.group("mlp").end - target.group("mlp").begin, 4u * 2 + 4 + 2 * 4 + 2);  // W_in, b_in, W_out, b_out
  const ParameterGroup U = target.group("unembed");
  EXPECT_EQ(U.begin, target.group("mlp").end);
  EXPECT_EQ(U.end, d);
  EXPECT_EQ(U.end - U.begin, 7u * 2);
  EXPECT_THROW(target.group("heads"), UserError);

  // w: the run's initial weights, then Newton on W_U alone (convex) to its minimum
  const auto model = make_model<double>(cfg, data, 1);
  std::vector<double> w(model->encoder().param, model->encoder().param + model->encoder().size);
  w.insert(w.end(), model->decoder().param, model->decoder().param + model->decoder().size);
  const Eigen::Index k = Eigen::Index(U.end - U.begin);
  auto worker = target.make_worker(int(target.num_samples()));
  std::vector<double> grad(d);
  Eigen::VectorXd h;
  for (int it = 0; it < 50; ++it) {
    worker->loss(w.data(), nullptr, int(target.num_samples()), grad.data());
    const Eigen::MatrixXd H = loss_hessian(target, w).block(Eigen::Index(U.begin), Eigen::Index(U.begin), k, k);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H);
    h = es.eigenvalues();
    const Eigen::VectorXd g = Eigen::Map<const Eigen::VectorXd>(&grad[U.begin], k);
    const Eigen::VectorXd c = es.eigenvectors().transpose() * g;
    Eigen::VectorXd step = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < k; ++i)
      if (h(i) > 1e-9 * h(k - 1)) step += es.eigenvectors().col(i) * (c(i) / h(i));
    for (Eigen::Index i = 0; i < k; ++i) w[U.begin + size_t(i)] -= step(i);
    if (g.norm() < 1e-11) break;
  }
  worker->loss(w.data(), nullptr, int(target.num_samples()), grad.data());
  ASSERT_LT(Eigen::Map<const Eigen::VectorXd>(&grad[U.begin], k).norm(), 1e-9) << "no minimum over W_U (separable?)";
  ASSERT_EQ(numerical_rank(h, 1e-8), 6 * 2);  // (C − 1)·d_model

  SgldSettings s;
  s.nbeta = 3000, s.gamma = 1, s.epsilon = 2e-4, s.chains = 4, s.burn_in = 3000, s.draws = 3000, s.thin = 2;
  s.seed = 4, s.threads = 2, s.active_begin = U.begin, s.active_end = U.end;
  double expected = 0;
  for (double x : h) expected += x > 0 ? 0.5 * s.nbeta * x / (s.nbeta * x + s.gamma) : 0.0;
  EXPECT_GT(expected, 5.5);  // close to (C − 1)·d_model/2 = 6
  const LlcEstimate e = estimate_llc(run_sgld(target, w, s));
  std::printf("restricted to unembed: ½ Σ nβh/(nβh + γ) = %.3f, λ̂ = %.3f ± %.3f\n", expected, e.mean, e.std);
  // 10 %: a group of all 14 weights without the shift symmetry would give 7 (+20 %)
  EXPECT_NEAR(e.mean, expected, 0.1 * expected) << "expected " << expected << ", λ̂ " << e.mean << " ± " << e.std;
}

}  // namespace
}  // namespace geneft
