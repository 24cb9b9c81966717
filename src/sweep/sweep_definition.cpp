#include "sweep/sweep_definition.h"

#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/input_file.h"
#include "core/rng.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

std::string number_text(double x) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  std::string s(buf, end);
  if (s.find_first_of(".eain") == std::string::npos) s += ".0";
  return s;
}

std::string value_text(const FieldSpec& f, double x) {
  return f.type == ValueType::Int ? std::to_string(std::llround(x)) : number_text(x);
}

std::string node_text(const toml::node& n) {
  if (n.is_integer()) return std::to_string(*n.value<int64_t>());
  if (n.is_floating_point()) return number_text(*n.value<double>());
  if (n.is_string()) return nlohmann::json(*n.value<std::string>()).dump();  // a valid TOML basic string
  std::ostringstream o;
  n.visit([&](const auto& v) { o << v; });
  return o.str();
}

const char* kind_name(AxisKind k) { return k == AxisKind::Values ? "values" : k == AxisKind::Range ? "range" : "log_range"; }

// Bounds a grid is checked against before it is expanded (each axis, seeds, samples, the product).
constexpr int64_t kMaxSweepRuns = 1000000;

std::string out_of_range(const std::string& what, int64_t n) {
  return what + " = " + std::to_string(n) + " is out of range: allowed [1, " + std::to_string(kMaxSweepRuns) + "]";
}

SweepAxis parse_axis(const toml::table& t, const std::string& where) {
  SweepAxis a;
  const auto key = t["key"].value<std::string>();
  if (!key) throw UserError(where + ": needs key = \"section.name\" (a config key)");
  a.key = *key;
  const FieldSpec* f = find_field(a.key);
  if (!f) throw UserError(where + ": unknown config key '" + clip_for_message(a.key) + "' (see geneft train --help-config)");
  int forms = 0;
  for (const auto& [k, v] : t) {
    const std::string name(k.str());
    if (name == "key") continue;
    if (name == "also") {  // keys that move with this one (e.g. encoder and decoder weight decay)
      const toml::array* arr = v.as_array();
      if (!arr) throw UserError(where + " (" + a.key + "): 'also' must be an array of config keys");
      for (const auto& x : *arr) {
        const auto k2 = x.value<std::string>();
        if (!k2) throw UserError(where + " (" + a.key + "): 'also' must be an array of config keys");
        const FieldSpec* f2 = find_field(*k2);
        if (!f2)
          throw UserError(where + " (" + a.key + "): also: unknown config key '" + clip_for_message(*k2) +
                          "' (see geneft train --help-config)");
        if (*k2 == a.key || f2->type != f->type)
          throw UserError(where + " (" + a.key + "): also: '" + *k2 + "' must be another key of the same type");
        a.also.push_back(*k2);
      }
      continue;
    }
    if (name != "values" && name != "range" && name != "log_range")
      throw UserError(where + " (" + a.key + "): unknown field '" + clip_for_message(name) +
                      "' (allowed: key, values, range, log_range, also)");
    ++forms;
    const toml::array* arr = v.as_array();
    if (!arr) throw UserError(where + " (" + a.key + "): '" + name + "' must be an array");
    if (name == "values") {
      a.kind = AxisKind::Values;
      for (const auto& x : *arr) a.values.push_back(node_text(x));
      if (a.values.empty()) throw UserError(where + " (" + a.key + "): values is empty");
      continue;
    }
    a.kind = name == "range" ? AxisKind::Range : AxisKind::LogRange;
    if (arr->size() != 3 || !(*arr)[0].is_number() || !(*arr)[1].is_number() || !(*arr)[2].is_integer())
      throw UserError(where + " (" + a.key + "): " + name + " must be [start, stop, count]");
    a.start = *(*arr)[0].value<double>(), a.stop = *(*arr)[1].value<double>(), a.count = *(*arr)[2].value<int64_t>();
    if (a.count < 1) throw UserError(where + " (" + a.key + "): " + name + " is empty (count = " + std::to_string(a.count) + ")");
    if (a.count > kMaxSweepRuns) throw UserError(where + " (" + a.key + "): " + name + " " + out_of_range("count", a.count));
    if (a.kind == AxisKind::LogRange && !(a.start > 0 && a.stop > 0))
      throw UserError(where + " (" + a.key + "): log_range ends must be positive, got [" + number_text(a.start) + ", " +
                      number_text(a.stop) + "]");
    if (f->type != ValueType::Int && f->type != ValueType::Float)
      throw UserError(where + " (" + a.key + "): " + name + " needs a numeric key; use values = [...]");
  }
  if (forms != 1) throw UserError(where + " (" + a.key + "): give exactly one of values, range, log_range");
  return a;
}

