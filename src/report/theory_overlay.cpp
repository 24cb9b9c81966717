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
#include "plot/gnuplot.h"
#include "plot/phase_diagram.h"
#include "plot/theory_figures.h"
#include "report/html.h"
#include "report/theory_overlay.h"
#include "measure/repon_coordinates.h"
#include "nn/models/registry.h"
#include "store/store.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "theory/balls_into_buckets.h"
#include "theory/curve_crossing.h"
#include "theory/description_length.h"
#include "theory/generalization_probability.h"
#include "theory/logistic_boundary_fit.h"
#include "theory/many_repon_simulation.h"
#include "theory/oracle_learner.h"
#include "theory/parallelogram_theory.h"
#include "theory/repon_trajectory_fit.h"

namespace geneft {

// The sweep's finished runs in the store, phases by the sweep's own options; empty (with a note)
// when the store or the sweep is not there yet.
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

namespace {
// First x at which the curve reaches `threshold`, interpolated linearly; NaN if never.
double first_crossing(const std::vector<MeanPoint>& c, double threshold) {
  std::vector<CurvePoint> means;
  for (const auto& m : c) means.push_back({m.x, m.mean, m.std_error});
  return level_crossing(means, threshold, CrossingDirection::Rising);
}

std::string file_stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }
}  // namespace

std::string num(double v, const char* fmt) {
  if (!std::isfinite(v)) return "not reached";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}


std::string write_output_file(const std::string& out_dir, const std::string& name, const std::string& ext,
                              const std::string& text) {
  std::filesystem::create_directories(out_dir);
  const std::string path = (std::filesystem::path(out_dir) / (safe_file_name(name) + "." + ext)).string();
  std::ofstream f(path);
  if (!(f << text) || !f.flush()) throw UserError("could not write " + path);
  return path;
}

// The network's init laws as the repon theory reads them: one embedding coordinate (U(-s/2, s/2)
// or N(0, s^2)) and one weight of the first decoder layer (PyTorch's U(-1/sqrt(fan_in),
// 1/sqrt(fan_in)) x decoder_init_scale; fan_in = the combiner's width).
struct ReponLaws {
  InitLaw embedding, decoder;
};
ReponLaws repon_laws(const ModelConfig& m) {
  const bool normal = m.embed_init == "normal";
  const int fan_in = m.combiner == "concat" ? 2 * m.embed_dim : m.embed_dim;
  return {{!normal, normal ? m.embed_scale : m.embed_scale / std::sqrt(12.0)},
          {true, m.decoder_init_scale / std::sqrt(3.0 * fan_in)}};
}

// Classes the nodes of a relation fall into (the many-repon theory's attracting groups); 0: none.
int repon_classes(const TaskConfig& t) { return t.kind == "rel_equiv" ? int(t.k) : t.kind == "rel_bipartite" ? 2 : 0; }

