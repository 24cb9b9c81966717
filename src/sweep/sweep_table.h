#pragma once
// A sweep as a table: one row per stored run with its config values, phase (recomputed from
// the stored curve with the given options) and final metrics. Figures and exports read this.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "measure/phase_classifier.h"
#include "store/store.h"

namespace geneft {

struct SweepRow {
  RunRow run;
  std::map<std::string, ConfigValue> config;
  PhaseResult phase;
  std::optional<int64_t> t_rqi;  // first eval step with RQI > 0.95 (Liu et al. 2022, Fig. 4)
  double value(const std::string& metric) const;  // a scalar by name (see kSweepMetrics); NaN if absent
  double number(const std::string& key) const;    // a numeric config value; UserError if not numeric
};

// Scalars a sweep can be colored by or exported with.
extern const std::vector<std::string> kSweepMetrics;
// UserError naming the known metrics unless `metric` is one.
void require_sweep_metric(const std::string& metric);

std::vector<SweepRow> sweep_table(Store& store, const std::string& sweep, const PhaseClassifier& classifier);

// The tidy table of a stored sweep (`geneft export --sweep`, Python's Store.sweep): one row per
// finished run, phases by the sweep's own options; columns id, seed, the axes, status, phase,
// steps_done, wall_seconds and kSweepMetrics.
struct SweepExport {
  std::vector<std::string> columns;
  std::vector<SweepRow> rows;
  // A cell as JSON: string, integer, float or bool; null where not measured.
  nlohmann::json cell(const SweepRow& row, const std::string& column) const;
};
SweepExport sweep_export(Store& store, const std::string& sweep);

}  // namespace geneft
