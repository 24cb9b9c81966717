#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_lr_boundary_figure(const LrBoundaryFigure& f, const std::string& out_dir, const std::string& name) {
  if (f.cells.empty()) throw UserError("no measured runs to draw");
  char buf[400];
  double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0;
  std::vector<std::string> cells;
  for (const auto& c : f.cells) {
    xmin = std::min(xmin, c.eta_enc), xmax = std::max(xmax, c.eta_enc);
    ymin = std::min(ymin, c.eta_dec), ymax = std::max(ymax, c.eta_dec);
    std::snprintf(buf, sizeof buf, "%.9g %.9g %.9g", c.eta_enc, c.eta_dec, c.generalized_fraction);
    cells.push_back(buf);
  }
  const double pad = 1.6;
  std::string s = datablock("cells", cells);
  s += "set multiplot layout 1,2 title " + gp_quote(f.title) + " noenhanced\n";
  // left: the grid with boundary lines
  s += "set logscale xy\nset format x '10^{%L}'\nset format y '10^{%L}'\nset tics out nomirror\n";
  std::snprintf(buf, sizeof buf, "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n", xmin / pad, xmax * pad, ymin / pad,
                ymax * pad);
  s += buf;
  s += "set xlabel 'encoder learning rate η_{enc}'\nset ylabel 'decoder learning rate η_{dec}'\n";
  s += "set palette defined (0 '#E69F00', 0.5 '#F7F7F7', 1 '#0072B2')\nset cbrange [0:1]\n";
  s += "set cblabel 'fraction of seeds that generalize'\nset colorbox\n";
  s += "set key outside below box font ',10' maxrows 2\nset samples 200\n";
  const std::vector<std::string> colors = {"#000000", kColorblindSafe[3], kColorblindSafe[2], kColorblindSafe[4]};
  const std::vector<std::string> dashes = {"1", "2", "4", "5"};
  std::string plot = "plot $cells using 1:2:3 with points pt 5 ps 3.6 lc palette notitle, $cells using 1:2 with points pt 4 ps 3.6 lw 0.5 lc rgb '#999999' notitle";
  for (size_t i = 0; i < f.lines.size(); ++i) {
    std::snprintf(buf, sizeof buf, ", \\\n     10**(%.9g*log10(x)+%.9g) with lines lw 2.5 dt %s lc rgb '%s' title %s",
                  f.lines[i].slope, f.lines[i].offset, dashes[i % dashes.size()].c_str(), colors[i % colors.size()].c_str(),
                  gp_quote(f.lines[i].label).c_str());
    plot += buf;
  }
  s += plot + "\n";
  // right: P(generalize) against log10 ratio
  s += "unset logscale xy\nset format x '%g'\nset format y '%g'\nunset colorbox\nset autoscale x\nset yrange [-0.03:1.03]\n";
  s += "set xlabel 'log_{10}(η_{dec} / η_{enc})'\nset ylabel 'P(generalize)'\nset grid lc rgb '#dddddd'\n";
  s += "set key default\nset key inside bottom left box opaque font ',10'\n";
  auto pairs = [](const std::vector<std::pair<double, double>>& v) {
    std::vector<std::string> r;
    for (const auto& [x, y] : v) {
      char b[64];
      std::snprintf(b, sizeof b, "%.9g %.9g", x, y);
      r.push_back(b);
    }
    return r;
  };
  s += datablock("meas", mean_rows(f.measured_by_ratio)) + datablock("two", pairs(f.two_repon)) +
       datablock("fit", pairs(f.fitted)) + datablock("many", mean_rows(f.many_repon));
  s += "plot $meas using 1:2:3 with yerrorbars pt 7 ps 1.2 lc rgb '#000000' title 'measured (fraction of runs ± s.e.)', \\\n"
       "     $fit using 1:2 with lines lw 2 lc rgb '#000000' title 'logistic fit', \\\n"
       "     $two using 1:2 with lines lw 2.5 dt 2 lc rgb '" + kColorblindSafe[3] + "' title 'two-repon closed form', \\\n"
       "     $many using 1:2:3 with yerrorlines dt 4 pt 6 lc rgb '" + kColorblindSafe[2] + "' title 'many-repon simulation'\n";
  s += "unset multiplot\n";
  return render_figure(out_dir, name, s, {1500, 760});
}

