#pragma once
// Stripes in a learning-rate phase diagram (the open question of Baek, Liu, Tegmark 2024,
// arXiv:2402.05916, about the vertical stripes of their Fig. 4): a grid line (a column: one
// value of the x axis; a row: one value of y) whose cells generalize more or less often than a
// smooth boundary says, by more than binomial noise allows.
// The smooth boundary is the logistic fit P = sigmoid(b0 + bx x + by y) on the log axes (the
// repon boundary's form). A line's departure is
//   z = sum_cells (k - n p) / sqrt(sum_cells n p (1 - p)),
// with k of n runs generalizing in a cell and p the fitted probability, clamped to
// [floor, 1 - floor] so that a sharp boundary does not let one flipped cell make a stripe alone.
// A line is a stripe when its Bonferroni-corrected two-sided p-value (lines x erfc(|z|/sqrt 2))
// is below alpha.
#include <vector>

#include "theory/logistic_boundary_fit.h"

namespace geneft {

struct StripeCell {
  double x = 0, y = 0;  // the cell's coordinates (log10 of the learning rates)
  int generalized = 0, runs = 0;
};

struct StripeLine {
  double at = 0;  // the x of a column, the y of a row
  int runs = 0, observed = 0;
  double expected = 0, z = 0, p_value = 1;  // p: Bonferroni-corrected over the lines of its kind
  bool stripe = false;
};

struct StripeOptions {
  double floor = 0.02, alpha = 0.01;
};

struct StripeTest {
  LogisticFit fit;
  std::vector<StripeLine> columns, rows;
  int column_stripes = 0, row_stripes = 0;
  double max_column_z = 0, max_row_z = 0;  // largest |z|
};

StripeTest stripe_test(const std::vector<StripeCell>& cells, const StripeOptions& options = {});

}  // namespace geneft
