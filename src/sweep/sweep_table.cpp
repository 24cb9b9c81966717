#include "sweep/sweep_table.h"

#include <cmath>

#include "core/error.h"

namespace geneft {

const std::vector<std::string> kSweepMetrics = {"final_test_acc", "final_train_acc", "final_test_loss",
                                                "final_train_loss", "t_train", "t_test", "delay",
                                                "final_weight_norm", "final_rqi"};

double SweepRow::value(const std::string& m) const {
  const EvalPoint& f = run.final;
  auto opt = [](const std::optional<int64_t>& v) { return v ? double(*v) : kMissing; };
  if (m == "final_test_acc") return f.test_acc;
  if (m == "final_train_acc") return f.train_acc;
  if (m == "final_test_loss") return f.test_loss;
  if (m == "final_train_loss") return f.train_loss;
  if (m == "t_train") return opt(phase.t_train);
  if (m == "t_test") return opt(phase.t_test);
  if (m == "delay") return phase.t_train && phase.t_test ? double(*phase.t_test - *phase.t_train) : kMissing;
  if (m == "final_weight_norm") return f.weight_norm;
  if (m == "final_rqi") return f.rqi;
  require_sweep_metric(m);
  return kMissing;
}

void require_sweep_metric(const std::string& metric) {
  std::string known;
  for (const auto& k : kSweepMetrics) {
    if (k == metric) return;
    known += " " + k;
  }
  throw UserError("unknown metric '" + metric + "' (one of:" + known + ")");
}

double SweepRow::number(const std::string& key) const {
  const auto it = config.find(key);
  if (it == config.end()) throw UserError("unknown config key '" + key + "'");
  if (const auto* i = std::get_if<int64_t>(&it->second)) return double(*i);
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  throw UserError("config key '" + key + "' is not numeric; a phase diagram axis must be");
}

std::vector<SweepRow> sweep_table(Store& store, const std::string& sweep, const PhaseClassifier& classifier) {
  if (!store.sweep_definition(sweep)) {
    std::string names;
    for (const auto& n : store.sweep_names()) names += " " + n;
    throw UserError(store.path() + ": no sweep named '" + sweep + "' (sweeps:" + (names.empty() ? " none" : names) + ")");
  }
  std::vector<SweepRow> rows;
  for (auto& run : store.sweep_runs(sweep)) {
    if (!is_finished(run.status)) continue;
    SweepRow r;
    r.config = parse_config(run.config, "store run " + run.id).values;
    r.phase = classifier.classify(store.curve(run.id), run.status == "diverged");
    r.run = std::move(run);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace geneft
