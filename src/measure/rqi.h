#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/run_result.h"

namespace geneft {

// A parallelogram of the addition table: distinct unordered pairs {i,j} != {m,n} with
// i + j = m + n (Liu et al. 2022, Sec. 3). For p = 10 there are 70.
using Parallelogram = std::array<int, 4>;  // i, j, m, n
std::vector<Parallelogram> addition_parallelograms(int p);
// Their number, without listing them (about p^3 / 12).
size_t count_addition_parallelograms(int p);

// Representation quality index (Liu et al. 2022): normalize each embedding dimension to zero
// mean and unit (unbiased) variance, then count the parallelograms whose mean squared residual
// over dimensions, mean_k (E_i + E_j - E_m - E_n)_k^2, is below `tolerance` (0.01 in the paper).
// E is (V, d) row-major.
double representation_quality(const std::vector<double>& E, int V, int d,
                              const std::vector<Parallelogram>& parallelograms, double tolerance = 0.01);

// The first eval step at which RQI exceeds `level`; none if it never does. Liu et al. 2022
// plot this step in Fig. 4 with level 0.95 (toy/train_add.py: `rqi > threshold_rqi`).
std::optional<int64_t> first_step_rqi_above(const std::vector<EvalPoint>& curve, double level = 0.95);

}  // namespace geneft
