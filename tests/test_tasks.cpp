#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/config.h"
#include "core/error.h"
#include "tasks/split.h"
#include "tasks/task.h"

namespace geneft {
namespace {

TaskConfig task(const std::string& kind, std::vector<std::string> extra = {}) {
  extra.push_back("task.kind=" + kind);
  return parse_config("", "t", extra).task;
}

TEST(BinaryOpTask, PlainAdditionIsTheLiuToy) {
  const Dataset d = make_dataset(task("plain_add", {"task.p=10"}));
  EXPECT_EQ(d.size(), 55u);
  EXPECT_EQ(d.num_classes, 19);
  EXPECT_TRUE(d.plain_addition);
  for (size_t i = 0; i < d.size(); ++i) {
    EXPECT_LE(d.a[i], d.b[i]);
    EXPECT_EQ(d.label[i], d.a[i] + d.b[i]);
  }
}

TEST(BinaryOpTask, ModularOperations) {
  const int p = 7;
  auto check = [&](const std::string& kind, size_t n, auto op) {
    const Dataset d = make_dataset(task(kind, {"task.p=7"}));
    ASSERT_EQ(d.size(), n) << kind;
    EXPECT_EQ(d.num_classes, p);
    EXPECT_EQ(d.cyclic, kind == "mod_add" || kind == "mod_sub") << kind;  // the Fourier measure applies
    for (size_t i = 0; i < d.size(); ++i) EXPECT_EQ(d.label[i], op(d.a[i], d.b[i])) << kind << " " << d.a[i] << "," << d.b[i];
  };
  check("mod_add", 49, [&](int a, int b) { return (a + b) % p; });
  check("mod_sub", 49, [&](int a, int b) { return (a - b + p) % p; });
  check("mod_mul", 49, [&](int a, int b) { return a * b % p; });
  check("mod_quad", 49, [&](int a, int b) { return (a * a + a * b + b * b) % p; });
  // a / b = c  <=>  c * b = a (mod p), b != 0
  const Dataset div = make_dataset(task("mod_div", {"task.p=7"}));
  ASSERT_EQ(div.size(), 42u);
  for (size_t i = 0; i < div.size(); ++i) EXPECT_EQ(div.label[i] * div.b[i] % p, div.a[i]);
}

TEST(BinaryOpTask, PermutationCompositionIsAGroup) {
  const Dataset d = make_dataset(task("perm_compose", {"task.n=3"}));
  EXPECT_EQ(d.num_symbols, 6);
  EXPECT_EQ(d.size(), 36u);
  // identity (index 0, lexicographically first) is neutral; each row is a permutation of symbols
  for (size_t i = 0; i < d.size(); ++i) {
    if (d.a[i] == 0) {
      EXPECT_EQ(d.label[i], d.b[i]);
    }
    if (d.b[i] == 0) {
      EXPECT_EQ(d.label[i], d.a[i]);
    }
  }
  for (int x = 0; x < 6; ++x) {
    std::set<int> row;
    for (size_t i = 0; i < d.size(); ++i)
      if (d.a[i] == x) row.insert(d.label[i]);
    EXPECT_EQ(row.size(), 6u);
  }
  // S_3 is not abelian
  bool commutes = true;
  for (size_t i = 0; i < d.size(); ++i) commutes &= d.label[i] == d.label[size_t(d.b[i]) * 6 + d.a[i]];
  EXPECT_FALSE(commutes);
}

TEST(BinaryOpTask, BadParameters) {
  EXPECT_THROW(make_dataset(task("mod_div", {"task.p=10"})), UserError);
  EXPECT_THROW(make_dataset(task("perm_compose", {"task.n=6"})), UserError);
  EXPECT_THROW(parse_config("", "t", {"task.p=100000"}), UserError);
}

TEST(RelationTask, Labels) {
  const Dataset eq = make_dataset(task("rel_equiv", {"task.n=6", "task.k=3"}));
  EXPECT_EQ(eq.size(), 36u);
  EXPECT_TRUE(eq.relation);
  int related = 0;
  for (size_t i = 0; i < eq.size(); ++i) related += eq.label[i];
  EXPECT_EQ(related, 12);  // 3 classes of 2 nodes: 3 * 2^2 ordered pairs
  const Dataset gt = make_dataset(task("rel_greater", {"task.n=5"}));
  for (size_t i = 0; i < gt.size(); ++i) EXPECT_EQ(gt.label[i], gt.a[i] > gt.b[i]);
  const Dataset bi = make_dataset(task("rel_bipartite", {"task.n=5", "task.part=2"}));
  int edges = 0;
  for (size_t i = 0; i < bi.size(); ++i) edges += bi.label[i];
  EXPECT_EQ(edges, 2 * 2 * 3);
}

class RelationFile : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() / ("geneft_rel_" + std::to_string(::getpid()) + ".csv")).string();
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(RelationFile, PairsAndMatrix) {
  const Dataset p = make_dataset(task("rel_file", {"task.n=3", "task.file=" + write("# x1,x2\n0,1\n2,2\n")}));
  std::vector<int> expect = {0, 1, 0, 0, 0, 0, 0, 0, 1};
  for (size_t i = 0; i < 9; ++i) EXPECT_EQ(p.label[i], expect[i]);
  const Dataset m = make_dataset(task("rel_file", {"task.n=3", "task.file=" + write("0 1 0\n0 0 0\n0,0,1\n")}));
  for (size_t i = 0; i < 9; ++i) EXPECT_EQ(m.label[i], expect[i]);
}

TEST_F(RelationFile, Errors) {
  auto message = [&](const std::string& text, int n) {
    try {
      make_dataset(task("rel_file", {"task.n=" + std::to_string(n), "task.file=" + write(text)}));
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message("0,1\n1,7\n", 3).find(":2:"), std::string::npos);        // node out of range, line 2
  EXPECT_NE(message("0 1 0\n0 0 0\n", 3).find("3 rows"), std::string::npos);  // short matrix
  EXPECT_NE(message("0,x\n", 3).find("'x'"), std::string::npos);
  EXPECT_NE(message("", 3).find("empty"), std::string::npos);
  EXPECT_THROW(make_dataset(task("rel_file", {"task.n=3", "task.file=/nonexistent/rel.csv"})), UserError);
}

TEST(Split, FractionCountAndSeed) {
  TaskConfig t = task("plain_add", {"task.train_fraction=0.5"});
  const Split s = make_split(55, t, 0);
  EXPECT_EQ(s.train.size(), 28u);
  EXPECT_EQ(s.train.size() + s.test.size(), 55u);
  std::set<int> all(s.train.begin(), s.train.end());
  all.insert(s.test.begin(), s.test.end());
  EXPECT_EQ(all.size(), 55u);
  EXPECT_EQ(make_split(55, t, 0).train, s.train);
  EXPECT_NE(make_split(55, t, 1).train, s.train);
  t.train_count = 45;
  EXPECT_EQ(make_split(55, t, 0).train.size(), 45u);
  t.train_count = 56;
  EXPECT_THROW(make_split(55, t, 0), UserError);
}

}  // namespace
}  // namespace geneft
