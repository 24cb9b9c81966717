#include "sweep/sweep_table.h"

#include <cmath>

#include "core/error.h"
#include "sweep/sweep_definition.h"
#include "measure/rqi.h"

namespace geneft {

const std::vector<std::string> kSweepMetrics = {"final_test_acc", "final_train_acc", "final_acc",
                                                "final_test_loss", "final_train_loss", "t_train",
                                                "t_test", "delay", "final_weight_norm", "final_rqi",
                                                "t_rqi"};

double SweepRow::value(const std::string& m) const {
  const EvalPoint& f = run.final;
  auto opt = [](const std::optional<int64_t>& v) { return v ? double(*v) : kMissing; };
  if (m == "final_test_acc") return f.test_acc;
  if (m == "final_train_acc") return f.train_acc;
  if (m == "final_acc") {  // over every sample, train and test together (Liu et al. 2022, Fig. 3)
    const double n = double(run.train_size + run.test_size);
    return run.test_size == 0 ? f.train_acc : (run.train_size * f.train_acc + run.test_size * f.test_acc) / n;
  }
  if (m == "final_test_loss") return f.test_loss;
  if (m == "final_train_loss") return f.train_loss;
  if (m == "t_train") return opt(phase.t_train);
  if (m == "t_test") return opt(phase.t_test);
  if (m == "delay") return phase.t_train && phase.t_test ? double(*phase.t_test - *phase.t_train) : kMissing;
  if (m == "final_weight_norm") return f.weight_norm;
  if (m == "final_rqi") return f.rqi;
  if (m == "t_rqi") return opt(t_rqi);
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
    const auto curve = store.curve(run.id);
    r.phase = classifier.classify(curve, run.status == "diverged");
    r.t_rqi = first_step_rqi_above(curve);
    r.run = std::move(run);
    rows.push_back(std::move(r));
  }
  return rows;
}

SweepExport sweep_export(Store& store, const std::string& sweep) {
  const auto definition = store.sweep_definition(sweep);
  if (!definition) throw UserError(store.path() + ": no sweep named '" + sweep + "'");
  const StoredSweep stored = parse_stored_sweep(*definition);
  SweepExport out;
  out.rows = sweep_table(store, sweep, PhaseClassifier(stored.phase));
  out.columns = {"id", "seed"};
  for (const auto& [key, kind] : stored.axes) out.columns.push_back(key);
  for (const char* c : {"status", "phase", "steps_done", "wall_seconds"}) out.columns.push_back(c);
  for (const auto& m : kSweepMetrics) out.columns.push_back(m);
  return out;
}

nlohmann::json SweepExport::cell(const SweepRow& r, const std::string& c) const {
  if (c == "id") return r.run.id;
  if (c == "seed") return r.run.seed;
  if (c == "status") return r.run.status;
  if (c == "phase") return phase_name(r.phase.phase);
  if (c == "steps_done") return r.run.steps_done;
  if (c == "wall_seconds") return r.run.wall_seconds;
  if (const auto it = r.config.find(c); it != r.config.end()) {
    nlohmann::json v;
    std::visit([&](const auto& x) { v = x; }, it->second);
    return v;
  }
  const double v = r.value(c);
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace geneft
