#pragma once
// One run from its config to the store: the task's data and split, marked "running", trained,
// its phase classified, saved. Above both the trainer and the store; `geneft train`, the sweep
// scheduler and the MPI runner (whose worker ranks train and send, rank 0 saves) all run here.
#include <string>

#include "core/config.h"
#include "core/run_result.h"
#include "measure/phase_classifier.h"
#include "store/store.h"
#include "tasks/dataset.h"
#include "tasks/split.h"
#include "train/trainer.h"

namespace geneft {

// A trained and classified run: what Store::save_run writes.
struct FinishedRun {
  std::string id;
  std::string task;  // the dataset's name
  std::string started_at, ended_at;
  RunResult result;
  PhaseResult phase{Phase::Confusion, std::nullopt, std::nullopt};
};

// How a sweep trains each run: no progress line of its own; stops when `stop` is set.
inline TrainOptions background_options(const std::atomic<bool>* stop) {
  TrainOptions o;
  o.progress = false;
  o.stop = stop;
  return o;
}

// Trains the run on `data` with `split` and classifies its phase; touches no store.
FinishedRun train_and_classify(const RunConfig& cfg, const Dataset& data, const Split& split,
                               const TrainOptions& options, const PhaseClassifier& classifier);
// The same on the run's own task and seeded split.
FinishedRun train_and_classify(const RunConfig& cfg, const TrainOptions& options, const PhaseClassifier& classifier);

// Marks the run as running in the store, trains and classifies it, saves it.
RunResult execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                      const TrainOptions& options, const PhaseClassifier& classifier);
// The same on the run's own task and seeded split.
RunResult execute_run(const RunConfig& cfg, Store& store, const TrainOptions& options,
                      const PhaseClassifier& classifier);

}  // namespace geneft
