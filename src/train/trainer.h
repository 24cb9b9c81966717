#pragma once
#include <atomic>
#include <functional>
#include <string>

#include "core/config.h"
#include "core/run_result.h"
#include "tasks/dataset.h"
#include "tasks/split.h"

namespace geneft {

struct TrainOptions {
  bool progress = true;        // progress on stderr
  std::string dump_init_path;  // if set: write data, split and initial weights as JSON (for the PyTorch peer)
  std::string label = "train";
  const std::atomic<bool>* stop = nullptr;  // when set: the run ends with status "interrupted"
  std::atomic<int64_t>* steps_done = nullptr;  // when set: steps done so far, for a caller's own progress display
  // When set: called with each eval point as it is measured (execute_run stores them while the
  // run trains); at eval steps only, never inside the optimizer steps between them.
  std::function<void(const EvalPoint&)> on_eval;
};

// Trains one run of `cfg` on `data` with `split`, measuring at the eval schedule's steps.
// A non-finite loss stops the run with status "diverged"; options.stop with "interrupted".
RunResult train_run(const RunConfig& cfg, const Dataset& data, const Split& split, const TrainOptions& options = {});

}  // namespace geneft
