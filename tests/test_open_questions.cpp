// The fitting code of the GenEFT open questions (docs/theory.md, "Open questions of GenEFT,
// measured"), on synthetic data with known parameters: level crossings with bootstrap errors
// (critical fractions, Goldilocks zone edges) and the stripe test of a phase diagram.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>

#include "theory/curve_crossing.h"
#include "theory/goldilocks_edges.h"
#include "theory/phase_stripes.h"

namespace geneft {
namespace {

// A piecewise-linear true curve (so that linear interpolation of the true means is exact), seeds
// with Gaussian noise; the crossing must be recovered within its bootstrap standard error.
struct CrossingCase {
  std::string name;
  CrossingDirection direction;
  bool log_x;
  double truth;  // where the true curve crosses the level 0.9
};

double true_curve(const CrossingCase& c, double x) {
  const double t = c.log_x ? std::log2(x) : x * 10;  // grid index: 1..9 (linear), 0..8 (log2)
  if (c.direction == CrossingDirection::Rising) return std::clamp(0.5 + 0.1 * (t - 2), 0.5, 1.0);  // 0.9 at t = 6
  return std::clamp(1.0 - 0.05 * (t - 4), 0.6, 1.0) - (t < 2 ? 0.3 : 0.0);  // above 0.9 from t = 2, falls to 0.9 at t = 6
}

class LevelCrossing : public testing::TestWithParam<CrossingCase> {};

TEST_P(LevelCrossing, RecoversTheCrossingWithinItsStandardError) {
  const auto& c = GetParam();
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.03);
  const int replicates = 200, seeds = 5;
  int covered = 0, covered3 = 0;
  double bias = 0;
  for (int r = 0; r < replicates; ++r) {
    std::vector<CurvePoint> curve;
    for (int i = 0; i < 9; ++i) {
      const double x = c.log_x ? std::pow(2.0, i) : (i + 1) / 10.0;
      std::vector<double> values;
      for (int s = 0; s < seeds; ++s) values.push_back(true_curve(c, x) + noise(rng));
      curve.push_back(curve_point(x, values));
    }
    const auto e = bootstrap_crossing(curve, 0.9, c.direction, c.log_x, 400, r);
    ASSERT_TRUE(std::isfinite(e.value));
    EXPECT_GT(e.std_error, 0);
    covered += std::abs(e.value - c.truth) <= 2 * e.std_error;
    covered3 += std::abs(e.value - c.truth) <= 3 * e.std_error;
    bias += (e.value - c.truth) / replicates;
  }
  // Two standard errors cover the truth in most replicates, three in nearly all: a standard error
  // from 5 seeds is itself uncertain (a t distribution with 4 degrees of freedom puts 88% within 2).
  EXPECT_GE(covered, int(0.78 * replicates)) << covered << " of " << replicates << " within 2 s.e.";
  EXPECT_GE(covered3, int(0.93 * replicates)) << covered3 << " of " << replicates << " within 3 s.e.";
  EXPECT_LT(std::abs(bias), 0.05 * c.truth);
}

INSTANTIATE_TEST_SUITE_P(Synthetic, LevelCrossing,
                         testing::Values(CrossingCase{"RisingLinearX", CrossingDirection::Rising, false, 0.6},
                                         CrossingCase{"FallingLinearX", CrossingDirection::Falling, false, 0.6},
                                         CrossingCase{"RisingLog2X", CrossingDirection::Rising, true, 64},
                                         CrossingCase{"FallingLog2X", CrossingDirection::Falling, true, 64}),
                         [](const testing::TestParamInfo<CrossingCase>& i) { return i.param.name; });

TEST(LevelCrossing, NotReachedIsNaNAndAFirstPointAtTheLevelIsItself) {
  const std::vector<CurvePoint> low = {{0.1, 0.5}, {0.2, 0.6}, {0.3, 0.7}};
  EXPECT_TRUE(std::isnan(level_crossing(low, 0.9, CrossingDirection::Rising)));
  const std::vector<CurvePoint> high = {{0.1, 0.95}, {0.2, 0.97}};
  EXPECT_DOUBLE_EQ(level_crossing(high, 0.9, CrossingDirection::Rising), 0.1);
  EXPECT_TRUE(std::isnan(level_crossing(high, 0.9, CrossingDirection::Falling)));  // the zone is open above
  const std::vector<CurvePoint> bump = {{1, 0.5}, {2, 1.0}, {4, 0.8}};
  EXPECT_DOUBLE_EQ(level_crossing(bump, 0.9, CrossingDirection::Rising), 1.8);
  EXPECT_DOUBLE_EQ(level_crossing(bump, 0.9, CrossingDirection::Falling, true), std::pow(2.0, 1.5));
}

// A straight trend with known slope, points with known errors: the slope is recovered within
// its standard error, and a flat trend is not called a trend.
struct LineCase {
  std::string name;
  double slope, noise;
};

class LineTrend : public testing::TestWithParam<LineCase> {};

TEST_P(LineTrend, RecoversTheSlopeWithinItsStandardError) {
  const auto& c = GetParam();
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z(0, 1);
  int covered = 0;
  const int replicates = 300;
  for (int r = 0; r < replicates; ++r) {
    std::vector<CurvePoint> pts;
    for (int i = 0; i < 6; ++i) {
      const double x = 1 + 0.5 * i, e = c.noise * (1 + 0.5 * (i % 3));
      pts.push_back({x, 0.2 + c.slope * x + e * z(rng), e});
    }
    const LineFit f = fit_line(pts);
    covered += std::abs(f.slope - c.slope) <= 2 * f.slope_se;
  }
  EXPECT_GE(covered, int(0.9 * replicates)) << covered << " of " << replicates << " within 2 s.e.";
}

INSTANTIATE_TEST_SUITE_P(Synthetic, LineTrend,
                         testing::Values(LineCase{"Flat", 0.0, 0.02}, LineCase{"Rising", 0.05, 0.02},
                                         LineCase{"FallingNoisy", -0.1, 0.05}),
                         [](const testing::TestParamInfo<LineCase>& i) { return i.param.name; });

TEST(LineTrend, ExactPointsAndTooFewPoints) {
  const LineFit f = fit_line({{0, 1, 0.1}, {1, 3, 0.1}, {2, 5, 0.1}});
  EXPECT_NEAR(f.slope, 2, 1e-12);
  EXPECT_NEAR(f.intercept, 1, 1e-12);
  EXPECT_THROW(fit_line({{1, 1, 0.1}, {1, 2, 0.1}}), std::exception);
}

// A diagonal logistic boundary on a 10 x 10 grid of log learning rates, two runs per cell, with an
// optional stripe: one column (or row) whose cells never generalize.
struct StripeCase {
  std::string name;
  int column, row;  // index of the striped line, -1 for none
};

class StripeDetection : public testing::TestWithParam<StripeCase> {};

TEST_P(StripeDetection, FindsTheInjectedStripeAndNothingElse) {
  const auto& c = GetParam();
  std::mt19937_64 rng(11);
  const int replicates = 100;
  int found = 0, false_lines = 0;
  for (int r = 0; r < replicates; ++r) {
    std::vector<StripeCell> cells;
    for (int i = 0; i < 10; ++i)
      for (int j = 0; j < 10; ++j) {
        StripeCell cell{-4 + i / 3.0, -4 + j / 3.0, 0, 2};
        double p = 1 / (1 + std::exp(-3 * (cell.x - cell.y + 0.3)));
        if (i == c.column || j == c.row) p = 0.02;
        std::bernoulli_distribution gen(p);
        for (int k = 0; k < cell.runs; ++k) cell.generalized += gen(rng);
        cells.push_back(cell);
      }
    const StripeTest t = stripe_test(cells);
    bool hit = c.column < 0 && c.row < 0;
    for (int i = 0; i < 10; ++i) {
      const bool col_expected = i == c.column, row_expected = i == c.row;
      if (col_expected) hit = hit || t.columns[i].stripe;
      if (row_expected) hit = hit || t.rows[i].stripe;
      false_lines += (t.columns[i].stripe && !col_expected) + (t.rows[i].stripe && !row_expected);
    }
    found += hit;
  }
  EXPECT_GE(found, 90) << "the stripe was found in " << found << " of " << replicates;
  // alpha = 0.01 per kind of line: no more than a few false stripes in 100 diagrams (a strong
  // stripe distorts the fit a little, so allow some)
  EXPECT_LE(false_lines, c.column < 0 && c.row < 0 ? 5 : 15);
}

INSTANTIATE_TEST_SUITE_P(Synthetic, StripeDetection,
                         testing::Values(StripeCase{"NoStripe", -1, -1}, StripeCase{"Column6", 6, -1},
                                         StripeCase{"Row3", -1, 3}),
                         [](const testing::TestParamInfo<StripeCase>& i) { return i.param.name; });

TEST(StripeDetection, BadCellsAreErrors) {
  EXPECT_THROW(stripe_test({}), std::exception);
  EXPECT_THROW(stripe_test({{0, 0, 3, 2}}), std::exception);
}

// The representability counts, checked by building the decoder they describe: with those
// embeddings and that many tanh units, every one of the 900 pairs is classified correctly.
int wrong_pairs(int n, const std::function<bool(int, int)>& related, const std::function<double(int, int)>& decoder) {
  int wrong = 0;
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) wrong += (decoder(a, b) > 0) != related(a, b);
  return wrong;
}

