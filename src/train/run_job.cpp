#include "train/run_job.h"

namespace geneft {

std::optional<RunResult> execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                                     const TrainOptions& options, const PhaseClassifier& classifier, bool force) {
  const std::string id = cfg.id();
  const std::string started = utc_now_iso8601();
  if (!store.claim_run(id, cfg, data.name, started, force)) return std::nullopt;
  const RunResult result = train_run(cfg, data, split, options);
  const PhaseResult phase = classifier.classify(result.curve, result.status == "diverged");
  store.save_run(id, cfg, data.name, result, phase, started, utc_now_iso8601());
  return result;
}

}  // namespace geneft
