#include "store/store.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/error.h"
#include "store/curve_metrics.h"

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
  final_weight_norm REAL          -- L2 norm of all parameters (schema 6)
);
CREATE TABLE IF NOT EXISTS curves (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  train_loss REAL, test_loss REAL, train_acc REAL, test_acc REAL,
  encoder_norm REAL, decoder_norm REAL, rqi REAL,
  fourier_top_k REAL, fourier_gini REAL, weight_norm REAL,  -- one REAL column per entry of curve_metrics()
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
CREATE TABLE IF NOT EXISTS run_claims (
  run_id TEXT PRIMARY KEY,        -- a run being trained, and the process training it
  host TEXT NOT NULL, pid INTEGER NOT NULL,
  pid_start TEXT NOT NULL,        -- the process's start time (/proc/PID/stat): a reused pid is not it
  claimed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS llc_traces (
  estimate_id INTEGER NOT NULL REFERENCES llc_estimates(id) ON DELETE CASCADE,
  chain INTEGER NOT NULL,
  losses BLOB NOT NULL,           -- float64 little-endian: L_n at each draw
  PRIMARY KEY (estimate_id, chain)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS degeneracy (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,          -- the checkpoint measured
  created_at TEXT NOT NULL,
  summary TEXT NOT NULL,          -- JSON: d, n, tolerances, ranks, effective dimension, generic symmetries
  hessian BLOB NOT NULL,          -- float64 little-endian: ascending eigenvalues of the Hessian of L_n
  fisher BLOB NOT NULL,           -- float64 little-endian: ascending eigenvalues of the model Fisher (empty: none)
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hessian_lanczos (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,          -- the checkpoint measured
  created_at TEXT NOT NULL,
  summary TEXT NOT NULL,          -- JSON: d, n, Lanczos steps, probes, seed, extremes, counts below tolerances, probe_steps
  ritz BLOB NOT NULL,             -- float64 little-endian: every probe's Ritz values, concatenated
  weights BLOB NOT NULL,          -- float64 little-endian: their quadrature weights (same length)
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bayes_transitions (
  id TEXT PRIMARY KEY,            -- SHA-256 (16 hex digits) of the settings: the study's identity
  created_at TEXT NOT NULL,
  settings TEXT NOT NULL,         -- JSON: teacher, sizes, data sets, sampler and λ̂ settings
  summary TEXT NOT NULL,          -- JSON: model, the two regions (minimum, loss, λ̂), ΔK, rule, n_c, warnings
  wall_seconds REAL
);
CREATE TABLE IF NOT EXISTS bayes_transition_points (
  study TEXT NOT NULL REFERENCES bayes_transitions(id) ON DELETE CASCADE,
  n INTEGER NOT NULL, dataset INTEGER NOT NULL,
  mass_one REAL NOT NULL,         -- share of β = 1 draws in the one-node region
  predicted_one REAL,             -- the free-energy prediction on this data set
  delta_loss REAL,                -- L_n(one-node minimum) − L_n(two-node minimum)
  mala REAL, swap REAL, rhat REAL, ess REAL,  -- diagnostics of the sampler and the region indicator
  diverged_chains INTEGER NOT NULL,
  PRIMARY KEY (study, n, dataset)
) WITHOUT ROWID;
)sql";

const char* kClaimsTable =
    "CREATE TABLE IF NOT EXISTS run_claims (run_id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, "
    "pid_start TEXT NOT NULL, claimed_at TEXT NOT NULL) WITHOUT ROWID";

// Each step brings a store from version i to i + 1.
const char* kMigrations[] = {
    nullptr,
    // 1 -> 2: phases and sweeps
    "ALTER TABLE runs ADD COLUMN phase TEXT; ALTER TABLE runs ADD COLUMN t_train INTEGER;"
    "ALTER TABLE runs ADD COLUMN t_test INTEGER;",
    // 2 -> 3: checkpoints and LLC estimates (new tables only: created from kSchema)
    "",
    // 3 -> 4: the Fourier spectrum of the embedding (curve columns: added by Store::migrate)
    "",
    // 4 -> 5: degeneracy spectra (a new table only)
    "",
    // 5 -> 6: the total weight norm (columns added by Store::migrate, older runs filled in there)
    "",
    // 6 -> 7: Bayesian phase transitions in n (new tables only)
    "",
    // 7 -> 8: Hessian spectra by stochastic Lanczos quadrature (a new table only)
    "",
};

// An SQLite failure as an error: what happened, in words, for the failures that are not the
// input's fault (StoreError, exit status 4), else a UserError with SQLite's message.
[[noreturn]] void throw_sqlite(int rc, const std::string& where, const std::string& message) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
      throw StoreError(where + ": the disk (or file-size limit) is full; the store is unchanged by the failed write (" +
                       message + ")");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw StoreError(where + ": the store is locked by another process for too long (" + message + ")");
    case SQLITE_IOERR:
      throw StoreError(where + ": an I/O error reading or writing the store (" + message +
                       "; a full disk or a file-size limit can show as this too)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:  // bad input, like any malformed file
      throw UserError(where + ": the store file is corrupt (" + message + ")");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      throw StoreError(where + ": the store cannot be written here (" + message + "): check the file's and folder's permissions");
    case SQLITE_NOMEM:
      throw StoreError(where + ": SQLite ran out of memory");
    default:
      throw UserError(where + ": " + message);
  }
}

// A prepared statement with positional binds and typed column reads.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr); rc != SQLITE_OK)
      throw_sqlite(rc, "store", sqlite3_errmsg(db));
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
    throw_sqlite(rc, "store", sqlite3_errmsg(db_));
  }
  void run() {
    step();
    sqlite3_reset(stmt_);
  }
  void reset() { sqlite3_reset(stmt_); }
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
  sqlite3_stmt* raw() const { return stmt_; }
  int bytes(int c) const { return sqlite3_column_bytes(stmt_, c); }

 private:
  Statement& check(int rc) {
    if (rc != SQLITE_OK) throw_sqlite(rc, "store", sqlite3_errmsg(db_));
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
  r.final.train_loss = q.real(13), r.final.test_loss = q.real(14), r.final.train_acc = q.real(15);
  r.final.test_acc = q.real(16), r.final.encoder_norm = q.real(17), r.final.decoder_norm = q.real(18);
  r.final.rqi = q.real(19);
  r.phase = q.text(20), r.t_train = q.maybe_integer(21), r.t_test = q.maybe_integer(22);
  r.final.weight_norm = q.real(23);
  return r;
}

// Embedding snapshots hold at most this many rows and columns (a bound for hostile stores).
constexpr int64_t kMaxEmbeddingSide = int64_t(1) << 24;

// Column c of q as `elem`-byte elements; UserError (naming `what`) unless it is a blob (or NULL,
// empty) whose size is a whole number of elements, and `expected` of them when given.
size_t blob_elements(const Statement& q, int c, size_t elem, const std::string& what, int64_t expected = -1) {
  const int type = sqlite3_column_type(q.raw(), c);
  const int64_t bytes = q.bytes(c);
  if ((type != SQLITE_BLOB && type != SQLITE_NULL) || bytes % int64_t(elem) != 0 ||
      (expected >= 0 && bytes != expected * int64_t(elem)))
    throw UserError(what + ": a " + std::to_string(bytes) + "-byte " + (type == SQLITE_BLOB ? "blob" : "non-blob value") +
                    (expected >= 0 ? ", its shape needs " + std::to_string(expected) + " elements of " + std::to_string(elem) +
                                         " bytes"
                                   : ", not a whole number of " + std::to_string(elem) + "-byte elements") +
                    " (a corrupt store)");
  return size_t(bytes) / elem;
}

// A validated blob of doubles (empty for NULL): a corrupt length is an error naming `what`.
std::vector<double> blob_doubles(const Statement& q, int c, const std::string& what) {
  const size_t n = blob_elements(q, c, sizeof(double), what);
  const auto* p = static_cast<const double*>(q.blob(c));
  return p ? std::vector<double>(p, p + n) : std::vector<double>{};
}

// The per-checkpoint spectrum tables (degeneracy, hessian_lanczos): run_id, step, created_at,
// summary and two blobs of doubles, the members a and b of Row.
template <class Row>
using DoublesMember = std::vector<double> Row::*;

template <class Row>
void insert_spectrum_row(sqlite3* db, const std::string& table, const Row& row, DoublesMember<Row> a,
                         DoublesMember<Row> b) {
  Statement ins(db, "INSERT OR REPLACE INTO " + table + " VALUES (?,?,?,?,?,?)");
  ins.bind(1, row.run_id).bind(2, row.step).bind(3, row.created_at).bind(4, row.summary);
  static const double none = 0;  // a null pointer would bind NULL, not an empty blob
  auto blob = [](const std::vector<double>& v) { return v.empty() ? &none : v.data(); };
  ins.bind_blob(5, blob(row.*a), (row.*a).size() * sizeof(double));
  ins.bind_blob(6, blob(row.*b), (row.*b).size() * sizeof(double));
  ins.run();
}

// Rows of run `id` by step; `columns` names the two blob columns, a_what and b_what their arrays
// in the error a corrupt length raises.
template <class Row>
std::vector<Row> spectrum_rows(sqlite3* db, const std::string& path, const std::string& table,
                               const std::string& columns, const std::string& id, DoublesMember<Row> a,
                               const std::string& a_what, DoublesMember<Row> b, const std::string& b_what) {
  Statement q(db, "SELECT run_id, step, created_at, summary, " + columns + " FROM " + table +
                      " WHERE run_id = ? ORDER BY step");
  q.bind(1, id);
  std::vector<Row> out;
  while (q.step()) {
    Row r;
    r.run_id = q.text(0), r.step = q.integer(1), r.created_at = q.text(2), r.summary = q.text(3);
    const std::string where = path + ": " + table + " row (run " + r.run_id + ", step " + std::to_string(r.step) + ")";
    r.*a = blob_doubles(q, 4, where + ", " + a_what), r.*b = blob_doubles(q, 5, where + ", " + b_what);
    out.push_back(std::move(r));
  }
  return out;
}

// Eval points of run `id` into the curves table (a point at a step already there replaces it).
void insert_curve(sqlite3* db, const std::string& id, const std::vector<EvalPoint>& points) {
  const auto& metrics = curve_metrics();
  std::string marks;
  for (size_t i = 0; i < metrics.size(); ++i) marks += ",?";
  Statement c(db, "INSERT OR REPLACE INTO curves (run_id, step, " + curve_metric_columns() + ") VALUES (?,?" + marks + ")");
  for (const auto& p : points) {
    c.bind(1, id).bind(2, p.step);
    for (size_t i = 0; i < metrics.size(); ++i) c.bind(int(i) + 3, p.*metrics[i].field);
    c.run();
  }
}

// This machine's name, and the start time of a process (field 22 of /proc/PID/stat, in clock
// ticks since boot; "" if there is no such process).
std::string host_name() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}
std::string process_start(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  for (int i = 3; i <= 22 && fields >> f; ++i) {
  }
  return f;
}

}  // namespace

