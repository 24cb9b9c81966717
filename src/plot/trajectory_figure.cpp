#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_trajectory_panels(const std::string& title, const std::string& y_label,
                                   const std::vector<TrajectoryPanel>& panels, int columns, const std::string& out_dir,
                                   const std::string& name) {
  if (panels.empty()) throw UserError("no trajectories to draw");
  columns = std::max(1, std::min(columns, int(panels.size())));
  const int rows = (int(panels.size()) + columns - 1) / columns;
  char buf[200];
  std::snprintf(buf, sizeof buf, "set multiplot layout %d,%d title ", rows, columns);
  std::string s = buf + gp_quote(title) + " noenhanced\n";
  // predicted collapses run to 1e-100 and more: the range shows the measured motion
  s += "set logscale y\nset yrange [1e-4:1e2]\nset grid lc rgb '#dddddd'\nset tics out nomirror\nset key bottom left box opaque font ',8' noenhanced\n";
  s += "set xlabel 'step'\nset ylabel " + gp_quote(y_label) + "\n";
  for (size_t i = 0; i < panels.size(); ++i) {
    const auto& p = panels[i];
    s += "set title " + gp_quote(p.title) + " noenhanced font ',10'\n";
    std::string plot = "plot NaN notitle";
    for (size_t j = 0; j < p.series.size(); ++j) {
      const auto& r = p.series[j];
      std::vector<std::string> rows_text;
      for (const auto& [x, y] : r.xy)
        if (y > 0) {
          std::snprintf(buf, sizeof buf, "%.9g %.9g", x, y);
          rows_text.push_back(buf);
        }
      const std::string block = "p" + std::to_string(i) + "s" + std::to_string(j);
      s += datablock(block, rows_text);
      std::snprintf(buf, sizeof buf, " with %s lw 2 dt %d lc rgb '%s' title ", r.points ? "linespoints pt 7 ps 0.6" : "lines",
                    r.dash, r.color.c_str());
      plot += ", \\\n     $" + block + " using 1:2" + buf + gp_quote(r.label);
    }
    s += plot + "\n";
  }
  s += "unset multiplot\n";
  return render_figure(out_dir, name, s, {560 * columns, 440 * rows + 40});
}

}  // namespace geneft
