#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <sstream>
#include <cstdarg>

#include "core/error.h"
#include "core/input_file.h"
#include "plot/phase_diagram.h"
#include "plot/theory_figures.h"
#include "report/html.h"
#include "report/theory_overlay.h"
#include "store/store.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "theory/balls_into_buckets.h"
#include "theory/description_length.h"
#include "theory/generalization_probability.h"
#include "theory/logistic_boundary_fit.h"
#include "theory/many_repon_simulation.h"
#include "theory/oracle_learner.h"
#include "theory/parallelogram_theory.h"

namespace geneft {

std::vector<SweepRow> measured_rows(TheoryOutput& out, const std::string& db, const TheoryInput& in,
                                    const std::optional<PhaseOptions>& options) {
  if (!in.sweep) return {};
  const std::string measure = in.sweep->name + " (run `geneft sweep SWEEP.toml --db " + db + "` to measure)";
  if (!std::filesystem::exists(db)) {
    out.printf("note: no store %s: theory only, no runs of sweep %s\n", db.c_str(), measure.c_str());
    return {};
  }
  Store store = Store::open_read_only(db);
  const auto def = store.sweep_definition(in.sweep->name);
  if (!def) {
    out.printf("note: %s has no sweep %s: theory only\n", db.c_str(), measure.c_str());
    return {};
  }
  auto rows = sweep_table(store, in.sweep->name, PhaseClassifier(options ? *options : parse_stored_sweep(*def).phase));
  if (rows.size() < in.sweep->expected_runs)
    out.printf("note: %zu of the sweep's %zu runs are in %s; using those\n", rows.size(), in.sweep->expected_runs,
               db.c_str());
  return rows;
}

namespace {

MeanPoint mean_point(double x, const std::vector<double>& v) {
  MeanPoint m;
  m.x = x;
  m.count = int(v.size());
  if (v.empty()) return m;
  double s = 0, s2 = 0;
  for (double y : v) s += y, s2 += y * y;
  m.mean = s / v.size();
  m.std_error = v.size() > 1 ? std::sqrt(std::max(0.0, (s2 - v.size() * m.mean * m.mean) / (v.size() - 1)) / v.size()) : 0;
  return m;
}

// A metric of the rows, grouped by a numeric config key, mean and standard error over seeds.
std::vector<MeanPoint> group_mean(const std::vector<SweepRow>& rows, const std::string& key, const std::string& metric) {
  std::map<double, std::vector<double>> by;
  for (const auto& r : rows)
    if (const double v = r.value(metric); std::isfinite(v)) by[r.number(key)].push_back(v);
  std::vector<MeanPoint> out;
  for (const auto& [x, v] : by) out.push_back(mean_point(x, v));
  return out;
}

// First x at which the curve reaches `threshold`, interpolated linearly; NaN if never.
double first_crossing(const std::vector<MeanPoint>& c, double threshold) {
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i].mean < threshold) continue;
    if (i == 0) return c[0].x;
    return c[i - 1].x + (c[i].x - c[i - 1].x) * (threshold - c[i - 1].mean) / (c[i].mean - c[i - 1].mean);
  }
  return std::nan("");
}

std::string num(double v, const char* fmt = "%.3f") {
  if (!std::isfinite(v)) return "not reached";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string file_stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// ---------------------------------------------------------------------------------------------
}  // namespace