const char* run_columns() {
  return "id, config, seed, task, status, started_at, ended_at, wall_seconds, steps_done, diverged_step, "
         "early_stopped, train_size, test_size, final_train_loss, final_test_loss, final_train_acc, final_test_acc, "
         "final_encoder_norm, final_decoder_norm, final_rqi, phase, t_train, t_test, final_weight_norm";
}

bool is_finished(const std::string& status) { return status == "completed" || status == "diverged"; }

std::string utc_now_iso8601() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void Store::check_identity(bool fresh_allowed, int64_t& app_id, int64_t& version) {
  int64_t tables = 0;
  try {
    Statement q(db_, "PRAGMA application_id");
    q.step(), app_id = q.integer(0);
    Statement v(db_, "PRAGMA user_version");
    v.step(), version = v.integer(0);
    Statement t(db_, "SELECT count(*) FROM sqlite_master");
    t.step(), tables = t.integer(0);
  } catch (const UserError& e) {
    throw UserError(path_ + ": not a geneft store (" + std::string(e.what()).substr(7) + ")");
  }
  if (app_id != kApplicationId && (tables > 0 || app_id != 0 || !fresh_allowed))
    throw UserError(path_ + ": an SQLite database, but not a geneft store");
  if (app_id == kApplicationId && (version < 1 || version > kSchemaVersion))
    throw UserError(path_ + ": store schema version " + std::to_string(version) +
                    (version > kSchemaVersion ? " is newer than this geneft's (" : " is not one geneft writes (1 to ") +
                    std::to_string(kSchemaVersion) + ")");
}

