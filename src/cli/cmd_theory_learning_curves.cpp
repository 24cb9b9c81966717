// geneft theory learning-curves: PAC bounds and statistical-mechanics learning curves beside a
// measurement, for axis-aligned boxes (tightest fit) and a perceptron teacher-student (Gibbs, Hebb).
// The numbers are a function of the options and the seed, recomputed in seconds; they are written
// as CSV and a ratio table beside the figures (docs/theory.md says why not into a store).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <variant>

#include <toml++/toml.h>

#include "cli/commands.h"
#include "cli/llc_common.h"
#include "core/error.h"
#include "plot/gnuplot.h"
#include "plot/theory_figures.h"
#include "theory/perceptron_learning.h"
#include "theory/rectangle_learning.h"

namespace geneft {
namespace {

struct LearningCurveArgs {
  std::string file, which = "both", out = "fig";
  // rectangles
  int dim = 2, m_min = 4, m_max = 4096, sets = 10000;
  std::string inputs = "uniform", box = "0.2,0.7";
  // perceptron
  int n = 30, teachers = 40, burn_in = 20, draws = 10;
  std::string alphas = "0.5,1,2,3,5,7,10,15,20";
  double delta = 0.05;
  uint64_t seed = 0;
};

// A study file (examples/learning-curves.toml) names the same settings as the options, by key;
// an option given on the command line wins over the file.
using Member = std::variant<int LearningCurveArgs::*, double LearningCurveArgs::*, std::string LearningCurveArgs::*,
                            uint64_t LearningCurveArgs::*>;
struct StudyKey {
  const char* key;
  const char* option;
  Member member;
};
const StudyKey kStudyKeys[] = {
    {"concept", "--concept", &LearningCurveArgs::which},     {"delta", "--delta", &LearningCurveArgs::delta},
    {"seed", "--seed", &LearningCurveArgs::seed},             {"rectangles.dim", "--dim", &LearningCurveArgs::dim},
    {"rectangles.inputs", "--inputs", &LearningCurveArgs::inputs}, {"rectangles.box", "--box", &LearningCurveArgs::box},
    {"rectangles.m_min", "--m-min", &LearningCurveArgs::m_min}, {"rectangles.m_max", "--m-max", &LearningCurveArgs::m_max},
    {"rectangles.sets", "--sets", &LearningCurveArgs::sets},  {"perceptron.n", "--n", &LearningCurveArgs::n},
    {"perceptron.alphas", "--alphas", &LearningCurveArgs::alphas},
    {"perceptron.teachers", "--teachers", &LearningCurveArgs::teachers},
    {"perceptron.burn_in", "--burn-in", &LearningCurveArgs::burn_in}, {"perceptron.draws", "--draws", &LearningCurveArgs::draws},
};

void set_from_node(LearningCurveArgs& a, const StudyKey& k, const toml::node& v, const std::string& where) {
  const auto bad = [&](const char* want) { return UserError(where + ": key '" + k.key + "' must be " + want); };
  std::visit(
      [&](auto m) {
        using T = std::remove_reference_t<decltype(a.*m)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (const auto* str = v.as_string()) {
            a.*m = str->get();
          } else if (const auto* arr = v.as_array()) {  // a list of numbers, as the option's comma list
            std::string joined;
            for (const auto& e : *arr) {
              const auto x = e.value<double>();
              if (!x) throw bad("a string or a list of numbers");
              std::ostringstream o;
              o.precision(17);
              o << *x;
              joined += (joined.empty() ? "" : ",") + o.str();
            }
            a.*m = joined;
          } else {
            throw bad("a string or a list of numbers");
          }
        } else if constexpr (std::is_same_v<T, double>) {
          const auto x = v.value<double>();
          if (!x) throw bad("a number");
          a.*m = *x;
        } else {
          const auto x = v.value<int64_t>();
          if (!v.is_integer() || !x || *x < 0 || *x > INT32_MAX) throw bad("a non-negative integer");
          a.*m = T(*x);
        }
      },
      k.member);
}

void load_study_file(const std::string& path, LearningCurveArgs& a) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << path << ":" << e.source().begin.line << ": " << e.description();
    throw UserError(o.str());
  }
  std::string known;
  for (const auto& k : kStudyKeys) known += std::string(known.empty() ? "" : ", ") + k.key;
  const auto apply = [&](const std::string& key, const toml::node& v) {
    for (const auto& k : kStudyKeys)
      if (key == k.key) return set_from_node(a, k, v, path);
    throw UserError(path + ": unknown key '" + key + "' (known: " + known + ")");
  };
  for (const auto& [key, v] : doc) {
    const std::string name(key.str());
    if (const auto* t = v.as_table(); t && (name == "rectangles" || name == "perceptron")) {
      for (const auto& [sub, w] : *t) apply(name + "." + std::string(sub.str()), w);
    } else {
      apply(name, v);
    }
  }
}

