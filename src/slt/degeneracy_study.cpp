#include "slt/degeneracy_study.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "plot/gnuplot.h"
#include "slt/network_target.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

constexpr int kStableTolerance = 2;  // 1e-6 in kRankTolerances: the rank used in the table

double half(int x) { return x / 2.0; }

std::string label_of(const ValidationSpec& s) {
  auto list = [](const auto& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s%g", i ? "," : "", double(v[i]));
      out += buf;
    }
    return out;
  };
  if (s.model == "normal-crossing") return "nc k=(" + list(s.k) + ") h=(" + list(s.h) + ")";
  if (s.model == "regular") return "regular " + std::to_string(s.input) + "x" + std::to_string(s.output);
  if (s.model == "rrr")
    return "rrr " + std::to_string(s.input) + "-" + std::to_string(s.hidden) + "-" + std::to_string(s.output) +
           " r=" + std::to_string(s.rank);
  return "dln " + list(s.widths) + " r=" + std::to_string(s.rank);
}

std::string label_with_center(const ValidationSpec& s) {
  const bool linear = s.model != "normal-crossing";
  return label_of(s) + (linear ? (s.center == "true" ? " @w0" : " @w*") : "");
}

std::string summary_json(const DegeneracyReport& r) {
  const nlohmann::json j = {{"d", r.d},
                            {"n", r.n},
                            {"tolerances", kRankTolerances},
                            {"hessian_rank", r.hessian_rank},
                            {"fisher_rank", r.fisher_rank},
                            {"fisher_note", r.fisher_note},
                            {"effective_dimension", r.effective_dim},
                            {"generic_symmetries", r.generic.count},
                            {"generic_what", r.generic.what}};
  return j.dump();
}

std::string ranks_text(const std::vector<int>& ranks) {
  if (ranks.empty()) return "-";
  std::string s;
  for (size_t i = 0; i < ranks.size(); ++i) s += (i ? "/" : "") + std::to_string(ranks[i]);
  return s;
}

}  // namespace

DegeneracyCase degeneracy_of_validation_model(const ValidationSpec& spec, const SgldSettings* sampler_override) {
  const ValidationModel v = make_validation_model(spec);
  DegeneracyCase c;
  c.label = label_with_center(spec);
  c.report = measure_degeneracy(*v.target, v.center);
  c.true_lambda = v.true_lambda;
  const SgldResult r = run_sgld(*v.target, v.center, sampler_override ? *sampler_override : v.defaults);
  const LlcEstimate e = estimate_llc(r);
  c.llc = e.mean, c.llc_std = e.std, c.mala = e.mala_acceptance, c.warnings = e.warnings;
  return c;
}

std::vector<ValidationSpec> degeneracy_suite() {
  auto nc = [](std::vector<int> k) {
    ValidationSpec s;
    s.model = "normal-crossing", s.k = std::move(k), s.h.assign(s.k.size(), 0.0);
    return s;
  };
  auto lin = [](std::string model, int M, int H, int N, int r, std::vector<int> widths = {}) {
    ValidationSpec s;
    s.model = std::move(model), s.input = M, s.hidden = H, s.output = N, s.rank = r, s.widths = std::move(widths);
    return s;
  };
  std::vector<ValidationSpec> out = {nc({1}), nc({1, 2}), lin("regular", 3, 0, 2, 0)};
  // singular linear models at both centres: the trained minimum of L_n (where λ̂ is unbiased)
  // and the true parameter (where the bounds on λ apply)
  for (auto s : {lin("rrr", 5, 3, 5, 0), lin("rrr", 5, 3, 5, 2), lin("rrr", 4, 2, 3, 1), lin("dln", 0, 0, 0, 0, {3, 5, 5})})
    for (const char* center : {"trained", "true"}) {
      s.center = center;
      out.push_back(s);
    }
  return out;
}

namespace {

// The run's training loss as a target (finite differences of its gradient need float64).
NetworkTarget float64_target(Store& store, const std::string& run_id) {
  const RunConfig cfg = parse_config(store.get_run(run_id).config, "run " + run_id + " config");
  if (cfg.model.dtype != "float64")
    throw UserError("run " + run_id + " has model.dtype = " + cfg.model.dtype +
                    ": the finite-difference Hessian needs float64 (train with --set model.dtype=float64)");
  const Dataset data = make_dataset(cfg.task);
  const Split split = make_split(data.size(), cfg.task, cfg.seed);
  return NetworkTarget(cfg, data, split);
}

LanczosCase lanczos_case(const std::string& label, const SamplingTarget& target, const std::vector<double>& w,
                         const LanczosOptions& o) {
  LanczosCase c;
  c.label = label, c.d = target.dim();
  HessianVectorProduct hvp(target, w);
  c.density = spectral_density([&](const double* v, double* out) { hvp.apply(v, out); }, c.d, o.steps, o.probes, o.seed);
  if (c.d <= kDenseLanczosCheck) c.dense = symmetric_eigenvalues(loss_hessian(target, w));
  return c;
}

}  // namespace