Store Store::open(const std::string& path, bool create) {
  if (path.empty()) throw UserError("the store path is empty (give --db FILE)");
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
  int64_t app_id = 0, version = 0;
  store.check_identity(true, app_id, version);
  // Changing the journal mode takes the file exclusively and gets no busy wait: another process
  // opening the same new store at the same moment makes it fail for a while.
  for (int attempt = 0;; ++attempt) {
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) == SQLITE_OK) break;
    if (attempt >= 200 || (sqlite3_errcode(db) & 0xff) != SQLITE_BUSY) store.exec("PRAGMA journal_mode=WAL");
    sqlite3_sleep(50);
  }
  store.exec("PRAGMA synchronous=NORMAL");  // in WAL mode: safe when a process is killed, fewer fsyncs
  store.exec("PRAGMA foreign_keys=ON");
  if (app_id != kApplicationId) {
    store.exec("BEGIN IMMEDIATE");  // another process may be creating it too: the first one does
    int64_t now = 0;
    {
      Statement again(db, "PRAGMA application_id");
      again.step(), now = again.integer(0);
    }
    if (now != kApplicationId) {
      store.exec(kSchema);
      store.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
      store.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    }
    store.exec("COMMIT");
  } else if (version < kSchemaVersion) {
    store.migrate(version);
  } else {
    store.exec(kClaimsTable);  // stores written before claims existed (same schema version otherwise)
  }
  return store;
}