// The file's settings, then every option given on the command line.
LearningCurveArgs resolve_args(const LearningCurveArgs& cli, const CLI::App& cmd) {
  if (cli.file.empty()) return cli;
  LearningCurveArgs a = cli;
  load_study_file(cli.file, a);
  for (const auto& k : kStudyKeys)
    if (cmd.count(k.option)) std::visit([&](auto m) { a.*m = cli.*m; }, k.member);
  return a;
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// Writes `text` to <out>/<file>.
void write_file(const std::string& out, const std::string& file, const std::string& text) {
  std::filesystem::create_directories(out);
  std::ofstream f(std::filesystem::path(out) / file);
  if (!(f << text)) throw UserError(out + "/" + file + ": cannot write");
}

// A header line and one line per row.
std::string csv(const std::string& header, const std::vector<std::string>& rows) {
  std::string s = header + "\n";
  for (const auto& r : rows) s += r + "\n";
  return s;
}

std::string csv_row(const std::vector<double>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + fmt("%.9g", v[i]);
  return s;
}

// "information gain" of the talk, log2 p(measured | theory) - log2 p(measured | reference),
// with the Gaussian convention of gaussian_log_likelihood.
struct Candidate {
  std::string name;
  std::vector<double> predicted;
};
std::string information_table(const std::string& what, const std::vector<double>& measured,
                              const std::vector<double>& std_error, const std::vector<Candidate>& theories) {
  std::string s = "information gain over the " + what +
                  " (Gaussian, widths = measured standard errors; bits relative to the last row):\n";
  std::vector<double> ll;
  int used = 0;
  for (const auto& t : theories) ll.push_back(gaussian_log_likelihood(measured, std_error, t.predicted, &used));
  // chi^2 = 2 (log-likelihood of a perfect prediction - log-likelihood)
  const double perfect = gaussian_log_likelihood(measured, std_error, measured);
  for (size_t i = 0; i < theories.size(); ++i)
    s += "  " + theories[i].name + std::string(std::max<size_t>(1, 46 - theories[i].name.size()), ' ') + "log-likelihood " +
         fmt("%14.1f", ll[i]) + "  chi2/point " + fmt("%12.2f", 2 * (perfect - ll[i]) / std::max(1, used)) + "  gain " +
         fmt("%+14.1f", (ll[i] - ll.back()) / std::numbers::ln2) + " bits\n";
  s += "  (" + std::to_string(used) + " points with a nonzero standard error)\n";
  return s;
}

std::vector<int> log_sizes(int lo, int hi) {
  std::vector<int> m;
  for (int k = 0;; ++k) {
    const int v = int(std::lround(lo * std::pow(2.0, k / 2.0)));
    if (v > hi) break;
    if (m.empty() || v != m.back()) m.push_back(v);
  }
  return m;
}

Box parse_box(const std::string& text, int dim) {
  const auto v = parse_list<double>(text, "--box");
  if (v.size() != 2 || !(v[0] >= 0 && v[0] < v[1] && v[1] <= 1))
    throw UserError("--box '" + text + "': expected LO,HI with 0 <= LO < HI <= 1 (the target's side in every coordinate)");
  return Box{std::vector<double>(dim, v[0]), std::vector<double>(dim, v[1])};
}

// The studies are built (and every option checked) before anything is computed or written.
RectangleStudy rectangle_study(const LearningCurveArgs& a) {
  if (a.dim < 1 || a.dim > 10) throw UserError("--dim " + std::to_string(a.dim) + ": allowed 1..10");
  if (a.m_min < 1 || a.m_max < a.m_min || a.m_max > 1000000)
    throw UserError("--m-min/--m-max " + std::to_string(a.m_min) + "/" + std::to_string(a.m_max) +
                    ": need 1 <= m-min <= m-max <= 1000000");
  if (a.sets < 20 || a.sets > 10000000) throw UserError("--sets " + std::to_string(a.sets) + ": allowed 20..10000000");
  RectangleStudy s;
  s.inputs = CoordinateDistribution::parse(a.inputs);
  s.target = parse_box(a.box, a.dim);
  s.sizes = log_sizes(a.m_min, a.m_max);
  s.sets = a.sets, s.delta = a.delta, s.seed = a.seed;
  return s;
}

PerceptronStudy perceptron_study(const LearningCurveArgs& a) {
  if (a.n < 2 || a.n > 1000) throw UserError("--n " + std::to_string(a.n) + ": allowed 2..1000");
  if (a.teachers < 2 || a.draws < 1 || a.burn_in < 0)
    throw UserError("--teachers >= 2, --draws >= 1 and --burn-in >= 0 are required");
  PerceptronStudy s;
  s.n = a.n, s.teachers = a.teachers, s.burn_in = a.burn_in, s.draws = a.draws, s.delta = a.delta, s.seed = a.seed;
  s.alphas = parse_list<double>(a.alphas, "--alphas");
  for (double x : s.alphas)
    if (!(x > 0 && x <= 100)) throw UserError("--alphas '" + a.alphas + "': every alpha = P/N must lie in (0, 100]");
  if (s.alphas.empty()) throw UserError("--alphas: give at least one alpha");
  // the sampler keeps the P x P Gram matrix of the examples
  for (double x : s.alphas)
    if (x * s.n > 5000)
      throw UserError("--alphas " + fmt("%g", x) + " with --n " + std::to_string(s.n) +
                      ": P = alpha N must stay <= 5000 (the Gibbs sampler holds a P x P matrix)");
  return s;
}

void run_rectangles(const RectangleStudy& s, const LearningCurveArgs& a) {
  const double p = box_mass(s.target, s.inputs);
  const int d = a.dim;
  const auto t0 = std::chrono::steady_clock::now();
  const auto pts = run_rectangle_study(s);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("axis-aligned boxes, tightest fit: d = %d, inputs %s per coordinate, target [%g,%g]^%d of mass p = %.4f\n", d,
              s.inputs.describe().c_str(), s.target.lo[0], s.target.hi[0], d, p);
  std::printf("%d training sets per m, %zu sizes m = %d..%d, seed %llu (%.1f s); error exact from the CDFs\n", a.sets,
              pts.size(), pts.front().m, pts.back().m, (unsigned long long)a.seed, wall);
  std::printf("theories: PAC bound (2d/m) ln(2d/delta), delta = %g; typical: exact mean (Binomial x Beta), its limit 2d/m,\n"
              "          and the (1 - delta) quantile of the limit law Gamma(2d, 1)/m\n\n", a.delta);
  const std::string q = fmt("%g", 100 * (1 - a.delta));
  std::string t = "| m | measured mean ± s.e. | exact/meas | 2d/m / meas | measured q" + q + " [95% CI] | PAC/q" + q +
                  " | Gamma q" + q + "/q" + q + " |\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : pts) {
    const auto& M = r.measured;
    t += "| " + std::to_string(r.m) + " | " + fmt("%.4g", M.mean) + " ± " + fmt("%.2g", M.std_error) + " | " +
         fmt("%.4f", r.exact_mean / M.mean) + " | " + fmt("%.3f", r.asymptotic_mean / M.mean) + " | " + fmt("%.4g", M.quantile) +
         " [" + fmt("%.4g", M.quantile_lo) + ", " + fmt("%.4g", M.quantile_hi) + "] | " + fmt("%.2f", r.pac_bound / M.quantile) +
         " | " + fmt("%.3f", r.typical_quantile / M.quantile) + " |\n";
  }
  std::vector<double> mean, se, quant, quant_se;
  std::vector<Candidate> means(3), quants(2);
  means[0].name = "exact typical mean", means[1].name = "large-m typical mean 2d/m",
  means[2].name = "PAC bound read as a law: (2d/m)(ln 2d + 1)";
  quants[0].name = "typical (large m): Gamma(2d,1) quantile / m", quants[1].name = "PAC bound (2d/m) ln(2d/delta)";
  for (const auto& r : pts) {
    mean.push_back(r.measured.mean), se.push_back(r.measured.std_error);
    quant.push_back(r.measured.quantile), quant_se.push_back(quantile_std_error(r.measured));
    means[0].predicted.push_back(r.exact_mean), means[1].predicted.push_back(r.asymptotic_mean);
    means[2].predicted.push_back(rectangle_pac_saturating_mean(r.m, d));
    quants[0].predicted.push_back(r.typical_quantile), quants[1].predicted.push_back(r.pac_bound);
  }
  t += "\nA bound is not a distribution: the PAC bound is compared with the measured (1 - delta) quantile by ratio\n"
       "(it must lie above it at every m); the likelihoods below need a convention for it, stated in each row.\n";
  t += information_table("measured mean errors", mean, se, means);
  t += information_table("measured " + q + "% quantiles", quant, quant_se, quants);
  bool under = true;
  for (const auto& r : pts) under = under && r.measured.quantile <= r.pac_bound;
  t += std::string("PAC bound above the measured quantile at every m: ") + (under ? "yes" : "NO (a bug)") + "\n";
  const std::string name = "learning-curves-rectangles";
  std::fputs(t.c_str(), stdout);
  write_file(a.out, name + "-ratios.md", t);

  std::vector<std::string> rows;
  for (const auto& r : pts) {
    const auto& M = r.measured;
    rows.push_back(csv_row({double(r.m), double(M.count), M.mean, M.std_error, M.median, M.median_lo, M.median_hi, M.quantile,
                            M.quantile_lo, M.quantile_hi, r.exact_mean, r.asymptotic_mean, r.pac_bound, r.typical_quantile}));
  }
  write_file(a.out, name + ".csv",
             csv("m,sets,mean,std_error,median,median_lo,median_hi,quantile,quantile_lo,quantile_hi,exact_mean,"
                 "asymptotic_mean,pac_bound,typical_quantile",
                 rows));

  LearningCurveFigure fig;
  fig.title = "Boxes in d = " + std::to_string(d) + ", tightest fit, inputs " + s.inputs.describe() + ", target mass " +
              fmt("%.3g", p) + ", " + std::to_string(a.sets) + " training sets per m";
  fig.x_label = "training examples m", fig.y_label = "true error";
  LearningCurveFigure::Measured mm{"measured mean (± 2 s.e.)", kBlue, 7, {}}, mq{"measured " + q + "% quantile (95% CI)", kVermillion, 5, {}},
      md{"measured median (95% CI)", kGreen, 9, {}};
  LearningCurveFigure::Theory exact{"typical case: exact mean", kBlue, 1, {}}, asym{"typical case: 2d/m", kBlue, 2, {}},
      pac{"PAC bound (2d/m) ln(2d/δ), δ = " + fmt("%g", a.delta) + " (vacuous above p)", kVermillion, 1, {}},
      tq{"typical case: Gamma(2d,1) " + q + "% quantile / m", kVermillion, 2, {}};
  for (const auto& r : pts) {
    const auto& M = r.measured;
    mm.points.push_back({double(r.m), M.mean, M.mean - 2 * M.std_error, M.mean + 2 * M.std_error});
    mq.points.push_back({double(r.m), M.quantile, M.quantile_lo, M.quantile_hi});
    md.points.push_back({double(r.m), M.median, M.median_lo, M.median_hi});
  }
  for (double lm = std::log10(pts.front().m); lm <= std::log10(pts.back().m) + 1e-9; lm += 0.02) {
    const int m = std::max(1, int(std::lround(std::pow(10.0, lm))));
    exact.curve.push_back({double(m), rectangle_exact_mean_error(m, p, d)});
    asym.curve.push_back({double(m), rectangle_asymptotic_mean_error(m, d)});
    pac.curve.push_back({double(m), rectangle_pac_bound(m, d, a.delta)});
    tq.curve.push_back({double(m), rectangle_typical_quantile(m, d, 1 - a.delta)});
  }
  fig.theory = {pac, tq, exact, asym};
  fig.measured = {mq, md, mm};
  fig.x_min = pts.front().m / 1.3, fig.x_max = pts.back().m * 1.3;
  fig.y_min = 0.5 * std::min(pts.back().measured.median, pts.back().asymptotic_mean), fig.y_max = 1;
  std::printf("%s\n", draw_learning_curve_figure(fig, a.out, name).c_str());
}

