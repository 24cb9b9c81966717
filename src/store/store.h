#pragma once
// The results store: one SQLite file (WAL mode), the single source of truth for every
// figure and report. Schema version in PRAGMA user_version; the file is marked as a
// geneft store by PRAGMA application_id. Every method is safe to call from several threads.
#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/run_result.h"
#include "store/curve_metrics.h"
#include "measure/phase_classifier.h"

namespace geneft {

constexpr int kSchemaVersion = 8;

// A run with one of these statuses is done and is never trained again (unless forced);
// "running" (in flight, or its process was killed) and "interrupted" runs are rerun.
bool is_finished(const std::string& status);


struct RunRow {
  std::string id, config, task, status, started_at, ended_at;
  int64_t seed = 0, steps_done = 0, train_size = 0, test_size = 0;
  std::optional<int64_t> diverged_step;
  bool early_stopped = false;
  double wall_seconds = 0;
  EvalPoint final;  // last measurement (fields missing where not measured)
  std::string phase;  // as classified when the run was saved
  std::optional<int64_t> t_train, t_test;
};

// One λ̂ measurement at a checkpoint of a run (table llc_estimates).
struct LlcRow {
  int64_t id = 0;
  std::string run_id;
  int64_t step = 0;
  std::string created_at, settings;  // settings: JSON
  int64_t n = 0;
  double nbeta = 0, lambda_mean = 0, lambda_std = 0, loss_at_center = 0;
  double mala_acceptance = 0, fraction_below_center = 0, trend = 0;
  int64_t diverged_chains = 0;
  std::string warnings;  // one per line
  double wall_seconds = 0;
};

// Degeneracy at a checkpoint of a run (table degeneracy): Hessian and model Fisher spectra.
struct DegeneracyRow {
  std::string run_id;
  int64_t step = 0;
  std::string created_at;
  std::string summary;  // JSON: d, n, tolerances, ranks, effective dimension, generic symmetries
  std::vector<double> hessian_eigenvalues, fisher_eigenvalues;  // ascending (fisher empty: not defined)
};

// The Hessian's spectrum by stochastic Lanczos quadrature at a checkpoint (table hessian_lanczos):
// every probe's Ritz values and quadrature weights, concatenated (the summary's probe_steps say
// how many each probe has), from which the density is drawn again.
struct LanczosRow {
  std::string run_id;
  int64_t step = 0;
  std::string created_at;
  std::string summary;  // JSON: d, n, steps, probes, seed, extremes, counts below tolerances, probe_steps
  std::vector<double> ritz, weights;  // the same length
};

// A Bayesian phase transition study (tables bayes_transitions, bayes_transition_points).
struct BayesTransitionPointRow {
  int64_t n = 0, dataset = 0;
  double mass_one = 0, predicted_one = 0, delta_loss = 0, mala = 0, swap = 0, rhat = 0, ess = 0;
  int64_t diverged_chains = 0;
};
struct BayesTransitionRow {
  std::string id, created_at, settings, summary;  // settings, summary: JSON
  double wall_seconds = 0;
  std::vector<BayesTransitionPointRow> points;
};

struct MergeReport;

class Store {
 public:
  // Opens (create = true: creates if absent) and checks that the file is a geneft store.
  static Store open(const std::string& path, bool create);
  // Opens for reading only (runs, export, figures): works on a read-only file or folder and
  // never changes the file. A store of an older schema must be opened writable once to upgrade.
  static Store open_read_only(const std::string& path);
  Store(Store&& other) noexcept;
  Store& operator=(Store&&) = delete;
  ~Store();