LanczosCase lanczos_of_validation_model(const ValidationSpec& spec, const LanczosOptions& o) {
  const ValidationModel v = make_validation_model(spec);
  return lanczos_case(v.target->describe(), *v.target, v.center, o);
}

std::vector<LanczosCase> lanczos_over_training(Store& store, const std::string& run_id,
                                               const std::vector<int64_t>& steps, const LanczosOptions& o) {
  const NetworkTarget target = float64_target(store, run_id);
  std::vector<LanczosCase> out;
  for (int64_t s : steps) out.push_back(lanczos_case("step " + std::to_string(s), target, target.parameters(store.checkpoint(run_id, s)), o));
  return out;
}

void print_lanczos(std::FILE* out, const std::vector<LanczosCase>& cases) {
  std::fprintf(out, "Hessian of L_n by Lanczos on finite-difference Hessian-vector products (stochastic Lanczos quadrature)\n");
  std::fprintf(out, "%-40s %6s %12s %12s %12s %12s\n", "case", "d", "lowest", "highest", "dense lowest", "dense highest");
  for (const auto& c : cases) {
    const bool dense = c.dense.size() > 0;
    std::fprintf(out, "%-40.40s %6zu %12.5g %12.5g %12.5g %12.5g\n", c.label.c_str(), c.d, c.density.lowest,
                 c.density.highest, dense ? c.dense(0) : NAN, dense ? c.dense(c.dense.size() - 1) : NAN);
  }
}

void write_lanczos(const std::string& prefix, const std::string& title, const std::vector<LanczosCase>& cases) {
  std::string data, plot;
  {
    std::ofstream f(prefix + ".csv");
    if (!f) throw UserError(prefix + ".csv: cannot write");
    f << "case,eigenvalue,density\n";
    char buf[128];
    for (size_t i = 0; i < cases.size(); ++i) {
      for (size_t g = 0; g < cases[i].density.grid.size(); ++g) {
        std::snprintf(buf, sizeof buf, "%.8g %.8g\n", cases[i].density.grid[g], cases[i].density.density[g]);
        data += buf;
        std::snprintf(buf, sizeof buf, ",%.8g,%.8g\n", cases[i].density.grid[g], cases[i].density.density[g]);
        f << '"' << cases[i].label << '"' << buf;
      }
      data += "\n\n";
      plot += std::string(i ? ", \\\n     " : "plot ") + "DATAFILE index " + std::to_string(i) + " using 1:2 with lines lw 2 lc rgb '" +
              kColorblindSafe[i % kColorblindSafe.size()] + "' title " + gp_quote(cases[i].label);
    }
  }
  render_data_figure(prefix, data,
                     "set title " + gp_quote(title) + " noenhanced\nset xlabel 'eigenvalue of the Hessian of L_n'\n"
                     "set ylabel 'spectral density (SLQ)'\nset logscale y\nset yrange [1e-4:*]\nset grid lc rgb '#dddddd'\n" + plot + "\n",
                     {900, 600});
}

std::vector<DegeneracyCase> degeneracy_over_training(Store& store, const std::string& run_id,
                                                     const std::vector<int64_t>& steps) {
  const NetworkTarget target = float64_target(store, run_id);
  std::vector<Checkpoint> cps;
  for (int64_t s : steps) cps.push_back(store.checkpoint(run_id, s));
  const auto llcs = store.llc_estimates(run_id);
  std::vector<DegeneracyCase> out;
  for (const auto& cp : cps) {
    DegeneracyCase c;
    c.label = "step " + std::to_string(cp.step);
    c.step = cp.step;
    c.report = measure_degeneracy(target, target.parameters(cp));
    for (const auto& l : llcs)  // ordered by step, id: the last whole-network one at this step wins
      if (l.step == cp.step && l.settings.find("\"group\"") == std::string::npos) c.llc = l.lambda_mean, c.llc_std = l.lambda_std, c.mala = l.mala_acceptance;
    DegeneracyRow row;
    row.run_id = run_id, row.step = cp.step, row.created_at = utc_now_iso8601(), row.summary = summary_json(c.report);
    row.hessian_eigenvalues.assign(c.report.hessian.begin(), c.report.hessian.end());
    row.fisher_eigenvalues.assign(c.report.fisher.begin(), c.report.fisher.end());
    store.save_degeneracy(row);
    out.push_back(std::move(c));
  }
  return out;
}

