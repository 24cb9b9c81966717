#pragma once
// One run from its config to the store: the task's data and split, claimed, trained,
// its phase classified, saved. Above both the trainer and the store; `geneft train`, the sweep
// scheduler and the MPI runner (whose worker ranks train and send, rank 0 saves) all run here.
#include <optional>
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

// How often a run in flight writes its new eval points to the store (seconds, at most).
constexpr double kLiveCurveSeconds = 1.0;

// Claims the run in the store (Store::claim_run), trains and classifies it, saves it. Nothing
// (and nothing trained) if the store has the run finished (unless force) or another live process
// is training it. Out of memory is stored as "failed", never left "running".
// While it trains, its eval points go to the store as a partial curve (Store::save_partial_curve)
// at the first eval step `live_seconds` after the run started or last wrote: a run shorter than
// that writes only at its end. 0: at every eval step; negative: only at the end.
std::optional<RunResult> execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                                     const TrainOptions& options, const PhaseClassifier& classifier,
                                     bool force = false, double live_seconds = kLiveCurveSeconds);
// The same on the run's own task and seeded split.
std::optional<RunResult> execute_run(const RunConfig& cfg, Store& store, const TrainOptions& options,
                                     const PhaseClassifier& classifier, bool force = false);

}  // namespace geneft
