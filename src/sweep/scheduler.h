#pragma once
// Runs the points of a sweep on a pool of worker threads, one single-threaded run per worker,
// skipping runs the store already has finished. Stopping (Ctrl-C) lets in-flight runs end as
// "interrupted"; they, and runs left "running" by a killed process, are rerun next time.
#include <atomic>
#include <string>
#include <vector>

#include "measure/phase_classifier.h"
#include "store/store.h"
#include "sweep/sweep_definition.h"

namespace geneft {

struct SchedulerOptions {
  int jobs = 1;
  bool progress = true;
  const std::atomic<bool>* stop = nullptr;
  std::string label = "sweep";
  std::atomic<size_t>* runs_done = nullptr;  // when set: runs finished so far (stored ones included), for a caller's display
};

struct SweepReport {
  size_t total = 0, skipped = 0, completed = 0, diverged = 0, interrupted = 0;
  double wall_seconds = 0;
  std::vector<size_t> finished_by_rank;  // MPI sweeps: runs each rank trained to the end (rank 0 first)
};

SweepReport run_sweep(const std::vector<SweepPoint>& points, Store& store, const PhaseClassifier& classifier,
                      const SchedulerOptions& options);

}  // namespace geneft
