#pragma once
// A sweep: a base run config, axes over config keys, and seeds. Expands to one validated
// RunConfig per grid point (or random-search sample) and seed.
//
//   [sweep]
//   name = "liu2022-fig5-lr"
//   base = "liu2022-toy.toml"         # run config to start from, relative to the sweep file
//   seeds = 2                         # seeds 0..1, or a list: [0, 7]
//   mode = "grid"                     # or "random": `samples` points drawn from `random_seed`
//   [[sweep.axis]]
//   key = "optim.encoder_lr"
//   log_range = [1e-5, 1e-1, 8]       # or range = [start, stop, count], or values = [...]
//   also = ["optim.decoder_lr"]       # optional: more keys set to the same value at each point
//   [sweep.phase]                     # phase classification of the sweep's runs
//   threshold = 0.9
//   delta = 1000
//   [train]                           # any run-config table overrides the base for every run
//   steps = 5000
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config.h"
#include "measure/phase_classifier.h"

namespace geneft {

enum class AxisKind { Values, Range, LogRange };

struct SweepAxis {
  std::string key;
  std::vector<std::string> also;  // keys tied to `key`: set to the same value at every point
  AxisKind kind = AxisKind::Values;
  std::vector<std::string> values;  // Values: each value as TOML text
  double start = 0, stop = 0;       // Range, LogRange (inclusive)
  int64_t count = 0;
  // The axis' grid points as TOML texts of values (integers rounded for integer keys).
  std::vector<std::string> grid() const;
};

struct SweepDefinition {
  std::string name;
  std::map<std::string, ConfigValue> base;  // base file, then the sweep file's own run-config tables
  std::vector<SweepAxis> axes;
  std::vector<uint64_t> seeds;
  std::string mode = "grid";
  int64_t samples = 0;
  uint64_t random_seed = 0;
  PhaseOptions phase;
  std::string source;  // path, for messages

  // Machine-readable summary stored with the sweep (axes, seeds, phase options).
  std::string to_json() const;
};

struct SweepPoint {
  RunConfig config;
  std::vector<std::pair<std::string, ConfigValue>> coordinates;  // axis key -> value
};

SweepDefinition load_sweep(const std::string& path, const std::vector<std::string>& overrides = {});
SweepDefinition parse_sweep(const std::string& text, const std::string& source, const std::string& base_dir,
                            const std::vector<std::string>& overrides = {});

// Every run of the sweep, each config validated; UserError before anything runs if a point is bad.
std::vector<SweepPoint> expand_sweep(const SweepDefinition& sweep);

// Axes and phase options of a stored sweep (the JSON of SweepDefinition::to_json).
struct StoredSweep {
  std::vector<std::pair<std::string, AxisKind>> axes;
  PhaseOptions phase;
};
StoredSweep parse_stored_sweep(const std::string& json);

}  // namespace geneft
