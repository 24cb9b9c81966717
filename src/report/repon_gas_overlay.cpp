#include "report/repon_gas_overlay.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "plot/theory_figures.h"
#include "theory/repon_gas.h"

namespace geneft {
namespace {

// One repon gas: its measured boundary and the two predictions for it.
struct GasRow {
  const LrBoundaryResult* result;
  int repons, classes, dim, rows;
  double density;
  ReponThresholds closed;
  double scale_ratio;  // log10(m sigma_a^2 / ((n - k) sigma_x^2)), the large-gas limit
};

double combined_z(double a, double sa, double b, double sb) { return (a - b) / std::sqrt(sa * sa + sb * sb); }

}  // namespace

TheoryOutput repon_gas_overlay(const std::vector<TheoryInput>& sweeps, const ReponGasOptions& a) {
  if (a.closed_samples < 10) throw UserError("--closed-samples must be at least 10");
  TheoryOutput out;
  const auto results = lr_boundary_results(out, sweeps, {a.db, a.out, a.name, a.samples, a.mc_samples, a.decoder_rows});
  out.printf("overparameterization as a repon gas (Baek, Liu, Tegmark 2024, Sec. 4; GenEFT open question 5)\n");
  out.printf("density rho = repons per unit volume of the embeddings' init law (exp of its entropy in d dimensions)\n");
  out.printf("measured: the logistic fits of `geneft theory boundaries`; predicted: the many-repon simulation (%d initial\n"
             "  conditions, bisection) and its closed form x* = log10 lambda_max(S^-1 A^T A) (%lld initial conditions)\n",
             a.samples, (long long)a.closed_samples);
  std::vector<GasRow> gases;
  for (const auto& r : results) {
    if (!r.gas) {
      out.printf("note: %s: the nodes fall into no classes, no repon gas: left out\n", r.label.c_str());
      continue;
    }
    const ManyReponSetup& g = *r.gas;
    const double scale = std::log10(g.decoder_rows * g.sigma_a * g.sigma_a / ((g.repons - g.classes) * g.sigma_x * g.sigma_x));
    gases.push_back({&r, g.repons, g.classes, g.dim, g.decoder_rows, repon_gas_density(g.repons, g.dim, r.embedding),
                     repon_gas_thresholds(ManyReponSimulation(g), a.closed_samples, 1), scale});
  }
  if (gases.empty()) throw UserError("geneft theory repon-gas needs learning-rate sweeps of relations whose nodes fall into classes (rel_equiv, rel_bipartite)");

  auto pm = [](double v, double se) { return num(v, "%.2f") + " ± " + num(se, "%.2f"); };
  TheoryTable table{"learning-rate boundary offset x0 = log10(eta_dec/eta_enc) per repon gas: measured (± s.e.) and predicted",
                    {"task", "n", "d", "density", "runs (gen / mem / left out)", "measured x0", "simulated x0", "closed-form x0",
                     "large-gas limit", "two-repon MC x0", "measured - closed form (s.e.)"},
                    {}};
  std::string csv = "task,repons,classes,dim,decoder_rows,density,runs,generalized,memorized,left_out,x0,x0_se,"
                    "simulated_x0,simulated_se,closed_x0,closed_se,large_gas_limit,two_repon_x0,two_repon_se\n";
  nlohmann::json json;
  json["density"] = "repons per unit volume of the embeddings' init law (exp of its differential entropy in d dimensions)";
  std::vector<GasBoundary> measured, simulated, closed;
  for (const auto& g : gases) {
    const auto& r = *g.result;
    const auto& fit = r.fit;
    const auto& sim = *r.many;
    char runs[64];
    std::snprintf(runs, sizeof runs, "%zu (%d / %d / %d)", r.runs, fit.generalized, fit.runs - fit.generalized, r.left_out);
    table.rows.push_back({r.label, std::to_string(g.repons), std::to_string(g.dim), num(g.density, "%.3g"), runs,
                          fit.fitted ? pm(fit.x0, fit.x0_se) : "-", pm(sim.crossing, sim.std_error),
                          pm(g.closed.crossing, g.closed.std_error), num(g.scale_ratio, "%.2f"),
                          pm(r.two_repon.crossing, r.two_repon.std_error),
                          fit.fitted ? num(combined_z(fit.x0, fit.x0_se, g.closed.crossing, g.closed.std_error), "%+.1f") : "-"});
    auto v = [](bool ok, double x) { return ok && std::isfinite(x) ? num(x, "%.6g") : std::string(""); };
    csv += "\"" + r.label + "\"," + std::to_string(g.repons) + "," + std::to_string(g.classes) + "," + std::to_string(g.dim) +
           "," + std::to_string(g.rows) + "," + v(true, g.density) + "," + std::to_string(r.runs) + "," +
           std::to_string(fit.generalized) + "," + std::to_string(fit.runs - fit.generalized) + "," +
           std::to_string(r.left_out) + "," + v(fit.fitted, fit.x0) + "," + v(fit.fitted, fit.x0_se) + "," +
           v(true, sim.crossing) + "," + v(true, sim.std_error) + "," + v(true, g.closed.crossing) + "," +
           v(true, g.closed.std_error) + "," + v(true, g.scale_ratio) + "," + v(true, r.two_repon.crossing) + "," +
           v(true, r.two_repon.std_error) + "\n";
    nlohmann::json j = {{"task", r.label},          {"repons", g.repons},
                        {"classes", g.classes},     {"dim", g.dim},
                        {"decoder_rows", g.rows},   {"density", g.density},
                        {"runs", r.runs},           {"generalized", fit.generalized},
                        {"memorized", fit.runs - fit.generalized}, {"left_out", r.left_out},
                        {"simulated_x0", sim.crossing}, {"simulated_se", sim.std_error},
                        {"closed_x0", g.closed.crossing}, {"closed_se", g.closed.std_error},
                        {"large_gas_limit", g.scale_ratio},
                        {"two_repon_x0", r.two_repon.crossing}, {"two_repon_se", r.two_repon.std_error}};
    if (fit.fitted) j["x0"] = fit.x0, j["x0_se"] = fit.x0_se;
    json["gases"].push_back(j);
    if (fit.fitted) measured.push_back({g.repons, g.dim, g.density, fit.x0, fit.x0_se});
    simulated.push_back({g.repons, g.dim, g.density, sim.crossing, sim.std_error});
    closed.push_back({g.repons, g.dim, g.density, g.closed.crossing, g.closed.std_error});
  }
  out.printf("\n");
  out.print_table(table);
  out.tables.push_back(table);

  // The offset's trend with density at each d: measured beside the two predictions.
  const auto tm = offset_trends(measured), ts = offset_trends(simulated), tc = offset_trends(closed);
  auto trend_at = [](const std::vector<GasTrend>& t, int d) -> const LineFit* {
    for (const auto& x : t)
      if (x.dim == d) return &x.line;
    return nullptr;
  };
  std::set<int> dims;
  for (const auto& g : gases) dims.insert(g.dim);
  TheoryTable trends{"trend of the offset with density, d x0 / d log10(rho), per embedding dimension (± s.e.)",
                     {"d", "measured", "simulated", "closed form", "measured - closed form (s.e.)"},
                     {}};
  for (int d : dims) {
    const LineFit *m = trend_at(tm, d), *s = trend_at(ts, d), *c = trend_at(tc, d);
    if (!s || !c) continue;  // one density at this d
    trends.rows.push_back({std::to_string(d), m ? pm(m->slope, m->slope_se) : "-", pm(s->slope, s->slope_se),
                           pm(c->slope, c->slope_se), m ? num(combined_z(m->slope, m->slope_se, c->slope, c->slope_se), "%+.1f") : "-"});
    nlohmann::json j = {{"dim", d}, {"simulated_slope", s->slope}, {"simulated_slope_se", s->slope_se}};
    if (m) j["measured_slope"] = m->slope, j["measured_slope_se"] = m->slope_se, j["measured_chi2_per_dof"] = m->chi2_per_dof;
    j["closed_slope"] = c->slope, j["closed_slope_se"] = c->slope_se;
    json["trends"].push_back(j);
  }
  if (!trends.rows.empty()) {
    out.printf("\n");
    out.print_table(trends);
    out.tables.push_back(trends);
  }

  // At equal density (here: the same n and init law), does d move the offset? chi^2 of the
  // measured offsets about their weighted mean, beside the same for the closed form.
  std::map<double, std::vector<const GasBoundary*>> at_density_m, at_density_c;
  for (const auto& b : measured) at_density_m[b.density].push_back(&b);
  for (const auto& b : closed) at_density_c[b.density].push_back(&b);
  auto chi2 = [](const std::vector<const GasBoundary*>& v) {
    double sw = 0, swx = 0, c = 0;
    for (const auto* b : v) sw += 1 / (b->x0_se * b->x0_se), swx += b->x0 / (b->x0_se * b->x0_se);
    for (const auto* b : v) c += std::pow((b->x0 - swx / sw) / b->x0_se, 2);
    return c;
  };
  for (const auto& [rho, v] : at_density_m) {
    if (v.size() < 2) continue;
    std::string ds;
    for (const auto* b : v) ds += (ds.empty() ? "" : ", ") + std::to_string(b->dim);
    const auto& cv = at_density_c[rho];
    out.printf("density %.3g: measured offsets at d = %s differ by chi2 = %.1f on %zu dof (closed form: chi2 = %.1f on %zu dof)\n",
               rho, ds.c_str(), chi2(v), v.size() - 1, chi2(cv), cv.size() - 1);
    json["equal_density"].push_back({{"density", rho}, {"measured_chi2", chi2(v)}, {"dof", v.size() - 1},
                                     {"closed_chi2", chi2(cv)}, {"closed_dof", cv.size() - 1}});
  }

  out.printf("table: %s\n", write_csv(a.out, a.name, csv).c_str());
  out.printf("json: %s\n", write_output_file(a.out, a.name, "json", json.dump(2) + "\n").c_str());

  // Figure: one panel per d, offset against density, measured with errors beside the predictions.
  std::vector<SeriesPanel> panels;
  for (int d : dims) {
    SeriesPanel p;
    p.title = "d = " + std::to_string(d);
    p.x_label = "density rho (repons per unit init volume)";
    p.y_label = "boundary offset x0 = log10(eta_dec / eta_enc)";
    p.log_x = true;
    SeriesPanel::Series sm{"measured (logistic fit)", {}}, ss{"many-repon simulation", {}}, sc{"closed form", {}};
    for (const auto& b : measured)
      if (b.dim == d) sm.points.push_back({b.density, b.x0, b.x0_se, 0});
    for (const auto& b : simulated)
      if (b.dim == d) ss.points.push_back({b.density, b.x0, b.x0_se, 0});
    for (const auto& b : closed)
      if (b.dim == d) sc.points.push_back({b.density, b.x0, b.x0_se, 0});
    for (auto* s : {&sm, &ss, &sc})
      std::sort(s->points.begin(), s->points.end(), [](const MeanPoint& x, const MeanPoint& y) { return x.x < y.x; });
    p.series = {sm, ss, sc};
    panels.push_back(std::move(p));
  }
  out.figures.push_back(draw_series_figure("Repon gas: learning-rate boundary offset against density, measured and predicted",
                                           panels, a.out, a.name));
  return out;
}

}  // namespace geneft
