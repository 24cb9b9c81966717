#include <gtest/gtest.h>

#include "temp_dir_test.h"
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "store/store.h"

namespace geneft {
namespace {

using StoreTest = testing::TempDirTest;

const PhaseResult kGrokked{Phase::Grokking, 100, 5000};

RunResult sample_result() {
  RunResult r;
  r.status = "completed";
  r.steps_done = 20;
  r.train_size = 8, r.test_size = 2;
  r.curve.push_back({0, 1.5, 1.6, 0.25, 0.0, 2.0, 3.0, kMissing});
  r.curve.push_back({20, 0.1, 0.7, 1.0, 0.5, 2.5, 3.5, 0.75});
  r.embeddings.push_back({0, 3, 2, {1, 2, 3, 4, 5, 6}});
  return r;
}

TEST_F(StoreTest, RoundTrip) {
  const RunConfig cfg = parse_config("", "t");
  {
    Store s = Store::open(path("a.db"), true);
    EXPECT_FALSE(s.run_status(cfg.id()));
    s.save_run(cfg.id(), cfg, "plain_add p=10", sample_result(), kGrokked, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z");
  }
  Store s = Store::open(path("a.db"), false);
  EXPECT_EQ(*s.run_status(cfg.id()), "completed");
  EXPECT_EQ(s.resolve_id(cfg.id().substr(0, 5)), cfg.id());
  const RunRow row = s.get_run(cfg.id());
  EXPECT_EQ(row.config, cfg.canonical());
  EXPECT_DOUBLE_EQ(row.final.test_acc, 0.5);
  EXPECT_DOUBLE_EQ(row.final.rqi, 0.75);
  EXPECT_EQ(row.phase, "grokking");
  EXPECT_EQ(row.t_test, 5000);
  const auto curve = s.curve(cfg.id());
  ASSERT_EQ(curve.size(), 2u);
  EXPECT_TRUE(std::isnan(curve[0].rqi));  // not measured stays missing, not 0
  EXPECT_DOUBLE_EQ(curve[1].train_loss, 0.1);
  const auto emb = s.embeddings(cfg.id());
  ASSERT_EQ(emb.size(), 1u);
  EXPECT_EQ(emb[0].values, std::vector<float>({1, 2, 3, 4, 5, 6}));
  // saving again replaces the run, never duplicates it
  s.save_run(cfg.id(), cfg, "plain_add p=10", sample_result(), kGrokked, "x", "y");
  EXPECT_EQ(s.list_runs().size(), 1u);
  EXPECT_EQ(s.curve(cfg.id()).size(), 2u);
}

TEST_F(StoreTest, RejectsFilesThatAreNotGeneftStores) {
  std::ofstream(path("notes.db")) << "these are my notes, not a database\n";
  try {
    Store::open(path("notes.db"), true);
    FAIL() << "opened a text file as a store";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("not a geneft store"), std::string::npos) << e.what();
  }
  std::ifstream in(path("notes.db"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "these are my notes, not a database");  // untouched

  sqlite3* db;
  sqlite3_open(path("other.db").c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_THROW(Store::open(path("other.db"), true), UserError);
  EXPECT_THROW(Store::open(path("missing.db"), false), UserError);
  EXPECT_FALSE(std::filesystem::exists(path("missing.db")));
}

TEST_F(StoreTest, RunningRunsAreNotFinished) {
  const RunConfig cfg = parse_config("", "t");
  Store s = Store::open(path("a.db"), true);
  s.mark_running(cfg.id(), cfg, "task", "now");
  EXPECT_EQ(*s.run_status(cfg.id()), "running");
  EXPECT_FALSE(is_finished("running"));
  EXPECT_FALSE(is_finished("interrupted"));
  EXPECT_TRUE(is_finished("diverged"));
  s.save_run(cfg.id(), cfg, "task", sample_result(), kGrokked, "now", "later");
  EXPECT_EQ(*s.run_status(cfg.id()), "completed");
  EXPECT_EQ(s.list_runs().size(), 1u);
}

TEST_F(StoreTest, SweepLinksReplaceEarlierOnes) {
  const RunConfig a = parse_config("", "t"), b = parse_config("", "t", {"seed=1"});
  Store s = Store::open(path("a.db"), true);
  s.save_run(a.id(), a, "task", sample_result(), kGrokked, "now", "later");
  s.save_run(b.id(), b, "task", sample_result(), kGrokked, "now", "later");
  s.save_sweep("sw", "{}", {a.id(), b.id(), "not-yet-trained"});
  EXPECT_EQ(s.sweep_runs("sw").size(), 2u);
  s.save_sweep("sw", "{\"v\":2}", {b.id()});
  ASSERT_EQ(s.sweep_runs("sw").size(), 1u);
  EXPECT_EQ(s.sweep_runs("sw")[0].id, b.id());
  EXPECT_EQ(*s.sweep_definition("sw"), "{\"v\":2}");
  EXPECT_EQ(s.sweep_names(), std::vector<std::string>({"sw"}));
  EXPECT_FALSE(s.sweep_definition("other"));
}

TEST_F(StoreTest, MigratesSchemaVersion1) {
  sqlite3* db;
  sqlite3_open(path("v1.db").c_str(), &db);
  sqlite3_exec(db,
               "CREATE TABLE runs (id TEXT PRIMARY KEY, config TEXT NOT NULL, seed INTEGER NOT NULL, task TEXT NOT NULL,"
               " status TEXT NOT NULL, started_at TEXT, ended_at TEXT, wall_seconds REAL, steps_done INTEGER,"
               " diverged_step INTEGER, early_stopped INTEGER, train_size INTEGER, test_size INTEGER,"
               " final_train_loss REAL, final_test_loss REAL, final_train_acc REAL, final_test_acc REAL,"
               " final_encoder_norm REAL, final_decoder_norm REAL, final_rqi REAL);"
               "INSERT INTO runs (id, config, seed, task, status) VALUES ('abc', '', 0, 't', 'completed');"
               "PRAGMA application_id = 1735288436; PRAGMA user_version = 1;",
               nullptr, nullptr, nullptr);
  sqlite3_close(db);
  Store s = Store::open(path("v1.db"), false);
  const auto runs = s.list_runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, "abc");
  EXPECT_EQ(runs[0].phase, "");  // added column, empty for old runs
  s.save_sweep("x", "{}", {"abc"});
  EXPECT_EQ(s.sweep_runs("x").size(), 1u);
}

TEST_F(StoreTest, UnknownRunIdIsAnError) {
  Store s = Store::open(path("a.db"), true);
  EXPECT_THROW(s.resolve_id("abc"), UserError);
}

// A schema-7 store (before the Lanczos spectra) gains their table when opened, keeps what it
// had; spectra round-trip and a new one at the same step replaces the old; a row whose Ritz
// values and weights differ in number is refused.
TEST_F(StoreTest, Schema7StoreGainsLanczosTable) {
  const RunConfig cfg = parse_config("", "t");
  {
    Store s = Store::open(path("v7.db"), true);
    s.save_run(cfg.id(), cfg, "plain_add p=10", sample_result(), kGrokked, "a", "b");
    s.save_degeneracy({cfg.id(), 20, "c", "{\"d\":3}", {0.0, 1e-9, 2.5}, {}});
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path("v7.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE hessian_lanczos; PRAGMA user_version = 7;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Store s = Store::open(path("v7.db"), false);
  EXPECT_EQ(s.get_run(cfg.id()).task, "plain_add p=10");
  ASSERT_EQ(s.degeneracy(cfg.id()).size(), 1u);
  EXPECT_TRUE(s.lanczos(cfg.id()).empty());
  LanczosRow row{cfg.id(), 20, "c", "{\"probe_steps\":[2]}", {-1e-3, 4.0}, {0.4, 0.6}};
  s.save_lanczos(row);
  row.ritz = {0.0, 5.0};
  s.save_lanczos(row);
  const auto rows = s.lanczos(cfg.id());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ritz, (std::vector<double>{0.0, 5.0}));
  EXPECT_EQ(rows[0].weights, (std::vector<double>{0.4, 0.6}));
  EXPECT_EQ(rows[0].summary, "{\"probe_steps\":[2]}");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path("v7.db").c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "UPDATE hessian_lanczos SET weights = zeroblob(8)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  EXPECT_THROW(s.lanczos(cfg.id()), UserError);
}

}  // namespace
}  // namespace geneft

namespace geneft {
namespace {

// A store written before the SLT tables existed (schema 2) gains them when opened; checkpoints
// round-trip in the model's dtype.
TEST_F(StoreTest, Schema1StoreGainsSltTablesAndCheckpointsRoundTrip) {
  const RunConfig cfg = parse_config("", "t");
  {
    Store s = Store::open(path("old.db"), true);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path("old.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE llc_traces; DROP TABLE llc_estimates; DROP TABLE checkpoints; PRAGMA user_version = 2;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Store s = Store::open(path("old.db"), false);
  RunResult r = sample_result();
  r.checkpoints.push_back({20, "float32", {0.5, -1.25}, {3.0, 4.0, 0.125}});
  s.save_run(cfg.id(), cfg, "plain_add p=10", r, kGrokked, "a", "b");
  EXPECT_EQ(s.checkpoint_steps(cfg.id()), std::vector<int64_t>{20});
  const Checkpoint cp = s.checkpoint(cfg.id(), 20);
  EXPECT_EQ(cp.dtype, "float32");
  EXPECT_EQ(cp.encoder, (std::vector<double>{0.5, -1.25}));
  EXPECT_EQ(cp.decoder, (std::vector<double>{3.0, 4.0, 0.125}));
  EXPECT_THROW(s.checkpoint(cfg.id(), 10), UserError);
  LlcRow row;
  row.run_id = cfg.id(), row.step = 20, row.created_at = "c", row.settings = "{}", row.n = 45, row.nbeta = 11.8;
  row.lambda_mean = 3.5, row.lambda_std = 0.25;
  const int64_t est = s.save_llc_estimate(row, {{1.0, 2.0}, {3.0}});
  ASSERT_EQ(s.llc_estimates(cfg.id()).size(), 1u);
  EXPECT_DOUBLE_EQ(s.llc_estimates(cfg.id())[0].lambda_mean, 3.5);
  EXPECT_EQ(s.llc_traces(est)[1], std::vector<double>{3.0});
}

// A schema-3 store (before the degeneracy table) gains it when opened; spectra round-trip, an
// empty Fisher included, and a new measurement at the same step replaces the old.
TEST_F(StoreTest, Schema3StoreGainsDegeneracyTable) {
  const RunConfig cfg = parse_config("", "t");
  {
    Store s = Store::open(path("v3.db"), true);
    s.save_run(cfg.id(), cfg, "plain_add p=10", sample_result(), kGrokked, "a", "b");
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path("v3.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE degeneracy; PRAGMA user_version = 3;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Store s = Store::open(path("v3.db"), false);
  EXPECT_EQ(s.get_run(cfg.id()).task, "plain_add p=10");
  DegeneracyRow row{cfg.id(), 20, "c", "{\"d\":3}", {0.0, 1e-9, 2.5}, {}};
  s.save_degeneracy(row);
  row.hessian_eigenvalues = {0.0, 0.5, 2.5};
  s.save_degeneracy(row);
  const auto rows = s.degeneracy(cfg.id());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].hessian_eigenvalues, (std::vector<double>{0.0, 0.5, 2.5}));
  EXPECT_TRUE(rows[0].fisher_eigenvalues.empty());
  EXPECT_EQ(rows[0].summary, "{\"d\":3}");
}

}  // namespace
}  // namespace geneft

namespace geneft {
namespace {

// A schema-3 store (curves without the Fourier columns) opens: its curve points read the new
// measurements as missing, and new runs store them.
TEST_F(StoreTest, Schema3StoreGainsFourierColumns) {
  const RunConfig cfg = parse_config("", "t"), other = parse_config("seed = 1", "t");
  RunResult old = sample_result();
  {
    Store s = Store::open(path("v3.db"), true);
    s.save_run(cfg.id(), cfg, "plain_add p=10", old, kGrokked, "a", "b");
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path("v3.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "ALTER TABLE curves DROP COLUMN fourier_top_k; ALTER TABLE curves DROP COLUMN fourier_gini;"
                         "PRAGMA user_version = 3;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Store s = Store::open(path("v3.db"), false);
  const auto curve = s.curve(cfg.id());
  ASSERT_EQ(curve.size(), old.curve.size());
  EXPECT_EQ(curve.back().test_acc, old.curve.back().test_acc);
  EXPECT_TRUE(std::isnan(curve.back().fourier_top_k));
  RunResult fresh = sample_result();
  fresh.curve.back().fourier_top_k = 0.75, fresh.curve.back().fourier_gini = 0.5;
  s.save_run(other.id(), other, "mod_add p=10", fresh, kGrokked, "a", "b");
  EXPECT_EQ(s.curve(other.id()).back().fourier_top_k, 0.75);
  EXPECT_EQ(s.curve(other.id()).back().fourier_gini, 0.5);
}

}  // namespace
}  // namespace geneft

namespace geneft {
namespace {

// A store of schema 3 (main at df7f197) gains the total weight norm, exact from the two groups'
// norms: sqrt(encoder^2 + decoder^2) for every curve point and final value.
TEST_F(StoreTest, Schema3StoreGainsTotalWeightNorm) {
  std::filesystem::copy_file(std::string(GENEFT_SOURCE_DIR) + "/tests/fixtures/store-df7f197/store.db", path("v3.db"));
  Store s = Store::open(path("v3.db"), false);
  const auto runs = s.list_runs();
  ASSERT_FALSE(runs.empty());
  int points = 0;
  for (const auto& r : runs) {
    if (r.status != "completed") continue;
    EXPECT_NEAR(r.final.weight_norm, std::hypot(r.final.encoder_norm, r.final.decoder_norm), 1e-12) << r.id;
    for (const auto& p : s.curve(r.id)) {
      ASSERT_TRUE(std::isfinite(p.weight_norm)) << r.id << " step " << p.step;
      EXPECT_NEAR(p.weight_norm, std::hypot(p.encoder_norm, p.decoder_norm), 1e-12 * p.weight_norm);
      ++points;
    }
  }
  EXPECT_GT(points, 0);
  // and a new run's total norm round-trips
  const RunConfig cfg = parse_config("", "t");
  RunResult r = sample_result();
  r.curve.back().weight_norm = 4.25;
  s.save_run(cfg.id(), cfg, "plain_add p=10", r, kGrokked, "a", "b");
  EXPECT_EQ(s.get_run(cfg.id()).final.weight_norm, 4.25);
  EXPECT_EQ(s.curve(cfg.id()).back().weight_norm, 4.25);
  EXPECT_TRUE(std::isnan(s.curve(cfg.id()).front().weight_norm));
}

}  // namespace
}  // namespace geneft
