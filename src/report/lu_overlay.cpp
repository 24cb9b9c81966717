// geneft theory lu: the Omnigrok LU landscape of stored sweeps over model.init_scale with
// train.fixed_norm (Liu, Michaud, Tegmark 2022, arXiv:2210.01117, Sec. 2, Fig. 1).
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "plot/theory_figures.h"
#include "report/html.h"
#include "report/theory_overlay.h"
#include "store/store.h"

namespace geneft {

LuLandscape lu_landscape_of_sweep(const std::string& db, const std::string& sweep, LuValue value,
                                  std::vector<std::string>* notes) {
  if (!std::filesystem::exists(db)) throw UserError(db + ": no such store (run `geneft sweep SWEEP.toml --db " + db + "`)");
  Store store = Store::open_read_only(db);
  if (!store.sweep_definition(sweep)) throw UserError(db + ": no sweep named '" + sweep + "'");
  std::vector<LuPoint> points;
  int unfinished = 0, diverged = 0, free_norm = 0;
  for (const RunRow& r : store.sweep_runs(sweep)) {
    if (r.status == "diverged") ++diverged;
    if (r.status != "completed") {
      unfinished += r.status != "diverged";
      continue;
    }
    const RunConfig cfg = parse_config(r.config, "store run " + r.id);
    free_norm += cfg.train.fixed_norm == "none";
    LuPoint p = lu_point(store.curve(r.id), value);
    p.run_id = r.id, p.alpha = cfg.model.init_scale;
    points.push_back(p);
  }
  if (points.empty()) throw UserError(db + ": sweep '" + sweep + "' has no completed runs yet");
  if (notes) {
    auto note = [&](int n, const char* what) {
      if (n > 0) notes->push_back(std::to_string(n) + " run(s) of sweep " + sweep + " " + what);
    };
    note(diverged, "diverged: left out");
    note(unfinished, "not finished (running or interrupted): left out");
    note(free_norm, "trained without train.fixed_norm: their norm moved, shown at the initial norm");
  }
  return lu_landscape(std::move(points));
}

TheoryOutput lu_overlay(const std::vector<TheoryInput>& sweeps, const LuOptions& a) {
  const LuValue value = lu_value_named(a.value);
  const std::string which = value == LuValue::Best ? "best over training" : "final";
  TheoryOutput out;
  std::vector<LuPanel> panels;
  std::string title;
  for (const auto& in : sweeps) {
    if (!in.sweep) throw UserError(in.source + ": the LU landscape needs a sweep (over model.init_scale, with train.fixed_norm)");
    std::vector<std::string> notes;
    LuLandscape l = lu_landscape_of_sweep(a.db, in.sweep->name, value, &notes);
    for (const auto& n : notes) out.printf("note: %s\n", n.c_str());
    out.printf("sweep %s (%zu runs, task %s; %s values):\n", in.sweep->name.c_str(), l.points.size(),
               in.config.task.kind.c_str(), which.c_str());
    out.printf("  %9s  %10s  %12s  %12s  %9s  %9s\n", "alpha", "norm", "train loss", "test loss", "train acc", "test acc");
    TheoryTable table{"sweep " + in.sweep->name + ": " + which + " loss and accuracy against the fixed weight norm",
                      {"alpha", "norm ‖w‖", "train loss", "test loss", "train acc", "test acc", ""}, {}};
    for (size_t i = 0; i < l.points.size(); ++i) {
      const LuPoint& p = l.points[i];
      char row[200];
      std::snprintf(row, sizeof row, "  %9.4g  %10.4g  %12.4g  %12.4g  %9.3f  %9.3f%s\n", p.alpha, p.norm, p.train_loss,
                    p.test_loss, p.train_acc, p.test_acc, i == l.test_minimum ? "   <- test-loss minimum" : "");
      out.printf("%s", row);
      auto f = [](const char* fmt, double v) {
        char b[48];
        std::snprintf(b, sizeof b, fmt, v);
        return std::string(b);
      };
      table.rows.push_back({f("%.4g", p.alpha), f("%.4g", p.norm), f("%.4g", p.train_loss), f("%.4g", p.test_loss),
                            f("%.3f", p.train_acc), f("%.3f", p.test_acc), i == l.test_minimum ? "test-loss minimum" : ""});
    }
    out.printf("  w_c = %.6g (the norm of the lowest test loss, %.4g, at alpha = %.4g)\n", l.critical_norm,
               l.points[l.test_minimum].test_loss, l.points[l.test_minimum].alpha);
    out.tables.push_back(std::move(table));
    title += (title.empty() ? "" : ", ") + in.sweep->name;
    panels.push_back({plot_text(in.sweep->name + " (" + in.config.task.kind + ")"), which, std::move(l)});
  }
  out.figures.push_back(draw_lu_figure("LU landscape on the sphere of fixed norm: " + plot_text(title), panels, a.out, a.name));
  return out;
}

}  // namespace geneft
