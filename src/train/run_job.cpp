#include "train/run_job.h"

#include <new>

#include "core/error.h"
#include "train/memory_estimate.h"

namespace geneft {

std::optional<RunResult> execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                                     const TrainOptions& options, const PhaseClassifier& classifier, bool force) {
  const std::string id = cfg.id();
  const std::string started = utc_now_iso8601();
  if (!store.claim_run(id, cfg, data.name, started, force)) return std::nullopt;
  RunResult result;
  try {
    result = train_run(cfg, data, split, options);
  } catch (const std::bad_alloc&) {  // recorded, never left "running"
    result = RunResult{};
    result.status = "failed";
    store.save_run(id, cfg, data.name, result, PhaseResult{Phase::Confusion, {}, {}}, started, utc_now_iso8601());
    throw UserError("run " + id + " ran out of memory (estimated " + format_bytes(estimate_run_bytes(cfg, data, split)) +
                    "); it is stored as failed and is trained again when rerun");
  }
  const PhaseResult phase = classifier.classify(result.curve, result.status == "diverged");
  store.save_run(id, cfg, data.name, result, phase, started, utc_now_iso8601());
  return result;
}

}  // namespace geneft
