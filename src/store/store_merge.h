#pragma once
// Merging stores (for example the shards of a sweep run as a Slurm job array) into one.
// Idempotent: a finished run present in both is kept once when its numbers agree; when they
// differ it is a conflict, reported and left as the target has it. Unfinished runs ("running",
// "interrupted") are not carried: the sweep reruns them. Curves, embeddings, checkpoints, λ̂
// estimates with their traces, degeneracy spectra, sweeps and sweep links come along with their runs;
// Bayesian phase-transition studies (which belong to no run) are copied when the target lacks them.
#include <string>
#include <vector>

#include "store/store.h"

namespace geneft {

struct MergeReport {
  std::string source;
  size_t added = 0;        // finished runs the target lacked (or had unfinished)
  size_t identical = 0;    // finished in both, same numbers: kept once
  size_t unfinished = 0;   // running or interrupted in the source: not carried
  std::vector<std::string> conflicts;  // finished in both with different numbers: target's copy kept
  size_t llc_estimates = 0, degeneracy = 0, lanczos = 0, bayes_transitions = 0, sweeps = 0, sweep_links = 0;
  std::vector<std::string> warnings;  // e.g. a sweep whose definition differs
};

// Merges the store at `source_path` into `target` in one transaction (all or nothing).
// UserError if the source is not a geneft store or is the target itself.
MergeReport merge_store(Store& target, const std::string& source_path);

}  // namespace geneft
