#include "store/store.h"

#include <cmath>
#include <ctime>
#include <filesystem>

#include "core/error.h"
#include "store/metric_columns.h"

namespace geneft {
namespace {

constexpr int kApplicationId = 0x676E6674;  // "gnft"

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  config TEXT NOT NULL,           -- canonical config (TOML), hashed to id
  seed INTEGER NOT NULL,
  task TEXT NOT NULL,
  status TEXT NOT NULL,           -- completed | diverged | running | interrupted
  started_at TEXT, ended_at TEXT, wall_seconds REAL,
  steps_done INTEGER, diverged_step INTEGER, early_stopped INTEGER,
  train_size INTEGER, test_size INTEGER,
  final_train_loss REAL, final_test_loss REAL, final_train_acc REAL, final_test_acc REAL,
  final_encoder_norm REAL, final_decoder_norm REAL, final_rqi REAL,
  phase TEXT, t_train INTEGER, t_test INTEGER,  -- Liu et al. 2022 phase at save time
  final_weight_norm REAL          -- columns after the first schema's are added at the end
);
CREATE TABLE IF NOT EXISTS curves (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  train_loss REAL, test_loss REAL, train_acc REAL, test_acc REAL,
  encoder_norm REAL, decoder_norm REAL, rqi REAL,
  weight_norm REAL,               -- L2 norm of all parameters (schema 4)
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS embeddings (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  rows INTEGER NOT NULL, cols INTEGER NOT NULL,
  data BLOB NOT NULL,             -- float32 little-endian, (rows, cols) row-major
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sweeps (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,       -- the sweep file's text
  updated_at TEXT
);
CREATE TABLE IF NOT EXISTS sweep_runs (
  sweep TEXT NOT NULL,
  run_id TEXT NOT NULL,           -- may name a run not trained yet
  PRIMARY KEY (sweep, run_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  dtype TEXT NOT NULL,            -- float32 | float64: the blobs' element type (the model's dtype)
  encoder BLOB NOT NULL,          -- little-endian, Model::encoder() (mlp: the embedding (num_symbols, embed_dim))
  decoder BLOB NOT NULL,          -- little-endian, Model::decoder() (mlp: Linear W, b in layer order)
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS llc_estimates (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,          -- the checkpoint measured
  created_at TEXT NOT NULL,
  settings TEXT NOT NULL,         -- sampler settings as JSON
  n INTEGER NOT NULL, nbeta REAL NOT NULL,
  lambda_mean REAL, lambda_std REAL, loss_at_center REAL,
  mala_acceptance REAL, fraction_below_center REAL, trend REAL,
  diverged_chains INTEGER NOT NULL,
  warnings TEXT NOT NULL,         -- one per line; empty if none
  wall_seconds REAL
);
CREATE INDEX IF NOT EXISTS llc_estimates_run ON llc_estimates(run_id, step);
CREATE TABLE IF NOT EXISTS llc_traces (
  estimate_id INTEGER NOT NULL REFERENCES llc_estimates(id) ON DELETE CASCADE,
  chain INTEGER NOT NULL,
  losses BLOB NOT NULL,           -- float64 little-endian: L_n at each draw
  PRIMARY KEY (estimate_id, chain)
) WITHOUT ROWID;
)sql";

// Each step brings a store from version i to i + 1.
const char* kMigrations[] = {
    nullptr,
    // 1 -> 2: phases and sweeps
    "ALTER TABLE runs ADD COLUMN phase TEXT; ALTER TABLE runs ADD COLUMN t_train INTEGER;"
    "ALTER TABLE runs ADD COLUMN t_test INTEGER;",
    // 2 -> 3: checkpoints and LLC estimates (new tables only: created from kSchema)
    "",
    // 3 -> 4: the total weight norm (kAddedColumns), exact from the two groups' norms for runs
    // stored before
    "UPDATE runs SET final_weight_norm = sqrt(final_encoder_norm * final_encoder_norm + "
    "final_decoder_norm * final_decoder_norm) WHERE final_weight_norm IS NULL;"
    "UPDATE curves SET weight_norm = sqrt(encoder_norm * encoder_norm + decoder_norm * decoder_norm) "
    "WHERE weight_norm IS NULL;",
};

// Columns of kSchema added to existing tables by a migration: added where missing, before the
// migration steps run (a table that kSchema just created has them already).
struct AddedColumn {
  const char *table, *column, *type;
};
// Steps from this version on run after kSchema and kAddedColumns; earlier ones (ALTER TABLE of
// their own) before.
constexpr int64_t kColumnsAddedFrom = 3;
const AddedColumn kAddedColumns[] = {{"runs", "final_weight_norm", "REAL"}, {"curves", "weight_norm", "REAL"}};

// A prepared statement with positional binds and typed column reads.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw UserError(std::string("store: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement& bind(int i, const std::string& s) { return check(sqlite3_bind_text(stmt_, i, s.c_str(), -1, SQLITE_TRANSIENT)); }
  Statement& bind(int i, int64_t v) { return check(sqlite3_bind_int64(stmt_, i, v)); }
  Statement& bind(int i, double v) {  // NaN (not measured) is stored as NULL
    return check(std::isnan(v) ? sqlite3_bind_null(stmt_, i) : sqlite3_bind_double(stmt_, i, v));
  }
  Statement& bind(int i, std::optional<int64_t> v) { return v ? bind(i, *v) : check(sqlite3_bind_null(stmt_, i)); }
  Statement& bind_blob(int i, const void* p, size_t n) {
    return check(sqlite3_bind_blob(stmt_, i, p, int(n), SQLITE_TRANSIENT));
  }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw UserError(std::string("store: ") + sqlite3_errmsg(db_));
  }
  void run() {
    step();
    sqlite3_reset(stmt_);
  }
  int64_t integer(int c) const { return sqlite3_column_int64(stmt_, c); }
  double real(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL ? kMissing : sqlite3_column_double(stmt_, c); }
  std::optional<int64_t> maybe_integer(int c) const {
    if (sqlite3_column_type(stmt_, c) == SQLITE_NULL) return std::nullopt;
    return integer(c);
  }
  std::string text(int c) const {
    const auto* p = sqlite3_column_text(stmt_, c);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  const void* blob(int c) const { return sqlite3_column_blob(stmt_, c); }
  int bytes(int c) const { return sqlite3_column_bytes(stmt_, c); }

 private:
  Statement& check(int rc) {
    if (rc != SQLITE_OK) throw UserError(std::string("store: ") + sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

RunRow read_run(const Statement& q) {
  RunRow r;
  r.id = q.text(0), r.config = q.text(1), r.seed = q.integer(2), r.task = q.text(3), r.status = q.text(4);
  r.started_at = q.text(5), r.ended_at = q.text(6), r.wall_seconds = q.real(7), r.steps_done = q.integer(8);
  r.diverged_step = q.maybe_integer(9), r.early_stopped = q.integer(10) != 0;
  r.train_size = q.integer(11), r.test_size = q.integer(12);
  r.final.step = r.steps_done;
  for (int m = 0; m < kMetricCount; ++m) r.final.*kMetricColumns[m].field = q.real(13 + m);
  r.phase = q.text(13 + kMetricCount), r.t_train = q.maybe_integer(14 + kMetricCount);
  r.t_test = q.maybe_integer(15 + kMetricCount);
  return r;
}

// "?,?,...": one placeholder per column of a comma-separated list.
std::string placeholders(const std::string& columns) {
  std::string s = "?";
  for (char c : columns)
    if (c == ',') s += ",?";
  return s;
}

}  // namespace

std::string run_columns() {
  return "id, config, seed, task, status, started_at, ended_at, wall_seconds, steps_done, diverged_step, "
         "early_stopped, train_size, test_size, " + metric_column_list("final_") + ", phase, t_train, t_test";
}

bool is_finished(const std::string& status) { return status == "completed" || status == "diverged"; }

std::string utc_now_iso8601() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

Store Store::open(const std::string& path, bool create) {
  const bool exists = std::filesystem::exists(path);
  if (!exists && !create) throw UserError(path + ": no such store");
  sqlite3* db = nullptr;
  const int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READWRITE;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw UserError(path + ": cannot open store: " + msg);
  }
  Store store(db, path);
  sqlite3_busy_timeout(db, 10000);
  int64_t app_id = 0, version = 0, tables = 0;
  try {
    Statement q(db, "PRAGMA application_id");
    q.step(), app_id = q.integer(0);
    Statement v(db, "PRAGMA user_version");
    v.step(), version = v.integer(0);
    Statement t(db, "SELECT count(*) FROM sqlite_master");
    t.step(), tables = t.integer(0);
  } catch (const UserError& e) {
    throw UserError(path + ": not a geneft store (" + std::string(e.what()).substr(7) + ")");
  }
  if (app_id != kApplicationId && (tables > 0 || app_id != 0))
    throw UserError(path + ": an SQLite database, but not a geneft store");
  if (version > kSchemaVersion)
    throw UserError(path + ": store schema version " + std::to_string(version) + " is newer than this geneft's (" +
                    std::to_string(kSchemaVersion) + ")");
  store.exec("PRAGMA journal_mode=WAL");
  store.exec("PRAGMA synchronous=NORMAL");  // in WAL mode: safe when a process is killed, fewer fsyncs
  store.exec("PRAGMA foreign_keys=ON");
  if (app_id != kApplicationId) {
    store.exec("BEGIN");
    store.exec(kSchema);
    store.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    store.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    store.exec("COMMIT");
  } else if (version < kSchemaVersion) {
    store.migrate(version);
  }
  return store;
}

void Store::migrate(int64_t from) {
  exec("BEGIN IMMEDIATE");
  for (int64_t v = from; v < std::min<int64_t>(kSchemaVersion, kColumnsAddedFrom); ++v) exec(kMigrations[v]);
  exec(kSchema);
  for (const AddedColumn& c : kAddedColumns) {
    Statement q(db_, "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?");
    q.bind(1, std::string(c.table)).bind(2, std::string(c.column)).step();
    if (q.integer(0) == 0) exec(std::string("ALTER TABLE ") + c.table + " ADD COLUMN " + c.column + " " + c.type);
  }
  for (int64_t v = std::max<int64_t>(from, kColumnsAddedFrom); v < kSchemaVersion; ++v) exec(kMigrations[v]);
  exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  exec("COMMIT");
}

Store::Store(Store&& other) noexcept
    : db_(other.db_), path_(std::move(other.path_)), mutex_(std::move(other.mutex_)) {
  other.db_ = nullptr;
}

Store::~Store() {
  if (db_) sqlite3_close(db_);
}

void Store::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw UserError(path_ + ": " + msg);
  }
}

std::optional<std::string> Store::run_status(const std::string& id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT status FROM runs WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void Store::mark_running(const std::string& id, const RunConfig& cfg, const std::string& task,
                         const std::string& started_at) {
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");
  try {
    Statement del(db_, "DELETE FROM runs WHERE id = ?");
    del.bind(1, id).run();
    Statement ins(db_, "INSERT INTO runs (id, config, seed, task, status, started_at) VALUES (?,?,?,?,'running',?)");
    ins.bind(1, id).bind(2, cfg.canonical()).bind(3, int64_t(cfg.seed)).bind(4, task).bind(5, started_at).run();
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

void Store::save_run(const std::string& id, const RunConfig& cfg, const std::string& task, const RunResult& r,
                     const PhaseResult& phase, const std::string& started_at, const std::string& ended_at) {
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");
  try {
    Statement del(db_, "DELETE FROM runs WHERE id = ?");
    del.bind(1, id).run();
    const EvalPoint last = r.curve.empty() ? EvalPoint{} : r.curve.back();
    const std::string columns = run_columns();
    Statement ins(db_, "INSERT INTO runs (" + columns + ") VALUES (" + placeholders(columns) + ")");
    ins.bind(1, id).bind(2, cfg.canonical()).bind(3, int64_t(cfg.seed)).bind(4, task).bind(5, r.status);
    ins.bind(6, started_at).bind(7, ended_at).bind(8, r.wall_seconds).bind(9, r.steps_done);
    ins.bind(10, r.diverged_step).bind(11, int64_t(r.early_stopped)).bind(12, r.train_size).bind(13, r.test_size);
    for (int m = 0; m < kMetricCount; ++m) ins.bind(14 + m, last.*kMetricColumns[m].field);
    ins.bind(14 + kMetricCount, std::string(phase_name(phase.phase)));
    ins.bind(15 + kMetricCount, phase.t_train).bind(16 + kMetricCount, phase.t_test);
    ins.run();
    const std::string curve_columns = "run_id, step, " + metric_column_list();
    Statement c(db_, "INSERT INTO curves (" + curve_columns + ") VALUES (" + placeholders(curve_columns) + ")");
    for (const auto& p : r.curve) {
      c.bind(1, id).bind(2, p.step);
      for (int m = 0; m < kMetricCount; ++m) c.bind(3 + m, p.*kMetricColumns[m].field);
      c.run();
    }
    Statement e(db_, "INSERT INTO embeddings VALUES (?,?,?,?,?)");
    for (const auto& s : r.embeddings) {
      e.bind(1, id).bind(2, s.step).bind(3, int64_t(s.rows)).bind(4, int64_t(s.cols));
      e.bind_blob(5, s.values.data(), s.values.size() * sizeof(float));
      e.run();
    }
    Statement k(db_, "INSERT INTO checkpoints VALUES (?,?,?,?,?)");
    for (const auto& cp : r.checkpoints) {
      k.bind(1, id).bind(2, cp.step).bind(3, cp.dtype);
      if (cp.dtype == "float64") {
        k.bind_blob(4, cp.encoder.data(), cp.encoder.size() * sizeof(double));
        k.bind_blob(5, cp.decoder.data(), cp.decoder.size() * sizeof(double));
      } else {
        const std::vector<float> e(cp.encoder.begin(), cp.encoder.end()), d(cp.decoder.begin(), cp.decoder.end());
        k.bind_blob(4, e.data(), e.size() * sizeof(float));
        k.bind_blob(5, d.data(), d.size() * sizeof(float));
      }
      k.run();
    }
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

std::vector<int64_t> Store::checkpoint_steps(const std::string& id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT step FROM checkpoints WHERE run_id = ? ORDER BY step");
  q.bind(1, id);
  std::vector<int64_t> out;
  while (q.step()) out.push_back(q.integer(0));
  return out;
}

Checkpoint Store::checkpoint(const std::string& id, int64_t step) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT dtype, encoder, decoder FROM checkpoints WHERE run_id = ? AND step = ?");
  q.bind(1, id).bind(2, step);
  if (!q.step()) {
    const auto steps = checkpoint_steps(id);
    std::string have;
    for (size_t i = 0; i < steps.size(); ++i) have += (i ? "," : "") + std::to_string(steps[i]);
    throw UserError(path_ + ": run " + id + " has no checkpoint at step " + std::to_string(step) +
                    (steps.empty() ? " (it has no checkpoints; train it with train.checkpoint_every > 0)"
                                   : " (checkpoint steps: " + have + ")"));
  }
  Checkpoint cp;
  cp.step = step;
  cp.dtype = q.text(0);
  auto read = [&](int c, std::vector<double>& out) {
    if (cp.dtype == "float64") {
      const auto* p = static_cast<const double*>(q.blob(c));
      out.assign(p, p + q.bytes(c) / sizeof(double));
    } else {
      const auto* p = static_cast<const float*>(q.blob(c));
      out.assign(p, p + q.bytes(c) / sizeof(float));
    }
  };
  read(1, cp.encoder);
  read(2, cp.decoder);
  return cp;
}

int64_t Store::save_llc_estimate(const LlcRow& row, const std::vector<std::vector<double>>& traces) {
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");
  try {
    Statement ins(db_,
                  "INSERT INTO llc_estimates (run_id, step, created_at, settings, n, nbeta, lambda_mean, lambda_std, "
                  "loss_at_center, mala_acceptance, fraction_below_center, trend, diverged_chains, warnings, "
                  "wall_seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, row.run_id).bind(2, row.step).bind(3, row.created_at).bind(4, row.settings).bind(5, row.n);
    ins.bind(6, row.nbeta).bind(7, row.lambda_mean).bind(8, row.lambda_std).bind(9, row.loss_at_center);
    ins.bind(10, row.mala_acceptance).bind(11, row.fraction_below_center).bind(12, row.trend);
    ins.bind(13, row.diverged_chains).bind(14, row.warnings).bind(15, row.wall_seconds);
    ins.run();
    const int64_t est = sqlite3_last_insert_rowid(db_);
    Statement t(db_, "INSERT INTO llc_traces VALUES (?,?,?)");
    for (size_t c = 0; c < traces.size(); ++c) {
      t.bind(1, est).bind(2, int64_t(c)).bind_blob(3, traces[c].data(), traces[c].size() * sizeof(double));
      t.run();
    }
    exec("COMMIT");
    return est;
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

std::vector<LlcRow> Store::llc_estimates(const std::string& id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_,
              "SELECT id, run_id, step, created_at, settings, n, nbeta, lambda_mean, lambda_std, loss_at_center, "
              "mala_acceptance, fraction_below_center, trend, diverged_chains, warnings, wall_seconds "
              "FROM llc_estimates WHERE run_id = ? ORDER BY step, id");
  q.bind(1, id);
  std::vector<LlcRow> out;
  while (q.step()) {
    LlcRow r;
    r.id = q.integer(0), r.run_id = q.text(1), r.step = q.integer(2), r.created_at = q.text(3);
    r.settings = q.text(4), r.n = q.integer(5), r.nbeta = q.real(6), r.lambda_mean = q.real(7);
    r.lambda_std = q.real(8), r.loss_at_center = q.real(9), r.mala_acceptance = q.real(10);
    r.fraction_below_center = q.real(11), r.trend = q.real(12), r.diverged_chains = q.integer(13);
    r.warnings = q.text(14), r.wall_seconds = q.real(15);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::vector<double>> Store::llc_traces(int64_t estimate_id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT losses FROM llc_traces WHERE estimate_id = ? ORDER BY chain");
  q.bind(1, estimate_id);
  std::vector<std::vector<double>> out;
  while (q.step()) {
    const auto* p = static_cast<const double*>(q.blob(0));
    out.emplace_back(p, p + q.bytes(0) / sizeof(double));
  }
  return out;
}

std::vector<RunRow> Store::query_runs(const std::string& where, const std::string& bind) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT " + run_columns() + " FROM runs " + where);
  if (!bind.empty()) q.bind(1, bind);
  std::vector<RunRow> out;
  while (q.step()) out.push_back(read_run(q));
  return out;
}

std::vector<RunRow> Store::list_runs() { return query_runs("ORDER BY started_at, id", ""); }

std::vector<RunRow> Store::sweep_runs(const std::string& name) {
  return query_runs("WHERE id IN (SELECT run_id FROM sweep_runs WHERE sweep = ?1) ORDER BY id", name);
}

void Store::save_sweep(const std::string& name, const std::string& definition,
                       const std::vector<std::string>& run_ids) {
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");
  try {
    Statement up(db_, "INSERT OR REPLACE INTO sweeps (name, definition, updated_at) VALUES (?,?,?)");
    up.bind(1, name).bind(2, definition).bind(3, utc_now_iso8601()).run();
    Statement del(db_, "DELETE FROM sweep_runs WHERE sweep = ?");
    del.bind(1, name).run();
    Statement link(db_, "INSERT OR IGNORE INTO sweep_runs (sweep, run_id) VALUES (?,?)");
    for (const auto& id : run_ids) link.bind(1, name).bind(2, id).run();
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

std::optional<std::string> Store::sweep_definition(const std::string& name) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT definition FROM sweeps WHERE name = ?");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::vector<std::string> Store::sweep_names() {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT name FROM sweeps ORDER BY name");
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::string Store::resolve_id(const std::string& prefix) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT id FROM runs WHERE substr(id, 1, length(?1)) = ?1 LIMIT 2");
  q.bind(1, prefix);
  if (!q.step()) throw UserError(path_ + ": no run with id '" + prefix + "' (see: geneft runs " + path_ + ")");
  const std::string id = q.text(0);
  if (q.step()) throw UserError(path_ + ": run id prefix '" + prefix + "' is ambiguous; give more characters");
  return id;
}

RunRow Store::get_run(const std::string& id) {
  auto rows = query_runs("WHERE id = ?1", id);
  if (rows.empty()) throw UserError(path_ + ": no run with id '" + id + "'");
  return rows[0];
}

std::vector<EvalPoint> Store::curve(const std::string& id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT step, " + metric_column_list() + " FROM curves WHERE run_id = ? ORDER BY step");
  q.bind(1, id);
  std::vector<EvalPoint> out;
  while (q.step()) {
    EvalPoint& p = out.emplace_back();
    p.step = q.integer(0);
    for (int m = 0; m < kMetricCount; ++m) p.*kMetricColumns[m].field = q.real(1 + m);
  }
  return out;
}

std::vector<EmbeddingSnapshot> Store::embeddings(const std::string& id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT step, rows, cols, data FROM embeddings WHERE run_id = ? ORDER BY step");
  q.bind(1, id);
  std::vector<EmbeddingSnapshot> out;
  while (q.step()) {
    EmbeddingSnapshot s{q.integer(0), int(q.integer(1)), int(q.integer(2)), {}};
    const auto* p = static_cast<const float*>(q.blob(3));
    s.values.assign(p, p + q.bytes(3) / sizeof(float));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace geneft
