#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_stripe_figure(const StripeFigure& f, const std::string& out_dir, const std::string& name) {
  if (f.diagrams.empty()) throw UserError("no phase diagram to draw");
  const size_t n = f.diagrams.size();
  char buf[400];
  std::string s;
  double xmin = 1e300, xmax = -1e300, ymin = 1e300, ymax = -1e300;
  for (const auto& d : f.diagrams)
    for (const auto& c : d.cells)
      xmin = std::min(xmin, c.x), xmax = std::max(xmax, c.x), ymin = std::min(ymin, c.y), ymax = std::max(ymax, c.y);
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> cells, cols, rows;
    for (const auto& c : f.diagrams[i].cells) {
      std::snprintf(buf, sizeof buf, "%.9g %.9g %.9g", c.x, c.y, c.generalized_fraction);
      cells.push_back(buf);
    }
    for (const auto& [x, z] : f.diagrams[i].column_z) std::snprintf(buf, sizeof buf, "%.9g %.9g", x, z), cols.push_back(buf);
    for (const auto& [y, z] : f.diagrams[i].row_z) std::snprintf(buf, sizeof buf, "%.9g %.9g", y, z), rows.push_back(buf);
    s += datablock("cells" + std::to_string(i), cells) + datablock("colz" + std::to_string(i), cols) +
         datablock("rowz" + std::to_string(i), rows);
  }
  // diagrams four to a row, then one row with the departures of the columns and of the rows
  const size_t cols = std::clamp<size_t>(n, 2, 4), rows = (n + cols - 1) / cols + 1;
  s += "set multiplot layout " + std::to_string(rows) + "," + std::to_string(cols) + " title " + gp_quote(f.title) +
       " noenhanced\n";
  s += "set tics out nomirror\nset palette defined (0 '#E69F00', 0.5 '#F7F7F7', 1 '#0072B2')\nset cbrange [0:1]\n";
  const double step = std::max(1e-9, (xmax - xmin) / 9);
  std::snprintf(buf, sizeof buf, "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n", xmin - step / 2, xmax + step / 2,
                ymin - step / 2, ymax + step / 2);
  const std::string ranges = buf;
  for (size_t i = 0; i < n; ++i) {
    const auto& d = f.diagrams[i];
    s += ranges + "set title " + gp_quote(d.label) + " noenhanced font ',10'\n";
    s += "set xlabel " + gp_quote("log10 " + f.x_label) + " noenhanced\nset ylabel " + gp_quote("log10 " + f.y_label) +
         " noenhanced\n";
    s += i + 1 == n ? "set colorbox\nset cblabel 'share of runs that generalize'\n" : "unset colorbox\n";
    s += "unset arrow\n";
    for (double x : d.stripe_columns) {
      std::snprintf(buf, sizeof buf, "set arrow from %.9g, graph 0 to %.9g, graph 1 nohead lw 2.5 lc rgb 'black' dt 2 front\n",
                    x, x);
      s += buf;
    }
    for (double y : d.stripe_rows) {
      std::snprintf(buf, sizeof buf, "set arrow from graph 0, first %.9g to graph 1, first %.9g nohead lw 2.5 lc rgb 'black' dt 2 front\n",
                    y, y);
      s += buf;
    }
    s += "plot $cells" + std::to_string(i) + " using 1:2:3 with points pt 5 ps 2.4 lc palette notitle\n";
  }
  for (size_t i = n; i < (rows - 1) * cols; ++i) s += "set multiplot next\n";
  // the departures of the lines, columns left and rows right
  s += "unset arrow\nunset colorbox\nset autoscale xy\nset grid lc rgb '#dddddd'\nset key outside below font ',9' maxrows 3\n";
  for (int kind = 0; kind < 2; ++kind) {
    const double zc = kind == 0 ? f.z_column : f.z_row;
    s += std::string("set title ") + (kind == 0 ? "'columns (one x value each)'" : "'rows (one y value each)'") +
         " font ',10'\n";
    s += "set xlabel " + gp_quote("log10 " + (kind == 0 ? f.x_label : f.y_label)) + " noenhanced\n";
    s += "set ylabel 'departure z from a smooth boundary'\n";
    std::snprintf(buf, sizeof buf, "plot %.9g with lines dt 2 lc rgb 'black' title 'stripe (Bonferroni p < alpha)', %.9g with lines dt 2 lc rgb 'black' notitle",
                  zc, -zc);
    std::string plot = buf;
    for (size_t i = 0; i < n; ++i)
      plot += ", \\\n     $" + std::string(kind == 0 ? "colz" : "rowz") + std::to_string(i) +
              " using 1:2 with linespoints lw 2 pt 7 lc rgb '" + kColorblindSafe[i % kColorblindSafe.size()] + "' title " +
              gp_quote(f.diagrams[i].label);
    s += plot + "\n";
  }
  s += "unset multiplot\n";
  return render_figure(out_dir, name, s, {int(420 * cols) + 120, int(380 * rows) + 140});
}

}  // namespace geneft