Store Store::open_read_only(const std::string& path) {
  if (path.empty()) throw UserError("the store path is empty");
  if (!std::filesystem::exists(path)) throw UserError(path + ": no such store");
  // A WAL store needs its -shm file; in a folder we cannot write, read it as immutable (nothing
  // else can be writing it there either).
  std::string uri = "file:";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') uri += char(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      uri += buf;
    }
  }
  for (const std::string& u : {uri + "?mode=ro", uri + "?mode=ro&immutable=1"}) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(u.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
      const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw UserError(path + ": cannot open store: " + msg);
    }
    Store store(db, path);
    sqlite3_busy_timeout(db, 10000);
    const int probe = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (probe != SQLITE_OK && (sqlite3_errcode(db) == SQLITE_CANTOPEN || sqlite3_errcode(db) == SQLITE_READONLY) &&
        u.find("immutable") == std::string::npos)
      continue;
    int64_t app_id = 0, version = 0;
    store.check_identity(false, app_id, version);
    if (version == kSchemaVersion) return store;
    break;  // an older store: upgraded in place below
  }
  try {
    return open(path, false);
  } catch (const UserError& e) {
    throw UserError(std::string(e.what()) + " (the store has an older schema and is upgraded when first opened "
                    "writable: copy it to a folder you can write)");
  }
}

int64_t Store::data_version() {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "PRAGMA data_version");
  q.step();
  return q.integer(0);
}

int64_t Store::sweep_size(const std::string& name) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT count(*) FROM sweep_runs WHERE sweep = ?");
  q.bind(1, name);
  q.step();
  return q.integer(0);
}