// The sweep.FIELD node if present, UserError unless it has the type `wanted` names.
const toml::node* field(const toml::table& sw, const char* name, bool ok(const toml::node&), const char* wanted,
                        const std::string& source) {
  const toml::node* n = sw.get(name);
  if (n && !ok(*n)) {
    std::ostringstream v;
    n->visit([&](const auto& x) { v << x; });
    throw UserError(source + ": sweep." + name + " = " + clip_for_message(v.str()) + " must be " + wanted);
  }
  return n;
}
bool is_string(const toml::node& n) { return n.is_string(); }
bool is_integer(const toml::node& n) { return n.is_integer(); }
bool is_table_array(const toml::node& n) { return n.is_array_of_tables() || (n.is_array() && n.as_array()->empty()); }
bool is_table(const toml::node& n) { return n.is_table(); }


}  // namespace

std::vector<std::string> SweepAxis::grid() const {
  if (kind == AxisKind::Values) return values;
  const FieldSpec& f = *find_field(key);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (int64_t i = 0; i < count; ++i) {
    const double t = count == 1 ? 0.0 : double(i) / double(count - 1);
    // endpoints exact; log ranges interpolate decades so that 1e-5..1e-1 hits powers of ten exactly
    const double x = i == 0 ? start : i == count - 1 ? stop
                     : kind == AxisKind::Range ? start + t * (stop - start)
                                               : std::pow(10.0, std::log10(start) + t * (std::log10(stop) - std::log10(start)));
    const std::string s = value_text(f, x);
    if (seen.insert(s).second) out.push_back(s);
  }
  return out;
}

