#pragma once
// Where a measured curve crosses a level, with an uncertainty from its points' standard errors.
// Used for the critical train fraction of a data-size sweep (Baek, Liu, Tegmark 2024,
// arXiv:2402.05916, Sec. 3: the induction gap is the network's critical fraction minus the oracle
// learner's) and for the edges of the Goldilocks zone (the decoder sizes where test accuracy
// rises to a level and falls below it again).
#include <cstdint>
#include <vector>

namespace geneft {

struct CurvePoint {  // a mean over seeds (or splits) at one x, with its standard error
  double x = 0, mean = 0, std_error = 0;
};
// Mean and standard error (sample standard deviation / sqrt(n); 0 for one value) of the values.
CurvePoint curve_point(double x, const std::vector<double>& values);

enum class CrossingDirection {
  Rising,   // the first x at which the curve reaches the level
  Falling,  // the first x after it has reached the level at which it falls below again
};

// The crossing of the means (x ascending), interpolated linearly between grid points (in log x
// when log_x); NaN when the curve never crosses. Rising from a first point already at the level
// gives that point's x.
double level_crossing(const std::vector<CurvePoint>& curve, double level, CrossingDirection direction, bool log_x = false);

// The crossing of the means and its standard error by a parametric bootstrap: each resample
// draws every x's mean independently from a normal with the point's mean and standard error (a
// resampling of two seeds would give only three means; a point with one value adds no spread).
// `reached` is the share of resamples that cross at all; the standard error is over those (of
// log x on a log axis, times the estimate).
struct CrossingEstimate {
  double value = 0, std_error = 0, reached = 0;
  int resamples = 0;
};
CrossingEstimate bootstrap_crossing(const std::vector<CurvePoint>& curve, double level, CrossingDirection direction,
                                    bool log_x, int resamples = 2000, uint64_t seed = 0);

// A straight line y = intercept + slope x through points with standard errors (the trend of the
// induction gap against log decoder size): weighted least squares with weights 1/se^2 (errors
// below `min_error` count as min_error), the coefficients' standard errors scaled up by
// sqrt(chi^2 / dof) when the points scatter more than their errors say. Needs two distinct x.
struct LineFit {
  double intercept = 0, slope = 0, intercept_se = 0, slope_se = 0, chi2_per_dof = 0;
  int points = 0;
};
LineFit fit_line(const std::vector<CurvePoint>& points, double min_error = 1e-3);

}  // namespace geneft