void Store::migrate(int64_t from) {
  exec("BEGIN IMMEDIATE");
  for (int64_t v = from; v < kSchemaVersion; ++v) exec(kMigrations[v]);
  exec(kSchema);
  // every measurement of curve_metrics() has its column; older runs read NULL (not measured)
  std::vector<std::string> have;
  {
    Statement q(db_, "SELECT name FROM pragma_table_info('curves')");
    while (q.step()) have.push_back(q.text(0));
  }
  for (const auto& m : curve_metrics())
    if (std::find(have.begin(), have.end(), m.column) == have.end())
      exec(std::string("ALTER TABLE curves ADD COLUMN ") + m.column + " REAL");
  {
    Statement q(db_, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'final_weight_norm'");
    q.step();
    if (q.integer(0) == 0) exec("ALTER TABLE runs ADD COLUMN final_weight_norm REAL");
  }
  // 5 -> 6: the total weight norm of runs stored before, exact from the two groups' norms
  if (from < 6)
    exec("UPDATE runs SET final_weight_norm = sqrt(final_encoder_norm * final_encoder_norm + "
         "final_decoder_norm * final_decoder_norm) WHERE final_weight_norm IS NULL;"
         "UPDATE curves SET weight_norm = sqrt(encoder_norm * encoder_norm + decoder_norm * decoder_norm) "
         "WHERE weight_norm IS NULL;");
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
  if (const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw_sqlite(rc, path_, msg);
  }
}

void Store::rollback() noexcept {
  // SQLite may have rolled back already (a full disk, an I/O error): then there is nothing to
  // undo, and the error that caused it is the one to report.
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
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
    // a finished run stays finished
    Statement del(db_, "DELETE FROM runs WHERE id = ? AND status NOT IN ('completed', 'diverged')");
    del.bind(1, id).run();
    Statement ins(db_, "INSERT OR IGNORE INTO runs (id, config, seed, task, status, started_at) VALUES (?,?,?,?,'running',?)");
    ins.bind(1, id).bind(2, cfg.canonical()).bind(3, int64_t(cfg.seed)).bind(4, task).bind(5, started_at).run();
    exec("COMMIT");
  } catch (...) {
    rollback();
    throw;
  }
}

bool Store::claim_run(const std::string& id, const RunConfig& cfg, const std::string& task,
                      const std::string& started_at, bool force) {
  static const std::string host = host_name();
  static const int64_t pid = getpid();
  static const std::string start = process_start(pid);
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");  // one process at a time decides
  try {
    Statement st(db_, "SELECT status FROM runs WHERE id = ?");
    st.bind(1, id);
    const bool finished = st.step() && is_finished(st.text(0));
    Statement claim(db_, "SELECT host, pid, pid_start FROM run_claims WHERE run_id = ?");
    claim.bind(1, id);
    const bool claimed = claim.step() && (claim.text(0) != host || process_start(claim.integer(1)) == claim.text(2));
    if ((finished && !force) || claimed) {
      exec("COMMIT");
      return false;
    }
    Statement c(db_, "INSERT OR REPLACE INTO run_claims VALUES (?,?,?,?,?)");
    c.bind(1, id).bind(2, host).bind(3, pid).bind(4, start).bind(5, started_at).run();
    if (!finished) {  // a finished run (--force) keeps its row until the new result replaces it
      Statement del(db_, "DELETE FROM runs WHERE id = ?");
      del.bind(1, id).run();
      Statement ins(db_, "INSERT INTO runs (id, config, seed, task, status, started_at) VALUES (?,?,?,?,'running',?)");
      ins.bind(1, id).bind(2, cfg.canonical()).bind(3, int64_t(cfg.seed)).bind(4, task).bind(5, started_at).run();
    }
    exec("COMMIT");
    return true;
  } catch (...) {
    rollback();
    throw;
  }
}

