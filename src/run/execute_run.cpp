#include "run/execute_run.h"

#include <chrono>
#include <memory>
#include <new>

#include "core/error.h"
#include "tasks/task.h"
#include "train/memory_estimate.h"

namespace geneft {
namespace {

using Clock = std::chrono::steady_clock;

// The eval points of a run in flight, buffered and written to the store at an eval step once
// `seconds` have passed since the run started or last wrote: one small transaction at most that
// often, never inside the optimizer steps. A live curve is only a view: if the store cannot take
// it now (locked too long, full), the points wait for the next write and the run goes on; the
// final save_run writes the whole curve and reports any failure.
class LiveCurve {
 public:
  LiveCurve(Store& store, std::string id, double seconds)
      : store_(store), id_(std::move(id)), interval_(seconds), last_(Clock::now()) {}
  void add(const EvalPoint& p) {
    if (off_) return;
    pending_.push_back(p);
    const Clock::time_point now = Clock::now();
    if (now - last_ < interval_) return;
    last_ = now;
    try {
      off_ = !store_.save_partial_curve(id_, pending_);  // not "running" (--force on a finished run)
      pending_.clear();
    } catch (const std::exception&) {
    }
  }

 private:
  Store& store_;
  const std::string id_;
  const std::chrono::duration<double> interval_;
  Clock::time_point last_;
  std::vector<EvalPoint> pending_;
  bool off_ = false;
};

}  // namespace

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
                                     const TrainOptions& options, const PhaseClassifier& classifier, bool force,
                                     double live_seconds) {
  const std::string id = cfg.id();
  const std::string started = utc_now_iso8601();
  if (!store.claim_run(id, cfg, data.name, started, force)) return std::nullopt;
  TrainOptions live_options = options;
  if (live_seconds >= 0)
    live_options.on_eval = [live = std::make_shared<LiveCurve>(store, id, live_seconds), &options](const EvalPoint& p) {
      live->add(p);
      if (options.on_eval) options.on_eval(p);
    };
  FinishedRun run;
  try {
    run = train_and_classify(cfg, data, split, live_options, classifier);
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
