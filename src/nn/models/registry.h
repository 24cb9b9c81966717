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

// A named range [begin, end) of the parameters w = [encoder, decoder] (the checkpoint's order):
// restricted λ̂ samples one group and holds the rest (geneft llc --restrict NAME).
struct ParameterGroup {
  std::string name;
  size_t begin = 0, end = 0;
};
// An architecture's own groups beyond encoder and decoder (nullptr: none).
using GroupsFn = std::vector<ParameterGroup> (*)(const RunConfig& cfg, const Dataset& data);

struct Architecture {
  ArchitectureSpec spec;
  ModelFactory<float> make_float;
  ModelFactory<double> make_double;
  FootprintFn footprint;
  GroupsFn groups = nullptr;
};

const std::vector<Architecture>& architectures();

ModelFootprint model_footprint(const RunConfig& cfg, const Dataset& data, int max_batch);

// The parameter groups of the run's model: "encoder" and "decoder" for every architecture,
// then the architecture's own (the transformer: embed, attention, mlp, unembed).
std::vector<ParameterGroup> parameter_groups(const RunConfig& cfg, const Dataset& data);

// The run's model (model.arch, scalar type T) with its initial weights drawn from the run's seed.
template <class T>
std::unique_ptr<Model<T>> make_model(const RunConfig& cfg, const Dataset& data, int max_batch);

}  // namespace geneft
