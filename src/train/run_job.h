#pragma once
// One run from config to store: claim it in the store, train, classify the phase, save.
#include <optional>

#include "core/config.h"
#include "measure/phase_classifier.h"
#include "store/store.h"
#include "tasks/dataset.h"
#include "tasks/split.h"
#include "train/trainer.h"

namespace geneft {

// Nothing (and nothing trained) if the store has the run finished (unless force) or another
// live process is training it (Store::claim_run).
std::optional<RunResult> execute_run(const RunConfig& cfg, const Dataset& data, const Split& split, Store& store,
                                     const TrainOptions& options, const PhaseClassifier& classifier, bool force = false);

}  // namespace geneft
