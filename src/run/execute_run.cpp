#include "run/execute_run.h"

#include <new>

#include "core/error.h"
#include "tasks/task.h"
#include "train/memory_estimate.h"

namespace geneft {

FinishedRun train_and_classify(const RunConfig& cfg, const Dataset& data, const Split& split,
                               const TrainOptions& options, const PhaseClassifier& classifier) {
  FinishedRun run;
  run.id = cfg.id();
  run.task = data.name;
  run.started_at = utc_now_iso8601();
  run.result = train_run(cfg, data, split, options);
  run.phase = classifier.classify(run.result.curve, run.result.status == "diverged");
  run.ended_at = utc_now_iso8601();
  return run;
}

FinishedRun train_and_classify(const RunConfig& cfg, const TrainOptions& options, const PhaseClassifier& classifier) {
  const Dataset data = make_dataset(cfg.task);
  return train_and_classify(cfg, data, make_split(data.size(), cfg.task, cfg.seed), options, classifier);
}

std::optional<RunResult> execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                                     const TrainOptions& options, const PhaseClassifier& classifier, bool force) {
  const std::string id = cfg.id();
  const std::string started = utc_now_iso8601();
  if (!store.claim_run(id, cfg, data.name, started, force)) return std::nullopt;
  FinishedRun run;
  try {
    run = train_and_classify(cfg, data, split, options, classifier);
  } catch (const std::bad_alloc&) {  // recorded, never left "running"
    RunResult failed;
    failed.status = "failed";
    store.save_run(id, cfg, data.name, failed, PhaseResult{Phase::Confusion, {}, {}}, started, utc_now_iso8601());
    throw UserError("run " + id + " ran out of memory (estimated " + format_bytes(estimate_run_bytes(cfg, data, split)) +
                    "); it is stored as failed and is trained again when rerun");
  }
  store.save_run(run.id, cfg, run.task, run.result, run.phase, run.started_at, run.ended_at);
  return std::move(run.result);
}

std::optional<RunResult> execute_run(const RunConfig& cfg, Store& store, const TrainOptions& options,
                                     const PhaseClassifier& classifier, bool force) {
  const Dataset data = make_dataset(cfg.task);
  return execute_run(cfg, data, make_split(data.size(), cfg.task, cfg.seed), store, options, classifier, force);
}

}  // namespace geneft