TEST(SmallestRepresentingDecoder, EquivalenceConcatTwoUnits) {
  const auto d = smallest_representing_decoder({RelationFamily::Equivalence, 30, 3, 0}, "concat");
  ASSERT_EQ(d.depth, 1);
  ASSERT_EQ(d.width, 2);
  // classes at 0, 1, 2 on a line; a strip |E_a - E_b| < 1/2 from two units on E_a - E_b
  auto dec = [](int a, int b) {
    const double x = a % 3 - b % 3;
    return std::tanh(10 * (x + 0.5)) - std::tanh(10 * (x - 0.5)) - 1;
  };
  EXPECT_EQ(wrong_pairs(30, [](int a, int b) { return a % 3 == b % 3; }, dec), 0);
}

TEST(SmallestRepresentingDecoder, EquivalenceSumThreeUnits) {
  const auto d = smallest_representing_decoder({RelationFamily::Equivalence, 30, 3, 0}, "sum");
  ASSERT_EQ(d.width, 3);
  // classes at the corners of a triangle; one unit per corner of the sums
  auto dec = [](int a, int b) {
    auto corner = [](int c) { return std::pair{std::cos(2 * M_PI * c / 3), std::sin(2 * M_PI * c / 3)}; };
    const auto [xa, ya] = corner(a % 3);
    const auto [xb, yb] = corner(b % 3);
    double out = 2;
    for (int i = 0; i < 3; ++i) {
      const auto [ux, uy] = corner(i);
      out += std::tanh(10 * (ux * (xa + xb) + uy * (ya + yb) - 1.5));
    }
    return out;
  };
  EXPECT_EQ(wrong_pairs(30, [](int a, int b) { return a % 3 == b % 3; }, dec), 0);
}

