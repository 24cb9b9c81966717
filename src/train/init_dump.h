#pragma once
// Writes what a peer implementation needs to replay a run: the config, every sample, the
// split, and the model's named tensors (initial weights, fixed buffers such as the mse targets)
// as JSON (tests/peer/torch_peer.py reads it).
#include <string>

#include "core/config.h"
#include "nn/model.h"
#include "tasks/dataset.h"
#include "tasks/split.h"

namespace geneft {

template <class T>
void write_init_dump(const std::string& path, const RunConfig& cfg, const Dataset& data, const Split& split,
                     const Model<T>& model);

}  // namespace geneft
