// geneft serve's JSON API on a store: progress of a sweep, runs with their configs, one run's
// curve; unknown names are UserErrors (404), store strings survive as JSON strings.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/error.h"
#include "serve/dashboard_api.h"
#include "store/store.h"
#include "temp_dir_test.h"

namespace geneft {
namespace {

using DashboardApiTest = testing::TempDirTest;
using nlohmann::json;

TEST_F(DashboardApiTest, SweepProgressRunsAndCurves) {
  const std::string task = "<b>\"task\"</b>\xff";  // markup, quotes and a byte that is not UTF-8
  std::vector<std::string> ids;
  {
    Store s = Store::open(path("a.db"), true);
    for (int i = 0; i < 3; ++i) {
      const RunConfig cfg = parse_config("[optim]\nencoder_lr = " + std::to_string(0.001 * (i + 1)) + "\n", "t");
      ids.push_back(cfg.id());
      if (i == 2) {  // in flight, with the eval points it has stored so far
        s.mark_running(cfg.id(), cfg, task, utc_now_iso8601());
        EXPECT_TRUE(s.save_partial_curve(cfg.id(), {{0, 1.0, 1.0, 0.5, 0.0, 1, 1, kMissing}}));
        EXPECT_TRUE(s.save_partial_curve(cfg.id(), {{5, 0.8, 0.9, 0.5, 0.0, 1, 1, kMissing}}));
        continue;
      }
      RunResult r;
      r.status = i == 0 ? "completed" : "diverged";
      r.steps_done = 10, r.train_size = 4, r.test_size = 1, r.wall_seconds = 4;
      r.curve = {{0, 1.0, 1.0, 0.5, 0.0, 1, 1, kMissing}, {10, 0.5, 0.6, 1.0, 1.0, 1, 1, kMissing}};
      s.save_run(cfg.id(), cfg, task, r, {Phase::Comprehension, 10, 10}, "2026-01-01T00:00:00Z", "2026-01-01T00:00:04Z");
    }
    ids.push_back("ffffffffffffffff");  // not started
    s.save_sweep("lr", R"({"name":"lr","mode":"grid","seeds":[0],"axes":[{"key":"optim.encoder_lr","kind":"log_range",)"
                       R"("grid":["0.001","0.002","0.003","0.004"]}],"phase":{"threshold":0.9,"delta":1000}})",
                 ids);
  }
  Store store = Store::open_read_only(path("a.db"));
  const json status = json::parse(api_status(store));
  EXPECT_EQ(status["runs"], 3);
  EXPECT_EQ(status["finished"], 2);
  EXPECT_EQ(status["running"], 1);

  const json sweeps = json::parse(api_sweeps(store));
  ASSERT_EQ(sweeps.size(), 1u);
  EXPECT_EQ(sweeps[0]["total"], 4);
  EXPECT_EQ(sweeps[0]["finished"], 2);
  EXPECT_EQ(sweeps[0]["running"], 1);
  EXPECT_EQ(sweeps[0]["failed"], 1);
  EXPECT_EQ(sweeps[0]["axes"][0]["key"], "optim.encoder_lr");
  EXPECT_EQ(sweeps[0]["axes"][0]["log"], true);
  EXPECT_EQ(sweeps[0]["eta_seconds"], 2 * 4.0 / 1);  // 2 left x 4 s a run, 1 in flight

  // Runs come in id order: look them up by id.
  auto by_id = [](const json& list, const std::string& id) {
    for (const auto& r : list)
      if (r["id"] == id) return r;
    return json();
  };
  const json sweep = json::parse(api_sweep(store, "lr"));
  EXPECT_EQ(sweep["runs"].size(), 2u);  // finished runs only
  EXPECT_DOUBLE_EQ(by_id(sweep["runs"], ids[1])["axes"]["optim.encoder_lr"].get<double>(), 0.002);
  EXPECT_EQ(by_id(sweep["runs"], ids[1])["status"], "diverged");

  const json runs = json::parse(api_runs(store));
  ASSERT_EQ(runs.size(), 3u);
  const json first = by_id(runs, ids[0]);
  EXPECT_EQ(first["task"], "<b>\"task\"</b>\xEF\xBF\xBD");  // data (the page sets it as text); bad UTF-8 replaced
  EXPECT_DOUBLE_EQ(first["config"]["optim.encoder_lr"].get<double>(), 0.001);
  EXPECT_TRUE(by_id(runs, ids[2])["running_seconds"].is_number());

  const json run = json::parse(api_run(store, ids[0].substr(0, 6)));
  EXPECT_EQ(run["id"], ids[0]);
  ASSERT_EQ(run["curve"].size(), 2u);
  EXPECT_EQ(run["curve"][1]["test_acc"], 1.0);
  EXPECT_TRUE(run["curve"][0]["rqi"].is_null());
  EXPECT_EQ(run["partial"], false);
  const json running = json::parse(api_run(store, ids[2]));
  EXPECT_EQ(running["status"], "running");
  EXPECT_EQ(running["partial"], true);
  ASSERT_EQ(running["curve"].size(), 2u);
  EXPECT_EQ(running["curve"][1]["step"], 5);
  EXPECT_EQ(running["curve"][1]["train_loss"], 0.8);

  EXPECT_THROW(api_sweep(store, "nope"), UserError);
  EXPECT_THROW(api_run(store, "zzz"), UserError);
}

TEST_F(DashboardApiTest, ReadOnlyOpenRefusesWhatIsNotAStore) {
  EXPECT_THROW(Store::open_read_only(path("missing.db")), UserError);
  { std::ofstream(path("text.db")) << "not sqlite"; }
  EXPECT_THROW(Store::open_read_only(path("text.db")), UserError);
}

}  // namespace
}  // namespace geneft
