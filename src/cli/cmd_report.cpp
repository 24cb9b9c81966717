// geneft report DB -o DIR: a static HTML page of the store (src/report).
#include <cstdio>

#include "cli/commands.h"
#include "report/report.h"

namespace geneft {

void add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  o->out = "report";
  CLI::App* cmd = app.add_subcommand(
      "report", "a self-contained HTML page of the store: sweeps, phase diagrams, theory beside measurement, runs");
  cmd->add_option("db", o->db, "results store")->required();
  cmd->add_option("-o,--out", o->out, "output folder (index.html and fig/)")->capture_default_str();
  cmd->add_option("--splits", o->oracle_splits, "oracle splits per train fraction (theory datasize, induction-gap)")
      ->capture_default_str();
  cmd->add_option("--samples", o->repon_samples, "many-repon initial conditions per ratio (theory repons)")
      ->capture_default_str();
  cmd->add_option("--boundary-samples", o->boundary_samples,
                  "many-repon initial conditions, each one's threshold by bisection (theory boundaries)")
      ->capture_default_str();
  cmd->add_option("--sets", o->parallelogram_sets, "random training sets per size (theory parallelograms)")
      ->capture_default_str();
  cmd->add_option("--max-run-figures", o->max_run_figures, "curves and embeddings for at most this many single runs")
      ->capture_default_str();
  cmd->callback([o] { std::printf("%s\n", write_report(*o).c_str()); });
}

}  // namespace geneft
