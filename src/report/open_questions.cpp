#include "report/open_questions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/hash.h"
#include "nn/models/registry.h"
#include "plot/phase_diagram.h"
#include "plot/theory_figures.h"
#include "sweep/sweep_table.h"
#include "tasks/task.h"
#include "theory/curve_crossing.h"
#include "theory/goldilocks_edges.h"
#include "theory/oracle_learner.h"
#include "theory/phase_stripes.h"
#include "theory/relation_family.h"

namespace geneft {
namespace {

bool generalized(const SweepRow& r) { return r.phase.phase == Phase::Comprehension || r.phase.phase == Phase::Grokking; }

// |z| at which a line is a stripe: lines x erfc(|z|/sqrt 2) = alpha, by bisection.
double z_critical(size_t lines, double alpha) {
  double lo = 0, hi = 40;
  for (int i = 0; i < 100; ++i) {
    const double z = (lo + hi) / 2;
    (double(lines) * std::erfc(z / std::numbers::sqrt2) > alpha ? lo : hi) = z;
  }
  return hi;
}

}  // namespace

TheoryOutput stripes_overlay(const TheoryInput& in, const StripesOptions& a) {
  TheoryOutput out;
  if (!in.sweep || in.sweep->axes.size() != 2)
    throw UserError(in.source + ": the stripe test needs a sweep over two axes (e.g. optim.encoder_lr x optim.decoder_lr)");
  const std::string kx = in.sweep->axes[0], ky = in.sweep->axes[1];
  const auto rows = measured_rows(out, a.db, in);
  if (rows.empty()) throw UserError(in.source + ": no runs of sweep '" + in.sweep->name + "' in " + a.db);
  for (const auto& r : rows)
    if (!(r.number(kx) > 0 && r.number(ky) > 0)) throw UserError(in.source + ": the stripe test needs positive axis values (log axes)");

  // Each diagram takes runs per cell from the stored seeds. Each seed's own diagram: one split and
  // one initialization in every cell. One seed per column (column i: the i-th seed mod the number
  // of seeds), per row, or per cell (drawn by a hash of the cell): the seed changes between lines,
  // or between cells, but not along a line. All seeds pooled.
  struct Diagram {
    std::string label;
    std::map<std::pair<double, double>, std::vector<const SweepRow*>> cells;
  };
  std::map<std::pair<double, double>, std::map<int64_t, const SweepRow*>> grid;
  std::set<int64_t> seed_set;
  std::set<double> xs, ys;
  for (const auto& r : rows) {
    grid[{r.number(kx), r.number(ky)}][r.run.seed] = &r;
    seed_set.insert(r.run.seed), xs.insert(r.number(kx)), ys.insert(r.number(ky));
  }
  const std::vector<int64_t> seeds(seed_set.begin(), seed_set.end());
  auto index_of = [](const std::set<double>& v, double a) { return size_t(std::distance(v.begin(), v.find(a))); };
  auto diagram = [&](const std::string& label, auto pick) {  // pick(cell, column, row) -> seed
    Diagram d{label, {}};
    for (const auto& [xy, by_seed] : grid) {
      const auto it = by_seed.find(pick(xy, index_of(xs, xy.first), index_of(ys, xy.second)));
      if (it != by_seed.end()) d.cells[xy].push_back(it->second);
    }
    return d;
  };
  std::vector<Diagram> diagrams;
  for (int64_t s : seeds) diagrams.push_back(diagram("seed " + std::to_string(s) + " in every cell", [&](auto, size_t, size_t) { return s; }));
  if (seeds.size() > 1) {
    const size_t n = seeds.size();
    diagrams.push_back(diagram("seed per column (i mod " + std::to_string(n) + ")", [&](auto, size_t i, size_t) { return seeds[i % n]; }));
    diagrams.push_back(diagram("seed per row (j mod " + std::to_string(n) + ")", [&](auto, size_t, size_t j) { return seeds[j % n]; }));
    diagrams.push_back(diagram("seed per cell (hashed)", [&](const std::pair<double, double>& xy, size_t, size_t) {
      char key[64];
      std::snprintf(key, sizeof key, "%.9g %.9g", xy.first, xy.second);
      return seeds[size_t(std::stoul(sha256_hex(key).substr(0, 8), nullptr, 16)) % n];
    }));
    Diagram all{"all " + std::to_string(n) + " seeds pooled", {}};
    for (const auto& r : rows) all.cells[{r.number(kx), r.number(ky)}].push_back(&r);
    diagrams.push_back(std::move(all));
  }

  StripeFigure fig;
  fig.title = "Stripes in the phase diagram of " + in.sweep->name + " (dashed: stripes)";
  fig.x_label = kx, fig.y_label = ky;
  const StripeOptions so{a.floor, a.alpha};
  out.printf("stripe test (Baek, Liu, Tegmark 2024, Fig. 4, open question): sweep %s, %zu runs, %s x %s\n",
             in.sweep->name.c_str(), rows.size(), kx.c_str(), ky.c_str());
  out.printf("a run generalizes when its phase is comprehension or grokking; smooth boundary: logistic in (log10 x, log10 y);\n"
             "a line is a stripe when its Bonferroni-corrected p < %.3g (probabilities clamped to [%.3g, %.3g])\n\n",
             a.alpha, a.floor, 1 - a.floor);
  TheoryTable summary{"stripes per diagram: lines whose share of generalizing runs departs from a smooth logistic boundary",
                      {"diagram", "runs", "boundary slope", "column stripes (at log10 x, z)", "max |z| columns",
                       "row stripes (at log10 y, z)", "max |z| rows"},
                      {}};
  for (const auto& d : diagrams) {
    std::vector<StripeCell> cells;
    StripeDiagram sd{d.label, {}, {}, {}, {}, {}};
    size_t runs = 0;
    for (const auto& [xy, rs] : d.cells) {
      StripeCell c{std::log10(xy.first), std::log10(xy.second), 0, int(rs.size())};
      for (const auto* r : rs) c.generalized += generalized(*r);
      runs += rs.size();
      cells.push_back(c);
      sd.cells.push_back({c.x, c.y, double(c.generalized) / c.runs});
    }
    const StripeTest t = stripe_test(cells, so);
    auto list = [](const std::vector<StripeLine>& lines, std::vector<double>& marks) {
      std::string s;
      for (const auto& l : lines)
        if (l.stripe) {
          char b[64];
          std::snprintf(b, sizeof b, "%s%.2f (%+.1f)", s.empty() ? "" : ", ", l.at, l.z);
          s += b;
          marks.push_back(l.at);
        }
      return s.empty() ? std::string("none") : s;
    };
    for (const auto& l : t.columns) sd.column_z.push_back({l.at, l.z});
    for (const auto& l : t.rows) sd.row_z.push_back({l.at, l.z});
    const double slope = -t.fit.coef[1] / t.fit.coef[2];
    const auto& row = summary.rows.emplace_back(std::vector<std::string>{
        d.label, std::to_string(runs), num(slope, "%.2f"), list(t.columns, sd.stripe_columns), num(t.max_column_z, "%.1f"),
        list(t.rows, sd.stripe_rows), num(t.max_row_z, "%.1f")});
    out.printf("%-36s %4s runs  boundary slope %5s\n  column stripes: %s (max |z| %s)\n  row stripes:    %s (max |z| %s)\n",
               row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str(), row[5].c_str(),
               row[6].c_str());
    for (const auto* lines : {&t.columns, &t.rows}) {
      out.printf("  z by %s:", lines == &t.columns ? "column" : "row   ");
      for (const auto& l : *lines) out.printf(" %+.1f", l.z);
      out.printf("\n");
    }
    fig.z_column = z_critical(t.columns.size(), a.alpha), fig.z_row = z_critical(t.rows.size(), a.alpha);
    fig.diagrams.push_back(std::move(sd));
  }
  out.tables.push_back(std::move(summary));
  // seed-to-seed agreement, cell by cell
  std::map<std::pair<double, double>, std::vector<int>> by_cell;
  for (const auto& r : rows) by_cell[{r.number(kx), r.number(ky)}].push_back(generalized(r));
  int agree = 0;
  for (const auto& [xy, v] : by_cell) agree += std::count(v.begin(), v.end(), v[0]) == long(v.size());
  out.printf("\ncells where every seed has the same outcome: %d of %zu; a line is a stripe at |z| > %.2f\n", agree,
             by_cell.size(), fig.z_column);
  const std::string name = a.name.empty() ? in.sweep->name + "-stripes" : a.name;
  out.figures.push_back(draw_stripe_figure(fig, a.out, name));
  return out;
}

// ---------------------------------------------------------------------------------------------
namespace {

// Decoder parameters of a run's model: the decoder group of the Model interface.
size_t decoder_parameters(const RunConfig& cfg) {
  const Dataset data = make_dataset(cfg.task);
  if (cfg.model.dtype == "float64") return make_model<double>(cfg, data, 1)->decoder().size;
  return make_model<float>(cfg, data, 1)->decoder().size;
}

std::string pm(double v, double se, const char* fmt = "%.3f") { return num(v, fmt) + " ± " + num(se, "%.3f"); }

}  // namespace

TheoryOutput induction_gap_overlay(const std::vector<TheoryInput>& sweeps, const InductionGapOptions& a) {
  TheoryOutput out;
  if (sweeps.empty()) throw UserError("give data-size sweeps over task.train_fraction and decoder axes");
  if (!(a.level > 0 && a.level < 1)) throw UserError("--level must lie in (0, 1)");
  // one decoder: a relation, a combiner, a width and a depth; its runs over train fractions
  struct Decoder {
    std::string relation, combiner;
    int width = 0, depth = 0;
    size_t parameters = 0;
    std::map<double, std::vector<double>> test_acc;  // by train fraction, one per seed
    std::set<std::string> sweeps;
  };
  std::map<std::tuple<std::string, std::string, int, int>, Decoder> decoders;
  std::map<std::string, CrossingEstimate> oracle;  // by relation
  for (const auto& in : sweeps) {
    if (!in.sweep || std::find(in.sweep->axes.begin(), in.sweep->axes.end(), "task.train_fraction") == in.sweep->axes.end())
      throw UserError(in.source + ": the induction gap needs a sweep over task.train_fraction (and decoder axes)");
    const RelationFamilySpec family = relation_family_of(in.config.task);
    const std::string relation = make_dataset(in.config.task).name;
    const auto rows = measured_rows(out, a.db, in);
    for (const auto& r : rows) {
      const RunConfig cfg = parse_config(r.run.config, "store run " + r.run.id);
      auto& d = decoders[{relation, cfg.model.combiner, cfg.model.width, cfg.model.depth}];
      if (d.relation.empty()) {
        d.relation = relation, d.combiner = cfg.model.combiner, d.width = cfg.model.width, d.depth = cfg.model.depth;
        d.parameters = decoder_parameters(cfg);
      }
      if (std::isfinite(r.run.final.test_acc)) d.test_acc[cfg.task.train_fraction].push_back(r.run.final.test_acc);
      d.sweeps.insert(in.sweep->name);
    }
    if (!oracle.count(relation)) {  // Monte Carlo over splits, read at the same level
      const Dataset data = make_dataset(in.config.task);
      std::vector<double> grid;
      for (int i = 1; i <= 99; ++i) grid.push_back(i / 100.0);
      std::vector<CurvePoint> curve;
      for (const auto& o : oracle_curve(family, data, in.config.task, grid, a.splits))
        curve.push_back({o.train_fraction, o.mean, o.std_error});
      oracle[relation] = bootstrap_crossing(curve, a.level, CrossingDirection::Rising, false, a.resamples, 1);
    }
  }
  if (decoders.empty()) throw UserError("no runs of these sweeps in " + a.db);

  out.printf("induction gap (Baek, Liu, Tegmark 2024, Sec. 3) = network's critical train fraction - oracle's, "
             "both where mean test accuracy reaches %.3g\n", a.level);
  out.printf("(network: mean over seeds, s.e. by a parametric bootstrap over the seeds' spread; oracle: %d splits per "
             "fraction)\n\n", a.splits);
  for (const auto& [rel, o] : oracle)
    out.printf("oracle learner, %s: critical fraction %s\n", rel.c_str(), pm(o.value, o.std_error).c_str());
  TheoryTable table{"induction gap against decoder size: critical train fraction (mean test accuracy >= level) of the "
                    "network and of the oracle learner, ± s.e.",
                    {"relation", "combiner", "width", "depth", "decoder params", "network critical", "oracle critical",
                     "induction gap"},
                    {}};
  // series for the figure and the trend: one per sweep (a relation, one decoder axis) and
  // combiner, against log10 decoder parameters
  std::map<std::pair<std::string, std::string>, std::vector<CurvePoint>> trend;
  std::map<std::pair<std::string, std::string>, std::vector<MeanPoint>> drawn;
  std::map<std::string, std::string> axis_of;  // sweep -> its decoder axis
  for (const auto& in : sweeps)
    for (const auto& ax : in.sweep->axes)
      if (ax != "task.train_fraction" && ax != "model.combiner") axis_of[in.sweep->name] = ax;
  out.printf("\n%-20s %-7s %5s %5s %7s  %16s  %16s  %16s\n", "relation", "comb", "width", "depth", "params", "network",
             "oracle", "gap");
  for (const auto& [key, d] : decoders) {
    std::vector<CurvePoint> curve;
    for (const auto& [f, v] : d.test_acc) curve.push_back(curve_point(f, v));
    const CrossingEstimate net = bootstrap_crossing(curve, a.level, CrossingDirection::Rising, false, a.resamples, 2);
    const CrossingEstimate& o = oracle.at(d.relation);
    const double gap = net.value - o.value, gap_se = std::hypot(net.std_error, o.std_error);
    const auto& row = table.rows.emplace_back(std::vector<std::string>{
        d.relation, d.combiner, std::to_string(d.width), std::to_string(d.depth), std::to_string(d.parameters),
        pm(net.value, net.std_error) + (net.reached < 0.95 ? " (reached in " + num(100 * net.reached, "%.0f") + "%)" : ""),
        pm(o.value, o.std_error), std::isfinite(gap) ? pm(gap, gap_se, "%+.3f") : "undefined"});
    out.printf("%-20s %-7s %5s %5s %7s  %16s  %16s  %16s\n", row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(),
               row[4].c_str(), row[5].c_str(), row[6].c_str(), row[7].c_str());
    if (std::isfinite(gap))
      for (const auto& sw : d.sweeps) {
        const std::string series = sw + " (" + (axis_of.count(sw) ? axis_of[sw] : "one decoder") + ")";
        trend[{series, d.combiner}].push_back({std::log10(double(d.parameters)), gap, gap_se});
        drawn[{series, d.combiner}].push_back({double(d.parameters), gap, gap_se, 0});
      }
  }
  out.tables.push_back(std::move(table));
  TheoryTable slopes{"trend of the induction gap: weighted straight line against log10(decoder parameters), ± s.e.",
                     {"sweep (decoder axis)", "combiner", "decoders", "slope per decade", "chi2/dof"},
                     {}};
  out.printf("\ntrend: gap = a + b log10(decoder parameters)\n");
  for (const auto& [key, pts] : trend) {
    std::set<double> distinct;
    for (const auto& p : pts) distinct.insert(p.x);
    if (distinct.size() < 2) continue;
    const LineFit f = fit_line(pts);
    const auto& row = slopes.rows.emplace_back(std::vector<std::string>{
        key.first, key.second, std::to_string(f.points), pm(f.slope, f.slope_se, "%+.3f"), num(f.chi2_per_dof, "%.2f")});
    out.printf("  %-44s %-7s %2s decoders: b = %s per decade (chi2/dof %s)\n", row[0].c_str(), row[1].c_str(),
               row[2].c_str(), row[3].c_str(), row[4].c_str());
  }
  out.tables.push_back(std::move(slopes));

  SeriesPanel panel;
  panel.title = "induction gap at mean test accuracy " + num(a.level, "%.2f");
  panel.x_label = "decoder parameters", panel.y_label = "network critical fraction - oracle critical fraction";
  panel.log_x = true;
  for (auto& [key, pts] : drawn) {
    std::sort(pts.begin(), pts.end(), [](const MeanPoint& p, const MeanPoint& q) { return p.x < q.x; });
    panel.series.push_back({key.first + ", " + key.second, pts});
  }
  panel.levels.push_back({"no gap", 0.0});
  out.figures.push_back(draw_series_figure("GenEFT open question 3: does a simpler decoder have a smaller induction gap?",
                                           {panel}, a.out, a.name));
  return out;
}

// ---------------------------------------------------------------------------------------------
TheoryOutput goldilocks_edges_overlay(const std::vector<TheoryInput>& sweeps, const GoldilocksEdgesOptions& a) {
  TheoryOutput out;
  if (sweeps.empty()) throw UserError("give sweeps over task.train_fraction and model.width or model.depth");
  if (!(a.share > 0 && a.share < 1)) throw UserError("--share must lie in (0, 1)");
  out.printf("Goldilocks zone edges (Baek, Liu, Tegmark 2024): at each train fraction, the decoder sizes where mean test "
             "accuracy rises above and falls below\nthe level r + %.2f (peak - r), r the majority-label accuracy "
             "(s.e. by a parametric bootstrap over seeds);\npredicted lower edge: the smallest decoder that represents the "
             "relation; predicted upper edge: decoder parameters = training labels\n",
             a.share);
  TheoryTable table{"Goldilocks zone edges: measured (± s.e.) and predicted, per decoder axis and train fraction",
                    {"axis", "train fraction", "labels m", "peak (size: test acc)", "level", "lower edge", "predicted lower",
                     "upper edge", "predicted upper (params = m)"},
                    {}};
  std::vector<SeriesPanel> panels;
  for (const auto& in : sweeps) {
    std::string axis;
    if (in.sweep)
      for (const auto& ax : in.sweep->axes)
        if (ax == "model.width" || ax == "model.depth") axis = ax;
    if (axis.empty() || std::find(in.sweep->axes.begin(), in.sweep->axes.end(), "task.train_fraction") == in.sweep->axes.end())
      throw UserError(in.source + ": the zone edges need a sweep over task.train_fraction and model.width or model.depth");
    const auto rows = measured_rows(out, a.db, in);
    if (rows.empty()) throw UserError(in.source + ": no runs of sweep '" + in.sweep->name + "' in " + a.db);
    const RelationFamilySpec family = relation_family_of(in.config.task);
    const Dataset data = make_dataset(in.config.task);
    const double p_star = base_rate(data), majority = std::max(p_star, 1 - p_star);
    const RepresentingDecoder floor = smallest_representing_decoder(family, in.config.model.combiner);
    const bool width = axis == "model.width";
    const bool log_x = width;
    // accuracy by fraction and size; parameter count by size
    std::map<double, std::map<double, std::vector<double>>> acc;
    std::map<double, double> params;
    std::map<double, int> labels;
    for (const auto& r : rows) {
      const RunConfig cfg = parse_config(r.run.config, "store run " + r.run.id);
      const double size = width ? cfg.model.width : cfg.model.depth;
      if (std::isfinite(r.run.final.test_acc)) acc[cfg.task.train_fraction][size].push_back(r.run.final.test_acc);
      if (!params.count(size)) params[size] = double(decoder_parameters(cfg));
      labels[cfg.task.train_fraction] = int(r.run.train_size);
    }
    std::vector<std::pair<double, double>> size_params(params.begin(), params.end());
    SeriesPanel panel;
    panel.title = in.sweep->name + ": test accuracy against " + axis + " (solid: measured edges; dashed: predicted)";
    panel.x_label = axis_label(axis), panel.y_label = "final test accuracy (mean ± s.e. over seeds)";
    panel.log_x = log_x && size_params.front().first > 0, panel.y_min = 0.4, panel.y_max = 1.02;
    out.printf("\nsweep %s (%s, combiner %s): predicted lower edge %s %d (%s)\n", in.sweep->name.c_str(), data.name.c_str(),
               in.config.model.combiner.c_str(), width ? "width" : "depth", width ? floor.width : floor.depth,
               floor.why.c_str());
    out.printf("  %8s %6s %22s %7s %18s %9s %18s %14s\n", "fraction", "m", "peak", "level", "lower edge", "predicted",
               "upper edge", "predicted (P=m)");
    for (const auto& [fraction, by_size] : acc) {
      std::vector<CurvePoint> curve;
      std::vector<MeanPoint> drawn;
      for (const auto& [size, v] : by_size) {
        curve.push_back(curve_point(size, v));
        drawn.push_back({size, curve.back().mean, curve.back().std_error, int(v.size())});
      }
      const auto peak = *std::max_element(curve.begin(), curve.end(),
                                          [](const CurvePoint& p, const CurvePoint& q) { return p.mean < q.mean; });
      const double level = majority + a.share * (peak.mean - majority);
      const auto lower = bootstrap_crossing(curve, level, CrossingDirection::Rising, panel.log_x, a.resamples, 3);
      const auto upper = bootstrap_crossing(curve, level, CrossingDirection::Falling, panel.log_x, a.resamples, 4);
      const int m = labels[fraction];
      const double predicted_upper = memorizing_size(size_params, m);
      const double predicted_lower = width ? floor.width : floor.depth;
      char peak_text[64];
      std::snprintf(peak_text, sizeof peak_text, "%g: %.3f ± %.3f", peak.x, peak.mean, peak.std_error);
      auto edge = [&](const CrossingEstimate& e, const char* none) {
        if (!std::isfinite(e.value)) return std::string(none);
        return pm(e.value, e.std_error, "%.2f") + (e.reached < 0.95 ? " (" + num(100 * e.reached, "%.0f") + "%)" : "");
      };
      const auto& row = table.rows.emplace_back(std::vector<std::string>{
          axis, num(fraction, "%.2f"), std::to_string(m), peak_text, num(level), edge(lower, "below the grid"),
          num(predicted_lower, "%g"), edge(upper, "open (above the grid)"),
          std::isfinite(predicted_upper) ? num(predicted_upper, "%.2f") : "outside the grid"});
      out.printf("  %8s %6s %22s %7s %18s %9s %18s %14s\n", row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str(),
                 row[5].c_str(), row[6].c_str(), row[7].c_str(), row[8].c_str());
      const size_t k = panel.series.size();
      panel.series.push_back({"train fraction " + num(fraction, "%.2f"), drawn});
      if (std::isfinite(lower.value)) panel.markers.push_back({lower.value, k, false});
      if (std::isfinite(upper.value)) panel.markers.push_back({upper.value, k, false});
      if (std::isfinite(predicted_upper)) panel.markers.push_back({predicted_upper, k, true});
    }
    panel.markers.push_back({width ? double(floor.width) : double(floor.depth), 7, true});  // black: the same at every fraction
    panel.levels.push_back({"majority-label accuracy", majority});
    panels.push_back(std::move(panel));
  }
  out.tables.push_back(std::move(table));
  out.figures.push_back(draw_series_figure("GenEFT open question 4: what sets the width of the Goldilocks zone?", panels,
                                           a.out, a.name));
  return out;
}

}  // namespace geneft
