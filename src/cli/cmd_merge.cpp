#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "core/error.h"
#include "store/store_merge.h"

namespace geneft {
namespace {

struct MergeArgs {
  std::string target;
  std::vector<std::string> sources;
};

void merge_into(const MergeArgs& args) {
  Store target = Store::open(args.target, true);
  size_t conflicts = 0;
  for (const auto& source : args.sources) {
    const MergeReport r = merge_store(target, source);
    std::printf("%s: %zu runs added, %zu already present (identical), %zu unfinished not carried, "
                "%zu conflicting; %zu llc estimates, %zu degeneracy spectra, %zu Lanczos spectra, %zu Bayesian phase-transition studies, "
                "%zu sweeps, %zu sweep links added\n",
                source.c_str(), r.added, r.identical, r.unfinished, r.conflicts.size(), r.llc_estimates, r.degeneracy,
                r.lanczos, r.bayes_transitions, r.sweeps, r.sweep_links);
    for (const auto& id : r.conflicts)
      std::printf("  conflict: run %s is finished in both stores with different numbers; kept the copy in %s\n",
                  id.c_str(), args.target.c_str());
    for (const auto& w : r.warnings) std::printf("  warning: %s\n", w.c_str());
    conflicts += r.conflicts.size();
  }
  std::fflush(stdout);
  if (conflicts > 0)
    throw UserError(std::to_string(conflicts) + " conflicting runs were not merged (listed above); " + args.target +
                    " keeps its own copies. Remove the wrong copy, or retrain it with `geneft train --force`");
}

// A target that this merge created is removed again if the merge fails before anything was
// merged into it: no empty store is left behind.
void run_merge_command(const MergeArgs& args) {
  namespace fs = std::filesystem;
  const bool existed = fs::exists(args.target);
  try {
    merge_into(args);
  } catch (const UserError&) {
    if (!existed && fs::exists(args.target)) {
      bool empty = false;
      try {
        Store t = Store::open_read_only(args.target);
        empty = t.list_runs().empty() && t.sweep_names().empty();
      } catch (const UserError&) {
      }
      std::error_code ec;
      if (empty)
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(args.target + suffix, ec);
    }
    throw;
  }
}

}  // namespace

void add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "merge stores (e.g. sweep shards) into one; idempotent, conflicts reported and never overwritten");
  cmd->add_option("target", args->target, "store to merge into (created if absent)")->required();
  cmd->add_option("sources", args->sources, "stores to merge from")->required();
  cmd->callback([args] { run_merge_command(*args); });
}

}  // namespace geneft