void print_degeneracy_table(std::FILE* out, const std::vector<DegeneracyCase>& cases) {
  std::fprintf(out, "ranks at relative tolerances 1e-2/1e-4/1e-6/1e-8; the columns /2 use 1e-6\n");
  std::fprintf(out, "%-22s %5s %7s %-15s %-15s %8s %6s %8s %8s %8s %9s %16s %7s\n", "case", "d", "d/2", "rank(H)",
               "rank(F)", "rkH/2", "upper", "rkF/2", "generic", "(d-g)/2", "d_eff", "llc ± std", "true λ");
  for (const auto& c : cases) {
    const auto& r = c.report;
    const double fisher_half = r.fisher_rank.empty() ? NAN : half(r.fisher_rank[kStableTolerance]);
    std::fprintf(out, "%-22s %5zu %7.2f %-15s %-15s %8.2f %6.2f %8.2f %8d %8.2f %9.2f %8.3f ± %5.3f %7.3f\n",
                 c.label.c_str(), r.d, r.d / 2.0, ranks_text(r.hessian_rank).c_str(), ranks_text(r.fisher_rank).c_str(),
                 r.lower_bound(kStableTolerance), r.upper_bound(kStableTolerance), fisher_half, r.generic.count,
                 (double(r.d) - r.generic.count) / 2.0, r.effective_dim, c.llc, c.llc_std, c.true_lambda);
  }
  for (const auto& c : cases) {
    if (!c.report.fisher_note.empty()) std::fprintf(out, "%s: %s\n", c.label.c_str(), c.report.fisher_note.c_str());
    if (c.report.generic.count > 0) std::fprintf(out, "%s: generic = %s\n", c.label.c_str(), c.report.generic.what.c_str());
    for (const auto& w : c.warnings) std::fprintf(stderr, "warning (%s): %s\n", c.label.c_str(), w.c_str());
  }
}

void write_degeneracy_csv(const std::string& path, const std::vector<DegeneracyCase>& cases) {
  std::ofstream f(path);
  if (!f) throw UserError(path + ": cannot write");
  f << "case,step,d,n,half_d,rank_hessian,rank_fisher,half_rank_hessian,upper_bound,half_rank_fisher,generic,"
       "half_d_minus_generic,effective_dimension,llc,llc_std,mala,true_lambda\n";
  char buf[512];
  for (const auto& c : cases) {
    const auto& r = c.report;
    const int rf = r.fisher_rank.empty() ? -1 : r.fisher_rank[kStableTolerance];
    std::snprintf(buf, sizeof buf, "\"%s\",%lld,%zu,%lld,%.6g,%d,%d,%.6g,%.6g,%.6g,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
                  c.label.c_str(), (long long)c.step, r.d, (long long)r.n, r.d / 2.0, r.hessian_rank[kStableTolerance],
                  rf, r.lower_bound(kStableTolerance), r.upper_bound(kStableTolerance), rf < 0 ? NAN : half(rf),
                  r.generic.count, (double(r.d) - r.generic.count) / 2.0, r.effective_dim, c.llc, c.llc_std, c.mala,
                  c.true_lambda);
    f << buf;
  }
}

void plot_degeneracy(const std::string& prefix, const std::string& title, const std::vector<DegeneracyCase>& cases) {
  std::string data = "# i label half_d half_rank_h upper half_rank_f half_d_minus_generic llc llc_std true_lambda\n";
  char buf[512];
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    const auto& r = c.report;
    // zeros cannot be drawn on a log axis: drawn at 0.01 (the axis floor), marked in the docs
    auto floor = [](double x) { return std::isnan(x) ? NAN : std::max(x, 0.01); };
    const double hf = r.fisher_rank.empty() ? NAN : half(r.fisher_rank[kStableTolerance]);
    std::snprintf(buf, sizeof buf, "%zu \"%s\" %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g\n", i, c.label.c_str(),
                  r.d / 2.0, floor(r.lower_bound(kStableTolerance)), r.upper_bound(kStableTolerance), floor(hf),
                  floor((double(r.d) - r.generic.count) / 2.0), floor(c.llc), c.llc_std, c.true_lambda);
    data += buf;
  }
  const std::string cmds = std::string() + "set title '" + title + "' noenhanced\n" +
      "set ylabel 'learning-coefficient scale (log; 0 drawn at 0.01)'\n"
      "set logscale y\nset yrange [0.008:*]\n"
      "set xtics rotate by -30 noenhanced\nset xrange [-0.6:" + std::to_string(cases.size() - 0.4) + "]\n"
      "set key outside top center horizontal\nset grid ytics lc rgb '#dddddd'\n"
      "plot DATAFILE using 1:3:xtic(2) with points pt 4 ps 1.6 lc rgb '#000000' title 'd/2', \\\n"
      "     DATAFILE using ($1-0.15):4 with points pt 9 ps 1.4 lc rgb '" + kBlue + "' title 'rank(H)/2', \\\n"
      "     DATAFILE using ($1-0.15):5 with points pt 11 ps 1.4 lc rgb '" + kBlue + "' title 'rank(H)/2+(d-rank)/4', \\\n"
      "     DATAFILE using ($1+0.15):6 with points pt 6 ps 1.4 lc rgb '" + kOrange + "' title 'rank(F)/2', \\\n"
      "     DATAFILE using 1:7 with points pt 1 ps 1.6 lc rgb '" + kPurple + "' title '(d-#generic)/2', \\\n"
      "     DATAFILE using ($1+0.05):8:9 with yerrorbars pt 7 ps 1.0 lc rgb '" + kGreen + "' title 'λ̂ ± std', \\\n"
      "     DATAFILE using ($1+0.05):10 with points pt 3 ps 1.6 lc rgb '" + kVermillion + "' title 'true λ'\n";
  render_data_figure(prefix, data, cmds, {1000, 600});
}

}  // namespace geneft
