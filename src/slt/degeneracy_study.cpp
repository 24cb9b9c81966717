#include "slt/degeneracy_study.h"

#include <algorithm>
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

std::string format_tolerance(double tol) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0e", tol);
  return buf;
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

std::vector<SpectralCount> counts_below(const SpectralDensity& density, size_t d) {
  std::vector<SpectralCount> out;
  for (double tol : kRankTolerances) out.push_back(count_below(density, d, tol));
  return out;
}

LanczosCase lanczos_case(const std::string& label, const SamplingTarget& target, const std::vector<double>& w,
                         const LanczosOptions& o) {
  LanczosCase c;
  c.label = label, c.d = target.dim(), c.n = target.num_samples();
  HessianVectorProduct hvp(target, w);
  c.density = spectral_density([&](const double* v, double* out) { hvp.apply(v, out); }, c.d, o.steps, o.probes, o.seed);
  c.below = counts_below(c.density, c.d);
  if (c.d <= kDenseLanczosCheck) c.dense = symmetric_eigenvalues(loss_hessian(target, w));
  return c;
}

LanczosRow lanczos_row(const std::string& run_id, const LanczosCase& c, const LanczosOptions& o) {
  LanczosRow row;
  row.run_id = run_id, row.step = c.step, row.created_at = utc_now_iso8601();
  std::vector<size_t> probe_steps;
  std::vector<double> count, error;
  for (const auto& p : c.density.probes) {
    row.ritz.insert(row.ritz.end(), p.ritz.begin(), p.ritz.end());
    row.weights.insert(row.weights.end(), p.weights.begin(), p.weights.end());
    probe_steps.push_back(p.ritz.size());
  }
  for (const auto& b : c.below) count.push_back(b.count), error.push_back(b.standard_error);
  const nlohmann::json j = {{"d", c.d},
                            {"n", c.n},
                            {"lanczos_steps", o.steps},
                            {"probes", o.probes},
                            {"seed", o.seed},
                            {"hvp_step", kHessianVectorStep},
                            {"lowest", c.density.lowest},
                            {"highest", c.density.highest},
                            {"tolerances", kRankTolerances},
                            {"count_below", count},
                            {"count_below_se", error},
                            {"probe_steps", probe_steps}};
  row.summary = j.dump();
  return row;
}

}  // namespace

LanczosCase lanczos_of_validation_model(const ValidationSpec& spec, const LanczosOptions& o) {
  const ValidationModel v = make_validation_model(spec);
  return lanczos_case(v.target->describe(), *v.target, v.center, o);
}

