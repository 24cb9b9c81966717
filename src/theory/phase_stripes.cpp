#include "theory/phase_stripes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "core/error.h"

namespace geneft {
namespace {

// Lines keyed by a coordinate; coordinates of one grid line agree to 1e-9.
double key(double v) { return std::round(v * 1e9) / 1e9; }

std::vector<StripeLine> lines(const std::vector<StripeCell>& cells, const std::vector<double>& p, bool by_x,
                              const StripeOptions& o) {
  struct Sum {
    int runs = 0, observed = 0;
    double expected = 0, variance = 0;
  };
  std::map<double, Sum> by;
  for (size_t i = 0; i < cells.size(); ++i) {
    const auto& c = cells[i];
    const double q = std::clamp(p[i], o.floor, 1 - o.floor);
    auto& s = by[key(by_x ? c.x : c.y)];
    s.runs += c.runs, s.observed += c.generalized, s.expected += c.runs * q, s.variance += c.runs * q * (1 - q);
  }
  std::vector<StripeLine> out;
  for (const auto& [at, s] : by) {
    StripeLine l{at, s.runs, s.observed, s.expected, (s.observed - s.expected) / std::sqrt(s.variance)};
    l.p_value = std::min(1.0, double(by.size()) * std::erfc(std::abs(l.z) / std::numbers::sqrt2));
    l.stripe = l.p_value < o.alpha;
    out.push_back(l);
  }
  return out;
}

}  // namespace

StripeTest stripe_test(const std::vector<StripeCell>& cells, const StripeOptions& o) {
  if (cells.empty()) throw UserError("stripe test: no cells");
  if (!(o.floor > 0 && o.floor < 0.5)) throw UserError("stripe test: floor must lie in (0, 0.5)");
  if (!(o.alpha > 0 && o.alpha < 1)) throw UserError("stripe test: alpha must lie in (0, 1)");
  std::vector<std::vector<double>> rows;
  std::vector<int> y;
  for (const auto& c : cells) {
    if (c.runs < 1 || c.generalized < 0 || c.generalized > c.runs) throw UserError("stripe test: a cell needs 0 <= k <= n, n >= 1");
    for (int k = 0; k < c.runs; ++k) rows.push_back({c.x, c.y}), y.push_back(k < c.generalized);
  }
  StripeTest t;
  t.fit = fit_logistic(rows, y);
  std::vector<double> p;
  for (const auto& c : cells) p.push_back(1 / (1 + std::exp(-(t.fit.coef[0] + t.fit.coef[1] * c.x + t.fit.coef[2] * c.y))));
  t.columns = lines(cells, p, true, o), t.rows = lines(cells, p, false, o);
  for (const auto& l : t.columns) t.column_stripes += l.stripe, t.max_column_z = std::max(t.max_column_z, std::abs(l.z));
  for (const auto& l : t.rows) t.row_stripes += l.stripe, t.max_row_z = std::max(t.max_row_z, std::abs(l.z));
  return t;
}

}  // namespace geneft
