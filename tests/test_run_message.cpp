#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "sweep/run_message.h"

namespace geneft {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(RunMessage, RoundTripsEveryNumberBitForBit) {
  RunMessage m;
  m.point = 41;
  m.run.id = "0123456789abcdef";
  m.run.task = "mod_add p=11";
  m.run.started_at = "2026-01-01T00:00:00Z", m.run.ended_at = "2026-01-01T00:00:07Z";
  m.run.result.status = "diverged";
  m.run.result.steps_done = 300, m.run.result.diverged_step = 299, m.run.result.early_stopped = true;
  m.run.result.train_size = 66, m.run.result.test_size = 55, m.run.result.wall_seconds = 7.25;
  m.run.result.curve.push_back({0, 0.1 + 0.2, 1.0 / 3, 0.5, kMissing, 2.0, 3.0, kMissing});
  m.run.result.curve.push_back({300, -0.0, 1e-300, 1.0, 0.25, 2.5, 3.5, 0.75});
  m.run.result.embeddings.push_back({100, 2, 3, {1, 2, 3, 4, 5, 6.5f}});
  m.run.result.checkpoints.push_back({200, "float64", {0.1, -2}, {3, 4, 5}});
  m.run.phase = {Phase::Grokking, 100, std::nullopt};

  const RunMessage back = decode_run_message(encode_run_message(m));
  EXPECT_EQ(back.point, 41u);
  EXPECT_EQ(back.run.id, m.run.id);
  EXPECT_EQ(back.run.task, m.run.task);
  EXPECT_EQ(back.run.ended_at, m.run.ended_at);
  EXPECT_EQ(back.run.result.status, "diverged");
  EXPECT_EQ(back.run.result.diverged_step, 299);
  EXPECT_TRUE(back.run.result.early_stopped);
  EXPECT_EQ(back.run.result.test_size, 55);
  ASSERT_EQ(back.run.result.curve.size(), 2u);
  EXPECT_TRUE(same_bits(back.run.result.curve[0].train_loss, 0.1 + 0.2));
  EXPECT_TRUE(std::isnan(back.run.result.curve[0].test_acc));  // not measured stays missing
  EXPECT_TRUE(same_bits(back.run.result.curve[1].train_loss, -0.0));
  EXPECT_EQ(back.run.result.curve[1].step, 300);
  ASSERT_EQ(back.run.result.embeddings.size(), 1u);
  EXPECT_EQ(back.run.result.embeddings[0].cols, 3);
  EXPECT_EQ(back.run.result.embeddings[0].values, m.run.result.embeddings[0].values);
  ASSERT_EQ(back.run.result.checkpoints.size(), 1u);
  EXPECT_EQ(back.run.result.checkpoints[0].dtype, "float64");
  EXPECT_EQ(back.run.result.checkpoints[0].decoder, m.run.result.checkpoints[0].decoder);
  EXPECT_EQ(back.run.phase.phase, Phase::Grokking);
  EXPECT_EQ(back.run.phase.t_train, 100);
  EXPECT_FALSE(back.run.phase.t_test);
}

TEST(RunMessage, TruncatedOrForeignBytesAreRejected) {
  RunMessage m;
  m.run.result.status = "completed";
  m.run.result.curve.resize(3);
  std::vector<char> bytes = encode_run_message(m);
  EXPECT_NO_THROW(decode_run_message(bytes));
  for (size_t cut : {size_t(0), size_t(3), bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW(decode_run_message(std::vector<char>(bytes.begin(), bytes.begin() + long(cut))), std::runtime_error);
  bytes[0] ^= 1;
  EXPECT_THROW(decode_run_message(bytes), std::runtime_error);
}

}  // namespace
}  // namespace geneft
