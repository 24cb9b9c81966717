#include "run/execute_run.h"

#include "tasks/task.h"

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

RunResult execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                      const TrainOptions& options, const PhaseClassifier& classifier) {
  store.mark_running(cfg.id(), cfg, data.name, utc_now_iso8601());
  FinishedRun run = train_and_classify(cfg, data, split, options, classifier);
  store.save_run(run.id, cfg, run.task, run.result, run.phase, run.started_at, run.ended_at);
  return std::move(run.result);
}

RunResult execute_run(const RunConfig& cfg, Store& store, const TrainOptions& options,
                      const PhaseClassifier& classifier) {
  const Dataset data = make_dataset(cfg.task);
  return execute_run(cfg, data, make_split(data.size(), cfg.task, cfg.seed), store, options, classifier);
}

}  // namespace geneft
