// Bayesian phase transition in n: the free-energy crossing against a case solved by hand, the
// tanh network's gradient against finite differences, parallel tempering against a double well
// whose mass ratio is known, the region rule, and the store round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "slt/bayes_transition.h"
#include "slt/tanh_network.h"
#include "slt/tempering_sampler.h"
#include "store/store.h"

namespace geneft {
namespace {

TEST(BayesTransition, FreeEnergyCrossingSolvedByHand) {
  // n ΔK = Δλ log n with ΔK = 0.01, Δλ = 1: n / ln n = 100, the larger root n = 647.2775
  // (fixed-point iteration n ← 100 ln n, by hand / a calculator)
  EXPECT_NEAR(free_energy_crossing(0.01, 1.0), 647.2775, 1e-3);
  // ΔK = 0.001, Δλ = 0.5: n / ln n = 500, n = 4167.54 (same iteration)
  EXPECT_NEAR(free_energy_crossing(0.001, 0.5), 4167.54, 0.01);
  // no crossing when Δλ/ΔK < e (n ΔK > Δλ log n for every n), nor for a region that is not worse
  EXPECT_TRUE(std::isnan(free_energy_crossing(1.0, 1.0)));
  EXPECT_TRUE(std::isnan(free_energy_crossing(-0.01, 1.0)));
  EXPECT_TRUE(std::isnan(free_energy_crossing(0.01, 0.0)));
  // at n_c the two free energies are equal: mass ½
  const double nc = free_energy_crossing(0.01, 1.0);
  EXPECT_NEAR(predicted_mass(int64_t(std::llround(nc)), 0.01, 1.0, 0.0, 2.0), 0.5, 0.002);
  // n = 100, ΔL = 0.01, λ 1.5 vs 2: F_1 − F_2 = 1 − ½ ln 100 = −1.3026, mass 1/(1 + e^−1.3026) = 0.78627
  EXPECT_NEAR(predicted_mass(100, 0.51, 1.5, 0.50, 2.0), 0.78627, 1e-5);
}

// The figure's title: readable numbers, signs as operators
TEST(BayesTransition, TanhNetworkDescriptionIsReadable) {
  EXPECT_EQ(TanhNetwork({1.0, 0.25}, {1.5, -1.0}, 2, 2.0, 20, 7).describe(),
            "tanh network, 2 units, teacher 1.5·tanh(x) − tanh(0.25x), x ~ N(0, 2²), n = 20");
  EXPECT_EQ(TanhNetwork({-1.0, 3.0}, {-2.0, 1.0}, 1, 0.5, 10, 7).describe(),
            "tanh network, 1 unit, teacher −2·tanh(−x) + tanh(3x), x ~ N(0, 0.5²), n = 10");
}

TEST(BayesTransition, TanhNetworkGradientMatchesFiniteDifferences) {
  const TanhNetwork net({1.0, 0.25}, {1.5, -1.0}, 2, 2.0, 50, 7);
  auto worker = net.make_worker(50);
  const std::vector<double> w = {0.7, -0.3, 1.1, 0.4};
  std::vector<double> g(4), tmp(4);
  const int32_t idx[] = {3, 17, 29, 41, 8};
  for (const int32_t* batch : {static_cast<const int32_t*>(nullptr), idx}) {
    const int m = batch ? 5 : 50;
    worker->loss(w.data(), batch, m, g.data());
    for (size_t i = 0; i < 4; ++i) {
      const double h = 1e-6;
      std::vector<double> a = w, b = w;
      a[i] += h, b[i] -= h;
      const double fd = (worker->loss(a.data(), batch, m, nullptr) - worker->loss(b.data(), batch, m, nullptr)) / (2 * h);
      EXPECT_NEAR(g[i], fd, 1e-7 * (1 + std::fabs(fd))) << "coordinate " << i << (batch ? " (batch)" : "");
    }
  }
  // the loss of one sample is ½ (f − y)²
  EXPECT_NEAR(worker->loss(w.data(), idx, 1, nullptr), 0.5 * std::pow(net.output(w.data(), net.X[3]) - net.Y[3], 2), 1e-14);
}

// A double well with n = 50: L(w) = ½ min((w − 2)², (w + 2)² + c). Each well holds a Gaussian of
// variance 1/n (the prior N(0, 16) is the same at ±2 and nearly flat over a well), so the mass of
// the right well is 1/(1 + exp(−n c/2)); n c/2 = 1 gives 0.7311. The wells are 100 nats apart.
class DoubleWell : public SamplingTarget {
 public:
  size_t dim() const override { return 1; }
  int64_t num_samples() const override { return 50; }
  std::string describe() const override { return "double well"; }
  std::unique_ptr<LossWorker> make_worker(int) const override {
    struct W : LossWorker {
      double loss(const double* w, const int32_t*, int, double* grad) override {
        const double c = 2.0 / 50, r = 0.5 * (w[0] - 2) * (w[0] - 2), l = 0.5 * ((w[0] + 2) * (w[0] + 2) + c);
        if (grad) grad[0] = r < l ? w[0] - 2 : w[0] + 2;
        return std::min(r, l);
      }
    };
    return std::make_unique<W>();
  }
};

TEST(BayesTransition, ParallelTemperingGetsTheMassOfTwoWells) {
  const DoubleWell well;
  TemperingSettings s;
  s.gamma = 1.0 / 16, s.replicas = 10, s.beta_min = 0.002, s.chains = 4, s.burn_in = 1000, s.draws = 3000, s.thin = 2;
  s.seed = 5, s.threads = 2;
  const TemperingResult r = run_tempering(well, s);
  double right = 0, count = 0;
  for (const auto& c : r.chains) {
    ASSERT_FALSE(c.diverged);
    EXPECT_GT(c.mala_acceptance, 0.4);
    EXPECT_GT(c.swap_acceptance, 0.2);
    for (double w : c.parameters) right += w > 0, ++count;
  }
  const double mass = right / count;
  EXPECT_NEAR(mass, 1 / (1 + std::exp(-1.0)), 0.05);
  // one replica, started from the prior: MALA alone never crosses 100 nats, each chain keeps its well
  s.replicas = 1, s.draws = 500, s.burn_in = 500;
  const TemperingResult stuck = run_tempering(well, s);
  for (const auto& c : stuck.chains) {
    double share = 0;
    for (double w : c.parameters) share += w > 0;
    share /= double(c.parameters.size());
    EXPECT_TRUE(share == 0.0 || share == 1.0) << share;
  }
}

// The measured n_c and its bootstrap range, on masses where the crossing is known by hand
TEST(BayesTransition, MeasuredCrossingAndItsBootstrapRange) {
  auto points = [](std::vector<std::pair<int64_t, double>> masses) {
    std::vector<TransitionPoint> out;
    for (auto [n, m] : masses) {
      TransitionPoint p;
      p.n = n, p.mass_one = m;
      out.push_back(p);
    }
    return out;
  };
  const std::vector<int64_t> ns = {100, 200, 400};
  // means 0.75, 0.4, 0.1: through ½ at 100·2^(0.25/0.35) = 164.06
  const auto pts = points({{100, 0.8}, {100, 0.7}, {200, 0.6}, {200, 0.2}, {400, 0.1}, {400, 0.1}});
  EXPECT_NEAR(measured_crossing(pts, ns), 100 * std::pow(2.0, 0.25 / 0.35), 1e-9);
  const auto [lo, hi] = bootstrap_crossing(pts, ns, 3);
  EXPECT_LT(lo, 164.0);
  EXPECT_GT(hi, 164.1);
  EXPECT_GE(lo, 100 * std::pow(2.0, 0.2 / 0.5) - 1e-9);  // the lowest resample: means 0.7, 0.2
  EXPECT_LE(hi, 200 * std::pow(2.0, 0.1 / 0.5) + 1e-9);  // the highest: means 0.7, 0.6
  // equal data sets: no spread; no fall through ½: NaN
  const auto same = points({{100, 0.7}, {100, 0.7}, {200, 0.3}, {200, 0.3}, {400, 0.1}, {400, 0.1}});
  const auto [slo, shi] = bootstrap_crossing(same, ns, 3);
  EXPECT_DOUBLE_EQ(slo, measured_crossing(same, ns));
  EXPECT_DOUBLE_EQ(shi, slo);
  EXPECT_TRUE(std::isnan(measured_crossing(points({{100, 0.4}, {200, 0.3}, {400, 0.2}}), ns)));
}

TEST(BayesTransition, RegionRule) {
  RegionRule rule;
  rule.ratio = 0.5, rule.off_rms = 0.1;
  const std::vector<double> xs = {-2, -1, -0.5, 0.5, 1, 2};
  const double dup[] = {1.7, -1.6, 0.5, -0.45}, two[] = {1.1, 0.25, 1.5, -1.0}, off[] = {1.1, 0.25, 1.5, 0.01};
  EXPECT_TRUE(rule.one_node(dup, xs));   // |a| agree up to signs (a symmetry of tanh)
  EXPECT_FALSE(rule.one_node(two, xs));
  EXPECT_TRUE(rule.one_node(off, xs));   // the second unit's output is below off_rms
}

TEST(BayesTransition, SettingsAreChecked) {
  TransitionSettings s;
  s.teacher_a = {1.0};
  EXPECT_THROW(validate(s), UserError);
  s = {};
  s.ns = {5};
  EXPECT_THROW(validate(s), UserError);
  s = {};
  s.sampler.beta_min = 1.5;
  EXPECT_THROW(validate(s), UserError);
}

TEST(BayesTransition, StoreKeepsAStudy) {
  const auto path = std::filesystem::temp_directory_path() / "geneft-test-bayes-transition.db";
  std::filesystem::remove(path);
  BayesTransitionRow row;
  row.id = "abc", row.created_at = "2026-01-01T00:00:00Z", row.settings = "{}", row.summary = "{\"x\":1}";
  row.points.push_back({100, 0, 0.75, 0.8, 0.01, 0.55, 0.7, 1.01, 300, 0});
  row.points.push_back({100, 1, 0.25, std::nan(""), 0.02, 0.56, 0.71, 1.02, 310, 1});
  {
    Store store = Store::open(path.string(), true);
    store.save_bayes_transition(row);
    row.points[0].mass_one = 0.6;
    store.save_bayes_transition(row);  // replaces
  }
  Store store = Store::open_read_only(path.string());
  const auto all = store.bayes_transitions();
  ASSERT_EQ(all.size(), 1u);
  ASSERT_EQ(all[0].points.size(), 2u);
  EXPECT_EQ(all[0].summary, "{\"x\":1}");
  EXPECT_DOUBLE_EQ(all[0].points[0].mass_one, 0.6);
  EXPECT_TRUE(std::isnan(all[0].points[1].predicted_one));
  EXPECT_EQ(all[0].points[1].diverged_chains, 1);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace geneft