// ---------------------------------------------------------------------------------------------

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
  const int classes = repon_classes(task);
  if (classes == 0)
    throw UserError("no repon theory for task.kind = \"" + task.kind +
                    "\": geneft theory repons supports rel_equiv and rel_bipartite (relations whose nodes fall into classes)");
  if (in.sweep) {
    std::set<std::string> keys;
    for (const auto& ax : in.sweep->axes) keys.insert(ax);
    if (!keys.count("optim.encoder_lr") || !keys.count("optim.decoder_lr"))
      throw UserError(in.source + ": geneft theory repons needs a run config, or a sweep over optim.encoder_lr and optim.decoder_lr");
  }
  const auto& m = in.config.model;
  // Init scales of the network, as the theory's Gaussians: the half-separation of two embeddings
  // has std sigma_E/sqrt(2).
  const ReponLaws laws = repon_laws(m);
  const double sigma_e = laws.embedding.std;
  const ReponInitScales init{a.sigma_a > 0 ? a.sigma_a : laws.decoder.std,
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
  std::vector<LrOutcome> outcomes;
  std::map<std::pair<double, double>, std::vector<double>> cells;
  std::map<double, std::vector<double>> ratios;
  for (const auto& r : rows) {
    const double le = std::log10(r.number("optim.encoder_lr")), ld = std::log10(r.number("optim.decoder_lr"));
    const bool gen = r.phase.phase == Phase::Comprehension || r.phase.phase == Phase::Grokking;
    outcomes.push_back({le, ld, gen});
    cells[{r.number("optim.encoder_lr"), r.number("optim.decoder_lr")}].push_back(gen);
    ratios[std::round((ld - le) * 1e6) / 1e6].push_back(gen);
  }
  for (const auto& [k, v] : cells) fig.cells.push_back({k.first, k.second, mean_point(0, v).mean});
  for (const auto& [x, v] : ratios) fig.measured_by_ratio.push_back(mean_point(x, v));
  const LrBoundaryFit fit = fit_lr_boundary(outcomes);
  out.printf("\nmeasured: sweep %s, %zu runs, %d generalize (comprehension or grokking)\n", in.sweep->name.c_str(),
              rows.size(), fit.generalized);
  if (!fit.fitted || !fit.two_axes) {
    out.printf("  %s\n", fit.fitted ? "optim.encoder_lr does not vary: no slope to fit" : "every run has the same outcome: no boundary to fit");
    return out;
  }
  const double x0 = fit.x0, x0_se = fit.x0_se, b1 = fit.beta1, b0 = -x0 * b1;
  const double slope2 = fit.slope, slope2_se = fit.slope_se, off2 = fit.offset, off2_se = fit.offset_se;
  out.printf("  logistic fit on x = log10(eta_dec/eta_enc): x0 = %.3f ± %.3f, beta1 = %.3f ± %.3f%s\n", x0, x0_se, b1,
              fit.beta1_se, fit.ratio_separable ? " (separable: ridge-limited)" : "");
  out.printf("  logistic fit on (log10 eta_enc, log10 eta_dec): boundary log10 eta_dec = %.3f log10 eta_enc %+.3f%s\n",
              slope2, off2, fit.both_separable ? " (separable: ridge-limited)" : "");
  TheoryTable table{"learning-rate boundary: predicted (two-repon closed form, many-repon simulation) vs measured "
                    "(logistic fit ± s.e.)",
                    {"", "two-repon", "many-repon", "measured"}, {}};
  auto pm = [](double v, double se) { return num(v) + " ± " + num(se); };
  table.rows = {
      {"boundary offset x0 = log10(eta_dec/eta_enc)", num(x_two), num(many.crossing), pm(x0, x0_se)},
      {"logistic slope beta1 (per decade of ratio)", num(4 * dpdx), num(many_fit.coef[1]), pm(b1, fit.beta1_se)},
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
namespace {

// A short name of the task a boundary belongs to, with the sizes the repon gas depends on.
std::string boundary_label(const RunConfig& c) {
  const auto& t = c.task;
  char size[64];
  std::snprintf(size, sizeof size, " (n = %d, d = %d)", int(t.kind.rfind("rel_", 0) == 0 ? t.n : t.p), int(c.model.embed_dim));
  if (t.kind == "rel_equiv") return "mod " + std::to_string(t.k) + size;
  if (t.kind == "rel_greater") return std::string("greater-than") + size;
  if (t.kind == "rel_bipartite") return "bipartite " + std::to_string(t.part) + "+" + std::to_string(t.n - t.part) + size;
  return t.kind + size;
}

struct BoundaryGroup {
  RunConfig config;
  std::string label;
  std::vector<const SweepRow*> rows;
};

}  // namespace

std::vector<LrBoundaryResult> lr_boundary_results(TheoryOutput& out, const std::vector<TheoryInput>& sweeps,
                                                  const LrBoundariesOptions& a) {
  if (sweeps.empty()) throw UserError("give at least one sweep over optim.decoder_lr");
  if (a.samples < 1) throw UserError("--samples must be at least 1");
  if (a.mc_samples < 100) throw UserError("--mc-samples must be at least 100");
  const std::string enc_key = "optim.encoder_lr", dec_key = "optim.decoder_lr";
  // Every sweep's rows, split by the values of its axes other than the learning rates.
  std::vector<std::vector<SweepRow>> all_rows;
  std::vector<BoundaryGroup> groups;
  for (const auto& in : sweeps) {
    if (!in.sweep || std::find(in.sweep->axes.begin(), in.sweep->axes.end(), dec_key) == in.sweep->axes.end())
      throw UserError(in.source + ": geneft theory boundaries needs sweeps over optim.decoder_lr (and optim.encoder_lr for the slope)");
    all_rows.push_back(measured_rows(out, a.db, in));
  }
  for (size_t s = 0; s < sweeps.size(); ++s) {
    const auto& in = sweeps[s];
    std::map<std::string, size_t> by_key;
    if (all_rows[s].empty()) groups.push_back({in.config, boundary_label(in.config) + " [" + in.sweep->name + "]", {}});
    for (const auto& r : all_rows[s]) {
      std::string key;
      for (const auto& ax : in.sweep->axes)
        if (ax != enc_key && ax != dec_key) key += (key.empty() ? "" : ", ") + ax + "=" + format_value(r.config.at(ax));
      auto [it, fresh] = by_key.try_emplace(key, groups.size());
      if (fresh) {
        const RunConfig c = config_from_values(r.config);
        groups.push_back({c, boundary_label(c), {}});
      }
      groups[it->second].rows.push_back(&r);
    }
  }

  std::map<std::string, ReponThresholds> many_cache;  // the same repon gas is simulated once
  std::vector<LrBoundaryResult> results;
  for (const auto& g : groups) {
    LrBoundaryResult res;
    res.config = g.config, res.label = g.label, res.runs = g.rows.size();
    const ReponLaws laws = repon_laws(g.config.model);
    res.embedding = laws.embedding, res.decoder = laws.decoder;
    res.two_repon = two_repon_thresholds(laws.decoder, laws.embedding, a.mc_samples, 1);
    res.gaussian = boundary_log_ratio({laws.decoder.std, laws.embedding.std / std::sqrt(2.0)});
    if (const int classes = repon_classes(g.config.task); classes > 0) {
      res.gas = ManyReponSetup{int(g.config.task.n), classes, int(g.config.model.embed_dim),
                               a.decoder_rows > 0 ? a.decoder_rows : int(g.config.model.width), laws.embedding.std,
                               laws.decoder.std, laws.embedding.uniform, laws.decoder.uniform};
      const ManyReponSetup& setup = *res.gas;
      char key[160];
      std::snprintf(key, sizeof key, "%d %d %d %d %.9g %.9g %d %d", setup.repons, setup.classes, setup.dim,
                    setup.decoder_rows, setup.sigma_x, setup.sigma_a, int(setup.uniform_x), int(setup.uniform_a));
      auto it = many_cache.find(key);
      if (it == many_cache.end()) it = many_cache.emplace(key, many_repon_thresholds(ManyReponSimulation(setup), a.samples, 1)).first;
      res.many = it->second;
    }
    // measured
    std::vector<LrOutcome> outcomes;
    res.enc_min = 1e300, res.enc_max = 0;
    for (const SweepRow* r : g.rows) {
      const Phase ph = r->phase.phase;
      if (ph != Phase::Comprehension && ph != Phase::Grokking && ph != Phase::Memorization) {
        ++res.left_out;
        continue;
      }
      const double enc = r->number(enc_key), le = std::log10(enc), ld = std::log10(r->number(dec_key));
      outcomes.push_back({le, ld, ph != Phase::Memorization});
      res.ratios[std::round((ld - le) * 1e6) / 1e6].push_back(ph != Phase::Memorization);
      res.enc_min = std::min(res.enc_min, enc), res.enc_max = std::max(res.enc_max, enc);
    }
    res.fit = fit_lr_boundary(outcomes);
    results.push_back(std::move(res));
  }
  return results;
}

TheoryOutput lr_boundaries_overlay(const std::vector<TheoryInput>& sweeps, const LrBoundariesOptions& a) {
  TheoryOutput out;
  const auto results = lr_boundary_results(out, sweeps, a);
  out.printf("learning-rate phase boundaries (Baek, Liu, Tegmark 2024, Sec. 4) beside the repon predictions\n");
  out.printf("measured: logistic fits of P(generalize) (comprehension or grokking) against memorization;\n"
             "  confusion and diverged runs are left out (the repon theory separates those two phases)\n");
  out.printf("predicted from each network's own init laws: two-repon Monte Carlo (%lld draws), the Gaussian\n"
             "  closed form, and the many-repon simulation (%d initial conditions, each one's threshold ratio by bisection) where nodes fall into classes\n",
             (long long)a.mc_samples, a.samples);
  LrBoundariesFigure fig;
  fig.title = "Learning-rate phase boundaries: measured (solid) and many-repon prediction (dashed)";
  TheoryTable table{"learning-rate boundary per task: measured (logistic fits ± s.e.) and repon predictions (± Monte Carlo s.e.)",
                    {"task", "runs (gen / mem / left out)", "slope", "x0 = log10(eta_dec/eta_enc)", "x at grid centre",
                     "steepness beta1", "two-repon MC x0", "two-repon Gaussian x0", "many-repon x0", "many-repon steepness"},
                    {}};
  std::string csv =
      "task,runs,generalized,memorized,left_out,slope,slope_se,x0,x0_se,center_log_enc,center_x,center_x_se,beta1,beta1_se,"
      "two_repon_mc_x0,two_repon_mc_se,two_repon_gaussian_x0,many_repon_x0,many_repon_se,many_repon_steepness\n";
  auto pm = [](double v, double se) { return num(v, "%.2f") + " ± " + num(se, "%.2f"); };
  std::map<std::pair<double, double>, double> two_drawn;  // init laws whose two-repon curve is drawn
  for (const auto& r : results) {
    const LrBoundaryFit& fit = r.fit;
    const ReponThresholds& mc = r.two_repon;
    const ReponThresholds* many = r.many ? &*r.many : nullptr;
    const int memorized = fit.runs - fit.generalized;
    out.printf("\n%s: %zu runs, %d generalize, %d memorize, %d left out (confusion, diverged)\n", r.label.c_str(),
               r.runs, fit.generalized, memorized, r.left_out);
    out.printf("  predicted x0: two-repon Monte Carlo %.3f ± %.3f, Gaussian closed form %.3f", mc.crossing, mc.std_error, r.gaussian);
    if (many) out.printf(", many-repon %.3f ± %.3f (steepness %.2f)\n", many->crossing, many->std_error, many->logistic_steepness());
    else out.printf(", many-repon: none (the nodes fall into no classes)\n");
    auto cell = [&](bool ok, double v, double se) { return ok ? pm(v, se) : std::string("-"); };
    if (fit.fitted) {
      out.printf("  measured: x0 = %.3f ± %.3f, beta1 = %.2f ± %.2f%s\n", fit.x0, fit.x0_se, fit.beta1, fit.beta1_se,
                 fit.ratio_separable ? " (separable: ridge-limited)" : "");
      if (fit.two_axes)
        out.printf("  measured: slope %.3f ± %.3f, x at log10 eta_enc = %.2f: %.3f ± %.3f%s\n", fit.slope, fit.slope_se,
                   fit.center, fit.center_ratio, fit.center_ratio_se, fit.both_separable ? " (separable: ridge-limited)" : "");
      const double pred = many ? many->crossing : mc.crossing, pred_se = many ? many->std_error : mc.std_error;
      out.printf("  measured - %s: %+.3f (%.1f combined s.e.)\n", many ? "many-repon" : "two-repon", fit.x0 - pred,
                 (fit.x0 - pred) / std::sqrt(fit.x0_se * fit.x0_se + pred_se * pred_se));
    } else if (r.runs > 0) {
      out.printf("  every run left has the same outcome: no boundary to fit\n");
    }
    char runs[64];
    std::snprintf(runs, sizeof runs, "%zu (%d / %d / %d)", r.runs, fit.generalized, memorized, r.left_out);
    table.rows.push_back({r.label, runs, cell(fit.fitted && fit.two_axes, fit.slope, fit.slope_se),
                          cell(fit.fitted, fit.x0, fit.x0_se), cell(fit.fitted && fit.two_axes, fit.center_ratio, fit.center_ratio_se),
                          cell(fit.fitted, fit.beta1, fit.beta1_se), pm(mc.crossing, mc.std_error), num(r.gaussian, "%.2f"),
                          many ? pm(many->crossing, many->std_error) : "-", many ? num(many->logistic_steepness(), "%.1f") : "-"});
    auto v = [](bool ok, double x) { return ok && std::isfinite(x) ? num(x, "%.6g") : std::string(""); };
    csv += "\"" + r.label + "\"," + std::to_string(r.runs) + "," + std::to_string(fit.generalized) + "," +
           std::to_string(memorized) + "," + std::to_string(r.left_out) + "," + v(fit.two_axes, fit.slope) + "," +
           v(fit.two_axes, fit.slope_se) + "," + v(fit.fitted, fit.x0) + "," + v(fit.fitted, fit.x0_se) + "," +
           v(fit.two_axes, fit.center) + "," + v(fit.two_axes, fit.center_ratio) + "," + v(fit.two_axes, fit.center_ratio_se) +
           "," + v(fit.fitted, fit.beta1) + "," + v(fit.fitted, fit.beta1_se) + "," + v(true, mc.crossing) + "," +
           v(true, mc.std_error) + "," + v(true, r.gaussian) + "," + v(many, many ? many->crossing : 0) + "," +
           v(many, many ? many->std_error : 0) + "," + v(many, many ? many->logistic_steepness() : 0) + "\n";
    // figure
    if (fit.fitted) {
      BoundarySeries series;
      series.label = r.label;
      series.enc_min = r.enc_min, series.enc_max = r.enc_max;
      series.lines.push_back(fit.two_axes ? BoundaryLine{r.label + ": measured", fit.slope, fit.offset}
                                          : BoundaryLine{r.label + ": measured", 1.0, fit.x0});
      if (many) series.lines.push_back({r.label + ": many-repon", 1.0, many->crossing});
      for (const auto& [x, hits] : r.ratios) series.measured.push_back(mean_point(x, hits));
      if (many)
        for (double x = -2.5; x <= 2.5001; x += 0.05) series.predicted.push_back({x, many->probability(x), 0, a.samples});
      fig.series.push_back(std::move(series));
      if (two_drawn.emplace(std::make_pair(r.decoder.std, r.embedding.std), mc.crossing).second) {
        LrBoundariesFigure::Curve c;
        char label[96];
        std::snprintf(label, sizeof label, "two-repon (init laws of %s)", r.label.c_str());
        c.label = label;
        for (double x = -2.5; x <= 2.5001; x += 0.05) c.points.push_back({x, mc.probability(x)});
        fig.two_repon.push_back(std::move(c));
      }
    }
  }
  out.printf("\n");
  out.print_table(table);
  out.tables.push_back(std::move(table));
  out.printf("table: %s\n", write_csv(a.out, a.name, csv).c_str());
  if (fig.series.empty()) {
    out.printf("no boundary measured: nothing to draw (run the sweeps first)\n");
    return out;
  }
  out.figures.push_back(draw_lr_boundaries_figure(fig, a.out, a.name));
  return out;
}

// ---------------------------------------------------------------------------------------------
namespace {

// The run's first decoder layer at init as the many-repon decoder A (rows x d, row-major): for
// concat the blocks that read e_a and e_b stacked (|A dx|^2 = |W_a dx|^2 + |W_b dx|^2), for sum W.
std::vector<double> initial_first_layer(const RunConfig& cfg, const Dataset& data, int& rows,
                                        std::vector<double>& embedding) {
  const auto model = make_model<float>(cfg, data, 1);
  const int d = int(cfg.model.embed_dim);
  std::vector<double> a;
  for (const auto& t : model->tensors()) {
    if (t.name == "embedding") embedding.assign(t.data, t.data + size_t(t.shape[0]) * t.shape[1]);
    if (t.name != "decoder.0.weight") continue;
    const int out = t.shape[0], in = t.shape[1];
    const int blocks = in / d;
    rows = out * blocks;
    for (int b = 0; b < blocks; ++b)
      for (int r = 0; r < out; ++r)
        for (int j = 0; j < d; ++j) a.push_back(t.data[size_t(r) * in + b * d + j]);
  }
  return a;
}

}  // namespace

TheoryOutput repon_trajectories_overlay(const TheoryInput& in, const ReponTrajectoryOptions& a) {
  TheoryOutput out;
  const auto& task = in.config.task;
  if (task.kind != "rel_equiv")
    throw UserError("no repon trajectories for task.kind = \"" + task.kind +
                    "\": geneft theory repon-trajectories supports rel_equiv (nodes in classes i mod k)");
  if (in.config.model.arch != "mlp" || (in.config.model.combiner != "concat" && in.config.model.combiner != "sum"))
    throw UserError(in.source + ": repon trajectories need the mlp with model.combiner = concat or sum");
  if (!in.sweep || std::find(in.sweep->axes.begin(), in.sweep->axes.end(), "optim.decoder_lr") == in.sweep->axes.end())
    throw UserError(in.source + ": geneft theory repon-trajectories needs a sweep over optim.decoder_lr (and optim.encoder_lr)");
  if (a.runs_per_phase < 0) throw UserError("--runs-per-phase must be at least 0");
  const auto rows = measured_rows(out, a.db, in);
  if (rows.empty()) {
    out.printf("no measured runs: nothing to compare\n");
    return out;
  }
  Store store = Store::open_read_only(a.db);
  const int n = int(task.n), k = int(task.k);
  std::vector<int> cls(n);
  for (int i = 0; i < n; ++i) cls[i] = i % k;
  out.printf("repon trajectories (Baek, Liu, Tegmark 2024, Sec. 4) of sweep %s, %zu runs\n", in.sweep->name.c_str(), rows.size());
  out.printf("  c: RMS distance of an embedding from its class centroid (the two-repon half-separation), in units of\n"
             "     the RMS distance of the class centroids from their mean (relative to step 0)\n"
             "  a: sigma_a x decoder norm / decoder norm at step 0 (the decoder weight that reads the repons)\n"
             "  fitted per run: d ln c/dt = -k_enc a^2, d ln a/dt = -2 k_dec c^2 (t in steps; gradient flow: k = eta)\n"
             "  predicted from the run's own init: the many-repon flow (embeddings at step 0, first decoder layer) and\n"
             "  the two-repon flow (c(0), a = RMS first-layer weight), with the run's learning rates per step\n\n");
  struct Counts {
    int runs = 0, attraction = 0, many = 0, two = 0;
  };
  std::map<std::string, Counts> by_phase;
  int agree_sign = 0, agree_many = 0, agree_two = 0, compared = 0, skipped = 0;
  double max_init_mismatch = 0;
  std::map<std::string, int> drawn;
  std::vector<TrajectoryPanel> panels;
  std::string csv = "run,seed,encoder_lr,decoder_lr,phase,k_enc,k_enc_se,k_dec,k_dec_se,k_enc_over_eta,k_dec_over_eta,"
                    "c_final_over_c0,between_final_over_0,many_c_final_over_c0,many_generalizes,two_repon_C\n";
  out.printf("  %-8s %9s %9s  %-13s  %21s  %21s  %6s %6s  %s\n", "run", "eta_enc", "eta_dec", "phase", "k_enc/eta_enc ± se",
             "k_dec/eta_dec ± se", "c/c0", "many", "two-repon C");
  for (const auto& r : rows) {
    const auto frames = store.embeddings(r.run.id);
    if (frames.size() < 3 || frames.front().step != 0) {
      ++skipped;
      continue;
    }
    const RunConfig cfg = config_from_values(r.config);
    const Dataset data = make_dataset(cfg.task);
    const double eta_enc = r.number("optim.encoder_lr"), eta_dec = r.number("optim.decoder_lr");
    std::map<int64_t, double> dec_norm;
    for (const auto& p : store.curve(r.run.id)) dec_norm[p.step] = p.decoder_norm;
    int a_rows = 0;
    std::vector<double> e0;
    const std::vector<double> a0 = initial_first_layer(cfg, data, a_rows, e0);
    for (size_t i = 0; i < e0.size() && i < frames.front().values.size(); ++i)
      max_init_mismatch = std::max(max_init_mismatch, std::abs(e0[i] - frames.front().values[i]));
    double a_rms = 0;
    for (double v : a0) a_rms += v * v;
    a_rms = std::sqrt(a_rms / a0.size());
    const double sigma_a = repon_laws(cfg.model).decoder.std;
    // measured coordinates
    std::vector<double> t, am, cm, bm;
    for (const auto& f : frames) {
      const auto it = dec_norm.find(f.step);
      if (it == dec_norm.end() || !std::isfinite(it->second) || !std::isfinite(dec_norm[0])) continue;
      const auto rc = repon_coordinates(f.values, f.rows, f.cols, cls);
      t.push_back(double(f.step)), am.push_back(sigma_a * it->second / dec_norm[0]), cm.push_back(rc.within),
          bm.push_back(rc.between);
      // against the between-class separation: the network may rescale all embeddings, which the
      // relation does not see; c is the within-class spread in units of the separation at step 0
      cm.back() *= bm.front() / rc.between;
    }
    if (t.size() < 3) {
      ++skipped;
      continue;
    }
    const ReponConstants kc = fit_repon_constants(t, am, cm);
    // predictions from the run's own initial state
    const ManyReponSimulation many_sim({n, k, int(cfg.model.embed_dim), a_rows, 1.0, 1.0});
    const auto many = many_sim.trajectory(e0, a0, eta_enc, eta_dec, t, 0.1);
    const ManyReponSimulation two_sim({2, 1, 1, 1, 1.0, 1.0});
    const auto two = two_sim.trajectory({cm[0], -cm[0]}, {a_rms}, eta_enc, eta_dec, t, 0.1);
    const double c_many = many.back().within / many.front().within, a_many = many.back().decoder / many.front().decoder;
    const bool many_gen = c_many < a_many;  // the side further along wins, as in ManyReponSimulation::run
    const double C = a_rms * a_rms / (2 * eta_dec) - cm[0] * cm[0] / eta_enc;
    const Phase ph = r.phase.phase;
    const std::string phase_label = phase_name(ph);
    if (ph == Phase::Comprehension || ph == Phase::Grokking || ph == Phase::Memorization) {
      const bool gen = ph != Phase::Memorization;
      ++compared;
      agree_sign += (kc.k_enc > 0) == gen, agree_many += many_gen == gen, agree_two += (C > 0) == gen;
    }
    auto& bp = by_phase[phase_label];
    ++bp.runs, bp.attraction += kc.k_enc > 0, bp.many += many_gen, bp.two += C > 0;
    out.printf("  %-8.8s %9.3g %9.3g  %-13s  %9.3g ± %-9.2g  %9.3g ± %-9.2g  %6.3f %6s  %+.3g\n", r.run.id.c_str(), eta_enc,
               eta_dec, phase_label.c_str(), kc.k_enc / eta_enc, kc.k_enc_se / eta_enc, kc.k_dec / eta_dec,
               kc.k_dec_se / eta_dec, cm.back() / cm.front(), many_gen ? "gen" : "mem", C);
    char line[512];
    std::snprintf(line, sizeof line, "%s,%lld,%.9g,%.9g,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.6g\n",
                  r.run.id.c_str(), (long long)r.run.seed, eta_enc, eta_dec, phase_label.c_str(), kc.k_enc, kc.k_enc_se,
                  kc.k_dec, kc.k_dec_se, kc.k_enc / eta_enc, kc.k_dec / eta_dec, cm.back() / cm.front(),
                  bm.back() / bm.front(), c_many, int(many_gen), C);
    csv += line;
    // the first few runs of each phase for the figure
    if (drawn[phase_label]++ < a.runs_per_phase) {
      TrajectoryPanel p;
      char title[160];
      std::snprintf(title, sizeof title, "%s: eta_enc %.2g, eta_dec %.2g, seed %lld", phase_label.c_str(), eta_enc, eta_dec,
                    (long long)r.run.seed);
      p.title = title;
      TrajectoryPanel::Series mc{"c (within / between) measured", kBlue, 1, true, {}}, mm{"c many-repon", kBlue, 2, false, {}},
          mt{"c two-repon", kBlue, 4, false, {}}, am_s{"a measured", kVermillion, 1, true, {}},
          amm{"a many-repon", kVermillion, 2, false, {}}, b_s{"between-class separation measured", kGreen, 1, false, {}};
      for (size_t i = 0; i < t.size(); ++i) {
        mc.xy.push_back({t[i], cm[i] / cm[0]}), mm.xy.push_back({t[i], many[i].within / many[0].within});
        mt.xy.push_back({t[i], two[i].within / two[0].within}), am_s.xy.push_back({t[i], am[i] / am[0]});
        amm.xy.push_back({t[i], many[i].decoder / many[0].decoder}), b_s.xy.push_back({t[i], bm[i] / bm[0]});
      }
      p.series = {mc, mm, mt, am_s, amm, b_s};
      panels.push_back(std::move(p));
    }
  }
  if (skipped) out.printf("  %d runs without embeddings at step 0 (set train.store_embeddings = true): left out\n", skipped);
  out.printf("\n  initial embeddings rebuilt from the seed match the stored step-0 frame to %.2g\n", max_init_mismatch);
  out.printf("\n  %-14s  %5s  %18s  %18s  %18s\n", "phase", "runs", "k_enc > 0 (attract)", "many-repon: gen", "two-repon: C > 0");
  TheoryTable table{"repon trajectories: per phase, runs whose fitted attraction constant is positive and whose "
                    "repon flows from their own init generalize",
                    {"phase", "runs", "k_enc > 0", "many-repon generalizes", "two-repon C > 0"},
                    {}};
  for (const auto& [ph, c] : by_phase) {
    out.printf("  %-14s  %5d  %18d  %18d  %18d\n", ph.c_str(), c.runs, c.attraction, c.many, c.two);
    table.rows.push_back({ph, std::to_string(c.runs), std::to_string(c.attraction), std::to_string(c.many), std::to_string(c.two)});
  }
  auto share = [&](int x) { return compared ? double(x) / compared : 0.0; };
  auto se = [&](int x) { return compared ? std::sqrt(share(x) * (1 - share(x)) / compared) : 0.0; };
  out.printf("\n  of %d runs that generalize or memorize, the phase is predicted by\n", compared);
  TheoryTable agree{"of the " + std::to_string(compared) + " runs that generalize or memorize, how many each predictor "
                    "puts in their phase (share ± binomial s.e.)",
                    {"predictor", "runs right", "share"},
                    {}};
  for (const auto& [what, x] : {std::pair<const char*, int>{"the sign of the fitted k_enc (attraction: generalize)", agree_sign},
                                {"the many-repon flow from the run's own init", agree_many},
                                {"the two-repon sign of C from the run's own init", agree_two}}) {
    out.printf("    %-54s %3d  (%.2f ± %.2f)\n", what, x, share(x), se(x));
    agree.rows.push_back({what, std::to_string(x), num(share(x), "%.2f") + " ± " + num(se(x), "%.2f")});
  }
  out.tables.push_back(std::move(table));
  out.tables.push_back(std::move(agree));
  const std::string name = a.name.empty() ? in.sweep->name + "-repon-trajectories" : a.name;
  out.printf("  per run: %s\n", write_csv(a.out, name, csv).c_str());
  if (!panels.empty())
    out.figures.push_back(draw_trajectory_panels("Repon trajectories: measured (points) vs repon flows from each run's own init",
                                                 "relative to step 0", panels, 3, a.out, name));
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

void TheoryOutput::print_table(const TheoryTable& table) {
  std::vector<size_t> width(table.header.size());
  for (size_t j = 0; j < width.size(); ++j) {
    width[j] = table.header[j].size();
    for (const auto& row : table.rows) width[j] = std::max(width[j], row[j].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t j = 0; j < row.size(); ++j) printf("%s%-*s", j ? "  " : "", int(width[j]), row[j].c_str());
    printf("\n");
  };
  print_row(table.header);
  for (const auto& row : table.rows) print_row(row);
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
