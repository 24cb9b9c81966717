#include "nn/models/registry.h"

#include <stdexcept>

#include "core/error.h"

namespace geneft {

// One line per architecture: each defines its Architecture in its own file.
Architecture mlp_architecture();          // nn/models/encoder_decoder.cpp
Architecture transformer_architecture();  // nn/models/transformer.cpp

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> all = {mlp_architecture(), transformer_architecture()};
  return all;
}

const std::vector<ArchitectureSpec>& architecture_specs() {
  static const std::vector<ArchitectureSpec> specs = [] {
    std::vector<ArchitectureSpec> s;
    for (const auto& a : architectures()) s.push_back(a.spec);
    return s;
  }();
  return specs;
}

namespace {
const Architecture& architecture(const std::string& name) {
  for (const auto& a : architectures())
    if (a.spec.name == name) return a;
  throw std::logic_error("unregistered model.arch: " + name);  // config parsing checks the name
}
}  // namespace

ModelFootprint model_footprint(const RunConfig& cfg, const Dataset& data, int max_batch) {
  return architecture(cfg.model.arch).footprint(cfg, data, max_batch);
}

std::vector<ParameterGroup> parameter_groups(const RunConfig& cfg, const Dataset& data) {
  const auto probe = make_model<double>(cfg, data, 1);
  const size_t enc = probe->encoder().size, dec = probe->decoder().size;
  std::vector<ParameterGroup> groups = {{"encoder", 0, enc}, {"decoder", enc, enc + dec}};
  if (const GroupsFn own = architecture(cfg.model.arch).groups)
    for (auto& g : own(cfg, data)) groups.push_back(std::move(g));
  return groups;
}

template <class T>
std::unique_ptr<Model<T>> make_model(const RunConfig& cfg, const Dataset& data, int max_batch) {
  const Architecture& a = architecture(cfg.model.arch);
  ModelFactory<T> make;
  if constexpr (std::is_same_v<T, float>) make = a.make_float;
  else make = a.make_double;
  std::unique_ptr<Model<T>> model = make(cfg, data, max_batch);
  model->init(cfg.seed);
  // model.init_scale: alpha times every initial parameter, any architecture (Omnigrok, Sec. 3)
  if (cfg.model.init_scale != 1)
    for (const ParamSpan<T> p : {model->encoder(), model->decoder()})
      for (size_t i = 0; i < p.size; ++i) p.param[i] *= T(cfg.model.init_scale);
  return model;
}

template std::unique_ptr<Model<float>> make_model<float>(const RunConfig&, const Dataset&, int);
template std::unique_ptr<Model<double>> make_model<double>(const RunConfig&, const Dataset&, int);

}  // namespace geneft
