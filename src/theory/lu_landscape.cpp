#include "theory/lu_landscape.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace geneft {

LuValue lu_value_named(const std::string& name) {
  if (name == "last") return LuValue::Last;
  if (name == "best") return LuValue::Best;
  throw UserError("--value = \"" + name + "\": allowed are last (the final value of each run) and best (the best over "
                  "training, as the Omnigrok landscape notebooks keep)");
}

LuPoint lu_point(const std::vector<EvalPoint>& curve, LuValue value) {
  if (curve.empty()) throw UserError("a run of the landscape has no measurements");
  LuPoint p;
  p.norm = curve.front().weight_norm;
  if (value == LuValue::Last) {
    const EvalPoint& e = curve.back();
    p.train_loss = e.train_loss, p.test_loss = e.test_loss, p.train_acc = e.train_acc, p.test_acc = e.test_acc;
    return p;
  }
  // best over training, each measurement on its own; NaN (not measured) never wins
  auto keep = [](double& best, double v, bool lower) {
    if (std::isfinite(v) && (!std::isfinite(best) || (lower ? v < best : v > best))) best = v;
  };
  for (const EvalPoint& e : curve) {
    keep(p.train_loss, e.train_loss, true), keep(p.test_loss, e.test_loss, true);
    keep(p.train_acc, e.train_acc, false), keep(p.test_acc, e.test_acc, false);
  }
  return p;
}

LuLandscape lu_landscape(std::vector<LuPoint> points) {
  std::sort(points.begin(), points.end(), [](const LuPoint& a, const LuPoint& b) { return a.norm < b.norm; });
  LuLandscape l;
  l.points = std::move(points);
  bool found = false;
  for (size_t i = 0; i < l.points.size(); ++i) {
    const double t = l.points[i].test_loss;
    if (std::isfinite(t) && (!found || t < l.points[l.test_minimum].test_loss)) l.test_minimum = i, found = true;
  }
  if (!found) throw UserError("no run of the landscape has a finite test loss: no test-loss minimum to mark");
  l.critical_norm = l.points[l.test_minimum].norm;
  return l;
}

}  // namespace geneft
