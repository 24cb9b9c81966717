// Every config key geneft knows, with its default and allowed values.
// Defaults follow the Liu et al. 2022 toy model where it has one (arXiv:2205.10343).
#include <algorithm>
#include <limits>
#include <set>

#include "core/config.h"

namespace geneft {
namespace schema {

FieldSpec integer(std::string key, int64_t def, double lo, double hi, std::string doc) {
  return {std::move(key), ValueType::Int, def, std::move(doc), lo, hi, false, {}, {}};
}
FieldSpec real(std::string key, double def, double lo, double hi, std::string doc, bool lo_open) {
  return {std::move(key), ValueType::Float, def, std::move(doc), lo, hi, lo_open, {}, {}};
}
FieldSpec choice(std::string key, std::string def, std::vector<std::string> choices, std::string doc) {
  return {std::move(key), ValueType::String, std::move(def), std::move(doc), {}, {}, false, std::move(choices), {}};
}
FieldSpec text(std::string key, std::string def, std::string doc) {
  return {std::move(key), ValueType::String, std::move(def), std::move(doc), {}, {}, false, {}, {}};
}
FieldSpec flag(std::string key, bool def, std::string doc) {
  return {std::move(key), ValueType::Bool, def, std::move(doc), {}, {}, false, {}, {}};
}

}  // namespace schema

namespace {

using namespace schema;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::string> architecture_names() {
  std::vector<std::string> names;
  for (const auto& a : architecture_specs()) names.push_back(a.name);
  return names;
}

std::vector<FieldSpec> make_schema() {
  std::vector<FieldSpec> s = {
      integer("seed", 0, 0, 4.0e18, "seed of the run: split, initialization, targets and batches"),

      choice("task.kind", "plain_add",
             {"plain_add", "mod_add", "mod_sub", "mod_mul", "mod_div", "mod_quad", "perm_compose",
              "rel_equiv", "rel_greater", "rel_bipartite", "rel_file", "fashion_mnist", "teacher_student"},
             "plain_add: a+b with (a,b)~(b,a); mod_*: (a+b), (a-b), (a*b), (a/b), (a^2+ab+b^2) mod p; "
             "perm_compose: composition in S_n; rel_*: relation on n nodes (binary labels); fashion_mnist: 28x28 "
             "images, 10 classes, train_count of the training images, all 10,000 test images; teacher_student: "
             "regression of a random tanh network 5 -> teacher_width -> teacher_width -> 5 on x ~ N(0, I), "
             "train_count and test_count points"),
      integer("task.p", 10, 2, 1000, "symbols a,b in 0..p-1 for binary-operation tasks (mod_div needs a prime)"),
      integer("task.n", 30, 2, 2000, "nodes of a relation task; degree of S_n for perm_compose (at most 5)"),
      integer("task.k", 3, 1, 2000, "rel_equiv: x1 ~ x2 iff x1 = x2 mod k"),
      integer("task.part", 15, 1, 1999, "rel_bipartite: size of the first part (nodes 0..part-1)"),
      text("task.file", "", "rel_file: path of a CSV of node pairs that are related, or an n x n 0/1 matrix"),
      choice("task.file_format", "auto", {"auto", "pairs", "matrix"},
             "rel_file: auto reads a matrix when the first row has more than two fields"),
      real("task.train_fraction", 0.8, 0, 1, "fraction of the samples drawn for training; the rest is the test set", true),
      integer("task.train_count", 0, 0, 1.0e7, "if > 0, the exact number of training samples (overrides train_fraction)"),
      text("task.data_dir", "/usr/share/datasets/fashion-mnist",
           "fashion_mnist: folder of the IDX files (Debian's dataset-fashion-mnist installs them here)"),
      integer("task.data_seed", 0, 0, 4.0e18,
              "fashion_mnist: seed of the training subset; teacher_student: seed of the teacher and the points "
              "(the same for every run seed)"),
      integer("task.test_count", 100, 1, 1.0e7, "teacher_student: number of test points"),
      integer("task.teacher_width", 100, 1, 4096, "teacher_student: hidden width of the teacher's two tanh layers"),

      choice("model.arch", "mlp", architecture_names(),
             "architecture: mlp, the encoder-decoder (embedding, combiner, MLP decoder, head; the model.* keys "
             "below); transformer, one layer (Nanda et al. 2023; the model.d_model, n_heads, d_head, d_mlp keys)"),
      choice("model.dtype", "float32", {"float32", "float64"}, "scalar type of parameters and arithmetic"),
      integer("model.embed_dim", 1, 1, 4096, "dimension d of each symbol's embedding"),
      choice("model.embed_init", "uniform", {"uniform", "normal"},
             "uniform: U(-1/2, 1/2) * embed_scale; normal: N(0, 1) * embed_scale"),
      real("model.embed_scale", 1.0, 0, kInf, "scale of the embedding initialization"),
      choice("model.combiner", "sum", {"sum", "concat", "diff", "sqdiff", "matmul"},
             "how the two embeddings meet: E_a+E_b, [E_a, E_b], E_a-E_b, (E_a-E_b)^2, or E_a E_b with each "
             "embedding a k x k matrix (matmul; embed_dim = k^2; Liu et al. 2022 Fig. 5d)"),
      integer("model.width", 200, 1, 16384, "width of each hidden decoder layer"),
      integer("model.depth", 2, 0, 64, "number of hidden decoder layers (0: a linear decoder)"),
      choice("model.activation", "tanh", {"tanh", "relu", "gelu", "silu"}, "decoder activation"),
      real("model.decoder_init_scale", 1.0, 0, kInf,
           "multiplies PyTorch's default Linear init U(-1/sqrt(fan_in), 1/sqrt(fan_in))"),
      choice("model.head", "auto", {"auto", "cross_entropy", "mse", "mse_onehot", "binary", "regression"},
             "cross_entropy over classes; mse onto fixed random target vectors (nearest target predicts); "
             "mse_onehot onto the one-hot class vectors (Omnigrok); "
             "binary for relations; regression: MSE onto each sample's own dense target (teacher_student; "
             "correct: mean squared error < 1e-3, as Omnigrok counts); auto: binary for rel_* tasks, regression "
             "for teacher_student, else cross_entropy"),
      integer("model.target_dim", 30, 1, 4096, "mse head: dimension of the random target vectors"),
      real("model.target_scale", 1.0, 0, kInf, "mse head: target vectors are N(0, 1) * target_scale", true),
      real("model.init_scale", 1.0, 0, kInf,
           "alpha: multiplies every initial parameter (both groups, any architecture) after the per-group "
           "scales; Omnigrok (Liu, Michaud, Tegmark 2022): large alpha delays generalization", true),

      choice("optim.kind", "adamw", {"sgd", "adam", "adamw"},
             "PyTorch semantics: sgd (momentum, L2 wd), adam (L2 wd), adamw (decoupled wd)"),
      real("optim.encoder_lr", 1e-3, 0, kInf, "learning rate of the embeddings"),
      real("optim.decoder_lr", 1e-3, 0, kInf, "learning rate of the decoder"),
      real("optim.encoder_wd", 0.0, 0, kInf, "weight decay of the embeddings"),
      real("optim.decoder_wd", 0.0, 0, kInf, "weight decay of the decoder"),
      real("optim.encoder_l1", 0.0, 0, kInf,
           "adds encoder_l1 * mean(abs(w)) over the encoder's parameters (the embeddings) to the training loss; "
           "the recorded losses are the head's alone (Liu et al. 2022 Fig. 5d: 1e-3)"),
      real("optim.momentum", 0.0, 0, 0.999999, "sgd momentum"),
      real("optim.beta1", 0.9, 0, 0.999999, "adam/adamw first-moment decay"),
      real("optim.beta2", 0.999, 0, 0.999999999, "adam/adamw second-moment decay"),
      real("optim.eps", 1e-8, 0, kInf, "adam/adamw epsilon", true),
      integer("optim.warmup_steps", 0, 0, 1.0e9,
              "linear warm-up: step t (from 0) uses lr * min(t / warmup_steps, 1) in every group, so lr 0 at the "
              "first step, and adamw's decoupled decay (lr * wd) warms up with it (Nanda et al. 2023); 0: none"),
      integer("optim.batch_size", 0, 0, 1.0e7, "samples per step, drawn without replacement each step; 0: full batch"),

      integer("train.steps", 5000, 0, 1.0e10, "optimizer steps"),
      choice("train.eval_schedule", "linear", {"linear", "log"},
             "linear: every eval_every steps; log: eval_points log-spaced steps; step 0 and the last step always"),
      integer("train.eval_every", 100, 1, 1.0e10, "linear schedule: steps between evaluations"),
      integer("train.eval_points", 100, 2, 1.0e6, "log schedule: number of evaluations"),
      flag("train.early_stop", false, "stop once train and test accuracy held >= threshold for `patience` evals"),
      real("train.early_stop_threshold", 0.99, 0, 1, "early stop: accuracy threshold"),
      integer("train.early_stop_patience", 10, 1, 1.0e9, "early stop: consecutive evaluations above threshold"),
      flag("train.store_embeddings", true, "store the embedding matrix at every evaluation"),
      integer("train.fourier_top_k", 5, 1, 1000,
              "(a+b), (a-b) mod p: the embedding's Fourier sparsity is the share of |E|^2 in its top k frequencies"),
      integer("train.checkpoint_every", 0, 0, 1.0e9,
              "store all weights (a checkpoint, in the model's dtype) at every k-th evaluation and at the last; "
              "0: none. Checkpoints are what `geneft llc` measures"),
      choice("train.fixed_norm", "none", {"none", "all", "encoder", "decoder"},
             "after each optimizer step rescale these parameters back to their initial L2 norm (all: the "
             "norm of both groups together): training on a sphere, the Omnigrok LU landscape"),
  };
  // each architecture's own keys, after the shared model keys
  auto at = std::find_if(s.begin(), s.end(), [](const FieldSpec& f) { return f.key.rfind("optim.", 0) == 0; });
  for (const auto& a : architecture_specs()) at = s.insert(at, a.keys.begin(), a.keys.end()) + a.keys.size();
  return s;
}

}  // namespace

const std::vector<FieldSpec>& config_schema() {
  static const std::vector<FieldSpec> schema = make_schema();
  return schema;
}

// The 39 keys of the schema in which run ids were first made (main at df7f197). Their
// `key = value` lines stay in every canonical text, defaults included, so that no stored run
// changes its id; a key added later enters only when it applies and differs from its default.
// Never add to this list.
bool in_first_schema(const std::string& key) {
  static const std::set<std::string> first = {
      "seed",
      "task.kind", "task.p", "task.n", "task.k", "task.part", "task.file", "task.file_format",
      "task.train_fraction", "task.train_count",
      "model.dtype", "model.embed_dim", "model.embed_init", "model.embed_scale", "model.combiner",
      "model.width", "model.depth", "model.activation", "model.decoder_init_scale", "model.head",
      "model.target_dim", "model.target_scale",
      "optim.kind", "optim.encoder_lr", "optim.decoder_lr", "optim.encoder_wd", "optim.decoder_wd",
      "optim.momentum", "optim.beta1", "optim.beta2", "optim.eps", "optim.batch_size",
      "train.steps", "train.eval_schedule", "train.eval_every", "train.eval_points", "train.early_stop",
      "train.early_stop_threshold", "train.early_stop_patience", "train.store_embeddings",
      "train.checkpoint_every"};
  return first.count(key) > 0;
}

const FieldSpec* find_field(const std::string& key) {
  for (const auto& f : config_schema())
    if (f.key == key) return &f;
  return nullptr;
}

}  // namespace geneft
