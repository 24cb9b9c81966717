#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "store/store.h"
#include "store/curve_metrics.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"

namespace geneft {
namespace {

struct ExportArgs {
  std::string db, run, sweep, format = "csv", output;
  bool embeddings = false;
};

std::string number(double x) {
  if (std::isnan(x)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

nlohmann::json json_number(double x) { return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x); }

std::string curve_csv(const std::vector<EvalPoint>& curve) {
  std::string out = "step," + curve_metric_columns(",") + "\n";
  for (const auto& p : curve) {
    out += std::to_string(p.step);
    for (const auto& m : curve_metrics()) out += "," + number(p.*m.field);
    out += "\n";
  }
  return out;
}

std::string run_json(Store& store, const std::string& id, bool with_embeddings) {
  const RunRow r = store.get_run(id);
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& p : store.curve(id)) {
    nlohmann::json point = {{"step", p.step}};
    for (const auto& m : curve_metrics()) point[m.column] = json_number(p.*m.field);
    curve.push_back(point);
  }
  nlohmann::json j = {{"id", r.id}, {"status", r.status}, {"task", r.task}, {"seed", r.seed},
                      {"config", r.config}, {"started_at", r.started_at}, {"ended_at", r.ended_at},
                      {"wall_seconds", r.wall_seconds}, {"steps_done", r.steps_done},
                      {"diverged_step", r.diverged_step ? nlohmann::json(*r.diverged_step) : nlohmann::json(nullptr)},
                      {"early_stopped", r.early_stopped}, {"train_size", r.train_size},
                      {"test_size", r.test_size}, {"curve", curve}};
  if (with_embeddings) {
    nlohmann::json e = nlohmann::json::array();
    for (const auto& s : store.embeddings(id))
      e.push_back({{"step", s.step}, {"rows", s.rows}, {"cols", s.cols}, {"values", s.values}});
    j["embeddings"] = e;
  }
  return j.dump(1) + "\n";
}

// One row per run of a sweep: axis values, seed, phase, t_train, t_test, final metrics.
std::string sweep_export_text(Store& store, const std::string& sweep, bool json) {
  const SweepExport table = sweep_export(store, sweep);
  const auto& columns = table.columns;
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : table.rows) {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& c : columns) o[c] = table.cell(r, c);
      out.push_back(o);
    }
    return out.dump(1) + "\n";
  }
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
  out += "\n";
  for (const auto& r : table.rows) {
    for (size_t i = 0; i < columns.size(); ++i) {
      const nlohmann::json v = table.cell(r, columns[i]);
      out += i ? "," : "";
      if (v.is_null()) continue;
      out += v.is_string() ? v.get<std::string>() : v.is_number_float() ? number(v.get<double>()) : v.dump();
    }
    out += "\n";
  }
  return out;
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "a run's curves, or a sweep's runs, as CSV or JSON");
  cmd->add_option("db", args->db, "results store (SQLite file)")->required();
  auto* run = cmd->add_option("--run", args->run, "run id (a unique prefix is enough): its curve, one row per eval");
  auto* sweep = cmd->add_option("--sweep", args->sweep, "sweep name: one row per run with axes, phase, final metrics");
  run->excludes(sweep);
  cmd->add_option("--format", args->format, "csv: one row per eval step; json: run, config and curve")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  cmd->add_flag("--embeddings", args->embeddings, "json: include the embedding matrix at every eval step");
  cmd->add_option("-o,--output", args->output, "output file (default: stdout)");
  cmd->callback([args] {
    if (args->run.empty() == args->sweep.empty()) throw CLI::ValidationError("export", "give --run ID or --sweep NAME");
    Store store = Store::open_read_only(args->db);
    std::string text;
    if (!args->sweep.empty()) {
      text = sweep_export_text(store, args->sweep, args->format == "json");
    } else {
      const std::string id = store.resolve_id(args->run);
      text = args->format == "csv" ? curve_csv(store.curve(id)) : run_json(store, id, args->embeddings);
      if (const std::string status = store.get_run(id).status; !is_finished(status))
        std::fprintf(stderr, "note: run %s is %s: its curve is partial (the eval points stored so far)\n",
                     id.c_str(), status.c_str());
    }
    if (args->output.empty()) {
      std::cout << text;
      return;
    }
    std::ofstream out(args->output);
    if (!out) throw UserError(args->output + ": cannot write");
    out << text;
  });
}

}  // namespace geneft
