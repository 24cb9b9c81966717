#include "theory/repon_trajectory_fit.h"

#include <cmath>

#include "core/error.h"

namespace geneft {
namespace {

// y = k x through the origin: k and its standard error.
void through_origin(const std::vector<double>& x, const std::vector<double>& y, double& k, double& se) {
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) sxx += x[i] * x[i], sxy += x[i] * y[i];
  k = sxx > 0 ? sxy / sxx : 0;
  double rss = 0;
  for (size_t i = 0; i < x.size(); ++i) rss += (y[i] - k * x[i]) * (y[i] - k * x[i]);
  se = sxx > 0 && x.size() > 1 ? std::sqrt(rss / double(x.size() - 1) / sxx) : 0;
}

}  // namespace

ReponConstants fit_repon_constants(const std::vector<double>& t, const std::vector<double>& a, const std::vector<double>& c) {
  if (t.size() != a.size() || t.size() != c.size()) throw UserError("repon constants: t, a and c differ in length");
  std::vector<double> xe, ye, xd, yd;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!(a[i] > 0 && a[i + 1] > 0 && c[i] > 0 && c[i + 1] > 0) || !(t[i + 1] > t[i])) continue;
    const double dt = t[i + 1] - t[i];
    xe.push_back((a[i] * a[i] + a[i + 1] * a[i + 1]) / 2 * dt), ye.push_back(-std::log(c[i + 1] / c[i]));
    xd.push_back((c[i] * c[i] + c[i + 1] * c[i + 1]) * dt), yd.push_back(-std::log(a[i + 1] / a[i]));
  }
  ReponConstants r;
  r.intervals = int(xe.size());
  if (r.intervals < 2) throw UserError("repon constants need at least three frames with a, c > 0");
  through_origin(xe, ye, r.k_enc, r.k_enc_se);
  through_origin(xd, yd, r.k_dec, r.k_dec_se);
  return r;
}

}  // namespace geneft
