#include "core/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/hash.h"
#include "core/input_file.h"

namespace geneft {
namespace {

const char* type_label(ValueType t) {
  switch (t) {
    case ValueType::Int: return "integer";
    case ValueType::Float: return "number";
    case ValueType::Bool: return "bool";
    case ValueType::String: return "string";
  }
  return "?";
}

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::Int: return "an integer";
    case ValueType::Float: return "a number";
    case ValueType::Bool: return "true or false";
    case ValueType::String: return "a string";
  }
  return "?";
}

std::string shortest(double x) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, end);
}

std::string allowed_text(const FieldSpec& f) {
  if (!f.choices.empty()) {
    std::string s = "one of";
    for (const auto& c : f.choices) s += " \"" + c + "\"";
    return s;
  }
  if (f.min || f.max) {
    auto num = [&](double x) { return f.type == ValueType::Int ? std::to_string(std::llround(x)) : shortest(x); };
    std::ostringstream o;
    o << (f.min_exclusive ? "(" : "[") << num(*f.min) << ", "
      << (std::isinf(*f.max) ? std::string("inf)") : num(*f.max) + "]");
    return o.str();
  }
  return type_name(f.type);
}

std::string known_keys_near(const std::string& key) {
  const auto dot = key.find('.');
  const std::string section = dot == std::string::npos ? "" : key.substr(0, dot + 1);
  std::string out;
  for (const auto& f : config_schema())
    if (section.empty() ? f.key.find('.') == std::string::npos : f.key.rfind(section, 0) == 0)
      out += (out.empty() ? "" : ", ") + f.key;
  if (out.empty())
    for (const auto& f : config_schema()) {
      const auto d = f.key.find('.');
      const std::string sec = d == std::string::npos ? f.key : "[" + f.key.substr(0, d) + "]";
      if (out.find(sec) == std::string::npos) out += (out.empty() ? "" : ", ") + sec;
    }
  return out;
}

// Converts a TOML node into the field's type and checks the allowed range or choices.
ConfigValue convert(const FieldSpec& f, const toml::node& node, const std::string& source) {
  auto fail = [&](const std::string& what) -> UserError {
    std::ostringstream value;
    if (node.is_integer()) value << *node.value<int64_t>();
    else if (node.is_floating_point()) value << shortest(*node.value<double>());
    else node.visit([&](const auto& n) { value << n; });
    return UserError(source + ": key '" + f.key + "' = " + clip_for_message(value.str()) + " " + what);
  };
  ConfigValue v;
  switch (f.type) {
    case ValueType::Int:
      if (!node.is_integer()) throw fail("must be " + std::string(type_name(f.type)));
      v = int64_t(*node.value<int64_t>());
      break;
    case ValueType::Float:
      if (!node.is_number()) throw fail("must be " + std::string(type_name(f.type)));
      // an integer is converted exactly as far as a double allows (value<double>() refuses large ones)
      v = node.is_integer() ? double(*node.value<int64_t>()) : *node.value<double>();
      break;
    case ValueType::Bool:
      if (!node.is_boolean()) throw fail("must be " + std::string(type_name(f.type)));
      v = *node.value<bool>();
      break;
    case ValueType::String:
      if (!node.is_string()) throw fail("must be " + std::string(type_name(f.type)));
      v = *node.value<std::string>();
      break;
  }
  if (!f.choices.empty()) {
    const auto& s = std::get<std::string>(v);
    bool ok = false;
    for (const auto& c : f.choices) ok |= (c == s);
    if (!ok) throw fail("is not allowed: must be " + allowed_text(f));
  }
  if (f.min || f.max) {
    const double x = f.type == ValueType::Int ? double(std::get<int64_t>(v)) : std::get<double>(v);
    const bool below = f.min && (f.min_exclusive ? !(x > *f.min) : !(x >= *f.min));
    const bool above = f.max && !(x <= *f.max);
    if (below || above || std::isnan(x)) throw fail("is out of range: allowed " + allowed_text(f));
  }
  return v;
}

void collect(const toml::table& table, const std::string& prefix, const std::string& source,
             std::map<std::string, ConfigValue>& out) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      collect(*sub, key, source, out);
      continue;
    }
    const FieldSpec* f = find_field(key);
    if (!f) throw UserError(source + ": unknown key '" + clip_for_message(key) + "' (known: " + known_keys_near(key) + ")");
    out[key] = convert(*f, node, source);
  }
}