  // Status of run `id` ("completed", "diverged", ...), or nothing if absent.
  std::optional<std::string> run_status(const std::string& id);
  // Claims run `id` for this process before it is trained, atomically: false if the run is
  // finished (unless force) or claimed by a process that is still alive (on another host: any
  // claim). Records it as "running" (a finished run keeps its row until save_run replaces it).
  // save_run releases the claim; a killed process's claim lapses with it.
  bool claim_run(const std::string& id, const RunConfig& cfg, const std::string& task, const std::string& started_at,
                 bool force = false);
  // Records that run `id` has started (status "running"), replacing any unfinished copy; a
  // finished run is left as it is.
  void mark_running(const std::string& id, const RunConfig& cfg, const std::string& task,
                    const std::string& started_at);
  // The eval points of a run in flight, added to its curve in one small transaction while the
  // run's status is "running" (the dashboard's live curves). Such a curve is partial until the
  // run ends: save_run (or claim_run, when a killed run is trained again) replaces it whole. A
  // run in any other status is left as it is (a finished run trained again with --force keeps
  // its curve until save_run): false then.
  bool save_partial_curve(const std::string& id, const std::vector<EvalPoint>& points);
  // Writes a run with its curve and embeddings in one transaction, replacing any earlier copy.
  void save_run(const std::string& id, const RunConfig& cfg, const std::string& task, const RunResult& result,
                const PhaseResult& phase, const std::string& started_at, const std::string& ended_at);

  // A sweep: its definition (the sweep file's text) and the ids of its runs, replacing earlier links.
  void save_sweep(const std::string& name, const std::string& definition, const std::vector<std::string>& run_ids);
  std::optional<std::string> sweep_definition(const std::string& name);
  std::vector<std::string> sweep_names();
  // How many runs the sweep has (points x seeds), trained or not.
  int64_t sweep_size(const std::string& name);
  // The runs of a sweep that are in the store.
  std::vector<RunRow> sweep_runs(const std::string& name);

  std::vector<RunRow> list_runs();
  // The full id of the one run whose id starts with `prefix`; UserError if none or several.
  std::string resolve_id(const std::string& prefix);
  RunRow get_run(const std::string& id);
  std::vector<EvalPoint> curve(const std::string& id);
  std::vector<EmbeddingSnapshot> embeddings(const std::string& id);

  // Checkpoints (train.checkpoint_every): steps of run `id`, and the weights at one step
  // (UserError naming the available steps if there is none at `step`).
  std::vector<int64_t> checkpoint_steps(const std::string& id);
  Checkpoint checkpoint(const std::string& id, int64_t step);
  // λ̂ at a checkpoint with the per-chain loss traces, in one transaction; returns the estimate's id.
  int64_t save_llc_estimate(const LlcRow& row, const std::vector<std::vector<double>>& traces);
  std::vector<LlcRow> llc_estimates(const std::string& id);
  std::vector<std::vector<double>> llc_traces(int64_t estimate_id);
  // One row per (run, step): a new measurement replaces the old.
  void save_degeneracy(const DegeneracyRow& row);
  std::vector<DegeneracyRow> degeneracy(const std::string& id);
  // One row per (run, step), as degeneracy.
  void save_lanczos(const LanczosRow& row);
  std::vector<LanczosRow> lanczos(const std::string& id);
  // A study with its points in one transaction, replacing an earlier one with the same id.
  void save_bayes_transition(const BayesTransitionRow& row);
  std::vector<BayesTransitionRow> bayes_transitions();

  const std::string& path() const { return path_; }
  // Changes whenever another connection commits (PRAGMA data_version): a cheap poll for news.
  int64_t data_version();

 private:
  friend MergeReport merge_store(Store& target, const std::string& source_path);  // ATTACHes the source
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)), mutex_(std::make_unique<std::recursive_mutex>()) {}
  // application_id and user_version: UserError unless a geneft store this program can read.
  void check_identity(bool fresh_allowed, int64_t& app_id, int64_t& version);
  void exec(const std::string& sql);
  void rollback() noexcept;  // of the open transaction, if SQLite has not ended it already
  void migrate(int64_t from_version);
  std::vector<RunRow> query_runs(const std::string& where, const std::string& bind);
  sqlite3* db_;
  std::string path_;
  std::unique_ptr<std::recursive_mutex> mutex_;  // recursive: some queries call others
};

std::string utc_now_iso8601();
// The columns of the runs table that a run row reads and writes, in order (also store_merge).
const char* run_columns();

}  // namespace geneft
