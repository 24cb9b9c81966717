#pragma once
// Learning phases of Liu et al. 2022 (arXiv:2205.10343, Sec. 4): from a run's accuracy curve,
// t_train and t_test are the first eval steps from which train and test accuracy stay at the
// threshold to the last eval within the budget (so an untrained network that scores above it
// by predicting the majority label, then falls below, has not reached it). Comprehension: both within the budget and t_test - t_train <= delta. Grokking:
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

// UserError unless threshold is in (0, 1] and delta, budget are >= 0; `where` starts the
// message ("sweep.toml: sweep.phase.").
void check_phase_options(const PhaseOptions& o, const std::string& where);

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