std::string draw_lr_boundaries_figure(const LrBoundariesFigure& f, const std::string& out_dir, const std::string& name) {
  if (f.series.empty()) throw UserError("no boundary to draw");
  char buf[400];
  double xmin = 1e300, xmax = 0;
  for (const auto& b : f.series) xmin = std::min(xmin, b.enc_min), xmax = std::max(xmax, b.enc_max);
  if (!(xmax > xmin)) xmin /= 10, xmax *= 10;
  std::string s = "set multiplot layout 1,2 title " + gp_quote(f.title) + " noenhanced\n";
  s += "set logscale xy\nset format x '10^{%L}'\nset format y '10^{%L}'\nset tics out nomirror\nset grid lc rgb '#dddddd'\n";
  std::snprintf(buf, sizeof buf, "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\nset samples 200\n", xmin / 1.6,
                xmax * 1.6, xmin / 1.6, xmax * 1.6);
  s += buf;
  s += "set xlabel 'encoder learning rate η_{enc}'\nset ylabel 'decoder learning rate η_{dec}'\n";
  s += "set key outside below box font ',9' maxrows 4 noenhanced\n";
  std::string plot = "plot NaN notitle";
  for (size_t i = 0; i < f.series.size(); ++i) {
    const auto& b = f.series[i];
    const std::string color = kColorblindSafe[i % kColorblindSafe.size()];
    for (size_t j = 0; j < b.lines.size(); ++j) {
      // the measured line only over the grid it was fitted on; predictions across the plot
      const double lo = j == 0 ? b.enc_min : 0, hi = j == 0 ? b.enc_max : 1e300;
      std::snprintf(buf, sizeof buf, ", \\\n     (x >= %.9g && x <= %.9g ? 10**(%.9g*log10(x)+%.9g) : NaN) with lines lw %s dt %d lc rgb '%s' title %s",
                    lo, hi, b.lines[j].slope, b.lines[j].offset, j == 0 ? "2.5" : "1.5", j == 0 ? 1 : int(j) + 1,
                    color.c_str(), gp_quote(b.lines[j].label).c_str());
      plot += buf;
    }
  }
  s += plot + "\n";
  s += "unset logscale xy\nset format x '%g'\nset format y '%g'\nset autoscale x\nset yrange [-0.03:1.03]\n";
  s += "set xlabel 'log_{10}(η_{dec} / η_{enc})'\nset ylabel 'P(generalize)'\n";
  s += "set key default\nset key inside bottom left box opaque font ',9' noenhanced\n";
  plot = "plot NaN notitle";
  for (size_t i = 0; i < f.two_repon.size(); ++i) {
    std::vector<std::string> rows;
    for (const auto& [x, p] : f.two_repon[i].points) {
      std::snprintf(buf, sizeof buf, "%.9g %.9g", x, p);
      rows.push_back(buf);
    }
    s += datablock("two" + std::to_string(i), rows);
    std::snprintf(buf, sizeof buf, ", \\\n     $two%zu using 1:2 with lines lw 2.5 dt %d lc rgb '#000000' title ", i, int(i) + 2);
    plot += buf + gp_quote(f.two_repon[i].label);
  }
  for (size_t i = 0; i < f.series.size(); ++i) {
    const auto& b = f.series[i];
    const std::string color = kColorblindSafe[i % kColorblindSafe.size()], m = "m" + std::to_string(i), p = "p" + std::to_string(i);
    s += datablock(m, mean_rows(b.measured)) + datablock(p, mean_rows(b.predicted));
    plot += ", \\\n     $" + m + " using 1:2:3 with yerrorbars pt 7 ps 1 lc rgb '" + color + "' title " +
            gp_quote(b.label + ": measured");
    if (!b.predicted.empty())
      plot += ", \\\n     $" + p + " using 1:2 with lines lw 1.5 dt 4 lc rgb '" + color + "' title " +
              gp_quote(b.label + ": many-repon");
  }
  s += plot + "\nunset multiplot\n";
  return render_figure(out_dir, name, s, {1500, 820});
}

}  // namespace geneft
