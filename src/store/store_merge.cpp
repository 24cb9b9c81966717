#include "store/store_merge.h"

#include <filesystem>

#include "core/error.h"
#include "store/curve_metrics.h"

namespace geneft {
namespace {

// Finished in both with the same results: every number of the runs row and every curve point.
// Times and the phase are left out (the phase depends on the classifying sweep's options).
std::string same_numbers() {
  const std::string curve = "SELECT step, " + curve_metric_columns() + " FROM ";
  return R"sql(
  s.config IS t.config AND s.status IS t.status AND s.steps_done IS t.steps_done
  AND s.diverged_step IS t.diverged_step AND s.early_stopped IS t.early_stopped
  AND s.train_size IS t.train_size AND s.test_size IS t.test_size
  AND s.final_train_loss IS t.final_train_loss AND s.final_test_loss IS t.final_test_loss
  AND s.final_train_acc IS t.final_train_acc AND s.final_test_acc IS t.final_test_acc
  AND s.final_encoder_norm IS t.final_encoder_norm AND s.final_decoder_norm IS t.final_decoder_norm
  AND s.final_rqi IS t.final_rqi AND s.final_weight_norm IS t.final_weight_norm
  AND NOT EXISTS ()sql" + curve + "src.curves WHERE run_id = s.id EXCEPT " + curve + "main.curves WHERE run_id = s.id)"
         " AND NOT EXISTS (" + curve + "main.curves WHERE run_id = s.id EXCEPT " + curve + "src.curves WHERE run_id = s.id)";
}

class Query {
 public:
  Query(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw UserError(std::string("merge: ") + sqlite3_errmsg(db));
  }
  ~Query() { sqlite3_finalize(stmt_); }
  Query& bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.c_str(), -1, SQLITE_TRANSIENT);
    return *this;
  }
  Query& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw UserError(std::string("merge: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
  }
  int64_t integer(int c) const { return sqlite3_column_int64(stmt_, c); }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(stmt_, c);
    return p ? reinterpret_cast<const char*>(p) : "";
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

size_t count_action(sqlite3* db, const std::string& action) {
  Query q(db, "SELECT count(*) FROM temp.merge_plan WHERE action = ?");
  q.bind(1, action).step();
  return size_t(q.integer(0));
}

// What a shard must satisfy before anything is copied from it: every blob the size its shape
// declares (the same checks as Store's readers), so that a corrupt shard cannot spread.
const char* kSourceChecks[][2] = {
    {"an embedding whose blob does not match its shape",
     "SELECT run_id, step FROM src.embeddings WHERE rows < 1 OR cols < 1 OR rows > 16777216 OR cols > 16777216 "
     "OR typeof(data) NOT IN ('blob', 'null') OR length(data) != rows * cols * 4"},
    {"a checkpoint whose dtype or blob size is invalid",
     "SELECT run_id, step FROM src.checkpoints WHERE dtype NOT IN ('float32', 'float64') "
     "OR typeof(encoder) NOT IN ('blob', 'null') OR typeof(decoder) NOT IN ('blob', 'null') "
     "OR length(encoder) % (CASE dtype WHEN 'float64' THEN 8 ELSE 4 END) != 0 "
     "OR length(decoder) % (CASE dtype WHEN 'float64' THEN 8 ELSE 4 END) != 0"},
    {"a λ̂ loss trace that is not a whole number of float64 values",
     "SELECT estimate_id, chain FROM src.llc_traces WHERE typeof(losses) NOT IN ('blob', 'null') OR length(losses) % 8 != 0"},
    {"a degeneracy spectrum that is not a whole number of float64 values, or a summary that is not JSON",
     "SELECT run_id, step FROM src.degeneracy WHERE typeof(hessian) NOT IN ('blob', 'null') "
     "OR typeof(fisher) NOT IN ('blob', 'null') OR length(hessian) % 8 != 0 OR length(fisher) % 8 != 0 "
     "OR NOT json_valid(summary)"},
    {"a Lanczos spectrum whose Ritz values and weights are not the same whole number of float64 values, or a "
     "summary that is not JSON",
     "SELECT run_id, step FROM src.hessian_lanczos WHERE typeof(ritz) != 'blob' OR typeof(weights) != 'blob' "
     "OR length(ritz) % 8 != 0 OR length(ritz) != length(weights) OR NOT json_valid(summary)"},
    {"a Bayesian phase-transition study whose settings or summary is not JSON",
     "SELECT id, 0 FROM src.bayes_transitions WHERE NOT json_valid(settings) OR NOT json_valid(summary)"},
    {"a Bayesian phase-transition point whose mass is not in [0, 1] or that belongs to no study",
     "SELECT study, n FROM src.bayes_transition_points WHERE typeof(mass_one) NOT IN ('real', 'integer') "
     "OR mass_one < 0 OR mass_one > 1 OR study NOT IN (SELECT id FROM src.bayes_transitions)"},
};

void check_source(sqlite3* db, const std::string& source) {
  for (const auto& [what, query] : kSourceChecks) {
    Query q(db, query);
    if (q.step())
      throw UserError(source + ": " + what + " (" + q.text(0) + ", " + std::to_string(q.integer(1)) +
                      "): a corrupt store; nothing was merged");
  }
}

}  // namespace

