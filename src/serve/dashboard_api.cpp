#include "serve/dashboard_api.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

#include "core/error.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"

namespace geneft {
namespace {

using nlohmann::json;

// NaN (not measured) is null in JSON.
// Invalid UTF-8 in a store string becomes U+FFFD rather than an exception.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json optional(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

json value_json(const ConfigValue& v) {
  return std::visit([](const auto& x) { return json(x); }, v);
}

// Seconds since an ISO 8601 UTC time (as the store writes it), or NaN.
double seconds_since(const std::string& iso) {
  std::tm t{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &t)) return NAN;
  return std::difftime(std::time(nullptr), timegm(&t));
}

json run_json(const RunRow& r) {
  json j = {{"id", r.id},
            {"status", r.status},
            {"task", r.task},
            {"seed", r.seed},
            {"steps", r.steps_done},
            {"started_at", r.started_at},
            {"ended_at", r.ended_at},
            {"wall_seconds", number(r.wall_seconds)},
            {"train_acc", number(r.final.train_acc)},
            {"test_acc", number(r.final.test_acc)},
            {"train_loss", number(r.final.train_loss)},
            {"test_loss", number(r.final.test_loss)},
            {"rqi", number(r.final.rqi)},
            {"phase", r.phase},
            {"t_train", optional(r.t_train)},
            {"t_test", optional(r.t_test)}};
  if (r.status == "running") j["running_seconds"] = number(seconds_since(r.started_at));
  return j;
}

json config_json(const std::string& text, const std::string& id) {
  json c = json::object();
  try {
    for (const auto& [k, v] : parse_config_values(text, "store run " + id)) c[k] = value_json(v);
  } catch (const UserError&) {
    // a config this geneft cannot read: shown without its keys
  }
  return c;
}

}  // namespace

std::string api_status(Store& store) {
  const auto runs = store.list_runs();
  int64_t finished = 0, running = 0;
  for (const auto& r : runs) finished += is_finished(r.status), running += r.status == "running";
  return dump(json{{"store", store.path()}, {"data_version", store.data_version()}, {"runs", runs.size()},
              {"finished", finished}, {"running", running}});
}

std::string api_sweeps(Store& store) {
  json out = json::array();
  for (const auto& name : store.sweep_names()) {
    json axes = json::array();
    try {
      for (const auto& [k, kind] : parse_stored_sweep(*store.sweep_definition(name)).axes)
        axes.push_back({{"key", k}, {"log", kind == AxisKind::LogRange}});
    } catch (const std::exception&) {
    }
    const auto runs = store.sweep_runs(name);
    int64_t done = 0, running = 0, failed = 0;
    double wall = 0;
    for (const auto& r : runs) {
      if (is_finished(r.status)) ++done, wall += std::isfinite(r.wall_seconds) ? r.wall_seconds : 0;
      running += r.status == "running";
      failed += r.status == "diverged";
    }
    const int64_t total = store.sweep_size(name);
    // ETA: runs left x mean wall time of a finished run, shared by the runs now in flight.
    const double mean_wall = done ? wall / done : NAN;
    const double eta = total == done ? 0.0 : running ? (total - done) * mean_wall / running : NAN;
    out.push_back({{"name", name},
                   {"axes", axes},
                   {"total", total},
                   {"finished", done},
                   {"running", running},
                   {"failed", failed},
                   {"mean_run_seconds", number(mean_wall)},
                   {"eta_seconds", number(eta)}});
  }
  return dump(out);
}

std::string api_sweep(Store& store, const std::string& name) {
  const auto def = store.sweep_definition(name);
  if (!def) throw UserError("no sweep named '" + name + "'");
  const StoredSweep stored = parse_stored_sweep(*def);
  json axes = json::array();
  for (const auto& [k, kind] : stored.axes) axes.push_back({{"key", k}, {"log", kind == AxisKind::LogRange}});
  json rows = json::array();
  for (const auto& r : sweep_table(store, name, PhaseClassifier(stored.phase))) {
    json coords = json::object();
    for (const auto& [k, kind] : stored.axes)
      if (const auto it = r.config.find(k); it != r.config.end()) coords[k] = value_json(it->second);
    json metrics = json::object();
    for (const auto& m : kSweepMetrics) metrics[m] = number(r.value(m));
    rows.push_back({{"id", r.run.id}, {"seed", r.run.seed}, {"status", r.run.status},
                    {"phase", phase_name(r.phase.phase)}, {"axes", coords}, {"metrics", metrics}});
  }
  return dump(json{{"name", name}, {"axes", axes}, {"total", store.sweep_size(name)}, {"runs", rows}});
}

std::string api_runs(Store& store) {
  json out = json::array();
  for (const auto& r : store.list_runs()) {
    json j = run_json(r);
    j["config"] = config_json(r.config, r.id);
    out.push_back(std::move(j));
  }
  return dump(out);
}

std::string api_run(Store& store, const std::string& id_prefix) {
  const std::string id = store.resolve_id(id_prefix);
  const RunRow r = store.get_run(id);
  json curve = json::array();
  for (const auto& e : store.curve(id))
    curve.push_back({{"step", e.step}, {"train_loss", number(e.train_loss)}, {"test_loss", number(e.test_loss)},
                     {"train_acc", number(e.train_acc)}, {"test_acc", number(e.test_acc)},
                     {"encoder_norm", number(e.encoder_norm)}, {"decoder_norm", number(e.decoder_norm)},
                     {"rqi", number(e.rqi)}});
  json j = run_json(r);
  j["config"] = config_json(r.config, id);
  j["curve"] = curve;
  j["partial"] = !is_finished(r.status);  // the eval points so far of a run in flight (or killed, or interrupted)
  return dump(j);
}

}  // namespace geneft
