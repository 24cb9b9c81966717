// Registration of the encoder-decoder MLP (model.arch = "mlp"). Its keys are the model.* keys of
// the first schema (core/config_schema.cpp), typed in ModelConfig.
#include "nn/models/encoder_decoder.h"

#include "nn/models/registry.h"

namespace geneft {

ModelShape mlp_shape(const ModelConfig& m, const Dataset& data) {
  ModelShape s;
  s.num_symbols = data.num_symbols;
  s.embed_dim = m.embed_dim;
  s.combiner = combiner_named(m.combiner);
  s.width = m.width;
  s.depth = m.depth;
  s.activation = activation_named(m.activation);
  s.head = head_named(m.head);
  s.num_classes = data.num_classes;
  s.target_dim = m.head == "mse_onehot" ? data.num_classes : m.head == "regression" ? data.target_dim : m.target_dim;
  s.features = data.features;
  return s;
}

namespace {

template <class T>
std::unique_ptr<Model<T>> make_mlp(const RunConfig& cfg, const Dataset& data, int max_batch) {
  const ModelConfig& m = cfg.model;
  const MlpInit init{.embed_normal = m.embed_init == "normal", .onehot_targets = m.head == "mse_onehot",
                     .embed_scale = m.embed_scale,
                     .decoder_scale = m.decoder_init_scale, .target_scale = m.target_scale};
  return std::make_unique<EncoderDecoder<T>>(mlp_shape(m, data), max_batch, init);
}

void validate(const RunConfig& cfg) {
  if (cfg.model.combiner == "matmul" && matrix_side(cfg.model.embed_dim) == 0)
    throw UserError("model.combiner = \"matmul\" reads each embedding as a k x k matrix, so model.embed_dim must be "
                    "a square (1, 4, 9, 16, ...); it is " + std::to_string(cfg.model.embed_dim));
}

// The buffers EncoderDecoder's constructor allocates, counted.
ModelFootprint mlp_footprint(const RunConfig& cfg, const Dataset& data, int max_batch) {
  const ModelShape s = mlp_shape(cfg.model, data);
  const double enc = double(s.num_symbols) * s.embed_dim;
  double dec = 0;
  for (int l = 0, in = s.in_dim(); l <= s.depth; ++l) {
    const int out = l < s.depth ? s.width : s.out_dim();
    dec += double(out) * in + out;
    in = out;
  }
  const double B = max_batch, widest = std::max(s.width, s.out_dim());
  const double acts = B * (4.0 * s.embed_dim + 2.0 * s.in_dim() + 2.0 * s.depth * s.width + 2.0 * s.out_dim() + 2 * widest);
  const double symbol_tables = 4.0 * s.num_symbols * (s.depth > 0 ? s.width : s.out_dim());  // Pa, Pb and their gradients
  const double targets = s.head == Head::Mse ? double(s.num_classes) * s.target_dim : 0;
  return {enc + dec, acts + symbol_tables + targets, enc};
}

}  // namespace

Architecture mlp_architecture() {
  return {{"mlp", {}, validate}, make_mlp<float>, make_mlp<double>, mlp_footprint};
}

}  // namespace geneft