bool Store::save_partial_curve(const std::string& id, const std::vector<EvalPoint>& points) {
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");
  try {
    Statement st(db_, "SELECT status FROM runs WHERE id = ?");
    st.bind(1, id);
    const bool running = st.step() && st.text(0) == "running";
    if (running) insert_curve(db_, id, points);
    exec("COMMIT");
    return running;
  } catch (...) {
    rollback();
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
    Statement unclaim(db_, "DELETE FROM run_claims WHERE run_id = ?");
    unclaim.bind(1, id).run();
    const EvalPoint last = r.curve.empty() ? EvalPoint{} : r.curve.back();
    Statement ins(db_, std::string("INSERT INTO runs (") + run_columns() +
                           ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, id).bind(2, cfg.canonical()).bind(3, int64_t(cfg.seed)).bind(4, task).bind(5, r.status);
    ins.bind(6, started_at).bind(7, ended_at).bind(8, r.wall_seconds).bind(9, r.steps_done);
    ins.bind(10, r.diverged_step).bind(11, int64_t(r.early_stopped)).bind(12, r.train_size).bind(13, r.test_size);
    ins.bind(14, last.train_loss).bind(15, last.test_loss).bind(16, last.train_acc).bind(17, last.test_acc);
    ins.bind(18, last.encoder_norm).bind(19, last.decoder_norm).bind(20, last.rqi);
    ins.bind(21, std::string(phase_name(phase.phase))).bind(22, phase.t_train).bind(23, phase.t_test);
    ins.bind(24, last.weight_norm);
    ins.run();
    insert_curve(db_, id, r.curve);
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
    rollback();
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
  const std::string where = path_ + ": run " + id + ", checkpoint at step " + std::to_string(step);
  if (cp.dtype != "float32" && cp.dtype != "float64")
    throw UserError(where + ": dtype '" + cp.dtype + "' is not float32 or float64 (a corrupt store)");
  auto read = [&](int c, std::vector<double>& out) {
    const std::string what = where + (c == 1 ? ", encoder" : ", decoder");
    if (cp.dtype == "float64") {
      const size_t n = blob_elements(q, c, sizeof(double), what);
      const auto* p = static_cast<const double*>(q.blob(c));
      out.assign(p, p + n);
    } else {
      const size_t n = blob_elements(q, c, sizeof(float), what);
      const auto* p = static_cast<const float*>(q.blob(c));
      out.assign(p, p + n);
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
    rollback();
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

void Store::save_degeneracy(const DegeneracyRow& row) {
  std::lock_guard lock(*mutex_);
  insert_spectrum_row(db_, "degeneracy", row, &DegeneracyRow::hessian_eigenvalues, &DegeneracyRow::fisher_eigenvalues);
}

std::vector<DegeneracyRow> Store::degeneracy(const std::string& id) {
  std::lock_guard lock(*mutex_);
  return spectrum_rows(db_, path_, "degeneracy", "hessian, fisher", id, &DegeneracyRow::hessian_eigenvalues, "Hessian",
                       &DegeneracyRow::fisher_eigenvalues, "Fisher");
}

void Store::save_lanczos(const LanczosRow& row) {
  if (row.ritz.size() != row.weights.size() || row.ritz.empty())
    throw std::logic_error("save_lanczos: " + std::to_string(row.ritz.size()) + " Ritz values, " +
                           std::to_string(row.weights.size()) + " weights");
  std::lock_guard lock(*mutex_);
  insert_spectrum_row(db_, "hessian_lanczos", row, &LanczosRow::ritz, &LanczosRow::weights);
}

std::vector<LanczosRow> Store::lanczos(const std::string& id) {
  std::lock_guard lock(*mutex_);
  auto rows = spectrum_rows(db_, path_, "hessian_lanczos", "ritz, weights", id, &LanczosRow::ritz, "Ritz values",
                            &LanczosRow::weights, "weights");
  for (const LanczosRow& r : rows)
    if (r.ritz.size() != r.weights.size())
      throw UserError(path_ + ": hessian_lanczos row (run " + r.run_id + ", step " + std::to_string(r.step) + ") has " +
                      std::to_string(r.ritz.size()) + " Ritz values but " + std::to_string(r.weights.size()) +
                      " weights: a corrupt store");
  return rows;
}

void Store::save_bayes_transition(const BayesTransitionRow& row) {
  std::lock_guard lock(*mutex_);
  exec("BEGIN IMMEDIATE");
  try {
    Statement del(db_, "DELETE FROM bayes_transitions WHERE id = ?");  // its points go by ON DELETE CASCADE
    del.bind(1, row.id).run();
    Statement ins(db_, "INSERT INTO bayes_transitions VALUES (?,?,?,?,?)");
    ins.bind(1, row.id).bind(2, row.created_at).bind(3, row.settings).bind(4, row.summary).bind(5, row.wall_seconds);
    ins.run();
    Statement pt(db_, "INSERT INTO bayes_transition_points VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    for (const auto& p : row.points) {
      pt.bind(1, row.id).bind(2, p.n).bind(3, p.dataset).bind(4, p.mass_one).bind(5, p.predicted_one);
      pt.bind(6, p.delta_loss).bind(7, p.mala).bind(8, p.swap).bind(9, p.rhat).bind(10, p.ess).bind(11, p.diverged_chains);
      pt.run();
    }
    exec("COMMIT");
  } catch (...) {
    rollback();
    throw;
  }
}

std::vector<BayesTransitionRow> Store::bayes_transitions() {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT id, created_at, settings, summary, wall_seconds FROM bayes_transitions ORDER BY created_at, id");
  std::vector<BayesTransitionRow> out;
  while (q.step()) {
    BayesTransitionRow r;
    r.id = q.text(0), r.created_at = q.text(1), r.settings = q.text(2), r.summary = q.text(3), r.wall_seconds = q.real(4);
    out.push_back(std::move(r));
  }
  Statement p(db_, "SELECT n, dataset, mass_one, predicted_one, delta_loss, mala, swap, rhat, ess, diverged_chains "
                   "FROM bayes_transition_points WHERE study = ? ORDER BY n, dataset");
  for (auto& r : out) {
    p.bind(1, r.id);
    while (p.step()) {
      BayesTransitionPointRow x;
      x.n = p.integer(0), x.dataset = p.integer(1), x.mass_one = p.real(2), x.predicted_one = p.real(3);
      x.delta_loss = p.real(4), x.mala = p.real(5), x.swap = p.real(6), x.rhat = p.real(7), x.ess = p.real(8);
      x.diverged_chains = p.integer(9);
      r.points.push_back(x);
    }
    p.reset();
  }
  return out;
}

std::vector<std::vector<double>> Store::llc_traces(int64_t estimate_id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT losses FROM llc_traces WHERE estimate_id = ? ORDER BY chain");
  q.bind(1, estimate_id);
  std::vector<std::vector<double>> out;
  while (q.step()) {
    out.push_back(blob_doubles(q, 0, path_ + ": λ̂ estimate " + std::to_string(estimate_id) + ", loss trace of chain " +
                                         std::to_string(out.size())));
  }
  return out;
}

std::vector<RunRow> Store::query_runs(const std::string& where, const std::string& bind) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, std::string("SELECT ") + run_columns() + " FROM runs " + where);
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
    rollback();
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
  Statement q(db_, "SELECT step, " + curve_metric_columns() + " FROM curves WHERE run_id = ? ORDER BY step");
  q.bind(1, id);
  const auto& metrics = curve_metrics();
  std::vector<EvalPoint> out;
  while (q.step()) {
    EvalPoint& p = out.emplace_back();
    p.step = q.integer(0);
    for (size_t i = 0; i < metrics.size(); ++i) p.*metrics[i].field = q.real(int(i) + 1);
  }
  return out;
}

std::vector<EmbeddingSnapshot> Store::embeddings(const std::string& id) {
  std::lock_guard lock(*mutex_);
  Statement q(db_, "SELECT step, rows, cols, data FROM embeddings WHERE run_id = ? ORDER BY step");
  q.bind(1, id);
  std::vector<EmbeddingSnapshot> out;
  while (q.step()) {
    const int64_t step = q.integer(0), rows = q.integer(1), cols = q.integer(2);
    const std::string what = path_ + ": run " + id + ", embedding at step " + std::to_string(step) + " (" +
                             std::to_string(rows) + " x " + std::to_string(cols) + ")";
    if (rows < 1 || cols < 1 || rows > kMaxEmbeddingSide || cols > kMaxEmbeddingSide)
      throw UserError(what + ": the shape is out of range: allowed [1, " + std::to_string(kMaxEmbeddingSide) +
                      "] each (a corrupt store)");
    if (!out.empty() && (rows != out[0].rows || cols != out[0].cols))
      throw UserError(what + ": a different shape from the run's first embedding (" + std::to_string(out[0].rows) +
                      " x " + std::to_string(out[0].cols) + ") (a corrupt store)");
    EmbeddingSnapshot s{step, int(rows), int(cols), {}};
    const size_t n = blob_elements(q, 3, sizeof(float), what, rows * cols);
    const auto* p = static_cast<const float*>(q.blob(3));
    s.values.assign(p, p + n);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace geneft