void run_perceptron(const PerceptronStudy& s, const LearningCurveArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto pts = run_perceptron_study(s);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double c = gibbs_asymptotic_coefficient();

  std::printf("\nperceptron teacher-student: N = %d, %d teachers (training sets) per alpha, Gibbs students by exact HMC on\n"
              "the version space (start at the teacher, %d iterations burn-in, %d draws), Hebb students; seed %llu (%.1f s)\n",
              a.n, a.teachers, a.burn_in, a.draws, (unsigned long long)a.seed, wall);
  std::printf("theories: replica Gibbs eps(alpha) (and at P/(N-1)), its limit %.4f/alpha, Hebb, VC bound (VC dim N, Cover count)\n\n", c);
  const std::string q = fmt("%g", 100 * (1 - a.delta));
  std::string t = "| alpha | P | Gibbs measured ± s.e. | replica/meas | replica(P/(N-1))/meas | " + fmt("%.3f", c) +
                  "/alpha / meas | Gibbs q" + q + " | VC/q" + q + " | Hebb measured | Hebb theory/meas | bounces/iter |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|\n";
  bool consistent = true;
  for (const auto& r : pts) {
    consistent = consistent && r.all_consistent;
    t += "| " + fmt("%g", r.alpha) + " | " + std::to_string(r.p) + " | " + fmt("%.4f", r.gibbs.mean) + " ± " +
         fmt("%.4f", r.gibbs.std_error) + " | " + fmt("%.3f", r.replica / r.gibbs.mean) + " | " +
         fmt("%.3f", r.replica_finite_n / r.gibbs.mean) + " | " + fmt("%.3f", c / r.alpha / r.gibbs.mean) + " | " +
         fmt("%.4f", r.gibbs_draws.quantile) + " | " + fmt("%.2f", r.vc_bound / r.gibbs_draws.quantile) + " | " +
         fmt("%.4f", r.hebb.mean) + " ± " + fmt("%.4f", r.hebb.std_error) + " | " + fmt("%.3f", r.hebb_theory / r.hebb.mean) +
         " | " + fmt("%.0f", r.bounces_per_iteration) + " |\n";
  }
  std::vector<double> mean, se;
  std::vector<Candidate> th(4);
  th[0].name = "replica Gibbs at alpha", th[1].name = "replica Gibbs at P/(N-1)", th[2].name = fmt("%.4f", c) + "/alpha";
  th[3].name = "VC bound read as a law (its mean)";
  for (const auto& r : pts) {
    mean.push_back(r.gibbs.mean), se.push_back(r.gibbs.std_error);
    th[0].predicted.push_back(r.replica), th[1].predicted.push_back(r.replica_finite_n), th[2].predicted.push_back(c / r.alpha);
    th[3].predicted.push_back(halfspace_vc_saturating_mean(r.p, a.n));
  }
  t += "\n" + information_table("measured Gibbs mean errors", mean, se, th);
  t += std::string("every Gibbs draw consistent with its training set: ") + (consistent ? "yes" : "NO (a bug)") + "\n";
  const std::string name = "learning-curves-perceptron";
  std::fputs(t.c_str(), stdout);
  write_file(a.out, name + "-ratios.md", t);

  std::vector<std::string> rows;
  for (const auto& r : pts)
    rows.push_back(csv_row({r.alpha, double(r.p), double(r.gibbs.count), r.gibbs.mean, r.gibbs.std_error, r.gibbs_draws.median,
                            r.gibbs_draws.quantile, r.gibbs_draws.quantile_lo, r.gibbs_draws.quantile_hi, r.replica,
                            r.replica_finite_n, r.vc_bound, r.hebb.mean, r.hebb.std_error, r.hebb_theory,
                            r.bounces_per_iteration}));
  write_file(a.out, name + ".csv",
             csv("alpha,p,teachers,gibbs_mean,gibbs_std_error,gibbs_median,gibbs_quantile,gibbs_quantile_lo,"
                 "gibbs_quantile_hi,replica,replica_finite_n,vc_bound,hebb_mean,hebb_std_error,hebb_theory,"
                 "bounces_per_iteration",
                 rows));

  LearningCurveFigure fig;
  fig.title = "Perceptron teacher-student, N = " + std::to_string(a.n) + " (" + std::to_string(a.teachers) +
              " training sets per alpha)";
  fig.x_label = "alpha = P/N", fig.y_label = "generalization error";
  LearningCurveFigure::Measured gm{"Gibbs (HMC on the version space): mean ± 2 s.e.", kBlue, 7, {}},
      gq{"Gibbs: " + q + "% quantile of the draws (95% CI)", kVermillion, 5, {}}, hm{"Hebb: mean ± 2 s.e.", kGreen, 9, {}};
  for (const auto& r : pts) {
    gm.points.push_back({r.alpha, r.gibbs.mean, r.gibbs.mean - 2 * r.gibbs.std_error, r.gibbs.mean + 2 * r.gibbs.std_error});
    gq.points.push_back({r.alpha, r.gibbs_draws.quantile, r.gibbs_draws.quantile_lo, r.gibbs_draws.quantile_hi});
    hm.points.push_back({r.alpha, r.hebb.mean, r.hebb.mean - 2 * r.hebb.std_error, r.hebb.mean + 2 * r.hebb.std_error});
  }
  LearningCurveFigure::Theory rep{"replica Gibbs, N = ∞", kBlue, 1, {}}, repn{"replica Gibbs at α N/(N-1)", kBlue, 3, {}},
      asym{fmt("%.3f", c) + "/α", kBlue, 2, {}}, hebb{"Hebb, N = ∞", kGreen, 1, {}},
      vc{"VC bound (VC dim N), δ = " + fmt("%g", a.delta) + " (vacuous above 1/2)", kVermillion, 1, {}};
  const double lo = std::log10(pts.front().alpha) - 0.1, hi = std::log10(pts.back().alpha) + 0.1;
  for (double la = lo; la <= hi + 1e-9; la += (hi - lo) / 60) {
    const double al = std::pow(10.0, la);
    rep.curve.push_back({al, gibbs_replica_error(al)});
    repn.curve.push_back({al, gibbs_replica_error(al * a.n / (a.n - 1))});
    asym.curve.push_back({al, c / al});
    hebb.curve.push_back({al, hebb_error(al)});
    const int m = std::max(1, int(std::lround(al * a.n)));
    vc.curve.push_back({al, halfspace_vc_bound(m, a.n, a.delta)});
  }
  fig.theory = {vc, rep, repn, asym, hebb};
  fig.measured = {gq, hm, gm};
  fig.x_min = pts.front().alpha / 1.3, fig.x_max = pts.back().alpha * 1.3;
  fig.y_min = 0.5 * pts.back().gibbs.mean, fig.y_max = 1;
  std::printf("%s\n", draw_learning_curve_figure(fig, a.out, name).c_str());
}

}  // namespace

