// A run in flight writes its eval points to the store while it trains (the dashboard's live
// curves): a partial curve, the run "running"; a run whose process dies keeps it; trained again,
// its stored curve is bit for bit the curve of a run that never wrote live.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "run/execute_run.h"
#include "tasks/task.h"
#include "temp_dir_test.h"

namespace geneft {
namespace {

using LiveCurveTest = testing::TempDirTest;

struct Died {};  // stands for the process being killed part-way

const RunConfig kConfig = parse_config("", "t",
                                       {"task.kind=mod_add", "task.p=7", "model.combiner=concat", "model.width=16",
                                        "model.embed_dim=4", "train.steps=60", "train.eval_every=10",
                                        "optim.batch_size=8", "optim.encoder_lr=0.01", "optim.decoder_lr=0.01"});

// Same steps and every measurement the same bits (NaN, "not measured", included).
void expect_same_bits(const std::vector<EvalPoint>& a, const std::vector<EvalPoint>& b, const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].step, b[i].step) << what;
    for (const auto& m : curve_metrics())
      EXPECT_EQ(std::memcmp(&(a[i].*m.field), &(b[i].*m.field), sizeof(double)), 0)
          << what << ": " << m.column << " at step " << a[i].step;
  }
}

void sql(const std::string& db_path, const char* statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, statement, nullptr, nullptr, nullptr), SQLITE_OK) << statement;
  sqlite3_close(db);
}

std::optional<RunResult> train(Store& store, double live_seconds, std::function<void(const EvalPoint&)> on_eval = {},
                               bool force = false) {
  const Dataset data = make_dataset(kConfig.task);
  TrainOptions o;
  o.progress = false;
  o.on_eval = std::move(on_eval);
  return execute_run(kConfig, data, make_split(data.size(), kConfig.task, kConfig.seed), store, o, PhaseClassifier(),
                     force, live_seconds);
}

TEST_F(LiveCurveTest, PartialWhileTrainingKeptWhenKilledReplacedBitForBit) {
  const std::string id = kConfig.id();
  // The reference writes its curve only at the end: nothing while it trains.
  Store ref = Store::open(path("ref.db"), true);
  size_t seen_while_training = 0;
  ASSERT_TRUE(train(ref, -1, [&](const EvalPoint&) { seen_while_training += ref.curve(id).size(); }));
  EXPECT_EQ(seen_while_training, 0u);
  const std::vector<EvalPoint> full = ref.curve(id);
  ASSERT_EQ(full.size(), 7u);

  // Live at every eval step: another connection sees each point as it is measured; the process
  // "dies" after the fourth.
  Store live = Store::open(path("live.db"), true);
  std::optional<Store> reader;
  std::vector<EvalPoint> measured;
  EXPECT_THROW(train(live, 0,
                     [&](const EvalPoint& p) {
                       measured.push_back(p);
                       if (!reader) reader.emplace(Store::open_read_only(path("live.db")));
                       expect_same_bits(reader->curve(id), measured, "while training");
                       EXPECT_EQ(reader->run_status(id), "running");
                       if (measured.size() == 4) throw Died{};
                     }),
               Died);
  expect_same_bits(reader->curve(id), {full.begin(), full.begin() + 4}, "partial curve of the killed run");
  EXPECT_EQ(reader->run_status(id), "running");

  // Its claim lapses with the process (here: removed by hand); trained again, live, the partial
  // curve is replaced whole by the curve of the reference.
  sql(path("live.db"), "DELETE FROM run_claims");
  measured.clear();
  ASSERT_TRUE(train(live, 0, [&](const EvalPoint& p) {
    measured.push_back(p);
    expect_same_bits(reader->curve(id), measured, "trained again");
  }));
  expect_same_bits(live.curve(id), full, "finished after the kill");
  EXPECT_EQ(live.run_status(id), "completed");

  // Trained again with --force, a finished run keeps its curve (marked here) until the new one is saved.
  sql(path("live.db"), "UPDATE curves SET train_loss = 42");
  ASSERT_TRUE(train(
      live, 0,
      [&](const EvalPoint&) {
        for (const EvalPoint& p : reader->curve(id)) EXPECT_EQ(p.train_loss, 42) << "--force, step " << p.step;
      },
      true));
  expect_same_bits(live.curve(id), full, "after --force");
}

}  // namespace
}  // namespace geneft
