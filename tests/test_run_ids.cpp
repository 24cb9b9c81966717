// A stored run never changes identity: the ids of every example (single runs and every point
// of every sweep) are pinned to what main's binary printed before the canonical rule changed
// (tests/golden/example_run_ids.txt, from `geneft train F --print-config` and `geneft sweep F --dry-run`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/config.h"
#include "sweep/sweep_definition.h"

namespace geneft {
namespace {

const std::filesystem::path kSource = GENEFT_SOURCE_DIR;

// file name -> its run ids in order (one for a run config, one per point for a sweep)
std::map<std::string, std::vector<std::string>> golden_ids() {
  std::ifstream in(kSource / "tests/golden/example_run_ids.txt");
  std::map<std::string, std::vector<std::string>> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file, id;
    fields >> file >> id;
    out[file].push_back(id);
  }
  return out;
}

std::vector<std::string> ids_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find("[sweep]") == std::string::npos) return {load_config(file.string()).id()};
  std::vector<std::string> ids;
  for (const auto& point : expand_sweep(load_sweep(file.string()))) ids.push_back(point.config.id());
  return ids;
}

TEST(RunIds, EveryExampleKeepsTheIdsOfMain) {
  const auto golden = golden_ids();
  ASSERT_EQ(golden.at("liu2022-toy.toml"), std::vector<std::string>{"50d05b33cfdef768"});
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSource / "examples")) {
    if (entry.path().extension() != ".toml") continue;
    const std::string name = entry.path().filename().string();
    ASSERT_TRUE(golden.count(name)) << name << " has no pinned ids: add it to tests/golden/example_run_ids.txt";
    EXPECT_EQ(ids_of(entry.path()), golden.at(name)) << name;
    ++files;
  }
  EXPECT_EQ(files, golden.size());
}

}  // namespace
}  // namespace geneft
