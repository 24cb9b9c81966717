#include <cmath>
#include <cstdio>
#include <set>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"

namespace geneft {

std::string draw_grok_time_figure(const GrokTimeFigure& f, const std::string& out_dir, const std::string& name) {
  if (f.runs.empty()) throw UserError("no runs to draw");
  auto row = [](double x, double y) {
    char b[64];
    std::snprintf(b, sizeof b, "%.9g %.9g", x, y);
    return std::string(b);
  };
  std::vector<std::string> measured, decay_only, from_wc;
  double gmin = INFINITY, gmax = 0;
  for (const auto& r : f.runs) {
    gmin = std::min(gmin, r.gamma), gmax = std::max(gmax, r.gamma);
    if (r.delay > 0) measured.push_back(row(r.gamma, r.delay));
    if (r.decay_only > 0) decay_only.push_back(row(r.gamma, r.decay_only));
    if (r.from_wc > 0) from_wc.push_back(row(r.gamma, r.from_wc));
  }
  if (!(gmin > 0)) throw UserError("weight decay gamma must be positive on a log axis");
  std::string s = datablock("m", measured) + datablock("a", decay_only) + datablock("b", from_wc);
  std::vector<std::string> traj, ends;  // one block per run: step, norm, log10 gamma
  for (const auto& t : f.trajectories) {
    char lg[32];
    std::snprintf(lg, sizeof lg, " %.6g", std::log10(t.gamma));
    for (const auto& [step, norm] : t.norm) traj.push_back(row(step, norm) + lg);
    traj.push_back("");
    if (std::isfinite(t.t_test) && t.t_test > 0) ends.push_back(row(t.t_test, t.norm_test));
  }
  s += datablock("t", traj) + datablock("e", ends);
  s += "set multiplot layout 1,2 title " + gp_quote(f.title) + " noenhanced\n";
  s += "set grid lc rgb '#dddddd'\nset tics out nomirror\nset logscale xy\nset key bottom left box opaque\n";
  char buf[160];
  std::snprintf(buf, sizeof buf, "set xrange [%.9g:%.9g]\n", gmin / 1.25, gmax * 1.25);
  s += buf;
  std::set<double> gammas;  // a tic at every swept value
  for (const auto& r : f.runs) gammas.insert(r.gamma);
  std::string tics;
  for (double g : gammas) {
    std::snprintf(buf, sizeof buf, "%s%.2g", tics.empty() ? "" : ", ", g);
    tics += buf;
  }
  s += "set xtics (" + tics + ")\n";
  s += "set xlabel " + gp_quote(f.gamma_label) + " noenhanced\nset ylabel 'delay t_{test} - t_{train} (steps)'\n";
  std::string plot = "plot $m using 1:2 with points pt 7 ps 1.3 lc rgb '" + std::string(kBlue) + "' title 'measured'";
  if (!decay_only.empty())
    plot += ", $a using 1:2 with points pt 8 ps 1.2 lc rgb '" + std::string(kOrange) +
            "' title '(a) pure decay, |w(t_{train})| to |w(t_{test})|'";
  if (!from_wc.empty())
    plot += ", $b using 1:2 with points pt 4 ps 1.2 lc rgb '" + std::string(kGreen) + "' title '(b) pure decay to w_c'";
  if (std::isfinite(f.fit_k)) {
    std::snprintf(buf, sizeof buf, ", exp(%.9g) * x**(%.9g) with lines lw 2 lc rgb '%s' title 'fit: k = %.2f'", f.fit_log_c,
                  f.fit_k, kVermillion, f.fit_k);
    plot += buf;
  }
  s += plot + "\n";
  s += "set autoscale x\nset xtics autofreq\nset format x '10^{%L}'\nset xlabel 'step'\nset ylabel 'total weight norm |w|'\n";
  s += "set key bottom left\n";
  s += "set palette defined (0 '" + std::string(kBlue) + "', 1 '" + kGreen + "', 2 '" + kOrange + "')\n";
  s += "set cblabel 'log_{10} gamma'\n";
  plot = "plot $t using 1:2:3 with lines lw 1.5 lc palette notitle";
  if (!ends.empty()) plot += ", $e using 1:2 with points pt 7 ps 0.9 lc rgb 'black' title 't_{test}'";
  if (std::isfinite(f.w_c)) {
    std::snprintf(buf, sizeof buf, ", %.9g with lines dt 2 lw 2 lc rgb 'black' title 'w_c (LU test-loss minimum)'", f.w_c);
    plot += buf;
  }
  s += plot + "\nunset multiplot\n";
  return render_figure(out_dir, name, s, {1300, 560});
}

}  // namespace geneft