toml::table parse_toml(const std::string& text, const std::string& source) {
  check_toml_nesting(text, source);
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << source << ":" << e.source().begin.line << ":" << e.source().begin.column
      << ": malformed TOML: " << e.description();
    throw UserError(o.str());
  }
}

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

void apply_override(const std::string& assignment, std::map<std::string, ConfigValue>& values) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UserError("--set '" + assignment + "': expected key=value");
  set_config_value(values, trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1)), "--set " + assignment);
}

// TOML needs a '.' or an exponent to read a number back as a float.
std::string toml_float(double x) {
  std::string s = shortest(x);
  if (s.find_first_of(".eain") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

void set_config_value(std::map<std::string, ConfigValue>& values, const std::string& key,
                      const std::string& value_text, const std::string& source) {
  const FieldSpec* f = find_field(key);
  if (!f) throw UserError(clip_for_message(source) + ": unknown key '" + clip_for_message(key) + "' (known: " +
                         known_keys_near(key) + ")");
  // Strings may be given without quotes: --set task.kind=mod_add
  if (f->type == ValueType::String && (value_text.empty() || value_text.front() != '"')) {
    values[key] = convert(*f, toml::value<std::string>(value_text), source);
    return;
  }
  const toml::table t = parse_toml("v = " + value_text, source);
  values[key] = convert(*f, *t.get("v"), source);
}

std::map<std::string, ConfigValue> parse_config_values(const std::string& toml_text, const std::string& source) {
  std::map<std::string, ConfigValue> values;
  collect(parse_toml(toml_text, source), "", source, values);
  return values;
}

std::string format_value(const ConfigValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return toml_float(*d);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  std::ostringstream o;
  o << toml::value<std::string>(std::get<std::string>(v));  // TOML-quoted and escaped
  return o.str();
}

RunConfig parse_config(const std::string& toml_text, const std::string& source,
                       const std::vector<std::string>& overrides) {
  std::map<std::string, ConfigValue> values = parse_config_values(toml_text, source);
  for (const auto& o : overrides) apply_override(o, values);
  for (const auto& f : config_schema()) values.emplace(f.key, f.default_value);
  return config_from_values(std::move(values));
}

RunConfig load_config(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_config(read_input_file(path, "config file"), path, overrides);
}

RunConfig config_from_values(std::map<std::string, ConfigValue> values) {
  for (const auto& f : config_schema()) values.emplace(f.key, f.default_value);
  auto i = [&](const char* k) { return std::get<int64_t>(values.at(k)); };
  auto d = [&](const char* k) { return std::get<double>(values.at(k)); };
  auto b = [&](const char* k) { return std::get<bool>(values.at(k)); };
  auto s = [&](const char* k) { return std::get<std::string>(values.at(k)); };

  RunConfig c;
  c.seed = uint64_t(i("seed"));
  c.task = {.kind = s("task.kind"), .p = int(i("task.p")), .n = int(i("task.n")), .k = int(i("task.k")),
            .part = int(i("task.part")), .file = s("task.file"), .file_format = s("task.file_format"),
            .train_fraction = d("task.train_fraction"), .train_count = i("task.train_count"),
            .data_dir = s("task.data_dir"), .data_seed = i("task.data_seed"), .test_count = i("task.test_count"),
            .teacher_width = int(i("task.teacher_width"))};
  c.model = {.arch = s("model.arch"), .dtype = s("model.dtype"), .embed_dim = int(i("model.embed_dim")),
             .embed_init = s("model.embed_init"), .embed_scale = d("model.embed_scale"),
             .combiner = s("model.combiner"), .width = int(i("model.width")), .depth = int(i("model.depth")),
             .activation = s("model.activation"), .decoder_init_scale = d("model.decoder_init_scale"),
             .head = s("model.head"), .target_dim = int(i("model.target_dim")),
             .target_scale = d("model.target_scale"), .init_scale = d("model.init_scale")};
  c.optim = {.kind = s("optim.kind"), .encoder_lr = d("optim.encoder_lr"), .decoder_lr = d("optim.decoder_lr"),
             .encoder_wd = d("optim.encoder_wd"), .decoder_wd = d("optim.decoder_wd"),
             .momentum = d("optim.momentum"), .beta1 = d("optim.beta1"), .beta2 = d("optim.beta2"),
             .eps = d("optim.eps"), .warmup_steps = i("optim.warmup_steps"),
             .batch_size = i("optim.batch_size")};
  c.train = {.steps = i("train.steps"), .eval_schedule = s("train.eval_schedule"),
             .eval_every = i("train.eval_every"), .eval_points = i("train.eval_points"),
             .early_stop = b("train.early_stop"), .early_stop_threshold = d("train.early_stop_threshold"),
             .early_stop_patience = i("train.early_stop_patience"),
             .store_embeddings = b("train.store_embeddings"), .checkpoint_every = i("train.checkpoint_every"),
             .fixed_norm = s("train.fixed_norm")};

  const bool relation = c.task.kind.rfind("rel_", 0) == 0;
  const bool regression = c.task.kind == "teacher_student";
  if (c.model.head == "auto") c.model.head = relation ? "binary" : regression ? "regression" : "cross_entropy";
  if (c.model.head == "binary" && !relation)
    throw UserError("model.head = \"binary\" needs a relation task (rel_*), but task.kind = \"" +
                    c.task.kind + "\"");
  if ((c.model.head == "regression") != regression)
    throw UserError(regression ? "task.kind = \"teacher_student\" has dense targets: it needs model.head = \"regression\" "
                                 "(or \"auto\"), not \"" + c.model.head + "\""
                               : "model.head = \"regression\" needs a task with dense targets (teacher_student), but "
                                 "task.kind = \"" + c.task.kind + "\"");
  if (c.task.own_test_set() && c.task.train_count == 0)
    throw UserError("task.kind = \"" + c.task.kind + "\" needs task.train_count > 0, the number of training " +
                    (regression ? "points (100 in Omnigrok)" : "images (1000 in Omnigrok)"));
  if (c.task.kind == "rel_file" && c.task.file.empty())
    throw UserError("task.kind = \"rel_file\" needs task.file, the path of the relation file");
  // Adam divides by 1 - beta^t: in float32 a beta within 6e-8 of 1 makes that 0 and every step diverge.
  if (c.model.dtype == "float32" && c.optim.kind != "sgd")
    for (const auto& [key, beta] : {std::pair{"optim.beta1", c.optim.beta1}, std::pair{"optim.beta2", c.optim.beta2}})
      if (1.0f - float(beta) == 0.0f)
        throw UserError("key '" + std::string(key) + "' = " + shortest(beta) + " is 1 in float32 (model.dtype), so " +
                        c.optim.kind + "'s 1 - beta is 0: use at most 0.99999994, or model.dtype = \"float64\"");
  c.values = std::move(values);
  for (const auto& a : architecture_specs())
    if (a.name == c.model.arch && a.validate) a.validate(c);
  return c;
}

std::string RunConfig::canonical() const {
  auto applies = [&](const FieldSpec& f) {
    if (f.applies_when.empty()) return true;
    const auto eq = f.applies_when.find('=');
    const auto it = values.find(f.applies_when.substr(0, eq));
    return it != values.end() && std::get<std::string>(it->second) == f.applies_when.substr(eq + 1);
  };
  std::string out;
  for (const auto& [k, v] : values) {
    const FieldSpec* f = find_field(k);
    if (in_first_schema(k) || (v != f->default_value && applies(*f))) out += k + " = " + format_value(v) + "\n";
  }
  return out;
}

std::string RunConfig::id() const {
  std::string text = canonical();
  if (task.kind == "rel_file")
    text += "# relation file sha256 " + sha256_hex(read_input_file(task.file, "relation file (task.file)", kMaxRelationBytes)) + "\n";
  return sha256_hex(text).substr(0, 16);
}

std::string config_reference() {
  std::string out =
      "| key | type | default | allowed | meaning |\n"
      "|---|---|---|---|---|\n";
  for (const auto& f : config_schema()) {
    std::string allowed = allowed_text(f);
    out += "| `" + f.key + "` | " + type_label(f.type) +
           " | `" + format_value(f.default_value) + "` | " + allowed + " | " + f.doc + " |\n";
  }
  return out;
}

}  // namespace geneft
