#pragma once
// Learning phases of Liu et al. 2022 (arXiv:2205.10343, Sec. 4): from a run's accuracy curve,
// t_train and t_test are the first eval steps at which train and test accuracy reach the
// threshold. Comprehension: both within the budget and t_test - t_train <= delta. Grokking:
// both, with a longer delay. Memorization: only train within the budget. Confusion: train
// never reaches it (whatever test does). A run whose loss became NaN or infinite is
// "diverged", never one of the four.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/run_result.h"

namespace geneft {

enum class Phase { Comprehension, Grokking, Memorization, Confusion, Diverged };
constexpr int kNumPhases = 5;

const char* phase_name(Phase p);
Phase phase_from_name(const std::string& name);  // UserError if unknown

struct PhaseOptions {
  double threshold = 0.9;
  int64_t delta = 1000;
  std::optional<int64_t> budget;  // default: every step of the run
};

struct PhaseResult {
  Phase phase;
  std::optional<int64_t> t_train, t_test;
};

class PhaseClassifier {
 public:
  explicit PhaseClassifier(PhaseOptions options = {}) : options_(options) {}
  PhaseResult classify(const std::vector<EvalPoint>& curve, bool diverged) const;
  const PhaseOptions& options() const { return options_; }

 private:
  PhaseOptions options_;
};

}  // namespace geneft