TEST(SmallestRepresentingDecoder, OrderConcatIsLinearAndBipartiteIsAStrip) {
  EXPECT_EQ(smallest_representing_decoder({RelationFamily::TotalOrder, 30, 0, 0}, "concat").depth, 0);
  EXPECT_EQ(wrong_pairs(30, [](int a, int b) { return a > b; }, [](int a, int b) { return a - b - 0.5; }), 0);
  const auto d = smallest_representing_decoder({RelationFamily::CompleteBipartite, 30, 0, 15}, "concat");
  EXPECT_EQ(d.width, 2);
  auto side = [](int a) { return a < 15 ? -1.0 : 1.0; };
  auto dec = [&](int a, int b) {
    const double x = side(a) - side(b);
    return 1 - std::tanh(10 * (x + 1)) + std::tanh(10 * (x - 1));
  };
  EXPECT_EQ(wrong_pairs(30, [](int a, int b) { return (a < 15) != (b < 15); }, dec), 0);
  EXPECT_THROW(smallest_representing_decoder({RelationFamily::TotalOrder, 30, 0, 0}, "diff"), std::exception);
}

TEST(SmallestRepresentingDecoder, NoLinearDecoderForEquivalence) {
  // A linear decoder separates the positive pairs only if their inputs' convex hull misses the
  // negatives'; for any embeddings the positives [E_a, E_a'] (same class) and all pairs share a centroid
  // when classes have equal sizes, so the negatives' centroid is that point too.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> e(30);
  for (auto& v : e) v = u(rng);
  double pos_a = 0, neg_a = 0, pos_b = 0, neg_b = 0;
  int np = 0, nn = 0;
  for (int a = 0; a < 30; ++a)
    for (int b = 0; b < 30; ++b)
      if (a % 3 == b % 3) pos_a += e[a], pos_b += e[b], ++np;
      else neg_a += e[a], neg_b += e[b], ++nn;
  EXPECT_NEAR(pos_a / np, neg_a / nn, 1e-12);
  EXPECT_NEAR(pos_b / np, neg_b / nn, 1e-12);
}

TEST(MemorizingSize, WhereTheParametersReachTheLabels) {
  std::vector<std::pair<double, double>> grid;  // one hidden layer on 4 inputs, binary head: 6w + 1
  for (double w = 1; w <= 256; w *= 2) grid.push_back({w, 6 * w + 1});
  EXPECT_DOUBLE_EQ(memorizing_size(grid, 451), 75);
  EXPECT_TRUE(std::isnan(memorizing_size(grid, 5000)));
  EXPECT_THROW(memorizing_size({{1, 10}, {2, 5}}, 7), std::exception);
}

}  // namespace
}  // namespace geneft
