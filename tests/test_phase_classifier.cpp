#include <gtest/gtest.h>

#include "measure/phase_classifier.h"

namespace geneft {
namespace {

// A synthetic curve: accuracies rise to 1 at the given steps (or never: -1), evaluated every 100 steps.
std::vector<EvalPoint> curve(int64_t train_at, int64_t test_at, int64_t steps = 10000) {
  std::vector<EvalPoint> c;
  for (int64_t s = 0; s <= steps; s += 100) {
    EvalPoint p;
    p.step = s;
    p.train_acc = train_at >= 0 && s >= train_at ? 1.0 : 0.3;
    p.test_acc = test_at >= 0 && s >= test_at ? 0.95 : 0.1;
    c.push_back(p);
  }
  return c;
}

TEST(PhaseClassifier, AllFivePhases) {
  const PhaseClassifier c({0.9, 1000, std::nullopt});
  EXPECT_EQ(c.classify(curve(500, 800), false).phase, Phase::Comprehension);
  EXPECT_EQ(c.classify(curve(500, 6000), false).phase, Phase::Grokking);
  EXPECT_EQ(c.classify(curve(500, -1), false).phase, Phase::Memorization);
  EXPECT_EQ(c.classify(curve(-1, -1), false).phase, Phase::Confusion);
  EXPECT_EQ(c.classify(curve(500, 800), true).phase, Phase::Diverged);
}

TEST(PhaseClassifier, TimesAreFirstEvalAtThreshold) {
  const PhaseResult r = PhaseClassifier().classify(curve(450, 2050), false);
  EXPECT_EQ(r.t_train, 500);
  EXPECT_EQ(r.t_test, 2100);
  EXPECT_EQ(r.phase, Phase::Grokking);  // delay 1600 > 1000
}

// rel_equiv n=30 k=15: 93% of pairs are negatives, so the untrained network already scores
// above 0.9; its final test accuracy is 0.878. Not comprehension: the accuracy must stay above
// the threshold to the end of the run.
TEST(PhaseClassifier, AccuracyThatFallsBackBelowTheThresholdIsNotReached) {
  std::vector<EvalPoint> c;
  for (int64_t s = 0; s <= 2000; s += 100) {
    EvalPoint p;
    p.step = s;
    p.train_acc = s == 0 ? 0.93 : s < 500 ? 0.85 : 1.0;
    p.test_acc = s == 0 ? 0.93 : 0.878;
    c.push_back(p);
  }
  const PhaseResult r = PhaseClassifier().classify(c, false);
  EXPECT_EQ(r.phase, Phase::Memorization);
  EXPECT_EQ(r.t_train, 500);  // from where it stays at the threshold, not step 0
  EXPECT_FALSE(r.t_test);
}

TEST(PhaseClassifier, OptionsChangeTheAnswerWithoutRetraining) {
  const auto c = curve(500, 6000);
  EXPECT_EQ(PhaseClassifier({0.9, 10000, std::nullopt}).classify(c, false).phase, Phase::Comprehension);
  EXPECT_EQ(PhaseClassifier({0.9, 1000, 5000}).classify(c, false).phase, Phase::Memorization);  // budget
  EXPECT_EQ(PhaseClassifier({0.99, 1000, std::nullopt}).classify(c, false).phase, Phase::Memorization);  // test at 0.95
}

TEST(PhaseClassifier, Names) {
  for (int p = 0; p < kNumPhases; ++p) EXPECT_EQ(phase_from_name(phase_name(Phase(p))), Phase(p));
}

}  // namespace
}  // namespace geneft
