#include "train/init_dump.h"

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace geneft {
namespace {

// A row-major tensor of `shape` as nested lists (a list of numbers for one dimension).
template <class T>
nlohmann::json nested(const T* p, const int* shape, size_t dims) {
  if (dims == 1) return std::vector<double>(p, p + shape[0]);
  size_t inner = 1;
  for (size_t i = 1; i < dims; ++i) inner *= shape[i];
  nlohmann::json m = nlohmann::json::array();
  for (int r = 0; r < shape[0]; ++r) m.push_back(nested(p + r * inner, shape + 1, dims - 1));
  return m;
}

}  // namespace

template <class T>
void write_init_dump(const std::string& path, const RunConfig& cfg, const Dataset& data, const Split& split,
                     const Model<T>& model) {
  using nlohmann::json;
  json tensors = json::object();
  for (const auto& t : model.tensors()) tensors[t.name] = nested(t.data, t.shape.data(), t.shape.size());
  json config = json::object();
  for (const auto& [k, v] : cfg.values) std::visit([&](const auto& x) { config[k] = x; }, v);
  config["model.head"] = cfg.model.head;  // resolved
  json dump = {
      {"config", config},
      {"num_classes", data.num_classes},
      {"a", data.a}, {"b", data.b}, {"label", data.label},
      {"train", split.train}, {"test", split.test},
      {"tensors", tensors},
  };
  // dense inputs (size, F) and a regression task's targets (size, D), as the model reads them
  const int rows = int(data.size());
  if (data.features > 0) dump["dense"] = nested(data.dense.data(), std::array{rows, data.features}.data(), 2);
  if (data.target_dim > 0) dump["targets"] = nested(data.targets.data(), std::array{rows, data.target_dim}.data(), 2);
  std::ofstream out(path);
  if (!out) throw UserError(path + ": cannot write the init dump");
  out << dump.dump() << "\n";
}

template void write_init_dump<float>(const std::string&, const RunConfig&, const Dataset&, const Split&,
                                     const Model<float>&);
template void write_init_dump<double>(const std::string&, const RunConfig&, const Dataset&, const Split&,
                                      const Model<double>&);

}  // namespace geneft
