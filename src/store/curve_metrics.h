#pragma once
// The measurements of a curve point, each one column of the curves table (and of `geneft
// export`), in column order. A new measurement is a field of EvalPoint, one line here and a
// store migration that adds its column.
#include <string>
#include <vector>

#include "core/run_result.h"

namespace geneft {

struct CurveMetric {
  const char* column;
  double EvalPoint::*field;
};

inline const std::vector<CurveMetric>& curve_metrics() {
  static const std::vector<CurveMetric> metrics = {
      {"train_loss", &EvalPoint::train_loss},       {"test_loss", &EvalPoint::test_loss},
      {"train_acc", &EvalPoint::train_acc},         {"test_acc", &EvalPoint::test_acc},
      {"encoder_norm", &EvalPoint::encoder_norm},   {"decoder_norm", &EvalPoint::decoder_norm},
      {"rqi", &EvalPoint::rqi},                     {"fourier_top_k", &EvalPoint::fourier_top_k},
      {"fourier_gini", &EvalPoint::fourier_gini},   {"weight_norm", &EvalPoint::weight_norm},
  };
  return metrics;
}

// "train_loss, test_loss, ..." (with `sep` between names)
inline std::string curve_metric_columns(const std::string& sep = ", ") {
  std::string s;
  for (const auto& m : curve_metrics()) s += (s.empty() ? "" : sep) + m.column;
  return s;
}

}  // namespace geneft
