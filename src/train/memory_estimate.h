#pragma once
// How much memory a run needs, from its config and dataset, before anything is allocated: the
// trainer's buffers (parameters, gradients, optimizer state, activations for the largest
// batch), the dataset and split, the parallelograms of RQI, and what the run keeps for the
// store (embedding snapshots, checkpoints). Compared with the machine's memory so that a run
// too large is refused with a clear error instead of dying of std::bad_alloc.
#include <cstdint>
#include <string>

#include "core/config.h"
#include "tasks/dataset.h"
#include "tasks/split.h"

namespace geneft {

double estimate_run_bytes(const RunConfig& cfg, const Dataset& data, const Split& split);

// The limit runs are checked against: GENEFT_MAX_MEMORY (bytes, or with a K/M/G/T suffix) if
// set, else the memory the machine has available now (MemAvailable; the cgroup's limit if lower).
double memory_limit_bytes();

// UserError naming the estimate and the limit if `runs_at_once` runs of `bytes` each do not fit.
void check_memory(double bytes, int runs_at_once, const std::string& what);

// "1.5 GiB"
std::string format_bytes(double bytes);

}  // namespace geneft
