#include "theory/curve_crossing.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.h"

namespace geneft {
namespace {

double crossing_of_means(const std::vector<CurvePoint>& c, const std::vector<double>& m, double level, CrossingDirection d,
                         bool log_x) {
  auto t = [&](double x) { return log_x ? std::log(x) : x; };
  auto between = [&](size_t i) {  // where the segment (i-1, i) meets the level
    const double f = (level - m[i - 1]) / (m[i] - m[i - 1]);
    const double v = t(c[i - 1].x) + f * (t(c[i].x) - t(c[i - 1].x));
    return log_x ? std::exp(v) : v;
  };
  size_t i = 0;
  while (i < m.size() && m[i] < level) ++i;
  if (i == m.size()) return std::nan("");
  if (d == CrossingDirection::Rising) return i == 0 ? c[0].x : between(i);
  while (i < m.size() && m[i] >= level) ++i;
  return i == m.size() ? std::nan("") : between(i);
}

std::vector<double> means(const std::vector<CurvePoint>& curve, bool log_x) {
  std::vector<double> m;
  for (size_t i = 0; i < curve.size(); ++i) {
    if (log_x && !(curve[i].x > 0)) throw UserError("level crossing: a log axis needs positive x");
    if (i > 0 && !(curve[i].x > curve[i - 1].x)) throw UserError("level crossing: x must increase");
    m.push_back(curve[i].mean);
  }
  return m;
}

}  // namespace

CurvePoint curve_point(double x, const std::vector<double>& values) {
  if (values.empty()) throw UserError("curve point: no values");
  CurvePoint p{x, 0, 0};
  for (double v : values) p.mean += v / double(values.size());
  if (values.size() > 1) {
    double s2 = 0;
    for (double v : values) s2 += (v - p.mean) * (v - p.mean);
    p.std_error = std::sqrt(s2 / double(values.size() - 1) / double(values.size()));
  }
  return p;
}

double level_crossing(const std::vector<CurvePoint>& curve, double level, CrossingDirection direction, bool log_x) {
  return crossing_of_means(curve, means(curve, log_x), level, direction, log_x);
}

CrossingEstimate bootstrap_crossing(const std::vector<CurvePoint>& curve, double level, CrossingDirection direction,
                                    bool log_x, int resamples, uint64_t seed) {
  if (resamples < 2) throw UserError("bootstrap: at least 2 resamples");
  CrossingEstimate e;
  e.value = level_crossing(curve, level, direction, log_x);
  e.resamples = resamples;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0, 1);
  std::vector<double> m(curve.size()), found;
  for (int r = 0; r < resamples; ++r) {
    for (size_t i = 0; i < curve.size(); ++i) m[i] = curve[i].mean + curve[i].std_error * z(rng);
    if (const double c = crossing_of_means(curve, m, level, direction, log_x); std::isfinite(c))
      found.push_back(log_x ? std::log(c) : c);
  }
  e.reached = double(found.size()) / resamples;
  if (found.size() > 1) {
    double mu = 0, s2 = 0;
    for (double c : found) mu += c / double(found.size());
    for (double c : found) s2 += (c - mu) * (c - mu);
    const double sd = std::sqrt(s2 / double(found.size() - 1));
    e.std_error = log_x && std::isfinite(e.value) ? e.value * sd : sd;
  }
  return e;
}

LineFit fit_line(const std::vector<CurvePoint>& points, double min_error) {
  double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.mean)) throw UserError("line fit: a point is not finite");
    const double e = std::max(p.std_error, min_error), w = 1 / (e * e);
    sw += w, sx += w * p.x, sy += w * p.mean, sxx += w * p.x * p.x, sxy += w * p.x * p.mean;
  }
  const double det = sw * sxx - sx * sx;
  if (points.size() < 2 || !(det > 1e-12 * sw * sxx)) throw UserError("line fit: needs at least two distinct x");
  LineFit f;
  f.points = int(points.size());
  f.slope = (sw * sxy - sx * sy) / det, f.intercept = (sxx * sy - sx * sxy) / det;
  double chi2 = 0;
  for (const auto& p : points) {
    const double e = std::max(p.std_error, min_error), r = (p.mean - f.intercept - f.slope * p.x) / e;
    chi2 += r * r;
  }
  const int dof = f.points - 2;
  f.chi2_per_dof = dof > 0 ? chi2 / dof : 0;
  const double scale = std::sqrt(std::max(1.0, f.chi2_per_dof));
  f.slope_se = std::sqrt(sw / det) * scale, f.intercept_se = std::sqrt(sxx / det) * scale;
  return f;
}

}  // namespace geneft
