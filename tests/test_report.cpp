// geneft report: a hostile store (script in a sweep name, a task and a run id) gives a page
// that shows those strings as text, and no file outside the output folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/error.h"
#include "report/html.h"
#include "report/report.h"
#include "store/store.h"
#include "temp_dir_test.h"

namespace geneft {
namespace {

using ReportTest = testing::TempDirTest;
namespace fs = std::filesystem;

const char* kHostileSweep = "<script>alert('sweep')</script>\"'&\n`id`$(id)";
const char* kHostileTask = "<img src=x onerror=alert(1)>";
const char* kHostileId = "../../escaped<script>";

RunResult finished_run(double test_acc) {
  RunResult r;
  r.status = "completed";
  r.steps_done = 200;
  r.train_size = 40, r.test_size = 5;
  r.curve.push_back({0, 1.5, 1.6, 0.25, 0.0, 2.0, 3.0, kMissing});
  r.curve.push_back({100, 0.2, 0.9, 1.0, test_acc / 2, 2.5, 3.5, kMissing});
  r.curve.push_back({200, 0.1, 0.7, 1.0, test_acc, 2.5, 3.5, kMissing});
  r.embeddings.push_back({0, 3, 1, {1, 2, 3}});
  r.embeddings.push_back({200, 3, 1, {1, 2.5, 4}});
  return r;
}

// A store with a two-axis sweep of two runs (a third not trained yet) and a run outside it.
std::string hostile_store(const std::string& path) {
  Store s = Store::open(path, true);
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    const RunConfig cfg = parse_config("[optim]\nencoder_lr = " + std::to_string(0.001 * (i + 1)) + "\n", "t");
    s.save_run(cfg.id(), cfg, kHostileTask, finished_run(0.5 + 0.5 * i), {Phase::Grokking, 100, 200}, "a", "b");
    ids.push_back(cfg.id());
  }
  ids.push_back("0123456789abcdef");
  const std::string definition =
      R"({"name":"x","mode":"grid","seeds":[0],"axes":[{"key":"optim.encoder_lr","kind":"values","grid":["0.001","0.002"]},)"
      R"({"key":"optim.decoder_lr","kind":"values","grid":["0.001"]}],"phase":{"threshold":0.9,"delta":1000}})";
  s.save_sweep(kHostileSweep, definition, ids);
  const RunConfig other = parse_config("seed = 7\n", "t");
  s.save_run(kHostileId, other, kHostileTask, finished_run(1.0), {Phase::Comprehension, 100, 100}, "a", "b");
  return path;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Html, EscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("<a href=\"x\" title='y'>&</a>"), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(plot_text("a\"b\\c`d\ne$f'g: 0.5 (x)"), "a?b?c?d?e?f?g: 0.5 (x)");
  EXPECT_EQ(shell_word("results.db"), "results.db");
  EXPECT_EQ(shell_word("my store; rm -rf ~"), "'my store; rm -rf ~'");
  EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_word(""), "''");
  EXPECT_TRUE(is_hex_id("d56967e4"));
  EXPECT_FALSE(is_hex_id("../d5"));
  EXPECT_FALSE(is_hex_id(""));
}

TEST_F(ReportTest, HostileStoreStringsAreTextAndFilesStayInTheOutputFolder) {
  const std::string db = hostile_store(path("hostile.db"));
  ReportOptions o;
  o.db = db, o.out = path("out");
  const std::string index = write_report(o);
  ASSERT_EQ(fs::path(index), fs::path(path("out")) / "index.html");
  const std::string html = read(index);

  EXPECT_EQ(html.find("<script"), std::string::npos);  // the page has no script at all
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;sweep&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("escaped&lt;script&gt;"), std::string::npos);  // in the runs table
  // The command to copy quotes the sweep name for the shell.
  EXPECT_NE(html.find("--sweep &#39;&lt;script&gt;"), std::string::npos);

  // Every file written is under out/, named by position or by a hex run id; every image exists.
  const std::regex fig_name(R"((sweep[0-9]+-[a-z_]+|curves-[0-9a-f]{8}|embeddings-[0-9a-f]{8})\.(png|svg|gp))");
  int figures = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), dir_);
    if (rel.string().rfind("hostile.db", 0) == 0) continue;
    ASSERT_EQ(*rel.begin(), "out") << rel;
    if (rel.parent_path() == "out/fig") {
      EXPECT_TRUE(std::regex_match(rel.filename().string(), fig_name)) << rel;
      ++figures;
    }
  }
  EXPECT_GE(figures, 3 * 3);  // phase diagram and two heatmaps, PNG + SVG + script each
  const std::regex img(R"re(<img src="([^"]+)")re");
  int images = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), img); it != std::sregex_iterator(); ++it, ++images)
    EXPECT_TRUE(fs::exists(fs::path(path("out")) / (*it)[1].str())) << (*it)[1];
  EXPECT_EQ(images, 3);  // the hostile run outside the sweep gets a note, not a figure
  EXPECT_NE(html.find("has an id that is not a hash"), std::string::npos);
  EXPECT_NE(html.find("2 of 3 runs finished"), std::string::npos);
}

TEST_F(ReportTest, MissingStoreIsAnError) {
  ReportOptions o;
  o.db = path("none.db"), o.out = path("out");
  EXPECT_THROW(write_report(o), UserError);
  EXPECT_FALSE(fs::exists(path("none.db")));
}

}  // namespace
}  // namespace geneft
