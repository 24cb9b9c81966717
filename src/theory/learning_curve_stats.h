#pragma once
// Summaries of a sample of generalization errors (one per random training set) and the
// comparisons of theory with measurement used by `geneft theory learning-curves`.
#include <vector>

namespace geneft {

struct ErrorSummary {
  int count = 0;
  double mean = 0, std_error = 0;  // standard error of the mean
  // Empirical quantiles (the ceil(n q)-th smallest value) with distribution-free 95% intervals
  // from order statistics: the rank of the true quantile is Binomial(n, q) (normal approximation).
  double level = 0.95;  // the upper quantile reported, 1 - delta
  double median = 0, median_lo = 0, median_hi = 0;
  double quantile = 0, quantile_lo = 0, quantile_hi = 0;
};
ErrorSummary summarize_errors(std::vector<double> errors, double level);

// The measured quantile's standard error read from its 95% interval (half-width / 1.96).
double quantile_std_error(const ErrorSummary& s);

// log p(measured | theory): the measured values as independent Gaussians centred on the
// prediction with the measured standard errors as widths, summed over points (natural log).
// Points with a zero width are skipped (the count used is returned in `used`).
double gaussian_log_likelihood(const std::vector<double>& measured, const std::vector<double>& std_error,
                               const std::vector<double>& predicted, int* used = nullptr);

}  // namespace geneft
