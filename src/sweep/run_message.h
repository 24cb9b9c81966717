#pragma once
// A finished run as bytes, for sending from a worker rank to the rank that owns the store:
// everything Store::save_run writes (result, curve, embeddings, checkpoints, phase, times).
// Numbers are copied bit for bit in the host's byte order (every rank of a job shares it), so
// a run trained on another rank is stored exactly as if it had been trained locally.
#include <cstdint>
#include <string>
#include <vector>

#include "run/execute_run.h"

namespace geneft {

struct RunMessage {
  uint64_t point = 0;  // index of the run in the sweep's expanded points
  FinishedRun run;     // run.id is checked against the point on arrival (ranks expanding different sweeps)
};

std::vector<char> encode_run_message(const RunMessage& m);
// std::runtime_error if the bytes are not a whole message.
RunMessage decode_run_message(const std::vector<char>& bytes);

}  // namespace geneft