SweepDefinition parse_sweep(const std::string& text, const std::string& source, const std::string& base_dir,
                            const std::vector<std::string>& overrides) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << source << ":" << e.source().begin.line << ": malformed TOML: " << e.description();
    throw UserError(o.str());
  }
  const toml::table* sw = doc["sweep"].as_table();
  if (!sw) throw UserError(source + ": a sweep file needs a [sweep] table");
  SweepDefinition d;
  d.source = source;
  for (const auto& [k, v] : *sw) {
    const std::string key(k.str());
    static const std::set<std::string> known = {"name", "base", "seeds", "mode", "samples", "random_seed", "axis", "phase"};
    if (!known.count(key))
      throw UserError(source + ": unknown key 'sweep." + clip_for_message(key) +
                      "' (known: name, base, seeds, mode, samples, random_seed, axis, phase)");
  }
  field(*sw, "name", is_string, "a non-empty string", source);
  d.name = sw->get("name") ? (*sw)["name"].value_or(std::string()) : std::filesystem::path(source).stem().string();
  if (d.name.empty()) throw UserError(source + ": sweep.name must be a non-empty string");

  if (field(*sw, "base", is_string, "a string (the path of a config file)", source)) {
    const std::string base = *(*sw)["base"].value<std::string>();
    const std::string path = (std::filesystem::path(base_dir) / base).string();
    if (base.empty()) throw UserError(source + ": sweep.base is empty");
    d.base = parse_config_values(read_input_file(path, "base config (sweep.base)"), path);
  }
  toml::table run_tables = doc;
  run_tables.erase("sweep");
  std::ostringstream run_text;
  run_text << run_tables;
  for (auto& [k, v] : parse_config_values(run_text.str(), source)) d.base[k] = v;
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) throw UserError("--set '" + o + "': expected key=value");
    set_config_value(d.base, o.substr(0, eq), o.substr(eq + 1), "--set " + o);
  }

  const toml::node* seeds = sw->get("seeds");
  if (!seeds) d.seeds = {0};
  else if (seeds->is_integer()) {
    const int64_t n = *seeds->value<int64_t>();
    if (n < 1) throw UserError(source + ": sweep.seeds = " + std::to_string(n) + " must be at least 1");
    if (n > kMaxSweepRuns) throw UserError(source + ": " + out_of_range("sweep.seeds", n));
    for (int64_t s = 0; s < n; ++s) d.seeds.push_back(uint64_t(s));
  } else if (const toml::array* arr = seeds->as_array()) {
    for (const auto& s : *arr) {
      if (!s.is_integer() || *s.value<int64_t>() < 0) throw UserError(source + ": sweep.seeds must list non-negative integers");
      d.seeds.push_back(uint64_t(*s.value<int64_t>()));
    }
    if (int64_t(d.seeds.size()) > kMaxSweepRuns) throw UserError(source + ": " + out_of_range("sweep.seeds (count)", int64_t(d.seeds.size())));
    if (d.seeds.empty()) throw UserError(source + ": sweep.seeds is empty");
  } else {
    throw UserError(source + ": sweep.seeds must be a count or a list of seeds");
  }

  field(*sw, "mode", is_string, "a string: \"grid\" or \"random\"", source);
  field(*sw, "samples", is_integer, "an integer", source);
  field(*sw, "random_seed", is_integer, "an integer", source);
  field(*sw, "axis", is_table_array, "an array of tables ([[sweep.axis]])", source);
  field(*sw, "phase", is_table, "a table ([sweep.phase])", source);
  d.mode = (*sw)["mode"].value_or(std::string("grid"));
  if (d.mode != "grid" && d.mode != "random")
    throw UserError(source + ": sweep.mode = \"" + d.mode + "\" must be \"grid\" or \"random\"");
  d.samples = (*sw)["samples"].value_or(int64_t(0));
  d.random_seed = uint64_t((*sw)["random_seed"].value_or(int64_t(0)));
  if (d.mode == "random" && d.samples < 1)
    throw UserError(source + ": sweep.mode = \"random\" needs sweep.samples >= 1");
  if (d.samples > kMaxSweepRuns) throw UserError(source + ": " + out_of_range("sweep.samples", d.samples));

  if (const toml::array* axes = (*sw)["axis"].as_array()) {
    int i = 0;
    for (const auto& a : *axes) {
      ++i;
      const toml::table* t = a.as_table();
      const std::string where = source + ": [[sweep.axis]] #" + std::to_string(i);
      if (!t) throw UserError(where + " must be a table");
      d.axes.push_back(parse_axis(*t, where));
    }
  }
  if (const toml::table* ph = (*sw)["phase"].as_table()) {
    for (const auto& [k, v] : *ph) {
      const std::string key(k.str());
      if (key == "threshold" && v.is_number()) d.phase.threshold = *v.value<double>();
      else if (key == "delta" && v.is_integer()) d.phase.delta = *v.value<int64_t>();
      else if (key == "budget" && v.is_integer()) d.phase.budget = *v.value<int64_t>();
      else throw UserError(source + ": sweep.phase." + clip_for_message(key) +
                           " is not one of threshold (number), delta, budget (integers)");
    }
    check_phase_options(d.phase, source + ": sweep.phase.");
  }
  // The grid's size, before it is expanded.
  double runs = double(d.seeds.size()) * double(d.mode == "random" ? d.samples : 1);
  if (d.mode == "grid")
    for (const auto& a : d.axes) runs *= double(a.kind == AxisKind::Values ? int64_t(a.values.size()) : a.count);
  if (runs > double(kMaxSweepRuns)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", runs);
    throw UserError(source + ": the sweep has " + buf + " runs, more than the " + std::to_string(kMaxSweepRuns) +
                    " allowed: fewer axis values, seeds or samples (or several sweeps)");
  }
  return d;
}

