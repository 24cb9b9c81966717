#pragma once
// Architectures by name (model.arch). Each architecture lives in its own file in this folder
// and is registered once, in registry.cpp: name, its own config keys and validation (the
// ArchitectureSpec of core/config.h), and a factory per scalar type.
#include <memory>
#include <vector>

#include "core/config.h"
#include "nn/model.h"
#include "tasks/dataset.h"

namespace geneft {

// A model of the run's config for the task, activations for up to max_batch samples;
// weights not yet drawn (Model::init).
template <class T>
using ModelFactory = std::unique_ptr<Model<T>> (*)(const RunConfig& cfg, const Dataset& data, int max_batch);

// What a model of the config holds, counted from the config before anything is built (for the
// memory estimate, train/memory_estimate.h), in scalars: the parameters (the trainer adds a
// gradient and the optimizer state for each), every activation and workspace buffer for
// max_batch samples, and the embedding (Model::embedding), which a run keeps at each evaluation.
struct ModelFootprint {
  double params = 0, workspace = 0, embedding = 0;
};
using FootprintFn = ModelFootprint (*)(const RunConfig& cfg, const Dataset& data, int max_batch);

struct Architecture {
  ArchitectureSpec spec;
  ModelFactory<float> make_float;
  ModelFactory<double> make_double;
  FootprintFn footprint;
};

const std::vector<Architecture>& architectures();

ModelFootprint model_footprint(const RunConfig& cfg, const Dataset& data, int max_batch);

// The run's model (model.arch, scalar type T) with its initial weights drawn from the run's seed.
template <class T>
std::unique_ptr<Model<T>> make_model(const RunConfig& cfg, const Dataset& data, int max_batch);

}  // namespace geneft
