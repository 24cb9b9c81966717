#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <thread>

#include "cli/commands.h"
#include "core/memory.h"
#include "cli/interrupt.h"
#include "core/error.h"
#include "tasks/split.h"
#include "tasks/task.h"
#include "train/memory_estimate.h"
#include "store/store.h"
#include "sweep/mpi_runner.h"
#include "sweep/scheduler.h"
#include "sweep/shard.h"
#include "sweep/sweep_definition.h"

namespace geneft {
namespace {

struct SweepArgs {
  std::string path, db = "results.db", shard;
  std::vector<std::string> overrides;
  int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  bool quiet = false, dry_run = false, mpi = false;
  double rank_timeout = 60;
};

// The sweep's points (those of the shard, with --shard) and every point's run id.
struct Plan {
  SweepDefinition sweep;
  std::vector<SweepPoint> points;
  std::vector<std::string> all_ids;  // the whole grid: every shard links the whole sweep
  std::string where;                 // for the first line: " (shard 2/8)" or ""
};

Plan plan_sweep(const SweepArgs& args) {
  Plan plan;
  plan.sweep = load_sweep(args.path, args.overrides);
  plan.points = expand_sweep(plan.sweep);  // every point validated before any run
  for (const auto& p : plan.points) plan.all_ids.push_back(p.config.id());
  // the largest point, as many at once as there are jobs (a dataset and split per distinct task)
  std::map<std::string, std::pair<Dataset, Split>> tasks;
  double largest = 0;
  for (const auto& p : plan.points) {
    const RunConfig& c = p.config;
    std::string task_key;
    for (const auto& [k, v] : c.values)
      if (k.rfind("task.", 0) == 0) task_key += k + "=" + format_value(v) + ";";
    auto it = tasks.find(task_key);
    if (it == tasks.end()) {
      Dataset data = make_dataset(c.task);
      Split split = make_split(data.size(), c.task, c.seed);
      it = tasks.emplace(task_key, std::pair{std::move(data), std::move(split)}).first;
    }
    largest = std::max(largest, estimate_run_bytes(c, it->second.first, it->second.second));
  }
  check_memory(largest, int(std::min<size_t>(size_t(args.jobs), std::max<size_t>(plan.points.size(), 1))),
               "the sweep's largest run");
  if (!args.shard.empty()) {
    const Shard shard = parse_shard(args.shard);
    const size_t grid = plan.points.size();
    plan.points = select_shard(plan.points, shard);
    plan.where = " (shard " + shard.label() + " of " + std::to_string(grid) + ")";
  }
  return plan;
}

void print_plan(const Plan& plan, const SweepArgs& args, const std::string& workers) {
  std::fprintf(stderr, "sweep %s: %zu runs%s (%zu axes, %zu seeds) into %s with %s\n", plan.sweep.name.c_str(),
               plan.points.size(), plan.where.c_str(), plan.sweep.axes.size(), plan.sweep.seeds.size(),
               args.db.c_str(), workers.c_str());
  if (!args.dry_run) return;
  for (const auto& p : plan.points) {
    std::printf("%s  seed=%llu", p.config.id().c_str(), (unsigned long long)p.config.seed);
    for (const auto& [k, v] : p.coordinates) std::printf("  %s=%s", k.c_str(), format_value(v).c_str());
    std::printf("\n");
  }
}

void print_report(const Plan& plan, const SweepArgs& args, const SweepReport& r, const std::string& workers) {
  std::printf("sweep      %s%s\nstore      %s\nruns       %zu: %zu completed, %zu diverged now; %zu already stored\n",
              plan.sweep.name.c_str(), plan.where.c_str(), args.db.c_str(), r.total, r.completed, r.diverged,
              r.skipped);
  std::printf("wall       %.1f s with %s\nmemory     %.1f MiB peak resident\n", r.wall_seconds, workers.c_str(),
              peak_rss_mib());
  if (!r.finished_by_rank.empty()) {
    std::printf("by rank   ");
    for (size_t i = 0; i < r.finished_by_rank.size(); ++i) std::printf(" %zu:%zu", i, r.finished_by_rank[i]);
    std::printf(" runs trained\n");
  }
  const size_t left = r.total - r.completed - r.diverged - r.skipped;
  if (left > 0)
    throw UserError("sweep interrupted with " + std::to_string(left) + " runs left; run the same command again to finish");
}

SchedulerOptions scheduler_options(const SweepArgs& args, const Plan& plan) {
  SchedulerOptions options;
  options.jobs = args.jobs;
  options.progress = !args.quiet;
  options.stop = &install_interrupt_handler();
  options.label = plan.sweep.name;
  return options;
}

void run_local_sweep(const SweepArgs& args) {
  const Plan plan = plan_sweep(args);
  const std::string workers = std::to_string(args.jobs) + " jobs";
  print_plan(plan, args, workers);
  if (args.dry_run) return;
  Store store = Store::open(args.db, true);
  store.save_sweep(plan.sweep.name, plan.sweep.to_json(), plan.all_ids);
  const SweepReport r = run_sweep(plan.points, store, PhaseClassifier(plan.sweep.phase), scheduler_options(args, plan));
  print_report(plan, args, r, workers);
}

#ifdef GENEFT_HAVE_MPI
void run_mpi_sweep_command(const SweepArgs& args) {
  MpiJob job;
  const bool root = job.rank() == 0;
  const std::string workers = std::to_string(job.size()) + " MPI ranks x " + std::to_string(args.jobs) + " jobs";
  // Every rank plans (and so validates) the sweep; rank 0 alone touches the store.
  std::optional<Plan> plan;
  std::optional<Store> store;
  std::string error;
  try {
    plan = plan_sweep(args);
    if (root) print_plan(*plan, args, workers);
    if (root && !args.dry_run) {
      store.emplace(Store::open(args.db, true));
      store->save_sweep(plan->sweep.name, plan->sweep.to_json(), plan->all_ids);
    }
  } catch (const UserError& e) {
    error = e.what();
  }
  // One message (from the lowest failing rank), printed before any rank exits: mpirun ends the
  // other ranks as soon as one exits non-zero.
  const int failed = job.first_failed(error.empty());
  if (failed >= 0) {
    if (failed == job.rank()) std::fprintf(stderr, "geneft: error: %s\n", error.c_str()), std::fflush(stderr);
    job.barrier();
    throw ErrorReportedElsewhere();
  }
  if (args.dry_run) return;

  MpiSweepOptions options;
  options.local = scheduler_options(args, *plan);
  options.local.progress = root && !args.quiet;
  options.rank_timeout = args.rank_timeout;
  SweepReport r;
  try {
    r = run_mpi_sweep(job, plan->points, root ? &*store : nullptr, PhaseClassifier(plan->sweep.phase), options);
  } catch (const std::exception& e) {  // the other ranks would wait for this one forever
    std::fprintf(stderr, "geneft: error on MPI rank %d: %s\n", job.rank(), e.what());
    job.abort(dynamic_cast<const UserError*>(&e) ? 2 : 3);
  }
  if (root) print_report(*plan, args, r, workers);
}
#endif

void run_sweep_command(const SweepArgs& args) {
  const int ranks = mpi_world_size_from_environment();
  if (!args.mpi && ranks <= 1) return run_local_sweep(args);
#ifdef GENEFT_HAVE_MPI
  run_mpi_sweep_command(args);
#else
  throw UserError((args.mpi ? std::string("--mpi") : "started by mpirun with " + std::to_string(ranks) + " ranks") +
                  ", but this geneft was built without MPI: install libopenmpi-dev (./scripts/setup.sh) and rebuild "
                  "(with GENEFT_MPI=ON), "
                  "or run the sweep without mpirun");
#endif
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand("sweep", "train a grid (or random sample) of configs x seeds; resumable");
  cmd->add_option("sweep", args->path, "sweep file (TOML with a [sweep] table)")->required();
  cmd->add_option("--db", args->db, "results store (SQLite file)")->capture_default_str();
  cmd->add_option("--jobs,-j", args->jobs, "worker threads (per MPI rank), one run each")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--set", args->overrides, "override a config key for every run (repeatable)");
  cmd->add_option("--shard", args->shard,
                  "train only shard i of n (i/n, 1-based; by run id) or 'auto' (Slurm job array task)");
  cmd->add_flag("--mpi", args->mpi,
                "run on the ranks of an MPI job even if OMPI_COMM_WORLD_SIZE is not set (e.g. started by srun); "
                "under Open MPI's mpirun with more than one rank this is automatic");
  cmd->add_option("--rank-timeout", args->rank_timeout,
                  "MPI: seconds without a word from a rank before its runs go to others")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--quiet,-q", args->quiet, "no progress on stderr");
  cmd->add_flag("--dry-run", args->dry_run, "list the runs with their ids and axis values, train nothing");
  cmd->callback([args] { run_sweep_command(*args); });
}

}  // namespace geneft
