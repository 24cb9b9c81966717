#include "slt/bayes_transition.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/hash.h"
#include "core/rng.h"
#include "plot/gnuplot.h"
#include "slt/local_learning_coefficient.h"
#include "slt/tanh_network.h"

namespace geneft {
namespace {

constexpr double kRhatWarning = 1.1;
constexpr double kEssWarning = 100;

uint64_t data_seed(uint64_t seed, int64_t n, int k) {
  return splitmix64(seed ^ splitmix64(uint64_t(n) * 1009 + uint64_t(k) + 0xB7A5));
}

double unit_rms(double a, double q, const std::vector<double>& inputs) {
  double s = 0;
  for (double x : inputs) s += std::tanh(a * x) * std::tanh(a * x);
  return std::fabs(q) * std::sqrt(s / double(inputs.size()));
}

// Effective sample size of one chain's series (Geyer 1992, initial positive sequence of
// autocorrelation pairs); the series' length when it is constant.
double chain_ess(const std::vector<double>& x) {
  const size_t m = x.size();
  double mean = 0;
  for (double v : x) mean += v;
  mean /= double(m);
  double c0 = 0;
  for (double v : x) c0 += (v - mean) * (v - mean);
  if (c0 <= 0) return double(m);
  auto rho = [&](size_t lag) {
    double c = 0;
    for (size_t i = 0; i + lag < m; ++i) c += (x[i] - mean) * (x[i + lag] - mean);
    return c / c0;
  };
  double tau = 1;  // 1 + 2 Σ ρ_t
  for (size_t t = 1; t + 1 < m; t += 2) {
    const double pair = rho(t) + rho(t + 1);
    if (pair <= 0) break;
    tau += 2 * pair;
  }
  return double(m) / tau;
}

// Gelman–Rubin R̂ of equal-length series (1 when every draw is the same)
double gelman_rubin(const std::vector<std::vector<double>>& series) {
  const size_t C = series.size(), m = series.front().size();
  if (C < 2) return NAN;
  std::vector<double> means(C);
  double grand = 0, within = 0;
  for (size_t c = 0; c < C; ++c) {
    for (double v : series[c]) means[c] += v;
    means[c] /= double(m), grand += means[c] / double(C);
    double s = 0;
    for (double v : series[c]) s += (v - means[c]) * (v - means[c]);
    within += s / double(m - 1) / double(C);
  }
  double between = 0;
  for (double mu : means) between += (mu - grand) * (mu - grand);
  between *= double(m) / double(C - 1);
  if (within <= 0) return between <= 0 ? 1.0 : INFINITY;
  return std::sqrt(((double(m) - 1) / double(m) * within + between / double(m)) / within);
}

std::string fmt(const char* f, double a, double b = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

}  // namespace

double free_energy_crossing(double dK, double dl) {
  if (!(dK > 0) || !(dl > 0) || !std::isfinite(dK) || !std::isfinite(dl)) return NAN;
  // g(n) = n dK − dl log n is convex with its minimum at n = dl/dK; a root above it exists iff g < 0 there
  const double lo0 = dl / dK;
  if (dK * lo0 - dl * std::log(lo0) >= 0) return NAN;
  double lo = lo0, hi = lo0 * 2;
  while (dK * hi - dl * std::log(hi) < 0) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (dK * mid - dl * std::log(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double predicted_mass(int64_t n, double loss1, double lambda1, double loss2, double lambda2) {
  const double ln = std::log(double(n));
  const double dF = double(n) * (loss1 - loss2) + (lambda1 - lambda2) * ln;  // F_1 − F_2
  return 1.0 / (1.0 + std::exp(dF));
}

bool RegionRule::one_node(const double* w, const std::vector<double>& inputs) const {
  if (unit_rms(w[0], w[2], inputs) < off_rms || unit_rms(w[1], w[3], inputs) < off_rms) return true;
  const double a0 = std::fabs(w[0]), a1 = std::fabs(w[1]);
  return std::min(a0, a1) > ratio * std::max(a0, a1);
}

void validate(const TransitionSettings& s) {
  if (s.teacher_a.size() != 2 || s.teacher_q.size() != 2)
    throw UserError("--teacher-a and --teacher-q need two values each (the two teacher units)");
  for (double v : s.teacher_a)
    if (!(std::fabs(v) > 0 && std::fabs(v) <= 100)) throw UserError("--teacher-a value " + fmt("%g", v) + " is out of range: allowed 0 < |a| <= 100");
  for (double v : s.teacher_q)
    if (!(std::fabs(v) > 0 && std::fabs(v) <= 100)) throw UserError("--teacher-q value " + fmt("%g", v) + " is out of range: allowed 0 < |q| <= 100");
  if (!(s.input_scale > 0 && s.input_scale <= 100)) throw UserError("--input-scale " + fmt("%g", s.input_scale) + " is out of range: allowed (0, 100]");
  if (s.ns.empty()) throw UserError("--ns: give at least one sample size");
  for (int64_t n : s.ns)
    if (n < 10 || n > 1000000) throw UserError("--ns value " + std::to_string(n) + " is out of range: allowed [10, 1e6]");
  if (s.datasets < 1 || s.datasets > 1000)
    throw UserError("--datasets " + std::to_string(s.datasets) + " is out of range: allowed [1, 1000]");
  if (s.reference_n < 100 || s.reference_n > 10000000)
    throw UserError("--reference-n " + std::to_string(s.reference_n) + " is out of range: allowed [100, 1e7]");
  validate(s.sampler);
  validate(s.llc);
}

TransitionStudy measure_bayes_transition(const TransitionSettings& s) {
  validate(s);
  const auto t0 = std::chrono::steady_clock::now();
  TransitionStudy st;
  {
    nlohmann::ordered_json j;
    j["teacher_a"] = s.teacher_a, j["teacher_q"] = s.teacher_q, j["input_scale"] = s.input_scale;
    j["ns"] = s.ns, j["datasets"] = s.datasets, j["reference_n"] = s.reference_n, j["seed"] = s.seed;
    const auto& p = s.sampler;
    j["sampler"] = {{"gamma", p.gamma}, {"replicas", p.replicas}, {"beta_min", p.beta_min}, {"chains", p.chains},
                    {"burn_in", p.burn_in}, {"draws", p.draws}, {"thin", p.thin}, {"seed", p.seed}};
    const auto& l = s.llc;
    j["llc"] = {{"epsilon", l.epsilon}, {"gamma", l.gamma}, {"nbeta", l.nbeta}, {"chains", l.chains},
                {"burn_in", l.burn_in}, {"draws", l.draws}, {"thin", l.thin}, {"seed", l.seed}};
    st.settings_json = j.dump();
    st.id = sha256_hex(st.settings_json).substr(0, 16);
  }
  // The two minima on a large reference data set (≈ the population): "two nodes" by gradient
  // descent from the teacher; "one node" from the best one-unit fit duplicated with its output
  // weight halved (the middle of the Fukumizu–Amari line), a₁ − a₂ nudged so that descent shows
  // whether the line is a minimum or a saddle.
  const TanhNetwork ref(s.teacher_a, s.teacher_q, 2, s.input_scale, s.reference_n, s.seed ^ 0x5EF);
  const TanhNetwork ref1(s.teacher_a, s.teacher_q, 1, s.input_scale, s.reference_n, s.seed ^ 0x5EF);
  st.model = ref.describe();
  const double lr = 0.1 / (s.input_scale * s.input_scale);
  const std::vector<double> fit1 = descend(ref1, {s.teacher_a[0], s.teacher_q[0] + s.teacher_q[1]}, 4000, lr);
  st.two.w = descend(ref, {s.teacher_a[0], s.teacher_a[1], s.teacher_q[0], s.teacher_q[1]}, 4000, lr);
  st.one.w = descend(ref, {fit1[0] * 1.01, fit1[0] * 0.99, fit1[1] / 2, fit1[1] / 2}, 4000, lr);
  auto worker = ref.make_worker(int(s.reference_n));
  st.one.loss = worker->loss(st.one.w.data(), nullptr, int(s.reference_n), nullptr);
  st.two.loss = worker->loss(st.two.w.data(), nullptr, int(s.reference_n), nullptr);
  st.delta_K = st.one.loss - st.two.loss;
  st.one.lambda_theory = 1.5, st.two.lambda_theory = 2.0;

  // the rule: the ratio threshold halfway (geometric) between the two minima's ratios; a unit
  // is off below a third of the weaker unit's output at the two-node minimum
  const std::vector<double> inputs(ref.X.begin(), ref.X.begin() + std::min<int64_t>(2000, s.reference_n));
  auto ratio = [](const std::vector<double>& w) {
    return std::min(std::fabs(w[0]), std::fabs(w[1])) / std::max(std::fabs(w[0]), std::fabs(w[1]));
  };
  st.rule.ratio = std::sqrt(ratio(st.one.w) * ratio(st.two.w));
  st.rule.off_rms = std::min(unit_rms(st.two.w[0], st.two.w[2], inputs), unit_rms(st.two.w[1], st.two.w[3], inputs)) / 3;
  if (!st.rule.one_node(st.one.w.data(), inputs) || st.rule.one_node(st.two.w.data(), inputs) || !(st.delta_K > 0))
    throw UserError("this teacher gives no two competing regions: gradient descent from the duplicated one-unit fit "
                    "left it (the line of one-node points is a saddle here) or it is not worse than the two-node fit "
                    "(ΔK = " + fmt("%.3g", st.delta_K) + "); choose another --teacher-a/--teacher-q");

  // λ̂ at each minimum (Lau et al. 2023, localized SGLD)
  for (RegionFit* r : {&st.one, &st.two}) {
    const LlcEstimate e = estimate_llc(run_sgld(ref, r->w, s.llc));
    r->lambda_hat = e.mean, r->lambda_std = e.std, r->mala = e.mala_acceptance, r->warnings = e.warnings;
    for (const auto& w : e.warnings) st.warnings.push_back(std::string(r == &st.one ? "λ̂ one node: " : "λ̂ two nodes: ") + w);
  }
  st.nc_predicted = free_energy_crossing(st.delta_K, st.two.lambda_hat - st.one.lambda_hat);
  st.nc_predicted_theory = free_energy_crossing(st.delta_K, st.two.lambda_theory - st.one.lambda_theory);
  if (std::isnan(st.nc_predicted))
    st.warnings.push_back(fmt("no predicted crossing with λ̂: Δλ̂ = %.3f, ΔK = %.3g (needs Δλ̂/ΔK > e)",
                              st.two.lambda_hat - st.one.lambda_hat, st.delta_K));

  // the β = 1 posterior for each n and data set
  for (int64_t n : s.ns)
    for (int k = 0; k < s.datasets; ++k) {
      const TanhNetwork net(s.teacher_a, s.teacher_q, 2, s.input_scale, n, data_seed(s.seed, n, k));
      TransitionPoint p;
      p.n = n, p.dataset = k;
      const std::vector<double> w1 = descend(net, st.one.w, 2000, lr), w2 = descend(net, st.two.w, 2000, lr);
      auto wk = net.make_worker(int(n));
      p.delta_loss = wk->loss(w1.data(), nullptr, int(n), nullptr) - wk->loss(w2.data(), nullptr, int(n), nullptr);
      p.predicted_one = predicted_mass(n, p.delta_loss, st.one.lambda_hat, 0.0, st.two.lambda_hat);
      TemperingSettings ts = s.sampler;
      ts.seed = splitmix64(s.sampler.seed ^ data_seed(s.seed, n, k));
      const TemperingResult r = run_tempering(net, ts);
      std::vector<std::vector<double>> indicator;
      double ones = 0, count = 0;
      for (const auto& c : r.chains) {
        if (c.diverged) {
          ++p.diverged_chains;
          continue;
        }
        std::vector<double> ind(c.loss.size());
        for (size_t i = 0; i < ind.size(); ++i) ind[i] = st.rule.one_node(&c.parameters[i * 4], inputs) ? 1.0 : 0.0;
        for (double v : ind) ones += v, ++count;
        p.mala += c.mala_acceptance, p.swap += c.swap_acceptance, p.ess += chain_ess(ind);
        indicator.push_back(std::move(ind));
      }
      const std::string where = "n = " + std::to_string(n) + ", data set " + std::to_string(k) + ": ";
      if (indicator.empty()) throw UserError(where + "every chain diverged");
      p.mala /= double(indicator.size()), p.swap /= double(indicator.size());
      p.mass_one = ones / count;
      p.rhat = gelman_rubin(indicator);
      if (p.rhat > kRhatWarning)
        st.warnings.push_back(where + fmt("R̂ of the region indicator %.3f > %.1f: chains disagree on the masses", p.rhat, kRhatWarning));
      if (p.ess < kEssWarning)
        st.warnings.push_back(where + fmt("effective sample size of the region indicator %.0f < %.0f", p.ess, kEssWarning));
      if (p.mala < 0.3 || p.mala > 0.9)
        st.warnings.push_back(where + fmt("MALA acceptance %.3f outside [0.3, 0.9] after step adaptation", p.mala));
      if (p.swap < 0.1)
        st.warnings.push_back(where + fmt("replica swaps accepted %.3f < 0.1: add --replicas", p.swap));
      if (p.diverged_chains) st.warnings.push_back(where + std::to_string(p.diverged_chains) + " chains diverged");
      st.points.push_back(p);
    }
  st.nc_measured = measured_crossing(st.points, s.ns);
  std::tie(st.nc_measured_lo, st.nc_measured_hi) = bootstrap_crossing(st.points, s.ns, s.seed);
  {
    std::vector<double> d;
    auto logit = [](double p) { return std::log(p / (1 - p)); };
    for (const auto& p : st.points)
      if (p.mass_one > 0.02 && p.mass_one < 0.98 && p.predicted_one > 0.02 && p.predicted_one < 0.98)
        d.push_back(logit(p.mass_one) - logit(p.predicted_one));
    st.offset_points = int(d.size());
    st.log_odds_offset = st.log_odds_offset_se = NAN;
    if (!d.empty()) {
      double m = 0, v = 0;
      for (double x : d) m += x;
      m /= double(d.size());
      for (double x : d) v += (x - m) * (x - m);
      st.log_odds_offset = m;
      st.log_odds_offset_se = d.size() > 1 ? std::sqrt(v / double(d.size() - 1) / double(d.size())) : NAN;
    }
  }
  if (std::isnan(st.nc_measured))
    st.warnings.push_back("the measured mass of one node does not fall through ½ within --ns: no measured n_c");
  st.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return st;
}

double measured_crossing(const std::vector<TransitionPoint>& points, const std::vector<int64_t>& ns) {
  std::vector<std::pair<double, double>> mean;  // (log n, mean mass)
  for (int64_t n : ns) {
    double m = 0;
    int c = 0;
    for (const auto& p : points)
      if (p.n == n) m += p.mass_one, ++c;
    if (c > 0) mean.emplace_back(std::log(double(n)), m / c);
  }
  for (size_t i = 0; i + 1 < mean.size(); ++i)
    if (mean[i].second >= 0.5 && mean[i + 1].second < 0.5) {
      const double t = (mean[i].second - 0.5) / (mean[i].second - mean[i + 1].second);
      return std::exp(mean[i].first + t * (mean[i + 1].first - mean[i].first));
    }
  return NAN;
}

std::pair<double, double> bootstrap_crossing(const std::vector<TransitionPoint>& points, const std::vector<int64_t>& ns,
                                             uint64_t seed, int resamples) {
  Rng rng(splitmix64(seed ^ 0xB0075));
  std::vector<TransitionPoint> sample;
  std::vector<double> crossings;
  for (int b = 0; b < resamples; ++b) {
    sample.clear();
    for (int64_t n : ns) {  // as many draws with replacement as there are data sets at this n
      std::vector<const TransitionPoint*> at;
      for (const auto& p : points)
        if (p.n == n) at.push_back(&p);
      for (size_t k = 0; k < at.size(); ++k) sample.push_back(*at[rng.below(at.size())]);
    }
    const double c = measured_crossing(sample, ns);
    if (std::isfinite(c)) crossings.push_back(c);
  }
  if (crossings.empty()) return {NAN, NAN};
  std::sort(crossings.begin(), crossings.end());
  auto q = [&](double f) { return crossings[std::min(crossings.size() - 1, size_t(f * double(crossings.size())))]; };
  return {q(0.16), q(0.84)};
}

BayesTransitionRow transition_row(const TransitionStudy& st) {
  BayesTransitionRow row;
  row.id = st.id, row.created_at = utc_now_iso8601(), row.settings = st.settings_json, row.wall_seconds = st.wall_seconds;
  auto num = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); };
  auto region = [&](const RegionFit& r) {
    return nlohmann::ordered_json{{"w", r.w}, {"loss", r.loss}, {"lambda_hat", num(r.lambda_hat)},
                                  {"lambda_std", num(r.lambda_std)}, {"lambda_theory", r.lambda_theory},
                                  {"mala", num(r.mala)}};
  };
  nlohmann::ordered_json j;
  j["model"] = st.model, j["one_node"] = region(st.one), j["two_nodes"] = region(st.two), j["delta_K"] = st.delta_K;
  j["rule"] = {{"ratio", st.rule.ratio}, {"off_rms", st.rule.off_rms}};
  j["nc_predicted"] = num(st.nc_predicted), j["nc_predicted_theory"] = num(st.nc_predicted_theory);
  j["nc_measured"] = num(st.nc_measured), j["nc_measured_lo"] = num(st.nc_measured_lo);
  j["nc_measured_hi"] = num(st.nc_measured_hi), j["log_odds_offset"] = num(st.log_odds_offset);
  j["log_odds_offset_se"] = num(st.log_odds_offset_se), j["warnings"] = st.warnings;
  row.summary = j.dump();
  for (const auto& p : st.points)
    row.points.push_back({p.n, p.dataset, p.mass_one, p.predicted_one, p.delta_loss, p.mala, p.swap, p.rhat, p.ess,
                          p.diverged_chains});
  return row;
}

void print_bayes_transition(std::FILE* out, const TransitionStudy& st) {
  std::fprintf(out, "model        %s\nstudy        %s\n", st.model.c_str(), st.id.c_str());
  auto region = [&](const char* name, const RegionFit& r) {
    std::fprintf(out, "%-12s w = (%.3f, %.3f, %.3f, %.3f)  L = %.6f  λ̂ = %.3f ± %.3f (theory %.2g, MALA %.3f)\n", name,
                 r.w[0], r.w[1], r.w[2], r.w[3], r.loss, r.lambda_hat, r.lambda_std, r.lambda_theory, r.mala);
  };
  region("one node", st.one);
  region("two nodes", st.two);
  std::fprintf(out, "ΔK           %.6f   rule: one node if min|a|/max|a| > %.3f or a unit's output rms < %.3f\n",
               st.delta_K, st.rule.ratio, st.rule.off_rms);
  std::fprintf(out, "n_c          predicted %.0f (λ̂), %.0f (λ = 3/2, 2); measured %.0f (16–84 %% over bootstrap "
               "resamples of the data sets: %.0f–%.0f)\n", st.nc_predicted, st.nc_predicted_theory, st.nc_measured,
               st.nc_measured_lo, st.nc_measured_hi);
  std::fprintf(out, "log-odds     measured − predicted %.2f ± %.2f over %d data sets (the O(1) term of F_2 − F_1)\n",
               st.log_odds_offset, st.log_odds_offset_se, st.offset_points);
  std::fprintf(out, "%7s %4s %10s %10s %10s %6s %6s %6s %7s\n", "n", "set", "mass one", "predicted", "ΔL_n", "MALA",
               "swap", "R̂", "ESS");
  for (const auto& p : st.points)
    std::fprintf(out, "%7lld %4d %10.3f %10.3f %10.5f %6.3f %6.3f %6.3f %7.0f\n", (long long)p.n, p.dataset, p.mass_one,
                 p.predicted_one, p.delta_loss, p.mala, p.swap, p.rhat, p.ess);
  std::fprintf(out, "wall         %.1f s\n", st.wall_seconds);
  for (const auto& w : st.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
}

void write_bayes_transition(const std::string& prefix, const TransitionStudy& st) {
  {
    std::ofstream f(prefix + ".csv");
    if (!f) throw UserError(prefix + ".csv: cannot write");
    f << "n,dataset,mass_one,predicted_one,delta_loss,mala,swap,rhat,ess,diverged_chains\n";
    char buf[256];
    for (const auto& p : st.points) {
      std::snprintf(buf, sizeof buf, "%lld,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d\n", (long long)p.n, p.dataset,
                    p.mass_one, p.predicted_one, p.delta_loss, p.mala, p.swap, p.rhat, p.ess, p.diverged_chains);
      f << buf;
    }
  }
  // block 0: every data set (n, mass, predicted); block 1: mean ± se per n; block 2: the
  // population prediction on a fine grid of n
  std::string data;
  char buf[200];
  for (const auto& p : st.points) {
    std::snprintf(buf, sizeof buf, "%lld %.6g %.6g\n", (long long)p.n, p.mass_one, p.predicted_one);
    data += buf;
  }
  data += "\n\n";
  for (size_t i = 0; i < st.points.size();) {
    const int64_t n = st.points[i].n;
    double m = 0, m2 = 0, pm = 0;
    int c = 0;
    for (; i < st.points.size() && st.points[i].n == n; ++i, ++c)
      m += st.points[i].mass_one, m2 += st.points[i].mass_one * st.points[i].mass_one, pm += st.points[i].predicted_one;
    m /= c, pm /= c;
    const double se = c > 1 ? std::sqrt(std::max(0.0, (m2 - c * m * m) / (c - 1) / c)) : 0;
    std::snprintf(buf, sizeof buf, "%lld %.6g %.6g %.6g\n", (long long)n, m, se, pm);
    data += buf;
  }
  data += "\n\n";
  const double lo = double(st.points.front().n) / 1.5, hi = double(st.points.back().n) * 1.5;
  for (int i = 0; i <= 100; ++i) {
    const double n = lo * std::pow(hi / lo, i / 100.0);
    std::snprintf(buf, sizeof buf, "%.6g %.6g %.6g\n", n,
                  predicted_mass(int64_t(n), st.delta_K, st.one.lambda_hat, 0, st.two.lambda_hat),
                  predicted_mass(int64_t(n), st.delta_K, st.one.lambda_theory, 0, st.two.lambda_theory));
    data += buf;
  }
  std::string cmds = "set title " + gp_quote("Bayesian phase transition in n: " + st.model) + " noenhanced font ',10'\n" +
      "set xlabel 'n (training samples)'\nset logscale x\nset ylabel 'posterior mass of one node'\n"
      "set yrange [-0.05:1.05]\nset key outside top center horizontal\nset grid lc rgb '#dddddd'\n";
  if (std::isfinite(st.nc_predicted))
    cmds += fmt("set arrow from %g, graph 0 to %g, graph 1 nohead dt 2 lc rgb '", st.nc_predicted, st.nc_predicted) +
            kOrange + "'\n";
  if (std::isfinite(st.nc_measured))
    cmds += fmt("set arrow from %g, graph 0 to %g, graph 1 nohead dt 3 lc rgb '", st.nc_measured, st.nc_measured) +
            kBlue + "'\n";
  cmds += std::string("plot DATAFILE index 0 using 1:2 with points pt 6 ps 0.8 lc rgb '") + kBlue + "' title 'measured, per data set', \\\n"
      "     DATAFILE index 1 using 1:2:3 with yerrorlines pt 7 lc rgb '" + kBlue + "' title 'measured mean ± se', \\\n"
      "     DATAFILE index 1 using 1:4 with linespoints pt 4 dt 2 lc rgb '" + kVermillion + "' title 'F_α on each data set (λ̂)', \\\n"
      "     DATAFILE index 2 using 1:2 with lines lc rgb '" + kOrange + "' title 'F_α with ΔK, λ̂ (n_c dashed)', \\\n"
      "     DATAFILE index 2 using 1:3 with lines dt 4 lc rgb '" + kGreen + "' title 'F_α with ΔK, λ = 3/2, 2'\n";
  render_data_figure(prefix, data, cmds, {900, 600});
}

}  // namespace geneft
