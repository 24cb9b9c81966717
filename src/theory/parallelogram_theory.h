#pragma once
// Effective theory of representation learning for addition (Liu et al. 2022, arXiv:2205.10343,
// Sec. 3): a training set D of pairs (i, j) with i + j known implies the parallelograms
// P0(D) = {(i, j, m, n): (i, j), (m, n) in D, i + j = m + n}, each a linear constraint
// E_i + E_j = E_m + E_n on the embeddings. The constraints always leave E_k = u + v k (the
// trivial affine freedom: 2 dimensions per embedding coordinate), so the linear representation
// is determined when their rank is p - 2 (Sec. 3.4). A test pair (i, j) comes out right when
// its constraints force E_i + E_j onto a training sum E_m + E_n with m + n = i + j: then the
// decoder, which only sees the sum, answers as it learnt to for (m, n).
#include <array>
#include <vector>

#include "core/config.h"
#include "measure/rqi.h"

namespace geneft {

using AdditionPair = std::array<int, 2>;  // (i, j), i <= j

class ParallelogramTheory {
 public:
  ParallelogramTheory(int p, std::vector<AdditionPair> train);

  // P0(D): parallelograms whose two pairs are both in the training set.
  const std::vector<Parallelogram>& parallelograms() const { return parallelograms_; }
  // Rank of the constraint matrix (one row e_i + e_j - e_m - e_n per parallelogram).
  int constraint_rank() const { return rank_; }
  // Rank p - 2: only the affine freedom E_k = u + v k is left.
  bool determined() const { return rank_ == p_ - 2; }
  // Effective loss l_eff = l0 / Z0 (Liu et al. 2022, Sec. 3.2): l0 = sum over P0(D) of
  // |E_i + E_j - E_m - E_n|^2, Z0 = sum_k |E_k|^2 (a plain sum, as in the authors'
  // toy code). E is (p, d) row-major.
  double effective_loss(const std::vector<double>& E, int d) const;
  // Whether the training parallelograms force E_i + E_j onto a training pair's sum.
  bool determines(int i, int j) const;
  // Fraction of `test` pairs that are determined.
  double predicted_accuracy(const std::vector<AdditionPair>& test) const;

 private:
  int p_;
  std::vector<AdditionPair> train_;
  std::vector<Parallelogram> parallelograms_;
  int rank_ = 0;
  std::vector<double> kernel_;  // basis of the constraints' null space, (p, kernel_dim_) column-major
  int kernel_dim_ = 0;
};

// Over `sets` random training sets of each size (the splits seeds 0..sets-1 draw for the
// plain_add task `task`): the probability that the representation is determined and the mean
// predicted test accuracy, each with a standard error.
struct ParallelogramCurvePoint {
  int train_count = 0;
  double p_determined = 0, p_determined_se = 0, accuracy = 0, accuracy_se = 0;
  int sets = 0;
};
std::vector<ParallelogramCurvePoint> parallelogram_curve(TaskConfig task, const std::vector<int>& train_counts, int sets);

// The training-set size where P(determined) first reaches 1/2 (linear interpolation; NaN if never).
double critical_train_count(const std::vector<ParallelogramCurvePoint>& curve);

}  // namespace geneft
