#include "measure/fourier.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace geneft {

FourierSpectrum fourier_spectrum(const std::vector<double>& E, int p, int d, int top_k) {
  FourierSpectrum s;
  s.power.assign(p / 2 + 1, 0.0);
  // Orthonormal basis of functions on Z_p: 1/sqrt(p), sqrt(2/p) cos, sqrt(2/p) sin (and
  // cos(pi a)/sqrt(p) for even p at k = p/2), so that the powers add up to |E|^2 (Parseval).
  std::vector<double> c(p), sn(p);
  for (int k = 0; k <= p / 2; ++k) {
    const bool single = k == 0 || 2 * k == p;
    const double norm = std::sqrt((single ? 1.0 : 2.0) / p);
    for (int a = 0; a < p; ++a) {
      const double angle = 2 * M_PI * double(k) * a / p;
      c[a] = norm * std::cos(angle), sn[a] = single ? 0.0 : norm * std::sin(angle);
    }
    for (int j = 0; j < d; ++j) {
      double pc = 0, ps = 0;
      for (int a = 0; a < p; ++a) pc += c[a] * E[size_t(a) * d + j], ps += sn[a] * E[size_t(a) * d + j];
      s.power[k] += pc * pc + ps * ps;
    }
  }
  const double total = std::accumulate(s.power.begin(), s.power.end(), 0.0);
  std::vector<double> f(s.power.begin() + 1, s.power.end());
  std::sort(f.begin(), f.end());
  const size_t n = f.size();
  if (n == 0 || total <= 0) return s;
  const size_t k = std::min<size_t>(top_k, n);
  s.top_k_fraction = std::accumulate(f.end() - k, f.end(), 0.0) / total;
  // Gini of sorted values x_(1) <= ... <= x_(n): sum_i (2i - n - 1) x_(i) / (n sum x)
  double num = 0, sum = 0;
  for (size_t i = 0; i < n; ++i) num += (2.0 * double(i + 1) - double(n) - 1.0) * f[i], sum += f[i];
  s.gini = sum > 0 ? num / (double(n) * sum) : 0.0;
  return s;
}

}  // namespace geneft