SweepDefinition load_sweep(const std::string& path, const std::vector<std::string>& overrides) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_sweep(read_input_file(path, "sweep file"), path, dir.empty() ? "." : dir, overrides);
}

std::vector<SweepPoint> expand_sweep(const SweepDefinition& sweep) {
  // Coordinates of every point, as value texts per axis.
  std::vector<std::vector<std::string>> points;
  if (sweep.mode == "random") {
    Rng rng(sweep.random_seed);
    for (int64_t s = 0; s < sweep.samples; ++s) {
      std::vector<std::string> p;
      for (const auto& a : sweep.axes) {
        const FieldSpec& f = *find_field(a.key);
        if (a.kind == AxisKind::Values) p.push_back(a.values[rng.below(a.values.size())]);
        else if (a.kind == AxisKind::Range) p.push_back(value_text(f, rng.uniform(a.start, a.stop)));
        else p.push_back(value_text(f, std::exp(rng.uniform(std::log(a.start), std::log(a.stop)))));
      }
      points.push_back(std::move(p));
    }
  } else {
    points.push_back({});
    for (const auto& a : sweep.axes) {
      std::vector<std::vector<std::string>> next;
      for (const auto& p : points)
        for (const auto& v : a.grid()) {
          next.push_back(p);
          next.back().push_back(v);
        }
      points = std::move(next);
    }
  }

  std::vector<SweepPoint> out;
  std::set<std::string> checked_tasks;
  for (const auto& p : points)
    for (uint64_t seed : sweep.seeds) {
      std::map<std::string, ConfigValue> values = sweep.base;
      values["seed"] = int64_t(seed);
      SweepPoint point;
      for (size_t i = 0; i < sweep.axes.size(); ++i) {
        const std::string& key = sweep.axes[i].key;
        set_config_value(values, key, p[i], sweep.source + ": axis " + key);
        for (const auto& tied : sweep.axes[i].also) set_config_value(values, tied, p[i], sweep.source + ": axis " + key);
        point.coordinates.emplace_back(key, values[key]);
      }
      point.config = config_from_values(values);
      // Task parameters (prime p, relation files, train_count) are checked once per distinct task.
      std::string task_key;
      for (const auto& [k, v] : point.config.values)
        if (k.rfind("task.", 0) == 0) task_key += k + "=" + format_value(v) + ";";
      if (checked_tasks.insert(task_key).second) {
        const Dataset data = make_dataset(point.config.task);
        make_split(data.size(), point.config.task, 0);
      }
      out.push_back(std::move(point));
    }
  return out;
}

std::string SweepDefinition::to_json() const {
  nlohmann::json axes_json = nlohmann::json::array();
  for (const auto& a : axes) {
    axes_json.push_back({{"key", a.key}, {"kind", kind_name(a.kind)}, {"grid", a.grid()}});
    if (!a.also.empty()) axes_json.back()["also"] = a.also;  // absent otherwise: stored definitions stay as they were
  }
  nlohmann::json j = {{"name", name}, {"mode", mode}, {"seeds", seeds}, {"axes", axes_json},
                      {"phase", {{"threshold", phase.threshold}, {"delta", phase.delta}}}};
  if (phase.budget) j["phase"]["budget"] = *phase.budget;
  return j.dump();
}

StoredSweep parse_stored_sweep(const std::string& text) {
  StoredSweep s;
  try {  // the store is data from elsewhere: a damaged definition is an error, not a crash
    const auto j = nlohmann::json::parse(text);
    for (const auto& a : j.at("axes")) {
      const std::string kind = a.at("kind");
      s.axes.emplace_back(a.at("key"), kind == "log_range" ? AxisKind::LogRange : kind == "range" ? AxisKind::Range : AxisKind::Values);
    }
    s.phase.threshold = j.at("phase").at("threshold");
    s.phase.delta = j.at("phase").at("delta");
    if (j.at("phase").contains("budget")) s.phase.budget = j["phase"]["budget"].get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw UserError("a stored sweep definition is damaged (" + std::string(e.what()) + ")");
  }
  check_phase_options(s.phase, "the stored sweep's phase.");
  return s;
}

}  // namespace geneft
