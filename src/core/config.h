#pragma once
// Run configuration: TOML -> a flat map of validated values -> typed structs.
// The flat map, keys sorted, is the canonical form that is stored with each run and hashed to
// the run's id: the keys of the first schema always (defaults included, as ids were first made),
// later keys only where they matter for the run and differ from their default.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace geneft {

using ConfigValue = std::variant<int64_t, double, bool, std::string>;
enum class ValueType { Int, Float, Bool, String };

// One documented config key: type, default, allowed values.
struct FieldSpec {
  std::string key;
  ValueType type;
  ConfigValue default_value;
  std::string doc;
  std::optional<double> min, max;
  bool min_exclusive = false;
  std::vector<std::string> choices;  // for strings; empty = free text
  // "key=value": the key matters only for runs with that value (e.g. "model.arch=transformer");
  // empty: for every run.
  std::string applies_when;
};

const std::vector<FieldSpec>& config_schema();
// Building a FieldSpec by kind of value (config_schema.cpp, and each architecture's own keys).
namespace schema {
FieldSpec integer(std::string key, int64_t def, double lo, double hi, std::string doc);
FieldSpec real(std::string key, double def, double lo, double hi, std::string doc, bool lo_open = false);
FieldSpec choice(std::string key, std::string def, std::vector<std::string> choices, std::string doc);
FieldSpec text(std::string key, std::string def, std::string doc);
FieldSpec flag(std::string key, bool def, std::string doc);
}  // namespace schema
const FieldSpec* find_field(const std::string& key);
// Whether `key` was in the schema when run ids were first made (those keys are always canonical).
bool in_first_schema(const std::string& key);

struct TaskConfig {
  std::string kind;
  int p, n, k, part;
  std::string file, file_format;
  double train_fraction;
  int64_t train_count;
  std::string data_dir;  // fashion_mnist: folder of the IDX files
  int64_t data_seed;     // fashion_mnist: draws the training subset; teacher_student: the teacher and points
  int64_t test_count;    // teacher_student: test points
  int teacher_width;     // teacher_student: hidden width of the teacher
  // fashion_mnist, teacher_student: the dataset's first train_count rows train, the rest test
  bool own_test_set() const { return kind == "fashion_mnist" || kind == "teacher_student"; }
};

struct ModelConfig {
  std::string arch;  // model.arch: a name in architecture_specs()
  std::string dtype;
  int embed_dim;
  std::string embed_init;
  double embed_scale;
  std::string combiner;
  int width, depth;
  std::string activation;
  double decoder_init_scale;
  std::string head;  // resolved: never "auto"
  int target_dim;
  double target_scale;
  double init_scale;  // alpha: multiplies every initial parameter (Omnigrok)
};

struct OptimConfig {
  std::string kind;
  double encoder_lr, decoder_lr, encoder_wd, decoder_wd;
  double momentum, beta1, beta2, eps;
  int64_t warmup_steps;  // 0 = none
  int64_t batch_size;    // 0 = full batch
};

struct TrainConfig {
  int64_t steps;
  std::string eval_schedule;
  int64_t eval_every, eval_points;
  bool early_stop;
  double early_stop_threshold;
  int64_t early_stop_patience;
  bool store_embeddings;
  int64_t checkpoint_every;  // 0: no checkpoints
  std::string fixed_norm;    // none | all | encoder | decoder
};

struct RunConfig {
  uint64_t seed = 0;
  TaskConfig task;
  ModelConfig model;
  OptimConfig optim;
  TrainConfig train;
  std::map<std::string, ConfigValue> values;  // every key, defaults filled in

  // Sorted `key = value` lines of the first schema's keys and of the later keys that apply to
  // this run and differ from their default; valid TOML that loads back to the same config.
  std::string canonical() const;
  // Hash of the canonical form (and of the relation file's bytes when one is used).
  std::string id() const;
};

// What the config layer knows of a model architecture (model.arch = name): its own keys (each
// with applies_when "model.arch=<name>") and a check of a whole config (UserError if bad).
struct ArchitectureSpec {
  std::string name;
  std::vector<FieldSpec> keys;
  void (*validate)(const RunConfig&) = nullptr;
};
// Every architecture, listed by the model registry (src/nn/models/registry.cpp) beside its
// factory: the one place where architectures are registered. Declared here so that configs are
// checked by name when parsed, before anything runs.
const std::vector<ArchitectureSpec>& architecture_specs();

// Parses `path`, applies `--set key=value` overrides, fills defaults and validates.
RunConfig load_config(const std::string& path, const std::vector<std::string>& overrides = {});
// Same from TOML text; `source` names it in errors.
RunConfig parse_config(const std::string& toml_text, const std::string& source,
                       const std::vector<std::string>& overrides = {});
// The keys a TOML text sets, validated against the schema (no defaults filled in).
std::map<std::string, ConfigValue> parse_config_values(const std::string& toml_text, const std::string& source);
// Sets `key` from the TOML text of a value (strings may be unquoted); `source` names it in errors.
void set_config_value(std::map<std::string, ConfigValue>& values, const std::string& key,
                      const std::string& value_text, const std::string& source);
// Builds the typed structs from a complete value map (used after parsing and by sweeps).
RunConfig config_from_values(std::map<std::string, ConfigValue> values);

std::string format_value(const ConfigValue& v);
// Markdown table of every key: the text of `geneft train --help-config` and docs/config.md.
std::string config_reference();

}  // namespace geneft
