// geneft theory grok-time: the grokking delay of each run of a weight-decay sweep beside the
// pure-decay predictions of Omnigrok (Liu, Michaud, Tegmark 2022, arXiv:2210.01117), and the fit
// delay ~ gamma^k (theory/omnigrok_delay.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"
#include "report/theory_overlay.h"
#include "store/store.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"
#include "theory/omnigrok_delay.h"

namespace geneft {
namespace {

std::string cell(double v, const char* fmt = "%.0f") {
  if (!std::isfinite(v)) return "-";
  char b[48];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}
std::string cell(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

// The decay that pure-decay predictions need: decoupled (adamw), or sgd's L2 term without momentum.
DecaySchedule decay_schedule(const RunConfig& c, const std::string& run) {
  const OptimConfig& o = c.optim;
  if (o.kind == "adam")
    throw UserError("run " + run + ": optim.kind = adam adds L2 weight decay to the gradient, which Adam's "
                    "normalization rescales; the pure-decay predictions need adamw (or sgd without momentum)");
  if (o.kind == "sgd" && o.momentum != 0)
    throw UserError("run " + run + ": optim.momentum = " + cell(o.momentum, "%g") +
                    ": with momentum the decay of a step is not (1 - eta gamma); use momentum 0 or adamw");
  return {{o.encoder_lr, o.encoder_wd}, {o.decoder_lr, o.decoder_wd}, o.warmup_steps};
}

}  // namespace

TheoryOutput grok_time_overlay(const TheoryInput& in, const GrokTimeOptions& a) {
  TheoryOutput out;
  if (!in.sweep) throw UserError(in.source + ": grok-time measures a sweep over weight decay: give a sweep file or --sweep NAME");
  const std::string gamma_key = !a.gamma_key.empty() ? a.gamma_key : in.sweep->axes.empty() ? "" : in.sweep->axes.front();
  if (gamma_key.empty()) throw UserError(in.source + ": the sweep has no axis: name the weight decay with --gamma KEY");
  if (!(std::isnan(a.w_c) || a.w_c > 0)) throw UserError("--w-c = " + cell(a.w_c, "%g") + " is out of range: allowed (0, inf)");
  if (a.bootstrap < 0) throw UserError("--bootstrap = " + std::to_string(a.bootstrap) + " is out of range: allowed [0, inf)");

  std::optional<PhaseOptions> phase;
  if (a.threshold) {
    phase = PhaseOptions{};
    phase->threshold = *a.threshold;
    check_phase_options(*phase, "--");
  }
  const auto rows = measured_rows(out, a.db, in, phase);
  if (rows.empty()) throw UserError(in.source + ": no finished runs of sweep " + in.sweep->name + " in " + a.db + " to measure");
  Store store = Store::open_read_only(a.db);
  const PhaseClassifier classifier(phase ? *phase : parse_stored_sweep(*store.sweep_definition(in.sweep->name)).phase);

  struct Measured {
    GrokTimeRun run;
    GrokTimeResult r;
  };
  std::vector<Measured> runs;
  for (const auto& row : rows) {
    Measured m;
    m.run.id = row.run.id, m.run.seed = uint64_t(row.run.seed), m.run.gamma = row.number(gamma_key);
    m.run.schedule = decay_schedule(config_from_values(row.config), row.run.id);
    m.run.curve = store.curve(row.run.id);
    m.run.diverged = row.run.status == "diverged";
    m.r = grok_time(m.run, classifier, a.w_c);
    runs.push_back(std::move(m));
  }
  std::sort(runs.begin(), runs.end(), [](const Measured& x, const Measured& y) {
    return x.run.gamma != y.run.gamma ? x.run.gamma < y.run.gamma : x.run.seed < y.run.seed;
  });

  const double thr = classifier.options().threshold;
  out.printf("sweep %s: %zu runs, gamma = %s; t_train, t_test: first evals from which train / test accuracy stay >= %g\n",
             in.sweep->name.c_str(), runs.size(), gamma_key.c_str(), thr);
  out.printf("(a) decay only: steps of pure decay w <- w(1 - eta_t gamma) from ||w(t_train)|| to ||w(t_test)|| (checks the rate)\n");
  if (std::isfinite(a.w_c))
    out.printf("(b) from w_c = %g: t_test - t_train = steps of pure decay from ||w(t_train)|| to w_c (a prediction)\n", a.w_c);
  else
    out.printf("(b) not computed: give --w-c (the norm of the test-loss minimum of the task's LU landscape)\n");
  TheoryTable table{"grokking delay against weight decay: measured, and pure-decay predictions (steps)",
                    {"gamma", "seed", "phase", "t_train", "t_test", "delay", "|w| at t_train", "|w| at t_test",
                     "(a) decay only", "delay/(a)", "(b) from w_c", "delay/(b)"},
                    {}};
  std::string csv = "run,gamma,seed,phase,t_train,t_test,delay,norm_t_train,norm_t_test,decay_only,ratio_decay_only,from_w_c,ratio_from_w_c\n";
  out.printf("\n%8s %5s %-13s %8s %8s %8s %9s %9s %10s %9s %10s %9s\n", "gamma", "seed", "phase", "t_train", "t_test",
             "delay", "|w|@train", "|w|@test", "(a) decay", "delay/(a)", "(b) w_c", "delay/(b)");
  for (const auto& m : runs) {
    const GrokTimeResult& r = m.r;
    const double ra = r.decay_only > 0 ? r.ratio_decay_only() : kMissing, rb = r.from_wc > 0 ? r.ratio_from_wc() : kMissing;
    const auto& row = table.rows.emplace_back(std::vector<std::string>{
        cell(m.run.gamma, "%.4g"), std::to_string(m.run.seed), phase_name(r.phase.phase), cell(r.phase.t_train),
        cell(r.phase.t_test), cell(r.delay), cell(r.norm_train, "%.2f"), cell(r.norm_test, "%.2f"), cell(r.decay_only),
        cell(ra, "%.1f"), cell(r.from_wc), cell(rb, "%.2f")});
    out.printf("%8s %5s %-13s %8s %8s %8s %9s %9s %10s %9s %10s %9s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(),
               row[3].c_str(), row[4].c_str(), row[5].c_str(), row[6].c_str(), row[7].c_str(), row[8].c_str(),
               row[9].c_str(), row[10].c_str(), row[11].c_str());
    char line[400];
    std::snprintf(line, sizeof line, "%s,%.9g,%llu,%s,%s,%s,%s,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g\n", m.run.id.c_str(), m.run.gamma,
                  (unsigned long long)m.run.seed, phase_name(r.phase.phase), cell(r.phase.t_train).c_str(),
                  cell(r.phase.t_test).c_str(), cell(r.delay).c_str(), r.norm_train, r.norm_test, r.decay_only, ra,
                  r.from_wc, rb);
    csv += line;
  }
  out.tables.push_back(std::move(table));

  // Fits over the runs with a positive delay (and the predictions over the runs that have them).
  std::vector<double> g, delay, pa, pb;
  std::vector<uint64_t> seeds;
  for (const auto& m : runs) {
    g.push_back(m.run.gamma), seeds.push_back(m.run.seed), delay.push_back(m.r.delay);
    pa.push_back(m.r.decay_only), pb.push_back(m.r.from_wc);
  }
  const PowerLawFit fit = fit_power_law_by_seed(g, delay, seeds, a.bootstrap, 0);
  const PowerLawFit fa = fit_power_law(g, pa), fb = fit_power_law(g, pb);
  TheoryTable fits{"delay ~ gamma^k: least squares in log-log over runs with a positive delay (s.e. from the residuals; "
                   "bootstrap: whole seeds resampled)",
                   {"quantity", "runs", "k", "s.e.", "bootstrap s.e."}, {}};
  auto add_fit = [&](const std::string& what, const PowerLawFit& f) {
    const auto& row = fits.rows.emplace_back(std::vector<std::string>{what, std::to_string(f.points), cell(f.k, "%.3f"),
                                                                      cell(f.k_se, "%.3f"), cell(f.k_boot_se, "%.3f")});
    out.printf("%-28s %4s runs  k = %7s ± %5s (bootstrap over seeds ± %s)\n", row[0].c_str(), row[1].c_str(), row[2].c_str(),
               row[3].c_str(), row[4].c_str());
  };
  out.printf("\nfit delay ~ gamma^k (1/gamma: k = -1):\n");
  add_fit("measured delay", fit);
  add_fit("(a) decay only", fa);
  if (std::isfinite(a.w_c)) add_fit("(b) from w_c", fb);
  out.tables.push_back(std::move(fits));

  // Per gamma: mean delay and gamma x delay, constant where the 1/gamma law holds.
  TheoryTable per{"per gamma: mean over the seeds that grokked; gamma x delay is constant where delay ~ 1/gamma",
                  {"gamma", "grokked", "mean delay", "gamma x delay", "mean delay/(a)", "mean delay/(b)"}, {}};
  out.printf("\n%8s %8s %11s %14s %15s %15s\n", "gamma", "grokked", "mean delay", "gamma x delay", "mean delay/(a)",
             "mean delay/(b)");
  std::map<double, std::vector<const Measured*>> by_gamma;
  for (const auto& m : runs) by_gamma[m.run.gamma].push_back(&m);
  for (const auto& [gamma, ms] : by_gamma) {
    double d = 0, ra = 0, rb = 0;
    int n = 0, na = 0, nb = 0;
    for (const Measured* m : ms) {
      if (!std::isfinite(m->r.delay)) continue;
      d += m->r.delay, ++n;
      if (m->r.decay_only > 0) ra += m->r.ratio_decay_only(), ++na;
      if (m->r.from_wc > 0) rb += m->r.ratio_from_wc(), ++nb;
    }
    const double md = n ? d / n : kMissing;
    const auto& row = per.rows.emplace_back(std::vector<std::string>{
        cell(gamma, "%.4g"), std::to_string(n) + "/" + std::to_string(ms.size()), cell(md), cell(gamma * md, "%.1f"),
        cell(na ? ra / na : kMissing, "%.1f"), cell(nb ? rb / nb : kMissing, "%.2f")});
    out.printf("%8s %8s %11s %14s %15s %15s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(),
               row[4].c_str(), row[5].c_str());
  }
  out.tables.push_back(std::move(per));

  GrokTimeFigure fig;
  fig.title = "grokking time against weight decay: sweep " + in.sweep->name;
  fig.gamma_label = "weight decay gamma (" + gamma_key + ")";
  fig.fit_k = fit.k, fig.fit_log_c = fit.log_c, fig.w_c = a.w_c;
  for (const auto& m : runs) {
    fig.runs.push_back({m.run.gamma, m.r.delay, m.r.decay_only, m.r.from_wc});
    GrokTimeFigure::Trajectory t{m.run.gamma, {}, m.r.phase.t_test ? double(*m.r.phase.t_test) : kMissing, m.r.norm_test};
    for (const auto& p : m.run.curve)
      if (p.step > 0) t.norm.emplace_back(double(p.step), total_norm(p));
    fig.trajectories.push_back(std::move(t));
  }
  const std::string name = !a.name.empty() ? a.name : in.sweep->name;
  out.figures.push_back(draw_grok_time_figure(fig, a.out, name));
  const auto csv_path = std::filesystem::path(a.out) / (safe_file_name(name) + ".csv");
  std::ofstream f(csv_path);
  if (!(f << csv)) throw UserError(csv_path.string() + ": cannot write");
  out.printf("per-run table: %s\n", csv_path.string().c_str());
  return out;
}

}  // namespace geneft
