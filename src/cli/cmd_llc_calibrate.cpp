// geneft llc-calibrate: λ̂ on a grid of SGLD step sizes ε and nβ, with diagnostics, as a table
// and a figure with the stable region marked.
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/llc_common.h"
#include "cli/sampler_options.h"
#include "core/error.h"
#include "plot/gnuplot.h"
#include "slt/llc_calibration.h"
#include "slt/llc_over_training.h"
#include "slt/network_target.h"
#include "store/store.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

struct CalibrateArgs {
  std::string db, run, figure, epsilons = "1e-5,3e-5,1e-4,3e-4,1e-3", nbetas;
  int64_t step = -1;
  ValidationArgs model;
  SamplerOptions sampler;
};

void print_table(const std::vector<CalibrationCell>& cells) {
  std::printf("%10s  %10s  %10s  %8s  %6s  %6s  %8s  %s\n", "epsilon", "nbeta", "llc", "std", "mala", "below", "diverged",
              "stable");
  for (const auto& c : cells) {
    const auto& e = c.estimate;
    std::printf("%10.3g  %10.5g  %10.4f  %8.4f  %6.3f  %6.3f  %8d  %s\n", c.epsilon, c.nbeta, e.mean, e.std,
                e.mala_acceptance, e.fraction_below_center, e.diverged_chains, c.stable ? "yes" : "no");
  }
}

void run(const CalibrateArgs& args) {
  const std::vector<double> eps = parse_list<double>(args.epsilons, "--epsilons");
  std::vector<double> nbetas = parse_list<double>(args.nbetas, "--nbetas");
  std::vector<CalibrationCell> cells;
  std::string title, prefix = args.figure;
  double true_lambda = NAN;
  auto default_nbetas = [&](int64_t n) {
    if (nbetas.empty()) {
      const double nb = double(n) / std::log(double(n));
      nbetas = {0.5 * nb, nb, 2 * nb};
    }
  };
  if (!args.model.model.empty()) {
    if (!args.db.empty() || !args.run.empty()) throw UserError("geneft llc-calibrate: give a store and --run, or --model, not both");
    const ValidationModel v = make_validation_model(args.model.spec());
    const SgldSettings s = args.sampler.apply(v.defaults);
    default_nbetas(v.target->num_samples());
    cells = calibrate_llc(*v.target, v.center, s, eps, nbetas, true);
    true_lambda = v.true_lambda;
    title = "LLC calibration: " + v.target->describe();
    if (prefix.empty()) prefix = "llc-calibration-" + args.model.model;
    std::printf("model %s, true λ = %.4f\n", v.target->describe().c_str(), true_lambda);
  } else {
    if (args.db.empty() || args.run.empty())
      throw UserError("geneft llc-calibrate: give a store and --run ID, or --model (see --help)");
    Store store = Store::open_read_only(args.db);
    const std::string id = store.resolve_id(args.run);
    const auto steps = store.checkpoint_steps(id);
    if (steps.empty())
      throw UserError("run " + id + " has no checkpoints: train it with --set train.checkpoint_every=1 (or k > 0)");
    const Checkpoint cp = store.checkpoint(id, args.step >= 0 ? args.step : steps.back());
    const RunRow row = store.get_run(id);
    const RunConfig cfg = parse_config(row.config, "run " + id + " config");
    const Dataset data = make_dataset(cfg.task);
    const NetworkTarget target(cfg, data, make_split(data.size(), cfg.task, cfg.seed));
    const SgldSettings s = args.sampler.apply(network_sampler_defaults());
    default_nbetas(target.num_samples());
    cells = calibrate_llc(target, target.parameters(cp), s, eps, nbetas, true);
    title = "LLC calibration: run " + id.substr(0, 8) + " step " + std::to_string(cp.step);
    if (prefix.empty()) prefix = "llc-calibration-" + safe_file_name(id.substr(0, 8));
    std::printf("run %s, checkpoint at step %lld\n", id.c_str(), (long long)cp.step);
  }
  print_table(cells);
  plot_calibration(prefix, title, cells, true_lambda);
  std::printf("figure     %s.png, %s.svg\n", prefix.c_str(), prefix.c_str());
}

}  // namespace

void add_llc_calibrate_command(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* cmd = app.add_subcommand("llc-calibrate", "λ̂ on an ε × nβ grid with diagnostics; table and figure");
  cmd->add_option("db", args->db, "results store (with --run)");
  cmd->add_option("--run", args->run, "run id (a unique prefix is enough)");
  cmd->add_option("--step", args->step, "checkpoint step (default: the last)");
  cmd->add_option("--epsilons", args->epsilons, "step sizes ε, comma-separated")->capture_default_str();
  cmd->add_option("--nbetas", args->nbetas, "values of nβ, comma-separated (default: 0.5, 1, 2 × n/ln n)");
  cmd->add_option("--figure", args->figure, "figure prefix (PREFIX.png, PREFIX.svg)");
  args->model.add_to(cmd);
  args->sampler.add_to(cmd, true);
  cmd->callback([args] { run(*args); });
}

}  // namespace geneft
