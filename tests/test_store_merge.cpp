#include <gtest/gtest.h>

#include "temp_dir_test.h"

#include <filesystem>
#include <fstream>

#include <sqlite3.h>

#include "core/error.h"
#include "store/store_merge.h"

namespace geneft {
namespace {

using StoreMergeTest = testing::TempDirTest;

RunConfig config(int seed) { return parse_config("seed = " + std::to_string(seed), "t"); }

RunResult result(double final_test_acc) {
  RunResult r;
  r.status = "completed";
  r.steps_done = 20;
  r.train_size = 8, r.test_size = 2;
  r.curve.push_back({0, 1.5, 1.6, 0.25, 0.0, 2.0, 3.0, kMissing});
  r.curve.push_back({20, 0.1, 0.7, 1.0, final_test_acc, 2.5, 3.5, kMissing});
  r.embeddings.push_back({20, 3, 1, {1, 2, 3}});
  r.checkpoints.push_back({20, "float64", {0.5, -1.25}, {3.0}});
  return r;
}

const PhaseResult kPhase{Phase::Memorization, 20, std::nullopt};

void save(Store& s, int seed, double acc, const std::string& when = "t0") {
  s.save_run(config(seed).id(), config(seed), "plain_add p=10", result(acc), kPhase, when, when);
}

LlcRow llc_row(const std::string& run_id) {
  LlcRow row;
  row.run_id = run_id, row.step = 20, row.created_at = "c", row.settings = "{}", row.n = 8, row.nbeta = 2;
  row.lambda_mean = 1.5;
  return row;
}

TEST_F(StoreMergeTest, ShardsMergeOnceAndAgainWithoutChange) {
  {
    Store a = Store::open(path("a.db"), true);
    save(a, 1, 0.5);
    save(a, 2, 0.5);
    a.save_llc_estimate(llc_row(config(1).id()), {{1.0, 2.0}, {3.0}});
    a.save_sweep("s", "{}", {config(1).id(), config(2).id(), config(3).id()});
    Store b = Store::open(path("b.db"), true);
    save(b, 2, 0.5, "another time");  // trained twice: same numbers, other times
    save(b, 3, 0.5);
    b.save_sweep("s", "{}", {config(1).id(), config(2).id(), config(3).id()});
  }
  Store all = Store::open(path("all.db"), true);
  MergeReport ra = merge_store(all, path("a.db"));
  EXPECT_EQ(ra.added, 2u);
  EXPECT_EQ(ra.llc_estimates, 1u);
  EXPECT_EQ(ra.sweeps, 1u);
  EXPECT_EQ(ra.sweep_links, 3u);
  MergeReport rb = merge_store(all, path("b.db"));
  EXPECT_EQ(rb.added, 1u);
  EXPECT_EQ(rb.identical, 1u);
  EXPECT_TRUE(rb.conflicts.empty());
  EXPECT_EQ(rb.sweep_links, 0u);
  EXPECT_EQ(all.list_runs().size(), 3u);
  EXPECT_EQ(all.sweep_runs("s").size(), 3u);
  EXPECT_EQ(all.curve(config(3).id()).size(), 2u);
  EXPECT_EQ(all.embeddings(config(3).id()).size(), 1u);
  EXPECT_EQ(all.checkpoint(config(3).id(), 20).encoder, (std::vector<double>{0.5, -1.25}));
  const auto llc = all.llc_estimates(config(1).id());
  ASSERT_EQ(llc.size(), 1u);
  EXPECT_EQ(all.llc_traces(llc[0].id)[0], (std::vector<double>{1.0, 2.0}));

  // idempotent: merging the same shards again changes nothing
  for (const char* shard : {"a.db", "b.db"}) {
    const MergeReport again = merge_store(all, path(shard));
    EXPECT_EQ(again.added, 0u) << shard;
    EXPECT_EQ(again.llc_estimates, 0u) << shard;
    EXPECT_EQ(again.sweep_links, 0u) << shard;
  }
  EXPECT_EQ(all.list_runs().size(), 3u);
  EXPECT_EQ(all.llc_estimates(config(1).id()).size(), 1u);
  EXPECT_EQ(all.curve(config(2).id()).size(), 2u);
}

TEST_F(StoreMergeTest, ConflictIsReportedAndNeverOverwritten) {
  {
    Store a = Store::open(path("a.db"), true);
    save(a, 1, 0.5);
    Store b = Store::open(path("b.db"), true);
    save(b, 1, 0.75);  // same id, other numbers
    save(b, 2, 0.5);
    a.save_sweep("s", "{\"axes\": 1}", {config(1).id()});
    b.save_sweep("s", "{\"axes\": 2}", {config(1).id(), config(2).id()});
  }
  Store a = Store::open(path("a.db"), false);
  const MergeReport r = merge_store(a, path("b.db"));
  ASSERT_EQ(r.conflicts, std::vector<std::string>{config(1).id()});
  EXPECT_EQ(r.added, 1u);
  ASSERT_EQ(r.warnings.size(), 1u);  // the sweep is defined differently: the target's definition stays
  EXPECT_NE(r.warnings[0].find("sweep 's' is defined differently"), std::string::npos);
  EXPECT_EQ(*a.sweep_definition("s"), "{\"axes\": 1}");
  EXPECT_EQ(a.sweep_runs("s").size(), 2u);  // links are united
  EXPECT_DOUBLE_EQ(a.get_run(config(1).id()).final.test_acc, 0.5);
  EXPECT_DOUBLE_EQ(a.curve(config(1).id()).back().test_acc, 0.5);
}

TEST_F(StoreMergeTest, UnfinishedRunsAreNotCarriedButAreReplaced) {
  {
    Store a = Store::open(path("a.db"), true);
    a.mark_running(config(1).id(), config(1), "plain_add p=10", "t");  // killed mid-run here
    save(a, 2, 0.5);
    Store b = Store::open(path("b.db"), true);
    save(b, 1, 0.5);
    b.mark_running(config(2).id(), config(2), "plain_add p=10", "t");
    b.mark_running(config(3).id(), config(3), "plain_add p=10", "t");
  }
  Store a = Store::open(path("a.db"), false);
  const MergeReport r = merge_store(a, path("b.db"));
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(r.unfinished, 2u);
  EXPECT_EQ(*a.run_status(config(1).id()), "completed");
  EXPECT_EQ(*a.run_status(config(2).id()), "completed");
  EXPECT_FALSE(a.run_status(config(3).id()));
}

BayesTransitionRow transition(const std::string& id, double mass) {
  BayesTransitionRow t;
  t.id = id, t.created_at = "c", t.settings = "{}", t.summary = "{\"nc_measured\": 900}";
  t.points.push_back({100, 0, mass, 0.8, 0.01, 0.55, 0.7, 1.01, 300, 0});
  return t;
}

TEST_F(StoreMergeTest, DegeneracyAndPhaseTransitionStudiesAreCopiedOnce) {
  {
    Store a = Store::open(path("a.db"), true);
    save(a, 1, 0.5);
    a.save_degeneracy({config(1).id(), 20, "c", "{\"d\": 3}", {0.0, 1.0, 2.0}, {}});
    a.save_lanczos({config(1).id(), 20, "c", "{\"d\": 3, \"probe_steps\": [2]}", {0.5, 2.0}, {0.25, 0.75}});
    a.save_bayes_transition(transition("s1", 0.75));
    a.save_bayes_transition(transition("s2", 0.25));
    Store b = Store::open(path("b.db"), true);
    b.save_bayes_transition(transition("s2", 0.5));  // same study id, other numbers: target's kept
  }
  Store b = Store::open(path("b.db"), false);
  const MergeReport r = merge_store(b, path("a.db"));
  EXPECT_EQ(r.added, 1u);
  EXPECT_EQ(r.degeneracy, 1u);
  EXPECT_EQ(r.lanczos, 1u);
  EXPECT_EQ(r.bayes_transitions, 1u);
  ASSERT_EQ(r.warnings.size(), 0u);  // same summary text: no difference reported
  const auto deg = b.degeneracy(config(1).id());
  ASSERT_EQ(deg.size(), 1u);
  EXPECT_EQ(deg[0].hessian_eigenvalues, (std::vector<double>{0.0, 1.0, 2.0}));
  EXPECT_TRUE(deg[0].fisher_eigenvalues.empty());
  const auto slq = b.lanczos(config(1).id());
  ASSERT_EQ(slq.size(), 1u);
  EXPECT_EQ(slq[0].ritz, (std::vector<double>{0.5, 2.0}));
  EXPECT_EQ(slq[0].weights, (std::vector<double>{0.25, 0.75}));
  const auto studies = b.bayes_transitions();
  ASSERT_EQ(studies.size(), 2u);
  for (const auto& s : studies) {
    ASSERT_EQ(s.points.size(), 1u) << s.id;
    EXPECT_DOUBLE_EQ(s.points[0].mass_one, s.id == "s1" ? 0.75 : 0.5) << s.id;
  }
  const MergeReport again = merge_store(b, path("a.db"));
  EXPECT_EQ(again.degeneracy, 0u);
  EXPECT_EQ(again.lanczos, 0u);
  EXPECT_EQ(again.bayes_transitions, 0u);
  EXPECT_EQ(b.bayes_transitions().size(), 2u);
}

TEST_F(StoreMergeTest, CorruptDegeneracyOrTransitionIsRefused) {
  for (const char* bad : {"UPDATE degeneracy SET hessian = x'0102'", "UPDATE bayes_transition_points SET mass_one = 1.5",
                          "UPDATE hessian_lanczos SET weights = zeroblob(8)",
                          "UPDATE bayes_transitions SET summary = 'not json'"}) {
    std::filesystem::remove(path("a.db"));
    {
      Store a = Store::open(path("a.db"), true);
      save(a, 1, 0.5);
      a.save_degeneracy({config(1).id(), 20, "c", "{}", {1.0}, {1.0}});
      a.save_lanczos({config(1).id(), 20, "c", "{}", {1.0, 2.0}, {0.5, 0.5}});
      a.save_bayes_transition(transition("s1", 0.75));
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path("a.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, bad, nullptr, nullptr, nullptr), SQLITE_OK) << bad;
    sqlite3_close(db);
    std::filesystem::remove(path("all.db"));
    Store all = Store::open(path("all.db"), true);
    EXPECT_THROW(merge_store(all, path("a.db")), UserError) << bad;
    EXPECT_TRUE(all.list_runs().empty()) << bad;  // nothing merged
    EXPECT_TRUE(all.bayes_transitions().empty()) << bad;
  }
}

TEST_F(StoreMergeTest, BadSourcesAreErrors) {
  Store a = Store::open(path("a.db"), true);
  EXPECT_THROW(merge_store(a, path("a.db")), UserError);
  EXPECT_THROW(merge_store(a, path("missing.db")), UserError);
  std::ofstream(path("notes.db")) << "not a database\n";
  EXPECT_THROW(merge_store(a, path("notes.db")), UserError);
}

}  // namespace
}  // namespace geneft
