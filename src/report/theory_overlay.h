#pragma once
// What the effective theories predict, beside a sweep's measurements in the store: the numbers
// (as text and as tables of predicted vs measured with standard errors) and the figure.
// `geneft theory ...` prints them; `geneft report` puts them in the HTML page.
//   datasize       GenEFT statics: description length, balls into buckets, oracle learner
//   goldilocks     test accuracy against decoder complexity (measured)
//   repons         GenEFT dynamics: two-repon and many-repon boundary vs a measured lr phase diagram
//   parallelograms Liu et al. 2022 effective theory for addition vs measured accuracy
//   boundaries     learning-rate boundaries of several tasks or sizes beside the repon predictions
//   repon-trajectories  measured repon coordinates over training against the repon flows
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"

namespace geneft {

// The sweep whose stored runs are the measurement.
struct SweepRef {
  std::string name;
  std::vector<std::string> axes;  // config keys
  size_t expected_runs = 0;       // points x seeds
};

// The task a theory is about (a run config, or a sweep's first point), and the sweep measured.
struct TheoryInput {
  RunConfig config;
  std::optional<SweepRef> sweep;
  std::string source;  // the file, or "DB: sweep NAME", for messages
};

// A run config, or a sweep file whose first point stands for the task.
TheoryInput theory_input_from_file(const std::string& path);
// A sweep in the store: the task is that of its first stored run (UserError if it has none).
TheoryInput theory_input_from_store(const std::string& db, const std::string& sweep);

struct TheoryTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// What a theory printed, its tables and the figures it drew (PNG paths).
struct TheoryOutput {
  std::string text;
  std::vector<TheoryTable> tables;
  std::vector<std::string> figures;
  void printf(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
};

// `name`: the figure's file name in `out` (empty: the sweep's name, or the config file's stem).
struct DataSizeOptions {
  std::string db = "results.db", out = "fig", name;
  double alpha = 0.9, threshold = 0.9;
  int splits = 100;
};
TheoryOutput datasize_overlay(const TheoryInput& in, const DataSizeOptions& o);

struct GoldilocksOptions {
  std::string db = "results.db", out = "fig", name = "goldilocks";
};
TheoryOutput goldilocks_overlay(const std::vector<TheoryInput>& sweeps, const GoldilocksOptions& o);

struct ReponOptions {
  std::string db = "results.db", out = "fig", name;
  double sigma_a = -1, sigma_c = -1;
  int samples = 60, decoder_rows = -1;
};
TheoryOutput repons_overlay(const TheoryInput& in, const ReponOptions& o);

// Learning-rate boundaries of several sweeps (one per relation, or per repon-gas size): each sweep
// over optim.decoder_lr (and optim.encoder_lr, for the slope) is split by the values of its other
// axes; each part gets the measured boundary (logistic fits, confusion and diverged runs left
// out: the repon theory separates generalization from memorization) beside the repon predictions
// from that part's own config (two-repon Monte Carlo over the init laws; many-repon simulation
// where the nodes fall into classes). A table, a CSV (`name`.csv) and one figure.
struct LrBoundariesOptions {
  std::string db = "results.db", out = "fig", name = "lr-boundaries";
  int samples = 20;               // many-repon initial conditions (each one's threshold by bisection)
  int64_t mc_samples = 200'000;   // two-repon Monte Carlo draws
  int decoder_rows = -1;          // many-repon decoder rows (default: model.width)
};
TheoryOutput lr_boundaries_overlay(const std::vector<TheoryInput>& sweeps, const LrBoundariesOptions& o);

// Repon trajectories of a learning-rate sweep of an equivalence relation that stores embeddings:
// per run the measured repon coordinates over training (within-class spread c, between-class
// separation, decoder scale a from the decoder norm), the effective constants fitted to them, and
// the many-repon and two-repon flows integrated from the run's own initial embeddings and first
// decoder layer with its learning rates; how often each predicts the run's phase; a figure of
// measured against predicted trajectories for a few runs per phase, and a CSV per run.
struct ReponTrajectoryOptions {
  std::string db = "results.db", out = "fig", name;
  int runs_per_phase = 3;
};
TheoryOutput repon_trajectories_overlay(const TheoryInput& in, const ReponTrajectoryOptions& o);

struct ParallelogramOptions {
  std::string db = "results.db", out = "fig", name;
  int sets = 200;
};
TheoryOutput parallelograms_overlay(const TheoryInput& in, const ParallelogramOptions& o);

}  // namespace geneft
