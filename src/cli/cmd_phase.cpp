#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "core/error.h"
#include "plot/phase_diagram.h"
#include "report/report.h"
#include "store/store.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"

namespace geneft {
namespace {

struct PhaseArgs {
  std::string db, sweep, x, y, out = "fig", name;
  std::vector<std::string> metrics;
  double threshold = -1;
  int64_t delta = -1, budget = -1;
};

void run_phase(const PhaseArgs& a) {
  const std::string name = a.name.empty() ? a.sweep : a.name;  // made a safe file name by the plot layer
  Store store = Store::open_read_only(a.db);
  const auto definition = store.sweep_definition(a.sweep);
  if (!definition) throw UserError(a.db + ": no sweep named '" + a.sweep + "'");
  const StoredSweep stored = parse_stored_sweep(*definition);
  PhaseOptions options = stored.phase;
  if (a.threshold >= 0) options.threshold = a.threshold;
  if (a.delta >= 0) options.delta = a.delta;
  if (a.budget >= 0) options.budget = a.budget;
  check_phase_options(options, "");
  const auto rows = sweep_table(store, a.sweep, PhaseClassifier(options));

  auto axis = [&](const std::string& key, size_t fallback) {
    std::string k = key;
    if (k.empty()) {
      if (stored.axes.size() <= fallback) throw UserError("the sweep has fewer than two axes: give --x and --y");
      k = stored.axes[fallback].first;
    }
    GridAxis g{k, axis_label(k), false};
    for (const auto& [ak, kind] : stored.axes)
      if (ak == k) g.log = kind == AxisKind::LogRange;
    return g;
  };
  const GridAxis x = axis(a.x, 0), y = axis(a.y, 1);

  std::map<std::string, int> counts;
  for (const auto& r : rows) ++counts[phase_name(r.phase.phase)];
  std::printf("sweep %s: %zu runs;", a.sweep.c_str(), rows.size());
  for (const auto& [p, n] : counts) std::printf(" %s %d", p.c_str(), n);
  std::printf("\nphases with threshold %.3g, delta %lld steps%s\n", options.threshold, (long long)options.delta,
              options.budget ? (", budget " + std::to_string(*options.budget) + " steps").c_str() : "");
  const std::string title = phase_diagram_title(a.sweep, options.threshold, options.delta);
  std::printf("%s\n", draw_phase_diagram(rows, x, y, title, a.out, name + "-phase").c_str());
  for (const auto& m : a.metrics)
    std::printf("%s\n", draw_metric_heatmap(rows, x, y, m, metric_heatmap_title(a.sweep, m), a.out, name + "-" + m).c_str());
}

}  // namespace

void add_phase_command(CLI::App& app) {
  auto a = std::make_shared<PhaseArgs>();
  CLI::App* cmd = app.add_subcommand("phase", "phase diagram (and metric heatmaps) of a sweep over two axes");
  cmd->add_option("db", a->db, "results store")->required();
  cmd->add_option("--sweep", a->sweep, "sweep name")->required();
  cmd->add_option("--x", a->x, "config key on the x axis (default: the sweep's first axis)");
  cmd->add_option("--y", a->y, "config key on the y axis (default: the sweep's second axis)");
  cmd->add_option("--metric", a->metrics,
                  "also draw a heatmap of: final_test_acc, final_train_acc, final_test_loss, final_train_loss, "
                  "t_train, t_test, delay, final_weight_norm, final_rqi (repeatable)");
  cmd->add_option("--threshold", a->threshold, "accuracy threshold for t_train, t_test (default: the sweep's, 0.9)");
  cmd->add_option("--delta", a->delta, "largest t_test - t_train still called comprehension (default: the sweep's, 1000)");
  cmd->add_option("--budget", a->budget, "steps within which the threshold must be reached (default: all)");
  cmd->add_option("-o,--out", a->out, "output folder for PNG and SVG")->capture_default_str();
  cmd->add_option("--name", a->name, "figure files NAME-phase.png, NAME-METRIC.png (default: the sweep's name)");
  cmd->callback([a] {
    for (const auto& m : a->metrics) require_sweep_metric(m);
    run_phase(*a);
  });
}

}  // namespace geneft