void add_learning_curves_command(CLI::App& theory) {
  auto a = std::make_shared<LearningCurveArgs>();
  CLI::App* c = theory.add_subcommand(
      "learning-curves",
      "PAC bound vs statistical mechanics beside a measurement: axis-aligned boxes (tightest fit) and a perceptron "
      "teacher-student (Gibbs learning by HMC on the version space, Hebb)");
  c->add_option("study", a->file, "study file (examples/learning-curves.toml); options given here override it")
      ->check(CLI::ExistingFile);
  c->add_option("--concept", a->which, "rectangles, perceptron or both")
      ->check(CLI::IsMember({"rectangles", "perceptron", "both"}))
      ->capture_default_str();
  c->add_option("--dim", a->dim, "boxes: dimension d")->capture_default_str();
  c->add_option("--inputs", a->inputs, "boxes: coordinate distribution, uniform or beta:A,B (integers)")->capture_default_str();
  c->add_option("--box", a->box, "boxes: target side LO,HI in every coordinate")->capture_default_str();
  c->add_option("--m-min", a->m_min, "boxes: smallest training-set size")->capture_default_str();
  c->add_option("--m-max", a->m_max, "boxes: largest training-set size (sizes step by sqrt 2)")->capture_default_str();
  c->add_option("--sets", a->sets, "boxes: random training sets per size")->capture_default_str();
  c->add_option("--n", a->n, "perceptron: input dimension N")->capture_default_str();
  c->add_option("--alphas", a->alphas, "perceptron: alpha = P/N values, comma-separated")->capture_default_str();
  c->add_option("--teachers", a->teachers, "perceptron: teachers (training sets) per alpha")->capture_default_str();
  c->add_option("--burn-in", a->burn_in, "perceptron: HMC iterations discarded per training set")->capture_default_str();
  c->add_option("--draws", a->draws, "perceptron: Gibbs students kept per training set")->capture_default_str();
  c->add_option("--delta", a->delta, "confidence parameter of the bounds; the (1 - delta) quantile is measured")
      ->capture_default_str();
  c->add_option("--seed", a->seed, "seed of every random draw")->capture_default_str();
  c->add_option("-o,--out", a->out, "output folder for figures, CSV and ratio tables")->capture_default_str();
  c->callback([a, c] {
    const LearningCurveArgs args = resolve_args(*a, *c);
    if (args.which != "rectangles" && args.which != "perceptron" && args.which != "both")
      throw UserError("concept '" + args.which + "': allowed rectangles, perceptron, both");
    if (!(args.delta > 0 && args.delta <= 0.5)) throw UserError("delta " + fmt("%g", args.delta) + ": allowed (0, 0.5]");
    const bool boxes = args.which != "perceptron", perceptron = args.which != "rectangles";
    const RectangleStudy rs = boxes ? rectangle_study(args) : RectangleStudy{};
    const PerceptronStudy ps = perceptron ? perceptron_study(args) : PerceptronStudy{};
    if (boxes) run_rectangles(rs, args);
    if (perceptron) run_perceptron(ps, args);
  });
}

}  // namespace geneft
