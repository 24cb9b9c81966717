// geneft llc: the local learning coefficient λ̂ at the checkpoints of a stored run, or on a
// built-in validation model whose λ is known (printed beside the estimate).
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/llc_common.h"
#include "cli/sampler_options.h"
#include "core/error.h"
#include "plot/gnuplot.h"
#include "slt/llc_over_training.h"
#include "slt/local_learning_coefficient.h"
#include "slt/validation_model.h"
#include "slt/wbic.h"
#include "store/store.h"

namespace geneft {
namespace {

struct LlcArgs {
  std::string db, run, checkpoints = "all", figure, restrict = "all";
  ValidationArgs model;
  SamplerOptions sampler;
  bool wbic = false, skip_measured = false;
};

void print_estimate(const LlcEstimate& e, const SgldResult& r) {
  std::printf("λ̂          %.4f ± %.4f  (mean ± std over %zu chains)\n", e.mean, e.std, e.per_chain.size());
  std::printf("per chain  ");
  for (double x : e.per_chain) std::printf(" %.4f", x);
  std::printf("\nnβ         %.6g  (n = %lld), L_n(w*) = %.6g\n", e.nbeta, (long long)r.n, e.loss_at_center);
  std::printf("MALA acceptance %.3f, draws below L_n(w*) %.3f, trend (2nd − 1st half) %.4g\n", e.mala_acceptance,
              e.fraction_below_center, e.trend);
  std::printf("chains     R̂ %.3f, lowest MALA acceptance %.3f\n", e.rhat, e.min_chain_mala);
  std::printf("step bias  (ε/8)·nβ·tr ∇²L_n %.4f (mean over chains), %.4f (worst chain)\n", e.discretization_bias,
              e.max_chain_discretization_bias);
  std::printf("sampling   %lld steps per chain in %.4f s\n", (long long)r.steps_per_chain, r.wall_seconds);
  for (const auto& w : e.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
}

void run_validation(const LlcArgs& args) {
  const ValidationModel v = make_validation_model(args.model.spec());
  const SgldSettings asked = args.sampler.apply(v.defaults);
  // the model's default step is refined automatically when its bias is too large; a step given
  // with --epsilon is kept, and a warning says when it is too large
  const SteppedLlc run = estimate_llc_with_step_control(*v.target, v.center, asked, args.sampler.epsilon ? 0 : 2);
  const SgldSettings& s = run.settings;
  const SgldResult& r = run.result;
  const LlcEstimate& e = run.estimate;
  std::printf("model      %s\n", v.target->describe().c_str());
  std::printf("sampler    %s ε = %g, γ = %g, chains %d, burn-in %d, draws %d, thin %d, batch %lld\n",
              s.rmsprop ? "RMSProp-SGLD" : "SGLD", s.epsilon, s.gamma, s.chains, s.burn_in, s.draws, s.thin,
              (long long)s.batch_size);
  if (run.refinements > 0)
    std::printf("step       refined from ε = %g (its worst chain's step bias %.3g) to %g: burn-in and thin ×%d\n",
                run.first_epsilon, run.first_bias, s.epsilon, 1 << (2 * run.refinements));
  std::printf("true λ     %.4f  (%s)\n", v.true_lambda, v.lambda_source.c_str());
  print_estimate(e, r);
  std::printf("error      %+.4f (%+.1f%%), %.2f std\n", e.mean - v.true_lambda,
              100 * (e.mean - v.true_lambda) / v.true_lambda, e.std > 0 ? (e.mean - v.true_lambda) / e.std : NAN);
  if (args.wbic) {
    const WbicResult w = estimate_wbic(*v.target, s, &v.center);
    std::printf("WBIC       %.4f ± %.4f  (β = 1/ln n = %.4f, prior N(0, 1/γ))\n", w.wbic, w.wbic_std, w.beta1);
    std::printf("λ (WBIC at β and 2β)  %.4f ± %.4f\n", w.lambda_two_temperatures, w.lambda_std);
  }
}

std::vector<int64_t> parse_steps(const std::string& text, const std::vector<int64_t>& available, const std::string& id) {
  if (available.empty())
    throw UserError("run " + id + " has no checkpoints: train it with --set train.checkpoint_every=1 (or k > 0)");
  if (text == "all") return available;
  if (text == "last") return {available.back()};
  std::vector<int64_t> out;
  std::stringstream ss(text);
  for (std::string t; std::getline(ss, t, ',');) {
    try {
      size_t used = 0;
      out.push_back(std::stoll(t, &used));
      if (used != t.size()) throw std::invalid_argument(t);
    } catch (const std::exception&) {
      throw UserError("--checkpoints '" + text + "': expected all, last, or steps like 0,1000,5000");
    }
  }
  return out;
}

void run_stored(const LlcArgs& args) {
  Store store = Store::open(args.db, false);
  const std::string id = store.resolve_id(args.run);
  std::vector<int64_t> steps = parse_steps(args.checkpoints, store.checkpoint_steps(id), id);
  if (args.skip_measured) {
    std::set<int64_t> measured;
    for (const auto& e : store.llc_estimates(id)) measured.insert(e.step);
    std::erase_if(steps, [&](int64_t s) { return measured.count(s) > 0; });
    if (steps.empty()) {
      std::printf("run %s: every checkpoint asked for has a stored λ̂ estimate (--skip-measured)\n", id.c_str());
      return;
    }
  }
  for (int64_t s : steps) store.checkpoint(id, s);  // UserError for a step that does not exist, before sampling
  const SgldSettings s = args.sampler.apply(network_sampler_defaults());
  const auto results = measure_llc_over_training(store, id, steps, s, true, args.restrict);
  const auto curve = store.curve(id);
  if (args.restrict != "all") std::printf("restricted λ̂: only the %s is sampled, the rest held at w*\n", args.restrict.c_str());
  std::printf("run %s, %zu checkpoint%s, sampler %s ε = %g γ = %g nβ = %.6g, %d chains × %d draws\n", id.c_str(),
              results.size(), results.size() == 1 ? "" : "s", s.rmsprop ? "RMSProp-SGLD" : "SGLD", s.epsilon, s.gamma,
              results.empty() ? 0.0 : results[0].estimate.nbeta, s.chains, s.draws);
  std::printf("%10s  %11s  %11s  %10s  %8s  %6s  %6s  %s\n", "step", "train_loss", "test_loss", "llc", "std", "mala",
              "below", "warnings");
  for (const auto& c : results) {
    double tr = NAN, te = NAN;
    for (const auto& p : curve)
      if (p.step == c.step) tr = p.train_loss, te = p.test_loss;
    const auto& e = c.estimate;
    std::printf("%10lld  %11.4g  %11.4g  %10.4f  %8.4f  %6.3f  %6.3f  %zu\n", (long long)c.step, tr, te, e.mean, e.std,
                e.mala_acceptance, e.fraction_below_center, e.warnings.size());
    for (const auto& w : e.warnings) std::fprintf(stderr, "warning (step %lld): %s\n", (long long)c.step, w.c_str());
  }
  if (results.size() >= 2) {
    const std::string prefix = args.figure.empty() ? "llc-" + safe_file_name(id.substr(0, 8)) : args.figure;
    const std::string what = args.restrict == "all" ? "LLC" : "restricted LLC (" + args.restrict + " only)";
    plot_llc_over_training(prefix, what + " over training, run " + id.substr(0, 8) + " (" + store.get_run(id).task + ")",
                           curve, results);
    std::printf("figure     %s.png, %s.svg\n", prefix.c_str(), prefix.c_str());
  }
}

}  // namespace

void add_llc_command(CLI::App& app) {
  auto args = std::make_shared<LlcArgs>();
  CLI::App* cmd = app.add_subcommand(
      "llc", "local learning coefficient λ̂ by SGLD: at a stored run's checkpoints, or on a validation model");
  cmd->add_option("db", args->db, "results store (with --run)");
  cmd->add_option("--run", args->run, "run id (a unique prefix is enough)");
  cmd->add_option("--checkpoints", args->checkpoints, "all, last, or a comma list of checkpoint steps")
      ->capture_default_str();
  cmd->add_option("--restrict", args->restrict,
                  "stored runs: sample only this parameter group of the run's model (all, encoder, decoder; the "
                  "transformer also embed, attention, mlp, unembed)")
      ->capture_default_str();
  cmd->add_option("--figure", args->figure, "figure prefix for λ̂ over training (default llc-<run id>)");
  cmd->add_flag("--skip-measured", args->skip_measured, "leave out checkpoints that already have a stored estimate");
  args->model.add_to(cmd);
  cmd->add_flag("--wbic", args->wbic, "validation models: also WBIC at β = 1/ln n and λ from two temperatures");
  args->sampler.add_to(cmd);
  cmd->callback([args] {
    const bool stored = !args->db.empty() || !args->run.empty();
    if (stored == !args->model.model.empty())
      throw UserError("geneft llc: give either a store and --run, or --model (normal-crossing, regular, rrr, dln)");
    if (stored && (args->db.empty() || args->run.empty()))
      throw UserError("geneft llc: a store needs --run ID, and --run needs the store (geneft llc results.db --run ID)");
    if (stored) run_stored(*args);
    else run_validation(*args);
  });
}

}  // namespace geneft
