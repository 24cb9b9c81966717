// Fourier spectrum of an embedding over Z_p.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/rng.h"
#include "measure/fourier.h"

namespace geneft {
namespace {

// An embedding built from two frequencies puts all its power there, in the right proportion.
TEST(Fourier, KeyFrequenciesOfASparseEmbedding) {
  const int p = 13, d = 3;
  std::vector<double> E((p + 1) * d, 0.0);
  for (int a = 0; a < p; ++a) {
    E[a * d + 0] = 2 * std::cos(2 * M_PI * 3 * a / p);
    E[a * d + 1] = std::sin(2 * M_PI * 5 * a / p) + 0.5;  // frequency 5 plus a constant
    E[a * d + 2] = 2 * std::sin(2 * M_PI * 3 * a / p + 1.0);
  }
  E[p * d] = 100;  // the "=" row is not part of Z_p
  const FourierSpectrum s = fourier_spectrum(E, p, d, 1);
  ASSERT_EQ(s.power.size(), size_t(p / 2 + 1));
  double total = 0;
  for (int i = 0; i < p * d; ++i) total += E[i] * E[i];
  EXPECT_NEAR(std::accumulate(s.power.begin(), s.power.end(), 0.0), total, 1e-9);  // Parseval
  EXPECT_NEAR(s.power[0], 0.25 * p, 1e-9);
  EXPECT_NEAR(s.power[3], 8.0 * p / 2, 1e-9);  // two components of amplitude 2: 4 p/2 each
  EXPECT_NEAR(s.power[5], 1.0 * p / 2, 1e-9);
  EXPECT_NEAR(s.top_k_fraction, s.power[3] / total, 1e-12);
  EXPECT_NEAR(fourier_spectrum(E, p, d, 2).top_k_fraction, (s.power[3] + s.power[5]) / total, 1e-12);
  // Gini of n = 6 frequencies with power (0,0,0,0,1,8)*p/2: sum (2i-n-1) x_(i) / (n sum) = (3*1 + 5*8) / (6*9)
  EXPECT_NEAR(s.gini, 43.0 / 54.0, 1e-9);
}

// A random embedding spreads its power: top-5 of 56 frequencies holds a small share, Gini well below 1.
TEST(Fourier, RandomEmbeddingIsSpread) {
  const int p = 113, d = 128;
  Rng rng(3);
  std::vector<double> E(p * d);
  for (auto& x : E) x = rng.normal();
  const FourierSpectrum s = fourier_spectrum(E, p, d, 5);
  EXPECT_LT(s.top_k_fraction, 0.15);
  EXPECT_GT(s.top_k_fraction, 5.0 / 56 * 0.8);
  EXPECT_LT(s.gini, 0.2);
}

TEST(Fourier, EvenModulusHasANyquistCosine) {
  const int p = 8, d = 1;
  std::vector<double> E(p);
  for (int a = 0; a < p; ++a) E[a] = a % 2 ? -1.0 : 1.0;  // cos(pi a)
  const FourierSpectrum s = fourier_spectrum(E, p, d, 1);
  ASSERT_EQ(s.power.size(), 5u);
  EXPECT_NEAR(s.power[4], 8.0, 1e-12);
  EXPECT_NEAR(s.top_k_fraction, 1.0, 1e-12);
}

}  // namespace
}  // namespace geneft
