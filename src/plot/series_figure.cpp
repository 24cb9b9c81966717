#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_series_figure(const std::string& title, const std::vector<SeriesPanel>& panels, const std::string& out_dir,
                               const std::string& name) {
  if (panels.empty()) throw UserError("no panel to draw");
  std::string s = "set multiplot layout 1," + std::to_string(panels.size()) + " title " + gp_quote(title) + " noenhanced\n";
  s += "set grid lc rgb '#dddddd'\nset tics out nomirror\nset key outside below box font ',9' maxrows 6\n";
  char buf[400];
  for (size_t i = 0; i < panels.size(); ++i) {
    const auto& p = panels[i];
    s += "unset arrow\nunset label\n";
    s += std::string(p.log_x ? "set logscale x\n" : "unset logscale x\n") + "set autoscale xy\n";
    if (std::isfinite(p.y_min) && std::isfinite(p.y_max)) {
      std::snprintf(buf, sizeof buf, "set yrange [%.9g:%.9g]\n", p.y_min, p.y_max);
      s += buf;
    }
    s += "set title " + gp_quote(p.title) + " noenhanced font ',10'\nset xlabel " + gp_quote(p.x_label) +
         " noenhanced\nset ylabel " + gp_quote(p.y_label) + " noenhanced\n";
    std::string plot;
    auto add = [&](const std::string& item) { plot += (plot.empty() ? "plot " : ", \\\n     ") + item; };
    for (size_t k = 0; k < p.series.size(); ++k) {
      const std::string block = "s" + std::to_string(i) + "_" + std::to_string(k);
      s += datablock(block, mean_rows(p.series[k].points));
      add("$" + block + " using 1:2:3 with yerrorlines lw 2 pt 7 lc rgb '" + kColorblindSafe[k % kColorblindSafe.size()] +
          "' title " + gp_quote(p.series[k].label));
    }
    for (const auto& [label, y] : p.levels) {
      std::snprintf(buf, sizeof buf, "%.9g with lines dt 3 lw 1.5 lc rgb '#555555' title %s", y, gp_quote(label).c_str());
      add(buf);
    }
    for (const auto& m : p.markers) {
      std::snprintf(buf, sizeof buf, "set arrow from %.9g, graph 0 to %.9g, graph 1 nohead lw 2 dt %d lc rgb '%s'\n", m.x, m.x,
                    m.predicted ? 2 : 1, kColorblindSafe[m.series % kColorblindSafe.size()].c_str());
      s += buf;
    }
    if (!p.markers.empty())  // the markers' meaning, as key entries drawn off the plot
      add("NaN with lines lw 2 dt 1 lc rgb '#000000' title 'measured edge', NaN with lines lw 2 dt 2 lc rgb '#000000' "
          "title 'predicted edge'");
    if (plot.empty()) add("NaN notitle");
    s += plot + "\n";
  }
  s += "unset multiplot\n";
  return render_figure(out_dir, name, s, {int(800 * panels.size()) + 100, 700});
}

}  // namespace geneft
