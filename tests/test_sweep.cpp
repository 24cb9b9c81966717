#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.h"
#include "sweep/sweep_definition.h"
#include "sweep/sweep_table.h"

namespace geneft {
namespace {

SweepDefinition sweep(const std::string& text) { return parse_sweep(text, "s.toml", "."); }

std::string error_of(const std::string& text) {
  try {
    expand_sweep(sweep(text));
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

const char* kGrid = R"(
[sweep]
name = "g"
seeds = 3
[[sweep.axis]]
key = "optim.encoder_lr"
log_range = [1e-5, 1e-1, 5]
[[sweep.axis]]
key = "model.width"
range = [10, 20, 3]
[[sweep.axis]]
key = "model.activation"
values = ["tanh", "relu"]
[train]
steps = 7
)";

TEST(SweepExpansion, GridTimesSeeds) {
  const auto points = expand_sweep(sweep(kGrid));
  ASSERT_EQ(points.size(), 5u * 3 * 2 * 3);
  std::set<double> lrs;
  std::set<int> widths;
  std::set<std::string> ids;
  for (const auto& p : points) {
    lrs.insert(p.config.optim.encoder_lr);
    widths.insert(p.config.model.width);
    ids.insert(p.config.id());
    EXPECT_EQ(p.config.train.steps, 7);  // the sweep file's own tables override the base
    EXPECT_EQ(p.coordinates.size(), 3u);
  }
  EXPECT_EQ(lrs, std::set<double>({1e-5, 1e-4, 1e-3, 1e-2, 1e-1}));  // decades hit exactly
  EXPECT_EQ(widths, std::set<int>({10, 15, 20}));
  EXPECT_EQ(ids.size(), points.size());  // seed is part of the id
  EXPECT_EQ(points[0].config.seed, 0u);
  EXPECT_EQ(points[2].config.seed, 2u);
  EXPECT_EQ(points[0].config.optim.encoder_lr, points[2].config.optim.encoder_lr);  // seeds innermost
}

TEST(SweepExpansion, TiedKeysTakeTheAxisValue) {
  const auto d = sweep(R"(
[sweep]
[[sweep.axis]]
key = "optim.decoder_wd"
log_range = [0.1, 10, 3]
also = ["optim.encoder_wd"]
)");
  const auto points = expand_sweep(d);
  ASSERT_EQ(points.size(), 3u);
  for (const auto& p : points) {
    EXPECT_EQ(p.config.optim.encoder_wd, p.config.optim.decoder_wd);
    EXPECT_EQ(p.coordinates.size(), 1u);  // still one axis
  }
  EXPECT_EQ(points[2].config.optim.encoder_wd, 10.0);
  EXPECT_NE(d.to_json().find("\"also\":[\"optim.encoder_wd\"]"), std::string::npos);
  auto axis = [](const std::string& also) { return "[sweep]\n[[sweep.axis]]\nkey = \"optim.decoder_wd\"\nvalues = [1.0]\nalso = " + also + "\n"; };
  EXPECT_NE(error_of(axis("[\"optim.nope\"]")).find("unknown config key 'optim.nope'"), std::string::npos);
  EXPECT_NE(error_of(axis("[\"model.width\"]")).find("same type"), std::string::npos);
  EXPECT_NE(error_of(axis("\"optim.encoder_wd\"")).find("array of config keys"), std::string::npos);
}

TEST(SweepExpansion, SeedListAndBaseFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("geneft_sweep_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "base.toml") << "[task]\nkind = \"mod_add\"\np = 7\n[train]\nsteps = 3\n";
  std::ofstream(dir / "s.toml") << "[sweep]\nbase = \"base.toml\"\nseeds = [4, 9]\n[train]\nsteps = 5\n";
  const auto points = expand_sweep(load_sweep((dir / "s.toml").string()));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].config.task.kind, "mod_add");
  EXPECT_EQ(points[0].config.train.steps, 5);
  EXPECT_EQ(points[1].config.seed, 9u);
}

TEST(SweepExpansion, RandomSearchIsReproducibleFromItsSeed) {
  const std::string text = R"(
[sweep]
mode = "random"
samples = 6
random_seed = RS
[[sweep.axis]]
key = "optim.decoder_lr"
log_range = [1e-4, 1e-2, 2]
[[sweep.axis]]
key = "model.depth"
range = [1, 4, 2]
)";
  auto with_seed = [&](int rs) {
    std::string t = text;
    t.replace(t.find("RS"), 2, std::to_string(rs));
    std::vector<std::pair<double, int>> v;
    for (const auto& p : expand_sweep(sweep(t))) {
      EXPECT_GE(p.config.optim.decoder_lr, 1e-4);
      EXPECT_LE(p.config.optim.decoder_lr, 1e-2);
      EXPECT_GE(p.config.model.depth, 1);
      EXPECT_LE(p.config.model.depth, 4);
      v.emplace_back(p.config.optim.decoder_lr, p.config.model.depth);
    }
    return v;
  };
  EXPECT_EQ(with_seed(3).size(), 6u);
  EXPECT_EQ(with_seed(3), with_seed(3));
  EXPECT_NE(with_seed(3), with_seed(4));
}

TEST(SweepErrors, MalformedSweepsFailBeforeAnyRun) {
  auto axis = [](const std::string& body) { return "[sweep]\n[[sweep.axis]]\n" + body; };
  EXPECT_NE(error_of(axis("key = \"optim.learning_rate\"\nvalues = [1]\n")).find("unknown config key 'optim.learning_rate'"),
            std::string::npos);
  EXPECT_NE(error_of(axis("key = \"model.width\"\nrange = [1, 5, 0]\n")).find("empty"), std::string::npos);
  EXPECT_NE(error_of(axis("key = \"model.width\"\nvalues = []\n")).find("empty"), std::string::npos);
  EXPECT_NE(error_of(axis("key = \"optim.encoder_lr\"\nlog_range = [0, 1e-2, 3]\n")).find("positive"), std::string::npos);
  EXPECT_NE(error_of(axis("key = \"optim.encoder_lr\"\nlog_range = [1e-3, -1, 3]\n")).find("positive"), std::string::npos);
  EXPECT_NE(error_of(axis("key = \"optim.encoder_lr\"\nvalues = [-1.0]\n")).find("out of range"), std::string::npos);
  EXPECT_NE(error_of(axis("key = \"model.width\"\nvalues = [1.5]\n")).find("must be an integer"), std::string::npos);
  EXPECT_NE(error_of(axis("key = \"model.width\"\n")).find("exactly one"), std::string::npos);
  // a bad point anywhere in the grid is caught up front
  EXPECT_NE(error_of("[task]\nkind = \"mod_div\"\n" + axis("key = \"task.p\"\nvalues = [7, 9]\n")).find("not prime"),
            std::string::npos);
  EXPECT_NE(error_of("[task]\nkind = \"mod_add\"\n").find("[sweep]"), std::string::npos);
  EXPECT_NE(error_of("[sweep]\nseedz = 3\n").find("sweep.seedz"), std::string::npos);
  EXPECT_NE(error_of("[sweep]\nmode = \"random\"\n").find("samples"), std::string::npos);
  EXPECT_NE(error_of("[sweep]\n[optim]\nlr = 1\n").find("unknown key 'optim.lr'"), std::string::npos);
}

TEST(SweepDefinitionJson, RoundTripsAxesAndPhaseOptions) {
  SweepDefinition d = sweep(std::string(kGrid) + "[sweep.phase]\nthreshold = 0.95\ndelta = 200\n");
  d.phase.threshold = 0.95;
  const StoredSweep s = parse_stored_sweep(d.to_json());
  ASSERT_EQ(s.axes.size(), 3u);
  EXPECT_EQ(s.axes[0].first, "optim.encoder_lr");
  EXPECT_EQ(s.axes[0].second, AxisKind::LogRange);
  EXPECT_EQ(s.axes[2].second, AxisKind::Values);
  EXPECT_DOUBLE_EQ(s.phase.threshold, 0.95);
  EXPECT_EQ(s.phase.delta, 200);
}

TEST(SweepRowMetrics, FinalAccuracyIsOverEverySampleAndTRqiIsReported) {
  SweepRow r;
  r.run.train_size = 45, r.run.test_size = 10;
  r.run.final.train_acc = 1.0, r.run.final.test_acc = 0.5;
  EXPECT_DOUBLE_EQ(r.value("final_acc"), (45 * 1.0 + 10 * 0.5) / 55);  // Liu et al. 2022, Fig. 3
  r.run.test_size = 0;
  EXPECT_DOUBLE_EQ(r.value("final_acc"), 1.0);
  EXPECT_TRUE(std::isnan(r.value("t_rqi")));
  r.t_rqi = 830;
  EXPECT_EQ(r.value("t_rqi"), 830);
}

}  // namespace
}  // namespace geneft
