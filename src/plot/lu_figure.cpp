#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_lu_figure(const std::string& title, const std::vector<LuPanel>& panels, const std::string& out_dir,
                           const std::string& name) {
  if (panels.empty()) throw UserError("no sweep to draw");
  const int n = int(panels.size());
  auto value = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, " %.9g", v);
    return std::isfinite(v) ? std::string(b) : std::string(" NaN");
  };
  std::string s = "set multiplot layout 2," + std::to_string(n) + " columnsfirst title " + gp_quote(title) + " noenhanced\n";
  s += "set grid lc rgb '#dddddd'\nset tics out nomirror\nset logscale x\nset xlabel 'weight norm ||w|| (fixed)'\n";
  for (int i = 0; i < n; ++i) {
    const LuPanel& p = panels[size_t(i)];
    const std::string d = "lu" + std::to_string(i);
    std::vector<std::string> rows;
    for (const auto& q : p.landscape.points)
      rows.push_back(value(q.norm) + value(q.train_loss) + value(q.test_loss) + value(q.train_acc) + value(q.test_acc));
    s += datablock(d, rows);
    const LuPoint& m = p.landscape.points[p.landscape.test_minimum];
    char buf[400];
    std::snprintf(buf, sizeof buf, "$min%d << EOD\n%.9g %.9g %.9g\nEOD\n", i, m.norm, m.test_loss, m.test_acc);
    s += buf;
    s += "set title " + gp_quote(p.title) + " noenhanced\n";
    std::snprintf(buf, sizeof buf, "w_c = %.3g", m.norm);
    // loss, log-log: the L (train) and the U (test)
    s += "set logscale y\nset format y '10^{%L}'\nset ylabel " + gp_quote(p.value_label + " loss") +
         " noenhanced\nset key bottom left box opaque\nunset arrow\n";
    s += "set arrow from " + value(m.norm) + ", graph 0 to " + value(m.norm) + ", graph 1 nohead dt 3 lc rgb 'black'\n";
    s += "plot $" + d + " using 1:2 with linespoints lw 2 pt 7 lc rgb '" + kColorblindSafe[0] + "' title 'train', $" + d +
         " using 1:3 with linespoints lw 2 pt 5 lc rgb '" + kColorblindSafe[3] + "' title 'test', $min" + std::to_string(i) +
         " using 1:2 with points pt 6 ps 3 lw 2 lc rgb 'black' title " + gp_quote("test minimum, " + std::string(buf)) + "\n";
    // accuracy, linear
    s += "unset logscale y\nset format y '%g'\nset yrange [0:1.05]\nset ylabel " + gp_quote(p.value_label + " accuracy") +
         " noenhanced\nset key bottom center box opaque\nunset title\n";
    s += "plot $" + d + " using 1:4 with linespoints lw 2 pt 7 lc rgb '" + kColorblindSafe[0] + "' title 'train', $" + d +
         " using 1:5 with linespoints lw 2 pt 5 lc rgb '" + kColorblindSafe[3] + "' title 'test'\n";
    s += "set autoscale y\n";
  }
  s += "unset multiplot\n";
  return render_figure(out_dir, name, s, {480 * n + 80, 860});
}

}  // namespace geneft
