// geneft theory: what the effective theories predict, printed and drawn beside the measurements.
//   datasize       GenEFT statics: description length, balls into buckets, oracle learner
//   goldilocks     test accuracy against decoder complexity (measured)
//   repons         GenEFT dynamics: two-repon and many-repon boundary vs a measured lr phase diagram
//   parallelograms Liu et al. 2022 effective theory for addition vs measured accuracy
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

#include "cli/commands.h"
#include "core/error.h"
#include "core/input_file.h"
#include "plot/phase_diagram.h"
#include "plot/theory_figures.h"
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
namespace {

// A run config, or a sweep file whose first point stands for the task (and whose runs in the
// store are the measurement).
struct TheoryInput {
  RunConfig config;
  std::optional<SweepDefinition> sweep;
};

TheoryInput load_theory_input(const std::string& path) {
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
  if (!is_sweep) {
    t.config = load_config(path);
    return t;
  }
  t.sweep = load_sweep(path);
  const auto points = expand_sweep(*t.sweep);
  if (points.empty()) throw UserError(path + ": the sweep has no points");
  t.config = points.front().config;
  return t;
}

// The sweep's finished runs in the store, phases by the sweep's own options; empty (with a note)
// when the store or the sweep is not there yet.
std::vector<SweepRow> measured_rows(const std::string& db, const std::optional<SweepDefinition>& sweep,
                                    const std::string& file) {
  if (!sweep) return {};
  if (!std::filesystem::exists(db)) {
    std::fprintf(stderr, "note: no store %s: theory only (run `geneft sweep %s --db %s` to measure)\n", db.c_str(),
                 file.c_str(), db.c_str());
    return {};
  }
  Store store = Store::open_read_only(db);
  const auto def = store.sweep_definition(sweep->name);
  if (!def) {
    std::fprintf(stderr, "note: %s has no sweep '%s': theory only (run `geneft sweep %s --db %s` to measure)\n",
                 db.c_str(), sweep->name.c_str(), file.c_str(), db.c_str());
    return {};
  }
  auto rows = sweep_table(store, sweep->name, PhaseClassifier(parse_stored_sweep(*def).phase));
  const size_t expected = expand_sweep(*sweep).size();
  if (rows.size() < expected)
    std::fprintf(stderr, "note: %zu of the sweep's %zu runs are in %s; using those\n", rows.size(), expected, db.c_str());
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
struct DataSizeArgs {
  std::string file, db = "results.db", out = "fig";
  double alpha = 0.9, threshold = 0.9;
  int splits = 100;
};

void run_datasize(const DataSizeArgs& a) {
  const TheoryInput in = load_theory_input(a.file);
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

  std::printf("relation: %s (task %s), %.0f ordered pairs, base rate p* = %.4f\n", family.describe().c_str(),
              data.name.c_str(), pairs, p_star);
  std::printf("description length b (Baek, Liu, Tegmark 2024, Sec. 3.1):\n");
  std::printf("  exact  %-18s = %8.2f bits\n", b.exact_formula.c_str(), b.exact_bits);
  std::printf("  approx %-18s = %8.2f bits\n", b.approx_formula.c_str(), b.approx_bits);
  std::printf("  graph  %-18s = %8.2f bits (relabellings of this relation)\n", b.isomorphic_formula.c_str(), b.isomorphic_bits);
  std::printf("  (any relation n^2 = %.0f bits; any symmetric relation n(n+1)/2 = %.0f bits)\n",
              generic_relation_bits(family.n), symmetric_relation_bits(family.n));
  std::printf("balls into buckets, f(m) = 1 - (1 - 1/b)^m, alpha = %.2f:\n", a.alpha);
  std::printf("  exact b:  m_c = %.1f samples, critical train fraction m_c/n^2 = %.4f\n", mc, mc / pairs);
  std::printf("  approx b: m_c = %.1f samples, critical train fraction m_c/n^2 = %.4f\n", mc_approx, mc_approx / pairs);
  const double mc_graph = BallsIntoBuckets{b.isomorphic_bits}.critical_samples(a.alpha);
  std::printf("  graph b:  m_c = %.1f samples, critical train fraction m_c/n^2 = %.4f\n", mc_graph, mc_graph / pairs);
  std::printf("  f_UB = f + max(p*, 1-p*)(1 - f); at m_c: %.4f (the accuracy at which critical fractions are read)\n",
              bound_threshold);

  std::vector<double> grid;
  for (int i = 1; i <= 99; ++i) grid.push_back(i / 100.0);
  const auto rows = measured_rows(a.db, in.sweep, a.file);
  const auto measured = group_mean(rows, "task.train_fraction", "final_test_acc");
  for (const auto& m : measured) grid.push_back(m.x);
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  const auto oracle_pts = oracle_curve(family, data, in.config.task, grid, a.splits);
  std::vector<MeanPoint> oracle;
  for (const auto& o : oracle_pts) oracle.push_back({o.train_fraction, o.mean, o.std_error, o.splits});

  std::printf("\n%9s  %24s  %22s  %7s  %7s\n", "fraction", "network test acc", "oracle test acc", "f(m)", "f_UB");
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
  for (double x : table_x) {
    std::string net = "-";
    for (const auto& m : measured)
      if (m.x == x) net = num(m.mean, "%.3f") + " ± " + num(m.std_error, "%.3f") + " (" + std::to_string(m.count) + " seeds)";
    const auto o = oracle_at(x);
    const double f = exact.known_fraction(x * pairs);
    std::printf("%9.2f  %24s  %22s  %7.3f  %7.3f\n", x, net.c_str(), (num(o.mean) + " ± " + num(o.std_error, "%.4f")).c_str(),
                f, accuracy_upper_bound(f, p_star));
  }
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
  std::printf("\n%-40s  %8s  %8s  %8s  %14s\n", "critical train fraction at accuracy", "bound", "oracle", "network",
              "induction gap");
  for (const auto& c : crits) {
    const bool gap = std::isfinite(c.network) && std::isfinite(c.oracle);
    std::printf("%-40s  %8s  %8s  %8s  %14s\n",
                (num(c.threshold) + (&c == &crits[0] ? " (f_UB at m_c)" : "")).c_str(), num(c.bound).c_str(),
                num(c.oracle).c_str(), measured.empty() ? "-" : num(c.network).c_str(),
                measured.empty() ? "-" : gap ? num(c.network - c.oracle, "%+.3f").c_str() : "undefined");
  }
  std::printf("(oracle: %d splits per fraction%s)\n", a.splits,
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
  const std::string name = in.sweep ? in.sweep->name : file_stem(a.file) + "-datasize";
  std::printf("%s\n", draw_datasize_figure(fig, a.out, name).c_str());
}

// ---------------------------------------------------------------------------------------------
struct GoldilocksArgs {
  std::vector<std::string> files;
  std::string db = "results.db", out = "fig", name = "goldilocks";
};

void run_goldilocks(const GoldilocksArgs& a) {
  std::vector<GoldilocksPanel> panels;
  std::string title;
  for (const auto& f : a.files) {
    const TheoryInput in = load_theory_input(f);
    if (!in.sweep || in.sweep->axes.size() != 1)
      throw UserError(f + ": the Goldilocks figure needs a sweep file over one complexity axis (e.g. model.depth)");
    const std::string key = in.sweep->axes[0].key;
    const auto rows = measured_rows(a.db, in.sweep, f);
    if (rows.empty()) throw UserError(f + ": no runs of sweep '" + in.sweep->name + "' in " + a.db);
    GoldilocksPanel p;
    p.axis_label = axis_label(key);
    p.test = group_mean(rows, key, "final_test_acc");
    p.train = group_mean(rows, key, "final_train_acc");
    p.log_x = p.test.back().x / std::max(1e-300, p.test.front().x) >= 10;
    const auto best = std::max_element(p.test.begin(), p.test.end(),
                                       [](const MeanPoint& x, const MeanPoint& y) { return x.mean < y.mean; });
    p.optimum = best->x;
    std::printf("sweep %s (%zu runs, task %s, train fraction %.2f):\n", in.sweep->name.c_str(), rows.size(),
                rows[0].run.task.c_str(), in.config.task.train_fraction);
    std::printf("  %-14s  %22s  %22s\n", key.c_str(), "final test acc", "final train acc");
    for (size_t i = 0; i < p.test.size(); ++i)
      std::printf("  %-14g  %14.3f ± %.3f  %14.3f ± %.3f%s\n", p.test[i].x, p.test[i].mean, p.test[i].std_error,
                  p.train[i].mean, p.train[i].std_error, p.test[i].x == p.optimum ? "   <- optimum" : "");
    title += (title.empty() ? "" : ", ") + in.sweep->name;
    panels.push_back(std::move(p));
  }
  std::printf("%s\n", draw_goldilocks_figure("Goldilocks zone: " + title, panels, a.out, a.name).c_str());
}

// ---------------------------------------------------------------------------------------------
struct ReponArgs {
  std::string file, db = "results.db", out = "fig";
  double sigma_a = -1, sigma_c = -1;
  int samples = 60, decoder_rows = -1;
};

void run_repons(const ReponArgs& a) {
  const TheoryInput in = load_theory_input(a.file);
  const auto& task = in.config.task;
  int classes = 0;
  if (task.kind == "rel_equiv") classes = task.k;
  else if (task.kind == "rel_bipartite") classes = 2;
  else
    throw UserError("no repon theory for task.kind = \"" + task.kind +
                    "\": geneft theory repons supports rel_equiv and rel_bipartite (relations whose nodes fall into classes)");
  if (in.sweep) {
    std::set<std::string> keys;
    for (const auto& ax : in.sweep->axes) keys.insert(ax.key);
    if (!keys.count("optim.encoder_lr") || !keys.count("optim.decoder_lr"))
      throw UserError(a.file + ": geneft theory repons needs a run config, or a sweep over optim.encoder_lr and optim.decoder_lr");
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
  std::printf("two-repon theory (Baek, Liu, Tegmark 2024, Sec. 4): C = a^2/(2 eta_dec) - c^2/eta_enc\n");
  std::printf("  init scales: sigma_a = %.4f (%s), sigma_c = %.4f (%s)\n", init.sigma_a,
              a.sigma_a > 0 ? "--sigma-a" : "first decoder layer", init.sigma_c,
              a.sigma_c > 0 ? "--sigma-c" : "half-separation of two embeddings");
  std::printf("  P(generalize) = (2/pi) arctan((sigma_a/sigma_c) sqrt(eta_enc/(2 eta_dec)))\n");
  std::printf("  boundary P = 1/2: log10(eta_dec/eta_enc) = %.3f, a line of slope 1 in log-log\n", x_two);
  std::printf("  dP/dlog10(ratio) at the boundary = %.4f (logistic-equivalent slope %.3f per decade)\n", dpdx, 4 * dpdx);

  // The decoder that reads the repons is the network's first layer: width rows on each embedding.
  ManyReponSetup setup{task.n, classes, m.embed_dim, a.decoder_rows > 0 ? a.decoder_rows : m.width, sigma_e, init.sigma_a};
  const ManyReponSimulation sim(setup);
  std::vector<double> xs;
  for (double x = -3; x <= 3.0001; x += 0.25) xs.push_back(x);
  const auto many = simulate_repon_boundary(sim, xs, a.samples, 1);
  std::printf("many-repon simulation: %d repons in %d classes, d = %d, decoder %d x %d, %d initial conditions per ratio\n",
              setup.repons, setup.classes, setup.dim, setup.decoder_rows, setup.dim, a.samples);
  std::printf("  %8s  %8s  %8s\n", "log10 r", "P many", "P two");
  for (size_t i = 0; i < xs.size(); ++i)
    std::printf("  %8.2f  %5.3f±%.3f  %8.3f\n", xs[i], many.probability[i], many.std_error[i],
                generalization_probability(1, std::pow(10.0, xs[i]), init));
  std::printf("  boundary P = 1/2: log10(eta_dec/eta_enc) = %s\n", num(many.crossing).c_str());
  // steepness of the simulated transition: the same logistic fit as for the measurement
  std::vector<std::vector<double>> sim_x;
  std::vector<int> sim_y;
  for (size_t i = 0; i < xs.size(); ++i) {
    const int hits = int(std::lround(many.probability[i] * a.samples));
    for (int k = 0; k < a.samples; ++k) sim_x.push_back({xs[i]}), sim_y.push_back(k < hits);
  }
  const LogisticFit many_fit = fit_logistic(sim_x, sim_y);
  std::printf("  logistic fit to the simulation: beta1 = %.3f ± %.3f per decade\n", many_fit.coef[1], many_fit.std_error[1]);

  LrBoundaryFigure fig;
  fig.title = "Repon theory vs measured learning-rate phase diagram";
  for (double x = -3.5; x <= 3.5001; x += 0.05) fig.two_repon.push_back({x, generalization_probability(1, std::pow(10.0, x), init)});
  for (size_t i = 0; i < xs.size(); ++i) fig.many_repon.push_back({xs[i], many.probability[i], many.std_error[i], a.samples});

  const auto rows = measured_rows(a.db, in.sweep, a.file);
  if (rows.empty()) {
    std::printf("no measured runs: nothing to overlay (the figure needs a sweep over optim.encoder_lr x optim.decoder_lr)\n");
    return;
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
  std::printf("\nmeasured: sweep %s, %zu runs, %d generalize (comprehension or grokking)\n", in.sweep->name.c_str(),
              rows.size(), generalized);
  if (generalized == 0 || generalized == int(rows.size())) {
    std::printf("  every run has the same outcome: no boundary to fit\n");
    return;
  }
  const LogisticFit f1 = fit_logistic(by_ratio, y), f2 = fit_logistic(by_both, y);
  const double b0 = f1.coef[0], b1 = f1.coef[1];
  const double x0 = -b0 / b1, x0_se = delta_method_std_error(f1, {-1 / b1, b0 / (b1 * b1)});
  const double be = f2.coef[1], bd = f2.coef[2];
  const double slope2 = -be / bd, slope2_se = delta_method_std_error(f2, {0, -1 / bd, be / (bd * bd)});
  const double off2 = -f2.coef[0] / bd, off2_se = delta_method_std_error(f2, {-1 / bd, 0, f2.coef[0] / (bd * bd)});
  std::printf("  logistic fit on x = log10(eta_dec/eta_enc): beta0 = %.3f ± %.3f, beta1 = %.3f ± %.3f%s\n", b0,
              f1.std_error[0], b1, f1.std_error[1], f1.separable ? " (separable: ridge-limited)" : "");
  std::printf("  logistic fit on (log10 eta_enc, log10 eta_dec): boundary log10 eta_dec = %.3f log10 eta_enc %+.3f%s\n",
              slope2, off2, f2.separable ? " (separable: ridge-limited)" : "");
  std::printf("\n  %-44s  %10s  %10s  %16s\n", "", "two-repon", "many-repon", "measured");
  std::printf("  %-44s  %10.3f  %10s  %9.3f ± %.3f\n", "boundary offset x0 = log10(eta_dec/eta_enc)", x_two,
              num(many.crossing).c_str(), x0, x0_se);
  std::printf("  %-44s  %10.3f  %10.3f  %9.3f ± %.3f\n", "logistic slope beta1 (per decade of ratio)", 4 * dpdx,
              many_fit.coef[1], b1, f1.std_error[1]);
  std::printf("  %-44s  %10.3f  %10.3f  %9.3f ± %.3f\n", "boundary slope in log-log (eta_enc, eta_dec)", 1.0, 1.0, slope2,
              slope2_se);
  std::printf("  %-44s  %10.3f  %10s  %9.3f ± %.3f\n", "boundary offset at eta_enc = 1 (log10 eta_dec)", x_two,
              num(many.crossing).c_str(), off2, off2_se);
  for (double x = -3.5; x <= 3.5001; x += 0.05) fig.fitted.push_back({x, 1 / (1 + std::exp(-(b0 + b1 * x)))});
  fig.lines = {{"measured boundary (logistic on both logs)", slope2, off2},
               {"two-repon prediction", 1.0, x_two}};
  if (std::isfinite(many.crossing)) fig.lines.push_back({"many-repon prediction", 1.0, many.crossing});
  fig.lines.push_back({"measured boundary (logistic on the ratio)", 1.0, x0});
  std::printf("%s\n", draw_lr_boundary_figure(fig, a.out, in.sweep->name + "-repons").c_str());
}

// ---------------------------------------------------------------------------------------------
struct ParallelogramArgs {
  std::string file, db = "results.db", out = "fig";
  int sets = 200;
};

void run_parallelograms(const ParallelogramArgs& a) {
  const TheoryInput in = load_theory_input(a.file);
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
  std::printf("Liu et al. 2022 effective theory, addition of 0..%d (%d samples, %zu parallelograms in all):\n", task.p - 1,
              total, addition_parallelograms(task.p).size());
  std::printf("  representation determined up to E_k = u + v k when the training parallelograms have rank p - 2 = %d\n",
              task.p - 2);
  std::printf("  predicted critical training-set size (P(determined) = 1/2): %s samples = fraction %s\n",
              num(crit, "%.1f").c_str(), num(crit / total, "%.3f").c_str());

  ParallelogramFigure fig;
  fig.title = "Liu et al. 2022 toy: effective theory vs measurement";
  fig.total_samples = total, fig.critical_count = crit;
  for (const auto& c : curve) {
    fig.predicted_accuracy.push_back({double(c.train_count), c.accuracy, c.accuracy_se, c.sets});
    fig.p_determined.push_back({double(c.train_count), c.p_determined, c.p_determined_se, c.sets});
  }
  const auto rows = measured_rows(a.db, in.sweep, a.file);
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
  std::printf("\n%6s  %9s  %16s  %18s  %18s  %9s  %9s\n", "size", "P(det)", "predicted acc", "predicted (seeds)",
              "measured acc", "RQI", "l_eff");
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
    std::printf("%6d  %9.3f  %8.3f ± %.3f  %18s  %18s  %9s  %9s\n", m, c.p_determined, c.accuracy, c.accuracy_se,
                cell(seed_pred, m, "%.3f").c_str(), cell(measured, m, "%.3f").c_str(), cell(rqi, m, "%.2f").c_str(),
                cell(leff, m, "%.1e").c_str());
  }
  if (!rows.empty()) {
    std::vector<MeanPoint> meas = fig.measured;
    const double crit_meas = first_crossing(meas, 0.9);
    std::printf("measured: first size where mean test accuracy >= 0.9: %s (predicted critical size %s)\n",
                num(crit_meas, "%.1f").c_str(), num(crit, "%.1f").c_str());
  }
  const std::string name = in.sweep ? in.sweep->name : file_stem(a.file) + "-parallelograms";
  std::printf("%s\n", draw_parallelogram_figure(fig, a.out, name).c_str());
}

}  // namespace

void add_theory_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("theory", "what the effective theories predict, beside the measurements");
  cmd->require_subcommand(1);

  auto d = std::make_shared<DataSizeArgs>();
  CLI::App* ds = cmd->add_subcommand(
      "datasize", "GenEFT statics: description length b, balls into buckets f(m), critical fraction, f_UB, oracle learner "
                  "(tasks: rel_equiv, rel_greater, rel_bipartite)");
  ds->add_option("config", d->file, "run config, or a sweep file over task.train_fraction (its runs are the measurement)")
      ->required();
  ds->add_option("--db", d->db, "results store with the sweep's runs")->capture_default_str();
  ds->add_option("--alpha", d->alpha, "known fraction that defines the critical data size")->capture_default_str();
  ds->add_option("--threshold", d->threshold, "a second accuracy at which critical fractions are read (the first is f_UB at m_c)")
      ->capture_default_str();
  ds->add_option("--splits", d->splits, "random splits per train fraction for the oracle")->capture_default_str();
  ds->add_option("-o,--out", d->out, "output folder for the figure")->capture_default_str();
  ds->callback([d] { run_datasize(*d); });

  auto g = std::make_shared<GoldilocksArgs>();
  CLI::App* gz = cmd->add_subcommand("goldilocks", "final test accuracy against decoder complexity (one panel per sweep)");
  gz->add_option("sweeps", g->files, "sweep files over one complexity axis (model.depth, model.width)")->required();
  gz->add_option("--db", g->db, "results store")->capture_default_str();
  gz->add_option("--name", g->name, "figure file name")->capture_default_str();
  gz->add_option("-o,--out", g->out, "output folder for the figure")->capture_default_str();
  gz->callback([g] { run_goldilocks(*g); });

  auto r = std::make_shared<ReponArgs>();
  CLI::App* rp = cmd->add_subcommand(
      "repons", "GenEFT dynamics: two-repon closed form and many-repon simulation of the encoder/decoder learning-rate "
                "boundary, fitted against a measured sweep (tasks: rel_equiv, rel_bipartite)");
  rp->add_option("config", r->file, "run config, or a sweep file over optim.encoder_lr x optim.decoder_lr")->required();
  rp->add_option("--db", r->db, "results store")->capture_default_str();
  rp->add_option("--sigma-a", r->sigma_a, "init std of the decoder weight a (default: from the config)");
  rp->add_option("--sigma-c", r->sigma_c, "init std of the half-separation c (default: from the config)");
  rp->add_option("--samples", r->samples, "many-repon initial conditions per learning-rate ratio")->capture_default_str();
  rp->add_option("--decoder-rows", r->decoder_rows, "rows of the many-repon linear decoder (default: model.width)");
  rp->add_option("-o,--out", r->out, "output folder for the figure")->capture_default_str();
  rp->callback([r] { run_repons(*r); });

  auto p = std::make_shared<ParallelogramArgs>();
  CLI::App* pg = cmd->add_subcommand(
      "parallelograms", "Liu et al. 2022 effective theory: parallelograms, determined representation, predicted test "
                        "accuracy and critical training-set size (task: plain_add)");
  pg->add_option("config", p->file, "run config, or a sweep file over task.train_count")->required();
  pg->add_option("--db", p->db, "results store")->capture_default_str();
  pg->add_option("--sets", p->sets, "random training sets per size")->capture_default_str();
  pg->add_option("-o,--out", p->out, "output folder for the figure")->capture_default_str();
  pg->callback([p] { run_parallelograms(*p); });
}

}  // namespace geneft