TheoryOutput datasize_overlay(const TheoryInput& in, const DataSizeOptions& a) {
  TheoryOutput out;
  const RelationFamilySpec family = relation_family_of(in.config.task);
  const Dataset data = make_dataset(in.config.task);
  const double pairs = double(data.size()), p_star = base_rate(data), majority = std::max(p_star, 1 - p_star);
  const DescriptionLength b = description_length(family);
  const BallsIntoBuckets exact{b.exact_bits}, approx{b.approx_bits};
  if (!(a.alpha > 0 && a.alpha < 1)) throw UserError("--alpha must lie in (0, 1)");
  const double mc = exact.critical_samples(a.alpha), mc_approx = approx.critical_samples(a.alpha);
  // Critical fractions are read where accuracy reaches what f_UB gives at the bound's own critical
  // point (and at --threshold).
  const double bound_threshold = accuracy_upper_bound(a.alpha, p_star);
  if (!(a.threshold > majority && a.threshold < 1))
    throw UserError("--threshold must lie between the majority-label accuracy " + num(majority) + " and 1");

  out.printf("relation: %s (task %s), %.0f ordered pairs, base rate p* = %.4f\n", family.describe().c_str(),
              data.name.c_str(), pairs, p_star);
  out.printf("description length b (Baek, Liu, Tegmark 2024, Sec. 3.1):\n");
  out.printf("  exact  %-18s = %8.2f bits\n", b.exact_formula.c_str(), b.exact_bits);
  out.printf("  approx %-18s = %8.2f bits\n", b.approx_formula.c_str(), b.approx_bits);
  out.printf("  graph  %-18s = %8.2f bits (relabellings of this relation)\n", b.isomorphic_formula.c_str(), b.isomorphic_bits);
  out.printf("  (any relation n^2 = %.0f bits; any symmetric relation n(n+1)/2 = %.0f bits)\n",
              generic_relation_bits(family.n), symmetric_relation_bits(family.n));
  out.printf("balls into buckets, f(m) = 1 - (1 - 1/b)^m, alpha = %.2f:\n", a.alpha);
  out.printf("  exact b:  m_c = %.1f samples, critical train fraction m_c/n^2 = %.4f\n", mc, mc / pairs);
  out.printf("  approx b: m_c = %.1f samples, critical train fraction m_c/n^2 = %.4f\n", mc_approx, mc_approx / pairs);
  const double mc_graph = BallsIntoBuckets{b.isomorphic_bits}.critical_samples(a.alpha);
  out.printf("  graph b:  m_c = %.1f samples, critical train fraction m_c/n^2 = %.4f\n", mc_graph, mc_graph / pairs);
  out.printf("  f_UB = f + max(p*, 1-p*)(1 - f); at m_c: %.4f (the accuracy at which critical fractions are read)\n",
              bound_threshold);

  std::vector<double> grid;
  for (int i = 1; i <= 99; ++i) grid.push_back(i / 100.0);
  const auto rows = measured_rows(out, a.db, in);
  const auto measured = group_mean(rows, "task.train_fraction", "final_test_acc");
  for (const auto& m : measured) grid.push_back(m.x);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  const auto oracle_pts = oracle_curve(family, data, in.config.task, grid, a.splits);
  std::vector<MeanPoint> oracle;
  for (const auto& o : oracle_pts) oracle.push_back({o.train_fraction, o.mean, o.std_error, o.splits});

  out.printf("\n%9s  %24s  %22s  %7s  %7s\n", "fraction", "network test acc", "oracle test acc", "f(m)", "f_UB");
  auto oracle_at = [&](double x) {
    for (const auto& o : oracle)
      if (std::abs(o.x - x) < 1e-12) return o;
    return MeanPoint{x, std::nan(""), 0, 0};
  };
  std::vector<double> table_x;
  if (!measured.empty())
    for (const auto& m : measured) table_x.push_back(m.x);
  else
    for (int i = 1; i <= 9; ++i) table_x.push_back(i / 10.0);
  TheoryTable by_fraction{"test accuracy against train fraction: network (mean ± s.e. over seeds), oracle learner "
                          "(mean ± s.e. over splits), known fraction f(m) and the bound f_UB",
                          {"fraction", "network test acc", "oracle test acc", "f(m)", "f_UB"}, {}};
  for (double x : table_x) {
    std::string net = "-";
    for (const auto& m : measured)
      if (m.x == x) net = num(m.mean, "%.3f") + " ± " + num(m.std_error, "%.3f") + " (" + std::to_string(m.count) + " seeds)";
    const auto o = oracle_at(x);
    const double f = exact.known_fraction(x * pairs);
    const auto& row = by_fraction.rows.emplace_back(std::vector<std::string>{
        num(x, "%.2f"), net, num(o.mean) + " ± " + num(o.std_error, "%.4f"), num(f), num(accuracy_upper_bound(f, p_star))});
    out.printf("%9s  %24s  %22s  %7s  %7s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str());
  }
  out.tables.push_back(std::move(by_fraction));
  // Critical fractions at an accuracy T: the bound's where f_UB = T (f = (T - r)/(1 - r), so at
  // T = f_UB(m_c) it is m_c/n^2), the oracle's and the network's where their mean reaches T.
  struct Critical {
    double threshold, bound, oracle, network;
  };
  auto critical_at = [&](double t) {
    const double f = (t - majority) / (1 - majority);
    const double bound = f <= 0 ? 0.0 : f >= 1 ? std::nan("") : exact.critical_samples(f) / pairs;
    return Critical{t, bound, first_crossing(oracle, t), first_crossing(measured, t)};
  };
  std::vector<Critical> crits = {critical_at(bound_threshold)};
  if (std::abs(a.threshold - bound_threshold) > 1e-9) crits.push_back(critical_at(a.threshold));
  out.printf("\n%-40s  %8s  %8s  %8s  %14s\n", "critical train fraction at accuracy", "bound", "oracle", "network",
              "induction gap");
  TheoryTable critical{"critical train fraction: predicted (bound, oracle learner) vs measured (network)",
                       {"at accuracy", "bound", "oracle", "network", "induction gap"}, {}};
  for (const auto& c : crits) {
    const bool gap = std::isfinite(c.network) && std::isfinite(c.oracle);
    const auto& row = critical.rows.emplace_back(std::vector<std::string>{
        num(c.threshold) + (&c == &crits[0] ? " (f_UB at m_c)" : ""), num(c.bound), num(c.oracle),
        measured.empty() ? "-" : num(c.network),
        measured.empty() ? "-" : gap ? num(c.network - c.oracle, "%+.3f") : "undefined"});
    out.printf("%-40s  %8s  %8s  %8s  %14s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(),
               row[4].c_str());
  }
  out.tables.push_back(std::move(critical));
  out.printf("(oracle: %d splits per fraction%s)\n", a.splits,
              measured.empty() ? "" : ("; network: " + std::to_string(rows.size()) + " runs").c_str());

  DataSizeFigure fig;
  fig.title = "GenEFT statics: " + family.describe();
  fig.measured = measured, fig.oracle = oracle;
  for (int i = 0; i <= 200; ++i) {
    const double x = i / 200.0;
    fig.upper_bound.push_back({x, accuracy_upper_bound(exact.known_fraction(x * pairs), p_star)});
  }
  // The figure marks the first threshold the network reaches (f_UB at m_c, else --threshold).
  const Critical& c = measured.empty() || std::isfinite(crits[0].network) ? crits[0] : crits.back();
  const std::string at = " (acc >= " + num(c.threshold) + ")";
  fig.base_rate_accuracy = majority, fig.accuracy_threshold = c.threshold;
  fig.critical = {{"bound critical" + at + " = " + num(c.bound), c.bound}, {"oracle critical = " + num(c.oracle), c.oracle}};
  if (!measured.empty()) {
    std::string label = "network critical = " + num(c.network);
    if (std::isfinite(c.network) && std::isfinite(c.oracle))
      label += " (induction gap " + num(c.network - c.oracle, "%+.3f") + ")";
    fig.critical.push_back({label, c.network});
  }
  const std::string name = !a.name.empty() ? a.name : in.sweep ? in.sweep->name : file_stem(in.source) + "-datasize";
  out.figures.push_back(draw_datasize_figure(fig, a.out, name));
  return out;
}

// ---------------------------------------------------------------------------------------------
TheoryOutput goldilocks_overlay(const std::vector<TheoryInput>& sweeps, const GoldilocksOptions& a) {
  TheoryOutput out;
  std::vector<GoldilocksPanel> panels;
  std::string title;
  for (const auto& in : sweeps) {
    if (!in.sweep || in.sweep->axes.size() != 1)
      throw UserError(in.source + ": the Goldilocks figure needs a sweep file over one complexity axis (e.g. model.depth)");
    const std::string key = in.sweep->axes[0];
    const auto rows = measured_rows(out, a.db, in);
    if (rows.empty()) throw UserError(in.source + ": no runs of sweep '" + in.sweep->name + "' in " + a.db);
    GoldilocksPanel p;
    p.axis_label = axis_label(key);
    p.test = group_mean(rows, key, "final_test_acc");
    p.train = group_mean(rows, key, "final_train_acc");
    p.log_x = p.test.back().x / std::max(1e-300, p.test.front().x) >= 10;
    const auto best = std::max_element(p.test.begin(), p.test.end(),
                                       [](const MeanPoint& x, const MeanPoint& y) { return x.mean < y.mean; });
    p.optimum = best->x;
    out.printf("sweep %s (%zu runs, task %s, train fraction %.2f):\n", in.sweep->name.c_str(), rows.size(),
                rows[0].run.task.c_str(), in.config.task.train_fraction);
    out.printf("  %-14s  %22s  %22s\n", key.c_str(), "final test acc", "final train acc");
    TheoryTable table{"sweep " + in.sweep->name + ": final accuracy (mean ± s.e. over seeds) against " + key,
                      {key, "final test acc", "final train acc", ""}, {}};
    for (size_t i = 0; i < p.test.size(); ++i) {
      const auto& row = table.rows.emplace_back(std::vector<std::string>{
          num(p.test[i].x, "%g"), num(p.test[i].mean) + " ± " + num(p.test[i].std_error),
          num(p.train[i].mean) + " ± " + num(p.train[i].std_error), p.test[i].x == p.optimum ? "optimum" : ""});
      out.printf("  %-14s  %22s  %22s%s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(),
                 row[3].empty() ? "" : "   <- optimum");
    }
    out.tables.push_back(std::move(table));
    title += (title.empty() ? "" : ", ") + in.sweep->name;
    panels.push_back(std::move(p));
  }
  out.figures.push_back(draw_goldilocks_figure("Goldilocks zone: " + plot_text(title), panels, a.out, a.name));
  return out;
}

// ---------------------------------------------------------------------------------------------
TheoryOutput repons_overlay(const TheoryInput& in, const ReponOptions& a) {
  TheoryOutput out;
  const auto& task = in.config.task;
  int classes = 0;
  if (task.kind == "rel_equiv") classes = task.k;
  else if (task.kind == "rel_bipartite") classes = 2;
  else
    throw UserError("no repon theory for task.kind = \"" + task.kind +
                    "\": geneft theory repons supports rel_equiv and rel_bipartite (relations whose nodes fall into classes)");
  if (in.sweep) {
    std::set<std::string> keys;
    for (const auto& ax : in.sweep->axes) keys.insert(ax);
    if (!keys.count("optim.encoder_lr") || !keys.count("optim.decoder_lr"))
      throw UserError(in.source + ": geneft theory repons needs a run config, or a sweep over optim.encoder_lr and optim.decoder_lr");
  }
  const auto& m = in.config.model;
  // Init scales of the network, as the theory's Gaussians: embedding coordinates U(-s/2, s/2) have
  // std s/sqrt(12); the half-separation of two embeddings has std sigma_E/sqrt(2); a first-layer
  // decoder weight U(-1/sqrt(fan_in), 1/sqrt(fan_in)) x scale has std scale/sqrt(3 fan_in).
  const double sigma_e = m.embed_init == "normal" ? m.embed_scale : m.embed_scale / std::sqrt(12.0);
  const int fan_in = m.combiner == "concat" ? 2 * m.embed_dim : m.embed_dim;
  const ReponInitScales init{a.sigma_a > 0 ? a.sigma_a : m.decoder_init_scale / std::sqrt(3.0 * fan_in),
                             a.sigma_c > 0 ? a.sigma_c : sigma_e / std::sqrt(2.0)};
  const double x_two = boundary_log_ratio(init), dpdx = boundary_slope_per_decade();
  out.printf("two-repon theory (Baek, Liu, Tegmark 2024, Sec. 4): C = a^2/(2 eta_dec) - c^2/eta_enc\n");
  out.printf("  init scales: sigma_a = %.4f (%s), sigma_c = %.4f (%s)\n", init.sigma_a,
              a.sigma_a > 0 ? "--sigma-a" : "first decoder layer", init.sigma_c,
              a.sigma_c > 0 ? "--sigma-c" : "half-separation of two embeddings");
  out.printf("  P(generalize) = (2/pi) arctan((sigma_a/sigma_c) sqrt(eta_enc/(2 eta_dec)))\n");
  out.printf("  boundary P = 1/2: log10(eta_dec/eta_enc) = %.3f, a line of slope 1 in log-log\n", x_two);
  out.printf("  dP/dlog10(ratio) at the boundary = %.4f (logistic-equivalent slope %.3f per decade)\n", dpdx, 4 * dpdx);

  // The decoder that reads the repons is the network's first layer: width rows on each embedding.
  ManyReponSetup setup{task.n, classes, m.embed_dim, a.decoder_rows > 0 ? a.decoder_rows : m.width, sigma_e, init.sigma_a};
  const ManyReponSimulation sim(setup);
  std::vector<double> xs;
  for (double x = -3; x <= 3.0001; x += 0.25) xs.push_back(x);
  const auto many = simulate_repon_boundary(sim, xs, a.samples, 1);
  out.printf("many-repon simulation: %d repons in %d classes, d = %d, decoder %d x %d, %d initial conditions per ratio\n",
              setup.repons, setup.classes, setup.dim, setup.decoder_rows, setup.dim, a.samples);
  out.printf("  %8s  %8s  %8s\n", "log10 r", "P many", "P two");
  for (size_t i = 0; i < xs.size(); ++i)
    out.printf("  %8.2f  %5.3f±%.3f  %8.3f\n", xs[i], many.probability[i], many.std_error[i],
                generalization_probability(1, std::pow(10.0, xs[i]), init));
  out.printf("  boundary P = 1/2: log10(eta_dec/eta_enc) = %s\n", num(many.crossing).c_str());
  // steepness of the simulated transition: the same logistic fit as for the measurement
  std::vector<std::vector<double>> sim_x;
  std::vector<int> sim_y;
  for (size_t i = 0; i < xs.size(); ++i) {
    const int hits = int(std::lround(many.probability[i] * a.samples));
    for (int k = 0; k < a.samples; ++k) sim_x.push_back({xs[i]}), sim_y.push_back(k < hits);
  }
  const LogisticFit many_fit = fit_logistic(sim_x, sim_y);
  out.printf("  logistic fit to the simulation: beta1 = %.3f ± %.3f per decade\n", many_fit.coef[1], many_fit.std_error[1]);

  LrBoundaryFigure fig;
  fig.title = "Repon theory vs measured learning-rate phase diagram";
  for (double x = -3.5; x <= 3.5001; x += 0.05) fig.two_repon.push_back({x, generalization_probability(1, std::pow(10.0, x), init)});
  for (size_t i = 0; i < xs.size(); ++i) fig.many_repon.push_back({xs[i], many.probability[i], many.std_error[i], a.samples});

  const auto rows = measured_rows(out, a.db, in);
  if (rows.empty()) {
    out.printf("no measured runs: nothing to overlay (the figure needs a sweep over optim.encoder_lr x optim.decoder_lr)\n");
    return out;
  }
  std::vector<std::vector<double>> by_ratio, by_both;
  std::vector<int> y;
  std::map<std::pair<double, double>, std::vector<double>> cells;
  std::map<double, std::vector<double>> ratios;
  for (const auto& r : rows) {
    const double le = std::log10(r.number("optim.encoder_lr")), ld = std::log10(r.number("optim.decoder_lr"));
    const bool gen = r.phase.phase == Phase::Comprehension || r.phase.phase == Phase::Grokking;
    by_ratio.push_back({ld - le}), by_both.push_back({le, ld}), y.push_back(gen);
    cells[{r.number("optim.encoder_lr"), r.number("optim.decoder_lr")}].push_back(gen);
    ratios[std::round((ld - le) * 1e6) / 1e6].push_back(gen);
  }
  for (const auto& [k, v] : cells) fig.cells.push_back({k.first, k.second, mean_point(0, v).mean});
  for (const auto& [x, v] : ratios) fig.measured_by_ratio.push_back(mean_point(x, v));
  const int generalized = int(std::count(y.begin(), y.end(), 1));
  out.printf("\nmeasured: sweep %s, %zu runs, %d generalize (comprehension or grokking)\n", in.sweep->name.c_str(),
              rows.size(), generalized);
  if (generalized == 0 || generalized == int(rows.size())) {
    out.printf("  every run has the same outcome: no boundary to fit\n");
    return out;
  }
  const LogisticFit f1 = fit_logistic(by_ratio, y), f2 = fit_logistic(by_both, y);
  const double b0 = f1.coef[0], b1 = f1.coef[1];
  const double x0 = -b0 / b1, x0_se = delta_method_std_error(f1, {-1 / b1, b0 / (b1 * b1)});
  const double be = f2.coef[1], bd = f2.coef[2];
  const double slope2 = -be / bd, slope2_se = delta_method_std_error(f2, {0, -1 / bd, be / (bd * bd)});
  const double off2 = -f2.coef[0] / bd, off2_se = delta_method_std_error(f2, {-1 / bd, 0, f2.coef[0] / (bd * bd)});
  out.printf("  logistic fit on x = log10(eta_dec/eta_enc): beta0 = %.3f ± %.3f, beta1 = %.3f ± %.3f%s\n", b0,
              f1.std_error[0], b1, f1.std_error[1], f1.separable ? " (separable: ridge-limited)" : "");
  out.printf("  logistic fit on (log10 eta_enc, log10 eta_dec): boundary log10 eta_dec = %.3f log10 eta_enc %+.3f%s\n",
              slope2, off2, f2.separable ? " (separable: ridge-limited)" : "");
  TheoryTable table{"learning-rate boundary: predicted (two-repon closed form, many-repon simulation) vs measured "
                    "(logistic fit ± s.e.)",
                    {"", "two-repon", "many-repon", "measured"}, {}};
  auto pm = [](double v, double se) { return num(v) + " ± " + num(se); };
  table.rows = {
      {"boundary offset x0 = log10(eta_dec/eta_enc)", num(x_two), num(many.crossing), pm(x0, x0_se)},
      {"logistic slope beta1 (per decade of ratio)", num(4 * dpdx), num(many_fit.coef[1]), pm(b1, f1.std_error[1])},
      {"boundary slope in log-log (eta_enc, eta_dec)", num(1.0), num(1.0), pm(slope2, slope2_se)},
      {"boundary offset at eta_enc = 1 (log10 eta_dec)", num(x_two), num(many.crossing), pm(off2, off2_se)}};
  out.printf("\n  %-44s  %10s  %10s  %16s\n", "", "two-repon", "many-repon", "measured");
  for (const auto& row : table.rows)
    out.printf("  %-44s  %10s  %10s  %16s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str());
  out.tables.push_back(std::move(table));
  for (double x = -3.5; x <= 3.5001; x += 0.05) fig.fitted.push_back({x, 1 / (1 + std::exp(-(b0 + b1 * x)))});
  fig.lines = {{"measured boundary (logistic on both logs)", slope2, off2},
               {"two-repon prediction", 1.0, x_two}};
  if (std::isfinite(many.crossing)) fig.lines.push_back({"many-repon prediction", 1.0, many.crossing});
  fig.lines.push_back({"measured boundary (logistic on the ratio)", 1.0, x0});
  out.figures.push_back(draw_lr_boundary_figure(fig, a.out, a.name.empty() ? in.sweep->name + "-repons" : a.name));
  return out;
}

// ---------------------------------------------------------------------------------------------
TheoryOutput parallelograms_overlay(const TheoryInput& in, const ParallelogramOptions& a) {
  TheoryOutput out;
  TaskConfig task = in.config.task;
  if (task.kind != "plain_add")
    throw UserError("no parallelogram theory for task.kind = \"" + task.kind +
                    "\": geneft theory parallelograms supports plain_add (Liu et al. 2022's addition toy)");
  const Dataset data = make_dataset(task);
  const int total = int(data.size());
  std::vector<int> counts;
  for (int c = 2; c < total; ++c) counts.push_back(c);
  const auto curve = parallelogram_curve(task, counts, a.sets);
  const double crit = critical_train_count(curve);
  out.printf("Liu et al. 2022 effective theory, addition of 0..%d (%d samples, %zu parallelograms in all):\n", task.p - 1,
              total, addition_parallelograms(task.p).size());
  out.printf("  representation determined up to E_k = u + v k when the training parallelograms have rank p - 2 = %d\n",
              task.p - 2);
  out.printf("  predicted critical training-set size (P(determined) = 1/2): %s samples = fraction %s\n",
              num(crit, "%.1f").c_str(), num(crit / total, "%.3f").c_str());

  ParallelogramFigure fig;
  fig.title = "Liu et al. 2022 toy: effective theory vs measurement";
  fig.total_samples = total, fig.critical_count = crit;
  for (const auto& c : curve) {
    fig.predicted_accuracy.push_back({double(c.train_count), c.accuracy, c.accuracy_se, c.sets});
    fig.p_determined.push_back({double(c.train_count), c.p_determined, c.p_determined_se, c.sets});
  }
  const auto rows = measured_rows(out, a.db, in);
  std::map<int, std::vector<double>> measured, seed_pred, leff, rqi;
  for (const auto& r : rows) {
    const RunConfig cfg = parse_config(r.run.config, "store run " + r.run.id);
    const Split split = make_split(data.size(), cfg.task, cfg.seed);
    std::vector<AdditionPair> train, test;
    for (int32_t i : split.train) train.push_back({data.a[i], data.b[i]});
    for (int32_t i : split.test) test.push_back({data.a[i], data.b[i]});
    const ParallelogramTheory theory(task.p, train);
    const int m = int(split.train.size());
    if (std::isfinite(r.run.final.test_acc)) measured[m].push_back(r.run.final.test_acc);
    if (!test.empty()) seed_pred[m].push_back(theory.predicted_accuracy(test));
    if (std::isfinite(r.run.final.rqi)) rqi[m].push_back(r.run.final.rqi);
  }
  if (!rows.empty()) {
    Store store = Store::open_read_only(a.db);
    for (const auto& r : rows) {
      const auto emb = store.embeddings(r.run.id);
      if (emb.empty()) continue;
      const RunConfig cfg = parse_config(r.run.config, "store run " + r.run.id);
      const Split split = make_split(data.size(), cfg.task, cfg.seed);
      std::vector<AdditionPair> train;
      for (int32_t i : split.train) train.push_back({data.a[i], data.b[i]});
      const auto& last = emb.back();
      std::vector<double> E(last.values.begin(), last.values.end());
      // centre first: Z0 should measure the spread, not the position (translation is trivial)
      for (int k = 0; k < last.cols; ++k) {
        double mean = 0;
        for (int v = 0; v < last.rows; ++v) mean += E[size_t(v) * last.cols + k] / last.rows;
        for (int v = 0; v < last.rows; ++v) E[size_t(v) * last.cols + k] -= mean;
      }
      leff[int(split.train.size())].push_back(ParallelogramTheory(task.p, train).effective_loss(E, last.cols));
    }
  }
  for (const auto& [m, v] : measured) fig.measured.push_back(mean_point(m, v));
  for (const auto& [m, v] : seed_pred) fig.predicted_on_seed_splits.push_back(mean_point(m, v));
  out.printf("\n%6s  %9s  %16s  %18s  %18s  %9s  %9s\n", "size", "P(det)", "predicted acc", "predicted (seeds)",
              "measured acc", "RQI", "l_eff");
  TheoryTable table{"test accuracy against training-set size: predicted (over random sets, and on the seeds' own "
                    "splits) vs measured, mean ± s.e.",
                    {"size", "P(det)", "predicted acc", "predicted (seeds)", "measured acc", "RQI", "l_eff"}, {}};
  std::vector<int> sizes;
  if (rows.empty())
    for (int c = 5; c < total; c += 5) sizes.push_back(c);
  else
    for (const auto& [m, v] : measured) sizes.push_back(m);
  for (int m : sizes) {
    const auto& c = curve[m - 2];
    auto cell = [](const std::map<int, std::vector<double>>& by, int key, const char* fmt) {
      const auto it = by.find(key);
      if (it == by.end()) return std::string("-");
      const MeanPoint p = mean_point(key, it->second);
      return num(p.mean, fmt) + " ± " + num(p.std_error, fmt);
    };
    const auto& row = table.rows.emplace_back(std::vector<std::string>{
        std::to_string(m), num(c.p_determined), num(c.accuracy) + " ± " + num(c.accuracy_se), cell(seed_pred, m, "%.3f"),
        cell(measured, m, "%.3f"), cell(rqi, m, "%.2f"), cell(leff, m, "%.1e")});
    out.printf("%6s  %9s  %16s  %18s  %18s  %9s  %9s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(),
               row[4].c_str(), row[5].c_str(), row[6].c_str());
  }
  out.tables.push_back(std::move(table));
  if (!rows.empty()) {
    std::vector<MeanPoint> meas = fig.measured;
    const double crit_meas = first_crossing(meas, 0.9);
    out.printf("measured: first size where mean test accuracy >= 0.9: %s (predicted critical size %s)\n",
                num(crit_meas, "%.1f").c_str(), num(crit, "%.1f").c_str());
  }
  const std::string name =
      !a.name.empty() ? a.name : in.sweep ? in.sweep->name : file_stem(in.source) + "-parallelograms";
  out.figures.push_back(draw_parallelogram_figure(fig, a.out, name));
  return out;
}

// ---------------------------------------------------------------------------------------------
void TheoryOutput::printf(const char* fmt, ...) {
  va_list args, copy;
  va_start(args, fmt);
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n > 0) {
    const size_t at = text.size();
    text.resize(at + size_t(n) + 1);
    std::vsnprintf(text.data() + at, size_t(n) + 1, fmt, args);
    text.resize(at + size_t(n));
  }
  va_end(args);
}

TheoryInput theory_input_from_file(const std::string& path) {
  const std::string text = read_input_file(path, "config or sweep file");
  check_toml_nesting(text, path);
  bool is_sweep = false;
  try {
    is_sweep = toml::parse(text, path).contains("sweep");
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << path << ":" << e.source().begin.line << ": malformed TOML: " << e.description();
    throw UserError(o.str());
  }
  TheoryInput t;
  t.source = path;
  if (!is_sweep) {
    t.config = load_config(path);
    return t;
  }
  const SweepDefinition sweep = load_sweep(path);
  const auto points = expand_sweep(sweep);
  if (points.empty()) throw UserError(path + ": the sweep has no points");
  t.config = points.front().config;
  SweepRef ref{sweep.name, {}, points.size()};
  for (const auto& ax : sweep.axes) ref.axes.push_back(ax.key);
  t.sweep = ref;
  return t;
}

TheoryInput theory_input_from_store(const std::string& db, const std::string& sweep) {
  Store store = Store::open_read_only(db);
  const auto def = store.sweep_definition(sweep);
  if (!def) throw UserError(db + ": no sweep named '" + sweep + "'");
  const auto runs = store.sweep_runs(sweep);
  if (runs.empty()) throw UserError(db + ": sweep '" + sweep + "' has no runs in the store yet");
  TheoryInput t;
  t.source = db + ": sweep " + sweep;
  t.config = parse_config(runs.front().config, "store run " + runs.front().id);
  SweepRef ref{sweep, {}, size_t(store.sweep_size(sweep))};
  for (const auto& [key, kind] : parse_stored_sweep(*def).axes) ref.axes.push_back(key);
  t.sweep = ref;
  return t;
}

}  // namespace geneft
