#include <gtest/gtest.h>

#include "core/rng.h"
#include "measure/rqi.h"

namespace geneft {
namespace {

TEST(Rqi, SeventyParallelogramsForTen) {
  const auto ps = addition_parallelograms(10);
  EXPECT_EQ(ps.size(), 70u);  // Liu et al. 2022
  for (const auto& [i, j, m, n] : ps) {
    EXPECT_EQ(i + j, m + n);
    EXPECT_FALSE(i == m && j == n);
  }
  // p = 3: pairs with equal sums are {0,2}~{1,1} only
  EXPECT_EQ(addition_parallelograms(3).size(), 1u);
}

// The pairwise scan over all pairs that the listing replaced: the same parallelograms in the same order.
TEST(Rqi, ParallelogramsAsThePairwiseScanListsThem) {
  for (int p : {1, 2, 3, 4, 7, 10, 31}) {
    std::vector<std::array<int, 2>> pairs;
    for (int i = 0; i < p; ++i)
      for (int j = i; j < p; ++j) pairs.push_back({i, j});
    std::vector<Parallelogram> scan;
    for (size_t x = 0; x < pairs.size(); ++x)
      for (size_t y = x + 1; y < pairs.size(); ++y)
        if (pairs[x][0] + pairs[x][1] == pairs[y][0] + pairs[y][1])
          scan.push_back({pairs[x][0], pairs[x][1], pairs[y][0], pairs[y][1]});
    EXPECT_EQ(addition_parallelograms(p), scan) << "p = " << p;
    EXPECT_EQ(count_addition_parallelograms(p), scan.size()) << "p = " << p;
  }
  EXPECT_EQ(count_addition_parallelograms(1000), 83208250u);  // about p^3 / 12: 1.3 GB as a table
}

TEST(Rqi, LinearRepresentationIsPerfect) {
  const auto ps = addition_parallelograms(10);
  std::vector<double> E(10 * 2);
  for (int v = 0; v < 10; ++v) E[2 * v] = 3.0 * v - 7.0, E[2 * v + 1] = -0.5 * v;  // affine in v
  EXPECT_DOUBLE_EQ(representation_quality(E, 10, 2, ps), 1.0);
}

TEST(Rqi, RandomRepresentationIsPoor) {
  const auto ps = addition_parallelograms(10);
  Rng rng(5);
  std::vector<double> E(10);
  for (auto& e : E) e = rng.normal();
  EXPECT_LT(representation_quality(E, 10, 1, ps), 0.2);
}

TEST(Rqi, ToleranceIsOnNormalizedEmbeddings) {
  // One symbol moved off the line: parallelograms through it fail, others hold, at any scale.
  const auto ps = addition_parallelograms(10);
  std::vector<double> E(10);
  for (int v = 0; v < 10; ++v) E[v] = 1000.0 * v;
  E[9] += 2000.0;
  const double q = representation_quality(E, 10, 1, ps);
  EXPECT_GT(q, 0.5);
  EXPECT_LT(q, 1.0);
}

TEST(Rqi, FirstStepAboveIsStrictAndSkipsMissing) {
  std::vector<EvalPoint> curve(5);
  const double rqi[5] = {kMissing, 0.5, 0.95, 0.96, 1.0};
  for (int i = 0; i < 5; ++i) curve[i].step = 10 * i, curve[i].rqi = rqi[i];
  EXPECT_EQ(first_step_rqi_above(curve), 30);  // 0.95 itself does not pass (toy/train_add.py: rqi > 0.95)
  EXPECT_EQ(first_step_rqi_above(curve, 0.4), 10);
  EXPECT_FALSE(first_step_rqi_above(curve, 1.0).has_value());
}

}  // namespace
}  // namespace geneft
