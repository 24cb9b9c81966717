#include "measure/phase_classifier.h"

#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace geneft {

namespace {
const char* const kNames[kNumPhases] = {"comprehension", "grokking", "memorization", "confusion", "diverged"};
}

const char* phase_name(Phase p) { return kNames[int(p)]; }

void check_phase_options(const PhaseOptions& o, const std::string& where) {
  if (!(o.threshold > 0 && o.threshold <= 1)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", o.threshold);
    throw UserError(where + "threshold = " + buf + " is out of range: allowed (0, 1]");
  }
  if (o.delta < 0) throw UserError(where + "delta = " + std::to_string(o.delta) + " is out of range: allowed [0, inf)");
  if (o.budget && *o.budget < 0)
    throw UserError(where + "budget = " + std::to_string(*o.budget) + " is out of range: allowed [0, inf)");
}

Phase phase_from_name(const std::string& name) {
  for (int i = 0; i < kNumPhases; ++i)
    if (name == kNames[i]) return Phase(i);
  throw UserError("unknown phase '" + name + "'");
}

PhaseResult PhaseClassifier::classify(const std::vector<EvalPoint>& curve, bool diverged) const {
  PhaseResult r{Phase::Confusion, std::nullopt, std::nullopt};
  for (const auto& p : curve) {
    if (options_.budget && p.step > *options_.budget) break;
    // the first eval from which the accuracy stays at the threshold: an untrained network that
    // scores above it by predicting the majority label, then falls below, has not reached it
    if (!(p.train_acc >= options_.threshold)) r.t_train.reset();
    else if (!r.t_train) r.t_train = p.step;
    if (!(p.test_acc >= options_.threshold)) r.t_test.reset();
    else if (!r.t_test) r.t_test = p.step;
  }
  if (diverged) r.phase = Phase::Diverged;
  else if (!r.t_train) r.phase = Phase::Confusion;
  else if (!r.t_test) r.phase = Phase::Memorization;
  else r.phase = *r.t_test - *r.t_train <= options_.delta ? Phase::Comprehension : Phase::Grokking;
  return r;
}

}  // namespace geneft
