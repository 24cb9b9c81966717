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
//   lu             Omnigrok's LU landscape: loss against the fixed weight norm, w_c (lu_overlay.cpp)
//   grok-time      Omnigrok: grokking delay against weight decay, fitted power law, pure-decay predictions
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "measure/phase_classifier.h"
#include "theory/generalization_probability.h"
#include "theory/logistic_boundary_fit.h"
#include "theory/lu_landscape.h"
#include "theory/many_repon_simulation.h"

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
  void print_table(const TheoryTable& table);  // to `text`, columns padded to their widest cell
};

// Helpers the overlays share (theory_overlay.cpp, open_questions.cpp).
struct SweepRow;
struct MeanPoint;
// The sweep's finished runs in `db`, phases by the sweep's own options (`options` replaces them if
// given); empty, with a note in `out`, when the store or the sweep is not there yet.
std::vector<SweepRow> measured_rows(TheoryOutput& out, const std::string& db, const TheoryInput& in,
                                    const std::optional<PhaseOptions>& options = std::nullopt);
MeanPoint mean_point(double x, const std::vector<double>& v);  // mean and standard error
// A metric of the rows grouped by a numeric config key: mean and standard error over seeds.
std::vector<MeanPoint> group_mean(const std::vector<SweepRow>& rows, const std::string& key, const std::string& metric);
std::string num(double v, const char* fmt = "%.3f");  // "not reached" when not finite
// Writes `text` to OUT/NAME.EXT (the name made safe; OUT created) and returns the path.
std::string write_output_file(const std::string& out_dir, const std::string& name, const std::string& ext,
                              const std::string& text);
inline std::string write_csv(const std::string& out_dir, const std::string& name, const std::string& text) {
  return write_output_file(out_dir, name, "csv", text);
}

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
// What lr_boundaries_overlay prints and draws, one entry per sweep (or part of one): the measured
// fit and the repon predictions from that part's config (also read by repon_gas_overlay).
struct LrBoundaryResult {
  RunConfig config;  // of the part's first run
  std::string label;
  size_t runs = 0;
  int left_out = 0;  // confusion, diverged
  LrBoundaryFit fit;
  InitLaw embedding, decoder;  // the init laws the predictions start from
  ReponThresholds two_repon;   // Monte Carlo over those laws
  double gaussian = 0;         // the Gaussian closed form's x0
  std::optional<ManyReponSetup> gas;   // the many-repon gas, where the nodes fall into classes
  std::optional<ReponThresholds> many;  // its simulated thresholds
  std::map<double, std::vector<double>> ratios;  // log10(eta_dec/eta_enc) -> 1 per run that generalized, else 0
  double enc_min = 0, enc_max = 0;               // the encoder rates measured
};
std::vector<LrBoundaryResult> lr_boundary_results(TheoryOutput& out, const std::vector<TheoryInput>& sweeps,
                                                  const LrBoundariesOptions& o);

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

// The LU landscape of a stored sweep of fixed-norm runs (Omnigrok, Liu, Michaud, Tegmark 2022):
// one point per completed run, w_c = critical_norm, the norm of the lowest test loss (what the
// grokking-delay prediction needs). The computation is theory/lu_landscape.h; this reads the
// store. `notes` (if given) gets the runs left out. UserError without a store, sweep or run.
LuLandscape lu_landscape_of_sweep(const std::string& db, const std::string& sweep, LuValue value = LuValue::Last,
                                  std::vector<std::string>* notes = nullptr);

struct LuOptions {
  std::string db = "results.db", out = "fig", name = "lu";
  std::string value = "last";  // last | best (over training, as the authors' landscape notebooks)
};
TheoryOutput lu_overlay(const std::vector<TheoryInput>& sweeps, const LuOptions& o);
// Omnigrok (Liu, Michaud, Tegmark 2022): t_train, t_test and the delay of each run of a sweep over
// weight decay, the fit delay ~ gamma^k, and per run the pure-decay predictions of
// theory/omnigrok_delay.h; a table, a CSV (<out>/<name>.csv) and the figure.
struct GrokTimeOptions {
  std::string db = "results.db", out = "fig", name;
  std::string gamma_key;             // the swept weight decay; default: the sweep's first axis
  std::optional<double> threshold;   // accuracy of t_train and t_test; default: the sweep's own
  double w_c = std::numeric_limits<double>::quiet_NaN();  // norm of the LU test-loss minimum (NaN: none)
  int bootstrap = 1000;              // resamples of seeds for the error of k (0: none)
};
TheoryOutput grok_time_overlay(const TheoryInput& in, const GrokTimeOptions& o);

}  // namespace geneft
