#pragma once
// The one list of measured metrics: a column of the curves table each (and final_<name> in the
// runs table), a field of EvalPoint, and a column of `geneft export`. A new metric is one line
// here, a schema migration (store.cpp) and its measurement in the trainer.
#include <string>

#include "core/run_result.h"

namespace geneft {

struct MetricColumn {
  const char* name;
  double EvalPoint::*field;
};

inline constexpr MetricColumn kMetricColumns[] = {
    {"train_loss", &EvalPoint::train_loss},     {"test_loss", &EvalPoint::test_loss},
    {"train_acc", &EvalPoint::train_acc},       {"test_acc", &EvalPoint::test_acc},
    {"encoder_norm", &EvalPoint::encoder_norm}, {"decoder_norm", &EvalPoint::decoder_norm},
    {"rqi", &EvalPoint::rqi},                   {"weight_norm", &EvalPoint::weight_norm},
};
inline constexpr int kMetricCount = int(std::size(kMetricColumns));

// "<prefix>train_loss, <prefix>test_loss, ...": the metric columns for SQL.
inline std::string metric_column_list(const std::string& prefix = "") {
  std::string s;
  for (const auto& m : kMetricColumns) s += (s.empty() ? "" : ", ") + prefix + m.name;
  return s;
}

}  // namespace geneft
