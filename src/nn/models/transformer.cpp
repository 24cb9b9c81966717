// Registration of the one-layer transformer (model.arch = "transformer"; Nanda et al. 2023):
// its own keys, sizes of the reference configuration by default.
#include "nn/models/transformer.h"

#include "nn/models/registry.h"

namespace geneft {
namespace {

std::vector<FieldSpec> transformer_keys() {
  using namespace schema;
  std::vector<FieldSpec> keys = {
      integer("model.d_model", 128, 1, 4096, "transformer: width of the residual stream (and of each embedding)"),
      integer("model.n_heads", 4, 1, 64, "transformer: attention heads"),
      integer("model.d_head", 32, 1, 1024, "transformer: width of each head's query, key and value"),
      integer("model.d_mlp", 512, 1, 16384, "transformer: hidden width of the ReLU MLP"),
  };
  for (auto& k : keys) k.applies_when = "model.arch=transformer";
  return keys;
}

int64_t key(const RunConfig& cfg, const char* name) { return std::get<int64_t>(cfg.values.at(name)); }

void validate(const RunConfig& cfg) {
  if (cfg.model.head != "cross_entropy")
    throw UserError("model.arch = \"transformer\" predicts a class with cross-entropy: it needs a binary-operation "
                    "task and model.head = \"cross_entropy\" (or \"auto\"), not model.head = \"" + cfg.model.head +
                    "\" (task.kind = \"" + cfg.task.kind + "\")");
}

TransformerShape shape_of(const RunConfig& cfg, const Dataset& data) {
  return {.num_symbols = data.num_symbols,
          .d_model = int(key(cfg, "model.d_model")),
          .n_heads = int(key(cfg, "model.n_heads")),
          .d_head = int(key(cfg, "model.d_head")),
          .d_mlp = int(key(cfg, "model.d_mlp")),
          .num_classes = data.num_classes};
}

template <class T>
std::unique_ptr<Model<T>> make_transformer(const RunConfig& cfg, const Dataset& data, int max_batch) {
  return std::make_unique<Transformer<T>>(shape_of(cfg, data), max_batch);
}

ModelFootprint transformer_footprint(const RunConfig& cfg, const Dataset& data, int max_batch) {
  const TransformerShape s = shape_of(cfg, data);
  const TransformerLayout L(s);
  return {double(L.enc_size + L.dec_size), Transformer<float>::workspace_scalars(s, max_batch),
          double(s.num_symbols) * s.d_model};
}

// The blocks of Nanda et al. 2023 as ranges of w = [enc, dec]: the embeddings (W_E, W_pos),
// attention (W_Q, W_K, W_V, W_O), the MLP (W_in, b_in, W_out, b_out) and the unembedding W_U.
std::vector<ParameterGroup> transformer_groups(const RunConfig& cfg, const Dataset& data) {
  const TransformerLayout L(shape_of(cfg, data));
  const size_t e = L.enc_size;
  return {{"embed", 0, e}, {"attention", e + L.W_Q, e + L.W_in}, {"mlp", e + L.W_in, e + L.W_U},
          {"unembed", e + L.W_U, e + L.dec_size}};
}

}  // namespace

Architecture transformer_architecture() {
  return {{"transformer", transformer_keys(), validate}, make_transformer<float>, make_transformer<double>,
          transformer_footprint, transformer_groups};
}

}  // namespace geneft
