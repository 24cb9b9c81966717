#include <cstdio>

#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_learning_curve_figure(const LearningCurveFigure& f, const std::string& out_dir, const std::string& name) {
  std::string s;
  char buf[160];
  for (size_t i = 0; i < f.measured.size(); ++i) {
    std::vector<std::string> rows;
    for (const auto& p : f.measured[i].points) {
      std::snprintf(buf, sizeof buf, "%.9g %.9g %.9g %.9g", p.x, p.y, p.lo, p.hi);
      rows.push_back(buf);
    }
    s += datablock("measured" + std::to_string(i), rows);
  }
  for (size_t i = 0; i < f.theory.size(); ++i) {
    std::vector<std::string> rows;
    for (const auto& [x, y] : f.theory[i].curve) {
      std::snprintf(buf, sizeof buf, "%.9g %.9g", x, y);
      rows.push_back(buf);
    }
    s += datablock("theory" + std::to_string(i), rows);
  }
  s += "set title " + gp_quote(f.title) + " noenhanced\n";
  s += "set xlabel " + gp_quote(f.x_label) + " noenhanced\nset ylabel " + gp_quote(f.y_label) + " noenhanced\n";
  s += "set logscale xy\nset format y '10^{%L}'\nset grid lc rgb '#dddddd'\nset tics out nomirror\n";
  s += "set key bottom left box opaque font ',11' noenhanced\n";
  std::snprintf(buf, sizeof buf, "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n", f.x_min, f.x_max, f.y_min, f.y_max);
  s += buf;
  std::string plot = "plot ";
  for (size_t i = 0; i < f.theory.size(); ++i) {
    const auto& t = f.theory[i];
    plot += (i ? ", \\\n     " : "") + std::string("$theory") + std::to_string(i) + " using 1:2 with lines lw 2 dt " +
            std::to_string(t.dash) + " lc rgb '" + t.color + "' title " + gp_quote(t.label);
  }
  for (size_t i = 0; i < f.measured.size(); ++i) {
    const auto& m = f.measured[i];
    plot += (plot.size() > 5 ? ", \\\n     " : "") + std::string("$measured") + std::to_string(i) +
            " using 1:2:3:4 with yerrorbars pt " + std::to_string(m.point_type) + " ps 1.1 lc rgb '" + m.color +
            "' title " + gp_quote(m.label);
  }
  return render_figure(out_dir, name, s + plot + "\n", {1000, 750});
}

}  // namespace geneft
