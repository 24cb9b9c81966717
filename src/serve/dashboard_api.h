#pragma once
// The dashboard's JSON API (geneft serve): what the store has, read-only. Each function returns a
// JSON document; strings from the store are JSON-escaped here and shown as text by the page.
#include <string>

#include "store/store.h"

namespace geneft {

// {"store", "data_version", "runs", "finished", "running"}: polled by the page to learn of new
// results (data_version changes on every commit, live eval points of a run in flight included).
std::string api_status(Store& store);
// Every sweep: name, axes, total, finished, running, failed (diverged), mean run wall time, ETA.
std::string api_sweeps(Store& store);
// One sweep's finished runs on its axes, with phases (recomputed with the sweep's options):
// the phase diagram and the parallel-coordinates view. UserError if there is no such sweep.
std::string api_sweep(Store& store, const std::string& name);
// Every run: id, status, task, seed, steps, times, final metrics, phase and its config (key -> value).
std::string api_runs(Store& store);
// One run (a unique id prefix): its row and curve, "partial" unless the run is finished (the eval
// points a run in flight has stored so far). UserError if absent or ambiguous.
std::string api_run(Store& store, const std::string& id);

}  // namespace geneft
