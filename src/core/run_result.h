#pragma once
// What a run records: its curve of eval points, embedding snapshots, checkpoints and outcome.
// The trainer writes them, the store keeps them, measure, plot and slt read them.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace geneft {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();  // "not measured" (stored as NULL)

// Measurements after `step` optimizer steps.
struct EvalPoint {
  int64_t step = 0;
  double train_loss = kMissing, test_loss = kMissing, train_acc = kMissing, test_acc = kMissing;
  double encoder_norm = kMissing, decoder_norm = kMissing, rqi = kMissing;
  // Fourier spectrum of the embedding over Z_p (measure/fourier.h), for Z_p tasks only
  double fourier_top_k = kMissing, fourier_gini = kMissing;
  double weight_norm = kMissing;  // L2 norm of all parameters together
};

struct EmbeddingSnapshot {
  int64_t step = 0;
  int rows = 0, cols = 0;
  std::vector<float> values;  // (rows, cols) row-major
};

// All weights after `step` optimizer steps (values exact in the model's dtype).
struct Checkpoint {
  int64_t step = 0;
  std::string dtype;                    // float32 | float64
  std::vector<double> encoder, decoder;  // Model::encoder(), Model::decoder() parameters
};

struct RunResult {
  std::string status;  // "completed", "diverged" or "interrupted"
  int64_t steps_done = 0;
  std::optional<int64_t> diverged_step;
  bool early_stopped = false;
  int64_t train_size = 0, test_size = 0;
  double wall_seconds = 0;
  std::vector<EvalPoint> curve;
  std::vector<EmbeddingSnapshot> embeddings;
  std::vector<Checkpoint> checkpoints;
  const EvalPoint* final_point() const { return curve.empty() ? nullptr : &curve.back(); }
};

}  // namespace geneft
