#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "train/memory_estimate.h"
#include "cli/interrupt.h"
#include "core/config.h"
#include "core/memory.h"
#include "run/execute_run.h"
#include "store/store.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

struct TrainArgs {
  std::string config_path, db = "results.db", dump_init;
  std::vector<std::string> overrides;
  double live_seconds = kLiveCurveSeconds;
  bool force = false, quiet = false, print_config = false, help_config = false;
};

std::string fmt(double x, const char* spec = "%.4f") {
  if (std::isnan(x)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, spec, x);
  return buf;
}

void run_train(const TrainArgs& args) {
  // Everything that can be wrong with the input is checked before the store is touched.
  const RunConfig cfg = load_config(args.config_path, args.overrides);
  const std::string id = cfg.id();
  if (args.print_config) {
    std::cout << "# run " << id << "\n" << cfg.canonical();
    return;
  }
  const Dataset data = make_dataset(cfg.task);
  const Split split = make_split(data.size(), cfg.task, cfg.seed);
  check_memory(estimate_run_bytes(cfg, data, split), 1, "run " + id);
  Store store = Store::open(args.db, true);
  if (const auto status = store.run_status(id); status && is_finished(*status) && !args.force) {
    std::fprintf(stderr, "run %s is already in %s (%s); use --force to run it again\n", id.c_str(), args.db.c_str(),
                 status->c_str());
    return;
  }
  if (!args.quiet)
    std::fprintf(stderr, "run %s: %s, %zu train / %zu test samples, %lld steps\n", id.c_str(), data.name.c_str(),
                 split.train.size(), split.test.size(), (long long)cfg.train.steps);
  TrainOptions options;
  options.progress = !args.quiet;
  options.dump_init_path = args.dump_init;
  options.label = id.substr(0, 8);
  options.stop = &install_interrupt_handler();
  const PhaseClassifier classifier;
  const auto trained = execute_run(cfg, data, split, store, options, classifier, args.force, args.live_seconds);
  if (!trained) {
    std::fprintf(stderr, "run %s is being trained by another process on %s (or was just finished); not trained again\n",
                 id.c_str(), args.db.c_str());
    return;
  }
  const RunResult& result = *trained;
  const PhaseResult phase = classifier.classify(result.curve, result.status == "diverged");

  const EvalPoint last = result.curve.empty() ? EvalPoint{} : result.curve.back();
  std::printf("run        %s\nstore      %s\nstatus     %s", id.c_str(), args.db.c_str(), result.status.c_str());
  if (result.diverged_step) std::printf(" at step %lld", (long long)*result.diverged_step);
  if (result.early_stopped) std::printf(" (early stop)");
  std::printf("\nphase      %s (threshold %.2g, delta %lld steps)", phase_name(phase.phase),
              classifier.options().threshold, (long long)classifier.options().delta);
  std::printf("\nsteps      %lld in %.2f s\n", (long long)result.steps_done, result.wall_seconds);
  std::printf("train      loss %s  acc %s\n", fmt(last.train_loss, "%.4g").c_str(), fmt(last.train_acc).c_str());
  std::printf("test       loss %s  acc %s\n", fmt(last.test_loss, "%.4g").c_str(), fmt(last.test_acc).c_str());
  if (!std::isnan(last.rqi)) std::printf("rqi        %s\n", fmt(last.rqi).c_str());
  std::printf("norms      encoder %s  decoder %s\n", fmt(last.encoder_norm, "%.4g").c_str(),
              fmt(last.decoder_norm, "%.4g").c_str());
  std::printf("memory     %.1f MiB peak resident\n", peak_rss_mib());
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = app.add_subcommand("train", "train one run of a config; results go to the store");
  cmd->add_option("config", args->config_path, "config file (TOML)");
  cmd->add_option("--set", args->overrides, "override a config key: --set optim.decoder_wd=0.5 (repeatable)");
  cmd->add_option("--db", args->db, "results store (SQLite file)")->capture_default_str();
  cmd->add_flag("--force", args->force, "train again even if the store already has this run");
  cmd->add_option("--live-seconds", args->live_seconds,
                  "store eval points while training at most this often (0: at every eval; -1: only at the end)")
      ->check(CLI::Range(-1.0, 86400.0))
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", args->quiet, "no progress on stderr");
  cmd->add_flag("--print-config", args->print_config, "print the canonical config and run id, train nothing");
  cmd->add_option("--dump-init", args->dump_init, "write data, split and initial weights as JSON (for peer checks)");
  cmd->add_flag("--help-config", args->help_config, "list every config key with its default and allowed values");
  cmd->callback([args, cmd] {
    if (args->help_config) {
      std::cout << config_reference();
      return;
    }
    if (cmd->count("config") == 0) throw CLI::RequiredError("config");
    if (args->config_path.empty()) throw UserError("the config path is empty");
    run_train(*args);
  });
}

}  // namespace geneft
