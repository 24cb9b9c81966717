#include "slt/bayes_errors.h"

#include <cmath>
#include <fstream>

#include <Eigen/Dense>

#include "core/error.h"
#include "core/rng.h"
#include "plot/gnuplot.h"
#include "slt/deep_linear_network.h"
#include "slt/wbic.h"

namespace geneft {
namespace {

// Per-point accumulators over posterior draws: Welford mean/M2 of ℓ = log p (up to the constant)
// and a running log-sum-exp.
struct PointStats {
  std::vector<double> mean, m2, lse_max, lse_sum;
  explicit PointStats(size_t m) : mean(m, 0.0), m2(m, 0.0), lse_max(m, -INFINITY), lse_sum(m, 0.0) {}
  void add(size_t i, double l, int64_t count) {  // count: draws seen including this one
    const double delta = l - mean[i];
    mean[i] += delta / double(count);
    m2[i] += delta * (l - mean[i]);
    if (l > lse_max[i]) lse_sum[i] = lse_sum[i] * std::exp(lse_max[i] - l) + 1, lse_max[i] = l;
    else lse_sum[i] += std::exp(l - lse_max[i]);
  }
  double log_mean_exp(size_t i, int64_t count) const { return lse_max[i] + std::log(lse_sum[i] / double(count)); }
};

// ℓ(y | x, P) = −½ |y − P x|² (the Gaussian log-likelihood without its constant, which cancels in
// every quantity below); P (N, M) row-major.
double log_lik(const double* P, const double* x, const double* y, int M, int N) {
  double s = 0;
  for (int a = 0; a < N; ++a) {
    double f = 0;
    for (int b = 0; b < M; ++b) f += P[size_t(a) * M + b] * x[b];
    s += (y[a] - f) * (y[a] - f);
  }
  return -0.5 * s;
}

MeanSe mean_se(const std::vector<double>& v) {
  MeanSe m;
  for (double x : v) m.mean += x;
  m.mean /= double(v.size());
  double var = 0;
  for (double x : v) var += (x - m.mean) * (x - m.mean);
  m.se = v.size() > 1 ? std::sqrt(var / double(v.size() - 1) / double(v.size())) : NAN;
  return m;
}

struct DataSetResult {
  double G, T, V, waic, wbic_minus_nl0 = NAN, lambda_wbic = NAN, wbic_exact = NAN, free_energy_exact = NAN, mala;
  int diverged;
};

}  // namespace

// (bayes_errors.h) the posterior of each output row w_a at inverse temperature β is Gaussian:
// precision A = β XᵀX + γI, mean m_a = A⁻¹ β Xᵀ y_a.
ExactFreeEnergies regular_model_free_energies(const DeepLinearNetwork& net, double gamma) {
  const int64_t n = net.num_samples();
  const int M = net.widths().front(), N = net.widths().back();
  using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMatrix> X(net.X.data(), n, M), Y(net.Y.data(), n, N);
  const Eigen::MatrixXd XtX = X.transpose() * X, XtY = X.transpose() * Y;
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(M, M);
  auto fit = [&](double beta, double& residual, double& prior) {  // returns the Cholesky factor of A
    Eigen::LLT<Eigen::MatrixXd> A(beta * XtX + gamma * I);
    const Eigen::MatrixXd m = A.solve(beta * XtY);  // (M, N): column a is m_a
    residual = 0.5 * (Y - X * m).squaredNorm(), prior = 0.5 * gamma * m.squaredNorm();
    return A;
  };
  double res, pri;
  const auto Aw = fit(1.0 / std::log(double(n)), res, pri);
  const double wbic = res + 0.5 * N * Aw.solve(XtX).trace();
  const auto A1 = fit(1.0, res, pri);
  double logdet = 0;  // log det(A/γ) from the Cholesky diagonal
  for (int i = 0; i < M; ++i) logdet += 2 * std::log(A1.matrixL()(i, i)) - std::log(gamma);
  return {wbic, res + pri + 0.5 * N * logdet};
}

namespace {

DataSetResult one_data_set(const ValidationSpec& spec, const BayesErrorSettings& settings, double& true_lambda,
                           std::string& describe, size_t& d) {
  const ValidationModel v = make_validation_model(spec);
  const auto* net = dynamic_cast<const DeepLinearNetwork*>(v.target.get());
  if (!net) throw UserError("Bayes errors need a model with data to predict: --model regular, rrr or dln");
  true_lambda = v.true_lambda, describe = net->describe(), d = net->dim();
  const int64_t n = net->num_samples();
  const int M = net->widths().front(), N = net->widths().back();
  SgldSettings s = settings.sampler;
  s.nbeta = double(n);  // β = 1
  // chains of their own for every data set and n: with one seed for all, every data set would
  // share the same Monte Carlo error, which the mean over data sets then neither averages out nor
  // shows in its standard error
  s.seed = splitmix64(settings.sampler.seed ^ splitmix64(uint64_t(n) * 0x9E3779B9u + spec.seed));
  if (s.epsilon == 0) s.epsilon = 0.02 / double(n);
  s.keep_parameters = true;
  const std::vector<double> prior_mean(net->dim(), 0.0);
  const SgldResult r = run_sgld(*net, prior_mean, s, &v.center);

  // a fresh test set from the same truth, its own stream per (data seed, n)
  const std::vector<double> P0 = net->product(net->true_parameter().data());
  Rng rng(splitmix64(spec.seed ^ splitmix64(uint64_t(n) + 0x7E57)));
  const int64_t T = settings.test_size;
  std::vector<double> Xt(size_t(T) * M), Yt(size_t(T) * N);
  for (auto& x : Xt) x = rng.normal();
  for (int64_t t = 0; t < T; ++t)
    for (int a = 0; a < N; ++a) {
      double f = 0;
      for (int b = 0; b < M; ++b) f += P0[size_t(a) * M + b] * Xt[size_t(t) * M + b];
      Yt[size_t(t) * N + a] = f + rng.normal();
    }

  PointStats train{size_t(n)}, test{size_t(T)};
  int64_t count = 0;
  DataSetResult out{};
  double mala = 0;
  int used = 0;
  for (const auto& ch : r.chains) {
    if (ch.diverged) {
      ++out.diverged;
      continue;
    }
    mala += ch.mala_acceptance, ++used;
    for (size_t k = 0; k < ch.loss.size(); ++k) {
      const std::vector<double> P = net->product(&ch.parameters[k * net->dim()]);
      ++count;
      for (int64_t i = 0; i < n; ++i)
        train.add(size_t(i), log_lik(P.data(), &net->X[size_t(i) * M], &net->Y[size_t(i) * N], M, N), count);
      for (int64_t t = 0; t < T; ++t)
        test.add(size_t(t), log_lik(P.data(), &Xt[size_t(t) * M], &Yt[size_t(t) * N], M, N), count);
    }
  }
  if (count < 2) throw UserError("Bayes errors: every chain diverged at n = " + std::to_string(n) + "; reduce --epsilon");
  out.mala = mala / used;
  double G = 0, Tn = 0, V = 0, nl0 = 0;
  for (int64_t t = 0; t < T; ++t)
    G += -test.log_mean_exp(size_t(t), count) + log_lik(P0.data(), &Xt[size_t(t) * M], &Yt[size_t(t) * N], M, N);
  for (int64_t i = 0; i < n; ++i) {
    const double l0 = log_lik(P0.data(), &net->X[size_t(i) * M], &net->Y[size_t(i) * N], M, N);
    Tn += -train.log_mean_exp(size_t(i), count) + l0;
    V += train.m2[size_t(i)] / double(count - 1);
    nl0 -= l0;
  }
  out.G = G / double(T), out.T = Tn / double(n), out.V = V, out.waic = out.T + V / double(n);
  if (settings.wbic) {
    SgldSettings sw = s;
    sw.keep_parameters = false;
    const WbicResult w = estimate_wbic(*net, sw, &v.center);
    out.wbic_minus_nl0 = w.wbic - nl0, out.lambda_wbic = w.lambda_two_temperatures;
  }
  if (net->widths().size() == 2) {
    const ExactFreeEnergies e = regular_model_free_energies(*net, s.gamma);
    out.wbic_exact = e.wbic - nl0, out.free_energy_exact = e.free_energy - nl0;
  }
  return out;
}

}  // namespace

BayesErrorStudy measure_bayes_errors(ValidationSpec spec, const BayesErrorSettings& settings) {
  if (settings.ns.empty()) throw UserError("--ns: give at least one sample size");
  for (int64_t n : settings.ns)
    if (n < 10 || n > 1000000) throw UserError("--ns value " + std::to_string(n) + " is out of range: allowed [10, 1e6]");
  if (settings.datasets < 2 || settings.datasets > 1000)
    throw UserError("--datasets " + std::to_string(settings.datasets) + " is out of range: allowed [2, 1000]");
  if (settings.test_size < 100 || settings.test_size > 10000000)
    throw UserError("--test-size " + std::to_string(settings.test_size) + " is out of range: allowed [100, 1e7]");
  if (spec.model == "normal-crossing")
    throw UserError("Bayes errors need a model with data to predict: --model regular, rrr or dln");
  SgldSettings check = settings.sampler;
  if (check.epsilon == 0) check.epsilon = 1;  // 0 means 0.02 / n
  validate(check);
  BayesErrorStudy study;
  const uint64_t base = spec.seed;
  spec.center = "trained";
  for (int64_t n : settings.ns) {
    std::vector<double> G, T, V, nu, waic, f, lw, fe, ff;
    BayesErrorPoint p;
    p.n = n;
    for (int k = 0; k < settings.datasets; ++k) {
      spec.n = n, spec.seed = base + uint64_t(k);
      const DataSetResult r = one_data_set(spec, settings, study.true_lambda, study.model, study.d);
      G.push_back(r.G), T.push_back(r.T), V.push_back(r.V), nu.push_back(r.V / 2), waic.push_back(r.waic);
      f.push_back(r.wbic_minus_nl0), lw.push_back(r.lambda_wbic), fe.push_back(r.wbic_exact), ff.push_back(r.free_energy_exact);
      p.mala += r.mala / settings.datasets, p.diverged_chains += r.diverged;
    }
    p.G = mean_se(G), p.T = mean_se(T), p.V = mean_se(V), p.nu = mean_se(nu), p.waic = mean_se(waic);
    p.wbic_minus_nl0 = mean_se(f), p.lambda_wbic = mean_se(lw), p.wbic_exact = mean_se(fe), p.free_energy_exact = mean_se(ff);
    if (p.mala < 0.9)
      study.warnings.push_back("n = " + std::to_string(n) + ": mean MALA acceptance " + std::to_string(p.mala) +
                               " < 0.9: the step is too large for β = 1, reduce --epsilon");
    if (p.diverged_chains > 0)
      study.warnings.push_back("n = " + std::to_string(n) + ": " + std::to_string(p.diverged_chains) + " chains diverged");
    study.points.push_back(p);
  }
  // least-squares slope of a per-n mean against log n, its standard error from the per-point
  // standard errors (independent data sets at each n)
  auto slope = [&](MeanSe BayesErrorPoint::*of, double& b, double& se) {
    b = se = NAN;
    if (study.points.size() < 2 || std::isnan((study.points[0].*of).mean)) return;
    double mx = 0, my = 0;
    for (const auto& p : study.points) mx += std::log(double(p.n)), my += (p.*of).mean;
    mx /= double(study.points.size()), my /= double(study.points.size());
    double sxx = 0, sxy = 0, var = 0;
    for (const auto& p : study.points) {
      const double dx = std::log(double(p.n)) - mx;
      sxx += dx * dx, sxy += dx * ((p.*of).mean - my), var += dx * dx * (p.*of).se * (p.*of).se;
    }
    b = sxy / sxx, se = std::sqrt(var) / sxx;
  };
  slope(&BayesErrorPoint::wbic_minus_nl0, study.slope, study.slope_se);
  slope(&BayesErrorPoint::wbic_exact, study.slope_wbic_exact, study.slope_wbic_exact_se);
  slope(&BayesErrorPoint::free_energy_exact, study.slope_free_energy_exact, study.slope_free_energy_exact_se);
  return study;
}

void print_bayes_errors(std::FILE* out, const BayesErrorStudy& s) {
  std::fprintf(out, "model      %s\ntrue λ     %.4g   (regular: d/2 = %.4g)\n", s.model.c_str(), s.true_lambda, s.d / 2.0);
  std::fprintf(out, "mean ± standard error over data sets; n·G_n → λ, n·T_n → λ − 2ν, n·WAIC → λ\n");
  std::fprintf(out, "%7s %16s %16s %16s %14s %16s %16s %16s %6s\n", "n", "n·G_n", "n·T_n", "n·WAIC", "ν", "λ − 2ν",
               "WBIC − nL_n(w0)", "λ (WBIC 2 temp)", "mala");
  for (const auto& p : s.points) {
    const double n = double(p.n);
    std::fprintf(out, "%7lld %8.3f ± %5.3f %8.3f ± %5.3f %8.3f ± %5.3f %7.3f ± %4.3f %8.3f ± %5.3f %8.3f ± %5.3f %8.3f ± %5.3f %6.3f\n",
                 (long long)p.n, n * p.G.mean, n * p.G.se, n * p.T.mean, n * p.T.se, n * p.waic.mean, n * p.waic.se,
                 p.nu.mean, p.nu.se, s.true_lambda - 2 * p.nu.mean, 2 * p.nu.se, p.wbic_minus_nl0.mean,
                 p.wbic_minus_nl0.se, p.lambda_wbic.mean, p.lambda_wbic.se, p.mala);
  }
  if (!std::isnan(s.points.front().wbic_exact.mean)) {
    std::fprintf(out, "closed form (regular model, Gaussian posterior), mean ± se over the same data sets:\n");
    for (const auto& p : s.points)
      std::fprintf(out, "%7lld   WBIC − nL_n(w0) %8.3f ± %5.3f   F_n − nL_n(w0) %8.3f ± %5.3f\n", (long long)p.n,
                   p.wbic_exact.mean, p.wbic_exact.se, p.free_energy_exact.mean, p.free_energy_exact.se);
  }
  if (!std::isnan(s.slope))
    std::fprintf(out, "slope of WBIC − n L_n(w0) against log n: %.3f ± %.3f (true λ %.4g)\n", s.slope, s.slope_se,
                 s.true_lambda);
  if (!std::isnan(s.slope_wbic_exact))
    std::fprintf(out, "closed form: slope of WBIC %.3f ± %.3f, of F_n %.3f ± %.3f\n", s.slope_wbic_exact,
                 s.slope_wbic_exact_se, s.slope_free_energy_exact, s.slope_free_energy_exact_se);
  for (const auto& w : s.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
}

void write_bayes_errors(const std::string& prefix, const BayesErrorStudy& s) {
  std::string data = "# n nG nG_se nT nT_se nWAIC nWAIC_se nu nu_se F F_se\n";
  char buf[400];
  for (const auto& p : s.points) {
    const double n = double(p.n);
    std::snprintf(buf, sizeof buf, "%lld %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g\n", (long long)p.n,
                  n * p.G.mean, n * p.G.se, n * p.T.mean, n * p.T.se, n * p.waic.mean, n * p.waic.se, p.nu.mean,
                  p.nu.se, p.wbic_minus_nl0.mean, p.wbic_minus_nl0.se);
    data += buf;
  }
  {
    std::ofstream f(prefix + ".csv");
    if (!f) throw UserError(prefix + ".csv: cannot write");
    f << "n,n_G,n_G_se,n_T,n_T_se,n_WAIC,n_WAIC_se,nu,nu_se,wbic_minus_nL0,wbic_minus_nL0_se,true_lambda\n";
    for (const auto& p : s.points) {
      const double n = double(p.n);
      std::snprintf(buf, sizeof buf, "%lld,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n", (long long)p.n,
                    n * p.G.mean, n * p.G.se, n * p.T.mean, n * p.T.se, n * p.waic.mean, n * p.waic.se, p.nu.mean,
                    p.nu.se, p.wbic_minus_nl0.mean, p.wbic_minus_nl0.se, s.true_lambda);
      f << buf;
    }
  }
  char lam[64];
  std::snprintf(lam, sizeof lam, "%.6g", s.true_lambda);
  const std::string cmds = std::string() + "set title " + gp_quote("Bayes errors at β = 1, " + s.model) + " noenhanced\n" +
      "set xlabel 'n (training samples)'\nset logscale x\nset ylabel 'n × error'\n"
      "set key outside top center horizontal\nset grid lc rgb '#dddddd'\n"
      "plot DATAFILE using 1:2:3 with yerrorlines pt 7 lc rgb '" + kBlue + "' title 'n·G_n', \\\n"
      "     DATAFILE using 1:4:5 with yerrorlines pt 5 lc rgb '" + kVermillion + "' title 'n·T_n', \\\n"
      "     DATAFILE using 1:6:7 with yerrorlines pt 9 dt 2 lc rgb '" + kGreen + "' title 'n·WAIC', \\\n"
      "     " + lam + " with lines lc rgb '" + kBlue + "' dt 3 title 'λ', \\\n"
      "     DATAFILE using 1:(" + lam + " - 2*$8) with lines lc rgb '" + kVermillion + "' dt 3 title 'λ − 2ν (ν measured)'\n";
  render_data_figure(prefix, data, cmds, {900, 600});
}

}  // namespace geneft
