// Corrupt and hostile stores: every read checks what it reads (schema version, blob sizes
// against their declared shapes) and fails with a UserError naming the problem, never a crash;
// a merge validates its source and reports the source, not the target.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "store/store.h"
#include "store/store_merge.h"
#include "temp_dir_test.h"

namespace geneft {
namespace {

using CorruptStoreTest = testing::TempDirTest;

void sql(const std::string& path, const std::string& statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

// A store with one completed run (one embedding snapshot, one checkpoint, one λ̂ trace); returns its id.
std::string make_store(const std::string& path) {
  const RunConfig cfg = parse_config("", "t");
  RunResult r;
  r.status = "completed";
  r.steps_done = 20;
  r.curve.push_back({20, 0.1, 0.7, 1.0, 0.5, 2.5, 3.5, 0.75});
  r.embeddings.push_back({20, 3, 2, {1, 2, 3, 4, 5, 6}});
  r.checkpoints.push_back({20, "float32", {1, 2, 3}, {4, 5}});
  Store s = Store::open(path, true);
  s.save_run(cfg.id(), cfg, "plain_add p=10", r, {Phase::Comprehension, 20, 20}, "a", "b");
  LlcRow llc;
  llc.run_id = cfg.id(), llc.step = 20, llc.created_at = "c", llc.settings = "{}";
  s.save_llc_estimate(llc, {{1.0, 2.0}});
  return cfg.id();
}

template <typename F>
std::string user_error(F f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

class UserVersionTest : public testing::TempDirTest, public ::testing::WithParamInterface<int> {};

TEST_P(UserVersionTest, UnknownSchemaVersionIsAClearError) {
  make_store(path("s.db"));
  sql(path("s.db"), "PRAGMA user_version = " + std::to_string(GetParam()));
  for (bool read_only : {false, true}) {
    const std::string e = user_error([&] { read_only ? Store::open_read_only(path("s.db")) : Store::open(path("s.db"), false); });
    EXPECT_NE(e.find("schema version " + std::to_string(GetParam())), std::string::npos) << e;
  }
}
INSTANTIATE_TEST_SUITE_P(Versions, UserVersionTest, ::testing::Values(0, -1, -1000000, 99, 2147483647),
                         [](const auto& info) {
                           return info.param < 0 ? "minus" + std::to_string(-info.param) : std::to_string(info.param);
                         });

struct BadBlob {
  const char* name;
  const char* update;  // SQL making one blob disagree with its declared shape
  const char* message;
};

class BadBlobTest : public testing::TempDirTest, public ::testing::WithParamInterface<BadBlob> {};

TEST_P(BadBlobTest, ReadIsAUserErrorAndMergeDoesNotSpreadIt) {
  const std::string id = make_store(path("shard.db"));
  sql(path("shard.db"), GetParam().update);
  Store s = Store::open_read_only(path("shard.db"));
  const std::string e = user_error([&] {
    s.embeddings(id);
    s.checkpoint(id, 20);
    for (const auto& est : s.llc_estimates(id)) s.llc_traces(est.id);
  });
  EXPECT_NE(e.find(GetParam().message), std::string::npos) << e;

  Store target = Store::open(path("target.db"), true);
  const std::string m = user_error([&] { merge_store(target, path("shard.db")); });
  EXPECT_NE(m.find(path("shard.db")), std::string::npos) << m;  // the source is named
  EXPECT_NE(m.find(GetParam().message), std::string::npos) << m;
  EXPECT_TRUE(target.list_runs().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Blobs, BadBlobTest,
    ::testing::Values(BadBlob{"embedding_huge_shape", "UPDATE embeddings SET rows = 100000, cols = 1000", "embedding"},
                      BadBlob{"embedding_one_byte", "UPDATE embeddings SET data = x'00'", "embedding"},
                      BadBlob{"embedding_negative_rows", "UPDATE embeddings SET rows = -1", "embedding"},
                      BadBlob{"embedding_overflowing_shape", "UPDATE embeddings SET rows = 4294967296, cols = 4294967296",
                              "embedding"},
                      BadBlob{"embedding_not_a_blob", "UPDATE embeddings SET data = 12", "embedding"},
                      BadBlob{"checkpoint_odd_size", "UPDATE checkpoints SET encoder = x'000102'", "checkpoint"},
                      BadBlob{"checkpoint_dtype", "UPDATE checkpoints SET dtype = 'float16'", "checkpoint"},
                      BadBlob{"trace_odd_size", "UPDATE llc_traces SET losses = x'0001'", "trace"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(CorruptStoreTest, CorruptMergeSourceIsReportedAsTheSource) {
  make_store(path("target.db"));
  std::ofstream(path("garbage.db"), std::ios::binary) << std::string("SQLite format 3\0", 16) << std::string(5000, 'x');
  Store target = Store::open(path("target.db"), false);
  const std::string e = user_error([&] { merge_store(target, path("garbage.db")); });
  EXPECT_EQ(e.find(path("target.db")), std::string::npos) << e;
  EXPECT_NE(e.find(path("garbage.db")), std::string::npos) << e;
  EXPECT_EQ(target.list_runs().size(), 1u);
}

}  // namespace
}  // namespace geneft