std::vector<LanczosCase> lanczos_over_training(Store& store, const std::string& run_id,
                                               const std::vector<int64_t>& steps, const LanczosOptions& o) {
  const NetworkTarget target = float64_target(store, run_id);
  std::vector<Checkpoint> cps;
  for (int64_t s : steps) cps.push_back(store.checkpoint(run_id, s));  // every step checked before any work
  std::vector<LanczosCase> out;
  for (const auto& cp : cps) {
    LanczosCase c = lanczos_case("step " + std::to_string(cp.step), target, target.parameters(cp), o);
    c.step = cp.step;
    store.save_lanczos(lanczos_row(run_id, c, o));
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<LanczosCase> stored_lanczos(Store& store, const std::string& run_id) {
  std::vector<LanczosCase> out;
  for (const auto& row : store.lanczos(run_id)) {
    const std::string where = store.path() + ": hessian_lanczos (run " + run_id + ", step " + std::to_string(row.step) + ")";
    const nlohmann::json j = nlohmann::json::parse(row.summary, nullptr, false);
    std::vector<size_t> probe_steps;
    LanczosCase c;
    try {
      probe_steps = j.at("probe_steps").get<std::vector<size_t>>();
      c.d = j.at("d").get<size_t>(), c.n = j.value("n", int64_t(0));
    } catch (const nlohmann::json::exception&) {
      throw UserError(where + ": the summary is not the JSON geneft writes");
    }
    std::vector<LanczosResult> probes;
    size_t at = 0;
    for (size_t k : probe_steps) {
      if (k == 0 || at + k > row.ritz.size()) throw UserError(where + ": probe_steps do not match the stored Ritz values");
      probes.push_back({{row.ritz.begin() + at, row.ritz.begin() + at + k}, {row.weights.begin() + at, row.weights.begin() + at + k}});
      at += k;
    }
    if (at != row.ritz.size()) throw UserError(where + ": probe_steps do not match the stored Ritz values");
    c.label = "step " + std::to_string(row.step), c.step = row.step;
    c.density = density_of_probes(std::move(probes));
    c.below = counts_below(c.density, c.d);
    out.push_back(std::move(c));
  }
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
  std::fprintf(out, "eigenvalues with |θ| <= tol·max|θ|, from the density (± standard error over probes)%s\n",
               cases.size() && cases[0].dense.size() ? "; dense count in brackets" : "");
  std::fprintf(out, "%-40s", "case");
  for (double tol : kRankTolerances) std::fprintf(out, " %22s", ("tol " + format_tolerance(tol)).c_str());
  std::fprintf(out, "\n");
  for (const auto& c : cases) {
    std::fprintf(out, "%-40.40s", c.label.c_str());
    for (size_t t = 0; t < c.below.size(); ++t) {
      char cell[64];
      const int n = std::snprintf(cell, sizeof cell, "%.1f ± %.1f", c.below[t].count, c.below[t].standard_error);
      if (c.dense.size())
        std::snprintf(cell + n, sizeof cell - n, " [%d]", int(c.d) - numerical_rank(c.dense, kRankTolerances[t]));
      std::fprintf(out, " %22s", cell);
    }
    std::fprintf(out, "\n");
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

namespace {

// The curve at each case's step and the latest λ̂ estimates there: whole network and each group.
void attach_measurements(Store& store, const std::string& run_id, std::vector<DegeneracyCase>& cases) {
  const auto llcs = store.llc_estimates(run_id);  // ordered by step, id: the last one at a step wins
  const auto curve = store.curve(run_id);
  for (auto& c : cases) {
    for (const auto& p : curve)
      if (p.step == c.step) c.train_loss = p.train_loss, c.test_loss = p.test_loss, c.test_acc = p.test_acc;
    for (const auto& l : llcs) {
      if (l.step != c.step) continue;
      const nlohmann::json j = nlohmann::json::parse(l.settings, nullptr, false);
      const std::string group = j.is_object() && j.contains("group") && j["group"].is_string() ? j["group"].get<std::string>() : "all";
      const size_t warnings = size_t(std::count(l.warnings.begin(), l.warnings.end(), '\n'));
      if (group == "all") {
        c.llc = l.lambda_mean, c.llc_std = l.lambda_std, c.mala = l.mala_acceptance;
        c.warnings.assign(warnings, "stored estimate " + std::to_string(l.id) + " has warnings");
        continue;
      }
      auto it = std::find_if(c.restricted.begin(), c.restricted.end(), [&](const GroupLlc& g) { return g.group == group; });
      if (it == c.restricted.end()) it = c.restricted.insert(c.restricted.end(), GroupLlc{group});
      it->mean = l.lambda_mean, it->std = l.lambda_std, it->mala = l.mala_acceptance, it->warnings = warnings;
    }
  }
}

// The groups measured at any case, in order of first appearance.
std::vector<std::string> group_names(const std::vector<DegeneracyCase>& cases) {
  std::vector<std::string> names;
  for (const auto& c : cases)
    for (const auto& g : c.restricted)
      if (std::find(names.begin(), names.end(), g.group) == names.end()) names.push_back(g.group);
  return names;
}

const GroupLlc* group_of(const DegeneracyCase& c, const std::string& name) {
  for (const auto& g : c.restricted)
    if (g.group == name) return &g;
  return nullptr;
}

}  // namespace

std::vector<DegeneracyCase> degeneracy_over_training(Store& store, const std::string& run_id,
                                                     const std::vector<int64_t>& steps) {
  const NetworkTarget target = float64_target(store, run_id);
  std::vector<Checkpoint> cps;
  for (int64_t s : steps) cps.push_back(store.checkpoint(run_id, s));
  std::vector<DegeneracyCase> out;
  for (const auto& cp : cps) {
    DegeneracyCase c;
    c.label = "step " + std::to_string(cp.step);
    c.step = cp.step;
    c.report = measure_degeneracy(target, target.parameters(cp));
    DegeneracyRow row;
    row.run_id = run_id, row.step = cp.step, row.created_at = utc_now_iso8601(), row.summary = summary_json(c.report);
    row.hessian_eigenvalues.assign(c.report.hessian.begin(), c.report.hessian.end());
    row.fisher_eigenvalues.assign(c.report.fisher.begin(), c.report.fisher.end());
    store.save_degeneracy(row);
    out.push_back(std::move(c));
  }
  attach_measurements(store, run_id, out);
  return out;
}

std::vector<DegeneracyCase> stored_degeneracy(Store& store, const std::string& run_id) {
  std::vector<DegeneracyCase> out;
  for (const auto& row : store.degeneracy(run_id)) {
    const std::string where = store.path() + ": degeneracy (run " + run_id + ", step " + std::to_string(row.step) + ")";
    const nlohmann::json j = nlohmann::json::parse(row.summary, nullptr, false);
    DegeneracyCase c;
    c.label = "step " + std::to_string(row.step), c.step = row.step;
    auto& r = c.report;
    try {
      r.d = j.at("d").get<size_t>(), r.n = j.at("n").get<int64_t>();
      r.hessian_rank = j.at("hessian_rank").get<std::vector<int>>();
      r.fisher_rank = j.at("fisher_rank").get<std::vector<int>>();
      r.fisher_note = j.value("fisher_note", std::string());
      r.effective_dim = j.at("effective_dimension").get<double>();
      r.generic.count = j.at("generic_symmetries").get<int>(), r.generic.what = j.value("generic_what", std::string());
    } catch (const nlohmann::json::exception&) {
      throw UserError(where + ": the summary is not the JSON geneft writes");
    }
    if (r.hessian_rank.size() != kRankTolerances.size() || (!r.fisher_rank.empty() && r.fisher_rank.size() != kRankTolerances.size()))
      throw UserError(where + ": ranks at " + std::to_string(r.hessian_rank.size()) + " tolerances, expected " +
                      std::to_string(kRankTolerances.size()));
    r.hessian = Eigen::Map<const Eigen::VectorXd>(row.hessian_eigenvalues.data(), Eigen::Index(row.hessian_eigenvalues.size()));
    r.fisher = Eigen::Map<const Eigen::VectorXd>(row.fisher_eigenvalues.data(), Eigen::Index(row.fisher_eigenvalues.size()));
    out.push_back(std::move(c));
  }
  attach_measurements(store, run_id, out);
  return out;
}

void print_degeneracy_over_training(std::FILE* out, const std::vector<DegeneracyCase>& cases) {
  const auto groups = group_names(cases);
  std::fprintf(out, "ranks at relative tolerances 1e-2/1e-4/1e-6/1e-8; the columns /2 use 1e-6; λ̂ mean ± std over chains\n");
  std::fprintf(out, "%-12s %5s %10s %8s %-19s %-19s %7s %7s %7s %7s %16s", "case", "d", "train_loss", "test_acc",
               "rank(H)", "rank(F)", "d/2", "rkH/2", "rkF/2", "(d-g)/2", "llc ± std");
  for (const auto& g : groups) std::fprintf(out, " %16s", ("llc " + g).c_str());
  std::fprintf(out, " %6s %5s\n", "mala", "warn");
  for (const auto& c : cases) {
    const auto& r = c.report;
    const double fisher_half = r.fisher_rank.empty() ? NAN : half(r.fisher_rank[kStableTolerance]);
    double mala = c.mala;
    size_t warnings = c.warnings.size();
    std::fprintf(out, "%-12s %5zu %10.4g %8.4f %-19s %-19s %7.1f %7.1f %7.1f %7.1f %8.3f ± %5.3f", c.label.c_str(), r.d,
                 c.train_loss, c.test_acc, ranks_text(r.hessian_rank).c_str(), ranks_text(r.fisher_rank).c_str(),
                 r.d / 2.0, r.lower_bound(kStableTolerance), fisher_half, (double(r.d) - r.generic.count) / 2.0, c.llc,
                 c.llc_std);
    for (const auto& name : groups) {
      const GroupLlc* g = group_of(c, name);
      std::fprintf(out, " %8.3f ± %5.3f", g ? g->mean : NAN, g ? g->std : NAN);
      if (g) mala = std::isnan(mala) ? g->mala : std::min(mala, g->mala), warnings += g->warnings;
    }
    std::fprintf(out, " %6.3f %5zu\n", mala, warnings);
  }
  if (!cases.empty() && cases[0].report.generic.count > 0)
    std::fprintf(out, "generic = %s\n", cases[0].report.generic.what.c_str());
  if (!cases.empty() && !cases[0].report.fisher_note.empty())
    std::fprintf(out, "Fisher: %s\n", cases[0].report.fisher_note.c_str());
  if (groups.empty()) std::fprintf(out, "(no restricted λ̂ stored: geneft llc DB --run ID --restrict encoder|decoder)\n");
}

void plot_degeneracy_over_training(const std::string& prefix, const std::string& title,
                                   const std::vector<DegeneracyCase>& cases) {
  const auto groups = group_names(cases);
  std::string data = "# step half_d half_rank_h half_rank_f half_d_minus_generic test_acc llc llc_std";
  for (const auto& g : groups) data += " llc_" + g + " std_" + g;
  data += "\n";
  char buf[256];
  for (const auto& c : cases) {
    const auto& r = c.report;
    auto floor = [](double x) { return std::isnan(x) ? NAN : std::max(x, 0.01); };
    std::snprintf(buf, sizeof buf, "%lld %.6g %.6g %.6g %.6g %.6g %.6g %.6g", (long long)c.step, r.d / 2.0,
                  floor(r.lower_bound(kStableTolerance)),
                  r.fisher_rank.empty() ? NAN : floor(half(r.fisher_rank[kStableTolerance])),
                  floor((double(r.d) - r.generic.count) / 2.0), c.test_acc, floor(c.llc), c.llc_std);
    data += buf;
    for (const auto& name : groups) {
      const GroupLlc* g = group_of(c, name);
      std::snprintf(buf, sizeof buf, " %.6g %.6g", g ? floor(g->mean) : NAN, g ? g->std : NAN);
      data += buf;
    }
    data += "\n";
  }
  std::string plot =
      "plot DATAFILE using 1:2 with linespoints pt 4 lc rgb '#000000' title 'd/2', \\\n"
      "     DATAFILE using 1:3 with linespoints pt 9 lc rgb '" + std::string(kBlue) + "' title 'rank(H)/2 (tol 1e-6)', \\\n"
      "     DATAFILE using 1:4 with linespoints pt 6 lc rgb '" + kOrange + "' title 'rank(F)/2', \\\n"
      "     DATAFILE using 1:5 with linespoints pt 1 lc rgb '" + kPurple + "' title '(d-#generic)/2', \\\n"
      "     DATAFILE using 1:7:8 with yerrorlines lw 2 pt 7 lc rgb '" + kGreen + "' title 'λ̂ ± std', \\\n"
      "     DATAFILE using 1:6 axes x1y2 with lines dt 2 lw 2 lc rgb '" + kVermillion + "' title 'test accuracy (right)'";
  const std::vector<std::string> group_colors = {"#56B4E9", "#332288", "#882255", "#999933"};
  for (size_t i = 0; i < groups.size(); ++i)
    plot += ", \\\n     DATAFILE using 1:" + std::to_string(9 + 2 * i) + ":" + std::to_string(10 + 2 * i) +
            " with yerrorlines lw 2 pt " + std::to_string(5 + 2 * int(i)) + " lc rgb '" + group_colors[i % group_colors.size()] +
            "' title " + gp_quote("λ̂ " + groups[i] + " ± std");
  const std::string cmds = "set title " + gp_quote(title) + " noenhanced\nset xlabel 'training step'\n"
      "set ylabel 'learning-coefficient scale (log; 0 drawn at 0.01)'\nset logscale y\n"
      "set y2label 'test accuracy'\nset y2range [0:1.05]\nset y2tics\nset ytics nomirror\n"
      "set key outside top center horizontal\nset grid xtics ytics lc rgb '#dddddd'\n" + plot + "\n";
  render_data_figure(prefix, data, cmds, {1000, 620});
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
  const auto groups = group_names(cases);
  f << "case,step,d,n,half_d,rank_hessian,rank_fisher,half_rank_hessian,upper_bound,half_rank_fisher,generic,"
       "half_d_minus_generic,effective_dimension,llc,llc_std,mala,true_lambda,train_loss,test_acc";
  for (const auto& g : groups) f << ",llc_" << g << ",llc_" << g << "_std";
  f << "\n";
  char buf[512];
  for (const auto& c : cases) {
    const auto& r = c.report;
    const int rf = r.fisher_rank.empty() ? -1 : r.fisher_rank[kStableTolerance];
    std::snprintf(buf, sizeof buf, "\"%s\",%lld,%zu,%lld,%.6g,%d,%d,%.6g,%.6g,%.6g,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g",
                  c.label.c_str(), (long long)c.step, r.d, (long long)r.n, r.d / 2.0, r.hessian_rank[kStableTolerance],
                  rf, r.lower_bound(kStableTolerance), r.upper_bound(kStableTolerance), rf < 0 ? NAN : half(rf),
                  r.generic.count, (double(r.d) - r.generic.count) / 2.0, r.effective_dim, c.llc, c.llc_std, c.mala,
                  c.true_lambda, c.train_loss, c.test_acc);
    f << buf;
    for (const auto& name : groups) {
      const GroupLlc* g = group_of(c, name);
      std::snprintf(buf, sizeof buf, ",%.6g,%.6g", g ? g->mean : NAN, g ? g->std : NAN);
      f << buf;
    }
    f << "\n";
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
