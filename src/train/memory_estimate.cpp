#include "train/memory_estimate.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "train/eval_schedule.h"
#include "measure/rqi.h"
#include "nn/models/registry.h"

namespace geneft {

double estimate_run_bytes(const RunConfig& cfg, const Dataset& data, const Split& split) {
  const double T = cfg.model.dtype == "float64" ? 8 : 4;
  // the model's own buffers (its architecture counts them) for the largest batch: every sample
  // of the train or test set at evaluation, as the trainer builds it
  const int B = int(std::max({split.train.size(), split.test.size(), size_t(1)}));
  const ModelFootprint model = model_footprint(cfg, data, B);
  const double state = cfg.optim.kind == "sgd" ? (cfg.optim.momentum > 0 ? 1 : 0) : 2;  // momentum; Adam m, v
  // the dataset (a, b, label), the split and the train/test sample blocks
  const double samples = double(data.size()) * 12 + double(split.train.size() + split.test.size()) * (4 + 12);
  // the parallelograms RQI is measured on (plain addition): 1.3 GB for p = 1000
  const double parallelograms =
      data.plain_addition ? double(count_addition_parallelograms(data.num_symbols)) * sizeof(Parallelogram) : 0;
  // kept for the store: embedding snapshots (float32) at every evaluation, checkpoints (double)
  const double evals = double(eval_steps(cfg.train).size());
  const double snapshots = cfg.train.store_embeddings ? evals * model.embedding * 4 : 0;
  const double checkpoints =
      cfg.train.checkpoint_every > 0 ? (evals / double(cfg.train.checkpoint_every) + 1) * model.params * 8 : 0;
  // parameters with their gradients and optimizer state, activations and workspace
  return T * (model.params * (2 + state) + model.workspace) + samples + parallelograms + snapshots + checkpoints;
}

double memory_limit_bytes() {
  if (const char* env = std::getenv("GENEFT_MAX_MEMORY"); env && *env) {
    char* end = nullptr;
    double v = std::strtod(env, &end);
    const std::string unit = end ? end : "";
    const std::string units = "KMGT";
    if (unit.size() == 1 && units.find(char(std::toupper(unit[0]))) != std::string::npos)
      v *= std::pow(1024.0, double(units.find(char(std::toupper(unit[0]))) + 1));
    else if (!unit.empty())
      v = -1;
    if (!(v > 0)) throw UserError("GENEFT_MAX_MEMORY = '" + std::string(env) + "': expected bytes, e.g. 8G or 512M");
    return v;
  }
  // what the machine can give now (MemAvailable), else its physical memory
  double limit = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemAvailable:", 0) == 0) limit = std::min(limit, std::stod(line.substr(13)) * 1024);
  std::ifstream cg("/sys/fs/cgroup/memory.max");  // cgroup v2; "max" when unlimited
  if (double v = 0; cg >> v && v > 0) limit = std::min(limit, v);
  return limit;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  while (bytes >= 1024 && u < 5) bytes /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

void check_memory(double bytes, int runs_at_once, const std::string& what) {
  const double limit = memory_limit_bytes();
  if (bytes * runs_at_once <= limit) return;
  throw UserError(what + " needs about " + format_bytes(bytes) + (runs_at_once > 1 ? " per run, " +
                  std::to_string(runs_at_once) + " at once: " + format_bytes(bytes * runs_at_once) : "") +
                  ", more than the " + format_bytes(limit) +
                  " of memory available (set GENEFT_MAX_MEMORY=BYTES, e.g. 64G, to allow more" +
                  (runs_at_once > 1 ? ", or fewer --jobs" : "") + ")");
}

}  // namespace geneft