MergeReport merge_store(Store& target, const std::string& source_path) {
  namespace fs = std::filesystem;
  if (!fs::exists(source_path)) throw UserError(source_path + ": no such store");
  std::error_code ec;
  if (fs::equivalent(source_path, target.path(), ec))
    throw UserError(source_path + ": is the target store itself; name it once, first");
  // Checks that the source is a geneft store (and brings an older one to this schema version).
  Store::open_read_only(source_path);

  MergeReport report;
  report.source = source_path;
  std::lock_guard lock(*target.mutex_);
  sqlite3* db = target.db_;
  Query(db, "ATTACH DATABASE ?1 AS src").bind(1, source_path).run();
  try {
    try {
      check_source(db, source_path);
    } catch (const UserError& e) {  // SQLite's own messages ("malformed") name no file
      const std::string m = e.what();
      throw UserError(m.rfind(source_path, 0) == 0 ? m : source_path + ": " + m.substr(m.find(' ') + 1));
    }
    target.exec("BEGIN IMMEDIATE");
    try {
      target.exec("DROP TABLE IF EXISTS temp.merge_plan");
      target.exec(std::string("CREATE TEMP TABLE merge_plan AS SELECT s.id AS id, CASE "
                              "WHEN s.status NOT IN ('completed', 'diverged') THEN 'unfinished' "
                              "WHEN t.id IS NULL OR t.status NOT IN ('completed', 'diverged') THEN 'new' "
                              "WHEN ") + same_numbers() + " THEN 'same' ELSE 'conflict' END AS action "
                  "FROM src.runs s LEFT JOIN main.runs t ON t.id = s.id");
      report.added = count_action(db, "new");
      report.identical = count_action(db, "same");
      report.unfinished = count_action(db, "unfinished");
      Query conflicts(db, "SELECT id FROM temp.merge_plan WHERE action = 'conflict' ORDER BY id");
      while (conflicts.step()) report.conflicts.push_back(conflicts.text(0));

      // New runs replace unfinished copies (their curves etc. go by ON DELETE CASCADE).
      const std::string is_new = " WHERE run_id IN (SELECT id FROM temp.merge_plan WHERE action = 'new')";
      target.exec("DELETE FROM main.runs WHERE id IN (SELECT id FROM temp.merge_plan WHERE action = 'new')");
      target.exec(std::string("INSERT INTO main.runs (") + run_columns() + ") SELECT " + run_columns() +
                  " FROM src.runs WHERE id IN (SELECT id FROM temp.merge_plan WHERE action = 'new')");
      const std::string curve = "run_id, step, " + curve_metric_columns();
      target.exec(std::string("INSERT INTO main.curves (") + curve + ") SELECT " + curve + " FROM src.curves" + is_new);
      target.exec("INSERT INTO main.embeddings (run_id, step, rows, cols, data) "
                  "SELECT run_id, step, rows, cols, data FROM src.embeddings" + is_new);
      target.exec("INSERT INTO main.checkpoints (run_id, step, dtype, encoder, decoder) "
                  "SELECT run_id, step, dtype, encoder, decoder FROM src.checkpoints" + is_new);

      // λ̂ estimates of runs now in the target, unless the target has the same one (same run,
      // step, time and settings): new ids, traces follow.
      const char* llc =
          "run_id, step, created_at, settings, n, nbeta, lambda_mean, lambda_std, loss_at_center, mala_acceptance, "
          "fraction_below_center, trend, diverged_chains, warnings, wall_seconds";
      Query estimates(db,
                      "SELECT s.id FROM src.llc_estimates s WHERE s.run_id IN "
                      "(SELECT id FROM temp.merge_plan WHERE action IN ('new', 'same')) AND NOT EXISTS "
                      "(SELECT 1 FROM main.llc_estimates t WHERE t.run_id = s.run_id AND t.step = s.step "
                      "AND t.created_at = s.created_at AND t.settings = s.settings) ORDER BY s.id");
      std::vector<int64_t> source_ids;
      while (estimates.step()) source_ids.push_back(estimates.integer(0));
      Query copy_estimate(db, std::string("INSERT INTO main.llc_estimates (") + llc + ") SELECT " + llc +
                                  " FROM src.llc_estimates WHERE id = ?1");
      Query copy_traces(db, "INSERT INTO main.llc_traces (estimate_id, chain, losses) "
                            "SELECT ?2, chain, losses FROM src.llc_traces WHERE estimate_id = ?1");
      for (const int64_t id : source_ids) {
        copy_estimate.bind(1, id).run();
        copy_traces.bind(1, id).bind(2, int64_t(sqlite3_last_insert_rowid(db))).run();
      }
      report.llc_estimates = source_ids.size();

      // degeneracy spectra of runs now in the target (the target's row kept where it has one)
      target.exec("INSERT OR IGNORE INTO main.degeneracy (run_id, step, created_at, summary, hessian, fisher) "
                  "SELECT run_id, step, created_at, summary, hessian, fisher FROM src.degeneracy WHERE run_id IN "
                  "(SELECT id FROM temp.merge_plan WHERE action IN ('new', 'same'))");
      report.degeneracy = size_t(sqlite3_changes(db));
      target.exec("INSERT OR IGNORE INTO main.hessian_lanczos (run_id, step, created_at, summary, ritz, weights) "
                  "SELECT run_id, step, created_at, summary, ritz, weights FROM src.hessian_lanczos WHERE run_id IN "
                  "(SELECT id FROM temp.merge_plan WHERE action IN ('new', 'same'))");
      report.lanczos = size_t(sqlite3_changes(db));

      // Bayesian phase-transition studies the target lacks, with their points; a study in both
      // (same settings, so the same id) keeps the target's numbers
      Query studies(db, "SELECT s.id FROM src.bayes_transitions s JOIN main.bayes_transitions t ON t.id = s.id "
                        "WHERE s.summary IS NOT t.summary ORDER BY s.id");
      while (studies.step())
        report.warnings.push_back("Bayesian phase-transition study " + studies.text(0) + " differs in " + source_path +
                                  "; kept the numbers in " + target.path());
      target.exec("DROP TABLE IF EXISTS temp.merge_studies");
      target.exec("CREATE TEMP TABLE merge_studies AS SELECT id FROM src.bayes_transitions "
                  "WHERE id NOT IN (SELECT id FROM main.bayes_transitions)");
      target.exec("INSERT INTO main.bayes_transitions (id, created_at, settings, summary, wall_seconds) "
                  "SELECT id, created_at, settings, summary, wall_seconds FROM src.bayes_transitions "
                  "WHERE id IN (SELECT id FROM temp.merge_studies)");
      report.bayes_transitions = size_t(sqlite3_changes(db));
      target.exec("INSERT INTO main.bayes_transition_points SELECT * FROM src.bayes_transition_points "
                  "WHERE study IN (SELECT id FROM temp.merge_studies)");
      target.exec("DROP TABLE temp.merge_studies");

      Query differing(db, "SELECT s.name FROM src.sweeps s JOIN main.sweeps t ON t.name = s.name "
                          "WHERE s.definition IS NOT t.definition ORDER BY s.name");
      while (differing.step())
        report.warnings.push_back("sweep '" + differing.text(0) + "' is defined differently in " + source_path +
                                  "; kept the definition in " + target.path());
      target.exec("INSERT OR IGNORE INTO main.sweeps (name, definition, updated_at) "
                  "SELECT name, definition, updated_at FROM src.sweeps");
      report.sweeps = size_t(sqlite3_changes(db));
      target.exec("INSERT OR IGNORE INTO main.sweep_runs (sweep, run_id) SELECT sweep, run_id FROM src.sweep_runs");
      report.sweep_links = size_t(sqlite3_changes(db));
      target.exec("DROP TABLE temp.merge_plan");
      target.exec("COMMIT");
    } catch (...) {
      target.rollback();
      throw;
    }
  } catch (...) {
    target.exec("DETACH DATABASE src");
    throw;
  }
  target.exec("DETACH DATABASE src");
  return report;
}

}  // namespace geneft
